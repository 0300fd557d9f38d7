//! 03 · Scoped threads
//!
//! Spread the work over threads that borrow the slice, with `std::thread::scope`.

use std::thread;

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
/// If `threads` is 0, or if `f` panics.
pub fn parallel_sum_by<F>(numbers: &[u64], threads: usize, f: F) -> u64
where
    F: Fn(u64) -> u64 + Sync,
{
    assert!(threads > 0, "parallel_sum_by needs at least one thread");
    let chunk_len = chunk_len(numbers.len(), threads);

    // Every thread shares one `f`; `&F` may cross threads because `F: Sync`.
    let f = &f;
    // The scope joins all its threads before it returns, so they may borrow `numbers` (and `f`)
    // from this stack frame: nothing they borrow can be dropped while they run.
    thread::scope(|s| {
        // Lazy: each thread is spawned and then joined before the next one is spawned.
        numbers
            .chunks(chunk_len)
            .map(|chunk| s.spawn(move || chunk.iter().map(|&x| f(x)).sum::<u64>()))
            .map(|handle| handle.join().expect("a summing thread panicked"))
            .sum()
    })
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
/// If `threads` is 0, or if `f` panics.
pub fn parallel_map_in_place<F>(values: &mut [u64], threads: usize, f: F)
where
    F: Fn(u64) -> u64 + Sync,
{
    assert!(
        threads > 0,
        "parallel_map_in_place needs at least one thread"
    );
    let chunk_len = chunk_len(values.len(), threads);

    let f = &f;
    thread::scope(|s| {
        // `chunks_mut` hands out non-overlapping `&mut` pieces, so the borrow checker can see
        // that no two threads ever write the same value.
        for chunk in values.chunks_mut(chunk_len) {
            s.spawn(move || {
                for value in chunk {
                    *value = f(*value);
                }
            });
        }
        // No joins needed: the scope waits for every thread it spawned (and passes on a
        // panic from any of them) before it returns.
    });
}
