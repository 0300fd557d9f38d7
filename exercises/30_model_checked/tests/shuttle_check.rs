//! Your `src/lib.rs` again, this time under shuttle.
//!
//! This file compiles `src/lib.rs` as one of its own modules (the `#[path]` line below); inside
//! it, `crate::sync` is this file's `sync` module (`main.rs`, the test crate's root, re-exports
//! it), which re-exports shuttle's atomics.
//! Every test runs its body under shuttle: shuttle runs the body many times, and each time it
//! picks a different order in which the threads take their steps. The seed is fixed, so the
//! same schedules are tried on every run, and a failure can be replayed.
//!
//! Shuttle samples schedules at random instead of trying them all, so it can afford bigger
//! tests than loom (`tests/loom_check.rs`): here three threads take the lock three times each.
//! It runs the threads on a sequentially consistent machine (every `Ordering` acts as
//! `SeqCst`), so it cannot see a wrong ordering: that is loom's part.

#[allow(dead_code, unused_imports)]
#[path = "../src/lib.rs"]
mod model_checked;

/// The `crate::sync` that `src/lib.rs` sees when compiled here: shuttle's atomics and hint.
pub(crate) mod sync {
    pub use shuttle::hint;
    pub use shuttle::sync::atomic;
}

use model_checked::{SpinGuard, SpinLock};
use shuttle::scheduler::RandomScheduler;
use shuttle::sync::Arc;
use shuttle::sync::atomic::{AtomicUsize, Ordering};
use shuttle::thread;
use shuttle::{Config, FailurePersistence, MaxSteps, Runner};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::Duration;
use testkit::within_or_explain;

/// The scheduler's seed. Fixed, so that every run tries the same schedules.
const SEED: u64 = 0x5eed_5eed;
/// Threads that share the lock, and how many times each takes it in the `lock` test: more than
/// loom could try exhaustively in a few seconds.
const THREADS: u32 = 3;
const ROUNDS: u32 = 3;
/// How many schedules a test tries. The shipped race shows up within the first few schedules.
const SCHEDULES: usize = 300;
/// A schedule longer than this is a thread that spins forever.
const MAX_STEPS: usize = 20_000;
/// Only turns a hang into a failure; the solved tests take a fraction of a second.
const LIMIT: Duration = Duration::from_secs(5);

const RACE_HINT: &str = "`lock` and `try_lock` look at the flag and set it in two separate \
     steps, and another thread can run in between: both see the lock free, both take it. Check \
     and take in ONE atomic step, with `swap` or `compare_exchange`.";

/// Runs `body` under shuttle's random scheduler with a fixed seed, once per schedule. If a
/// schedule makes `body` panic, the test fails with the panic's message, followed by the
/// failing schedule, which `shuttle::replay` runs again.
fn explore(what: &'static str, schedules: usize, body: impl Fn() + Send + Sync + 'static) {
    within_or_explain(
        LIMIT,
        what,
        "shuttle did not finish exploring: does a thread spin forever, or is a guard never dropped?",
        move || {
            // Shuttle writes the failing schedule to a file in this folder; the message below
            // carries it, so the folder is removed again.
            let folder = std::env::temp_dir().join(format!(
                "model_checked-{}-{}",
                std::process::id(),
                what.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
            ));
            let mut config = Config::new();
            // Shuttle treats every Ordering as SeqCst and warns about it; the lesson says so.
            config.silence_warnings = true;
            config.max_steps = MaxSteps::FailAfter(MAX_STEPS);
            config.failure_persistence = FailurePersistence::File(Some(folder.clone()));
            let _ = std::fs::create_dir_all(&folder);
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                Runner::new(RandomScheduler::new_from_seed(SEED, schedules), config).run(body)
            }));
            let schedule = first_schedule_in(&folder);
            let _ = std::fs::remove_dir_all(&folder);
            if let Err(panic) = outcome {
                let message = panic_text(panic.as_ref());
                match schedule {
                    Some(schedule) => panic!(
                        "{message}\nThe failing schedule (seed {SEED:#x}, so every run finds it \
                         again; `shuttle::replay(body, \"{schedule}\")` replays it): {schedule}"
                    ),
                    None => panic!("{message}"),
                }
            }
        },
    );
}

/// The schedule shuttle saved, if it saved one.
fn first_schedule_in(folder: &Path) -> Option<String> {
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .ok()?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    files.sort();
    let schedule = std::fs::read_to_string(files.first()?).ok()?;
    Some(schedule.trim().to_string()).filter(|s| !s.is_empty())
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "a thread panicked".to_string())
}

/// The critical section the threads run. It notices a second thread inside, and it lets the
/// scheduler switch between reading and writing the counter.
fn critical_section(counter: &mut SpinGuard<'_, u32>, inside: &AtomicUsize) {
    let already_inside = inside.fetch_add(1, Ordering::SeqCst);
    assert!(
        already_inside == 0,
        "shuttle found a schedule in which two threads held the SpinLock at the same time: \
         {RACE_HINT}"
    );
    let seen = **counter;
    thread::yield_now();
    **counter = seen + 1;
    inside.fetch_sub(1, Ordering::SeqCst);
}

#[test]
fn lock_never_lets_two_threads_in_at_once() {
    explore("three threads using lock()", SCHEDULES, || {
        let lock = Arc::new(SpinLock::new(0_u32));
        let inside = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..THREADS)
            .map(|_| {
                let (lock, inside) = (Arc::clone(&lock), Arc::clone(&inside));
                thread::spawn(move || {
                    for _ in 0..ROUNDS {
                        let mut guard = lock.lock();
                        critical_section(&mut guard, &inside);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("a thread panicked");
        }
        assert_eq!(
            *lock.lock(),
            THREADS * ROUNDS,
            "3 threads x 3 increments under the lock should give 9"
        );
    });
}

#[test]
fn try_lock_never_lets_two_threads_in_at_once() {
    explore("three threads using try_lock()", SCHEDULES, || {
        let lock = Arc::new(SpinLock::new(0_u32));
        let inside = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..THREADS)
            .map(|_| {
                let (lock, inside) = (Arc::clone(&lock), Arc::clone(&inside));
                thread::spawn(move || {
                    loop {
                        if let Some(mut guard) = lock.try_lock() {
                            critical_section(&mut guard, &inside);
                            break;
                        }
                        thread::yield_now();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("a thread panicked");
        }
        let lock = Arc::into_inner(lock).expect("both threads are done with the lock");
        assert_eq!(
            lock.into_inner(),
            THREADS,
            "3 threads x 1 increment under try_lock should give 3"
        );
    });
}
