// In Python or JavaScript nothing stops a coroutine from keeping a non-thread-safe object across
// an `await`, and on a runtime that moves tasks between threads, two threads can then update its
// reference count at once: a corrupted count, and memory freed too early or never. tokio's
// multi-threaded runtime may resume a task on another thread at any `.await`, so `tokio::spawn`
// requires the future to be `Send`. An `Rc` alive across an `.await` makes the future `!Send`
// (E0277): drop it before the `.await`, or use `Arc`.
use std::rc::Rc;

async fn save(line: &str) {
    let _ = line;
    tokio::task::yield_now().await;
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let task = tokio::spawn(async {
            let greeting = Rc::new(String::from("hello"));
            save("saving").await;
            println!("{greeting}");
        });
        let _ = task.await;
    });
}
