// Two threads update one `Cell` through shared references. In C++ or Java this compiles, and
// both threads read the old value and write it back plus one at the same moment, so updates
// are lost: a data race. A `Cell` may be *moved* to another thread (it is `Send`), but it
// changes its value behind a shared reference with no synchronisation, so it is not `Sync`,
// and `&Cell<u32>` cannot go to another thread. Rejected with E0277. Use an atomic or a Mutex.
use std::cell::Cell;
use std::thread;

fn main() {
    let hits = Cell::new(0u32);

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
