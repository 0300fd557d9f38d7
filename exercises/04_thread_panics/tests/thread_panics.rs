//! Behaviour tests for `run_jobs`. Some jobs here panic on purpose: their "thread 'worker-N'
//! panicked at ..." lines on stderr are expected. What matters is that `run_jobs` survives them.

use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::thread;

use testkit::{STEP_LIMIT, within_or_explain};
use thread_panics::{Failure, Job, Report, run_jobs};

fn job(f: impl FnOnce() -> u64 + Send + 'static) -> Job {
    Box::new(f)
}

fn message_of(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "<a non-string panic payload>".to_string()
    }
}

/// Runs `run_jobs` with a time limit, and turns a panic that escapes it into a failure that
/// explains what went wrong.
fn run(jobs: Vec<Job>) -> Report {
    let outcome = within_or_explain(
        STEP_LIMIT,
        "run_jobs",
        "are all the workers spawned before you join the first one? Some jobs here wait for \
         the job after them, so they must run at the same time",
        move || {
            panic::catch_unwind(AssertUnwindSafe(|| run_jobs(jobs))).map_err(|p| message_of(&*p))
        },
    );
    match outcome {
        Ok(report) => report,
        Err(message) => panic!(
            "run_jobs itself panicked with \"{message}\". A worker's panic comes back from \
             `join` as an `Err(payload)`: record it in `Report::failed` instead of unwrapping \
             it (and if the message is `not yet implemented`, write `panic_message`)"
        ),
    }
}

/// Names the classic mistakes first, from the shape of a report of `jobs` jobs of which the
/// ones at `panicked` panicked: a report that stopped at the first failure, a panic counted as
/// a value, a failure filed under the wrong worker. The tests' own assertions come after.
fn diagnose(report: &Report, jobs: usize, panicked: &[usize]) {
    let reported = report.ok.len() + report.failed.len();
    assert!(
        reported >= jobs,
        "only {reported} of the {jobs} jobs are in the report: `run_jobs` stopped at the first \
         worker that panicked. Keep joining every worker after a failure; one panic must not \
         hide the other jobs' results (got ok = {:?}, failed = {:?})",
        report.ok,
        report.failed
    );
    assert!(
        report.failed.len() >= panicked.len(),
        "{} jobs panicked but only {} are in `failed`, and `ok` has {:?}: a panicked job was \
         counted as a value (`unwrap_or`, `unwrap_or_default`, `unwrap_or_else` hide the panic). \
         Match on `join`: `Err(payload)` goes into `Report::failed`",
        panicked.len(),
        report.failed.len(),
        report.ok
    );
    for (failure, &index) in report.failed.iter().zip(panicked) {
        assert_eq!(
            failure.worker,
            format!("worker-{index}"),
            "job {index} panicked, but its failure names the worker {:?}, not \"worker-{index}\": \
             name each thread with `thread::Builder::new().name(format!(\"worker-{{i}}\"))`, and \
             keep that name next to its handle to report it",
            failure.worker
        );
    }
}

fn failure(worker: &str, message: &str) -> Failure {
    Failure {
        worker: worker.to_string(),
        message: message.to_string(),
    }
}

#[test]
fn every_job_runs_on_a_thread_named_after_its_position() {
    // Each job reports its index and the name of the thread it runs on.
    let (seen_tx, seen_rx) = mpsc::channel();
    let jobs = (0..4)
        .map(|i| {
            let seen_tx = seen_tx.clone();
            job(move || {
                let name = thread::current().name().map(str::to_owned);
                let _ = seen_tx.send((i, name));
                i as u64
            })
        })
        .collect();
    drop(seen_tx);

    let report = run(jobs);
    diagnose(&report, 4, &[]);

    assert_eq!(
        report.ok,
        vec![0, 1, 2, 3],
        "every job should have finished"
    );
    // Every job has finished (run_jobs joined them all), so every report is already waiting.
    let mut seen: Vec<_> = seen_rx.try_iter().collect();
    assert_eq!(seen.len(), 4, "each of the 4 jobs should have run once");
    seen.sort();
    for (i, name) in seen {
        assert_eq!(
            name.as_deref(),
            Some(format!("worker-{i}").as_str()),
            "job {i} ran on a thread named {name:?}, expected \"worker-{i}\": \
             `thread::spawn` makes unnamed threads; spawn through \
             `thread::Builder::new().name(...)` instead"
        );
    }
}

