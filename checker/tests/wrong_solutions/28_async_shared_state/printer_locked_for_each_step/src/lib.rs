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
    /// Views per document. Every update is quick and needs no `.await`, so a plain
    /// `std::sync::Mutex` is right (and cheaper than tokio's).
    views: Mutex<HashMap<String, u64>>,
    /// A whole print job must have the printer to itself, across every `.await` of the job:
    /// only an async mutex can be held that long without blocking the thread.
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
        // The block ends the guard's life before the `.await`: while this task waits for the
        // audit log, other tasks can count their views.
        let views = {
            let mut counts = self.views.lock().unwrap_or_else(|e| e.into_inner());
            let count = counts.entry(doc.to_string()).or_insert(0);
            *count += 1;
            *count
        };
        self.audit.write(doc, views).await;
        views
    }

    /// Prints `pages` of `doc` as one job, never mixed with another job's pages.
    pub async fn print(&self, doc: &str, pages: &[&str]) {
        // Held across every `.await` below: other jobs wait (asleep, not blocking the thread)
        // until this one has ended.
        self.printer.lock().await.begin(doc).await;
        for page in pages {
            self.printer.lock().await.page(page).await;
        }
        self.printer.lock().await.end().await;
    }

    /// The checksum of `data`, computed on tokio's blocking pool, so that the runtime's
    /// threads keep running other tasks meanwhile.
    pub async fn checksum(&self, data: Vec<u8>) -> u64 {
        let hasher = self.hasher.clone();
        tokio::task::spawn_blocking(move || hasher.checksum(&data))
            .await
            .expect("the checksum panicked")
    }
}
