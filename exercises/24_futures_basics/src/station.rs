//! The course's fake weather stations and log (not yours to edit): each read takes one second
//! of the runtime's clock, like a slow network call, and everything is recorded so that the
//! tests can see how your code used them.

use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::time::{Instant, sleep};

/// How long one read of a station takes on the runtime's clock.
pub const READ_TIME: Duration = Duration::from_secs(1);

/// How long one write to the log takes on the runtime's clock.
pub const WRITE_TIME: Duration = Duration::from_millis(100);

/// A station did not answer this time. Trying again may work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offline;

impl fmt::Display for Offline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the station is offline")
    }
}

impl std::error::Error for Offline {}

/// A weather station somewhere on the network.
#[derive(Debug)]
pub struct Station {
    name: String,
    tenths: i32,
    failures_left: AtomicUsize,
    started: Mutex<Vec<Instant>>,
}

impl Station {
    /// A station that always answers with `tenths` (the temperature in tenths of a degree).
    pub fn new(name: &str, tenths: i32) -> Station {
        Station::flaky(name, tenths, 0)
    }

    /// A station whose first `failures` reads fail with [`Offline`]; later reads answer.
    pub fn flaky(name: &str, tenths: i32, failures: usize) -> Station {
        Station {
            name: name.to_string(),
            tenths,
            failures_left: AtomicUsize::new(failures),
            started: Mutex::new(Vec::new()),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Reads the temperature, in tenths of a degree. Takes [`READ_TIME`].
    pub async fn read(&self) -> Result<i32, Offline> {
        self.started.lock().unwrap().push(Instant::now());
        sleep(READ_TIME).await;
        let failed = self
            .failures_left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if failed {
            Err(Offline)
        } else {
            Ok(self.tenths)
        }
    }

    /// How many reads have started so far.
    pub fn reads_started(&self) -> usize {
        self.started.lock().unwrap().len()
    }

    /// When each read started, on the runtime's clock.
    pub fn read_times(&self) -> Vec<Instant> {
        self.started.lock().unwrap().clone()
    }
}

/// A log on a remote server: each line takes [`WRITE_TIME`] to write.
#[derive(Debug, Default)]
pub struct Log {
    lines: Mutex<Vec<String>>,
}

impl Log {
    pub fn new() -> Log {
        Log::default()
    }

    /// Writes one line to the log.
    pub async fn append(&self, line: String) {
        sleep(WRITE_TIME).await;
        self.lines.lock().unwrap().push(line);
    }

    /// The lines written so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }
}
