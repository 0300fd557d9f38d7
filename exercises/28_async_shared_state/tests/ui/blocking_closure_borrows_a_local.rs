// `spawn_blocking` hands a closure to another thread, which may still run it after the async
// function that asked for it was cancelled and its locals freed. In C++ a task given to a
// thread pool that captures a local buffer by reference then reads freed memory. Rust requires
// the closure to be `'static`: one that borrows the local `data` does not compile (E0373).
// Move the data in (`move || ...`), and get the result back through the `JoinHandle`.
async fn checksum(data: Vec<u8>) -> u64 {
    tokio::task::spawn_blocking(|| data.iter().map(|&byte| u64::from(byte)).sum())
        .await
        .unwrap()
}

fn main() {
    drop(checksum(vec![1, 2, 3]));
}
