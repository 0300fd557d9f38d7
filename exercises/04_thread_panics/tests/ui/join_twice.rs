// A thread can be joined once. In C++, calling `join` on a `std::thread` that was already
// joined throws `std::system_error`. With raw POSIX threads it is undefined behaviour: the
// thread id may already belong to a newer thread, so the second join can wait for the
// wrong thread. In Rust, `join` takes the `JoinHandle` by value: after the first join the
// handle is gone, and a second join is a use of a moved value (E0382).
use std::thread;

fn main() {
    let worker = thread::spawn(|| 6 * 7);

    let first = worker.join();
    println!("first join: {first:?}");

    let again = worker.join(); // "just to be sure it is done"
    println!("second join: {again:?}");
}
