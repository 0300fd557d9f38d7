//! Exercise 21: wait on several channels at once with `crossbeam_channel::select!`.
//!
//! `merge` listens to two sources of messages and a ticker, all at the same time, and gives up
//! when nothing has happened for a while. See README.md for the lesson.

use crossbeam_channel::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Why [`merge`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Both sources were closed, and every message they sent had been received.
    BothClosed,
    /// Nothing at all (no message, no tick) arrived for the whole `idle` timeout.
    Idle,
}

/// What [`merge`] saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report<T> {
    /// Every message from both sources, in the order they were received. The messages of one
    /// source keep that source's order; the two sources may interleave in any way.
    pub items: Vec<T>,
    /// How many ticks arrived on the ticker.
    pub ticks: usize,
    /// Why the loop ended.
    pub end: End,
}

/// Receives from `left`, `right` and `ticker` at the same time, whichever is ready first.
///
/// - A message from `left` or `right` is appended to [`Report::items`].
/// - A tick adds one to [`Report::ticks`].
/// - When both `left` and `right` are closed (every `Sender` dropped) and drained, it returns
///   [`End::BothClosed`]. One closed source is not the end: the other one must still be heard.
/// - When nothing arrives for `idle`, it returns [`End::Idle`], even if a source is still open.
/// - A ticker may close too (a test's home-made ticker does). After that, it is simply ignored.
///
/// Pass `crossbeam_channel::tick(period)` as the ticker for a real clock, or
/// `crossbeam_channel::never()` for none.
pub fn merge<T>(
    left: Receiver<T>,
    right: Receiver<T>,
    ticker: Receiver<Instant>,
    idle: Duration,
) -> Report<T> {
    let mut items = Vec::new();
    let mut ticks = 0;
    let mut left_open = true;
    let mut right_open = true;

    // Take turns: wait for the left source, then the right one, then count the ticks so far.
    while left_open || right_open {
        if left_open {
            match left.recv_timeout(idle) {
                Ok(item) => items.push(item),
                Err(RecvTimeoutError::Timeout) => return Report { items, ticks, end: End::Idle },
                Err(RecvTimeoutError::Disconnected) => left_open = false,
            }
        }
        if right_open {
            match right.recv_timeout(idle) {
                Ok(item) => items.push(item),
                Err(RecvTimeoutError::Timeout) => return Report { items, ticks, end: End::Idle },
                Err(RecvTimeoutError::Disconnected) => right_open = false,
            }
        }
        while ticker.try_recv().is_ok() {
            ticks += 1;
        }
    }
    Report {
        items,
        ticks,
        end: End::BothClosed,
    }
}
