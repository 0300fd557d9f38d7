// In Java, an exception thrown in a plain `Thread` ends that thread, prints a stack trace,
// and the main thread carries on reading whatever the result field held (often a default
// 0). In Go, a panic in a goroutine takes the whole process down. In Rust, `join` returns
// `Result<T, Box<dyn Any + Send>>`: a worker that panicked can't be mistaken for a value,
// and the compiler makes you say what to do about it.
use std::thread;

fn main() {
    let worker = thread::spawn(|| 6 * 7);
    let answer: i32 = worker.join();
    println!("the answer is {answer}");
}
