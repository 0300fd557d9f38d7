//! Behaviour tests for `spawn_producer` and `receive_all`.

use std::sync::mpsc;
use std::thread;

use channels::{receive_all, spawn_producer};
use testkit::{STEP_LIMIT, within_or_explain};

const CLOSES_HINT: &str = "a receiving loop ends only when every `Sender` is dropped: does the \
     producer thread own the only `tx`, and does it end after its last send?";

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
        move || receive_all(spawn_producer(values)),
    );

    assert!(
        received == expected,
        "expected the 1000 values 0, 1, ..., 999 in order, but received {}. Does the producer \
         thread send every value? Does `receive_all` keep receiving until the channel closes?",
        summary(&received)
    );
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
        receive_all(rx)
    });

    producer.join().expect("the test's producer does not panic");
    assert_eq!(
        received,
        ["alpha", "beta", "gamma"],
        "`receive_all` should return every message until the channel closes; one `recv()` \
         takes only one message, so loop (a `Receiver` is an iterator)"
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
        receive_all(rx)
    });

    assert_eq!(
        received,
        [3, 1, 4, 1, 5],
        "messages sent before the sender was dropped must still be received, in order"
    );
}

#[test]
fn an_empty_stream_closes_at_once() {
    let received: Vec<String> = within_or_explain(
        STEP_LIMIT,
        "receive_all(spawn_producer(vec![]))",
        CLOSES_HINT,
        || receive_all(spawn_producer(Vec::new())),
    );

    assert!(
        received.is_empty(),
        "nothing was produced, so nothing should be received, got {received:?}"
    );
}
