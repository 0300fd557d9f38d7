//! The course's jobs (not yours to edit): each takes a given time on the runtime's clock, and a
//! buggy one panics. A [`Tracker`] records, for the tests, which job ran in which task, when it
//! started and whether it finished.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::task::{self, Id};
use tokio::time::{Instant, sleep};

/// One piece of work. It owns everything it needs (`Send + 'static`), so it can move into a
/// task of its own.
#[derive(Debug)]
pub struct Job {
    id: u32,
    takes: Duration,
    output: u64,
    buggy: bool,
    tracker: Arc<Tracker>,
}

impl Job {
    pub fn id(&self) -> u32 {
        self.id
    }

    /// Does the work: takes the job's time, then gives its output. A buggy job panics instead.
    pub async fn run(self) -> u64 {
        self.tracker.record(|seen| {
            seen.started.push((self.id, Instant::now(), task::try_id()));
        });
        sleep(self.takes).await;
        if self.buggy {
            panic!("job {} hit a bug", self.id);
        }
        self.tracker.record(|seen| seen.finished.push(self.id));
        self.output
    }
}

/// Makes jobs and remembers what happened to them.
#[derive(Debug, Default)]
pub struct Tracker {
    seen: Mutex<Seen>,
}

#[derive(Debug, Default, Clone)]
pub struct Seen {
    /// Each job that started: its id, when, and the task it ran in (`None`: not in a task).
    pub started: Vec<(u32, Instant, Option<Id>)>,
    /// The ids of the jobs that finished with their output, in the order they finished.
    pub finished: Vec<u32>,
}

impl Tracker {
    pub fn new() -> Arc<Tracker> {
        Arc::new(Tracker::default())
    }

    /// A job that takes `secs` seconds and then gives `output`.
    pub fn job(self: &Arc<Self>, id: u32, secs: u64, output: u64) -> Job {
        Job {
            id,
            takes: Duration::from_secs(secs),
            output,
            buggy: false,
            tracker: Arc::clone(self),
        }
    }

    /// A job that takes `secs` seconds and then panics.
    pub fn buggy_job(self: &Arc<Self>, id: u32, secs: u64) -> Job {
        Job {
            buggy: true,
            ..self.job(id, secs, 0)
        }
    }

    /// What happened so far.
    pub fn seen(&self) -> Seen {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn record(&self, change: impl FnOnce(&mut Seen)) {
        change(&mut self.seen.lock().unwrap_or_else(|e| e.into_inner()));
    }
}
