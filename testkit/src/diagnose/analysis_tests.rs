//! Tests of the analysis: where each thread waits, and what that means.

use super::super::holders::certain_holders;
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
