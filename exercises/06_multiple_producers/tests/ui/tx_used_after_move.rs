// Two producers share one channel. In Go you would share `ch` between goroutines, and someone
// must call `close(ch)` exactly once, after the very last send: close it too early and a later
// send panics at run time ("send on closed channel"); forget to close it and the reader waits
// forever. Rust ties "closed" to ownership instead: the channel closes when its last Sender is
// dropped. Here `tx` was moved into the first thread, so `main` no longer owns it and cannot
// hand it to a second thread (E0382, use of a moved value). Give each producer `tx.clone()`.
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();

    let first = thread::spawn(move || {
        tx.send("hello from the first producer").unwrap();
    });
    let second = thread::spawn(move || {
        tx.send("hello from the second producer").unwrap();
    });

    first.join().unwrap();
    second.join().unwrap();
    for message in rx {
        println!("{message}");
    }
}
