// `Rc` counts its owners with plain, non-atomic adds and subtracts. If two threads cloned or
// dropped the same `Rc` at once, one update could be lost: the count goes wrong, and the value
// is freed while a thread still uses it (a use-after-free, as with a hand-rolled non-atomic
// reference count in C++). `Rc` is not `Send`, so `thread::spawn` refuses it (E0277). `Arc`
// counts atomically and may cross threads.
use std::rc::Rc;
use std::thread;

fn main() {
    let config = Rc::new(String::from("verbose"));
    let for_worker = Rc::clone(&config);
    let worker = thread::spawn(move || println!("worker sees {for_worker}"));
    println!("main sees {config}");
    worker.join().unwrap();
}
