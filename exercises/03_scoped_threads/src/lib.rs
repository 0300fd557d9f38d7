//! 03 · Scoped threads
//!
//! Both functions below give the right answers, but they do all the work on the calling
//! thread. Spread it over threads that borrow the slice, with `std::thread::scope`.

/// How long each chunk is when `len` items are shared among `threads` threads: rounded up, so
/// that there are never more than `threads` chunks, and at least 1, because `chunks(0)` panics.
// Given: do not remove.
fn chunk_len(len: usize, threads: usize) -> usize {
    len.div_ceil(threads).max(1)
}

/// Returns the sum of `f(x)` over every `x` in `numbers`.
///
/// The slice is cut into at most `threads` chunks of nearly equal length (fewer only when there
/// are fewer numbers than threads), and each chunk is summed on its own scoped thread that
/// borrows the chunk: no `Arc`, no copy of the numbers.
///
/// The tests expect the right total for any thread count and for an empty slice, and `f`
/// called once per number, on at least two threads when there are two or more chunks, and on
/// no more than `threads` threads. `f` may borrow the caller's locals: it need not be
/// `'static`.
///
/// # Panics
///
/// If `threads` is 0.
pub fn parallel_sum_by<F>(numbers: &[u64], threads: usize, f: F) -> u64
where
    F: Fn(u64) -> u64 + Sync,
{
    assert!(threads > 0, "parallel_sum_by needs at least one thread");
    let chunk_len = chunk_len(numbers.len(), threads);

    // TODO: open a scope with `std::thread::scope`. In it, spawn one scoped thread per chunk of
    // `numbers.chunks(chunk_len)` that returns the sum of `f(x)` over its chunk, then add up
    // what the threads' handles return from `join`. Spawn them all before you join any, so
    // that they run at the same time.
    // For now, everything runs here, on the calling thread.
    let _ = chunk_len;
    numbers.iter().map(|&x| f(x)).sum()
}

/// Replaces every value `v` in `values` with `f(v)`, in place.
///
/// The slice is cut into at most `threads` chunks of nearly equal length, and each chunk is
/// changed by its own scoped thread holding a `&mut` borrow of just that chunk.
///
/// The tests expect every value mapped exactly once, in place, for any thread count and for an
/// empty slice, and the work spread like [`parallel_sum_by`]'s.
///
/// # Panics
///
/// If `threads` is 0.
pub fn parallel_map_in_place<F>(values: &mut [u64], threads: usize, f: F)
where
    F: Fn(u64) -> u64 + Sync,
{
    assert!(
        threads > 0,
        "parallel_map_in_place needs at least one thread"
    );
    let chunk_len = chunk_len(values.len(), threads);

    // TODO: open a scope, and spawn one scoped thread per chunk of `values.chunks_mut(chunk_len)`
    // that replaces each value `v` of its chunk with `f(v)`.
    // For now, everything runs here, on the calling thread.
    let _ = chunk_len;
    for value in values.iter_mut() {
        *value = f(*value);
    }
}
