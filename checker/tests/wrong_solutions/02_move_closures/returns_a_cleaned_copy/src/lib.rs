//! 02 · Move closures
//!
//! Give each thread ownership of what it works on, and get it back through `join`.

use std::thread::{self, ThreadId};

/// A batch of sensor readings.
///
/// It is deliberately not `Clone`: think of it as a large buffer there is exactly one of.
/// To work on it, a thread has to be given the batch itself.
// Given: do not change this type.
#[derive(Debug, PartialEq, Eq)]
pub struct Batch {
    readings: Vec<i64>,
    cleaned_on: Option<ThreadId>,
}

impl Batch {
    /// A batch holding `readings`, in this order, not cleaned yet.
    pub fn new(readings: Vec<i64>) -> Self {
        Batch {
            readings,
            cleaned_on: None,
        }
    }

    /// The readings, in their original order.
    pub fn readings(&self) -> &[i64] {
        &self.readings
    }

    /// The sum of all readings.
    pub fn total(&self) -> i64 {
        self.readings.iter().sum()
    }

    /// Removes the invalid (negative) readings, keeps the order of the others, and returns how
    /// many were removed. Remembers which thread did the cleaning.
    pub fn drop_invalid(&mut self) -> usize {
        self.cleaned_on = Some(thread::current().id());
        let before = self.readings.len();
        self.readings.retain(|&reading| reading >= 0);
        before - self.readings.len()
    }

    /// The thread that last ran [`Batch::drop_invalid`] on this batch, if any.
    pub fn cleaned_on(&self) -> Option<ThreadId> {
        self.cleaned_on
    }
}

/// Returns the sum of the readings in `batch`, computed on a new thread.
///
/// The caller does not need the batch afterwards.
pub fn total_in_background(batch: Batch) -> i64 {
    // `move`: the thread owns the batch, so it stays valid however long the thread runs.
    // It is dropped when the thread finishes, which is fine: nobody needs it afterwards.
    let handle = thread::spawn(move || batch.total());
    handle.join().expect("the summing thread panicked")
}

/// Cleans `batch` (see [`Batch::drop_invalid`]) on a new thread, and returns the cleaned batch
/// together with the number of readings removed.
///
/// The tests check that the cleaning ran on a thread other than the caller's, and that the
/// batch that comes back is the one that was cleaned.
pub fn clean_in_background(batch: Batch) -> (Batch, usize) {
    // The thread cleans a copy built from the same readings and hands the copy back.
    let mut copy = Batch::new(batch.readings().to_vec());
    let handle = thread::spawn(move || {
        let removed = copy.drop_invalid();
        (copy, removed)
    });
    handle.join().expect("the cleaning thread panicked")
}
