//! Behaviour tests for the counter and the stop flag.
//!
//! These run on real threads, on this machine. The lost update in `update` is made certain, not
//! likely: in `an_update_is_not_lost_...` both threads meet at a `Barrier` inside `f`, so both
//! have read the count before either can write it. `increment` has no `f` to meet in, so real
//! threads only catch a lost increment when the scheduler happens to switch at the wrong
//! moment, and a wrong `Ordering` almost never (x86 hides most of them): `tests/loom_check.rs`
//! checks both under every interleaving, on every run.

use atomics::{Counter, StopFlag, run_until_stopped};
use std::sync::{Arc, Barrier, mpsc};
use std::thread;
use testkit::{STEP_LIMIT, within_or_explain};

#[test]
fn increments_from_eight_threads_are_never_lost() {
    const THREADS: u64 = 8;
    const PER_THREAD: u64 = 1000;
    let counter = Counter::new();
    assert_eq!(counter.get(), 0, "a new counter must start at 0");
    let first = counter.increment();
    assert!(
        first == 0,
        "the first `increment` must return the count from before it, 0, but returned {first}: \
         `fetch_add` returns the old value"
    );
    let tickets: Vec<u64> = thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                s.spawn(|| {
                    (0..PER_THREAD)
                        .map(|_| counter.increment())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a thread calling `increment` panicked"))
            .collect()
    });
    let count = counter.get();
    assert!(
        count == 1 + THREADS * PER_THREAD,
        "8 threads called `increment` 1000 times each and an increment was lost (the count is \
         {count}, not 8001): `increment` must be ONE atomic step, `fetch_add`, not a `load` and \
         then a `store`"
    );
    let mut tickets = tickets;
    tickets.sort_unstable();
    assert!(
        tickets.iter().copied().eq(1..=THREADS * PER_THREAD),
        "`increment` must return the count from just before it, and no two calls may get the \
         same number: the threads must get each of 1..=8000 exactly once"
    );
}

#[test]
fn an_update_is_not_lost_when_two_threads_read_before_either_writes() {
    let counter = Arc::new(Counter::new());
    // Each thread's `f` waits here on its first call, so both threads have read the count
    // before either of them can write. Later calls (a retry) go straight through.
    let both_have_read = Arc::new(Barrier::new(2));
    let olds = within_or_explain(
        STEP_LIMIT,
        "two threads updating the counter",
        "the two calls of `f` never met at the barrier: `update` must let two threads run `f` \
         at the same time. Does it hold a lock while calling `f`? Use a compare-and-swap loop \
         (`AtomicU64::update`), which never blocks",
        {
            let counter = Arc::clone(&counter);
            move || {
                let handles: Vec<_> = (0..2)
                    .map(|_| {
                        let counter = Arc::clone(&counter);
                        let both_have_read = Arc::clone(&both_have_read);
                        thread::spawn(move || {
                            let mut first_call = true;
                            counter.update(|n| {
                                if first_call {
                                    first_call = false;
                                    both_have_read.wait();
                                }
                                n + 1
                            })
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("a thread calling `update` panicked"))
                    .collect::<Vec<_>>()
            }
        },
    );
    let count = counter.get();
    assert!(
        count == 2,
        "two threads called `update` at once and one update was lost (two updates of n + 1 \
         from 0 gave {count}, not 2): `update` must only write if the count is still the one \
         `f` saw, and call `f` again if not (`AtomicU64::update`, `fetch_update`, or a \
         `compare_exchange` loop)\nBoth threads read 0 before either wrote: the barrier in \
         this test makes sure of it."
    );
    let mut olds = olds;
    olds.sort_unstable();
    assert_eq!(
        olds,
        [0, 1],
        "`update` must return the count it replaced: one call replaced 0, the other 1"
    );
}

#[test]
fn a_worker_started_after_stop_runs_no_step() {
    let steps = within_or_explain(
        STEP_LIMIT,
        "a worker whose flag is already raised",
        "`run_until_stopped` never returned: it must check the flag before every step",
        || {
            let stop = StopFlag::new();
            assert_eq!(stop.reason(), None, "a new flag must not be raised");
            stop.stop(7);
            assert!(
                stop.is_stopped(),
                "after `stop`, `is_stopped` must be true: `stop` must raise the flag"
            );
            assert_eq!(
                stop.reason(),
                Some(7),
                "after `stop(7)`, the reason must be 7"
            );
            run_until_stopped(&stop, || {
                panic!(
                    "a step ran although `stop` was called before the worker started: \
                     `stop` must raise the flag, and `run_until_stopped` must check it \
                     before every step"
                )
            })
        },
    );
    assert_eq!(steps, 0, "no step may run once the flag is raised");
}

#[test]
fn one_stop_ends_every_running_worker_and_they_all_see_the_reason() {
    const WORKERS: usize = 3;
    let stop = Arc::new(StopFlag::new());
    let (started_tx, started_rx) = mpsc::channel();
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let stop = Arc::clone(&stop);
            let started_tx = started_tx.clone();
            thread::spawn(move || {
                // Announce the first step only, so three messages mean three workers.
                let mut announced = false;
                let steps = run_until_stopped(&stop, || {
                    if !announced {
                        announced = true;
                        let _ = started_tx.send(());
                    }
                    thread::yield_now();
                });
                (steps, stop.reason())
            })
        })
        .collect();
    drop(started_tx);
    within_or_explain(
        STEP_LIMIT,
        "three workers taking their first step",
        "a worker never ran a step although nobody had called `stop`",
        move || {
            for _ in 0..WORKERS {
                started_rx
                    .recv()
                    .expect("a worker ended before its first step, although nobody called `stop`");
            }
        },
    );
    // Every worker is running now.
    stop.stop(42);
    let results = within_or_explain(
        STEP_LIMIT,
        "three workers told to stop",
        "the workers kept going after `stop(42)`: does `stop` raise the flag, and does \
         `run_until_stopped` check it before every step?",
        move || {
            workers
                .into_iter()
                .map(|w| w.join().expect("a worker panicked"))
                .collect::<Vec<_>>()
        },
    );
    for (steps, reason) in results {
        assert!(
            steps >= 1,
            "each worker ran a step before `stop`, but one reported {steps}"
        );
        assert_eq!(
            reason,
            Some(42),
            "a worker that stopped must see the reason given to `stop`"
        );
    }
}
