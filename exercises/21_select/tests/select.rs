use crossbeam_channel::{after, never, tick, unbounded};
use select::{End, Report, merge};
use std::thread;
use std::time::{Duration, Instant};
use testkit::{STEP_LIMIT, within_or_explain};

/// Longer than any test runs: with this as the idle timeout, only closing can end `merge`.
const AN_HOUR: Duration = Duration::from_secs(3600);

/// Short, and still certain: it is only used where nothing is ever sent again.
const SHORT_IDLE: Duration = Duration::from_millis(100);

const CLOSED_IS_READY_HINT: &str = "a closed channel is always ready: `recv` on it returns \
     `Err(RecvError)` at once, every time. So `select!` keeps picking it, the loop spins, and \
     the idle timeout never gets a turn. When a source's `recv` gives `Err`, replace that \
     receiver with `crossbeam_channel::never()` and remember that it is closed; return \
     `End::BothClosed` once both sources are closed.";

/// The items of `report` that came from the source tagged `tag`, in the order received.
fn from_source(report: &Report<(char, u32)>, tag: char) -> Vec<u32> {
    report
        .items
        .iter()
        .filter(|(t, _)| *t == tag)
        .map(|(_, n)| *n)
        .collect()
}

/// Asserts that the source tagged `tag` delivered exactly `0..sent`, in order.
fn assert_all_arrived_in_order(report: &Report<(char, u32)>, tag: char, sent: u32, context: &str) {
    let got = from_source(report, tag);
    let expected: Vec<u32> = (0..sent).collect();
    if got != expected {
        let first_wrong = got
            .iter()
            .zip(&expected)
            .position(|(g, e)| g != e)
            .unwrap_or(got.len().min(expected.len()));
        panic!(
            "source {tag} sent 0..{sent}, and all of it should arrive once, in the order sent \
             ({context}). Got {} messages from it, wrong from position {first_wrong} on; the \
             first ones were {:?}",
            got.len(),
            &got[..got.len().min(8)]
        );
    }
}

#[test]
fn merges_both_sources_until_both_are_closed() {
    let report = within_or_explain(
        STEP_LIMIT,
        "merge two producers until both close",
        CLOSED_IS_READY_HINT,
        || {
            let (left_tx, left) = unbounded();
            let (right_tx, right) = unbounded();
            let producers = [('L', left_tx, 300), ('R', right_tx, 500)].map(|(tag, tx, n)| {
                thread::spawn(move || {
                    for i in 0..n {
                        // If `merge` gave up early, its receiver is gone and the rest of this
                        // source is lost: the assertions below report that.
                        if tx.send((tag, i)).is_err() {
                            break;
                        }
                    }
                    // `tx` is dropped here: this source is closed.
                })
            });
            // A real ticker whose first tick is an hour away: it never fires in this test.
            let report = merge(left, right, tick(AN_HOUR), AN_HOUR);
            for producer in producers {
                producer.join().expect("a producer panicked");
            }
            report
        },
    );

    assert_eq!(
        report.end,
        End::BothClosed,
        "both producers finished and dropped their senders, so `merge` should report End::BothClosed"
    );
    assert_all_arrived_in_order(&report, 'L', 300, "the left producer");
    assert_all_arrived_in_order(&report, 'R', 500, "the right producer");
    assert_eq!(
        report.ticks, 0,
        "the ticker's first tick was an hour away, yet ticks were counted: count only `Ok` from the ticker"
    );
}

#[test]
fn keeps_listening_to_one_source_after_the_other_closes() {
    let report = within_or_explain(
        STEP_LIMIT,
        "merge after the left source closed",
        CLOSED_IS_READY_HINT,
        || {
            let (left_tx, left) = unbounded();
            let (right_tx, right) = unbounded();
            for i in 0..3 {
                left_tx.send(('L', i)).unwrap();
            }
            drop(left_tx); // left: three messages, then closed
            for i in 0..5 {
                right_tx.send(('R', i)).unwrap();
            }
            // right: five messages, and still open (this test keeps `right_tx` to the end),
            // but nothing more is ever sent, so only the idle timeout can end `merge`.
            let report = merge(left, right, never(), SHORT_IDLE);
            drop(right_tx);
            report
        },
    );

    assert_eq!(
        report.end,
        End::Idle,
        "the right source was still open, so `merge` must not report End::BothClosed: one \
         closed source is not the end. With the right source silent, it should stop on the \
         idle timeout"
    );
    assert_all_arrived_in_order(&report, 'L', 3, "sent before the left source closed");
    assert_all_arrived_in_order(&report, 'R', 5, "even though the left source closed first");

    // The other way round: the left source is open and silent, the right one has news.
    let report = within_or_explain(
        STEP_LIMIT,
        "merge while the left source is silent",
        CLOSED_IS_READY_HINT,
        || {
            // Left: open, and never sent on. Right: five messages, then closed.
            let (left_tx, left) = unbounded::<(char, u32)>();
            let (right_tx, right) = unbounded();
            for i in 0..5 {
                right_tx.send(('R', i)).unwrap();
            }
            drop(right_tx);
            let report = merge(left, right, never(), SHORT_IDLE);
            drop(left_tx);
            report
        },
    );

    let heard = from_source(&report, 'R').len();
    assert!(
        heard == 5,
        "the right source's 5 messages were waiting when `merge` started, but it returned with \
         {heard} of them: it waited on the silent left source alone. Waiting on one channel at \
         a time misses the others: `select!` over both sources (and the ticker) at once"
    );
    assert_all_arrived_in_order(&report, 'R', 5, "sent before `merge` started");
    assert_eq!(
        report.end,
        End::Idle,
        "the left source was still open, so `merge` must not report End::BothClosed: one \
         closed source is not the end. With the left source silent, it should stop on the idle \
         timeout"
    );
}

