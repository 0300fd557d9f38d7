//! Helpers for the exercises' tests.
//!
//! The one rule of this course's tests is that none of them may hang: a learner whose code
//! deadlocks must get a failure that says what never finished and where to look, not a frozen
//! terminal. [`within`] gives that guarantee, and its failure shows where each thread waits
//! (see [`diagnose`]).

pub mod diagnose;
pub mod timeout_log;

use std::panic;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// How a timeout failure starts. The checker reads it to report "timed out" instead of
/// "failed", so keep it in sync with the checker (which imports it from here).
pub const TIMEOUT_MARKER: &str = "timed out:";

/// The advice given when the caller has none more specific.
pub const DEFAULT_HINT: &str =
    "probable deadlock: some thread is waiting for a lock, a message or a join that never comes";

/// Runs `f` on a thread named after `what` and returns its value.
///
/// - If `f` panics, the original panic is raised again here, message and all.
/// - If `f` has not finished after `limit`, this panics with a message that starts with
///   [`TIMEOUT_MARKER`], names `what`, and gives [`DEFAULT_HINT`]. The lines after that first
///   one show where each thread of the process waits (see [`diagnose`]).
///
/// A thread cannot be killed, so on a timeout the stuck thread is left behind; the test binary
/// exits when its tests are done, which ends it.
pub fn within<T, F>(limit: Duration, what: &str, f: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    within_or_explain(limit, what, DEFAULT_HINT, f)
}

/// Like [`within`], with advice of the test's own for the timeout message, for example
/// "is a `Sender` still alive? The receiving loop only ends when every sender is dropped".
pub fn within_or_explain<T, F>(limit: Duration, what: &str, hint: &str, f: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (done_tx, done_rx) = mpsc::channel();
    let name = what.to_string();
    let worker = thread::Builder::new()
        .name(what.to_string())
        .spawn(move || {
            let _known_as = diagnose::StepThread::enter(&name);
            // If `f` panics, `done_tx` is dropped unsent and the receiver below sees it.
            let value = f();
            let _ = done_tx.send(value);
        })
        .expect("testkit could not spawn a thread");

    let _waiting = diagnose::WaitingForStep::enter();
    match wait_for(&done_rx, limit) {
        Ok(value) => {
            // The value is sent just before the thread ends, so this join is immediate.
            let _ = worker.join();
            value
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(payload) => panic::resume_unwind(payload),
            Ok(()) => unreachable!("the worker ended without sending its value or panicking"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => {
            let diagnosis = diagnose::after_timeout(Instant::now(), worker.thread().id())
                .map(|text| format!("\n{text}"))
                .unwrap_or_default();
            let message = format!(
                "{TIMEOUT_MARKER} `{what}` did not finish within {limit:?}: {hint}{diagnosis}"
            );
            timeout_log::record(&message);
            panic!("{message}")
        }
    }
}

/// Waits for a step's value for `limit`, not counting the time this process spent stopped by
/// the diagnosis of another step's timeout: that pause must not make this step time out.
fn wait_for<T>(done: &mpsc::Receiver<T>, limit: Duration) -> Result<T, mpsc::RecvTimeoutError> {
    let paused_before = diagnose::paused();
    let mut credited = Duration::ZERO;
    let mut wait = limit;
    loop {
        match done.recv_timeout(wait) {
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let paused = diagnose::paused() - paused_before;
                if paused <= credited {
                    return Err(mpsc::RecvTimeoutError::Timeout);
                }
                wait = paused - credited;
                credited = paused;
            }
            other => return other,
        }
    }
}

/// Default limit for one blocking step in a test: long enough for a loaded single core,
/// short enough that a learner waits for a deadlock verdict only briefly.
pub const STEP_LIMIT: Duration = Duration::from_secs(2);

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Barrier};

    #[test]
    fn returns_the_value_of_a_closure_that_finishes() {
        assert_eq!(within(STEP_LIMIT, "adding", || 2 + 2), 4);
    }

    #[test]
    fn runs_the_closure_on_a_thread_named_after_the_step() {
        let name = within(STEP_LIMIT, "collector", || {
            thread::current().name().map(str::to_owned)
        });
        assert_eq!(name.as_deref(), Some("collector"));
    }

    #[test]
    fn raises_the_original_panic_again() {
        let seven = std::hint::black_box(7);
        let caught = panic::catch_unwind(|| {
            within(STEP_LIMIT, "panicking step", move || -> () {
                panic!("the original message {seven}")
            })
        })
        .expect_err("the panic must reach the caller");
        let message = caught
            .downcast_ref::<String>()
            .expect("a formatted panic carries a String");
        assert_eq!(message, "the original message 7");
    }

    #[test]
    fn a_hang_becomes_a_failure_that_names_the_step_and_teaches() {
        // A barrier for two that only one thread ever reaches: a hang by construction.
        let never = Arc::new(Barrier::new(2));
        let caught = panic::catch_unwind(|| {
            within_or_explain(
                Duration::from_millis(100),
                "collect",
                "is a Sender still alive?",
                move || {
                    never.wait();
                },
            )
        })
        .expect_err("a hang must become a panic");
        let message = caught.downcast_ref::<String>().expect("a String message");
        assert!(message.starts_with(TIMEOUT_MARKER), "{message}");
        assert!(
            message.contains("`collect` did not finish within 100ms"),
            "{message}"
        );
        let first_line = message.lines().next().unwrap_or_default();
        assert!(
            first_line.ends_with("is a Sender still alive?"),
            "{message}"
        );
    }

    #[test]
    fn the_default_advice_mentions_a_deadlock() {
        let caught = panic::catch_unwind(|| {
            within(Duration::from_millis(50), "stuck", || {
                thread::park();
                // Parking may wake spuriously; park for good.
                loop {
                    thread::park();
                }
            })
        })
        .expect_err("a hang must become a panic");
        let message = caught.downcast_ref::<String>().expect("a String message");
        assert!(message.contains(DEFAULT_HINT), "{message}");
    }
}
