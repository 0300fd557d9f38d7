//! Exercise 29, the async capstone: a fetcher with bounded concurrency, a timeout per request
//! and a graceful shutdown, over the course's fake network. See README.md for the lesson.

/// The course's fake network (do not edit).
pub mod network;

pub use network::{NetError, Network, NetworkBuilder};

use std::future::Future;
use std::time::Duration;

/// How [`fetch_all`] may use the network.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// At most this many requests in flight at once.
    pub max_in_flight: usize,
    /// Each request gets this long, from the moment it is sent.
    pub timeout: Duration,
}

/// What became of one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The page's body.
    Fetched(String),
    /// The network answered with an error.
    Failed(NetError),
    /// No answer within the timeout: the request was given up.
    TimedOut,
    /// Never sent: the shutdown came first.
    NotSent,
}

/// Fetches every URL in `urls` from `net`, and returns their outcomes in the order of `urls`.
///
/// - At most `limits.max_in_flight` requests are in flight at once, and a new one is sent as
///   soon as one finishes.
/// - Each request is given up after `limits.timeout` from when it was sent.
/// - When `shutdown` completes, no more requests are sent (the rest are `NotSent`), and the
///   requests in flight are allowed to finish (each still under its timeout) before this returns.
pub async fn fetch_all(
    net: &Network,
    urls: &[&str],
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    // TODO (concurrency): this sends one request at a time. Run each request in a task of its
    // own (a `tokio::task::JoinSet`), and let an `Arc<tokio::sync::Semaphore>` with
    // `max_in_flight` permits decide when the next one may go: acquire an owned permit
    // (`acquire_owned`) before sending, and keep it in the task until the request is done.
    // Collect `(index, outcome)` pairs, so that the outcomes end up in the order of `urls`.
    for url in urls {
        // TODO (timeout): give each request `limits.timeout`, counted from when it is sent
        // (after it got its permit): `tokio::time::timeout(limits.timeout, net.get(url))`.
        let outcome = match net.get(url).await {
            Ok(body) => Outcome::Fetched(body),
            Err(error) => Outcome::Failed(error),
        };
        outcomes.push(outcome);
    }
    // TODO (shutdown): while waiting for a permit, also wait for `shutdown` (pin it once with
    // `tokio::pin!`, then select on `&mut shutdown`). Once it completes, send nothing more
    // (those URLs are `Outcome::NotSent`), but let every request already sent finish, and
    // collect its outcome, before returning.
    let _ = (limits, shutdown);
    outcomes
}
