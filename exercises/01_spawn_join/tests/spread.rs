//! Checks that the work really is shared out among spawned threads.
//!
//! Only this file's one test uses the `static` record below (through `record`, which is this
//! file's own), so it is never shared with another test running at the same time in this
//! process. `ThreadId`s are never reused within a process, so counting distinct ids counts the
//! threads that did the work, whatever order they ran in.

use std::collections::HashSet;
use std::sync::Mutex;
use std::thread::{self, ThreadId};

use spawn_join::parallel_sum_by;
use testkit::{STEP_LIMIT, within_or_explain};

/// The ids of the threads on which `record` ran.
static SEEN: Mutex<Vec<ThreadId>> = Mutex::new(Vec::new());

/// Notes which thread called it, and returns its argument.
fn record(x: u64) -> u64 {
    SEEN.lock().unwrap().push(thread::current().id());
    x
}

#[test]
fn the_work_is_shared_by_several_threads_but_never_more_than_asked() {
    let numbers: Vec<u64> = (1..=100).collect();
    let total = within_or_explain(
        STEP_LIMIT,
        "parallel_sum_by",
        "a summing thread never finished: are you joining the threads you spawned?",
        move || parallel_sum_by(&numbers, 3, record),
    );
    let seen = SEEN.lock().unwrap().clone();
    assert_eq!(
        seen.len(),
        100,
        "`f` should be called once for each of the 100 numbers, but was called {} times: \
         does every thread run `f` over its whole chunk, and is every thread joined before \
         `parallel_sum_by` returns?",
        seen.len()
    );
    let threads: HashSet<ThreadId> = seen.into_iter().collect();
    assert!(
        threads.len() >= 2,
        "with 3 threads asked for, all the work ran on a single thread: spawn one thread per \
         chunk with `std::thread::spawn`, and call `f` inside the spawned closure"
    );
    assert!(
        threads.len() <= 3,
        "3 threads were asked for, but `f` ran on {} different threads: cut the 100 numbers \
         into at most 3 chunks (round the chunk length up: 100 / 3 rounds down to 33, which \
         makes 4 chunks)",
        threads.len()
    );
    assert_eq!(
        total, 5050,
        "the sum of 1..=100 should be 5050 but was {total}"
    );
}
