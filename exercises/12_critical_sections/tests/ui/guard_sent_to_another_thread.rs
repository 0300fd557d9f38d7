// In C++ a `std::unique_lock` can be moved to another thread, which then unlocks the mutex; but
// unlocking a mutex from a thread that does not own it is undefined behaviour (a POSIX mutex may
// refuse, or be corrupted). It is also how a lock ends up held for as long as some other thread
// likes. Rust's `MutexGuard` is not `Send`: a lock is released by the thread that took it, so
// moving the guard into a spawned thread does not compile (E0277).
use std::sync::Mutex;
use std::thread;

static SCORES: Mutex<Vec<u64>> = Mutex::new(Vec::new());

fn main() {
    let mut guard = SCORES.lock().unwrap();
    let worker = thread::spawn(move || {
        guard.push(1);
    });
    worker.join().unwrap();
}
