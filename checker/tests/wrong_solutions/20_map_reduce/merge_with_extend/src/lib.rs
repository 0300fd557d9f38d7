//! Word frequencies, map-reduce style.
//!
//! *Map*: split the input into pieces and count the words of each piece on its own thread.
//! *Reduce*: merge the partial counts into one. Done right, the result is exactly what one
//! thread counting the whole text would get, however many workers you use.

use std::thread;

// Given: do not remove. The word rules, the reference count and `Frequencies` live in the
// course's own `words.rs`; the tests watch the calls to `words` (and so to `count_into`).
mod words;
pub use words::{Frequencies, count_into, count_sequential, watch, words};

/// Counts the words of `text` with `workers` threads.
///
/// Splits the text at line boundaries into at most `workers` pieces, counts each piece on a
/// thread of its own, and merges the partial counts. The result equals
/// [`count_sequential`]`(text)` for every `workers >= 1`, also when there are more workers than
/// lines and when the text is empty.
///
/// # Panics
///
/// Panics if `workers` is 0.
pub fn count_parallel(text: &str, workers: usize) -> Frequencies {
    assert!(workers > 0, "counting needs at least one worker");
    let lines: Vec<&str> = text.lines().collect();

    // Rounding up gives at most `workers` pieces; `max(1)` keeps `chunks` happy when there
    // are no lines at all (it then yields no pieces, and the result is empty).
    let lines_per_worker = lines.len().div_ceil(workers).max(1);

    thread::scope(|scope| {
        // Map: each piece borrows its lines from `lines`; the scope guarantees that every
        // thread has finished before `lines` goes away.
        let partials: Vec<_> = lines
            .chunks(lines_per_worker)
            .map(|piece| {
                scope.spawn(move || {
                    let mut partial = Frequencies::new();
                    for line in piece {
                        count_into(&mut partial, line);
                    }
                    partial
                })
            })
            .collect();

        // Reduce: the same word shows up in many partials, so counts are added, never replaced.
        let mut total = Frequencies::new();
        for partial in partials {
            let partial = partial.join().expect("a counting thread panicked");
            total.extend(partial);
        }
        total
    })
}
