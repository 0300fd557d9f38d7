//! Exercise 28: shared state in async code. A `std::sync::Mutex` for quick updates (never held
//! across an `.await`), a `tokio::sync::Mutex` where a guard must be held across one, and
//! `spawn_blocking` for blocking work. See README.md for the lesson.

/// The course's office equipment (do not edit).
pub mod office;

pub use office::{AuditLog, Gate, Hasher, PRINTER_STEP, Printer, Tray};

use std::collections::HashMap;
use std::sync::Mutex;

/// A document service that many tasks use at once, through `&self`.
pub struct Service {
    /// Views per document: every update is quick and needs no `.await`.
    views: Mutex<HashMap<String, u64>>,
    /// A whole print job must have the printer to itself, across every `.await` of the job.
    printer: tokio::sync::Mutex<Printer>,
    audit: AuditLog,
    hasher: Hasher,
}

impl Service {
    pub fn new(audit: AuditLog, printer: Printer, hasher: Hasher) -> Self {
        Service {
            views: Mutex::new(HashMap::new()),
            printer: tokio::sync::Mutex::new(printer),
            audit,
            hasher,
        }
    }

    /// Counts one view of `doc`, writes the new count to the audit log, and returns it.
    pub async fn record_view(&self, doc: &str) -> u64 {
        let mut counts = self.views.lock().unwrap();
        let count = counts.entry(doc.to_string()).or_insert(0);
        *count += 1;
        let views = *count;
        // TODO: `counts` (a `std::sync::MutexGuard`) is still alive at this `.await`. While
        // this task waits for the audit log, the next task that calls `lock()` blocks the
        // runtime's thread for good. Let the guard go before you await (put the update in a
        // block of its own, or `drop(counts)`).
        self.audit.write(doc, views).await;
        views
    }

    /// Prints `pages` of `doc` as one job (`begin`, each `page`, `end`), never mixed with
    /// another job's steps.
    pub async fn print(&self, doc: &str, pages: &[&str]) {
        // TODO: lock `self.printer` for the whole job, and keep the guard across every `.await`
        // of the job. (That is what `tokio::sync::Mutex` is for.)
        let _ = (doc, pages);
        todo!("print a whole job while holding the printer's tokio::sync::Mutex guard")
    }

    /// The checksum of `data`, computed without blocking the runtime's thread.
    pub async fn checksum(&self, data: Vec<u8>) -> u64 {
        // TODO: `Hasher::checksum` is blocking and CPU-heavy: called here, it holds the
        // runtime's thread, and no other task runs until it is done. Move it to tokio's blocking
        // pool with `tokio::task::spawn_blocking(move || ...)` and await the result. (The closure
        // must own what it uses: clone the hasher, move the data in.)
        self.hasher.checksum(&data)
    }
}
