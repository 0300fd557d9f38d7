// A thread locks an account and hands the locked guard to another thread to finish the job.
// With POSIX threads, unlocking a mutex from a thread that does not own it is undefined
// behaviour; in Java, `ReentrantLock.unlock()` from the wrong thread throws
// IllegalMonitorStateException at run time. In Rust a lock is released by dropping its guard,
// and `MutexGuard` is not `Send`, so moving it into another thread does not compile (E0277).
// Lock and unlock on the same thread; send the data (or the `Arc<Mutex<_>>`) instead.
use std::sync::Mutex;
use std::thread;

fn main() {
    let balance = Mutex::new(100_u64);

    thread::scope(|s| {
        let mut guard = balance.lock().unwrap();
        s.spawn(move || {
            *guard -= 30;
            // `guard` would be dropped, and the mutex unlocked, on this other thread.
        });
    });

    println!("{}", balance.lock().unwrap());
}
