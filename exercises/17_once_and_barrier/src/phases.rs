//! Given: do not edit. This file is the course's own (graders use their copy of it).
//!
//! Two helpers that make the phase bug in [`crate::shares`] certain instead of likely:
//!
//! - [`PhaseBarrier`] is a `std::sync::Barrier` that also counts the threads that have reached
//!   it. Use it exactly like a `Barrier`.
//! - [`Straggler`] makes worker 0 slow on purpose: it may publish its phase-1 result only once
//!   every other worker is either waiting at the barrier or already done with phase 2. With the
//!   barrier in place the others wait for worker 0; without it they always race ahead and read
//!   its slot before it is written.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Barrier, BarrierWaitResult};
use std::thread;

/// A [`Barrier`] that knows how many threads have reached it.
#[derive(Debug)]
pub struct PhaseBarrier {
    barrier: Barrier,
    arrived: AtomicUsize,
}

impl PhaseBarrier {
    /// Like [`Barrier::new`]: the `n`th call of [`wait`](PhaseBarrier::wait) releases all `n`
    /// waiting threads.
    pub fn new(n: usize) -> Self {
        PhaseBarrier {
            barrier: Barrier::new(n),
            arrived: AtomicUsize::new(0),
        }
    }

    /// Like [`Barrier::wait`]: blocks until `n` threads have called it, then releases them all.
    /// Exactly one of them gets a result whose `is_leader()` is true.
    pub fn wait(&self) -> BarrierWaitResult {
        self.arrived.fetch_add(1, Ordering::SeqCst);
        self.barrier.wait()
    }

    /// How many calls of `wait` have started so far.
    pub fn arrived(&self) -> usize {
        self.arrived.load(Ordering::SeqCst)
    }
}

/// Holds worker 0 back in phase 1 until every other worker has moved on.
#[derive(Debug)]
pub struct Straggler {
    workers: usize,
    done: AtomicUsize,
}

impl Straggler {
    /// For a run with `workers` workers.
    pub fn new(workers: usize) -> Self {
        Straggler {
            workers,
            done: AtomicUsize::new(0),
        }
    }

    /// Returns at once for every worker but worker 0. Worker 0 waits until each of the others
    /// has either reached `barrier` or called [`done`](Straggler::done).
    pub fn hold_back(&self, worker: usize, barrier: &PhaseBarrier) {
        if worker != 0 {
            return;
        }
        let others = self.workers - 1;
        while barrier.arrived() + self.done.load(Ordering::SeqCst) < others {
            thread::yield_now();
        }
    }

    /// Called by each worker once it has finished phase 2.
    pub fn done(&self) {
        self.done.fetch_add(1, Ordering::SeqCst);
    }
}
