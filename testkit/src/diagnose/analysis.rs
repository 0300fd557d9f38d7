//! From what /proc and gdb show to findings: for each of the learner's threads, what it does
//! and where; and between threads, who holds the lock that another waits for.

use super::classify::{self, Wait};
use super::gdb::Frame;
use super::procfs::{self, Task};
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

/// Of the threads whose stacks refer to the lock a thread waits for, those that certainly
/// hold it: those on a cycle of such references (each waits for a lock that the next refers
/// to), which a stale copy of an address does not make, and, with stacks (`guards` known),
/// those whose code holds a guard. The waiters left with references but no certain holder are
/// returned apart: who holds their lock is not known.
fn certain_holders(
    referring: HashMap<u32, Vec<u32>>,
    guards: Option<&BTreeSet<u32>>,
) -> (HashMap<u32, Vec<u32>>, BTreeSet<u32>) {
    let reaches = |from: u32, to: u32| {
        let mut seen = BTreeSet::new();
        let mut next = vec![from];
        while let Some(tid) = next.pop() {
            if tid == to {
                return true;
            }
            if seen.insert(tid) {
                next.extend(referring.get(&tid).into_iter().flatten().copied());
            }
        }
        false
    };
    let mut unknown = BTreeSet::new();
    let certain = referring
        .iter()
        .map(|(&waiter, holders)| {
            let sure: Vec<u32> = holders
                .iter()
                .copied()
                .filter(|&holder| {
                    reaches(holder, waiter) || guards.is_some_and(|g| g.contains(&holder))
                })
                .collect();
            if sure.is_empty() && !holders.is_empty() {
                unknown.insert(waiter);
            }
            (waiter, sure)
        })
        .collect();
    (certain, unknown)
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

/// The live part of each blocked thread's stack (a running thread's stack pointer is unknown).
fn stack_ranges<'a>(snapshot: &'a Snapshot, known: &Known) -> Vec<(&'a Task, Range<u64>)> {
    snapshot
        .tasks
        .iter()
        .filter(|task| known.diagnosing != Some(task.tid))
        .filter_map(|task| {
            let sp = task.syscall?.stack_pointer;
            let mapping = procfs::mapping_of(&snapshot.mappings, sp)?;
            Some((task, sp..mapping.end))
        })
        .collect()
}

/// Who holds the lock each lock-waiting thread waits for. std's Mutex does not record its
/// owner, but a thread that holds a lock keeps its `MutexGuard`, a reference to the Mutex, on
/// its stack: the holders are the other threads whose stacks refer to the address the waiter's
/// futex waits on.
///
/// Only the learner's threads are candidates, since a stack may also keep a stale copy of the
/// address: a `Vec<Mutex<_>>` once moved through a test's frame leaves its buffer pointer, the
/// first Mutex's address, behind. And a thread in `Condvar::wait` refers to its Mutex but has
/// released it.
fn lock_holders(
    snapshot: &Snapshot,
    findings: &[Finding],
    stacks: &[(&Task, Range<u64>)],
) -> HashMap<u32, Vec<u32>> {
    let waits: Vec<(u32, u64)> = findings
        .iter()
        .filter(|finding| waits_for_lock(&finding.doing))
        .filter_map(|finding| Some((finding.tid, task_of(snapshot, finding.tid)?.futex()?)))
        .collect();
    let addresses: Vec<u64> = waits.iter().map(|&(_, address)| address).collect();
    if addresses.is_empty() {
        return HashMap::new();
    }
    let candidate = |tid: u32| {
        findings
            .iter()
            .any(|f| f.tid == tid && f.doing != Doing::Waits(Wait::Condvar))
    };
    let references: Vec<(&Task, Vec<u64>)> = stacks
        .iter()
        .filter(|(task, _)| candidate(task.tid))
        .filter_map(|(task, range)| {
            let found = procfs::stack_references(snapshot.pid, range.clone(), &addresses).ok()?;
            Some((*task, found))
        })
        .collect();
    waits
        .iter()
        .map(|&(waiter, address)| {
            let holders = references
                .iter()
                .filter(|(task, found)| found.contains(&address) && task.futex() != Some(address))
                .map(|(task, _)| task.tid)
                .collect();
            (waiter, holders)
        })
        .collect()
}

