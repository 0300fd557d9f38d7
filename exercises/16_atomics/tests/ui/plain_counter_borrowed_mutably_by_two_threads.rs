// In C or Go, two threads that do `hits += 1` on the same plain integer race: each reads the
// old value, adds one and writes, and increments vanish (Go's race detector reports it, if it
// happens to run). Rust allows only one `&mut` to a value at a time, and each closure below
// needs one for as long as its thread runs (E0499). Share an `AtomicU64` instead.
use std::thread;

fn main() {
    let mut hits = 0u64;
    thread::scope(|s| {
        s.spawn(|| {
            for _ in 0..1000 {
                hits += 1;
            }
        });
        s.spawn(|| {
            for _ in 0..1000 {
                hits += 1;
            }
        });
    });
    println!("{hits}");
}
