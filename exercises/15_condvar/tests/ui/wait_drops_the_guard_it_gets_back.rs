// In C, nothing ties a mutex to the data it protects. A thread can wait on a condition
// variable and then go on using a pointer it took before the wait, while other threads changed
// the data during the sleep: a data race that compiles and runs. Rust puts the data behind the
// guard, and `Condvar::wait` takes the guard by value, because the lock is released while you
// sleep. The old guard is gone (E0382); the only way back to the data is the guard `wait` returns.
use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};

fn main() {
    let queue = Mutex::new(VecDeque::<u32>::new());
    let item_ready = Condvar::new();
    let items = queue.lock().unwrap();
    while items.is_empty() {
        // Bug: throws away the guard that `wait` hands back, and keeps using `items`.
        let _ = item_ready.wait(items);
    }
    println!("{:?}", items.front());
}
