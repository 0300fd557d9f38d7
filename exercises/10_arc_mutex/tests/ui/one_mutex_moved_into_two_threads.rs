// Two threads must lock the SAME mutex to be protected from each other. In C++ you can give
// both threads a reference to a mutex on the stack, and it may be destroyed while they still
// use it. In Rust a `move` closure takes the `Mutex` itself, so it cannot also go to a second
// thread (E0382: use of a moved value). Share it with `Arc<Mutex<_>>`, one clone per thread.
use std::sync::Mutex;
use std::thread;

fn main() {
    let total = Mutex::new(0);
    let first = thread::spawn(move || *total.lock().unwrap() += 1);
    let second = thread::spawn(move || *total.lock().unwrap() += 1);
    first.join().unwrap();
    second.join().unwrap();
}
