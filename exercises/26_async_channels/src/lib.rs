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
    // TODO (1): this queue has no bound: an actor that falls behind lets requests pile up in
    // memory without end, and nobody ever waits. Make it an `mpsc::Sender<Request>` of a
    // channel made with `mpsc::channel(capacity)`, whose `send(..).await` waits while the
    // queue is full.
    requests: mpsc::UnboundedSender<Request>,
}

impl Store {
    /// Starts the actor as a task, with a queue of at most `capacity` requests. Call it inside
    /// a tokio runtime. The `JoinHandle` gives the final stock when the actor stops.
    pub fn spawn(disk: Arc<Disk>, capacity: usize) -> (Store, JoinHandle<Stock>) {
        let _ = capacity;
        let (requests, inbox) = mpsc::unbounded_channel();
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
            .expect("the store's actor stopped although a handle is alive");
    }

    /// How many of `item` there are, counting every `add` made earlier through this handle.
    pub async fn count(&self, item: &str) -> u32 {
        // TODO (2): ask the actor with `Request::Count`, carrying the `Sender` half of a fresh
        // `oneshot::channel()`, and await the `Receiver` half for the answer.
        let _ = item;
        todo!("ask the actor for the count through a oneshot reply channel")
    }

    /// Takes `count` of `item` if there are enough, and returns how many are left; otherwise
    /// changes nothing and returns how many there are.
    pub async fn take(&self, item: &str, count: u32) -> Result<u32, OutOfStock> {
        // TODO (2): the same round trip as `count`, with `Request::Take`.
        let _ = (item, count);
        todo!("ask the actor to take stock through a oneshot reply channel")
    }
}

/// The actor: owns the stock, handles one request at a time, saves every change before it
/// answers, and ends when every `Sender` is gone.
async fn run(mut inbox: mpsc::UnboundedReceiver<Request>, disk: Arc<Disk>) -> Stock {
    let mut stock = Stock::new();
    while let Some(request) = inbox.recv().await {
        match request {
            Request::Add { item, count } => {
                let total = stock.entry(item.clone()).or_default();
                *total += count;
                disk.save(&item, *total).await;
            }
            // TODO (2): answer through `reply`: the count of `item` (0 if there is none), and
            // for `Take`, take the stock if there is enough (saving the new count) or answer
            // `Err(OutOfStock { available })`. Dropping `reply` unanswered leaves the asker
            // with an error instead of an answer.
            Request::Count { item, reply } => drop((item, reply)),
            Request::Take { item, count, reply } => drop((item, count, reply)),
        }
    }
    stock
}
