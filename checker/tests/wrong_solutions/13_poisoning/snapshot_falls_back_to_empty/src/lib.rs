//! A log of sensor readings that several threads write to.
//!
//! A writer can panic half-way through an edit, while it holds the lock. The `Mutex` remembers
//! that: from then on it is *poisoned*, and `lock()` returns `Err(PoisonError)` instead of
//! `Ok(guard)`. Each method below documents what it must do in that case. None of them may
//! panic because of it.

use std::fmt;
use std::sync::{Mutex, PoisonError};

/// The error of an operation that refuses to work on a poisoned log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Poisoned;

impl fmt::Display for Poisoned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a writer panicked while it held the lock, so the readings may be half-updated")
    }
}

impl std::error::Error for Poisoned {}

/// Sensor readings shared between threads, in the order they were recorded.
#[derive(Debug, Default)]
pub struct Readings {
    log: Mutex<Vec<u64>>,
}

impl Readings {
    /// An empty, healthy log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs `edit` on the log while holding the lock, and returns what `edit` returns.
    ///
    /// - If the log is poisoned, returns `Err(Poisoned)` and does NOT run `edit`: nobody builds
    ///   on data that may be half-updated until [`Readings::repair`] has put it right.
    /// - If `edit` itself panics, the panic goes on to the caller, and the log is poisoned from
    ///   then on.
    pub fn edit<R>(&self, edit: impl FnOnce(&mut Vec<u64>) -> R) -> Result<R, Poisoned> {
        // The `PoisonError` carries the guard, so returning early drops it and unlocks.
        let mut log = self.log.lock().map_err(|_| Poisoned)?;
        Ok(edit(&mut log))
    }

    /// A copy of every reading in the log, poisoned or not.
    ///
    /// This is for diagnostics, so after a crash it shows whatever is there, including the part
    /// of a batch that a crashed writer managed to add.
    pub fn snapshot(&self) -> Vec<u64> {
        // A poisoned log cannot be trusted, so show nothing.
        self.log.lock().map(|log| log.clone()).unwrap_or_default()
    }

    /// The sum of all readings, or `Err(Poisoned)` if the log is poisoned: a total computed
    /// from a half-written batch would look right and be wrong.
    pub fn total(&self) -> Result<u64, Poisoned> {
        let log = self.log.lock().map_err(|_| Poisoned)?;
        Ok(log.iter().sum())
    }

    /// Whether a writer panicked while holding the lock, and nobody has repaired the log since.
    // Given: do not remove
    pub fn is_poisoned(&self) -> bool {
        self.log.is_poisoned()
    }

    /// Gives the log to `fix`, which puts it right after a crash (for example by dropping a
    /// half-written batch), and then marks the log healthy again, so that `edit` and `total`
    /// work again. On a healthy log it just runs `fix`.
    pub fn repair(&self, fix: impl FnOnce(&mut Vec<u64>)) {
        let mut log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
        fix(&mut log);
        // Only now does the data hold together again. If `fix` had panicked we would not get
        // here, and the guard's drop would have left the lock poisoned, as it should be.
        self.log.clear_poison();
    }
}
