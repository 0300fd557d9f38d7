//! Tests of running a process under a budget (Linux: process groups, /proc).

use super::*;
use std::time::Instant;

#[test]
fn a_hung_child_is_diagnosed_and_stopped_within_a_second_of_its_limit() {
    let limit = Duration::from_millis(500);
    let started = Instant::now();
    let budget = Budget {
        time: limit,
        resident_bytes: 1 << 30,
    };
    let finished =
        run_within(Command::new("sleep").arg("30"), budget, Launch::Direct).expect("sleep runs");
    let elapsed = started.elapsed();
    assert_eq!(finished.ending, Ending::TimedOut(limit));
    assert!(elapsed < limit + Duration::from_secs(1), "took {elapsed:?}");
    let diagnosis = finished.diagnosis.expect("a diagnosis");
    assert!(
        diagnosis.starts_with(testkit::diagnose::HEADER),
        "{diagnosis}"
    );
}

#[test]
fn a_child_that_grows_without_end_is_stopped_at_its_memory_budget() {
    // `tail` keeps the last lines of its input, and /dev/zero has no line ends: it holds
    // everything it reads.
    let budget = Budget {
        time: Duration::from_secs(60),
        resident_bytes: 64 << 20,
    };
    let started = Instant::now();
    let finished = run_within(
        Command::new("tail").arg("/dev/zero"),
        budget,
        Launch::Direct,
    )
    .expect("tail runs");
    assert_eq!(finished.ending, Ending::OutgrewMemory(64 << 20));
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
}
