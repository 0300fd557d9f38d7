//! Behaviour tests for `parallel_sum_by` and `parallel_map_in_place`.
//!
//! Each test runs under `testkit::within`, so a thread that never finishes becomes a failure.
//! The closures passed in borrow locals of the test (a `Mutex`, an atomic counter, a table),
//! which only scoped threads allow. Which threads did the work is counted with `ThreadId`s,
//! which are never reused, so no verdict depends on timing or on the order threads run in.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::{self, ThreadId};

use scoped_threads::{parallel_map_in_place, parallel_sum_by};
use testkit::{STEP_LIMIT, within_or_explain};

const HANG_HINT: &str = "a scoped thread never finished: does every thread's closure end? \
                         `thread::scope` waits for all of them before it returns";

/// Checks that the calls recorded in `seen` ran on 2 to `threads` distinct threads.
fn assert_spread(seen: Vec<ThreadId>, threads: usize, function: &str) {
    let distinct: HashSet<ThreadId> = seen.into_iter().collect();
    assert!(
        distinct.len() >= 2,
        "{function} with {threads} threads ran all its work on one thread: inside \
         `std::thread::scope(|s| ...)`, start one thread per chunk with `s.spawn`, and call `f` \
         in those threads"
    );
    assert!(
        distinct.len() <= threads,
        "{function} was given {threads} threads but `f` ran on {} different threads: use at \
         most {threads} chunks (the given `chunk_len` does that)",
        distinct.len()
    );
}

#[test]
fn the_sum_matches_the_sequential_sum_for_every_thread_count() {
    within_or_explain(STEP_LIMIT, "parallel_sum_by", HANG_HINT, || {
        let numbers: Vec<u64> = (0..1000).map(|i| (i * 7919) % 1009).collect();
        // `f` borrows this local table: fine for scoped threads, impossible for `thread::spawn`.
        let weights = [1, 2, 3];
        let weigh = |x: u64| x * weights[(x % 3) as usize];
        let expected: u64 = numbers.iter().map(|&x| weigh(x)).sum();
        for threads in [1, 2, 3, 7, 16] {
            let total = parallel_sum_by(&numbers, threads, weigh);
            assert_eq!(
                total, expected,
                "parallel_sum_by over 1000 numbers with threads = {threads} should be \
                 {expected} but was {total}: does every chunk get summed once, and is every \
                 thread's partial sum added?"
            );
        }
    });
}

#[test]
fn more_threads_than_numbers_and_an_empty_slice_are_fine() {
    within_or_explain(STEP_LIMIT, "parallel_sum_by", HANG_HINT, || {
        let total = parallel_sum_by(&[10, 20, 30], 8, |x| x);
        assert_eq!(
            total, 60,
            "parallel_sum_by([10, 20, 30], 8 threads) should be 60 but was {total}: every \
             number counts once, even when some threads have nothing to do"
        );
        let total = parallel_sum_by(&[], 4, |x| x);
        assert_eq!(
            total, 0,
            "the sum of an empty slice should be 0 but was {total}"
        );
    });
}

#[test]
fn the_sum_is_shared_by_several_threads() {
    let seen = within_or_explain(STEP_LIMIT, "parallel_sum_by", HANG_HINT, || {
        let seen = Mutex::new(Vec::new());
        let total = parallel_sum_by(&(1..=100).collect::<Vec<u64>>(), 3, |x| {
            seen.lock().unwrap().push(thread::current().id());
            x
        });
        assert_eq!(
            total, 5050,
            "the sum of 1..=100 should be 5050 but was {total}"
        );
        seen.into_inner().unwrap()
    });
    assert_eq!(
        seen.len(),
        100,
        "`f` should be called once per number (100 times) but was called {} times",
        seen.len()
    );
    assert_spread(seen, 3, "parallel_sum_by");
}

#[test]
fn every_value_is_mapped_exactly_once_in_place() {
    within_or_explain(STEP_LIMIT, "parallel_map_in_place", HANG_HINT, || {
        for (len, threads) in [(10, 1), (10, 3), (100, 4), (3, 8), (0, 2)] {
            let mut values: Vec<u64> = (0..len).collect();
            let calls = AtomicUsize::new(0);
            // Mapping twice would give 4v + 3, so a value mapped twice shows up.
            parallel_map_in_place(&mut values, threads, |v| {
                calls.fetch_add(1, Ordering::Relaxed);
                2 * v + 1
            });
            let expected: Vec<u64> = (0..len).map(|v| 2 * v + 1).collect();
            assert_eq!(
                values, expected,
                "after parallel_map_in_place(0..{len}, threads = {threads}, v -> 2v + 1) every \
                 value should be mapped exactly once, in place: do the chunks of \
                 `chunks_mut` cover the slice exactly once?"
            );
            let calls = calls.into_inner();
            assert_eq!(
                calls, len as usize,
                "`f` should be called once per value ({len}) but was called {calls} times \
                 (threads = {threads})"
            );
        }
    });
}

#[test]
fn the_mapping_is_shared_by_several_threads() {
    let seen = within_or_explain(STEP_LIMIT, "parallel_map_in_place", HANG_HINT, || {
        let seen = Mutex::new(Vec::new());
        let mut values: Vec<u64> = (1..=100).collect();
        parallel_map_in_place(&mut values, 3, |v| {
            seen.lock().unwrap().push(thread::current().id());
            v + 1
        });
        seen.into_inner().unwrap()
    });
    assert_eq!(
        seen.len(),
        100,
        "`f` should be called once per value (100 times) but was called {} times",
        seen.len()
    );
    assert_spread(seen, 3, "parallel_map_in_place");
}
