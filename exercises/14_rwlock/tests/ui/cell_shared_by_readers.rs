// A `Mutex<T>` lets one thread at a time reach the `T`, so `T` only has to be `Send`. An
// `RwLock<T>` hands `&T` to many readers at the same moment, so `T` must be `Sync` as well. A
// `Cell` can be changed through a plain `&`, so two readers could call `set` at the same time: a
// data race under a read lock, which Java's `ReadWriteLock` or C++'s `shared_mutex` would let
// through. Here `RwLock<Cell<u64>>` is not `Sync`, so it cannot be shared with a thread (E0277).
// (The compiler's note means: put the `u64` itself in the `RwLock`, or use an `AtomicU64`.)
use std::cell::Cell;
use std::sync::{Arc, RwLock};
use std::thread;

fn main() {
    let hits = Arc::new(RwLock::new(Cell::new(0u64)));
    let reader = {
        let hits = Arc::clone(&hits);
        thread::spawn(move || {
            let guard = hits.read().unwrap();
            guard.set(guard.get() + 1);
        })
    };
    let guard = hits.read().unwrap();
    guard.set(guard.get() + 1);
    drop(guard);
    reader.join().unwrap();
}
