//! Jobs as tokio tasks: spawn them, collect them with a `JoinSet`, and survive one that panics.

mod jobs;

pub use jobs::{Job, Seen, Tracker};

use std::collections::HashMap;
use tokio::task::JoinSet;

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
    let mut set = JoinSet::new();
    // A task that panicked gives back no value, only its task id inside the `JoinError`:
    // remember which job each task runs.
    let mut job_of = HashMap::new();
    for job in jobs {
        let id = job.id();
        // `spawn` needs a `Send + 'static` future: `job.run()` owns its job, so it qualifies.
        let task = set.spawn(job.run());
        job_of.insert(task.id(), id);
    }
    let mut report = Report::default();
    // `join_next_with_id` yields the tasks as they finish, whatever the order they started in.
    while let Some(joined) = set.join_next_with_id().await {
        let (task, output) = joined.expect("a job's task failed");
        report.outputs.push((job_of[&task], output));
    }
    report.outputs.sort();
    report.panicked.sort();
    report
}

/// The `(id, output)` of the first job to finish with an output, skipping any that panicked;
/// `None` when none did. The slower jobs are stopped as soon as there is an answer.
pub async fn fastest(jobs: Vec<Job>) -> Option<(u32, u64)> {
    let mut set = JoinSet::new();
    for job in jobs {
        let id = job.id();
        set.spawn(async move { (id, job.run().await) });
    }
    while let Some(joined) = set.join_next().await {
        if let Ok(first) = joined {
            // Returning drops `set`, which aborts every task still in it. A dropped
            // `JoinHandle`, by contrast, would leave its task running, detached.
            return Some(first);
        }
    }
    None
}
