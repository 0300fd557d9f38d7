// In JavaScript, `price("tea") + price("cake")` with async functions and no `await` does not
// fail: it adds two Promise objects into the string "[object Promise][object Promise]", and the
// bug shows up far away, at run time. In Rust an `async fn` returns a future, not the number it
// will produce, and a future has no `+` (E0369). `.await` each one to get its value.
async fn price(item: &str) -> u32 {
    item.len() as u32
}

async fn total() -> u32 {
    price("tea") + price("cake")
}

fn main() {
    let _ = total();
}
