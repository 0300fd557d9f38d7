//! The tests play the consumer. They never guess with timing whether the producer is blocked:
//! a bounded producer says so itself by calling `on_full` just before it waits, and an
//! unbounded one never waits, so it runs to the end. The consumer takes an item only after one
//! of those two things has happened, so it always checks the producer at its furthest point.

use bounded_channels::spawn_producer;
use std::sync::mpsc::{self, Receiver};
use std::thread::JoinHandle;
use testkit::{STEP_LIMIT, within_or_explain};

const FULL_HINT: &str = "the producer never said the channel was full, and it did not finish \
either, so it is probably blocked in `send` (good!) without calling `on_full` first. Try \
`try_send`; on `TrySendError::Full(item)` call `on_full(sent)` and then wait with `send(item)`";

/// Starts the producer on the items `0..count`. The third value receives every `sent` that
/// the producer passes to `on_full`; it disconnects when the producer is gone.
fn start(count: u32, capacity: usize) -> (Receiver<u32>, JoinHandle<usize>, Receiver<usize>) {
    let (full_tx, full_rx) = mpsc::channel();
    let (rx, producer) = spawn_producer((0..count).collect(), capacity, move |sent| {
        // The test may have stopped listening; that is not the producer's problem.
        let _ = full_tx.send(sent);
    });
    (rx, producer, full_rx)
}

/// A slow consumer: before each `recv` it waits until the producer is as far ahead as it can
/// get (it reported a full channel, or it finished), and checks that lead. Returns what it
/// received, in order.
fn consume_slowly(count: u32, capacity: usize) -> Vec<u32> {
    let (rx, producer, full) = start(count, capacity);
    let mut received = Vec::new();
    // `recv` fails only once the producer, and with it `on_full`, is gone.
    while let Ok(sent) = full.recv() {
        assert!(
            sent <= received.len() + capacity,
            "the producer had sent {sent} items when the consumer had taken {}: it ran {} ahead, \
             but capacity is {capacity}. Is the channel bigger than `capacity`? \
             `mpsc::sync_channel(capacity)` lets the producer run exactly `capacity` ahead",
            received.len(),
            sent - received.len(),
        );
        let item = rx
            .recv()
            .expect("the producer said the channel was full, yet no item arrived");
        received.push(item);
    }
    let sent = producer
        .join()
        .expect("the producer thread panicked (see its message above)");
    assert_eq!(
        sent, count as usize,
        "the consumer never hung up, so the producer should have sent all {count} items"
    );
    // Everything sent and not yet received is sitting in the channel.
    let queued = sent - received.len();
    assert!(
        queued <= capacity,
        "the producer finished all {sent} items while the consumer had taken only {}: {queued} \
         items piled up in the channel, but capacity is {capacity}. An unbounded \
         `mpsc::channel()` never makes the producer wait; `mpsc::sync_channel(capacity)` does",
        received.len(),
    );
    received.extend(rx.iter());
    received
}

#[test]
fn the_producer_waits_once_the_channel_is_full() {
    within_or_explain(STEP_LIMIT, "waiting for a full channel", FULL_HINT, || {
        let (rx, _producer, full) = start(10, 2);
        // Nobody receives: after 2 items the producer must find the channel full.
        match full.recv() {
            Ok(sent) => assert_eq!(
                sent, 2,
                "`on_full` should get how many items were sent before the channel filled up"
            ),
            Err(_) => panic!(
                "the producer sent all 10 items while nobody received a single one; with \
                 capacity 2 it should have found the channel full after 2. Is the channel made \
                 with `mpsc::sync_channel(capacity)`, and does the producer call `on_full` \
                 before it waits?"
            ),
        }
        drop(rx);
    });
}

#[test]
fn the_producer_never_runs_more_than_capacity_ahead() {
    let received = within_or_explain(STEP_LIMIT, "a slow consumer", FULL_HINT, || {
        consume_slowly(20, 3)
    });
    assert_eq!(
        received,
        (0..20).collect::<Vec<_>>(),
        "every item must arrive once, in the order it was produced"
    );
}

#[test]
fn a_zero_capacity_channel_hands_over_one_item_at_a_time() {
    let received = within_or_explain(STEP_LIMIT, "a rendezvous", FULL_HINT, || {
        consume_slowly(6, 0)
    });
    assert_eq!(
        received,
        (0..6).collect::<Vec<_>>(),
        "every item must arrive once, in the order it was produced"
    );
}

#[test]
fn the_producer_stops_when_the_consumer_hangs_up() {
    let sent = within_or_explain(STEP_LIMIT, "a consumer that hangs up", FULL_HINT, || {
        let (rx, producer, full) = start(10, 1);
        assert_eq!(
            full.recv().ok(),
            Some(1),
            "with capacity 1 and nobody receiving, the producer should report a full channel \
             after sending 1 item"
        );
        // The producer is now waiting for room that will never come.
        drop(rx);
        producer.join().expect(
            "the producer panicked after the consumer dropped the `Receiver`: a failed send \
             means \"stop\", so break out of the loop instead of unwrapping",
        )
    });
    assert_eq!(
        sent, 1,
        "only 1 item fitted before the consumer hung up, so `join` should return 1"
    );
}

#[test]
fn a_fast_consumer_gets_every_item_in_order() {
    let (received, sent) = within_or_explain(STEP_LIMIT, "a fast consumer", FULL_HINT, || {
        let (rx, producer, _full) = start(100, 4);
        let received: Vec<u32> = rx.iter().collect();
        (
            received,
            producer.join().expect("the producer thread panicked"),
        )
    });
    assert_eq!(
        received,
        (0..100).collect::<Vec<_>>(),
        "every item must arrive once, in the order it was produced"
    );
    assert_eq!(sent, 100, "`join` should return how many items were sent");
}
