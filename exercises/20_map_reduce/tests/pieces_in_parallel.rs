//! How the work is done: the pieces are counted on separate threads, at the same time, and
//! there are never more pieces than workers. The course's `words` (which `count_into` calls)
//! makes the first thread of each piece wait there for the others, so a count that runs the
//! pieces one after another never finishes; no time is measured.
//!
//! The watch in `words` is global to the test process, which every test of this exercise
//! shares (see `main.rs`): this test holds `crate::one_at_a_time` while it watches, so that no
//! other test's threads are watched, and the tests that count take their turn there too.

use map_reduce::{count_parallel, count_sequential, watch};
use testkit::{STEP_LIMIT, within_or_explain};

/// `lines` lines of a few words each, with words shared by every line.
fn text_of(lines: usize) -> String {
    (0..lines)
        .map(|i| format!("the river {} stone {}\n", i % 7, i % 3))
        .collect()
}

#[test]
fn the_pieces_are_counted_at_the_same_time_and_never_more_than_workers() {
    let _turn = crate::one_at_a_time();
    // 1. 40 lines, 4 workers: 4 pieces of 10 lines, all counted at once.
    let text = text_of(40);
    let expected = count_sequential(&text);
    let seen = watch::start(4);
    let got = within_or_explain(
        STEP_LIMIT,
        "count 40 lines with 4 workers",
        "the 4 pieces were not counted at the same time: each piece's thread waited in `words` \
         for the other 3, and they never all came. Does every piece get a thread of its own, \
         spawned before any of them is joined (not one thread for the whole text, and not a \
         `join` right after each `spawn`)? And does each piece count with `count_into` (or \
         `words`)?",
        move || count_parallel(&text, 4),
    );
    watch::stop();
    assert!(
        got == expected,
        "with 4 workers on 40 lines the count differs from `count_sequential`: fix the other \
         tests first"
    );
    assert!(
        seen.threads() == 4,
        "40 lines with 4 workers were counted on {} thread(s), expected 4: count every piece \
         with `count_into` (or `words`), each on its own thread",
        seen.threads()
    );

    // 2. 10 lines, 3 workers: at most 3 pieces. Rounding the size down (10 / 3 = 3) makes a
    // fourth piece of 1 line, and a fourth thread.
    let text = text_of(10);
    let seen = watch::start(3);
    within_or_explain(
        STEP_LIMIT,
        "count 10 lines with 3 workers",
        "the 3 pieces were not counted at the same time: each piece's thread waited in `words` \
         for the others, and they never all came",
        move || count_parallel(&text, 3),
    );
    watch::stop();
    assert!(
        seen.threads() <= 3,
        "10 lines with 3 workers were cut into more pieces than workers ({} threads counted): \
         round the piece size up (`div_ceil`), so that there are at most `workers` pieces",
        seen.threads()
    );
}
