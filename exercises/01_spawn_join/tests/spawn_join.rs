//! Behaviour tests for `parallel_sum` and `parallel_sum_by`.
//!
//! Every call runs under `testkit::within`, so a thread that never finishes becomes a failure
//! instead of a frozen test run. The verdicts depend only on the values returned, never on
//! which thread happens to run first.

use spawn_join::{parallel_sum, parallel_sum_by};
use testkit::{STEP_LIMIT, within_or_explain};

const HANG_HINT: &str = "a summing thread never finished: does each thread's closure end, and \
                         are you joining the handles of the threads you spawned?";

/// Runs `parallel_sum(numbers, threads)` under a time limit.
fn sum_on(numbers: Vec<u64>, threads: usize) -> u64 {
    within_or_explain(STEP_LIMIT, "parallel_sum", HANG_HINT, move || {
        parallel_sum(&numbers, threads)
    })
}

#[test]
fn one_thread_sums_one_to_a_hundred() {
    let total = sum_on((1..=100).collect(), 1);
    assert_eq!(
        total, 5050,
        "parallel_sum(1..=100, 1 thread) should be 5050 but was {total}: is the one handle \
         joined, and is the value it returns added to the total?"
    );
}

#[test]
fn two_threads_give_the_same_total_as_one() {
    let total = sum_on((1..=100).collect(), 2);
    assert_eq!(
        total, 5050,
        "parallel_sum(1..=100, 2 threads) should be 5050 but was {total}: every handle must be \
         joined and every partial sum added"
    );
}

#[test]
fn every_thread_count_gives_the_sequential_total() {
    // 1000 numbers that are not all alike, so a chunk counted twice or lost shows up.
    let numbers: Vec<u64> = (0..1000).map(|i| (i * 7919) % 1009).collect();
    let expected: u64 = numbers.iter().sum();
    for threads in [1, 2, 3, 4, 7, 16] {
        let total = sum_on(numbers.clone(), threads);
        assert_eq!(
            total, expected,
            "parallel_sum over 1000 numbers with threads = {threads} should be {expected} but \
             was {total}: is every handle joined, do the chunks cover every number exactly \
             once, and is every partial sum added?"
        );
    }
}

#[test]
fn more_threads_than_numbers_still_count_each_number_once() {
    let total = sum_on(vec![10, 20, 30], 8);
    assert_eq!(
        total, 60,
        "parallel_sum([10, 20, 30], 8 threads) should be 60 but was {total}: with more threads \
         than numbers, some threads have nothing to do, but every number still counts once"
    );
}

#[test]
fn an_empty_slice_sums_to_zero() {
    let total = sum_on(Vec::new(), 4);
    assert_eq!(
        total, 0,
        "parallel_sum([], 4 threads) should be 0 but was {total}"
    );
}

#[test]
fn the_function_is_applied_to_every_number() {
    fn square(x: u64) -> u64 {
        x * x
    }
    let numbers: Vec<u64> = (1..=10).collect();
    let total = within_or_explain(STEP_LIMIT, "parallel_sum_by", HANG_HINT, move || {
        parallel_sum_by(&numbers, 3, square)
    });
    assert_eq!(
        total, 385,
        "the sum of the squares of 1..=10 on 3 threads should be 385 but was {total}: does each \
         thread call `f` on every number of its chunk and return the sum of the results?"
    );
}
