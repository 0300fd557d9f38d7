// `RefCell` checks its borrows at run time with a plain, non-atomic counter. Two threads that
// borrowed it mutably at once could both see "not borrowed", and then both write to the
// value: a data race, as with an unsynchronised field in Java or C++. `RefCell` is not `Sync`,
// so an `Arc<RefCell<_>>` is not `Send` and cannot go to another thread (E0277). The
// thread-safe counterpart is `Mutex` (or `RwLock`).
use std::cell::RefCell;
use std::sync::Arc;
use std::thread;

fn main() {
    let hits = Arc::new(RefCell::new(0));
    let for_worker = Arc::clone(&hits);
    let worker = thread::spawn(move || {
        *for_worker.borrow_mut() += 1;
    });
    *hits.borrow_mut() += 1;
    worker.join().unwrap();
}