fn waits_for_lock(doing: &Doing) -> bool {
    match doing {
        Doing::Waits(wait) => wait.lock_method().is_some(),
        Doing::Futex => true,
        _ => false,
    }
}

/// The thread each joining thread joins: `pthread_join` waits on a futex inside the joined
/// thread's own stack mapping, where its thread record lives. A running thread's stack pointer
/// is unknown, so a join into a stack of no blocked thread is a join of the one running thread
/// of the learner's, if there is just one.
fn joined_threads(
    snapshot: &Snapshot,
    findings: &[Finding],
    stacks: &[(&Task, Range<u64>)],
) -> HashMap<u32, u32> {
    let running: Vec<u32> = findings
        .iter()
        .filter(|finding| finding.doing.is_busy())
        .map(|finding| finding.tid)
        .collect();
    findings
        .iter()
        .filter(|finding| matches!(finding.doing, Doing::Waits(Wait::Join) | Doing::Futex))
        .filter_map(|finding| {
            let address = task_of(snapshot, finding.tid)?.futex()?;
            let mapping = procfs::mapping_of(&snapshot.mappings, address)?;
            let blocked = stacks
                .iter()
                .find(|(task, range)| task.tid != finding.tid && mapping.contains(&range.start))
                .map(|(task, _)| task.tid);
            let joins_running = finding.doing == Doing::Waits(Wait::Join) && running.len() == 1;
            let joined = blocked.or(joins_running.then(|| running[0]))?;
            Some((finding.tid, joined))
        })
        .collect()
}

