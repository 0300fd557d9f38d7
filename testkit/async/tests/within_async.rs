//! `within_async`: an async step on a current-thread runtime whose clock is paused. Timers are
//! virtual (deterministic, instant), and a future that is never woken becomes a timeout that
//! names the step and says that the runtime is idle, waiting for a wake-up.

use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;
use testkit::{STEP_LIMIT, TIMEOUT_MARKER};
use testkit_async::{DEFAULT_ASYNC_HINT, within_async, within_async_or_explain};
use tokio::time::Instant;

#[test]
fn returns_the_value_of_the_future() {
    let value = within_async(STEP_LIMIT, "add asynchronously", || async {
        tokio::task::yield_now().await;
        2 + 2
    });
    assert_eq!(value, 4);
}

#[test]
fn time_is_paused_so_an_hour_of_sleep_is_instant_and_exact() {
    let elapsed = within_async(STEP_LIMIT, "sleep for an hour", || async {
        let start = Instant::now();
        tokio::time::sleep(Duration::from_secs(3600)).await;
        start.elapsed()
    });
    // Virtual time advances exactly to the timer's deadline, on any machine.
    assert_eq!(elapsed, Duration::from_secs(3600));
}

#[test]
fn sleeps_joined_on_one_thread_overlap_in_virtual_time() {
    let elapsed = within_async(STEP_LIMIT, "two sleeps joined", || async {
        let start = Instant::now();
        tokio::join!(
            tokio::time::sleep(Duration::from_secs(1)),
            tokio::time::sleep(Duration::from_secs(1)),
        );
        start.elapsed()
    });
    assert_eq!(elapsed, Duration::from_secs(1));
}

#[test]
fn the_step_runs_on_a_thread_named_after_it() {
    let name = within_async(STEP_LIMIT, "named step", || async {
        std::thread::current().name().map(str::to_owned)
    });
    assert_eq!(name.as_deref(), Some("named step"));
}

#[test]
fn a_panic_inside_the_future_is_raised_again() {
    let caught = panic::catch_unwind(|| {
        within_async(STEP_LIMIT, "panicking future", || async {
            tokio::task::yield_now().await;
            panic!("the future's own message")
        })
    })
    .expect_err("the panic must reach the caller");
    let message = caught.downcast_ref::<&str>().copied().unwrap_or_default();
    assert_eq!(message, "the future's own message");
}

/// Runs a future that is never woken (a receive whose `Sender` is kept alive) as a step and
/// returns the timeout's message.
fn never_woken(what: &str, hint: Option<&str>) -> String {
    let make = || async {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<u32>(1);
        let value = rx.recv().await;
        drop(tx);
        value
    };
    let limit = Duration::from_millis(300);
    let caught = panic::catch_unwind(AssertUnwindSafe(|| match hint {
        Some(hint) => within_async_or_explain(limit, what, hint, make),
        None => within_async(limit, what, make),
    }))
    .expect_err("a future that is never woken must time out, although its clock is paused");
    let message = caught
        .downcast_ref::<String>()
        .cloned()
        .expect("a String message");
    // Shown with `--nocapture`, to read what a learner reads.
    println!("{message}\n");
    message
}

#[test]
fn a_future_never_woken_times_out_naming_the_step_and_the_likely_causes() {
    let message = never_woken("receive forever", None);
    let first = message.lines().next().unwrap_or_default();
    assert!(first.starts_with(TIMEOUT_MARKER), "{message}");
    assert!(
        first.contains("`receive forever` did not finish within 300ms"),
        "{message}"
    );
    assert!(first.ends_with(DEFAULT_ASYNC_HINT), "{message}");
}

#[test]
fn the_diagnosis_says_the_runtime_is_idle_rather_than_listing_its_internals() {
    let message = never_woken("idle runtime", None);
    let diagnosis = message.lines().skip(1).collect::<Vec<_>>().join("\n");
    // gdb's stacks tell an idle runtime apart; /proc alone (no gdb, or gdb too slow on a
    // loaded machine) sees only a futex wait, which the header says.
    if diagnosis.starts_with("where each thread waits:") {
        assert!(
            diagnosis.contains(
                "- `idle runtime` is an async runtime's thread, idle: it waits for a wake-up"
            ),
            "{message}"
        );
        assert!(
            diagnosis.contains("look at what each `.await` waits for"),
            "{message}"
        );
        assert!(
            !diagnosis.contains("tokio"),
            "runtime internals listed: {message}"
        );
    } else {
        assert!(diagnosis.contains("from /proc only"), "{message}");
        assert!(
            diagnosis.contains("- `idle runtime` runs an async runtime and waits on a futex: most likely the runtime is idle"),
            "{message}"
        );
    }
}

#[test]
fn a_future_never_woken_keeps_the_callers_advice() {
    let message = never_woken("receive with advice", Some("is a Sender still alive?"));
    let first = message.lines().next().unwrap_or_default();
    assert!(first.ends_with("is a Sender still alive?"), "{message}");
}
