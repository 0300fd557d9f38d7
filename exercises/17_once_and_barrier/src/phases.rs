//! Given: do not edit. This file is the course's own (graders use their copy of it).
//!
//! Two helpers that make the phase bug in [`crate::shares`] certain instead of likely:
//!
//! - [`PhaseBarrier`] is a `std::sync::Barrier` that also counts the threads that have reached
//!   it and left it. Use it exactly like a `Barrier`.
//! - [`Straggler`] makes worker 0 slow on purpose: it may publish its phase-1 result only once
//!   every other worker is either waiting at the barrier or already done with phase 2. With the
//!   barrier in place (after publishing, before reading) the others wait for worker 0; with no
//!   barrier, or one in the wrong place, they always read its slot before it is written.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, BarrierWaitResult, OnceLock};
use std::thread::{self, ThreadId};

/// A [`Barrier`] that knows how many threads have reached it and how many have left it.
#[derive(Debug)]
pub struct PhaseBarrier {
    barrier: Barrier,
    arrived: AtomicUsize,
    left: AtomicUsize,
    /// Worker 0's thread, and how many of the other workers are done, once
    /// [`Straggler::hold_back`] has run on worker 0.
    straggler: OnceLock<(ThreadId, Arc<Others>)>,
}

impl PhaseBarrier {
    /// Like [`Barrier::new`]: the `n`th call of [`wait`](PhaseBarrier::wait) releases all `n`
    /// waiting threads.
    pub fn new(n: usize) -> Self {
        PhaseBarrier {
            barrier: Barrier::new(n),
            arrived: AtomicUsize::new(0),
            left: AtomicUsize::new(0),
            straggler: OnceLock::new(),
        }
    }

    /// Like [`Barrier::wait`]: blocks until `n` threads have called it, then releases them all.
    /// Exactly one of them gets a result whose `is_leader()` is true.
    pub fn wait(&self) -> BarrierWaitResult {
        self.arrived.fetch_add(1, Ordering::SeqCst);
        let result = self.barrier.wait();
        self.left.fetch_add(1, Ordering::SeqCst);
        // Worker 0, when it leaves the barrier, stays slow: it goes on only once the others are
        // done. If it published before the barrier, they had all they needed; if it has not
        // published yet, they certainly work without its result.
        if let Some((thread, others)) = self.straggler.get()
            && *thread == thread::current().id()
        {
            while others.done.load(Ordering::SeqCst) < others.count {
                thread::yield_now();
            }
        }
        result
    }

    /// How many calls of `wait` have started so far.
    pub fn arrived(&self) -> usize {
        self.arrived.load(Ordering::SeqCst)
    }

    /// How many threads are inside `wait` right now: arrived, and not yet released.
    pub fn waiting(&self) -> usize {
        self.arrived() - self.left.load(Ordering::SeqCst)
    }
}

/// Holds worker 0 back in phase 1 until every other worker has moved on.
#[derive(Debug)]
pub struct Straggler {
    others: Arc<Others>,
}

#[derive(Debug)]
struct Others {
    /// How many workers there are besides worker 0.
    count: usize,
    /// How many of them have called `Straggler::done`.
    done: AtomicUsize,
}

impl Straggler {
    /// For a run with `workers` workers.
    pub fn new(workers: usize) -> Self {
        Straggler {
            others: Arc::new(Others {
                count: workers.saturating_sub(1),
                done: AtomicUsize::new(0),
            }),
        }
    }

    /// Returns at once for every worker but worker 0. Worker 0 waits until each of the others
    /// is either waiting at `barrier` or has called [`done`](Straggler::done). From then on,
    /// worker 0 also leaves `barrier` only once the others are done.
    pub fn hold_back(&self, worker: usize, barrier: &PhaseBarrier) {
        if worker != 0 {
            return;
        }
        let _ = barrier
            .straggler
            .set((thread::current().id(), Arc::clone(&self.others)));
        while barrier.waiting() + self.others.done.load(Ordering::SeqCst) < self.others.count {
            thread::yield_now();
        }
    }

    /// Called by each worker once it has finished phase 2.
    pub fn done(&self) {
        self.others.done.fetch_add(1, Ordering::SeqCst);
    }
}
