//! Every test here runs its body under shuttle: shuttle runs the body many times, and each time
//! it picks a different order in which the threads take their steps. The seed is fixed, so the
//! same schedules are tried on every run, and a failure can be replayed.

use model_checked::{SpinGuard, SpinLock};
use shuttle::scheduler::RandomScheduler;
use shuttle::sync::Arc;
use shuttle::sync::atomic::{AtomicUsize, Ordering};
use shuttle::thread;
use shuttle::{Config, MaxSteps, Runner};
use std::time::Duration;
use testkit::within_or_explain;

/// The scheduler's seed. Fixed, so that every run tries the same schedules.
const SEED: u64 = 0x5eed_5eed;
/// How many schedules a two-thread test tries. The shipped race shows up within the first few
/// schedules: across 300 seeds, shuttle never needed more than 32 to find it.
const SCHEDULES: usize = 300;
/// A schedule longer than this is a thread that spins forever.
const MAX_STEPS: usize = 20_000;
/// Only turns a hang into a failure; the solved tests take a fraction of a second.
const LIMIT: Duration = Duration::from_secs(5);

const RACE_HINT: &str = "`lock` and `try_lock` look at the flag and set it in two separate \
     steps, and another thread can run in between: both see the lock free, both take it. Check \
     and take in ONE atomic step, with `swap` or `compare_exchange`.";

/// Runs `body` under shuttle's random scheduler with a fixed seed, once per schedule. If a
/// schedule makes `body` panic, shuttle prints that schedule (so that it can be replayed) and
/// the test fails with the panic's message.
fn explore(what: &'static str, schedules: usize, body: impl Fn() + Send + Sync + 'static) {
    within_or_explain(
        LIMIT,
        what,
        "shuttle did not finish exploring: does a thread spin forever, or is a guard never dropped?",
        move || {
            let mut config = Config::new();
            // Shuttle treats every Ordering as SeqCst and warns about it; the lesson says so.
            config.silence_warnings = true;
            config.max_steps = MaxSteps::FailAfter(MAX_STEPS);
            Runner::new(RandomScheduler::new_from_seed(SEED, schedules), config).run(body);
        },
    );
}

/// The critical section the threads run. It notices a second thread inside, and it lets the
/// scheduler switch between reading and writing the counter.
fn critical_section(counter: &mut SpinGuard<'_, u32>, inside: &AtomicUsize) {
    let already_inside = inside.fetch_add(1, Ordering::SeqCst);
    assert!(
        already_inside == 0,
        "shuttle found a schedule in which two threads held the SpinLock at the same time \
         (the schedule is printed above; `shuttle::replay` can run it again). {RACE_HINT}"
    );
    let seen = **counter;
    thread::yield_now();
    **counter = seen + 1;
    inside.fetch_sub(1, Ordering::SeqCst);
}

#[test]
fn lock_never_lets_two_threads_in_at_once() {
    explore("two threads using lock()", SCHEDULES, || {
        let lock = Arc::new(SpinLock::new(0_u32));
        let inside = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let (lock, inside) = (Arc::clone(&lock), Arc::clone(&inside));
                thread::spawn(move || {
                    for _ in 0..2 {
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
            4,
            "2 threads x 2 increments under the lock should give 4"
        );
    });
}

#[test]
fn try_lock_never_lets_two_threads_in_at_once() {
    explore("two threads using try_lock()", SCHEDULES, || {
        let lock = Arc::new(SpinLock::new(0_u32));
        let inside = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..2)
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
            2,
            "2 threads x 1 increment under try_lock should give 2"
        );
    });
}

#[test]
fn try_lock_refuses_while_a_guard_is_alive() {
    explore("try_lock() on one thread", 1, || {
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
    });
}
