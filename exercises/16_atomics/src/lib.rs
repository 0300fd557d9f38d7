//! Lock-free building blocks: a counter that many threads bump at once, and a stop flag that
//! tells workers to finish and publishes why.

// Given: do not remove. The atomics come from the course's `sync` facade (`src/sync.rs`):
// `std`'s here, loom's when `tests/loom_check.rs` compiles this file. Always go through
// `crate::sync`, never `std::sync::atomic` directly.
mod sync;

use crate::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// A counter shared by many threads, with no lock.
///
/// Only the number matters here: no other data is published through it. That is why the
/// reference solution can use `Ordering::Relaxed` everywhere in this type.
#[derive(Debug, Default)]
pub struct Counter {
    value: AtomicU64,
}

impl Counter {
    /// A counter at 0. (Not a `const fn`: loom's atomics, which the tests also build this file
    /// with, cannot be made in one.)
    pub fn new() -> Self {
        Counter {
            value: AtomicU64::new(0),
        }
    }

    /// Adds one and returns the count from just before, like a ticket machine: however many
    /// threads call this at once, no two calls get the same number and no call is lost.
    pub fn increment(&self) -> u64 {
        // TODO: one `fetch_add` reads, adds and writes as a single indivisible step, and
        //       returns the value from before. Which `Ordering` is enough when only the
        //       count itself matters?
        todo!("add one with a single `fetch_add` and return the old count")
    }

    /// The count right now.
    pub fn get(&self) -> u64 {
        self.value.load(Ordering::Relaxed)
    }

    /// Replaces the count `n` with `f(n)` as one indivisible step and returns the `n` it
    /// replaced. No update by another thread is ever lost.
    ///
    /// Lock-free: several threads may be inside `f` at the same time, and `f` may run more than
    /// once: if another thread changes the count while `f` computes, the result is thrown away
    /// and `f` runs again on the new count.
    pub fn update(&self, mut f: impl FnMut(u64) -> u64) -> u64 {
        // TODO: this is read, compute, write as three separate steps. If another thread writes
        //       between the load and the store, its write is overwritten: a lost update. Make
        //       it one step: `AtomicU64::update` (or `fetch_update`, or a loop around
        //       `compare_exchange_weak`) only writes if the count is still the one `f` saw.
        let current = self.value.load(Ordering::Relaxed);
        let new = f(current);
        self.value.store(new, Ordering::Relaxed);
        current
    }
}

/// Tells worker threads to stop, and tells them why.
///
/// `stop` writes a reason code and then raises the flag; a thread that sees the flag raised
/// must also see that reason. That is "publishing data" and needs `Release` on the store of the
/// flag and `Acquire` on its load.
#[derive(Debug, Default)]
pub struct StopFlag {
    stopped: AtomicBool,
    reason: AtomicU64,
}

impl StopFlag {
    /// A flag that is not raised.
    pub fn new() -> Self {
        StopFlag {
            stopped: AtomicBool::new(false),
            reason: AtomicU64::new(0),
        }
    }

    /// Asks every worker to stop, for `reason` (a code of your choosing). Call it once.
    pub fn stop(&self, reason: u64) {
        self.reason.store(reason, Ordering::Relaxed);
        // TODO: raise the flag, or no worker will ever stop. Whoever sees the flag raised must
        //       also see `reason`: which `Ordering` on this store publishes the write above?
    }

    /// Whether `stop` has been called.
    pub fn is_stopped(&self) -> bool {
        // TODO: which `Ordering` pairs with the store in `stop`, so that `reason` is visible
        //       once the flag is?
        self.stopped.load(Ordering::Relaxed)
    }

    /// The reason given to `stop`, or `None` while the flag is down.
    pub fn reason(&self) -> Option<u64> {
        if self.is_stopped() {
            Some(self.reason.load(Ordering::Relaxed))
        } else {
            None
        }
    }
}

/// Calls `step` again and again until `stop` is raised, and returns how many steps ran.
///
/// The flag is checked before every step, so a worker started after `stop` runs no step at all.
pub fn run_until_stopped(stop: &StopFlag, mut step: impl FnMut()) -> u64 {
    let mut steps = 0;
    // TODO: this reads the flag once, before the first step, and never again, so a `stop`
    //       from another thread while the worker runs goes unnoticed. Check it before every
    //       step.
    let stopped = stop.is_stopped();
    loop {
        if stopped {
            return steps;
        }
        step();
        steps += 1;
    }
}
