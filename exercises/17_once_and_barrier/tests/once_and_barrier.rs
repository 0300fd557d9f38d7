//! Behaviour tests for `Lazy` and `shares`.
//!
//! - `Lazy`: eight threads meet at a `Barrier` and then call `get` together. The `init` counts
//!   its calls with an atomic and does not return until all eight threads have either started a
//!   build of their own or wait for it in the cell's `get_or_init` (the given `WatchedOnceLock`
//!   counts them), so they all overlap with it.
//! - `shares`: the given `Straggler` makes worker 0 publish its sum last, for certain, so a
//!   missing barrier always shows up as a wrong total.

use once_and_barrier::{Lazy, shares};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use testkit::{STEP_LIMIT, within_or_explain};

#[test]
fn a_second_call_returns_the_same_value_without_building_it_again() {
    let builds = Arc::new(AtomicUsize::new(0));
    let lazy = Lazy::new({
        let builds = Arc::clone(&builds);
        move || {
            builds.fetch_add(1, Ordering::SeqCst);
            vec![2, 3, 5, 7]
        }
    });
    assert_eq!(
        builds.load(Ordering::SeqCst),
        0,
        "`Lazy::new` must not build the value yet"
    );
    let first = lazy.get();
    let second = lazy.get();
    assert_eq!(
        *first,
        [2, 3, 5, 7],
        "`get` must return the value that `init` built"
    );
    assert!(
        std::ptr::eq(first, second),
        "both calls must return a reference to the same stored value"
    );
    assert_eq!(
        builds.load(Ordering::SeqCst),
        1,
        "two calls of `get` ran `init` {} times: it must run only on the first call, and later \
         calls return the value stored in the cell",
        builds.load(Ordering::SeqCst)
    );
}

const THREADS: usize = 8;
/// How many times `build_while_the_others_race` has started.
static BUILDS: AtomicUsize = AtomicUsize::new(0);
/// A `Lazy` in a static, as its documentation promises it works: its `init` can watch it.
static RACED: Lazy<Vec<u64>> = Lazy::new(build_while_the_others_race);

/// The `init` of `RACED`. It keeps building until every one of the eight threads has either
/// started a build of its own (as a "check, then set" lets each of them do) or is waiting for
/// this build in the cell's `get_or_init`. So all eight certainly race with it.
fn build_while_the_others_race() -> Vec<u64> {
    BUILDS.fetch_add(1, Ordering::SeqCst);
    while BUILDS.load(Ordering::SeqCst) < THREADS && RACED.waiting_for_init() < THREADS {
        thread::yield_now();
    }
    (1..=100u64).collect()
}

#[test]
fn eight_racing_threads_build_the_value_exactly_once_and_share_it() {
    let start_together = Arc::new(Barrier::new(THREADS));
    let seen = within_or_explain(
        STEP_LIMIT,
        "eight threads calling `get` at once",
        "a thread never got the value: threads that arrive while `init` runs must wait for it in \
         the cell's `get_or_init` (keep the given `WatchedOnceLock`: `init` here goes on only \
         once it sees every thread waiting there), not in a lock of your own",
        move || {
            let handles: Vec<_> = (0..THREADS)
                .map(|_| {
                    let start_together = Arc::clone(&start_together);
                    thread::spawn(move || {
                        start_together.wait();
                        let value = RACED.get();
                        // The address says which stored value this thread was given.
                        (std::ptr::from_ref(value).addr(), value.iter().sum::<u64>())
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a thread calling `get` panicked"))
                .collect::<Vec<_>>()
        },
    );
    let builds = BUILDS.load(Ordering::SeqCst);
    assert_eq!(
        builds, 1,
        "8 threads called `get` at the same time and `init` ran {builds} times: checking whether \
         the cell is empty and then filling it is two steps, and every thread got between them. \
         `init` must run exactly once, while the other threads wait for its value \
         (`get_or_init` checks and claims the cell as one step)"
    );
    for &(address, sum) in &seen {
        assert_eq!(
            sum, 5050,
            "every thread must see the value that `init` built"
        );
        assert_eq!(
            address, seen[0].0,
            "every thread must get a reference to the one stored value"
        );
    }
}

fn shares_within_limit(chunks: Vec<Vec<u64>>) -> Vec<u64> {
    within_or_explain(
        STEP_LIMIT,
        "the workers of shares",
        "the workers never got past the barrier: `PhaseBarrier::new(n)` lets them go once n \
         threads have called `wait`, and only the workers call it (with n too big it never \
         opens; too small, it opens early and then waits for a second group that never comes). \
         Use the given `PhaseBarrier`: the given `Straggler` watches it to know who is waiting.",
        move || shares(&chunks),
    )
}

fn explain_wrong_shares(got: &[u64], expected: &[u64]) -> String {
    format!(
        "a worker added up the sums before every worker had published its own: each worker must \
         wait at the barrier after it publishes its sum and before it reads the others' (got the \
         shares {got:?}, expected {expected:?}; a share that is too big was computed without \
         worker 0's sum, and worker 0, made slow on purpose, certainly had not published yet)"
    )
}

#[test]
fn every_worker_sees_every_sum_before_it_computes_its_share() {
    let chunks = vec![
        vec![1, 2, 3, 4],
        vec![5, 15],
        vec![30],
        vec![10, 10, 10, 10],
    ];
    let got = shares_within_limit(chunks);
    let expected = [10, 20, 30, 40];
    assert_eq!(got, expected, "{}", explain_wrong_shares(&got, &expected));
}

#[test]
fn eight_workers_meet_at_the_barrier_between_the_phases() {
    let chunks: Vec<Vec<u64>> = (0..8).map(|_| vec![1; 4]).collect();
    let got = shares_within_limit(chunks);
    let expected = [12; 8];
    assert_eq!(got, expected, "{}", explain_wrong_shares(&got, &expected));
}
