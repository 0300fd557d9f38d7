//! testkit's steps for the async exercises: a future on a single-threaded tokio runtime whose
//! clock is paused, under testkit's real-time limit, so that a future that is never woken
//! becomes a timeout that names the step, like a deadlock under [`testkit::within`].

use std::time::Duration;
use testkit::within_or_explain;

/// Runs an async step: the future that `make` returns, on a fresh single-threaded tokio runtime
/// whose clock is paused, under [`testkit::within`]'s real-time `limit`.
///
/// Paused time makes the async exercises deterministic: a `sleep`, `timeout` or `interval`
/// completes as soon as every task is idle, the same way on every run and on any machine. A
/// future that is never woken (a lost `Sender`, a task that waits for itself) leaves the runtime
/// idle with no timer to advance to, so it hangs in real time and becomes `within`'s failure.
pub fn within_async<T, F, Fut>(limit: Duration, what: &str, make: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = T>,
{
    within_async_or_explain(limit, what, DEFAULT_ASYNC_HINT, make)
}

/// Like [`within_async`], with advice of the test's own for the timeout message.
pub fn within_async_or_explain<T, F, Fut>(limit: Duration, what: &str, hint: &str, make: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = T>,
{
    within_or_explain(limit, what, hint, move || {
        let _known_as = testkit::diagnose::AsyncStep::enter();
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("testkit could not start a tokio runtime")
            .block_on(make())
    })
}

/// The advice for an async step that never finished, when the caller has none more specific.
pub const DEFAULT_ASYNC_HINT: &str = "a future was never woken: is it waiting for a message whose \
     `Sender` is still alive, for a task that waits for it, or for a lock held across an `.await`?";
