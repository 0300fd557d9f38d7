//! A fast producer feeding a slow consumer, with backpressure.
//!
//! As shipped, the producer pushes every item into an unbounded channel at once: nothing ever
//! tells it to slow down, so a slow consumer lets the queue (and its memory) grow without limit.

use std::sync::mpsc::{self, Receiver};
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
    on_full: F,
) -> (Receiver<T>, JoinHandle<usize>)
where
    T: Send + 'static,
    F: FnMut(usize) + Send + 'static,
{
    // TODO: an unbounded channel never pushes back. Make one that holds at most `capacity`
    // items (look at `mpsc::sync_channel`).
    let (tx, rx) = mpsc::channel();
    let _ = capacity;

    let producer = thread::spawn(move || {
        // The callback lives as long as the producer does.
        let _ = &on_full;
        let mut sent = 0;
        for item in items {
            // TODO: first try to send without waiting. If the channel is full, report it with
            // `on_full(sent)` and then wait in a blocking send.
            if tx.send(item).is_err() {
                // The consumer hung up: nobody will ever read the rest.
                break;
            }
            sent += 1;
        }
        sent
    });

    (rx, producer)
}
