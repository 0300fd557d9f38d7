//! The run step: each exercise's test executables, run directly (not through cargo), several
//! exercises at a time, each under the exercise's time limit. Knows nothing of terminals.

use crate::pipeline::course::{Course, Exercise};
use crate::pipeline::output::libtest::{self, Logged};
use crate::platform::process::{self, Budget, Ending, Finished, Launch};
use crate::platform::toolchain::cargo_program;
use std::collections::VecDeque;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

/// The resident memory a test process may hold, in every mode. The course's tests need far
/// less; a test that passes this grows without end, most often by printing in a loop (libtest
/// keeps what a test prints in memory), and would otherwise take the learner's machine with it.
pub const RESIDENT_LIMIT: u64 = 1 << 30;

/// One exercise's test executables and where to run them.
pub struct Job<'a> {
    pub exercise: &'a Exercise,
    pub executables: Vec<PathBuf>,
}

/// One test executable's run, with what libtest itself says of it: a pass is judged from these,
/// never from the exit code alone (see [`crate::pipeline::verdict::wholeness`]).
#[derive(Debug, Clone)]
pub struct TestRun {
    /// The tests the executable lists, asked before the run; `None` when it would not list them
    /// (then `finished` is the listing's own run, which says why).
    pub listed: Option<Vec<String>>,
    /// libtest's log file, test by test; `None` when there was none (libtest creates it before
    /// the first test, so the process ended before libtest began).
    pub logged: Option<Vec<Logged>>,
    pub finished: Finished,
}

/// Listing is quick and runs nothing of the learner's; this only bounds a broken executable.
const LIST_LIMIT: Duration = Duration::from_secs(20);

/// Runs one executable the way `cargo test` would, after asking it for its tests.
pub fn run_executable(
    course: &Course,
    exercise: &Exercise,
    executable: &Path,
) -> io::Result<TestRun> {
    let budget = Budget {
        time: exercise.time_limit,
        resident_bytes: RESIDENT_LIMIT,
    };
    let mut list = test_command(course, exercise, executable);
    list.args(["--list", "--format", "terse"]);
    let listing = launch(
        course,
        list,
        Budget {
            time: LIST_LIMIT,
            ..budget
        },
    )?;
    if listing.ending != Ending::Exited(0) {
        return Ok(TestRun {
            listed: None,
            logged: None,
            finished: listing,
        });
    }
    let log = LogFile::new(course, exercise)?;
    let mut command = test_command(course, exercise, executable);
    command.arg("--logfile").arg(log.path());
    let mut finished = launch(course, command, budget)?;
    finished.stderr = without_logfile_warning(finished.stderr);
    Ok(TestRun {
        listed: Some(libtest::listed_tests(&listing.stdout)),
        logged: log.read().map(|text| libtest::logged_results(&text)),
        finished,
    })
}

/// libtest warns that `--logfile` is deprecated; that is the checker's business, not the
/// learner's. (It still works on the pinned toolchain. Should a later libtest drop it, no log
/// is written, and every run is judged not whole, which CI would show at once.)
fn without_logfile_warning(stderr: String) -> String {
    match stderr.strip_prefix("warning: `--logfile` is deprecated") {
        Some(rest) => rest.strip_prefix('\n').unwrap_or(rest).to_string(),
        None => stderr,
    }
}

/// The command for a test executable, as `cargo test` would run it: from the package folder
/// (trybuild looks for its cases there), with the environment cargo gives tests, and no
/// backtraces (they would bury the message a learner needs).
fn test_command(course: &Course, exercise: &Exercise, executable: &Path) -> Command {
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
    command
}

/// Starts a test executable's command under `budget`: directly, or inside the grading sandbox,
/// with grading's resource limits when they are set.
fn launch(course: &Course, command: Command, budget: Budget) -> io::Result<Finished> {
    let (mut command, launch) = match &course.sandbox {
        Some(jails) => (jails.tests.wrap(&command), Launch::Sandboxed),
        None => (command, Launch::Direct),
    };
    if let Some(limits) = course.limits {
        limits.apply(&mut command);
    }
    process::run_within(&mut command, budget, launch)
}

/// The folder of libtest's logs, in a course's target dir.
pub fn logs_folder(target_dir: &Path) -> PathBuf {
    target_dir.join("checker").join("logs")
}

/// Where libtest writes its log for one run: a fresh file in the target dir's `checker/logs/`
/// (which the grading sandbox lets the tests write), removed once read.
struct LogFile(PathBuf);

impl LogFile {
    fn new(course: &Course, exercise: &Exercise) -> io::Result<LogFile> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let folder = logs_folder(&course.effective_target_dir());
        fs::create_dir_all(&folder)?;
        let path = folder.join(format!(
            "{}-{}-{}.log",
            exercise.name,
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        // libtest appends to a log that exists: start from nothing.
        match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        Ok(LogFile(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }

    /// The log as libtest left it; none when libtest never created it.
    fn read(&self) -> Option<String> {
        fs::read(&self.0)
            .ok()
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
    }
}

impl Drop for LogFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// Runs every job, `jobs` exercises at a time, and calls `done` as each exercise finishes
/// (from the worker threads). Results come back in the jobs' order.
pub fn run_all<'a>(
    course: &Course,
    work: Vec<Job<'a>>,
    jobs: usize,
    done: &(dyn Fn(&Exercise) + Sync),
) -> Vec<(&'a Exercise, io::Result<Vec<TestRun>>)> {
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
