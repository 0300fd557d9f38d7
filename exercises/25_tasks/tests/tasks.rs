//! Each step runs on a single-threaded tokio runtime whose clock is paused (testkit's
//! `within_async`): tasks take turns on one thread, a job's seconds take no real time, and
//! every run sees the same times, so "all jobs started together" is an exact fact.

use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;
use tasks::{Report, Seen, Tracker, fastest, run_all};
use testkit::{STEP_LIMIT, TIMEOUT_MARKER};
use testkit_async::within_async;
use tokio::time::Instant;

/// Runs an async step; a panic inside it (other than a `todo!`) becomes a failure whose first
/// line is `instead`.
fn without_panic<T, F, Fut>(what: &str, instead: &str, make: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = T>,
{
    match panic::catch_unwind(AssertUnwindSafe(|| within_async(STEP_LIMIT, what, make))) {
        Ok(value) => value,
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            if message.starts_with(TIMEOUT_MARKER) || message.starts_with("not yet implemented") {
                panic::resume_unwind(payload)
            }
            panic!("{instead}\n(the panic: {message})")
        }
    }
}

const PANICKED: &str = "`run_all` panicked because a job's task panicked: joining that task gives \
     `Err(JoinError)` with `is_panic()` true. Record the job in `panicked`; do not `unwrap` it.";

/// Jobs 1, 2 and 3 taking 3, 1 and 2 seconds, with outputs 10, 20 and 30, run by `run_all`.
fn run_three(what: &str) -> (Report, Seen, Instant, Duration) {
    without_panic(what, PANICKED, || async {
        let tracker = Tracker::new();
        let jobs = vec![
            tracker.job(1, 3, 10),
            tracker.job(2, 1, 20),
            tracker.job(3, 2, 30),
        ];
        let start = Instant::now();
        let report = run_all(jobs).await;
        (report, tracker.seen(), start, start.elapsed())
    })
}

// ---- 1: run_all ----

#[test]
fn all_jobs_run_each_in_a_task_of_its_own() {
    let (_, seen, _, _) = run_three("run three jobs");
    for (id, _, task) in &seen.started {
        assert!(
            task.is_some(),
            "job {id} ran in the caller's own future, not in a task of its own: spawn each job \
             (`JoinSet::spawn` or `tokio::spawn`) so that the runtime runs it as a task"
        );
    }
    let tasks: HashSet<_> = seen
        .started
        .iter()
        .filter_map(|(_, _, task)| *task)
        .collect();
    assert_eq!(
        tasks.len(),
        3,
        "the 3 jobs ran in {} tasks: give each job a task of its own",
        tasks.len()
    );
}

#[test]
fn all_jobs_run_at_once() {
    let (_, seen, start, elapsed) = run_three("run three jobs");
    assert_eq!(seen.started.len(), 3, "every job must be started once");
    for (id, at, _) in &seen.started {
        let at = at.duration_since(start);
        assert_eq!(
            at,
            Duration::ZERO,
            "job {id} started at {at:?}, after another job had finished: the jobs ran one after \
             another. Spawn every task first, and only then wait for them; a spawned task runs \
             on its own, whether or not anyone awaits it yet."
        );
    }
    assert_eq!(
        elapsed,
        Duration::from_secs(3),
        "jobs of 3, 1 and 2 seconds at once take 3 s, but `run_all` took {elapsed:?}"
    );
}

#[test]
fn all_jobs_outputs_are_collected_sorted_by_id() {
    let (report, _, _, _) = run_three("run three jobs");
    assert_eq!(
        report,
        Report {
            outputs: vec![(1, 10), (2, 20), (3, 30)],
            panicked: vec![],
        },
        "`run_all` must give every job's `(id, output)`, sorted by id (the jobs finish in another \
         order: 2, 3, 1)"
    );
}

