// Two threads pushing onto one shared vector. In Java (`ArrayList`) or C++ (`std::vector`)
// that is a data race: both may write the same slot, or one reallocates the buffer while the
// other writes into it. `Arc` hands out only shared (`&`) access, so Rust will not give a
// `&mut` to data inside it (E0596). Put a `Mutex` inside the `Arc` to change it safely.
use std::sync::Arc;
use std::thread;

fn main() {
    let log = Arc::new(Vec::new());
    let for_worker = Arc::clone(&log);
    let worker = thread::spawn(move || {
        for_worker.push("from the worker");
    });
    worker.join().unwrap();
    println!("{log:?}");
}
