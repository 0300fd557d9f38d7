//! A log-processing pipeline: three stages, each on its own thread, joined by channels.
//!
//! ```text
//! lines ──▶ parse ──▶ keep_serious ──▶ number ──▶ report
//! ```
//!
//! Nobody tells a stage to stop. A stage's loop over its `Receiver` ends when every `Sender`
//! of that channel has been dropped; the stage then returns, which drops its own output
//! `Sender`, which ends the next stage's loop, and so on down the line.

use std::fmt;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

/// How serious a log entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Info => "INFO",
            Level::Warn => "WARN",
            Level::Error => "ERROR",
        })
    }
}

/// One parsed line of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub level: Level,
    pub message: String,
}

/// Reads one line such as `"WARN disk almost full"`: a level (`INFO`, `WARN` or `ERROR`),
/// a space, then a non-empty message. Returns `None` for anything else.
pub fn parse_line(line: &str) -> Option<Entry> {
    let (level, message) = line.trim().split_once(' ')?;
    let level = match level {
        "INFO" => Level::Info,
        "WARN" => Level::Warn,
        "ERROR" => Level::Error,
        _ => return None,
    };
    let message = message.trim();
    if message.is_empty() {
        return None;
    }
    Some(Entry {
        level,
        message: message.to_string(),
    })
}

/// Stage 1, as an iterator chain: `try_for_each` stops at the first failed send, which means
/// the next stage has hung up.
pub fn parse(lines: Receiver<String>, out: Sender<Entry>) {
    let _ = lines
        .into_iter()
        .filter_map(|line| parse_line(&line))
        .try_for_each(|entry| out.send(entry));
}

/// Stage 2, as an iterator chain.
pub fn keep_serious(entries: Receiver<Entry>, out: Sender<Entry>) {
    let _ = entries
        .into_iter()
        .filter(|entry| entry.level != Level::Info)
        .try_for_each(|entry| out.send(entry));
}

/// Stage 3: numbers the entries from 1, as `"1. ERROR disk full"`.
pub fn number(entries: Receiver<Entry>) -> Vec<String> {
    entries
        .into_iter()
        .zip(1..)
        .map(|(entry, n)| format!("{n}. {} {}", entry.level, entry.message))
        .collect()
}

/// An alternative wiring: scoped threads, and a source stage of its own, so this thread only
/// waits for the sink. Every channel is made where its Sender is moved into a stage, so no
/// Sender outlives the stage that owns it.
pub fn run(lines: Vec<String>) -> Vec<String> {
    thread::scope(|s| {
        let (line_tx, line_rx) = mpsc::channel();
        s.spawn(move || {
            // Returning drops `line_tx`: the first link of the shutdown.
            let _ = lines.into_iter().try_for_each(|line| line_tx.send(line));
        });

        let (entry_tx, entry_rx) = mpsc::channel();
        s.spawn(move || parse(line_rx, entry_tx));

        let (serious_tx, serious_rx) = mpsc::channel();
        s.spawn(move || keep_serious(entry_rx, serious_tx));

        s.spawn(move || number(serious_rx))
            .join()
            .expect("the number stage panicked")
    })
}
