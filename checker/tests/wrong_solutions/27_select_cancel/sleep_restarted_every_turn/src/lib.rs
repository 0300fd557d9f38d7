//! Exercise 27: race futures with `tokio::select!`, stop on a shutdown signal, and keep a loop's
//! branches cancel-safe. See README.md for the lesson.

pub mod connection;

pub use connection::{Connection, Peer, connection};

use std::future::Future;
use std::time::Duration;
use tokio::sync::oneshot;

/// The error of [`with_timeout`]: the limit came first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut;

/// Runs `work`, but gives up on it after `limit`.
///
/// Returns `Ok(output)` as soon as `work` finishes within the limit, or `Err(TimedOut)` as soon
/// as the limit has passed, and then `work` is dropped (cancelled) without running any further.
pub async fn with_timeout<F: Future>(work: F, limit: Duration) -> Result<F::Output, TimedOut> {
    // Both futures are polled together; the first to finish wins and the other is dropped.
    // (`tokio::time::timeout(limit, work)` is the library's name for exactly this.)
    tokio::select! {
        output = work => Ok(output),
        () = tokio::time::sleep(limit) => Err(TimedOut),
    }
}

/// Why [`run_session`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The shutdown signal came (or its sender was dropped).
    Shutdown,
    /// The peer hung up, and every message it sent was read.
    Closed,
}

/// What [`run_session`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Every message read, in the order the peer sent them.
    pub messages: Vec<String>,
    /// How many heartbeats were sent: one at the start, then one every `heartbeat`.
    pub heartbeats: u32,
    /// Why the session stopped.
    pub end: End,
}

/// Reads messages from `conn` until the peer hangs up or `shutdown` fires, sending a heartbeat
/// at the start and then every `heartbeat`, whatever else happens.
pub async fn run_session(
    conn: Connection,
    heartbeat: Duration,
    mut shutdown: oneshot::Receiver<()>,
) -> Session {
    let mut messages = Vec::new();
    let mut heartbeats = 0;
    // The first heartbeat is sent at once.
    heartbeats += 1;

    // `read_message` is not cancel-safe, so one read is kept alive across turns of the loop and
    // replaced only once it has finished. It owns the connection and hands it back, so that the
    // next read can be started without a second borrow of it.
    let read = read_next(conn);
    tokio::pin!(read);

    let end = loop {
        tokio::select! {
            (conn, message) = &mut read => match message {
                Some(text) => {
                    messages.push(text);
                    read.set(read_next(conn));
                }
                None => break End::Closed,
            },
            () = tokio::time::sleep(heartbeat) => heartbeats += 1,
            // `Ok` is the signal; `Err` means its sender is gone and nobody can ever send it.
            // Either way, stop. (`&mut` polls the receiver in place, so it is cancel-safe.)
            _ = &mut shutdown => break End::Shutdown,
        }
    };
    Session {
        messages,
        heartbeats,
        end,
    }
}

/// Reads one message and gives the connection back with it.
async fn read_next(mut conn: Connection) -> (Connection, Option<String>) {
    let message = conn.read_message().await;
    (conn, message)
}
