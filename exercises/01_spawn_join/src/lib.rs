//! 01 · Spawn and join
//!
//! Split a sum over several threads, then collect what each thread returns through its
//! `JoinHandle`.

use std::thread::JoinHandle;

/// Returns the sum of `numbers`, computed by [`parallel_sum_by`] on `threads` threads.
///
/// # Panics
///
/// If `threads` is 0.
pub fn parallel_sum(numbers: &[u64], threads: usize) -> u64 {
    parallel_sum_by(numbers, threads, |x| x)
}

/// Returns the sum of `f(x)` over every `x` in `numbers`.
///
/// The slice is cut into at most `threads` chunks of nearly equal length (fewer chunks only
/// when there are fewer numbers than threads). Each chunk is summed on its own spawned
/// thread, and the partial sums come back to the caller through `JoinHandle::join`.
///
/// The tests expect:
/// - the right total for any thread count, including more threads than numbers;
/// - 0 for an empty slice;
/// - `f` called once per number, on at least two threads when there are two or more chunks,
///   and on no more than `threads` threads;
/// - every chunk's thread running at the same time as the others: a test's `f` makes each
///   thread wait until all of them have started.
///
/// # Panics
///
/// If `threads` is 0.
pub fn parallel_sum_by(numbers: &[u64], threads: usize, f: fn(u64) -> u64) -> u64 {
    assert!(threads > 0, "parallel_sum_by needs at least one thread");

    // Round up so that `threads` chunks cover every number; `max(1)` because
    // `chunks(0)` panics when the slice is empty.
    let chunk_len = numbers.len().div_ceil(threads).max(1);

    let handles: Vec<JoinHandle<u64>> = Vec::new();
    for chunk in numbers.chunks(chunk_len) {
        // A spawned thread may outlive this call, so it cannot borrow `numbers`:
        // give it its own copy of the chunk.
        let chunk: Vec<u64> = chunk.to_vec();

        // TODO: spawn a thread (`std::thread::spawn`) that returns the sum of `f(x)` for every
        // `x` in `chunk`, and push its `JoinHandle` onto `handles`. (`move` the chunk in.)
        let _ = (chunk, f);
    }

    // TODO: join every handle and add up the partial sums the threads return. Join only after
    // the loop has spawned them all, so that the threads run at the same time.
    // As it stands, no handle is joined, so no partial sum comes back and the total is 0.
    drop(handles);
    0
}
