// A thread's locals die when the thread ends, so a reference to them cannot be its result.
// In C++, a thread that stores `&*std::max_element(chunk.begin(), chunk.end())` into a result
// slot hands back a pointer into a vector that is destroyed as the thread returns, and the
// caller reads freed memory after `join`. Rust rejects it: a closure cannot return a value that
// borrows from data it owns (E0515). Return the value itself (`.copied()`), not a reference.
use std::thread;

fn main() {
    let handle = thread::spawn(|| {
        let chunk: Vec<u64> = (1..=10).collect();
        chunk.iter().max()
    });
    println!("{:?}", handle.join().unwrap());
}
