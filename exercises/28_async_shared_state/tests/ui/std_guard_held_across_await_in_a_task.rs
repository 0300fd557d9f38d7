// A task may sleep at an `.await` on one thread and wake up on another. In C++ or Java, a mutex
// locked by one thread and unlocked by another is undefined behaviour or an exception, and a
// lock held while a coroutine sleeps blocks every thread that wants it, possibly the very
// thread that would finish the work. Rust's `std::sync::MutexGuard` is not `Send`, so a future
// that keeps one alive across an `.await` is not `Send` either, and `tokio::spawn`, which may
// move a task between threads, refuses it ("future cannot be sent between threads safely",
// the `Send` bound of E0277). Drop the guard before the `.await`, or use
// `tokio::sync::Mutex` when the lock must be held across it.
use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn save(total: u64) {
    tokio::time::sleep(Duration::from_millis(10)).await;
    println!("saved {total}");
}

fn main() {
    let total = Arc::new(Mutex::new(0u64));
    let in_task = Arc::clone(&total);
    let _task = tokio::spawn(async move {
        let mut guard = in_task.lock().unwrap();
        *guard += 1;
        save(*guard).await;
    });
}
