//! Checks that the chunks really run at the same time.
//!
//! The `f` given here makes each thread wait, at its first value, until the threads of every
//! chunk have reached that point (a `Barrier` sized to the number of chunks). Threads that run
//! at once meet there and carry on; threads that run one after another (each joined before the
//! next is spawned) never meet, and the step times out with a message that says so. Which
//! thread is new is told by `ThreadId`s, which are never reused.
//!
//! This is a file of its own so that it is judged after the checks in `scoped_threads.rs`: a
//! function that does all its work on the calling thread is told that first (the checker
//! reports the failures of the first test file, in name order, that has any).

use std::collections::HashSet;
use std::sync::{Barrier, Mutex};
use std::thread;

use scoped_threads::{parallel_map_in_place, parallel_sum_by};
use testkit::{STEP_LIMIT, within_or_explain};

/// 100 values on 4 threads: 4 chunks of 25.
const CHUNKS: usize = 4;

fn one_after_another(function: &str) -> String {
    format!(
        "the {CHUNKS} chunks of {function} ran one after another, not at the same time: each \
         chunk's thread waits at its first value until all {CHUNKS} are running, and they never \
         were. Did you `join` each scoped thread right after spawning it? Spawn them all first \
         (collect the handles), then join; or let the scope join them when it ends"
    )
}

/// A meeting point for the threads of one call: `arrive` waits for the others the first time
/// each thread calls it.
struct Meeting {
    arrived: Mutex<HashSet<thread::ThreadId>>,
    barrier: Barrier,
}

impl Meeting {
    fn new() -> Self {
        Meeting {
            arrived: Mutex::new(HashSet::new()),
            barrier: Barrier::new(CHUNKS),
        }
    }

    fn arrive(&self) {
        let first_time = self
            .arrived
            .lock()
            .expect("the test's own lock")
            .insert(thread::current().id());
        if first_time {
            self.barrier.wait();
        }
    }
}

#[test]
fn the_chunks_of_the_sum_run_at_the_same_time() {
    let total = within_or_explain(
        STEP_LIMIT,
        "parallel_sum_by",
        &one_after_another("parallel_sum_by"),
        || {
            let meeting = Meeting::new();
            let numbers: Vec<u64> = (1..=100).collect();
            parallel_sum_by(&numbers, CHUNKS, |x| {
                meeting.arrive();
                x
            })
        },
    );
    assert_eq!(
        total, 5050,
        "the sum of 1..=100 should be 5050 but was {total}"
    );
}

#[test]
fn the_chunks_of_the_map_run_at_the_same_time() {
    let values = within_or_explain(
        STEP_LIMIT,
        "parallel_map_in_place",
        &one_after_another("parallel_map_in_place"),
        || {
            let meeting = Meeting::new();
            let mut values: Vec<u64> = (1..=100).collect();
            parallel_map_in_place(&mut values, CHUNKS, |v| {
                meeting.arrive();
                v * 10
            });
            values
        },
    );
    assert_eq!(
        values,
        (1..=100).map(|v| v * 10).collect::<Vec<u64>>(),
        "every value should be mapped once, in place"
    );
}
