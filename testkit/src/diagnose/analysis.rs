//! From what /proc and gdb show to findings: for each of the learner's threads, what it does
//! and where; and between threads, who holds the lock that another waits for.

use super::classify::{self, Wait};
use super::gdb::Frame;
use super::holders::{certain_holders, joined_threads, lock_holders, stack_ranges};
use super::procfs::Task;
use super::source::{self, Sources};
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

/// How many of a thread's frames in the package are shown: the wait and its callers.
const MAX_PLACES: usize = 4;

/// The longest lock-order cycle looked for.
const MAX_CYCLE: usize = 8;

/// Everything read from the process, once.
pub struct Snapshot {
    pub pid: u32,
    pub tasks: Vec<Task>,
    pub mappings: Vec<Range<u64>>,
    /// Each thread's frames, innermost first, when gdb could read them.
    pub stacks: Option<HashMap<u32, Vec<Frame>>>,
}

/// What testkit knows about the threads of its own process.
#[derive(Default)]
pub struct Known {
    /// The thread making the diagnosis, if it is in the process.
    pub diagnosing: Option<u32>,
    /// Threads waiting inside `within` for a step: that step's own timeout reports it.
    pub waiting: Vec<u32>,
    /// Each step's thread and the step's full name (the kernel keeps only 15 bytes of it).
    pub steps: Vec<(u32, String)>,
    /// The same for steps whose timeout was reported before: their threads are left out.
    pub reported: Vec<(u32, String)>,
    /// The threads of async steps, each running a runtime.
    pub async_steps: Vec<u32>,
    /// Full names of threads whose name the kernel cut to 15 bytes, such as the tests' own
    /// (libtest names each test's thread after the test): a thread that the kernel knows by
    /// the first 15 bytes of one of them is shown by the whole name.
    pub full_names: Vec<String>,
    /// Stop the process (SIGSTOP) while gdb reads it. Only for another process: one that
    /// diagnoses itself cannot stop.
    pub stop: bool,
}

impl Known {
    /// Whether a thread belongs to a step reported before: its thread, or an unnamed thread
    /// spawned in it (unless a step not yet reported has the same name).
    fn reported_before(&self, task: &Task) -> bool {
        let spawned_in =
            |steps: &[(u32, String)]| steps.iter().any(|(_, what)| kernel_name(what) == task.comm);
        self.reported.iter().any(|(tid, _)| *tid == task.tid)
            || (spawned_in(&self.reported) && !spawned_in(&self.steps))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Relative to the package, such as `src/lib.rs`.
    pub file: String,
    pub line: u32,
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Doing {
    Running,
    Waits(Wait),
    /// Blocked on a futex, for a reason only a symbolised stack could tell.
    Futex,
    /// An async step's thread blocked on a futex: most likely its runtime, idle.
    RuntimeFutex,
    Sleeps,
    /// Blocked in the kernel elsewhere: the kernel function it sleeps in.
    Blocked(String),
}

impl Doing {
    /// Busy rather than blocked: a loop that never ends, printing or not.
    pub fn is_busy(&self) -> bool {
        matches!(self, Doing::Running | Doing::Waits(Wait::Print))
    }
}

/// A thread, with both the name for a list and a shorter one for sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub short: String,
    pub long: String,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub tid: u32,
    pub doing: Doing,
    /// The thread's frames in the package, innermost first (none without gdb).
    pub places: Vec<Place>,
    /// Where the thread took the lock it holds while it waits for another, and which of
    /// `places` waits for that other one.
    pub held: Option<(Place, usize)>,
}

pub struct Analysis {
    pub findings: Vec<Finding>,
    pub names: HashMap<u32, Name>,
    /// For a thread waiting for a lock: the threads that certainly hold it (see
    /// [`lock_holders`]).
    pub holders: HashMap<u32, Vec<u32>>,
    /// Threads waiting for a lock that another thread refers to, but none certainly holds: a
    /// stack may keep a stale copy of a lock's address, so who holds it is not known.
    pub holder_unknown: BTreeSet<u32>,
    /// For a thread waiting to join: the thread it joins.
    pub joins: HashMap<u32, u32>,
}

impl Analysis {
    pub fn finding(&self, tid: u32) -> Option<&Finding> {
        self.findings.iter().find(|finding| finding.tid == tid)
    }

    pub fn short(&self, tid: u32) -> String {
        self.names
            .get(&tid)
            .map_or_else(|| format!("thread {tid}"), |name| name.short.clone())
    }

    /// Lock-order cycles: each thread waits for a lock that the next one holds.
    pub fn cycles(&self) -> Vec<Vec<u32>> {
        let mut found = BTreeSet::new();
        for &start in self.holders.keys() {
            self.walk(&mut vec![start], &mut found);
        }
        found.into_iter().collect()
    }

