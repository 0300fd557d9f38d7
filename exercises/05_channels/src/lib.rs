//! A producer thread streams values through a channel; the receiver takes all of them.

use std::sync::mpsc::{self, Receiver};

/// Starts a producer thread that sends every value of `values`, in order, and then ends.
///
/// Returns the receiving end at once, while the producer may still be sending. When the
/// producer is done, its `Sender` is dropped, so the channel closes after the last value.
/// If the receiver is dropped early, the producer stops quietly: no panic.
pub fn spawn_producer<T: Send + 'static>(values: Vec<T>) -> Receiver<T> {
    let (tx, rx) = mpsc::channel();
    // TODO: spawn a thread that owns `tx` and `values` (a `move` closure) and sends each
    //       value in order. `send` returns an `Err` once the receiver is gone.
    //       As it is, nothing is sent: both are dropped here, and the channel closes empty.
    let _ = (tx, values);
    rx
}

/// Receives messages until the channel closes (every `Sender` dropped and nothing left to
/// read) and returns them in the order they arrived.
pub fn receive_all<T>(rx: Receiver<T>) -> Vec<T> {
    let mut received = Vec::new();
    // TODO: `recv` hands over ONE message. Keep receiving until the channel closes: a
    //       `Receiver` is an iterator that ends exactly then.
    if let Ok(msg) = rx.recv() {
        received.push(msg);
    }
    received
}
