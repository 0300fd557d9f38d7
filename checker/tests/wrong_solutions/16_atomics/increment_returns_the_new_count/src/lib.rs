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
        // One indivisible read-add-write, so no increment is lost and each caller gets its own
        // old value. Relaxed is enough: atomicity does not depend on the ordering, and nothing
        // else is published through this counter. (Code that reads the total after `join`
        // is ordered by the join itself.)
        self.value.fetch_add(1, Ordering::Relaxed) + 1
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
    pub fn update(&self, f: impl FnMut(u64) -> u64) -> u64 {
        // A compare-and-swap loop: `update` stores `f(n)` only if the count is still `n`;
        // otherwise it reloads and calls `f` again. Nobody's write is overwritten.
        // Relaxed for the same reason as in `increment`.
        self.value.update(Ordering::Relaxed, Ordering::Relaxed, f)
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
        // Release: every write this thread made before this store (the reason) becomes
        // visible to any thread whose Acquire load reads `true` here. With Relaxed, a worker
        // on a weakly ordered CPU (ARM, POWER) could see the flag and still read the old reason.
        self.stopped.store(true, Ordering::Release);
    }

    /// Whether `stop` has been called.
    pub fn is_stopped(&self) -> bool {
        // Acquire pairs with the Release in `stop`: once this reads `true`, the reason written
        // before the flag is visible too. (x86 would hide a mistake here; the rule is what
        // counts, not the machine you test on.)
        self.stopped.load(Ordering::Acquire)
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
    // Checked before each step, never cached in a local: the flag is read from memory every
    // time, so a `stop` from another thread is seen at the next check.
    while !stop.is_stopped() {
        step();
        steps += 1;
    }
    steps
}
