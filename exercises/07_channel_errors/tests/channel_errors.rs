//! Behaviour tests for `send_all`, `drain_ready` and `receive_until_quiet`. Every outcome is
//! set up by construction (a receiver dropped before the send, a sender kept alive but idle,
//! every sender dropped), so no verdict depends on how the threads happen to be scheduled.

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::Duration;

use channel_errors::{Batch, SendReport, Stop, drain_ready, receive_until_quiet, send_all};
use testkit::{STEP_LIMIT, within_or_explain};

fn message_of(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "<a non-string panic payload>".to_string()
    }
}

/// Runs `f` with a time limit and turns a panic inside it into a failure that teaches.
fn calmly<T: Send + 'static>(
    what: &str,
    advice: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let outcome = within_or_explain(
        STEP_LIMIT,
        what,
        "this call should return quickly but never did: `recv()` waits forever while a sender \
         lives, and a loop that ignores `Disconnected` never ends. Use `try_recv` (never \
         waits) or `recv_timeout` (waits at most that long), and stop on `Disconnected`",
        move || panic::catch_unwind(AssertUnwindSafe(f)).map_err(|p| message_of(&*p)),
    );
    match outcome {
        Ok(value) => value,
        Err(message) => panic!("`{what}` panicked with \"{message}\": {advice}"),
    }
}

const SEND_ADVICE: &str = "a send to a dropped receiver returns `Err(SendError(value))`; \
     match on it and report `SendReport::ReceiverGone` instead of unwrapping";

#[test]
fn send_all_reports_every_value_delivered() {
    let (tx, rx) = mpsc::channel();

    let report = calmly("send_all", SEND_ADVICE, move || send_all(&tx, 1..=5));

    assert_eq!(
        report,
        SendReport::AllSent { sent: 5 },
        "the receiver was alive the whole time, so all five values should have gone out"
    );
    let received: Vec<u32> = rx.try_iter().collect();
    assert_eq!(
        received,
        [1, 2, 3, 4, 5],
        "the receiver should hold the five values, in order"
    );
}

#[test]
fn send_all_hands_back_every_value_when_the_receiver_is_already_gone() {
    let (tx, rx) = mpsc::channel::<String>();
    drop(rx); // Nobody is listening before the first send.

    let report = calmly("send_all", SEND_ADVICE, move || {
        send_all(&tx, ["first".to_string(), "second".to_string()])
    });

    assert_eq!(
        report,
        SendReport::ReceiverGone {
            sent: 0,
            unsent: vec!["first".to_string(), "second".to_string()],
        },
        "the receiver was dropped before anything was sent: nothing went out, and both values \
         should come back in `unsent` (the first one from inside the `SendError`)"
    );
}

#[test]
fn send_all_stops_when_the_receiver_hangs_up_midway() {
    let (tx, rx) = mpsc::channel::<u32>();
    let arrived = Arc::new(Mutex::new(Vec::new()));

    // Values 1 to 5. Just before value 3 is handed to `send_all`, the receiver reads what has
    // arrived and hangs up, so the send of 3 is certain to fail.
    let mut rx = Some(rx);
    let mut next = 1;
    let record = Arc::clone(&arrived);
    let values = std::iter::from_fn(move || {
        if next == 3
            && let Some(rx) = rx.take()
        {
            record
                .lock()
                .expect("the test's own lock")
                .extend(rx.try_iter());
        }
        let value = (next <= 5).then_some(next);
        next += 1;
        value
    });

    let report = calmly("send_all", SEND_ADVICE, move || send_all(&tx, values));

    assert_eq!(
        *arrived.lock().expect("the test's own lock"),
        [1, 2],
        "values 1 and 2 were sent while the receiver was alive and should have arrived"
    );
    assert_eq!(
        report,
        SendReport::ReceiverGone {
            sent: 2,
            unsent: vec![3, 4, 5],
        },
        "the receiver hung up before value 3: two values were sent, and `unsent` should hold \
         the one that failed (3) followed by the ones never tried (4, 5)"
    );
}

