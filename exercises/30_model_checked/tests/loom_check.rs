//! Your `src/lib.rs` again, this time under loom.
//!
//! This test crate compiles `src/lib.rs` as one of its own modules (the `#[path]` line below).
//! Inside it, `crate::sync` is this file's `sync` module, which re-exports loom's atomics: so
//! your lock runs on loom's simulated threads and memory, without a `cfg` in your code.
//!
//! loom runs each test body many times, once per interleaving of the threads' atomic
//! operations, and every interleaving within the bound below is tried: a bug it can see fails
//! on every run. It also simulates weak memory: a `Relaxed` load may read an older value when
//! nothing orders it after the newer store, as on an ARM CPU. So a lock whose orderings do not
//! hand the protected data from one owner to the next fails here, even on an x86 laptop.
//!
//! The data the lock protects is an atomic of loom's (`data`) that both threads read and then
//! write, with `Relaxed`, while they hold the lock. Only the lock's own orderings can make the
//! second owner read the first owner's write. No test panics on a spawned thread: a thread that
//! finds another inside the lock notes it, and the model's main thread, after `join`, stops
//! the exploration at the first interleaving that went wrong.

#[allow(dead_code, unused_imports)]
#[path = "../src/lib.rs"]
mod model_checked;

/// The `crate::sync` that `src/lib.rs` sees when compiled here: loom's atomics and hint.
mod sync {
    pub use loom::hint;
    pub use loom::sync::atomic;
}

use loom::sync::Arc;
use loom::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use loom::thread;
use model_checked::SpinLock;

/// Each test runs loom three times:
/// 1. each thread takes the lock once, with switches between threads anywhere (every
///    interleaving, no bound): this finds two threads in the lock at once, first;
/// 2. the same, with switches only where a thread waits (spins or joins), never in the middle
///    of a step: this finds wrong orderings, and a thread that spins forever;
/// 3. each thread takes the lock twice, with at most this many preemptions (switches away from
///    a thread that could have gone on).
///
/// Every mistake in the course's catalogue shows up in the first two passes, which take about
/// 0.01 s each; the third takes about 0.15 s with this bound, and 2.5 s with none. With
/// preemptions, loom can go round some correct spin loops forever (a `lock` that spins on
/// `swap` keeps writing the flag, and loom keeps trying to preempt it), so passes 1 and 3 stop
/// there, with what they found so far; pass 2, which has no preemptions, is the one that shows
/// that every thread gets the lock.
const PREEMPTION_BOUND: usize = 3;

const ATOMICITY: &str = "two threads held the SpinLock at the same time: check the flag and take \
     it in ONE atomic step, with `swap(true, ..)` or `compare_exchange(false, true, ..)`\nloom \
     found an interleaving in which both threads saw the lock free before either took it: \
     checking and taking were two steps, and the other thread ran in between.";

const ORDERING: &str = "the lock's orderings do not hand the data to the next owner: take the lock \
     with `Acquire` (in `lock` and in `try_lock`) and release it with `Release` (in the guard's \
     `drop`), not `Relaxed`\nloom found an interleaving in which a thread took the lock after \
     the other released it, yet read the protected value from BEFORE the other's write, so an \
     update was lost. With `Relaxed`, nothing orders the previous owner's writes before the next \
     owner's reads; x86 hides that, but on ARM the writes can arrive late.";

/// What one run of the model saw.
struct Seen {
    /// Where a thread that finds another inside the critical section notes it at once: a lock
    /// that lets two threads in may also leave a later interleaving spinning forever, and loom
    /// stops exploring there.
    findings: Findings,
    /// The protected data: each owner reads it and writes it back plus one.
    data: AtomicU32,
    /// Raised while a thread is inside the critical section.
    inside: AtomicBool,
}

impl Seen {
    fn new(findings: &Findings) -> Self {
        Seen {
            findings: findings.clone(),
            data: AtomicU32::new(0),
            inside: AtomicBool::new(false),
        }
    }

    /// The critical section: notes a second thread inside, and does a read-then-write of the
    /// protected data that only the lock makes safe. Everything here is `Relaxed`, so that
    /// only the lock's own orderings can order one owner's write before the next owner's read.
    /// (`swap` still reads the latest value of `inside`: a read-modify-write always does.)
    fn critical_section(&self) {
        if self.inside.swap(true, Ordering::Relaxed) {
            self.findings
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .overlap = true;
        }
        let seen = self.data.load(Ordering::Relaxed);
        self.data.store(seen + 1, Ordering::Relaxed);
        self.inside.store(false, Ordering::Relaxed);
    }

