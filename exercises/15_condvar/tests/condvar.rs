//! Behaviour tests for the bounded queue. Each blocking step runs under `within`, so a missing
//! notify is a clear "timed out" failure, not a frozen test run.
//!
//! Before a test wakes a thread, it waits until `waiting_to_pop`/`waiting_to_push` says that the
//! thread really is asleep. That turns "woken by a push" into a certainty rather than a race.

use condvar::{BoundedQueue, Closed};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use testkit::{STEP_LIMIT, within_or_explain};

/// Spins until `asleep()` reaches `count`. If one of `threads` returns instead of going to
/// sleep, fails at once with `early`.
fn until_asleep<R>(
    asleep: impl Fn() -> usize,
    count: usize,
    threads: &[JoinHandle<R>],
    early: &str,
) {
    while asleep() < count {
        assert!(!threads.iter().any(JoinHandle::is_finished), "{early}");
        thread::yield_now();
    }
}

#[test]
fn items_come_out_in_the_order_they_went_in() {
    let queue = BoundedQueue::new(4);
    for item in ["a", "b", "c", "d"] {
        assert_eq!(
            queue.push(item),
            Ok(()),
            "push into a queue with room must succeed"
        );
    }
    assert_eq!(
        queue.len(),
        4,
        "four pushes into an empty queue must leave four items"
    );
    let popped: Vec<_> = (0..4).map(|_| queue.pop()).collect();
    assert_eq!(
        popped,
        [Some("a"), Some("b"), Some("c"), Some("d")],
        "a queue is first in, first out: pop takes from the front, push adds at the back"
    );
    queue.close();
    assert_eq!(
        queue.pop(),
        None,
        "pop on a closed, empty queue must return None at once"
    );
    assert_eq!(
        queue.push("e"),
        Err(Closed("e")),
        "push after close must fail and hand the item back"
    );
}

#[test]
fn a_push_wakes_a_consumer_blocked_on_an_empty_queue() {
    let queue = Arc::new(BoundedQueue::new(2));
    let consumer = {
        let queue = Arc::clone(&queue);
        thread::spawn(move || queue.pop())
    };
    let consumer = within_or_explain(
        STEP_LIMIT,
        "a consumer falling asleep on an empty queue",
        "pop on an empty, open queue must sleep on `not_empty` (the given Signal) until an item arrives",
        {
            let queue = Arc::clone(&queue);
            move || {
                until_asleep(
                    || queue.waiting_to_pop(),
                    1,
                    std::slice::from_ref(&consumer),
                    "pop on an empty, open queue returned instead of waiting for an item",
                );
                consumer
            }
        },
    );
    // The consumer is asleep now: only a notify can wake it.
    assert_eq!(
        queue.push(7),
        Ok(()),
        "push into an empty queue must succeed"
    );
    let popped = within_or_explain(
        STEP_LIMIT,
        "a consumer woken by a push",
        "the consumer slept on through the push: after adding an item, `push` must notify `not_empty`",
        move || consumer.join().expect("the consumer thread panicked"),
    );
    assert_eq!(
        popped,
        Some(7),
        "the woken consumer must get the item that was pushed"
    );
}

#[test]
fn a_pop_wakes_a_producer_blocked_on_a_full_queue() {
    let queue = Arc::new(BoundedQueue::new(1));
    assert_eq!(
        queue.push(1),
        Ok(()),
        "push into an empty queue must succeed"
    );
    let producer = {
        let queue = Arc::clone(&queue);
        thread::spawn(move || queue.push(2))
    };
    let producer = within_or_explain(
        STEP_LIMIT,
        "a producer falling asleep on a full queue",
        "push on a full queue must sleep on `not_full` (the given Signal) until there is room",
        {
            let queue = Arc::clone(&queue);
            move || {
                until_asleep(
                    || queue.waiting_to_push(),
                    1,
                    std::slice::from_ref(&producer),
                    "push on a full queue returned instead of waiting for room: \
                     while the queue holds `capacity` items, `push` must sleep on `not_full`",
                );
                producer
            }
        },
    );
    assert_eq!(
        queue.pop(),
        Some(1),
        "pop must return the item at the front"
    );
    let pushed = within_or_explain(
        STEP_LIMIT,
        "a producer woken by a pop",
        "the producer slept on after a pop made room: after removing an item, `pop` must notify `not_full`",
        move || producer.join().expect("the producer thread panicked"),
    );
    assert_eq!(
        pushed,
        Ok(()),
        "the woken producer's push must succeed: the queue is open"
    );
    assert_eq!(
        queue.pop(),
        Some(2),
        "the woken producer's item must be in the queue"
    );
}