#[test]
fn drain_ready_tells_an_idle_channel_from_a_closed_one() {
    let (tx, rx) = mpsc::channel();
    const ADVICE: &str = "`try_recv` returns `Err(TryRecvError::Empty)` or \
         `Err(TryRecvError::Disconnected)`; map them to `Stop::Idle` and `Stop::Closed`";

    // Two messages wait, and the sender is still alive.
    tx.send(1).expect("the receiver is alive");
    tx.send(2).expect("the receiver is alive");
    let (first, rx) = calmly("drain_ready", ADVICE, move || (drain_ready(&rx), rx));
    assert_eq!(
        first,
        Batch {
            messages: vec![1, 2],
            stop: Stop::Idle,
        },
        "with the sender still alive, `drain_ready` should take both waiting messages and stop \
         with `Stop::Idle` (`TryRecvError::Empty`)"
    );

    // One more message, then the only sender is dropped.
    tx.send(3).expect("the receiver is alive");
    drop(tx);
    let (second, rx) = calmly("drain_ready", ADVICE, move || (drain_ready(&rx), rx));
    assert_eq!(
        second,
        Batch {
            messages: vec![3],
            stop: Stop::Closed,
        },
        "the sender was dropped after sending 3: `drain_ready` should still get 3 (messages \
         outlive their sender), then stop with `Stop::Closed` (`TryRecvError::Disconnected`)"
    );

    let (third, _rx) = calmly("drain_ready", ADVICE, move || (drain_ready(&rx), rx));
    assert_eq!(
        third,
        Batch {
            messages: vec![],
            stop: Stop::Closed,
        },
        "a closed, empty channel should give no messages and `Stop::Closed`"
    );
}

#[test]
fn receive_until_quiet_stops_idle_while_a_sender_waits() {
    let (tx, rx) = mpsc::channel();
    const ADVICE: &str = "`recv_timeout` returns `Err(RecvTimeoutError::Timeout)` when the \
         time runs out; map it to `Stop::Idle`";
    for n in [7, 8, 9] {
        tx.send(n).expect("the receiver is alive");
    }
    // `tx` stays alive (and silent) until the end of the test: more could come, none does.
    let quiet = Duration::from_millis(20);

    let (first, rx) = calmly("receive_until_quiet", ADVICE, move || {
        (receive_until_quiet(&rx, quiet), rx)
    });
    assert_eq!(
        first,
        Batch {
            messages: vec![7, 8, 9],
            stop: Stop::Idle,
        },
        "a sender is still alive, so after the three waiting messages the wait should time out \
         with `Stop::Idle`, not `Stop::Closed`"
    );

    let (second, _rx) = calmly("receive_until_quiet", ADVICE, move || {
        (receive_until_quiet(&rx, quiet), rx)
    });
    assert_eq!(
        second,
        Batch {
            messages: vec![],
            stop: Stop::Idle,
        },
        "nothing more was sent and the sender is alive: no messages, `Stop::Idle`"
    );
    drop(tx);
}

#[test]
fn receive_until_quiet_stops_at_once_when_the_channel_closes() {
    let (tx, rx) = mpsc::channel();
    let producer = thread::spawn(move || {
        for n in 0..10 {
            tx.send(n)
                .expect("the receiver is alive until the channel closes");
        }
        // `tx` is dropped here: the channel closes after the tenth message.
    });
    // Far longer than the test's time limit: only `Disconnected` can end this in time.
    let quiet = Duration::from_secs(60);

    let batch = calmly(
        "receive_until_quiet",
        "`recv_timeout` returns `Err(RecvTimeoutError::Disconnected)` once every sender is \
         gone; map it to `Stop::Closed`",
        move || receive_until_quiet(&rx, quiet),
    );

    producer.join().expect("the test's producer does not panic");
    assert_eq!(
        batch,
        Batch {
            messages: (0..10).collect(),
            stop: Stop::Closed,
        },
        "every sender was dropped after ten messages: all ten should arrive, then \
         `Stop::Closed`"
    );
}
