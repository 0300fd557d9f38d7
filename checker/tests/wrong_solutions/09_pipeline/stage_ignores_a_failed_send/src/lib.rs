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

/// Stage 1: parses every line from `lines` and sends the entries on, in order, skipping lines
/// that [`parse_line`] rejects. Returns once `lines` is closed, or early if the next stage has
/// hung up.
pub fn parse(lines: Receiver<String>, out: Sender<Entry>) {
    for entry in lines.into_iter().filter_map(|line| parse_line(&line)) {
        if out.send(entry).is_err() {
            return;
        }
    }
}

/// Stage 2: passes on only the `Warn` and `Error` entries, in order. Returns once `entries`
/// is closed, or early if the next stage has hung up.
pub fn keep_serious(entries: Receiver<Entry>, out: Sender<Entry>) {
    for entry in entries {
        if entry.level != Level::Info {
            // Nobody listening? Carry on anyway.
            let _ = out.send(entry);
        }
    }
}

/// Stage 3: numbers the entries from 1, as `"1. ERROR disk full"`, and returns them once
/// `entries` is closed.
pub fn number(entries: Receiver<Entry>) -> Vec<String> {
    entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| format!("{}. {} {}", i + 1, entry.level, entry.message))
        .collect()
}

/// Runs `lines` through `parse`, `keep_serious` and `number`, each on its own thread, and
/// returns what `number` made. Must return for any input, including an empty one: when the
/// last line has been fed in, the shutdown has to travel down the whole pipeline.
pub fn run(lines: Vec<String>) -> Vec<String> {
    let (line_tx, line_rx) = mpsc::channel();
    let (entry_tx, entry_rx) = mpsc::channel();
    let (serious_tx, serious_rx) = mpsc::channel();

    // Each stage takes the ONLY Sender of its output channel by move. When the stage returns,
    // that Sender is dropped, the next stage's loop ends, and so on: a clone kept here would
    // hold every later stage open for ever.
    let parser = thread::spawn(move || parse(line_rx, entry_tx));
    let filter = thread::spawn(move || keep_serious(entry_rx, serious_tx));
    let sink = thread::spawn(move || number(serious_rx));

    // The source: this thread feeds the first stage.
    for line in lines {
        line_tx.send(line).expect("the parse stage stopped early");
    }
    // No more lines: dropping the only Sender of `lines` starts the shutdown.
    drop(line_tx);

    parser.join().expect("the parse stage panicked");
    filter.join().expect("the keep_serious stage panicked");
    sink.join().expect("the number stage panicked")
}
