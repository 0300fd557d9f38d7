// In Java, two threads doing `count++` on a plain field lose updates: `++` is a read, an add
// and a write, and the other thread can write in between. In C++ the same code on a plain `int`
// is undefined behaviour. `Cell` allows mutation through a shared reference, but only on one
// thread: `Cell` is not `Sync`, so a `&Cell` cannot be used from another thread (E0277).
// A shared counter is an `AtomicU64`, bumped with `fetch_add`.
use std::cell::Cell;
use std::thread;

fn main() {
    let hits = Cell::new(0u64);
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                for _ in 0..1000 {
                    hits.set(hits.get() + 1);
                }
            });
        }
    });
    println!("{}", hits.get());
}