#[test]
fn close_wakes_every_blocked_consumer() {
    let queue = Arc::new(BoundedQueue::<u32>::new(1));
    let consumers: Vec<_> = (0..3)
        .map(|_| {
            let queue = Arc::clone(&queue);
            thread::spawn(move || queue.pop())
        })
        .collect();
    let consumers = within_or_explain(
        STEP_LIMIT,
        "three consumers falling asleep on an empty queue",
        "pop on an empty, open queue must sleep on `not_empty` (the given Signal)",
        {
            let queue = Arc::clone(&queue);
            move || {
                until_asleep(
                    || queue.waiting_to_pop(),
                    3,
                    &consumers,
                    "pop on an empty, open queue returned instead of waiting",
                );
                consumers
            }
        },
    );
    queue.close();
    let results = within_or_explain(
        STEP_LIMIT,
        "consumers woken by close",
        "close set the flag, but the sleepers never heard about it: \
         `close` must wake every sleeper (notify_all), not one or none",
        move || {
            consumers
                .into_iter()
                .map(|c| c.join().expect("a consumer thread panicked"))
                .collect::<Vec<_>>()
        },
    );
    assert_eq!(
        results,
        [None, None, None],
        "consumers woken by close on an empty queue must all return None"
    );
}

#[test]
fn close_hands_blocked_producers_their_items_back() {
    let queue = Arc::new(BoundedQueue::new(1));
    assert_eq!(
        queue.push(10),
        Ok(()),
        "push into an empty queue must succeed"
    );
    let producers: Vec<_> = [20, 30]
        .into_iter()
        .map(|item| {
            let queue = Arc::clone(&queue);
            thread::spawn(move || queue.push(item))
        })
        .collect();
    let producers = within_or_explain(
        STEP_LIMIT,
        "two producers falling asleep on a full queue",
        "push on a full queue must sleep on `not_full` (the given Signal)",
        {
            let queue = Arc::clone(&queue);
            move || {
                until_asleep(
                    || queue.waiting_to_push(),
                    2,
                    &producers,
                    "push on a full queue returned instead of waiting for room: \
                     while the queue holds `capacity` items, `push` must sleep on `not_full`",
                );
                producers
            }
        },
    );
    queue.close();
    let results = within_or_explain(
        STEP_LIMIT,
        "producers woken by close",
        "close set the flag, but the producers asleep on `not_full` never heard about it: \
         `close` must wake them all",
        move || {
            producers
                .into_iter()
                .map(|p| p.join().expect("a producer thread panicked"))
                .collect::<Vec<_>>()
        },
    );
    assert_eq!(
        results,
        [Err(Closed(20)), Err(Closed(30))],
        "a push that was waiting when the queue closed must fail and hand its item back"
    );
    assert_eq!(
        queue.pop(),
        Some(10),
        "items pushed before close must still be delivered"
    );
    assert_eq!(
        queue.pop(),
        None,
        "once closed and drained, pop must return None"
    );
}

#[test]
fn many_producers_and_consumers_move_every_item_exactly_once() {
    const PRODUCERS: u32 = 4;
    const CONSUMERS: usize = 4;
    const PER_PRODUCER: u32 = 250;
    let queue = Arc::new(BoundedQueue::new(4));
    // Producers start first, so they certainly fill the queue and fall asleep.
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let queue = Arc::clone(&queue);
            thread::spawn(move || {
                for i in 0..PER_PRODUCER {
                    queue
                        .push(p * 1000 + i)
                        .expect("nobody closes the queue while producers run");
                }
            })
        })
        .collect();
    let producers = within_or_explain(
        STEP_LIMIT,
        "producers filling the queue and falling asleep",
        "push on a full queue must sleep on `not_full` (the given Signal)",
        {
            let queue = Arc::clone(&queue);
            move || {
                until_asleep(
                    || queue.waiting_to_push(),
                    PRODUCERS as usize,
                    &producers,
                    "a producer pushed all its items without ever waiting, although the queue \
                     holds only 4: push must sleep on `not_full` while the queue is full",
                );
                producers
            }
        },
    );
    assert!(
        queue.len() <= queue.capacity(),
        "the queue holds {} items but has room for only {}",
        queue.len(),
        queue.capacity()
    );
    let per_consumer = within_or_explain(
        STEP_LIMIT,
        "4 producers and 4 consumers moving 1000 items",
        "some thread slept forever: after each push notify `not_empty`, after each pop notify \
         `not_full`, and make `close` wake everyone",
        move || {
            let consumers: Vec<_> = (0..CONSUMERS)
                .map(|_| {
                    let queue = Arc::clone(&queue);
                    thread::spawn(move || {
                        let mut got = Vec::new();
                        while let Some(item) = queue.pop() {
                            got.push(item);
                        }
                        got
                    })
                })
                .collect();
            for producer in producers {
                producer.join().expect("a producer thread panicked");
            }
            queue.close();
            consumers
                .into_iter()
                .map(|c| c.join().expect("a consumer thread panicked"))
                .collect::<Vec<_>>()
        },
    );
    for got in &per_consumer {
        for p in 0..PRODUCERS {
            let from_p: Vec<_> = got.iter().filter(|&&item| item / 1000 == p).collect();
            assert!(
                from_p.is_sorted(),
                "a consumer got producer {p}'s items out of order: the queue must be first in, first out"
            );
        }
    }
    let mut all: Vec<u32> = per_consumer.into_iter().flatten().collect();
    all.sort_unstable();
    let expected: Vec<u32> = (0..PRODUCERS)
        .flat_map(|p| (0..PER_PRODUCER).map(move |i| p * 1000 + i))
        .collect();
    assert_eq!(
        all.len(),
        expected.len(),
        "the consumers got {} items, but {} were pushed: every item must come out exactly once",
        all.len(),
        expected.len()
    );
    assert!(all == expected, "some items were lost or delivered twice");
}
