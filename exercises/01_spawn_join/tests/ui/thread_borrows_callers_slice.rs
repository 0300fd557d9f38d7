// A thread that borrows its caller's data may still be reading it after the caller is gone.
// In C++, `std::thread t([numbers] { ... })` with `numbers` a `std::span` or a pointer compiles;
// if the caller returns (or frees the vector) before the thread is done, the thread reads freed
// memory. Rust rejects it: `thread::spawn` requires a `'static` closure, and `numbers` is a
// reference that lives only as long as this function's caller says (E0521).
use std::thread::{self, JoinHandle};

fn sum_later(numbers: &[u64]) -> JoinHandle<u64> {
    thread::spawn(move || numbers.iter().sum())
}

fn main() {
    let numbers = vec![1, 2, 3];
    let handle = sum_later(&numbers);
    drop(numbers); // the thread may not have read them yet
    println!("{}", handle.join().unwrap());
}
