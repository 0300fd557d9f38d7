//! Exercise 27, another way: the library's `timeout`, a reader task that hands whole messages
//! over a channel (whose `recv` is cancel-safe), and a heartbeat deadline kept across turns.

pub mod connection;

pub use connection::{Connection, Peer, connection};

use std::future::Future;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, sleep_until};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut;

pub async fn with_timeout<F: Future>(work: F, limit: Duration) -> Result<F::Output, TimedOut> {
    tokio::time::timeout(limit, work)
        .await
        .map_err(|_elapsed| TimedOut)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Shutdown,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub messages: Vec<String>,
    pub heartbeats: u32,
    pub end: End,
}

pub async fn run_session(
    mut conn: Connection,
    heartbeat: Duration,
    shutdown: oneshot::Receiver<()>,
) -> Session {
    // The reader task is never cancelled half-way through a message: only the loop below is
    // woken up and put back to sleep, and `recv` loses nothing when another branch wins.
    let (tx, mut rx) = mpsc::channel(16);
    let reader = tokio::spawn(async move {
        while let Some(message) = conn.read_message().await {
            if tx.send(message).await.is_err() {
                break;
            }
        }
    });

    let mut shutdown = shutdown;
    let mut messages = Vec::new();
    let mut heartbeats = 1;
    let mut next_beat = Instant::now() + heartbeat;
    let end = loop {
        tokio::select! {
            received = rx.recv() => match received {
                Some(text) => messages.push(text),
                None => break End::Closed,
            },
            () = sleep_until(next_beat) => {
                heartbeats += 1;
                next_beat += heartbeat;
            }
            _ = &mut shutdown => break End::Shutdown,
        }
    };
    reader.abort();
    Session {
        messages,
        heartbeats,
        end,
    }
}