#[test]
fn all_jobs_a_panicked_job_is_reported_and_the_others_finish() {
    let (report, seen) = without_panic("run jobs, one of them buggy", PANICKED, || async {
        let tracker = Tracker::new();
        let jobs = vec![
            tracker.job(1, 2, 10),
            tracker.buggy_job(2, 1),
            tracker.job(3, 3, 30),
            tracker.buggy_job(4, 2),
        ];
        let report = run_all(jobs).await;
        (report, tracker.seen())
    });
    assert_eq!(
        report.panicked,
        vec![2, 4],
        "jobs 2 and 4 panicked, but `run_all` reported {:?} as panicked: map each failed task's \
         `JoinError::id()` back to its job",
        report.panicked
    );
    assert_eq!(
        report.outputs,
        vec![(1, 10), (3, 30)],
        "the jobs that did not panic must still finish and be reported"
    );
    assert_eq!(seen.finished.len(), 2, "jobs 1 and 3 must finish");
}

// ---- 2: fastest ----

#[test]
fn fastest_returns_the_first_job_to_finish() {
    let (first, elapsed) = without_panic(
        "the fastest of three jobs",
        "`fastest` panicked for jobs that do not panic",
        || async {
            let tracker = Tracker::new();
            let jobs = vec![
                tracker.job(1, 3, 10),
                tracker.job(2, 1, 20),
                tracker.job(3, 2, 30),
            ];
            let start = Instant::now();
            let first = fastest(jobs).await;
            (first, start.elapsed())
        },
    );
    assert_eq!(
        first,
        Some((2, 20)),
        "job 2 (1 s) finishes first, but `fastest` returned {first:?}"
    );
    // A little later than 1 s is no mistake (a learner may poll); waiting for a second job is.
    assert!(
        elapsed < Duration::from_secs(2),
        "the fastest job takes 1 s, but `fastest` took {elapsed:?}: run the jobs at once and \
         return as soon as the first one finishes"
    );
}

#[test]
fn fastest_stops_the_slower_jobs() {
    let seen = without_panic(
        "the fastest of three jobs, then wait",
        "`fastest` panicked for jobs that do not panic",
        || async {
            let tracker = Tracker::new();
            let jobs = vec![
                tracker.job(1, 3, 10),
                tracker.job(2, 1, 20),
                tracker.job(3, 2, 30),
            ];
            let _ = fastest(jobs).await;
            // Long enough for every job to finish, if it still runs.
            tokio::time::sleep(Duration::from_secs(60)).await;
            tracker.seen()
        },
    );
    assert_eq!(
        seen.finished,
        vec![2],
        "jobs {:?} finished although `fastest` had returned at once: a task runs on until it \
         ends or is aborted, and dropping its `JoinHandle` only detaches it. Abort the slower \
         tasks (a `JoinSet` aborts its tasks when it is dropped).",
        seen.finished
    );
}

#[test]
fn fastest_skips_a_job_that_panicked() {
    let first = without_panic(
        "the fastest of jobs whose fastest is buggy",
        "`fastest` panicked because a job panicked: a task's panic comes back as \
         `Err(JoinError)`; skip that job and wait for the next",
        || async {
            let tracker = Tracker::new();
            let jobs = vec![
                tracker.job(1, 3, 10),
                tracker.buggy_job(2, 1),
                tracker.job(3, 2, 30),
            ];
            fastest(jobs).await
        },
    );
    assert_eq!(
        first,
        Some((3, 30)),
        "job 2 panicked, so the first output is job 3's (2 s), but `fastest` returned {first:?}"
    );
}

#[test]
fn fastest_of_jobs_that_all_panic_is_none() {
    let (all_buggy, none) = without_panic(
        "the fastest of buggy jobs",
        "`fastest` panicked because a job panicked: a task's panic comes back as \
         `Err(JoinError)`; skip that job",
        || async {
            let tracker = Tracker::new();
            let all_buggy = fastest(vec![tracker.buggy_job(1, 1), tracker.buggy_job(2, 2)]).await;
            (all_buggy, fastest(Vec::new()).await)
        },
    );
    assert_eq!(
        all_buggy, None,
        "every job panicked, so there is no output to return"
    );
    assert_eq!(none, None, "no jobs, no output");
}
