// After `move`, the thread owns the vector; the spawning thread must not touch it any more.
// In Java, both threads would share one `ArrayList`: sorting it on one thread while the other
// adds to it can corrupt it or throw `ConcurrentModificationException`, depending on timing.
// Rust rejects it: the vector was moved into the closure, so using it here is a use of a moved
// value (E0382). To keep using it, have the thread hand it back as its return value.
use std::thread;

fn main() {
    let mut orders = vec![3, 1, 2];
    let sorter = thread::spawn(move || {
        orders.sort();
        orders.len()
    });
    orders.push(4); // would race with the sort
    println!("{}", sorter.join().unwrap());
}
