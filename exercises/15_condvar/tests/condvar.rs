//! Behaviour tests for the bounded queue. Each blocking step runs under `within`, so a missing
//! notify is a clear "timed out" failure, not a frozen test run.
//!
//! Before a test wakes a thread, it waits until `waiting_to_pop`/`waiting_to_push` says that the
//! thread really is asleep. That turns "woken by a push" into a certainty rather than a race.

use condvar::{BoundedQueue, Closed, Signal};
use std::sync::Arc;
use std::thread::{self, JoinHandle, ThreadId};
use testkit::{STEP_LIMIT, within_or_explain};

/// The advice when a consumer never went to sleep on `not_empty`.
const POP_MUST_SLEEP: &str = "`pop` never fell asleep on `not_empty`: on an empty, open queue it \
     must wait on the given Signal until an item arrives (a loop that only re-locks and looks \
     again burns a core)";
/// The advice when a producer never went to sleep on `not_full`.
const PUSH_MUST_SLEEP: &str = "`push` never fell asleep on `not_full`: on a full queue it must \
     wait on the given Signal until there is room (a loop that only re-locks and looks again \
     burns a core)";
/// The advice when a push did not wake the consumer asleep in `pop`.
const PUSH_MUST_NOTIFY: &str = "the consumer slept on through the push: after adding an item, \
     `push` must notify `not_empty`";
/// The advice when a pop did not wake the producer asleep in `push`.
const POP_MUST_NOTIFY: &str = "the producer slept on after a pop made room: after removing an \
     item, `pop` must notify `not_full`";

/// The advice when a consumer woke up and `pop` returned without looking at the queue again.
const POP_IF_NOT_WHILE: &str = "`pop` returned while the queue was empty and open: it woke up \
     after another consumer had taken the item, and did not look again. Wait in a `while` loop \
     (or `wait_while`), not an `if`: a wakeup only means \"look again\"";
/// The advice when a producer woke up and `push` added its item without looking again.
const PUSH_IF_NOT_WHILE: &str = "`push` added an item to a full queue: it woke up after another \
     producer had taken the free place, and did not look again. Wait in a `while` loop (or \
     `wait_while`), not an `if`: a wakeup only means \"look again\"";
/// The advice when `close` did not wake every consumer.
const CLOSE_MUST_WAKE_CONSUMERS: &str = "`close` did not wake every consumer asleep in `pop`: \
     it must wake them all, with `notify_all` on `not_empty` (`notify_one` wakes only one)";
/// The advice when `close` did not wake every producer.
const CLOSE_MUST_WAKE_PRODUCERS: &str = "`close` did not wake every producer asleep in `push`: \
     it must wake them all, with `notify_all` on `not_full` too (`notify_one` wakes only one)";
/// The advice when consumers woke up after `close` and waited again.
const POP_MUST_SEE_CLOSED: &str = "the consumers woke up after `close` but went back to sleep: \
     `pop` must stop waiting once the queue is closed, and return None when it is empty too";
/// The advice when `pop` waited on a closed, empty queue.
const POP_ON_CLOSED: &str = "`pop` waited on a closed, empty queue: `pop` must stop waiting \
     once the queue is closed, and return None when it is empty too";
/// The advice when producers woke up after `close` and waited again.
const PUSH_MUST_SEE_CLOSED: &str = "the producers woke up after `close` but went back to sleep: \
     `push` must stop waiting once the queue is closed, and hand its item back in \
     `Err(Closed(item))`";

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

/// Spins until every thread in `threads` has woken up more often than `before` says.
fn until_woken(threads: &[ThreadId], before: &[usize]) {
    while threads
        .iter()
        .zip(before)
        .any(|(&thread, &before)| Signal::wakeups(thread) <= before)
    {
        thread::yield_now();
    }
}

/// Spins until `thread`, which a test told to hold back (`Signal::hold_next_wakeup`), has
/// woken up and is held.
fn until_held(thread: ThreadId) {
    while !Signal::is_held(thread) {
        thread::yield_now();
    }
}

