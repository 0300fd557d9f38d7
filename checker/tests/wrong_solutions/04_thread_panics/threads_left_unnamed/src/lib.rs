//! Run jobs on worker threads and report which ones panicked, without panicking yourself.

use std::any::Any;
use std::thread;

/// One unit of work. It returns a number, or it panics.
pub type Job = Box<dyn FnOnce() -> u64 + Send + 'static>;

/// A worker that panicked (or could not even start).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The worker's thread name: `"worker-0"` for the first job, `"worker-1"` for the second, ...
    pub worker: String,
    /// What went wrong: the panic message, as [`panic_message`] gives it.
    pub message: String,
}

/// What [`run_jobs`] hands back.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// The values of the jobs that finished, in the order the jobs were given.
    pub ok: Vec<u64>,
    /// The jobs that panicked, in the order the jobs were given.
    pub failed: Vec<Failure>,
}

/// Runs every job on its own thread, all at the same time, and waits for all of them.
///
/// - Job number `i` (counting from 0) runs on a thread named `worker-{i}`.
/// - A job that panics does not stop the others, and `run_jobs` itself never panics:
///   the failure goes into [`Report::failed`].
/// - Both lists keep the order of `jobs`, whatever order the threads finish in.
pub fn run_jobs(jobs: Vec<Job>) -> Report {
    // Spawn every worker before joining any, so that they all run at the same time. The name
    // travels with the handle because a worker that failed to start has no thread to ask.
    let workers: Vec<_> = jobs
        .into_iter()
        .enumerate()
        .map(|(i, job)| {
            let name = format!("worker-{i}");
            // `thread::spawn` cannot fail, but its threads have no name.
            let spawned: std::io::Result<_> = Ok(thread::spawn(job));
            (name, spawned)
        })
        .collect();

    // Joining in input order keeps the report in input order, whoever finishes first.
    let mut report = Report::default();
    for (worker, spawned) in workers {
        match spawned {
            Ok(handle) => match handle.join() {
                Ok(value) => report.ok.push(value),
                // The panic stopped at the thread boundary; here it is only data.
                Err(payload) => report.failed.push(Failure {
                    worker,
                    message: panic_message(payload.as_ref()),
                }),
            },
            // The OS refused a thread (out of memory or thread limit): a failure, not a crash.
            Err(error) => report.failed.push(Failure {
                worker,
                message: format!("could not start: {error}"),
            }),
        }
    }
    report
}

/// Turns the payload of a panic (what `join` returns in its `Err`) into a message.
///
/// `panic!("literal")` carries a `&'static str`, and `panic!("{x}")` carries a `String`:
/// return that text. Any other payload (from `std::panic::panic_any`) gets a placeholder
/// such as `"<non-string panic payload>"`.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    // A payload is `dyn Any`: we can only ask "are you this type?", one type at a time.
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "<non-string panic payload>".to_string()
    }
}
