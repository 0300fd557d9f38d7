//! The run step: each exercise's test executables, run directly (not through cargo), several
//! exercises at a time, each under the exercise's time limit. Knows nothing of terminals.

use crate::pipeline::course::{Course, Exercise};
use crate::pipeline::output::libtest::{self, Logged};
use crate::pipeline::ui_cache::UiCache;
use crate::platform::process::{self, Budget, Ending, Finished, Launch};
use crate::platform::toolchain::cargo_program;
use serde_derive::{Deserialize, Serialize};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, mpsc};
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

/// One run of a test executable, with what libtest itself says of it: a pass is judged from
/// these, never from the exit code alone (see [`crate::pipeline::verdict::wholeness`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TestRun {
    /// The tests the executable lists, asked before the run; `None` when it would not list them
    /// (then `finished` is the listing's own run, which says why).
    pub listed: Option<Vec<String>>,
    /// libtest's log file, test by test; `None` when there was none (libtest creates it before
    /// the first test, so the process ended before libtest began).
    pub logged: Option<Vec<Logged>>,
    /// The steps that testkit recorded as timed out, by test: (test, message). A timeout's
    /// message is also on stdout, where a print loop can bury it (see `testkit::timeout_log`).
    #[serde(default)]
    pub timeouts: Vec<(String, String)>,
    pub finished: Finished,
}

/// Listing is quick and runs nothing of the learner's; this only bounds a broken executable.
const LIST_LIMIT: Duration = Duration::from_secs(20);

/// The compile-fail test of the course's one-binary layout (`fn ui` in `tests/ui.rs`), and of a
/// binary of its own (`tests/ui.rs` as a test target). It runs apart from the behaviour tests,
/// so that its result can be remembered (see [`crate::pipeline::ui_cache`]).
const UI_TESTS: [&str; 2] = ["ui::ui", "ui"];

/// How long the compile-fail test may take. It runs no code of the learner's (trybuild only
/// compiles the cases), so it cannot hang by the learner's doing: its limit only bounds a stuck
/// cargo, and is generous because a first run may build dependencies while the course's own
/// build still runs beside it.
const UI_TIME_LIMIT: Duration = Duration::from_secs(300);

/// Runs one executable the way `cargo test` would, after asking it for its tests: its
/// compile-fail test as a run of its own (reused from `ui_cache` when its inputs have not
/// changed), and the rest in one run.
pub fn run_executable(
    course: &Course,
    exercise: &Exercise,
    executable: &Path,
    ui_cache: Option<&UiCache>,
) -> io::Result<Vec<TestRun>> {
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
        return Ok(vec![TestRun {
            listed: None,
            logged: None,
            timeouts: Vec::new(),
            finished: listing,
        }]);
    }
    let listed = libtest::listed_tests(&listing.stdout);
    let (ui, behaviour): (Vec<String>, Vec<String>) = listed
        .into_iter()
        .partition(|name| UI_TESTS.contains(&name.as_str()));
    let mut runs = Vec::new();
    if let [ui_test] = &ui[..] {
        let ui_test = ui_test.clone();
        let ui_filter = ["--exact", ui_test.as_str()];
        let skip_ui = ["--exact", "--skip", ui_test.as_str()];
        if !behaviour.is_empty() {
            runs.push(logged_run(
                course, exercise, executable, behaviour, &skip_ui, budget,
            )?);
        }
        let remembered = ui_cache.and_then(|cache| cache.get(course, exercise));
        let ui_run = match remembered {
            Some(run) => run,
            None => {
                let ui_budget = Budget {
                    time: UI_TIME_LIMIT.max(exercise.time_limit),
                    ..budget
                };
                let run = logged_run(course, exercise, executable, ui, &ui_filter, ui_budget)?;
                if let Some(cache) = ui_cache {
                    cache.put(course, exercise, &run);
                }
                run
            }
        };
        runs.push(ui_run);
    } else {
        let listed = behaviour.into_iter().chain(ui).collect();
        runs.push(logged_run(
            course,
            exercise,
            executable,
            listed,
            &[],
            budget,
        )?);
    }
    Ok(runs)
}

/// Runs the `listed` tests of an executable (chosen by `filter`) with libtest's log.
fn logged_run(
    course: &Course,
    exercise: &Exercise,
    executable: &Path,
    listed: Vec<String>,
    filter: &[&str],
    budget: Budget,
) -> io::Result<TestRun> {
    let log = LogFile::new(course, exercise, "log")?;
    let timeouts = LogFile::new(course, exercise, "timeouts")?;
    let mut command = test_command(course, exercise, executable);
    command.args(filter).arg("--logfile").arg(log.path());
    command.env(testkit::timeout_log::ENV, timeouts.path());
    let mut finished = launch(course, command, budget)?;
    finished.stderr = without_logfile_warning(finished.stderr);
    Ok(TestRun {
        listed: Some(listed),
        logged: log.read().map(|text| libtest::logged_results(&text)),
        timeouts: timeouts
            .read()
            .map(|text| testkit::timeout_log::read(&text))
            .unwrap_or_default(),
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

/// Where libtest (or testkit) writes its log for one run: a fresh file in the target dir's
/// `checker/logs/` (which the grading sandbox lets the tests write), removed once read.
struct LogFile(PathBuf);

impl LogFile {
    fn new(course: &Course, exercise: &Exercise, kind: &str) -> io::Result<LogFile> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let folder = logs_folder(&course.effective_target_dir());
        fs::create_dir_all(&folder)?;
        let path = folder.join(format!(
            "{}-{}-{}.{kind}",
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

/// Runs every job that comes through `queue`, `jobs` exercises at a time, until the queue is
/// closed and empty, and calls `done` as each exercise finishes (from the worker threads).
/// Results come back in the order they finished.
pub fn run_all<'a>(
    course: &Course,
    queue: mpsc::Receiver<Job<'a>>,
    jobs: usize,
    ui_cache: Option<&UiCache>,
    done: &(dyn Fn(&Exercise) + Sync),
) -> Vec<(&'a Exercise, io::Result<Vec<TestRun>>)> {
    let queue = Mutex::new(queue);
    let results = Mutex::new(Vec::new());
    thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            scope.spawn(|| {
                loop {
                    // One worker waits for the next job at a time; the others wait for the lock.
                    let next = queue.lock().unwrap_or_else(|p| p.into_inner()).recv();
                    let Ok(job) = next else { break };
                    let runs = job
                        .executables
                        .iter()
                        .map(|exe| run_executable(course, job.exercise, exe, ui_cache))
                        .collect::<io::Result<Vec<Vec<_>>>>()
                        .map(|runs| runs.into_iter().flatten().collect());
                    done(job.exercise);
                    results
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push((job.exercise, runs));
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(|p| p.into_inner())
}
