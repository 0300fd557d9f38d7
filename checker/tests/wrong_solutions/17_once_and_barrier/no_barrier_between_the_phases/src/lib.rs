//! Two synchronisation primitives for "exactly once" and "everyone together":
//!
//! - [`Lazy`] builds a value the first time any thread asks for it, exactly once, with
//!   `std::sync::OnceLock`.
//! - [`shares`] runs a two-phase computation on several threads, with a barrier between the
//!   phases.

use std::sync::OnceLock;
use std::thread;

mod phases;
mod watched;
pub use phases::{PhaseBarrier, Straggler};
pub use watched::WatchedOnceLock;

/// A value built on first use by `init`, at most once, and then shared by reference.
///
/// It works in a `static` too (`new` is `const`):
/// `static PRIMES: Lazy<Vec<u32>> = Lazy::new(|| vec![2, 3, 5, 7]);`
pub struct Lazy<T, F = fn() -> T> {
    // Given: a `OnceLock` with the same methods, that the tests can watch. Use it like one.
    cell: WatchedOnceLock<T>,
    init: F,
}

impl<T, F> Lazy<T, F> {
    /// Given: do not remove. How many calls of the cell's `get_or_init` found it empty: each of
    /// them ran `init` or waited for it. The tests use it to know that racing threads wait.
    pub fn waiting_for_init(&self) -> usize {
        self.cell.found_empty()
    }
}

impl<T, F: Fn() -> T> Lazy<T, F> {
    /// A `Lazy` that will build its value with `init`. Nothing runs yet.
    pub const fn new(init: F) -> Self {
        Lazy {
            cell: WatchedOnceLock::new(),
            init,
        }
    }

    /// The value, built by `init` on the first call.
    ///
    /// However many threads call this at the same time, `init` runs exactly once; the others
    /// wait for it and then all get a reference to the same value.
    pub fn get(&self) -> &T {
        // `get_or_init` checks and claims the cell as one step: the first caller runs `init`,
        // and callers that arrive meanwhile block until the value is there instead of building
        // their own. (A `get()` check followed by `set` would let two threads both see
        // "empty" and both build.) This is exactly what `std::sync::LazyLock` does.
        self.cell.get_or_init(&self.init)
    }
}

/// Works out what share of the grand total each chunk holds, in whole percent (rounded down),
/// with one thread per chunk. Returns one percentage per chunk, in the order of `chunks`.
///
/// Phase 1: each worker sums its own chunk and publishes the sum.
/// Phase 2: each worker adds up all published sums and computes its own percentage.
/// No worker may start phase 2 before every worker has finished phase 1.
pub fn shares(chunks: &[Vec<u64>]) -> Vec<u64> {
    let workers = chunks.len();
    // One write-once slot per worker for its phase-1 sum.
    let sums: Vec<OnceLock<u64>> = (0..workers).map(|_| OnceLock::new()).collect();
    // Exactly the threads that call `wait`: one per worker. Counting this thread too would
    // make every worker wait for a thread that never comes.
    let barrier = PhaseBarrier::new(workers);
    let straggler = Straggler::new(workers); // Given: do not remove

    thread::scope(|s| {
        let handles: Vec<_> = chunks
            .iter()
            .enumerate()
            .map(|(i, chunk)| {
                let (sums, barrier, straggler) = (&sums, &barrier, &straggler);
                s.spawn(move || {
                    // Phase 1: publish this chunk's sum.
                    straggler.hold_back(i, barrier); // Given: do not remove
                    let _ = sums[i].set(chunk.iter().sum());

                    // Phase 2: this chunk's share of the grand total. A slot that is still
                    // empty counts as 0, which gives a wrong total.
                    let total: u64 = sums.iter().map(|sum| sum.get().copied().unwrap_or(0)).sum();
                    let own = sums[i].get().copied().unwrap_or(0);
                    straggler.done(); // Given: do not remove
                    // 0 when there is nothing at all to share.
                    (own * 100).checked_div(total).unwrap_or(0)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a worker panicked"))
            .collect()
    })
}
