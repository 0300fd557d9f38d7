//! Alternative solution for 25_tasks: `tokio::spawn` with the `JoinHandle`s kept in a `Vec` and
//! awaited in order (the tasks already run meanwhile), each task returning its job's id with
//! its output; `fastest` aborts the slower tasks explicitly with `abort_all`. Same public
//! API as the reference solution.

mod jobs;

pub use jobs::{Job, Seen, Tracker};

use tokio::task::JoinSet;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub outputs: Vec<(u32, u64)>,
    pub panicked: Vec<u32>,
}

pub async fn run_all(jobs: Vec<Job>) -> Report {
    // Every task is spawned (and so running) before the first one is awaited.
    let handles: Vec<_> = jobs
        .into_iter()
        .map(|job| (job.id(), tokio::spawn(job.run())))
        .collect();
    let mut report = Report::default();
    for (id, handle) in handles {
        match handle.await {
            Ok(output) => report.outputs.push((id, output)),
            Err(error) if error.is_panic() => report.panicked.push(id),
            Err(error) => panic!("job {id} was cancelled: {error}"),
        }
    }
    report.outputs.sort_by_key(|&(id, _)| id);
    report.panicked.sort_unstable();
    report
}

pub async fn fastest(jobs: Vec<Job>) -> Option<(u32, u64)> {
    let mut set = JoinSet::new();
    for job in jobs {
        let id = job.id();
        set.spawn(async move { (id, job.run().await) });
    }
    let mut first = None;
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok(output) => {
                first = Some(output);
                break;
            }
            Err(error) if error.is_panic() => continue,
            Err(error) => panic!("a job was cancelled: {error}"),
        }
    }
    // Stop the slower ones explicitly (dropping the set would do it too).
    set.abort_all();
    first
}
