//! Checks that the chunks really run at the same time.
//!
//! `meet` makes each summing thread wait, at its first number, until every chunk's thread has
//! reached that point (a `Barrier` sized to the number of chunks). Threads that all run at once
//! meet there and carry on. Threads that run one after another never meet: the first one waits
//! for company that only comes once it has finished, so the step times out and says why. Only
//! this file's one test calls `meet`, so the `static` barrier is never shared with another test
//! of this process.

use std::cell::Cell;
use std::sync::Barrier;

use spawn_join::parallel_sum_by;
use testkit::{STEP_LIMIT, within_or_explain};

/// 100 numbers on 4 threads: 4 chunks of 25.
const CHUNKS: usize = 4;

static MEETING: Barrier = Barrier::new(CHUNKS);

thread_local! {
    /// Whether this thread has already been to the meeting.
    static MET: Cell<bool> = const { Cell::new(false) };
}

/// Waits for the other chunks' threads on the first call on each thread; returns `x`.
fn meet(x: u64) -> u64 {
    if !MET.with(|met| met.replace(true)) {
        MEETING.wait();
    }
    x
}

#[test]
fn the_chunks_run_at_the_same_time() {
    let numbers: Vec<u64> = (1..=100).collect();
    let total = within_or_explain(
        STEP_LIMIT,
        "parallel_sum_by",
        "the 4 chunks ran one after another, not at the same time: each chunk's thread waits \
         at its first number until all 4 are running, and they never were. Did you join each \
         thread right after spawning it? Spawn every thread in the loop, and join them only \
         after it",
        move || parallel_sum_by(&numbers, CHUNKS, meet),
    );
    assert_eq!(
        total, 5050,
        "the sum of 1..=100 should be 5050 but was {total}"
    );
}
