// Two threads append to one growable array with no lock. In C++ (std::vector) or Java
// (ArrayList) this compiles and races at run time: both threads can write the same slot, one
// can grow the buffer while the other still writes into the old one, and the length ends up
// wrong. That is a data race: undefined behaviour in C++, lost or corrupted entries in Java.
// Rust allows one `&mut` to a value at a time, and each closure below needs `&mut log`, so
// the second mutable borrow is rejected (E0499). Share it as `Mutex<Vec<_>>` instead.
use std::thread;

fn main() {
    let mut log: Vec<String> = Vec::new();

    thread::scope(|s| {
        s.spawn(|| {
            for i in 0..1000 {
                log.push(format!("left {i}"));
            }
        });
        s.spawn(|| {
            for i in 0..1000 {
                log.push(format!("right {i}"));
            }
        });
    });

    println!("{} entries", log.len());
}
