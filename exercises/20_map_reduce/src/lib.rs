//! Word frequencies, map-reduce style.
//!
//! *Map*: split the input into pieces and count the words of each piece on its own thread.
//! *Reduce*: merge the partial counts into one. Done right, the result is exactly what one
//! thread counting the whole text would get, however many workers you use.

use std::collections::HashMap;
use std::thread;

/// How many times each word occurs.
pub type Frequencies = HashMap<String, usize>;

/// Splits `text` into normalised words.
///
/// - A word is a longest run of alphanumeric characters (`char::is_alphanumeric`, so letters
///   such as `é` or `ß` and digits count). Everything else separates words: whitespace, line
///   breaks, punctuation, apostrophes, `_`. So "don't" is the two words "don" and "t".
/// - Words are lowercased with `str::to_lowercase`: "The", "THE" and "the" are one word.
///
/// A word never spans two lines.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
}

/// Adds the words of `text` to `counts`.
pub fn count_into(counts: &mut Frequencies, text: &str) {
    for word in words(text) {
        *counts.entry(word).or_insert(0) += 1;
    }
}

/// Counts the words of `text` on the calling thread. This is the reference result.
pub fn count_sequential(text: &str) -> Frequencies {
    let mut counts = Frequencies::new();
    count_into(&mut counts, text);
    counts
}

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

    // TODO: this size is rounded down. With 10 lines and 3 workers it is 3, which makes 4
    // pieces: one thread more than asked for. With more workers than lines (or no lines at
    // all) it is 0, and `chunks(0)` panics. Round up instead, and never go below 1.
    let lines_per_worker = lines.len() / workers;

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

        // Reduce.
        let mut total = Frequencies::new();
        for partial in partials {
            let partial = partial.join().expect("a counting thread panicked");
            // TODO: `extend` inserts each (word, count) pair, and for a word that is already
            // in `total` it REPLACES the count. Add the counts together instead.
            total.extend(partial);
        }
        total
    })
}
