//! A stock-keeping actor on tokio: one task owns the stock, handles talk to it through a
//! bounded `mpsc` queue, and questions carry a `oneshot` for their answer.

mod disk;

pub use disk::{Disk, SAVE_TIME};

use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// The stock: how many of each item.
pub type Stock = HashMap<String, u32>;

/// `take` asked for more than there is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfStock {
    pub available: u32,
}

/// What a handle can ask of the actor.
enum Request {
    Add {
        item: String,
        count: u32,
    },
    Count {
        item: String,
        reply: oneshot::Sender<u32>,
    },
    Take {
        item: String,
        count: u32,
        reply: oneshot::Sender<Result<u32, OutOfStock>>,
    },
}

/// A handle to a running store actor. Clone it to give another task its own handle; the actor
/// stops, returning its final stock, once the last handle is dropped.
#[derive(Clone)]
pub struct Store {
    requests: mpsc::Sender<Request>,
}

impl Store {
    /// Starts the actor as a task, with a queue of at most `capacity` requests. Call it inside
    /// a tokio runtime. The `JoinHandle` gives the final stock when the actor stops.
    pub fn spawn(disk: Arc<Disk>, capacity: usize) -> (Store, JoinHandle<Stock>) {
        // Bounded: when the actor falls behind, senders wait at `send(..).await` instead of
        // piling up requests in memory without end. That wait is the backpressure.
        let (requests, inbox) = mpsc::channel(capacity);
        // Only the handles hold `Sender`s: the actor's `recv` gives `None` when the last goes.
        let actor = tokio::spawn(run(inbox, disk));
        (Store { requests }, actor)
    }

    /// Adds `count` of `item`. Returns once the request is queued, without waiting for the
    /// actor to handle it; waits while the queue is full.
    pub async fn add(&self, item: &str, count: u32) {
        let request = Request::Add {
            item: item.to_string(),
            count,
        };
        self.requests
            .send(request)
            .await
            .expect("the store's actor stopped although a handle is alive");
    }

    /// How many of `item` there are, counting every `add` made earlier through this handle.
    pub async fn count(&self, item: &str) -> u32 {
        // A fresh one-shot channel per question: the answer cannot reach anyone else.
        let (reply, answer) = oneshot::channel();
        let request = Request::Count {
            item: item.to_string(),
            reply,
        };
        self.requests
            .send(request)
            .await
            .expect("the store's actor stopped although a handle is alive");
        answer.await.expect("the store's actor dropped the reply")
    }

    /// Takes `count` of `item` if there are enough, and returns how many are left; otherwise
    /// changes nothing and returns how many there are.
    pub async fn take(&self, item: &str, count: u32) -> Result<u32, OutOfStock> {
        let (reply, answer) = oneshot::channel();
        let request = Request::Take {
            item: item.to_string(),
            count,
            reply,
        };
        self.requests
            .send(request)
            .await
            .expect("the store's actor stopped although a handle is alive");
        answer.await.expect("the store's actor dropped the reply")
    }
}

/// The actor: owns the stock, handles one request at a time, saves every change before it
/// answers, and ends when every `Sender` is gone.
async fn run(mut inbox: mpsc::Receiver<Request>, disk: Arc<Disk>) -> Stock {
    let mut stock = Stock::new();
    while let Some(request) = inbox.recv().await {
        match request {
            Request::Add { item, count } => {
                let total = stock.entry(item.clone()).or_default();
                *total += count;
                disk.save(&item, *total).await;
            }
            Request::Count { item, reply } => {
                // The asker may have given up (its future dropped): not the actor's problem.
                if let Some(&count) = stock.get(&item) {
                    let _ = reply.send(count);
                }
            }
            Request::Take { item, count, reply } => {
                let available = stock.get(&item).copied().unwrap_or(0);
                let answer = if available >= count {
                    let left = available - count;
                    stock.insert(item.clone(), left);
                    disk.save(&item, left).await;
                    Ok(left)
                } else {
                    Err(OutOfStock { available })
                };
                let _ = reply.send(answer);
            }
        }
    }
    stock
}
