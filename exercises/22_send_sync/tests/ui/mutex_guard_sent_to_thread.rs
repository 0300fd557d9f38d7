// A lock taken on one thread is released on another. With POSIX threads, unlocking a mutex
// from a thread that does not own it is undefined behaviour, and with some lock types in Java
// (`ReentrantLock`) it throws `IllegalMonitorStateException` at run time. In Rust, releasing
// the lock is dropping the `MutexGuard`, and `MutexGuard` is deliberately not `Send` (though
// it is `Sync`): the guard cannot move to another thread, so it is dropped where it was made.
// Moving it into the thread is rejected with E0277.
use std::sync::Mutex;
use std::thread;

fn main() {
    let total = Mutex::new(0);
    let mut guard = total.lock().unwrap();
    *guard += 1;

    thread::scope(|s| {
        s.spawn(move || {
            *guard += 1;
            drop(guard); // the unlock would happen on this other thread
        });
    });
}
