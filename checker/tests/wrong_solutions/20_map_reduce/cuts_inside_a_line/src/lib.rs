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
    // Cut the text into `workers` pieces of about the same number of bytes, each ending on
    // a character boundary, so that every thread gets the same amount of work.
    let size = text.len().div_ceil(workers).max(1);
    let mut pieces: Vec<&str> = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let mut end = (start + size).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        pieces.push(&text[start..end]);
        start = end;
    }

    thread::scope(|scope| {
        // Map: each piece is a borrowed slice of `text`.
        let partials: Vec<_> = pieces
            .into_iter()
            .map(|piece| {
                scope.spawn(move || {
                    let mut partial = Frequencies::new();
                    count_into(&mut partial, piece);
                    partial
                })
            })
            .collect();

        // Reduce: the same word shows up in many partials, so counts are added, never replaced.
        let mut total = Frequencies::new();
        for partial in partials {
            let partial = partial.join().expect("a counting thread panicked");
            for (word, count) in partial {
                *total.entry(word).or_insert(0) += count;
            }
        }
        total
    })
}