fn join_all<R>(threads: Vec<JoinHandle<R>>) -> Vec<R> {
    threads
        .into_iter()
        .map(|t| t.join().expect("a thread of the test panicked"))
        .collect()
}

#[test]
fn items_come_out_in_the_order_they_went_in() {
    let queue = Arc::new(BoundedQueue::new(4));
    let popped = within_or_explain(
        STEP_LIMIT,
        "4 pushes and 4 pops on one thread",
        "a `push` or `pop` blocked although it did not have to: `push` may only wait while the \
         queue is full, and `pop` only while it is empty",
        {
            let queue = Arc::clone(&queue);
            move || {
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
                (0..4).map(|_| queue.pop()).collect::<Vec<_>>()
            }
        },
    );
    assert_eq!(
        popped,
        [Some("a"), Some("b"), Some("c"), Some("d")],
        "a queue is first in, first out: pop takes from the front, push adds at the back"
    );
    queue.close();
    let (popped, pushed) = within_or_explain(
        STEP_LIMIT,
        "pop and push on a closed queue",
        POP_ON_CLOSED,
        move || (queue.pop(), queue.push("e")),
    );
    assert_eq!(
        popped, None,
        "pop on a closed, empty queue must return None at once"
    );
    assert_eq!(
        pushed,
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
        POP_MUST_SLEEP,
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
        PUSH_MUST_NOTIFY,
        move || consumer.join().expect("the consumer thread panicked"),
    );
    assert_eq!(
        popped,
        Some(7),
        "the woken consumer must get the item that was pushed"
    );
}

