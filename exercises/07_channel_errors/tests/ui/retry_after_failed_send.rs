// In C++, `queue.push(std::move(msg))` leaves `msg` moved-from even when the push throws or
// the queue is closed; a retry then quietly sends an empty string. In Rust, `send` takes the
// value by move whether it succeeds or not, and the compiler won't let you touch the moved
// variable again. A failed send is not a loss: the value comes back inside the error, as
// `SendError(value)`, so take it from there.
use std::sync::mpsc;

fn main() {
    let (tx, rx) = mpsc::channel::<String>();
    drop(rx); // the listener has gone away

    let alert = String::from("disk almost full");
    if tx.send(alert).is_err() {
        eprintln!("nobody is listening; logging it here instead: {alert}");
    }
}
