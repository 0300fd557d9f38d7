//! The course's fake connection. Do not edit: the tests use it to see what your loop does.
//!
//! A message travels in two parts, like a frame on a real socket: first a header, then its body,
//! possibly some time later. [`Connection::read_message`] waits for both. The [`Peer`] is the
//! other end: the tests send messages through it, and ask it afterwards whether a message was
//! torn apart by a read that was dropped half-way.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::mpsc;

/// One part of a message on the wire.
enum Part {
    Header,
    Body(String),
}

/// Makes a connected pair: the [`Peer`] sends, the [`Connection`] reads.
pub fn connection() -> (Peer, Connection) {
    let (parts_tx, parts_rx) = mpsc::unbounded_channel();
    let torn = Arc::new(AtomicUsize::new(0));
    (
        Peer {
            parts: Some(parts_tx),
            torn: Arc::clone(&torn),
        },
        Connection {
            parts: parts_rx,
            torn,
        },
    )
}

/// The reading end of a connection.
pub struct Connection {
    parts: mpsc::UnboundedReceiver<Part>,
    torn: Arc<AtomicUsize>,
}

impl Connection {
    /// Reads the next whole message: waits for a header, then for the body that follows it.
    /// Returns `None` once the peer has hung up (every message sent before that is read first).
    ///
    /// # Cancel safety
    ///
    /// **Not cancel-safe.** If this future is dropped after the header has arrived but before the
    /// body has (for example because another branch of a `select!` won), the header is gone with
    /// it. The body then arrives with no header, the next read throws it away, and the message
    /// is lost. Keep one read going until it completes instead of starting a new one on every
    /// turn of a loop.
    pub async fn read_message(&mut self) -> Option<String> {
        loop {
            match self.parts.recv().await? {
                Part::Header => break,
                // A body without its header: an earlier read took the header and was dropped.
                Part::Body(_) => continue,
            }
        }
        // From here until the body arrives, dropping this future tears the message apart.
        let half_read = HalfRead {
            torn: &self.torn,
            done: false,
        };
        let part = self.parts.recv().await;
        half_read.finish();
        match part? {
            Part::Body(text) => Some(text),
            Part::Header => unreachable!("the course's peer sends a body after every header"),
        }
    }
}

/// Counts a message as torn if it is dropped between a message's header and its body.
struct HalfRead<'a> {
    torn: &'a AtomicUsize,
    done: bool,
}

impl HalfRead<'_> {
    fn finish(mut self) {
        self.done = true;
    }
}

impl Drop for HalfRead<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.torn.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// The sending end of a connection, for the tests. Dropping it (or [`Peer::hang_up`]) hangs up.
pub struct Peer {
    parts: Option<mpsc::UnboundedSender<Part>>,
    torn: Arc<AtomicUsize>,
}

impl Peer {
    /// Sends one message: its header now, and its body `gap` later.
    pub async fn send(&self, text: &str, gap: Duration) {
        self.send_part(Part::Header);
        if !gap.is_zero() {
            tokio::time::sleep(gap).await;
        }
        self.send_part(Part::Body(text.to_string()));
    }

    fn send_part(&self, part: Part) {
        let parts = self
            .parts
            .as_ref()
            .expect("the course's tests send nothing after hang_up");
        // A send fails only when the reader is gone; then there is nobody to tell.
        let _ = parts.send(part);
    }

    /// Hangs up: once the messages sent so far are read, `read_message` returns `None`.
    pub fn hang_up(&mut self) {
        self.parts = None;
    }

    /// How many messages were torn apart so far: their header was read by a `read_message`
    /// future that was then dropped before their body arrived.
    pub fn torn_messages(&self) -> usize {
        self.torn.load(Ordering::SeqCst)
    }
}
