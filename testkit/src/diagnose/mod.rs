//! Where each thread of a hung test waits: the diagnosis that a timeout message carries.
//!
//! A deadlock is threads waiting for each other, so the most useful thing a timeout can show
//! is each stuck thread: its name, what it waits on (a lock, a channel, a join, a Condvar, a
//! sleep), the learner's line where it waits, and how the threads block each other.
//!
//! - /proc gives, with no tool at all, each thread's name and state, the futex it waits on and
//!   its stack's memory, which tells who holds the lock another waits for.
//! - gdb, when installed, gives symbolised stacks: the file and line of each wait and, from the
//!   standard library's frames, what kind of wait it is.
//!
//! It works on Linux; elsewhere it says so. `TESTKIT_DIAGNOSE=0` turns it off, and
//! `TESTKIT_DIAGNOSE=proc` keeps it to /proc (as if gdb were missing). The diagnosis only adds
//! text to a failure: it never decides whether a test passes.

use std::path::Path;
use std::time::Duration;

#[cfg(target_os = "linux")]
mod analysis;
#[cfg(target_os = "linux")]
mod classify;
#[cfg(target_os = "linux")]
mod gdb;
#[cfg(target_os = "linux")]
mod holders;
#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
mod procfs;
#[cfg(target_os = "linux")]
mod render;
#[cfg(target_os = "linux")]
mod scan;
#[cfg(target_os = "linux")]
mod source;

#[cfg(not(target_os = "linux"))]
pub use elsewhere::AsyncStep;
#[cfg(not(target_os = "linux"))]
pub(crate) use elsewhere::{StepThread, WaitingForStep, after_timeout, paused};
#[cfg(target_os = "linux")]
pub use linux::AsyncStep;
#[cfg(target_os = "linux")]
pub(crate) use linux::{StepThread, WaitingForStep, after_timeout, paused};

/// How a diagnosis starts, for readers that take it apart from the message before it.
pub const HEADER: &str = "where each thread waits";

/// How a line of the diagnosis that concludes starts (a lock-order cycle, a Sender alive), after
/// the lines of each thread.
pub const CONCLUSION: &str = "=> ";

/// What `TESTKIT_DIAGNOSE` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Off,
    /// /proc only, as if gdb were not installed.
    ProcOnly,
    /// gdb's stacks when gdb is installed, /proc in any case.
    Full,
}

impl Mode {
    pub fn from_env() -> Mode {
        match std::env::var("TESTKIT_DIAGNOSE").as_deref() {
            Ok("0" | "off" | "false" | "no") => Mode::Off,
            Ok("proc") => Mode::ProcOnly,
            _ => Mode::Full,
        }
    }
}

/// Diagnoses the threads of `pid`, a test binary of the package in `package_dir` that hangs,
/// giving gdb at most `gdb_limit`. `None` when `TESTKIT_DIAGNOSE` turns it off. `test_names`
/// gives the binary's tests (asked for once the stacks are read, so that it can take its time
/// meanwhile), whose threads the kernel knows by their first 15 bytes only: they are shown by
/// their whole names.
///
/// The process is stopped (SIGSTOP) once /proc has been read, so that a busy one (a print
/// loop, a runaway allocation) neither takes the CPU that gdb needs nor changes under it; it
/// is let go on (SIGCONT) at the end. It is never left stopped or traced.
pub fn process(
    pid: u32,
    package_dir: &Path,
    gdb_limit: Duration,
    test_names: impl FnOnce() -> Vec<String>,
) -> Option<String> {
    let mode = Mode::from_env();
    if mode == Mode::Off {
        return None;
    }
    #[cfg(target_os = "linux")]
    let text = linux::diagnose(
        pid,
        package_dir,
        mode,
        gdb_limit,
        &analysis::Known {
            stop: true,
            ..analysis::Known::default()
        },
        test_names,
    );
    #[cfg(not(target_os = "linux"))]
    let text = {
        let _ = (pid, package_dir, gdb_limit, test_names);
        elsewhere::NOTE.to_string()
    };
    Some(text)
}

#[cfg(not(target_os = "linux"))]
mod elsewhere {
    //! Without /proc and gdb's Linux support, a timeout says only that it cannot tell.

    use std::thread::ThreadId;
    use std::time::{Duration, Instant};

    pub const NOTE: &str =
        "where each thread waits: not shown, as the thread diagnosis is available on Linux only";

    pub struct StepThread;

    impl StepThread {
        pub fn enter(_what: &str) -> StepThread {
            StepThread
        }
    }

    pub struct AsyncStep;

    impl AsyncStep {
        pub fn enter() -> AsyncStep {
            AsyncStep
        }
    }

    pub struct WaitingForStep;

    impl WaitingForStep {
        pub fn enter() -> WaitingForStep {
            WaitingForStep
        }
    }

    pub fn paused() -> Duration {
        Duration::ZERO
    }

    pub fn after_timeout(_timed_out: Instant, _step: ThreadId) -> Option<String> {
        (super::Mode::from_env() != super::Mode::Off).then(|| NOTE.to_string())
    }
}
