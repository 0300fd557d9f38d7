//! An alternative solution to 05_channels, in another style than the reference: the
//! producer is a `try_for_each` over the values and the receiver an explicit `recv` loop.
//! The course's tests must accept it too.

use std::sync::mpsc::{self, Receiver};
use std::thread;

/// Starts a producer thread that sends every value of `values`, in order, and then ends.
pub fn spawn_producer<T: Send + 'static>(values: Vec<T>) -> Receiver<T> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        // Stops at the first `SendError` (the receiver is gone); the result is not needed.
        let _ = values.into_iter().try_for_each(|value| tx.send(value));
    });
    rx
}

/// Receives messages until the channel closes and returns them in arrival order.
pub fn receive_all<T>(rx: Receiver<T>) -> Vec<T> {
    let mut received = Vec::new();
    // `recv` gives `Err(RecvError)` only once every sender is dropped and the buffer is empty.
    while let Ok(msg) = rx.recv() {
        received.push(msg);
    }
    received
}
