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
        match joined {
            Ok((task, output)) => report.outputs.push((job_of[&task], output)),
            // The task's panic was caught by tokio at the task's edge: here it is a value.
            Err(error) if error.is_panic() => report.panicked.push(job_of[&error.id()]),
            // Cancelled: only if the runtime shuts down, as nothing here aborts a task.
            Err(_) => {}
        }
    }
    report.outputs.sort();
    report.panicked.sort();
    report
}

/// The `(id, output)` of the first job to finish with an output, skipping any that panicked;
/// `None` when none did. The slower jobs are stopped as soon as there is an answer.
pub async fn fastest(jobs: Vec<Job>) -> Option<(u32, u64)> {
    let mut handles: Vec<tokio::task::JoinHandle<(u32, u64)>> = jobs
        .into_iter()
        .map(|job| {
            let id = job.id();
            tokio::spawn(async move { (id, job.run().await) })
        })
        .collect();
    while !handles.is_empty() {
        // Take the handles whose task has finished, in turn.
        let mut i = 0;
        while i < handles.len() {
            if handles[i].is_finished() {
                if let Ok(first) = handles.swap_remove(i).await {
                    return Some(first);
                }
            } else {
                i += 1;
            }
        }
        tokio::task::yield_now().await;
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    None
}
