//! Exercise 27: race futures with `tokio::select!`, stop on a shutdown signal, and keep a loop's
//! branches cancel-safe. See README.md for the lesson.

/// The course's fake connection (do not edit): messages arrive as a header, then a body.
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
    // TODO: race `work` against `tokio::time::sleep(limit)` with `tokio::select!`: the branch
    // that finishes first gives the result, and the other future is dropped.
    let _ = (work, limit);
    todo!("race `work` against `tokio::time::sleep(limit)` with `tokio::select!` in with_timeout")
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
    mut conn: Connection,
    heartbeat: Duration,
    shutdown: oneshot::Receiver<()>,
) -> Session {
    let mut messages = Vec::new();
    let mut heartbeats = 0;

    // TODO (shutdown): this loop never looks at `shutdown`. Add a branch for it, so that the
    // session stops the moment the signal comes, or its sender is dropped (`Err`): then nobody
    // can ever send it. Poll it in place with `&mut shutdown`.
    let _ = shutdown;

    // TODO (heartbeats): a `sleep` created inside the loop starts over on every turn, so a
    // message pushes the next heartbeat back. Use one `tokio::time::interval(heartbeat)`, made
    // before the loop (its first tick completes at once: that is the first heartbeat).
    heartbeats += 1;

    loop {
        tokio::select! {
            // TODO (cancel safety): `read_message` is not cancel-safe (see its docs). When the
            // heartbeat wins while a message is half read, this future is dropped and the
            // message is lost. Keep one read alive across turns of the loop instead.
            message = conn.read_message() => match message {
                Some(text) => messages.push(text),
                None => return Session { messages, heartbeats, end: End::Closed },
            },
            () = tokio::time::sleep(heartbeat) => heartbeats += 1,
        }
    }
}
