//! Your `src/lib.rs` again, this time under the loom model checker.
//!
//! This test crate compiles `src/lib.rs` as one of its own modules (the `#[path]` line below).
//! Inside it, `crate::sync` is this file's `sync` module, which re-exports loom's atomics. loom
//! runs each test body once per interleaving of the threads' atomic operations, every one of
//! them, and it simulates weakly ordered memory: a `Relaxed` load may read an older value when
//! nothing orders it after the newer store, as on an ARM CPU. So a race that real threads hit
//! once in a million runs, and an ordering that x86 forgives, fail here on every run.
//!
//! No test panics on a spawned thread: each thread hands back what it saw through `join`, and
//! the model's main thread judges.

#[allow(dead_code, unused_imports)]
#[path = "../src/lib.rs"]
mod atomics;

/// The `crate::sync` that `src/lib.rs` sees when compiled here: loom's atomics.
mod sync {
    pub use loom::sync::atomic;
}

use atomics::{Counter, StopFlag};
use loom::sync::Arc;
use loom::thread;

/// Runs `body` under loom. Two threads with a few atomic steps each: loom tries every
/// interleaving in a few milliseconds, so no preemption bound is needed.
fn check(body: impl Fn() + Sync + Send + 'static) {
    loom::model::Builder::new().check(body);
}

#[test]
fn a_thread_that_sees_the_flag_raised_also_sees_the_reason() {
    check(|| {
        let flag = Arc::new(StopFlag::new());
        let worker = {
            let flag = Arc::clone(&flag);
            thread::spawn(move || flag.reason())
        };
        flag.stop(42);
        let seen = worker.join().expect("the worker panicked");
        assert!(
            seen.is_none() || seen == Some(42),
            "a thread saw the flag raised but read the reason {seen:?}, not Some(42): `stop` \
             must write the reason BEFORE it raises the flag, raise the flag with a `Release` \
             store, and `is_stopped` must load it with `Acquire`\nloom found an interleaving \
             in which the flag's new value reached the worker before the reason's did. With \
             `Relaxed` (or with the flag raised first), nothing orders the reason's write \
             before the flag's; x86 hides that, but on ARM the reason can arrive late."
        );
        assert_eq!(
            flag.reason(),
            Some(42),
            "after `stop(42)`, the thread that called it must read the reason 42"
        );
    });
}

#[test]
fn two_increments_at_once_are_never_lost() {
    check(|| {
        let counter = Arc::new(Counter::new());
        let other = {
            let counter = Arc::clone(&counter);
            thread::spawn(move || counter.increment())
        };
        let mine = counter.increment();
        let theirs = other.join().expect("the other thread panicked");
        let mut tickets = [mine, theirs];
        tickets.sort_unstable();
        assert!(
            tickets == [0, 1] && counter.get() == 2,
            "two threads called `increment` at once and an increment was lost (they got the \
             tickets {tickets:?}, the count is {}): `increment` must be ONE atomic step, \
             `fetch_add`, not a `load` and then a `store`\nloom found the interleaving in which \
             both threads read the count before either wrote it back.",
            counter.get()
        );
    });
}

#[test]
fn two_updates_at_once_are_never_lost() {
    check(|| {
        let counter = Arc::new(Counter::new());
        let other = {
            let counter = Arc::clone(&counter);
            thread::spawn(move || counter.update(|n| n + 10))
        };
        let mine = counter.update(|n| n + 1);
        let theirs = other.join().expect("the other thread panicked");
        assert!(
            counter.get() == 11,
            "two threads called `update` at once and one update was lost (the count is {}, not \
             11): `update` must only write if the count is still the one `f` saw, and call `f` \
             again if not (`AtomicU64::update`, `fetch_update`, or a `compare_exchange` loop)\n\
             loom found the interleaving in which both threads read the count before either \
             wrote it back.",
            counter.get()
        );
        let mut olds = [mine, theirs];
        olds.sort_unstable();
        assert!(
            olds == [0, 1] || olds == [0, 10],
            "`update` must return the count it replaced: one call replaced 0, the other what \
             the first one wrote, but they returned {olds:?}"
        );
    });
}
