// In Python, a forgotten `await` passes a coroutine object where a number was expected; the
// program runs on and fails later with a TypeError, or (in JavaScript) a Promise compared with
// a number is silently `false`. In Rust a call to an `async fn` has the type of a future, not
// of its output, so passing it where an `i32` is expected does not compile (E0308).
async fn temperature() -> i32 {
    215
}

fn needs_heating(tenths: i32) -> bool {
    tenths < 180
}

async fn check() -> bool {
    needs_heating(temperature())
}

fn main() {
    let _ = check();
}
