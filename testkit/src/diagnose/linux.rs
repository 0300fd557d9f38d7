//! The diagnosis on Linux, and what testkit remembers of its own threads for it.

use super::analysis::{self, Known, Snapshot};
use super::render::{self, Source};
use super::source::Sources;
use super::{HEADER, Mode, gdb, procfs, scan};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

/// gdb's time inside a test process. It needs about half a second of CPU, which takes longer
/// on a loaded machine; at the limit it is killed and the diagnosis keeps to /proc. A slow
/// diagnosis only delays a failure, so the limit is generous.
const STEP_GDB_LIMIT: Duration = Duration::from_secs(3);

/// The steps whose threads are alive (a stuck one stays for good).
static STEPS: Mutex<Vec<Step>> = Mutex::new(Vec::new());
/// The threads of async steps (`within_async`), which run a runtime: blocked on a futex, such a
/// thread is most likely parked in the runtime with nothing to run.
static ASYNC_STEPS: Mutex<Vec<u32>> = Mutex::new(Vec::new());
/// Threads waiting inside `within` for their step, with their full names (a test's thread is
/// named after the test, which the kernel cuts to 15 bytes).
static WAITING: Mutex<Vec<(u32, Option<String>)>> = Mutex::new(Vec::new());
/// The full names of the threads that ever waited for a step (the tests' own threads, named
/// after the tests): a thread they spawned carries the name, cut to 15 bytes, after the test
/// itself has gone on.
static FULL_NAMES: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// The last diagnosis made in this process, and when it started.
static LAST: Mutex<Option<(Instant, String)>> = Mutex::new(None);
/// How long diagnoses of this process have lasted in all, and since when one runs: gdb stops
/// every thread meanwhile, and `within` does not count that time against other steps.
static PAUSES: Mutex<(Duration, Option<Instant>)> = Mutex::new((Duration::ZERO, None));

struct Step {
    /// The kernel's id of the step's thread, which /proc and gdb show.
    tid: u32,
    /// std's id of the same thread, which the caller of `within` knows.
    id: ThreadId,
    /// The step's full name (the kernel keeps only 15 bytes of it).
    what: String,
    /// Its timeout was reported already, with where its threads wait.
    reported: bool,
}

fn current_tid() -> u32 {
    // SAFETY: gettid has no preconditions.
    unsafe { libc::gettid() as u32 }
}

/// While alive, the current thread is known as the thread of the step `what`.
pub struct StepThread(u32);

impl StepThread {
    pub fn enter(what: &str) -> StepThread {
        let tid = current_tid();
        lock(&STEPS).push(Step {
            tid,
            id: thread::current().id(),
            what: what.to_string(),
            reported: false,
        });
        StepThread(tid)
    }
}

impl Drop for StepThread {
    fn drop(&mut self) {
        lock(&STEPS).retain(|step| step.tid != self.0);
    }
}

/// While alive, the current thread is known to run an async step's runtime.
pub struct AsyncStep(u32);

impl AsyncStep {
    pub fn enter() -> AsyncStep {
        let tid = current_tid();
        lock(&ASYNC_STEPS).push(tid);
        AsyncStep(tid)
    }
}

impl Drop for AsyncStep {
    fn drop(&mut self) {
        lock(&ASYNC_STEPS).retain(|tid| *tid != self.0);
    }
}

/// While alive, the current thread is known to be waiting for a step.
pub struct WaitingForStep(u32);

