//! A producer thread streams values through a channel; the receiver takes all of them.

use std::sync::mpsc::{self, Receiver};
use std::thread;

/// Starts a producer thread that sends every value of `values`, in order, and then ends.
///
/// Returns the receiving end at once, while the producer may still be sending. When the
/// producer is done, its `Sender` is dropped, so the channel closes after the last value.
/// If the receiver is dropped early, the producer stops quietly: no panic.
pub fn spawn_producer<T: Send + 'static>(mut values: Vec<T>) -> Receiver<T> {
    let (tx, rx) = mpsc::channel();
    // `move` gives the thread the only `Sender`: when the thread ends, the channel closes.
    thread::spawn(move || {
        while let Some(value) = values.pop() {
            // An error means the receiver was dropped; nobody wants the rest.
            if tx.send(value).is_err() {
                break;
            }
        }
    });
    rx
}

/// Receives messages until the channel closes (every `Sender` dropped and nothing left to
/// read) and returns them in the order they arrived.
pub fn receive_all<T>(rx: Receiver<T>) -> Vec<T> {
    let mut received = Vec::new();
    // Iterating blocks for each message and ends only when every sender is gone, so
    // nothing in flight is missed. One sender's messages arrive in the order it sent them.
    for msg in rx {
        received.push(msg);
    }
    received
}
