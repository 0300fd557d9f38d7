//! Channel operations that fail, and saying how they failed instead of panicking.

use std::sync::mpsc::{Receiver, RecvTimeoutError, SendError, Sender, TryRecvError};
use std::time::Duration;

/// How [`send_all`] went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendReport<T> {
    /// Every value was sent; `sent` is how many.
    AllSent { sent: usize },
    /// The receiver was dropped. `sent` values went out before that; `unsent` holds the value
    /// whose send failed and every value after it, in order.
    ReceiverGone { sent: usize, unsent: Vec<T> },
}

/// Why a receiving function stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// No message was waiting (or none came in time), but some `Sender` is still alive, so
    /// more may come later.
    Idle,
    /// Every `Sender` is gone and every message has been read: nothing will ever come.
    Closed,
}

/// What a receiving function got, and why it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch<T> {
    /// The messages received, in order.
    pub messages: Vec<T>,
    /// Why receiving stopped.
    pub stop: Stop,
}

/// Sends the values in order until they run out or the receiver is gone. Never panics.
///
/// When a send fails, the value comes back inside the `SendError`: nothing is lost, and it
/// goes into `unsent` with the values that were never tried.
pub fn send_all<T>(tx: &Sender<T>, values: impl IntoIterator<Item = T>) -> SendReport<T> {
    let mut values = values.into_iter();
    let mut sent = 0;
    // `by_ref` lets the loop stop early and leave the rest of the values for `unsent`.
    for value in values.by_ref() {
        match tx.send(value) {
            Ok(()) => sent += 1,
            // `send` took the value by move; the error is the only way to get it back.
            Err(SendError(value)) => {
                let mut unsent = vec![value];
                unsent.extend(values);
                return SendReport::ReceiverGone { sent, unsent };
            }
        }
    }
    SendReport::AllSent { sent }
}

/// Takes every message that is waiting right now, without blocking, and says why it
/// stopped: [`Stop::Idle`] if a sender is still alive, [`Stop::Closed`] if all are gone.
pub fn drain_ready<T>(rx: &Receiver<T>) -> Batch<T> {
    let mut messages = Vec::new();
    loop {
        match rx.try_recv() {
            Ok(msg) => messages.push(msg),
            // Nothing waiting now; a live sender may still send later.
            Err(TryRecvError::Empty) => {
                return Batch {
                    messages,
                    stop: Stop::Idle,
                };
            }
            // Reported only after the buffer is empty, so no message is lost.
            Err(TryRecvError::Disconnected) => {
                return Batch {
                    messages,
                    stop: Stop::Closed,
                };
            }
        }
    }
}

/// Receives messages until none arrives for `quiet` ([`Stop::Idle`]) or the channel closes
/// ([`Stop::Closed`]). A closed channel ends it at once, however long `quiet` is.
pub fn receive_until_quiet<T>(rx: &Receiver<T>, quiet: Duration) -> Batch<T> {
    let mut messages = Vec::new();
    loop {
        // Each call waits at most `quiet`, so the silence is measured from the last message.
        match rx.recv_timeout(quiet) {
            Ok(msg) => messages.push(msg),
            Err(RecvTimeoutError::Timeout) => {
                return Batch {
                    messages,
                    stop: Stop::Closed,
                };
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Batch {
                    messages,
                    stop: Stop::Closed,
                };
            }
        }
    }
}
