//! Exercise 29, another way: one task per URL, spawned at once, each waiting for its own
//! permit. The shutdown closes the semaphore: a task still waiting then gets an error instead
//! of a permit, and sends nothing; tasks that hold a permit finish.

pub mod network;

pub use network::{NetError, Network, NetworkBuilder};

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_in_flight: usize,
    pub timeout: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Fetched(String),
    Failed(NetError),
    TimedOut,
    NotSent,
}

pub async fn fetch_all(
    net: &Network,
    urls: &[&str],
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> Vec<Outcome> {
    let slots = Arc::new(Semaphore::new(limits.max_in_flight));
    let mut tasks = JoinSet::new();
    for (index, url) in urls.iter().enumerate() {
        let slots = Arc::clone(&slots);
        let net = net.clone();
        let url = url.to_string();
        tasks.spawn(async move {
            let Ok(_permit) = slots.acquire_owned().await else {
                return (index, Outcome::NotSent);
            };
            let outcome = match tokio::time::timeout(limits.timeout, net.get(&url)).await {
                Ok(Ok(body)) => Outcome::Fetched(body),
                Ok(Err(error)) => Outcome::Failed(error),
                Err(_) => Outcome::TimedOut,
            };
            (index, outcome)
        });
    }

    let mut outcomes = vec![Outcome::NotSent; urls.len()];
    let mut shutting_down = false;
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown, if !shutting_down => {
                shutting_down = true;
                slots.close();
            }
            finished = tasks.join_next() => match finished {
                Some(Ok((index, outcome))) => outcomes[index] = outcome,
                Some(Err(error)) => panic!("a request task failed: {error}"),
                None => break,
            },
        }
    }
    outcomes
}
