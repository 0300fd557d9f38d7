//! The course's fake network. Do not edit: the tests use it to see how your fetcher uses it.
//!
//! Each page answers after a delay of its own, in tokio's time (paused in the tests, so a
//! delay of an hour passes at once when nothing else can run). The network remembers every
//! request: when it was sent, how many were in flight at once, and which were dropped before
//! their answer came (cancelled by a timeout, or abandoned).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetError {
    /// No such page.
    NotFound,
    /// The server answered with an error.
    ServerError,
}

/// A fake network. Cloning it gives another handle to the same network.
#[derive(Clone, Default)]
pub struct Network {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    pages: HashMap<String, (Duration, Result<String, NetError>)>,
    log: Mutex<Log>,
}

#[derive(Default)]
struct Log {
    in_flight: usize,
    most_in_flight: usize,
    sent: Vec<(String, Instant)>,
    dropped: Vec<String>,
}

/// Builds a [`Network`].
#[derive(Default)]
pub struct NetworkBuilder {
    pages: HashMap<String, (Duration, Result<String, NetError>)>,
}

impl NetworkBuilder {
    /// A page at `url` that answers `body` after `delay`.
    pub fn page(mut self, url: &str, delay: Duration, body: &str) -> Self {
        self.pages
            .insert(url.to_string(), (delay, Ok(body.to_string())));
        self
    }

    /// A page at `url` that answers with a server error after `delay`.
    pub fn broken(mut self, url: &str, delay: Duration) -> Self {
        self.pages
            .insert(url.to_string(), (delay, Err(NetError::ServerError)));
        self
    }

    pub fn build(self) -> Network {
        Network {
            inner: Arc::new(Inner {
                pages: self.pages,
                log: Mutex::default(),
            }),
        }
    }
}

impl Network {
    pub fn builder() -> NetworkBuilder {
        NetworkBuilder::default()
    }

    /// Sends a request for `url` and waits for the answer. A page that does not exist answers
    /// `NotFound` at once.
    ///
    /// Dropping this future before it finishes abandons the request (the network notices).
    pub async fn get(&self, url: &str) -> Result<String, NetError> {
        let Some((delay, answer)) = self.inner.pages.get(url).cloned() else {
            self.log().sent.push((url.to_string(), Instant::now()));
            return Err(NetError::NotFound);
        };
        let request = InFlight::start(self, url);
        tokio::time::sleep(delay).await;
        request.finish();
        answer
    }

    /// The most requests that were in flight at the same moment.
    pub fn most_in_flight(&self) -> usize {
        self.log().most_in_flight
    }

    /// Every request sent, in order, with when it was sent.
    pub fn sent(&self) -> Vec<(String, Instant)> {
        self.log().sent.clone()
    }

    /// The requests that were dropped before their answer came, by url: tasks dropped together
    /// (a `JoinSet` dropped whole) go in no set order, and a failure message must read the same
    /// on every run.
    pub fn dropped(&self) -> Vec<String> {
        let mut dropped = self.log().dropped.clone();
        dropped.sort();
        dropped
    }

    fn log(&self) -> std::sync::MutexGuard<'_, Log> {
        // Never held across an `.await`, and nothing panics while holding it.
        self.inner.log.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// One request in flight: counted from its start until it finishes or is dropped.
struct InFlight<'a> {
    network: &'a Network,
    url: &'a str,
    finished: bool,
}

impl<'a> InFlight<'a> {
    fn start(network: &'a Network, url: &'a str) -> Self {
        let mut log = network.log();
        log.sent.push((url.to_string(), Instant::now()));
        log.in_flight += 1;
        log.most_in_flight = log.most_in_flight.max(log.in_flight);
        InFlight {
            network,
            url,
            finished: false,
        }
    }

    fn finish(mut self) {
        self.finished = true;
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let mut log = self.network.log();
        log.in_flight -= 1;
        if !self.finished {
            log.dropped.push(self.url.to_string());
        }
    }
}