fn task_of(snapshot: &Snapshot, tid: u32) -> Option<&Task> {
    snapshot.tasks.iter().find(|task| task.tid == tid)
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
mod tests {
    use super::*;
    use std::path::Path;

    fn analysis(holders: &[(u32, &[u32])]) -> Analysis {
        Analysis {
            findings: Vec::new(),
            names: HashMap::new(),
            holders: holders
                .iter()
                .map(|(waiter, held_by)| (*waiter, held_by.to_vec()))
                .collect(),
            holder_unknown: BTreeSet::new(),
            joins: HashMap::new(),
        }
    }

    #[test]
    fn two_threads_waiting_for_each_others_locks_are_one_cycle() {
        let graph = analysis(&[(7, &[9]), (9, &[7]), (11, &[7])]);
        assert_eq!(graph.cycles(), [vec![7, 9]]);
    }

    /// 14 `rwlock` as shipped: readers behind a Mutex. The step's own thread took the lock
    /// once and let it go, but its stack still refers to it; the reader at the barrier holds it.
    #[test]
    fn a_stale_reference_to_a_lock_does_not_make_a_holder() {
        let (step, holder, waiter) = (1, 2, 3);
        let referring: HashMap<u32, Vec<u32>> = [(waiter, vec![step, holder])].into();
        let (holders, unknown) =
            certain_holders(referring.clone(), Some(&[holder].into_iter().collect()));
        assert_eq!(holders[&waiter], [holder]);
        assert!(unknown.is_empty());
        // No guard in sight: who holds it is not known, rather than guessed.
        let (holders, unknown) = certain_holders(referring.clone(), Some(&BTreeSet::new()));
        assert!(holders[&waiter].is_empty());
        assert!(unknown.contains(&waiter));
        // From /proc alone only a cycle of references is certain.
        let (holders, unknown) = certain_holders(referring, None);
        assert!(holders[&waiter].is_empty() && unknown.contains(&waiter));
        let cycle: HashMap<u32, Vec<u32>> = [(7, vec![9]), (9, vec![7, 4])].into();
        let (holders, unknown) = certain_holders(cycle, None);
        assert_eq!((&holders[&7], &holders[&9]), (&vec![9], &vec![7]));
        assert!(unknown.is_empty());
    }

    #[test]
    fn a_chain_without_a_loop_is_no_cycle() {
        assert!(
            analysis(&[(1, &[2]), (2, &[3]), (3, &[])])
                .cycles()
                .is_empty()
        );
        assert_eq!(
            analysis(&[(1, &[2]), (2, &[3]), (3, &[1])]).cycles(),
            [vec![1, 2, 3]]
        );
    }

    fn task(tid: u32, comm: &str) -> Task {
        Task {
            tid,
            comm: comm.into(),
            state: 'S',
            wchan: String::new(),
            syscall: None,
        }
    }

    /// Recorded from gdb (trimmed) on a teller of a lock-order deadlock.
    const TELLER: &str = "\
Thread 2 (Thread 0x7f1feb27d6c0 (LWP 42) \"teller-0\"):
#0  syscall () at ../sysdeps/unix/sysv/linux/x86_64/syscall.S:38
#1  0x000055b90df626c6 in std::sys::pal::unix::futex::futex_wait () at library/std/src/sys/pal/unix/futex.rs:73
#2  std::sys::sync::mutex::futex::Mutex::lock_contended () at library/std/src/sys/sync/mutex/futex.rs:61
#3  0x000055b90df3feb9 in lock () at /rustc/5980/library/std/src/sys/sync/mutex/futex.rs:33
#4  lock<u64> () at /rustc/5980/library/std/src/sync/poison/mutex.rs:492
#5  0x000055b90df3b45c in transfer () at src/lib.rs:6
#6  0x000055b90df3b1df in lockorder::main::{{closure}}::h8059a407cf6dc577 () at src/lib.rs:10
#7  0x000055b90df46dca in std::thread::lifecycle::spawn_unchecked::{{closure}}::{{closure}}::h0085dc3a253a9658 () at /rustc/5980/library/std/src/thread/lifecycle.rs:91
";

    const LIB: &str = "\
use std::sync::Mutex;
pub fn transfer(from: &Mutex<u64>, to: &Mutex<u64>) {
    let mut payer = from.lock().unwrap();
    pause();
    // Both hold one lock now.
    let mut payee = to.lock().unwrap();
}
pub fn main() {
    std::thread::Builder::new().name(\"teller-0\".into())
        .spawn(move || transfer(&a, &b));
}
";

    #[test]
    fn a_recorded_lock_wait_is_placed_in_the_package_with_the_lock_it_holds() {
        let package = std::env::temp_dir().join(format!("testkit-analysis-{}", std::process::id()));
        std::fs::create_dir_all(package.join("src")).unwrap();
        std::fs::write(package.join("src/lib.rs"), LIB).unwrap();
        let stacks = super::super::gdb::parse(TELLER);
        let finding = from_stack(
            &task(42, "teller-0"),
            &stacks[&42],
            &mut Sources::new(&package),
        );
        std::fs::remove_dir_all(&package).unwrap();

        let finding = finding.expect("a thread in the package");
        assert_eq!(finding.doing, Doing::Waits(Wait::Lock));
        let place = |line: u32, text: &str| Place {
            file: "src/lib.rs".into(),
            line,
            text: Some(text.into()),
        };
        assert_eq!(
            finding.places,
            [
                place(6, "let mut payee = to.lock().unwrap();"),
                place(
                    10,
                    "std::thread::Builder::new().name(\"teller-0\".into()).spawn(move || transfer(&a, &b));"
                ),
            ]
        );
        assert_eq!(
            finding.held,
            Some((place(3, "let mut payer = from.lock().unwrap();"), 0))
        );
    }

    const PRICES: &str = "\
pub fn set(&self, item: &str, cents: u32) {
    self.prices.lock().unwrap().insert(item.to_string(), cents);
}
pub fn read_with<R>(&self, read: impl FnOnce(&Prices) -> R) -> R {
    let prices = self.prices.lock().unwrap();
    read(&prices)
}
pub fn meet(list: &PriceList, all_inside: &Barrier) {
    list.set(\"tea\", 250);
    let reader = spawn(|| list.read_with(|prices| {
        all_inside.wait();
    }));
    reader.join().unwrap();
}
";

    /// Recorded from gdb (trimmed): the reader at the barrier, inside `read_with`.
    const AT_BARRIER: &str = "\
Thread 3 (LWP 52 \"reader\"):
#0  0x1 in syscall () from /lib/x86_64-linux-gnu/libc.so.6
#1  0x2 in std::sys::pal::unix::futex::futex_wait () at library/std/src/sys/pal/unix/futex.rs:73
#6  std::sync::barrier::Barrier::wait () at library/std/src/sync/barrier.rs:128
#7  0x3 in prices::meet::{closure#0}::{closure#0} () at src/lib.rs:12
#8  0x4 in prices::PriceList::read_with () at src/lib.rs:6
#9  0x5 in prices::meet::{closure#0} () at src/lib.rs:11
";

    /// The step's thread, which took the lock in `set` and let it go, joining the reader.
    const JOINING: &str = "\
Thread 2 (LWP 51 \"step\"):
#0  0x1 in ?? () from /lib/x86_64-linux-gnu/libc.so.6
#2  0x2 in std::sys::thread::unix::Thread::join () at library/std/src/sys/thread/unix.rs:126
#4  0x4 in std::thread::join_handle::JoinHandle<()>::join<()> () at /rustc/5980/library/std/src/thread/join_handle.rs:150
#5  0x5 in prices::meet () at src/lib.rs:14
";

    #[test]
    fn only_a_thread_whose_code_keeps_a_guard_holds_a_lock() {
        let package = std::env::temp_dir().join(format!("testkit-guards-{}", std::process::id()));
        std::fs::create_dir_all(package.join("src")).unwrap();
        std::fs::write(package.join("src/lib.rs"), PRICES).unwrap();
        let mut sources = Sources::new(&package);
        let reader = super::super::gdb::parse(AT_BARRIER);
        let step = super::super::gdb::parse(JOINING);
        let reader_holds = holds_a_lock(&reader[&52], &mut sources);
        let step_holds = holds_a_lock(&step[&51], &mut sources);
        std::fs::remove_dir_all(&package).unwrap();
        assert!(
            reader_holds,
            "`let prices = self.prices.lock()` is alive in read_with"
        );
        assert!(
            !step_holds,
            "`set` let its guard go at the end of its statement"
        );
    }

    #[test]
    fn a_thread_waiting_in_the_harness_is_not_the_learners() {
        let waiting = "\
Thread 1 (LWP 7 \"main\"):
#0  syscall () at ../sysdeps/unix/sysv/linux/x86_64/syscall.S:38
#1  recv_timeout<()> () at /rustc/5980/library/std/src/sync/mpsc.rs:900
#2  0x1 in testkit::within_or_explain () at /work/testkit/src/lib.rs:59
#3  0x2 in diagnose::a_test () at tests/diagnose.rs:4
";
        let stacks = super::super::gdb::parse(waiting);
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sources = Sources::new(here);
        assert!(sources.in_package("tests/diagnose.rs").is_some());
        let found = from_stack(&task(7, "main"), &stacks[&7], &mut sources);
        assert!(found.is_none(), "{found:?}");
    }

    #[test]
    fn threads_are_named_after_their_step_or_the_step_they_were_spawned_in() {
        let what = "transfers 0 -> 1 and 1 -> 0 on two threads";
        let tasks = [
            task(10, "transfers 0 -> "),
            task(11, "transfers 0 -> "),
            task(12, "teller-0"),
            task(13, "main"),
            task(14, "main"),
        ];
        let names = names(&tasks, &[(10, what.to_string())], &[]);
        assert_eq!(names[&10].short, format!("`{what}`"));
        assert_eq!(
            names[&11].long,
            format!("thread 11 (unnamed, spawned in `{what}`)")
        );
        assert_eq!(names[&11].short, "thread 11");
        assert_eq!(names[&12].short, "teller-0");
        assert_eq!(names[&13].short, "main [13]");
    }

    #[test]
    fn a_name_the_kernel_cut_short_is_made_whole_from_the_tests_names() {
        let tasks = [
            task(20, "a_push_wakes_a_"),
            task(21, "close_wakes_eve"),
            task(22, "close_wakes_eve"),
            task(23, "pop_waits"),
            task(24, "ambiguous_name_"),
        ];
        let full_names = [
            "a_push_wakes_a_waiting_pop",
            "close_wakes_every_waiter",
            "pop_waits",
            "ambiguous_name_one",
            "ambiguous_name_two",
        ]
        .map(String::from);
        let names = names(&tasks, &[], &full_names);
        assert_eq!(names[&20].long, "a_push_wakes_a_waiting_pop");
        assert_eq!(names[&21].short, "close_wakes_every_waiter [21]");
        assert_eq!(names[&22].long, "close_wakes_every_waiter [22]");
        assert_eq!(names[&23].long, "pop_waits");
        // Two tests begin this way: the kernel's cut is all that is certain.
        assert_eq!(names[&24].long, "ambiguous_name_");
    }
}
