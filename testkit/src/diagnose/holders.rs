//! Between threads: who holds the lock that another waits for (from the references to a lock's
//! address on the holders' stacks), and which thread a `join` waits for.

use super::analysis::{Doing, Finding, Known, Snapshot};
use super::classify::Wait;
use super::procfs::{self, Task};
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

/// Of the threads whose stacks refer to the lock a thread waits for, those that certainly
/// hold it: those on a cycle of such references (each waits for a lock that the next refers
/// to), which a stale copy of an address does not make, and, with stacks (`guards` known),
/// those whose code holds a guard. The waiters left with references but no certain holder are
/// returned apart: who holds their lock is not known.
pub(super) fn certain_holders(
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

/// The live part of each blocked thread's stack (a running thread's stack pointer is unknown).
pub(super) fn stack_ranges<'a>(
    snapshot: &'a Snapshot,
    known: &Known,
) -> Vec<(&'a Task, Range<u64>)> {
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
pub(super) fn lock_holders(
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
pub(super) fn joined_threads(
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
