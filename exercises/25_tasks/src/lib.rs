//! Jobs as tokio tasks: spawn them, collect them with a `JoinSet`, and survive one that panics.

mod jobs;

pub use jobs::{Job, Seen, Tracker};

/// What [`run_all`] gives back.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// `(job id, output)` of every job that finished, sorted by id.
    pub outputs: Vec<(u32, u64)>,
    /// The ids of the jobs whose task panicked, sorted.
    pub panicked: Vec<u32>,
}

/// Runs every job at once, each in a task of its own, waits for all of them, and reports their
/// outputs and which of them panicked. A panicking job does not stop the others.
pub async fn run_all(jobs: Vec<Job>) -> Report {
    // TODO (1): this runs the jobs one after another, inside the caller's own future, and the
    // first job that panics takes `run_all` down with it. Spawn each job as a task of its own
    // (`tokio::task::JoinSet::spawn`), then collect them as they finish. A task that panicked
    // comes back as an `Err(JoinError)` whose `is_panic()` is true: record its job in
    // `panicked` (the error knows its task's `id()`, not the job's).
    let mut report = Report::default();
    for job in jobs {
        let id = job.id();
        let output = job.run().await;
        report.outputs.push((id, output));
    }
    report
}

/// The `(id, output)` of the first job to finish with an output, skipping any that panicked;
/// `None` when none did. The slower jobs are stopped as soon as there is an answer.
pub async fn fastest(jobs: Vec<Job>) -> Option<(u32, u64)> {
    // TODO (2): run every job in a task at once and return the first output that comes back.
    // The jobs still running then must be stopped, not left running on their own.
    let _ = jobs;
    todo!("spawn every job, return the first output, and stop the rest")
}