    /// After both threads are joined, on the model's main thread: notes a lost update, and
    /// ends the exploration at the first interleaving that broke the lock. A lock with both
    /// mistakes is told about atomicity first.
    fn judge(&self, expected: u32) {
        let mut findings = self.findings.lock().unwrap_or_else(|p| p.into_inner());
        if self.data.load(Ordering::Relaxed) != expected {
            findings.stale = true;
        }
        if findings.overlap || (findings.stale && !findings.atomicity_pass) {
            // One interleaving that breaks the lock is enough: stop exploring. (The test's
            // message comes from `check_rounds`, which reads the findings.) The first pass
            // goes on after a lost update, looking for two threads inside: a lock that checks
            // and takes in two steps also loses updates, but its mistake is the two steps.
            panic!("loom found an interleaving that breaks the lock; see the test's message");
        }
    }
}

/// What went wrong in any of the interleavings loom tried. A `std` mutex: it lives outside the
/// model, across all of loom's runs of the body.
type Findings = std::sync::Arc<std::sync::Mutex<Found>>;

#[derive(Default)]
struct Found {
    overlap: bool,
    stale: bool,
    /// The first pass, which looks for two threads inside before anything else.
    atomicity_pass: bool,
}

/// Runs `body(findings, rounds)` under loom in the three passes described at
/// `PREEMPTION_BOUND`, and fails with what went wrong in any interleaving. A panic from loom itself (a thread that
/// spins forever) gets a first line that says what it means for a spin lock. (A deadlock is
/// different: loom aborts the whole test process, and the checker reports loom's explanation.)
fn check(body: impl Fn(&Findings, u32) + Sync + Send + Clone + 'static) {
    for (rounds, bound) in [(1, None), (1, Some(0)), (2, Some(PREEMPTION_BOUND))] {
        check_rounds(rounds, bound, body.clone());
    }
}

fn check_rounds(
    rounds: u32,
    bound: Option<usize>,
    body: impl Fn(&Findings, u32) + Sync + Send + 'static,
) {
    let findings = Findings::default();
    findings
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .atomicity_pass = bound.is_none();
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = bound;
    let model = {
        let findings = findings.clone();
        move || body(&findings, rounds)
    };
    // On a thread of its own, so that loom's own panic message is printed under that thread's
    // name, and the message below, on the test's thread, is the one the checker shows.
    let explored = std::thread::Builder::new()
        .name("loom".into())
        .spawn(move || builder.check(model))
        .expect("could not start loom's thread")
        .join();
    // What went wrong in the interleavings tried so far comes first: a lock that lets two
    // threads in can also lose its flag, and then another interleaving spins forever.
    let found = findings.lock().unwrap_or_else(|poison| poison.into_inner());
    assert!(!found.overlap, "{ATOMICITY}");
    assert!(!found.stale, "{ORDERING}");
    if let Err(panic) = explored {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("loom stopped with a panic");
        if message.contains("maximum number of branches") {
            if bound != Some(0) {
                // With preemptions, loom can also go round a correct spin loop forever (a
                // `swap` loop, for one): the pass with none shows whether every thread gets
                // the lock, so this pass ends here, with what it found so far (above).
                return;
            }
            panic!(
                "loom found a thread that spins forever: it waits for a lock that is never \
                 released, or spins while the lock is free. Does the guard's `drop` store \
                 `false`, and does `lock` stop spinning once it has taken the flag?\n(loom: \
                 {message})"
            );
        }
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn lock_hands_the_data_to_the_next_owner() {
    check(|findings, rounds| {
        let lock = Arc::new(SpinLock::new(0_u32));
        let seen = Arc::new(Seen::new(findings));
        let other = {
            let (lock, seen) = (Arc::clone(&lock), Arc::clone(&seen));
            thread::spawn(move || {
                for _ in 0..rounds {
                    let mut guard = lock.lock();
                    seen.critical_section();
                    *guard += 1;
                }
            })
        };
        for _ in 0..rounds {
            let mut guard = lock.lock();
            seen.critical_section();
            *guard += 1;
        }
        other.join().expect("the other thread panicked");
        assert_eq!(
            *lock.lock(),
            2 * rounds,
            "each thread added one per round under the lock"
        );
        seen.judge(2 * rounds);
    });
}

#[test]
fn try_lock_hands_the_data_to_the_next_owner() {
    check(|findings, rounds| {
        let lock = Arc::new(SpinLock::new(0_u32));
        let seen = Arc::new(Seen::new(findings));
        let take_with_try_lock = move |lock: &SpinLock<u32>, seen: &Seen| {
            for _ in 0..rounds {
                loop {
                    if let Some(mut guard) = lock.try_lock() {
                        seen.critical_section();
                        *guard += 1;
                        break;
                    }
                    thread::yield_now();
                }
            }
        };
        let other = {
            let (lock, seen) = (Arc::clone(&lock), Arc::clone(&seen));
            thread::spawn(move || take_with_try_lock(&lock, &seen))
        };
        take_with_try_lock(&lock, &seen);
        other.join().expect("the other thread panicked");
        assert_eq!(
            *lock.lock(),
            2 * rounds,
            "each thread added one per round under the lock"
        );
        seen.judge(2 * rounds);
    });
}
