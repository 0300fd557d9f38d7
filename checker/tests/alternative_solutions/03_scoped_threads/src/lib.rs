//! 03 · Scoped threads, solved in another style than the reference.
//!
//! - The sum gives every thread a `&mut u64` slot of its own to write its partial sum into,
//!   instead of returning it through the handle.
//! - The map spawns a thread for every chunk but the last, and the calling thread maps the last
//!   chunk itself while the others run.
//!
//! The behaviour tests must accept this as well as the reference solution.

use std::thread;

/// How long each chunk is when `len` items are shared among `threads` threads: rounded up, so
/// that there are never more than `threads` chunks, and at least 1, because `chunks(0)` panics.
// Given: do not remove.
fn chunk_len(len: usize, threads: usize) -> usize {
    len.div_ceil(threads).max(1)
}

/// Returns the sum of `f(x)` over every `x` in `numbers`, on at most `threads` scoped threads.
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

    // One slot per chunk; each thread gets a `&mut` to its own slot and nobody else's.
    let mut partials = vec![0u64; numbers.len().div_ceil(chunk_len)];
    thread::scope(|s| {
        for (chunk, slot) in numbers.chunks(chunk_len).zip(partials.iter_mut()) {
            let f = &f;
            s.spawn(move || *slot = chunk.iter().map(|&x| f(x)).sum());
        }
    });
    // The scope has joined every thread, so the slots are ours to read again.
    partials.iter().sum()
}

/// Replaces every value `v` in `values` with `f(v)`, in place, on at most `threads` threads
/// (the calling thread counts as one of them).
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

    let map_chunk = |chunk: &mut [u64]| chunk.iter_mut().for_each(|value| *value = f(*value));
    // Every thread calls the same closure through a shared reference.
    let map_chunk = &map_chunk;
    let mut chunks: Vec<&mut [u64]> = values.chunks_mut(chunk_len).collect();
    let last = chunks.pop();
    thread::scope(|s| {
        for chunk in chunks {
            s.spawn(move || map_chunk(chunk));
        }
        if let Some(last) = last {
            map_chunk(last);
        }
    });
}