#[test]
fn good_results_come_back_in_input_order_when_some_jobs_panic() {
    let jobs = vec![
        job(|| 10),
        job(|| panic!("job 1 fails on purpose")),
        job(|| 30),
        job(|| panic!("job 3 fails on purpose")),
        job(|| 50),
    ];

    let report = run(jobs);
    diagnose(&report, 5, &[1, 3]);

    assert_eq!(
        report.ok,
        vec![10, 30, 50],
        "`ok` should hold the values of the jobs that did not panic, in input order"
    );
    assert_eq!(
        report.failed.len(),
        2,
        "two of the five jobs panicked, so `failed` should have two entries, got {:?}",
        report.failed
    );
}

#[test]
fn failed_workers_are_named_with_their_panic_message() {
    let culprit = 42;
    let jobs = vec![
        job(|| 1),
        // A literal message: the payload is a `&'static str`.
        job(|| panic!("disk on fire")),
        job(|| 3),
        // A formatted message: the payload is a `String`.
        job(move || panic!("bad input {culprit}")),
    ];

    let report = run(jobs);
    diagnose(&report, 4, &[1, 3]);

    assert_eq!(
        report.failed[0].message, "disk on fire",
        "`panic!(\"disk on fire\")` was reported with the message {:?}: a panic with a literal \
         message carries a `&'static str`, so try `payload.downcast_ref::<&str>()` as well as \
         `String`",
        report.failed[0].message
    );
    assert_eq!(
        report.failed[1].message, "bad input 42",
        "`panic!(\"bad input {{culprit}}\")` was reported with the message {:?}: a panic with a \
         formatted message carries a `String`, so try `payload.downcast_ref::<String>()` as well \
         as `&str`",
        report.failed[1].message
    );
    assert_eq!(
        report.failed,
        vec![
            failure("worker-1", "disk on fire"),
            failure("worker-3", "bad input 42"),
        ],
        "each failure should name its worker (\"worker-<index>\") and carry the panic's \
         message; `panic!(\"literal\")` gives a `&str` payload, `panic!(\"{{x}}\")` a `String`"
    );
    assert_eq!(
        report.ok,
        vec![1, 3],
        "the two good jobs should still be reported"
    );
}

#[test]
fn a_panic_with_an_unusual_payload_is_still_reported() {
    let jobs = vec![job(|| std::panic::panic_any(7_u8)), job(|| 2)];

    let report = run(jobs);
    diagnose(&report, 2, &[0]);

    assert_eq!(
        report.failed.len(),
        1,
        "a job that panicked with a non-string payload must still be reported as failed, \
         got {:?}",
        report.failed
    );
    assert_eq!(
        report.failed[0].worker, "worker-0",
        "the failed job was the first one"
    );
    assert_eq!(report.ok, vec![2], "the good job should still be reported");
}

#[test]
fn results_keep_input_order_even_when_later_jobs_finish_first() {
    // Job i waits until job i + 1 has finished, so they finish in reverse order: 3, 2, 1, 0.
    const JOBS: usize = 4;
    let (done_txs, done_rxs): (Vec<_>, Vec<_>) = (0..JOBS).map(|_| mpsc::channel::<()>()).unzip();
    let mut done_rxs: Vec<Option<mpsc::Receiver<()>>> = done_rxs.into_iter().map(Some).collect();
    let mut jobs = Vec::new();
    for (i, my_done) in done_txs.into_iter().enumerate() {
        // Job i listens on the channel that job i + 1 reports on; the last job waits for no one.
        let wait_for_next = if i + 1 < JOBS {
            done_rxs[i + 1].take()
        } else {
            None
        };
        jobs.push(job(move || {
            if let Some(next_done) = wait_for_next {
                // Returns when job i + 1 reports, or when it died and dropped its sender.
                let _ = next_done.recv();
            }
            let _ = my_done.send(());
            i as u64 * 100
        }));
    }

    let report = run(jobs);
    diagnose(&report, 4, &[]);

    assert_eq!(
        report.ok,
        vec![0, 100, 200, 300],
        "`ok` must follow the order of the jobs, not the order the threads finish in \
         (here they finished last to first)"
    );
    assert!(
        report.failed.is_empty(),
        "no job panicked, got {:?}",
        report.failed
    );
}
