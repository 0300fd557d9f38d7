//! Exercise 29, the async capstone: a fetcher with bounded concurrency, a timeout per request
//! and a graceful shutdown, over the course's fake network. See README.md for the lesson.

/// The course's fake network (do not edit).
pub mod network;

pub use network::{NetError, Network, NetworkBuilder};

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

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
    let slots = Arc::new(Semaphore::new(limits.max_in_flight));
    let mut outcomes = vec![Outcome::NotSent; urls.len()];
    let mut requests = JoinSet::new();
    // Polled in every turn of the loop below, so it must stay in one place: pin it.
    tokio::pin!(shutdown);

    for (index, url) in urls.iter().enumerate() {
        // Wait for a free slot, unless the shutdown comes first. An owned permit can move into
        // the task, and frees its slot when the task drops it.
        let _ = &mut shutdown;
        let permit = Arc::clone(&slots)
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        let net = net.clone();
        let url = url.to_string();
        requests.spawn(async move {
            // The timeout starts here, once the request has its slot, not while it queued.
            let outcome = match tokio::time::timeout(limits.timeout, net.get(&url)).await {
                Ok(Ok(body)) => Outcome::Fetched(body),
                Ok(Err(error)) => Outcome::Failed(error),
                Err(_elapsed) => Outcome::TimedOut,
            };
            drop(permit);
            (index, outcome)
        });
    }

    // Graceful: everything already sent may finish. (`JoinSet::shutdown` would abort them.)
    while let Some(finished) = requests.join_next().await {
        let (index, outcome) = finished.expect("a request task panicked");
        outcomes[index] = outcome;
    }
    outcomes
}
