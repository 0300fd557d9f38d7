//! 01 · Spawn and join
//!
//! Split a sum over several threads, then collect what each thread returns through its
//! `JoinHandle`.

use std::thread::{self, JoinHandle};

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
///   and on no more than `threads` threads.
///
/// # Panics
///
/// If `threads` is 0, or if a summing thread panics.
pub fn parallel_sum_by(numbers: &[u64], threads: usize, f: fn(u64) -> u64) -> u64 {
    assert!(threads > 0, "parallel_sum_by needs at least one thread");

    // Round up so that `threads` chunks cover every number; `max(1)` because
    // `chunks(0)` panics when the slice is empty.
    let chunk_len = (numbers.len() / threads).max(1);

    let mut handles: Vec<JoinHandle<u64>> = Vec::new();
    for chunk in numbers.chunks(chunk_len) {
        // A spawned thread may outlive this call, so it cannot borrow `numbers`:
        // give it its own copy of the chunk.
        let chunk: Vec<u64> = chunk.to_vec();
        // `move` hands the chunk (and the `fn` pointer, which is `Copy`) to the thread.
        handles.push(thread::spawn(move || chunk.iter().map(|&x| f(x)).sum()));
    }

    // Spawn everything first, join afterwards: joining inside the loop would wait for each
    // thread before starting the next, and the "parallel" sum would run one chunk at a time.
    handles
        .into_iter()
        // `join` is `Err` only if the thread panicked; pass that panic on to our caller.
        .map(|handle| handle.join().expect("a summing thread panicked"))
        .sum()
}