    fn walk(&self, path: &mut Vec<u32>, found: &mut BTreeSet<Vec<u32>>) {
        let last = *path.last().expect("a path is never empty");
        for &next in self.holders.get(&last).into_iter().flatten() {
            // Each cycle is recorded once, from its smallest thread id.
            if next == path[0] && path.iter().all(|&tid| tid >= path[0]) {
                found.insert(path.clone());
            } else if !path.contains(&next) && path.len() < MAX_CYCLE {
                path.push(next);
                self.walk(path, found);
                path.pop();
            }
        }
    }
}

/// Reads the snapshot: which threads are the learner's, what each does, and who blocks whom.
pub fn analyse(snapshot: &Snapshot, known: &Known, sources: &mut Sources) -> Analysis {
    // The threads of steps reported before are left out: their own timeouts show them.
    let shown: Vec<&Task> = snapshot
        .tasks
        .iter()
        .filter(|task| known.diagnosing != Some(task.tid) && !known.waiting.contains(&task.tid))
        .filter(|task| !known.reported_before(task))
        .collect();
    let findings: Vec<Finding> = match &snapshot.stacks {
        // A thread whose stack could not be read (a running one, when the stacks come from
        // memory) is told from /proc.
        Some(stacks) => shown
            .into_iter()
            .filter_map(|task| match stacks.get(&task.tid) {
                Some(frames) => from_stack(task, frames, sources),
                None => (task.tid != snapshot.pid).then(|| by_proc(task)),
            })
            .collect(),
        // In a test binary the main thread is libtest's, waiting for the tests' results.
        None => shown
            .into_iter()
            .filter(|task| task.tid != snapshot.pid)
            .map(|task| {
                let mut finding = by_proc(task);
                if matches!(finding.doing, Doing::Futex) && known.async_steps.contains(&task.tid) {
                    finding.doing = Doing::RuntimeFutex;
                }
                finding
            })
            .collect(),
    };
    // With gdb's stacks, a thread is taken to hold a lock only if its code shows a guard that
    // is still alive; /proc alone cannot tell that.
    let guards: Option<BTreeSet<u32>> = snapshot.stacks.as_ref().map(|stacks| {
        findings
            .iter()
            .filter(|finding| {
                stacks
                    .get(&finding.tid)
                    .is_some_and(|frames| holds_a_lock(frames, sources))
            })
            .map(|finding| finding.tid)
            .collect()
    });
    let stacks = stack_ranges(snapshot, known);
    let (holders, holder_unknown) =
        certain_holders(lock_holders(snapshot, &findings, &stacks), guards.as_ref());
    Analysis {
        holders,
        holder_unknown,
        joins: joined_threads(snapshot, &findings, &stacks),
        names: names(&snapshot.tasks, &known.steps, &known.full_names),
        findings,
    }
}

/// A thread whose stack runs through the package's code, told from its frames. Threads that
/// never enter the package are not the learner's, nor are those waiting in the test harness.
fn from_stack(task: &Task, frames: &[Frame], sources: &mut Sources) -> Option<Finding> {
    let package: Vec<(usize, String)> = frames
        .iter()
        .enumerate()
        .filter(|(_, frame)| !classify::is_harness(frame))
        .filter_map(|(i, frame)| Some((i, sources.in_package(frame.file.as_deref()?)?)))
        .take(MAX_PLACES)
        .collect();
    let Some(&(innermost, _)) = package.first() else {
        return idle_runtime(task, frames);
    };
    if frames[..innermost].iter().any(classify::is_harness) {
        return None;
    }
    let doing = match classify::wait_of(&frames[..innermost]) {
        // Running or not, a thread caught printing is most likely printing in a loop.
        Some(Wait::Print) => Doing::Waits(Wait::Print),
        _ if task.is_running() => Doing::Running,
        Some(wait) => Doing::Waits(wait),
        None => doing_by_proc(task),
    };
    let places: Vec<Place> = package
        .iter()
        .map(|(i, file)| Place {
            file: file.clone(),
            line: frames[*i].line,
            text: sources.quote(file, frames[*i].line),
        })
        .collect();
    let held = match &doing {
        Doing::Waits(wait) => wait
            .lock_method()
            .and_then(|method| earlier_lock(frames, &package, method, sources)),
        _ => None,
    };
    Some(Finding {
        tid: task.tid,
        doing,
        places,
        held,
    })
}

/// A thread outside the package's code that is an async runtime's, parked with nothing to run:
/// an async step whose futures all wait for a wake-up. Waiting futures are on no stack, so
/// this thread is all there is to show of them.
fn idle_runtime(task: &Task, frames: &[Frame]) -> Option<Finding> {
    let idle = !task.is_running() && classify::wait_of(frames) == Some(Wait::RuntimeIdle);
    idle.then(|| Finding {
        tid: task.tid,
        doing: Doing::Waits(Wait::RuntimeIdle),
        places: Vec::new(),
        held: None,
    })
}

/// Whether a thread's code holds a lock guard where it stands: one of its frames in the
/// package took a lock (`let guard = m.lock()...`, a read or a write lock, or through a helper
/// of its own) above the line it is at, and did not drop it since.
fn holds_a_lock(frames: &[Frame], sources: &mut Sources) -> bool {
    let package: Vec<(usize, String)> = frames
        .iter()
        .enumerate()
        .filter(|(_, frame)| !classify::is_harness(frame))
        .filter_map(|(i, frame)| Some((i, sources.in_package(frame.file.as_deref()?)?)))
        .collect();
    ["lock", "read", "write"]
        .iter()
        .any(|method| earlier_lock(frames, &package, method, sources).is_some())
}

/// The nearest frame in the package whose function took a lock before the call it waits in:
/// a call to the lock method itself, or, in a caller, to the same function that now waits
/// (`lock_account` twice in `transfer`).
fn earlier_lock(
    frames: &[Frame],
    package: &[(usize, String)],
    method: &str,
    sources: &mut Sources,
) -> Option<(Place, usize)> {
    package.iter().enumerate().find_map(|(k, (i, file))| {
        let callee = match k {
            0 => method,
            _ => classify::short_name(&frames[i - 1].function),
        };
        let frame = &frames[*i];
        let lines = sources.lines(file);
        let in_closure = classify::is_closure(frame);
        let line = source::earlier_lock(lines, frame.line, &[method, callee], in_closure)?;
        let place = Place {
            file: file.clone(),
            line,
            text: sources.quote(file, line),
        };
        Some((place, k))
    })
}

fn by_proc(task: &Task) -> Finding {
    Finding {
        tid: task.tid,
        doing: doing_by_proc(task),
        places: Vec::new(),
        held: None,
    }
}

fn doing_by_proc(task: &Task) -> Doing {
    if task.is_running() {
        Doing::Running
    } else if task.sleeps() {
        Doing::Sleeps
    } else if task.futex().is_some() {
        Doing::Futex
    } else {
        Doing::Blocked(match task.wchan.as_str() {
            "" | "0" => format!("state {}", task.state),
            wchan => wchan.to_string(),
        })
    }
}

/// Names for every thread. A step's thread gets the step's full name; a thread that was given
/// no name carries its creator's, so one named like a step but not its thread was spawned
/// inside that step. A name the kernel cut short is made whole again from `full_names` when
/// exactly one of them starts that way.
fn names(tasks: &[Task], steps: &[(u32, String)], full_names: &[String]) -> HashMap<u32, Name> {
    tasks
        .iter()
        .map(|task| {
            let step = steps.iter().find(|(tid, _)| *tid == task.tid);
            let spawned_in = steps
                .iter()
                .find(|(_, what)| kernel_name(what) == task.comm);
            let shared = tasks.iter().filter(|t| t.comm == task.comm).count() > 1;
            let comm = whole_name(&task.comm, full_names);
            let name = match (step, spawned_in) {
                (Some((_, what)), _) => Name {
                    short: format!("`{what}`"),
                    long: format!("`{what}`"),
                },
                (None, Some((_, what))) => Name {
                    short: format!("thread {}", task.tid),
                    long: format!("thread {} (unnamed, spawned in `{what}`)", task.tid),
                },
                (None, None) if shared => Name {
                    short: format!("{comm} [{}]", task.tid),
                    long: format!("{comm} [{}]", task.tid),
                },
                (None, None) => Name {
                    short: comm.clone(),
                    long: comm,
                },
            };
            (task.tid, name)
        })
        .collect()
}

/// The whole name of a thread the kernel knows as `comm`: the one name of `full_names` that it
/// is the kernel's cut of, else `comm` itself (a name of 15 bytes or less is whole already).
fn whole_name(comm: &str, full_names: &[String]) -> String {
    let mut matching = full_names
        .iter()
        .filter(|name| name.len() > comm.len() && kernel_name(name) == comm);
    match (matching.next(), matching.next()) {
        (Some(name), None) => name.clone(),
        _ => comm.to_string(),
    }
}

/// The name the kernel keeps for a thread named `name`: std gives it the first 15 bytes.
fn kernel_name(name: &str) -> String {
    let bytes = &name.as_bytes()[..name.len().min(15)];
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
#[path = "analysis_tests.rs"]
mod tests;