impl WaitingForStep {
    pub fn enter() -> WaitingForStep {
        let tid = current_tid();
        let name = thread::current().name().map(String::from);
        if let Some(name) = &name {
            let mut names = lock(&FULL_NAMES);
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        lock(&WAITING).push((tid, name));
        WaitingForStep(tid)
    }
}

impl Drop for WaitingForStep {
    fn drop(&mut self) {
        lock(&WAITING).retain(|(tid, _)| *tid != self.0);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The diagnosis for the step run by thread `step`, which timed out at `timed_out`, or `None`
/// when turned off.
///
/// Steps of tests running in parallel often time out together. The diagnosis covers the whole
/// process, so they take turns, and one that started after another step timed out serves that
/// step too. The threads of steps reported before are left out: their own timeouts showed them.
pub fn after_timeout(timed_out: Instant, step: ThreadId) -> Option<String> {
    let mode = Mode::from_env();
    if mode == Mode::Off {
        return None;
    }
    let mut last = lock(&LAST);
    let text = match last.as_ref() {
        Some((started, text)) if *started >= timed_out => text.clone(),
        _ => {
            let started = Instant::now();
            let text = while_paused(|| diagnose_this_process(mode));
            *last = Some((started, text.clone()));
            text
        }
    };
    for reported in lock(&STEPS).iter_mut().filter(|s| s.id == step) {
        reported.reported = true;
    }
    Some(text)
}

/// The time this process has spent in its own diagnoses so far, the one running included.
pub fn paused() -> Duration {
    let (done, running) = *lock(&PAUSES);
    done + running.map_or(Duration::ZERO, |since| since.elapsed())
}

fn while_paused<T>(diagnosis: impl FnOnce() -> T) -> T {
    lock(&PAUSES).1 = Some(Instant::now());
    let result = diagnosis();
    let mut pauses = lock(&PAUSES);
    if let Some(since) = pauses.1.take() {
        pauses.0 += since.elapsed();
    }
    result
}

fn diagnose_this_process(mode: Mode) -> String {
    let known = {
        let steps = lock(&STEPS);
        let named = |reported: bool| {
            steps
                .iter()
                .filter(|step| step.reported == reported)
                .map(|step| (step.tid, step.what.clone()))
                .collect()
        };
        let waiting = lock(&WAITING).clone();
        Known {
            diagnosing: Some(current_tid()),
            waiting: waiting.iter().map(|(tid, _)| *tid).collect(),
            async_steps: lock(&ASYNC_STEPS).clone(),
            steps: named(false),
            reported: named(true),
            full_names: lock(&FULL_NAMES).clone(),
            stop: false,
        }
    };
    let pid = std::process::id();
    // A bug in the diagnosis must not turn a timeout into another failure.
    panic::catch_unwind(AssertUnwindSafe(|| {
        diagnose(pid, &package_dir(), mode, STEP_GDB_LIMIT, &known, Vec::new)
    }))
    .unwrap_or_else(|_| format!("{HEADER}: not shown, as the diagnosis itself failed"))
}

/// The package under test: cargo and the checker run test binaries with this variable set.
fn package_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default()
}

pub fn diagnose(
    pid: u32,
    package_dir: &Path,
    mode: Mode,
    gdb_limit: Duration,
    known: &Known,
    more_names: impl FnOnce() -> Vec<String>,
) -> String {
    // /proc first: gdb's stop and restart must not change the states read.
    let tasks = match procfs::tasks(pid) {
        Ok(tasks) => tasks,
        Err(e) => return format!("{HEADER}: not shown, as /proc/{pid} could not be read: {e}"),
    };
    // A stopped process's stacks are read from memory at once, while gdb reads them too: if
    // gdb is too slow, they are ready.
    let early = (known.stop && mode == Mode::Full).then(|| {
        stop(pid);
        let package_dir = package_dir.to_path_buf();
        thread::spawn(move || read_stacks_from_memory(pid, &package_dir, false))
    });
    let (stacks, source) = match mode {
        Mode::ProcOnly => (
            None,
            Source::Proc("TESTKIT_DIAGNOSE=proc asks for it".to_string()),
        ),
        _ => match gdb::backtraces(pid, gdb_limit) {
            Ok(output) => (Some(gdb::parse(&output)), Source::Gdb),
            // Without gdb's stacks, the stacks' memory, named by addr2line.
            Err(why) => match early.map_or_else(
                || read_stacks_from_memory(pid, package_dir, known.stop),
                |scan| scan.join().ok().flatten(),
            ) {
                Some(stacks) => (Some(stacks), Source::Scan(why.to_string())),
                None => (None, Source::Proc(why.to_string())),
            },
        },
    };
    resume_if_stopped(pid);
    let snapshot = Snapshot {
        pid,
        tasks,
        mappings: procfs::mappings(pid),
        stacks,
    };
    let mut sources = Sources::new(package_dir);
    let mut full_names = more_names();
    let known = if full_names.is_empty() {
        known
    } else {
        full_names.extend(known.full_names.iter().cloned());
        &Known {
            full_names,
            diagnosing: known.diagnosing,
            waiting: known.waiting.clone(),
            steps: known.steps.clone(),
            reported: known.reported.clone(),
            async_steps: known.async_steps.clone(),
            stop: known.stop,
        }
    };
    render::render(&analysis::analyse(&snapshot, known, &mut sources), &source)
}

/// Without gdb's stacks, the stacks' memory, named by addr2line; `None` when that gives no
/// frame at all.
fn read_stacks_from_memory(
    pid: u32,
    package_dir: &Path,
    stop_first: bool,
) -> Option<std::collections::HashMap<u32, Vec<gdb::Frame>>> {
    // gdb's watchdog lets the process go on when it kills gdb: stop it again.
    if stop_first {
        stop(pid);
    }
    let mut sources = Sources::new(package_dir);
    let stacks = scan::stacks(pid, &mut |file| sources.in_package(file).is_some()).ok()?;
    stacks
        .values()
        .any(|frames| !frames.is_empty())
        .then_some(stacks)
}

/// How long a process may take to stop: a thread stops when it next leaves the kernel.
const STOP_PATIENCE: Duration = Duration::from_millis(200);

/// Stops every thread of `pid` and waits, briefly, until they all are.
fn stop(pid: u32) {
    // SAFETY: kill has no memory-safety preconditions.
    if unsafe { libc::kill(pid as libc::pid_t, libc::SIGSTOP) } != 0 {
        return;
    }
    let deadline = Instant::now() + STOP_PATIENCE;
    while Instant::now() < deadline {
        let all_stopped = procfs::tasks(pid)
            .is_ok_and(|tasks| tasks.iter().all(|task| task.is_stopped() || task.is_dead()));
        if all_stopped {
            return;
        }
        thread::sleep(Duration::from_millis(2));
    }
}

/// gdb detaches at its end and the watchdog resumes the process after killing gdb; this makes
/// sure of it, whatever happened: no process is ever left stopped.
fn resume_if_stopped(pid: u32) {
    let stopped = procfs::tasks(pid).is_ok_and(|tasks| tasks.iter().any(|t| t.is_stopped()));
    if stopped {
        // SAFETY: kill has no memory-safety preconditions.
        unsafe {
            libc::kill(pid as libc::pid_t, libc::SIGCONT);
        }
    }
}