#[test]
fn a_consumer_that_wakes_to_an_empty_queue_waits_again() {
    // A consumer falls asleep on an empty queue. A push wakes it, but before it can take the
    // item, another consumer (this thread) takes it: the given Signal holds the woken consumer
    // back, with the lock released, until that has happened. Then the woken consumer finds the
    // queue empty again, and must go back to sleep.
    let queue = Arc::new(BoundedQueue::new(2));
    let consumer = {
        let queue = Arc::clone(&queue);
        thread::spawn(move || queue.pop())
    };
    let id = consumer.thread().id();
    Signal::hold_next_wakeup(id);
    let consumer = within_or_explain(
        STEP_LIMIT,
        "a consumer falling asleep on an empty queue",
        POP_MUST_SLEEP,
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
    let consumer = within_or_explain(
        STEP_LIMIT,
        "a consumer woken by a push, while another consumer takes the item",
        PUSH_MUST_NOTIFY,
        {
            let queue = Arc::clone(&queue);
            move || {
                assert_eq!(
                    queue.push(7),
                    Ok(()),
                    "push into an empty queue must succeed"
                );
                until_held(id);
                // The woken consumer is held back: this thread gets to the item first.
                assert_eq!(
                    queue.pop(),
                    Some(7),
                    "pop on a queue that holds an item must return it"
                );
                Signal::release(id);
                consumer
            }
        },
    );
    let consumer = within_or_explain(
        STEP_LIMIT,
        "a consumer that found the queue empty again",
        POP_MUST_SLEEP,
        {
            let queue = Arc::clone(&queue);
            move || {
                until_asleep(
                    || queue.waiting_to_pop(),
                    1,
                    std::slice::from_ref(&consumer),
                    POP_IF_NOT_WHILE,
                );
                consumer
            }
        },
    );
    let popped = within_or_explain(
        STEP_LIMIT,
        "a consumer woken a second time by a push",
        PUSH_MUST_NOTIFY,
        move || {
            assert_eq!(
                queue.push(8),
                Ok(()),
                "push into an empty queue must succeed"
            );
            consumer.join().expect("the consumer thread panicked")
        },
    );
    assert_eq!(
        popped,
        Some(8),
        "the consumer, woken a second time by a push, must get that item"
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
        PUSH_MUST_SLEEP,
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
        POP_MUST_NOTIFY,
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
fn a_producer_that_wakes_to_a_full_queue_waits_again() {
    // A producer falls asleep on a full queue. A pop wakes it, but before it can use the free
    // place, another producer (this thread) takes it: the given Signal holds the woken producer
    // back until then. The woken producer finds the queue full again, and must sleep again.
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
    let id = producer.thread().id();
    Signal::hold_next_wakeup(id);
    let producer = within_or_explain(
        STEP_LIMIT,
        "a producer falling asleep on a full queue",
        PUSH_MUST_SLEEP,
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
    let producer = within_or_explain(
        STEP_LIMIT,
        "a producer woken by a pop, while another producer takes the free place",
        POP_MUST_NOTIFY,
        {
            let queue = Arc::clone(&queue);
            move || {
                assert_eq!(
                    queue.pop(),
                    Some(1),
                    "pop must return the item at the front"
                );
                until_held(id);
                // The woken producer is held back: this thread fills the free place first.
                assert_eq!(
                    queue.push(3),
                    Ok(()),
                    "push into a queue with room must succeed"
                );
                Signal::release(id);
                producer
            }
        },
    );
    let producer = within_or_explain(
        STEP_LIMIT,
        "a producer that found the queue full again",
        PUSH_MUST_SLEEP,
        {
            let queue = Arc::clone(&queue);
            move || {
                until_asleep(
                    || queue.waiting_to_push(),
                    1,
                    std::slice::from_ref(&producer),
                    PUSH_IF_NOT_WHILE,
                );
                producer
            }
        },
    );
    let (first, pushed, second) = within_or_explain(
        STEP_LIMIT,
        "a producer woken a second time by a pop",
        POP_MUST_NOTIFY,
        move || {
            let first = queue.pop();
            let pushed = producer.join().expect("the producer thread panicked");
            (first, pushed, queue.pop())
        },
    );
    assert_eq!(
        (first, pushed, second),
        (Some(3), Ok(()), Some(2)),
        "expected the other producer's 3 first, and then the woken producer's 2, pushed once \
         a pop made room again"
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
    let ids: Vec<ThreadId> = consumers.iter().map(|c| c.thread().id()).collect();
    let consumers = within_or_explain(
        STEP_LIMIT,
        "three consumers falling asleep on an empty queue",
        POP_MUST_SLEEP,
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
    let before: Vec<usize> = ids.iter().map(|&id| Signal::wakeups(id)).collect();
    queue.close();
    within_or_explain(
        STEP_LIMIT,
        "consumers woken by close",
        CLOSE_MUST_WAKE_CONSUMERS,
        move || until_woken(&ids, &before),
    );
    let results = within_or_explain(
        STEP_LIMIT,
        "consumers returning after close",
        POP_MUST_SEE_CLOSED,
        move || join_all(consumers),
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
    let ids: Vec<ThreadId> = producers.iter().map(|p| p.thread().id()).collect();
    let producers = within_or_explain(
        STEP_LIMIT,
        "two producers falling asleep on a full queue",
        PUSH_MUST_SLEEP,
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
    let before: Vec<usize> = ids.iter().map(|&id| Signal::wakeups(id)).collect();
    queue.close();
    within_or_explain(
        STEP_LIMIT,
        "producers woken by close",
        CLOSE_MUST_WAKE_PRODUCERS,
        move || until_woken(&ids, &before),
    );
    let results = within_or_explain(
        STEP_LIMIT,
        "producers returning after close",
        PUSH_MUST_SEE_CLOSED,
        move || join_all(producers),
    );
    assert_eq!(
        results,
        [Err(Closed(20)), Err(Closed(30))],
        "a push that was waiting when the queue closed must fail and hand its item back"
    );
    let drained = within_or_explain(
        STEP_LIMIT,
        "draining a closed queue",
        POP_ON_CLOSED,
        move || (queue.pop(), queue.pop()),
    );
    assert_eq!(
        drained.0,
        Some(10),
        "items pushed before close must still be delivered"
    );
    assert_eq!(
        drained.1, None,
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
        PUSH_MUST_SLEEP,
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
