//! Behaviour tests for `spawn_producer` and `receive_all`.

use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver};
use std::thread;

use channels::{receive_all, spawn_producer};
use testkit::{STEP_LIMIT, within_or_explain};

const CLOSES_HINT: &str = "a receiving loop ends only when every `Sender` is dropped: does the \
     producer thread own the only `tx`, and does it end after its last send?";

/// Runs `receive_all(rx)`, and turns a panic inside it into a failure that names the mistake.
fn receive_calmly<T>(rx: Receiver<T>) -> Vec<T> {
    match panic::catch_unwind(AssertUnwindSafe(|| receive_all(rx))) {
        Ok(received) => received,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|text| text.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            panic!(
                "`receive_all` panicked (\"{message}\") at the end of the stream: once every \
                 `Sender` is gone and the queue is empty, `recv()` returns `Err(RecvError)`. That \
                 is the stream's normal end, not a bug: stop receiving there instead of \
                 unwrapping it (`for msg in rx` does exactly that)"
            )
        }
    }
}

/// Fails with a message that names the mistake when `received` is not `expected`: a stream cut
/// short, values in another order, values twice.
fn assert_stream<T: std::fmt::Debug + PartialEq>(received: &[T], expected: &[T], what: &str) {
    if received == expected {
        return;
    }
    if received.is_empty() {
        panic!(
            "not one of the {} values {what} arrived: does `spawn_producer` spawn a thread that \
             owns `tx` and sends each value, and does `receive_all` receive until the channel \
             closes?",
            expected.len()
        );
    }
    if received.len() < expected.len() && expected.starts_with(received) {
        panic!(
            "`receive_all` stopped after {} of the {} values {what}: it must keep receiving until \
             the channel closes. One `recv()` takes one message; loop (`for msg in rx`), and the \
             loop ends by itself when every `Sender` is gone. (Got {})",
            received.len(),
            expected.len(),
            summary(received)
        );
    }
    if received.len() == expected.len() && expected.iter().all(|value| received.contains(value)) {
        panic!(
            "the values {what} all arrived, but out of order: a channel keeps one sender's order, \
             so send them from the first to the last (`for value in values`; `values.pop()` \
             takes the last one first). Got {}",
            summary(received)
        );
    }
    panic!(
        "expected {} {what}, but received {}. Does the producer thread send every value, once? \
         Does `receive_all` keep receiving until the channel closes?",
        summary(expected),
        summary(received)
    );
}

/// Shows a long list briefly in a failure message.
fn summary<T: std::fmt::Debug>(values: &[T]) -> String {
    if values.len() <= 8 {
        format!("{values:?}")
    } else {
        format!(
            "{} values: {:?} ... {:?}",
            values.len(),
            &values[..4],
            &values[values.len() - 2..]
        )
    }
}

#[test]
fn every_value_from_the_producer_arrives_in_order() {
    let expected: Vec<u32> = (0..1000).collect();
    let values = expected.clone();

    let received = within_or_explain(
        STEP_LIMIT,
        "receive_all(spawn_producer(..))",
        CLOSES_HINT,
        move || receive_calmly(spawn_producer(values)),
    );

    assert_stream(&received, &expected, "from `spawn_producer`");
}

#[test]
fn receiving_continues_until_the_channel_closes() {
    // The test's own producer: three messages, then it ends and its `tx` is dropped.
    let (tx, rx) = mpsc::channel();
    let producer = thread::spawn(move || {
        for word in ["alpha", "beta", "gamma"] {
            tx.send(word.to_string())
                .expect("the receiver is alive during the test");
        }
    });

    let received = within_or_explain(STEP_LIMIT, "receive_all", CLOSES_HINT, move || {
        receive_calmly(rx)
    });

    producer.join().expect("the test's producer does not panic");
    assert_stream(
        &received,
        &["alpha", "beta", "gamma"].map(String::from),
        "of the test's producer",
    );
}

#[test]
fn messages_from_a_finished_producer_are_not_lost() {
    // Everything is sent, and the only sender dropped, before anyone receives: the messages
    // wait in the channel, and the channel reports closed only after the last one is read.
    let (tx, rx) = mpsc::channel();
    for n in [3, 1, 4, 1, 5] {
        tx.send(n).expect("the receiver is alive");
    }
    drop(tx);

    let received = within_or_explain(STEP_LIMIT, "receive_all", CLOSES_HINT, move || {
        receive_calmly(rx)
    });

    assert_stream(
        &received,
        &[3, 1, 4, 1, 5],
        "sent before the only sender was dropped",
    );
}

#[test]
fn an_empty_stream_closes_at_once() {
    let received: Vec<String> = within_or_explain(
        STEP_LIMIT,
        "receive_all(spawn_producer(vec![]))",
        CLOSES_HINT,
        || receive_calmly(spawn_producer(Vec::new())),
    );

    assert!(
        received.is_empty(),
        "nothing was produced, so nothing should be received, got {received:?}"
    );
}
