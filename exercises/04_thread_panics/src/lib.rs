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
    // TODO: give each worker a name, "worker-0", "worker-1", ... `thread::spawn` can't do that;
    //       `thread::Builder` can (its `spawn` returns an `io::Result`, so no unwrap there either).
    let handles: Vec<_> = jobs.into_iter().map(thread::spawn).collect();

    let mut report = Report::default();
    for handle in handles {
        // TODO: `join` gives `Err(payload)` when the worker panicked, and this `unwrap` then
        //       panics the caller too. Match on it instead: good values go to `report.ok`,
        //       panics become a `Failure` (the worker's name and `panic_message(...)`).
        let value = handle.join().unwrap();
        report.ok.push(value);
    }
    report
}

/// Turns the payload of a panic (what `join` returns in its `Err`) into a message.
///
/// `panic!("literal")` carries a `&'static str`, and `panic!("{x}")` carries a `String`:
/// return that text. Any other payload (from `std::panic::panic_any`) gets a placeholder
/// such as `"<non-string panic payload>"`.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    // TODO: try `payload.downcast_ref::<&str>()`, then `payload.downcast_ref::<String>()`.
    let _ = payload;
    todo!("turn a panic payload into its message")
}
