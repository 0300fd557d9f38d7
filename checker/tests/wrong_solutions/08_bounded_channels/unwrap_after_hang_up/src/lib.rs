//! A fast producer feeding a slow consumer, with backpressure.
//!
//! The channel is bounded, so a slow consumer slows the producer down instead of letting the
//! queue (and its memory) grow without limit.

use std::sync::mpsc::{self, Receiver, TrySendError};
use std::thread::{self, JoinHandle};

/// Starts a producer thread that sends every item of `items`, in order, to the returned
/// `Receiver`, and returns that receiver together with the producer's handle.
///
/// What the tests expect:
/// - The channel holds at most `capacity` items. Once it is full, the producer waits until the
///   consumer takes one, so it is never more than `capacity` items ahead of the consumer.
///   With `capacity == 0` every send is a hand-over: it waits until the consumer receives it.
/// - Each time the producer finds the channel full, it first calls `on_full(sent)`, where `sent`
///   is how many items it has sent so far, and only then waits. It calls `on_full` at no
///   other time.
/// - If the consumer drops the `Receiver`, the producer stops early without panicking.
/// - The handle's `join` returns how many items were sent.
pub fn spawn_producer<T, F>(
    items: Vec<T>,
    capacity: usize,
    mut on_full: F,
) -> (Receiver<T>, JoinHandle<usize>)
where
    T: Send + 'static,
    F: FnMut(usize) + Send + 'static,
{
    // A bounded buffer: `send` blocks while it holds `capacity` items. With 0 there is no
    // buffer at all, and each send waits for a matching `recv`.
    let (tx, rx) = mpsc::sync_channel(capacity);

    let producer = thread::spawn(move || {
        let mut sent = 0;
        for item in items {
            // `try_send` never blocks, so it tells us when backpressure kicks in; it hands the
            // item back, and we wait for room with the blocking `send`.
            let delivered = match tx.try_send(item) {
                Ok(()) => true,
                Err(TrySendError::Full(item)) => {
                    on_full(sent);
                    tx.send(item).expect("the consumer is listening");
                    true
                }
                Err(TrySendError::Disconnected(_)) => false,
            };
            if !delivered {
                // The consumer hung up: nobody will ever read the rest.
                break;
            }
            sent += 1;
        }
        sent
    });

    (rx, producer)
}