#[test]
fn an_open_but_silent_source_ends_in_the_idle_timeout() {
    let report = within_or_explain(
        STEP_LIMIT,
        "merge with silent sources",
        "nothing is ever sent here, so the `default(idle)` arm should fire after the idle \
         timeout and return End::Idle. Is it still in the `select!`?",
        || {
            // Open, never sent on: the sender lives until `merge` returns.
            let (left_tx, left) = unbounded::<(char, u32)>();
            // A one-shot timer that is due at once: exactly one tick, then nothing, ever.
            let report = merge(left, never(), after(Duration::ZERO), SHORT_IDLE);
            drop(left_tx);
            report
        },
    );

    assert!(
        report.ticks == 1,
        "the one tick of `after(Duration::ZERO)` was never counted (ticks: {}): is the ticker in \
         the `select!` (`recv(ticker)`), counted on `Ok`? `select!` waits on every channel at \
         once; waiting on one channel at a time misses what arrives on the others",
        report.ticks
    );
    assert_eq!(
        report,
        Report {
            items: Vec::new(),
            ticks: 1,
            end: End::Idle,
        },
        "expected no items, the one tick of `after(Duration::ZERO)`, and End::Idle"
    );
}

#[test]
fn a_ticker_that_closes_is_ignored_from_then_on() {
    let report = within_or_explain(
        STEP_LIMIT,
        "merge with a ticker that closes",
        "a closed ticker is always ready too: its `recv` returns `Err` at once, every time, so \
         counting every arm as a tick spins forever and the idle timeout never fires. Count \
         only `Ok` as a tick, and swap the ticker for `crossbeam_channel::never()` on `Err`.",
        || {
            let (tick_tx, ticker) = unbounded();
            for _ in 0..3 {
                tick_tx.send(Instant::now()).unwrap();
            }
            drop(tick_tx); // three ticks, then the ticker closes
            merge::<(char, u32)>(never(), never(), ticker, SHORT_IDLE)
        },
    );

    assert!(
        report.ticks != 0,
        "the ticker's three ticks were never counted: is the ticker in the `select!` \
         (`recv(ticker)`), counted on `Ok`? `select!` waits on every channel at once; waiting on \
         one channel at a time misses what arrives on the others"
    );
    assert_eq!(
        report.ticks, 3,
        "the ticker delivered exactly three ticks before it closed; its closing is not a tick"
    );
    assert_eq!(
        report.end,
        End::Idle,
        "the sources are `never()`, open and silent, so only the idle timeout can end `merge`"
    );

    // A closed ticker does not end `merge` either: the sources may still have news.
    const WAITING: u32 = 100;
    let report = within_or_explain(
        STEP_LIMIT,
        "merge while the ticker closes",
        "a closed ticker is always ready too: its `recv` returns `Err` at once, every time, so \
         counting every arm as a tick spins forever and the idle timeout never fires. Count \
         only `Ok` as a tick, and swap the ticker for `crossbeam_channel::never()` on `Err`.",
        || {
            let (left_tx, left) = unbounded();
            for i in 0..WAITING {
                left_tx.send(('L', i)).unwrap();
            }
            let (tick_tx, ticker) = unbounded();
            for _ in 0..3 {
                tick_tx.send(Instant::now()).unwrap();
            }
            drop(tick_tx); // three ticks, then the ticker closes
            // The left source stays open (and silent once drained): only the idle timeout can
            // end `merge`. Both the messages and the ticker's end are ready at once, and
            // `select!` picks among ready arms at random, so a merge that stops when the
            // ticker closes stops long before it has taken all 100 messages.
            let report = merge(left, never(), ticker, SHORT_IDLE);
            drop(left_tx);
            report
        },
    );

    let heard = from_source(&report, 'L').len();
    assert!(
        heard == WAITING as usize,
        "`merge` stopped with {heard} of the {WAITING} messages waiting on the left source, once \
         the ticker had closed: a closed ticker says nothing about the sources. Swap it for \
         `never()` and keep listening to them"
    );
    assert_all_arrived_in_order(&report, 'L', WAITING, "sent before `merge` started");
    assert_eq!(
        report.ticks, 3,
        "the ticker delivered exactly three ticks before it closed; its closing is not a tick"
    );
    assert_eq!(
        report.end,
        End::Idle,
        "the left source was still open, so only the idle timeout can end `merge`"
    );
}
