//! The library as you ship it: `crate::sync` is `std`'s, and these tests use real threads.
//!
//! Real threads show that the lock works on this machine, but they cannot prove it correct: the
//! operating system decides the interleaving, and an x86 CPU hides most wrong orderings. That
//! is what `tests/shuttle_check.rs` and `tests/loom_check.rs` are for.

use model_checked::SpinLock;
use std::sync::Arc;
use std::thread;
use testkit::{STEP_LIMIT, within_or_explain};

#[test]
fn try_lock_refuses_while_a_guard_is_alive() {
    let lock = SpinLock::new(String::from("free"));
    {
        let mut guard = lock.lock();
        guard.push_str(", then taken");
        assert!(
            lock.try_lock().is_none(),
            "try_lock returned a guard while another guard was alive: it must return None"
        );
    }
    let guard = lock
        .try_lock()
        .expect("the first guard was dropped, so try_lock should take the lock");
    assert_eq!(*guard, "free, then taken");
    drop(guard);
    assert_eq!(
        lock.into_inner(),
        "free, then taken",
        "into_inner should return the value"
    );
}

#[test]
fn four_real_threads_count_to_four_thousand_under_the_lock() {
    const THREADS: u64 = 4;
    const ROUNDS: u64 = 1000;
    let lock = Arc::new(SpinLock::new(0_u64));
    let shared = Arc::clone(&lock);
    within_or_explain(
        STEP_LIMIT,
        "four threads taking the lock 1000 times each",
        "the threads never finished: does the guard's `drop` release the lock, and does \
         `lock` stop spinning once it has taken it?",
        move || {
            thread::scope(|s| {
                for _ in 0..THREADS {
                    s.spawn(|| {
                        for _ in 0..ROUNDS {
                            let mut guard = shared.lock();
                            *guard += 1;
                        }
                    });
                }
            })
        },
    );
    let count = *lock.lock();
    assert_eq!(
        count,
        THREADS * ROUNDS,
        "increments made under the lock were lost, so two threads held the SpinLock at the same \
         time: check and take the flag in ONE atomic step (`swap` or `compare_exchange`)"
    );
}
