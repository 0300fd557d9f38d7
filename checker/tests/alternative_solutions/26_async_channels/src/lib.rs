//! Alternative solution for 26_async_channels: the actor's state and behaviour live in a struct,
//! the handle has one generic `ask` for every question, requests are sent through a reserved
//! permit (`reserve().await`), and the reply type is chosen by a closure in the request. Same
//! public API as the reference solution.

mod disk;

pub use disk::{Disk, SAVE_TIME};

use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

pub type Stock = HashMap<String, u32>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfStock {
    pub available: u32,
}

enum Request {
    Add(String, u32),
    Count(String, oneshot::Sender<u32>),
    Take(String, u32, oneshot::Sender<Result<u32, OutOfStock>>),
}

#[derive(Clone)]
pub struct Store {
    requests: mpsc::Sender<Request>,
}

impl Store {
    pub fn spawn(disk: Arc<Disk>, capacity: usize) -> (Store, JoinHandle<Stock>) {
        let (requests, inbox) = mpsc::channel(capacity);
        let actor = StoreActor {
            inbox,
            disk,
            stock: Stock::new(),
        };
        (Store { requests }, tokio::spawn(actor.run()))
    }

    async fn send(&self, request: Request) {
        let permit = self
            .requests
            .reserve()
            .await
            .expect("the store's actor is gone while a handle is alive");
        permit.send(request);
    }

    async fn ask<T>(&self, request: impl FnOnce(oneshot::Sender<T>) -> Request) -> T {
        let (reply, answer) = oneshot::channel();
        self.send(request(reply)).await;
        answer.await.expect("the store's actor did not answer")
    }

    pub async fn add(&self, item: &str, count: u32) {
        self.send(Request::Add(item.to_owned(), count)).await;
    }

    pub async fn count(&self, item: &str) -> u32 {
        self.ask(|reply| Request::Count(item.to_owned(), reply))
            .await
    }

    pub async fn take(&self, item: &str, count: u32) -> Result<u32, OutOfStock> {
        self.ask(|reply| Request::Take(item.to_owned(), count, reply))
            .await
    }
}

struct StoreActor {
    inbox: mpsc::Receiver<Request>,
    disk: Arc<Disk>,
    stock: Stock,
}

impl StoreActor {
    async fn run(mut self) -> Stock {
        while let Some(request) = self.inbox.recv().await {
            self.handle(request).await;
        }
        self.stock
    }

    async fn handle(&mut self, request: Request) {
        match request {
            Request::Add(item, count) => {
                let total = self.stock.get(&item).copied().unwrap_or(0) + count;
                self.set(item, total).await;
            }
            Request::Count(item, reply) => {
                let _ = reply.send(self.available(&item));
            }
            Request::Take(item, count, reply) => {
                let available = self.available(&item);
                let answer = match available.checked_sub(count) {
                    Some(left) => {
                        self.set(item, left).await;
                        Ok(left)
                    }
                    None => Err(OutOfStock { available }),
                };
                let _ = reply.send(answer);
            }
        }
    }

    fn available(&self, item: &str) -> u32 {
        self.stock.get(item).copied().unwrap_or(0)
    }

    async fn set(&mut self, item: String, count: u32) {
        self.disk.save(&item, count).await;
        self.stock.insert(item, count);
    }
}
