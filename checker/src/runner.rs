//! The run step: each exercise's test executables, run directly (not through cargo), several
//! exercises at a time, each under the exercise's time limit. Knows nothing of terminals.

use crate::compile::cargo_program;
use crate::course::{Course, Exercise};
use crate::process::{self, Budget, Finished, Launch};
use std::collections::VecDeque;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::thread;

/// Resource limits for code that is not trusted, set with `setrlimit` in the test process
/// before it starts (Unix; elsewhere only the time limit and the output cap apply). They are
/// inherited by everything the test starts, trybuild's cargo and rustc included.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Address space, which bounds what a runaway allocation can take.
    pub memory_bytes: u64,
    /// Processes for the user (ignored for root, which is why grading untrusted code belongs
    /// in a container as an ordinary user: see the README).
    pub processes: u64,
    /// The largest file the tests may write.
    pub file_bytes: u64,
}

impl Limits {
    pub fn for_untrusted_code(memory_bytes: u64) -> Limits {
        Limits {
            memory_bytes,
            processes: 512,
            file_bytes: 256 << 20,
        }
    }

    #[cfg(unix)]
    fn apply(self, command: &mut Command) {
        use std::os::unix::process::CommandExt;
        // SAFETY: the closure runs between fork and exec and only calls setrlimit, which is
        // async-signal-safe; it allocates nothing.
        unsafe {
            command.pre_exec(move || {
                let set = |resource, value: u64| {
                    let limit = libc::rlimit {
                        rlim_cur: value as libc::rlim_t,
                        rlim_max: value as libc::rlim_t,
                    };
                    if libc::setrlimit(resource, &limit) == 0 {
                        Ok(())
                    } else {
                        Err(io::Error::last_os_error())
                    }
                };
                set(libc::RLIMIT_AS, self.memory_bytes)?;
                set(libc::RLIMIT_NPROC, self.processes)?;
                set(libc::RLIMIT_FSIZE, self.file_bytes)?;
                set(libc::RLIMIT_CORE, 0)
            });
        }
    }

    #[cfg(not(unix))]
    fn apply(self, _command: &mut Command) {}
}

/// The resident memory a test process may hold, in every mode. The course's tests need far
/// less; a test that passes this grows without end, most often by printing in a loop (libtest
/// keeps what a test prints in memory), and would otherwise take the learner's machine with it.
pub const RESIDENT_LIMIT: u64 = 1 << 30;

/// One exercise's test executables and where to run them.
pub struct Job<'a> {
    pub exercise: &'a Exercise,
    pub executables: Vec<PathBuf>,
}

/// Runs one executable the way `cargo test` would: from the package folder (trybuild looks
/// for its cases there), with the environment cargo gives tests, and no backtraces (they
/// would bury the message a learner needs).
pub fn run_executable(
    course: &Course,
    exercise: &Exercise,
    executable: &Path,
) -> io::Result<Finished> {
    let package_dir = course.root.join(&exercise.dir);
    let mut command = Command::new(executable);
    command
        .current_dir(&package_dir)
        .env("CARGO_MANIFEST_DIR", &package_dir)
        .env("CARGO_PKG_NAME", &exercise.name)
        .env("CARGO", cargo_program())
        .env("RUST_BACKTRACE", "0")
        // trybuild would rewrite the course's snapshots with this set.
        .env_remove("TRYBUILD")
        // Plain text: the checker reads it, and colours it itself.
        .env("TERM", "dumb")
        .arg("--color=never");
    if let Some(target_dir) = &course.target_dir {
        // trybuild asks cargo where the target dir is; it must get the same answer.
        command.env("CARGO_TARGET_DIR", target_dir);
    }
    if !course.diagnose_hangs {
        command.env("TESTKIT_DIAGNOSE", "0");
    }
    let (mut command, launch) = match &course.sandbox {
        Some(jails) => (jails.tests.wrap(&command), Launch::Sandboxed),
        None => (command, Launch::Direct),
    };
    if let Some(limits) = course.limits {
        limits.apply(&mut command);
    }
    process::run_within(
        &mut command,
        Budget {
            time: exercise.time_limit,
            resident_bytes: RESIDENT_LIMIT,
        },
        launch,
    )
}

/// Runs every job, `jobs` exercises at a time, and calls `done` as each exercise finishes
/// (from the worker threads). Results come back in the jobs' order.
pub fn run_all<'a>(
    course: &Course,
    work: Vec<Job<'a>>,
    jobs: usize,
    done: &(dyn Fn(&Exercise) + Sync),
) -> Vec<(&'a Exercise, io::Result<Vec<Finished>>)> {
    let count = work.len();
    let queue = Mutex::new(work.into_iter().enumerate().collect::<VecDeque<_>>());
    let results = Mutex::new(Vec::with_capacity(count));
    thread::scope(|scope| {
        for _ in 0..jobs.max(1).min(count.max(1)) {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().unwrap_or_else(|p| p.into_inner()).pop_front();
                    let Some((index, job)) = next else { break };
                    let runs = job
                        .executables
                        .iter()
                        .map(|exe| run_executable(course, job.exercise, exe))
                        .collect::<io::Result<Vec<_>>>();
                    done(job.exercise);
                    results.lock().unwrap_or_else(|p| p.into_inner()).push((
                        index,
                        job.exercise,
                        runs,
                    ));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    results.sort_by_key(|(index, _, _)| *index);
    results
        .into_iter()
        .map(|(_, exercise, runs)| (exercise, runs))
        .collect()
}
