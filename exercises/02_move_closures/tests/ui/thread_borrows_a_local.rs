// A thread that borrows a local can still be running after the local is gone.
// In C++, `std::thread t([&lines] { ... }); t.detach(); return;` compiles, and the thread then
// reads a vector whose memory has been freed. Rust rejects it: the closure given to
// `thread::spawn` must not borrow anything from the function that spawns it, because the thread
// may outlive that function (E0373). `move` would give the thread its own `lines`.
use std::thread::{self, JoinHandle};

fn start_report() -> JoinHandle<usize> {
    let lines = vec!["boot", "ready", "serving"];
    // `lines` is dropped when this function returns, while the thread may still be reading it.
    thread::spawn(|| lines.iter().map(|line| line.len()).sum())
}

fn main() {
    let report = start_report();
    println!("{}", report.join().unwrap());
}
