use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Condvar, Mutex, mpsc};
use std::thread;
use std::time::Duration;
use testkit::{STEP_LIMIT, within_or_explain};
use worker_pool::ThreadPool;

const DROP_HANGS_HINT: &str = "dropping the pool never returned: `Drop` must close the queue \
     (drop the pool's `Sender`) BEFORE it joins the workers. A worker blocked in `recv()` on an \
     open queue waits forever, so joining it never ends.";

const LOCK_HELD_HINT: &str = "jobs ran one at a time: a worker holds the receiver's lock while \
     it runs its job, so no other worker can take one. \
     `while let Ok(job) = rx.lock().unwrap().recv() { job() }` keeps the guard alive for the \
     whole loop body; write `let next = rx.lock().unwrap().recv();` (the guard is dropped at \
     the `;`) and run the job after that. (Or `new` started fewer threads than asked: the jobs \
     here wait for each other, so they can only finish if that many run at the same time.)";

#[test]
fn every_job_runs_exactly_once() {
    let (mut ran, pool) = within_or_explain(
        STEP_LIMIT,
        "run 100 jobs on 4 workers",
        "not every job finished. Do the workers loop, taking one job after another, until the \
         queue closes?",
        || {
            let pool = ThreadPool::new(4);
            let (tx, rx) = mpsc::channel();
            for job in 0..100 {
                let tx = tx.clone();
                pool.execute(move || tx.send(job).expect("the test stopped listening"));
            }
            drop(tx);
            // Ends once every job has run (or been thrown away): each one holds a `Sender`.
            let ran: Vec<i32> = rx.iter().collect();
            (ran, pool)
        },
    );
    within_or_explain(
        STEP_LIMIT,
        "drop an idle pool",
        DROP_HANGS_HINT,
        move || drop(pool),
    );
    ran.sort_unstable();
    assert_eq!(
        ran,
        (0..100).collect::<Vec<_>>(),
        "expected jobs 0..100 to run once each (shown sorted): a job is missing or ran twice"
    );
}

/// How long a worker thread, as it ends, waits for `drop(pool)` to return before it ends anyway.
///
/// A `Drop` that joins its workers is blocked in that join meanwhile, so for a correct pool
/// this pause only makes `drop` slower: it never decides whether a correct pool passes. A
/// `Drop` that does not join returns while every worker is still in this pause, so the test
/// sees, every time, that the pool's threads outlived it.
const EXIT_HOLD: Duration = Duration::from_millis(500);

/// What the worker threads of one pool report as they end (see [`watch_this_worker`]).
#[derive(Default)]
struct DropWatch {
    returned: Mutex<bool>,
    returned_changed: Condvar,
    workers: AtomicUsize,
    exited: AtomicUsize,
}

/// Lives in a worker thread's thread-local storage, so it is dropped when that thread ends:
/// before `join` on the thread can return.
struct ExitGuard(Arc<DropWatch>);

impl Drop for ExitGuard {
    fn drop(&mut self) {
        let watch = &self.0;
        let returned = watch
            .returned
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (mut returned, _) = watch
            .returned_changed
            .wait_timeout_while(returned, EXIT_HOLD, |returned| !*returned)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // One pause per pool is enough: the threads that end after this one need not wait.
        *returned = true;
        watch.returned_changed.notify_all();
        watch.exited.fetch_add(1, Ordering::SeqCst);
    }
}

thread_local! {
    static EXIT_GUARD: RefCell<Option<ExitGuard>> = const { RefCell::new(None) };
}

/// Called inside a job: counts the worker thread running it (once per thread) and makes that
/// thread report to `watch` when it ends.
fn watch_this_worker(watch: &Arc<DropWatch>) {
    EXIT_GUARD.with(|slot| {
        let mut slot = slot.borrow_mut();
        if slot.is_none() {
            watch.workers.fetch_add(1, Ordering::SeqCst);
            *slot = Some(ExitGuard(Arc::clone(watch)));
        }
    });
}

#[test]
fn dropping_the_pool_waits_for_every_queued_job() {
    const QUEUED: usize = 50;
    let watch = Arc::new(DropWatch::default());
    let watched = Arc::clone(&watch);
    let (done, workers, exited) = within_or_explain(
        STEP_LIMIT + EXIT_HOLD,
        "drop a pool with 50 queued jobs",
        DROP_HANGS_HINT,
        move || {
            let watch = watched;
            let pool = ThreadPool::new(2);
            let done = Arc::new(AtomicUsize::new(0));
            // Two gate jobs keep both workers busy, so the other jobs are still queued when
            // the pool is dropped.
            let mut gates = Vec::new();
            let (started_tx, started) = mpsc::channel::<()>();
            for _ in 0..2 {
                let (open, gate) = mpsc::channel::<()>();
                gates.push(open);
                let watch = Arc::clone(&watch);
                let started_tx = started_tx.clone();
                pool.execute(move || {
                    watch_this_worker(&watch);
                    let _ = started_tx.send(());
                    let _ = gate.recv();
                });
            }
            // At least one worker is running a job (and is watched) before the pool is dropped.
            let _ = started.recv();
            for _ in 0..QUEUED {
                let done = Arc::clone(&done);
                let watch = Arc::clone(&watch);
                pool.execute(move || {
                    watch_this_worker(&watch);
                    thread::yield_now();
                    done.fetch_add(1, Ordering::SeqCst);
                });
            }
            drop(gates);
            drop(pool);
            // Read right after `drop` returned: every queued job must be finished by now, and
            // every worker thread must have ended.
            let seen = (
                done.load(Ordering::SeqCst),
                watch.workers.load(Ordering::SeqCst),
                watch.exited.load(Ordering::SeqCst),
            );
            *watch
                .returned
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = true;
            watch.returned_changed.notify_all();
            seen
        },
    );
    assert!(
        workers <= 2,
        "a pool of 2 ran jobs on {workers} different threads: start the 2 workers once in `new` \
         and run every job on them, instead of spawning a thread per job"
    );
    assert!(
        exited == workers,
        "`drop(pool)` returned while {} of the {workers} worker threads that ran jobs were still \
         running: `Drop` must join every worker (after closing the queue), so that no worker \
         and no job outlives the pool",
        workers - exited
    );
    assert!(
        done == QUEUED,
        "when `drop(pool)` returned, only {done} of the {QUEUED} queued jobs had finished: `Drop` \
         must close the queue and then join every worker; a worker ends only after it has run \
         every job left in the queue."
    );
}

#[test]
fn exactly_n_workers_run_the_jobs() {
    const N: usize = 3;
    let ids = Arc::new(Mutex::new(HashSet::new()));
    let record = |ids: &Arc<Mutex<HashSet<thread::ThreadId>>>| {
        let ids = Arc::clone(ids);
        move || {
            ids.lock().unwrap().insert(thread::current().id());
        }
    };

    // Phase 1: N jobs that wait for each other (and for the test) can only all finish if N
    // workers run them at the same time.
    let pool = {
        let ids = Arc::clone(&ids);
        within_or_explain(
            STEP_LIMIT,
            "3 jobs meeting at a barrier",
            LOCK_HELD_HINT,
            move || {
                let pool = ThreadPool::new(N);
                let all_busy = Arc::new(Barrier::new(N + 1));
                for _ in 0..N {
                    let all_busy = Arc::clone(&all_busy);
                    let mark = record(&ids);
                    pool.execute(move || {
                        mark();
                        all_busy.wait();
                    });
                }
                all_busy.wait();
                pool
            },
        )
    };
    let at_once = ids.lock().unwrap().len();
    assert_eq!(
        at_once, N,
        "{N} jobs ran at the same time, so they must have run on {N} different threads, but \
         {at_once} thread ids were recorded"
    );

    // Phase 2: many more jobs. They may land on any worker, but never on a new thread.
    let ids_for_pool = Arc::clone(&ids);
    within_or_explain(
        STEP_LIMIT,
        "60 more jobs, then drop",
        DROP_HANGS_HINT,
        move || {
            for _ in 0..60 {
                pool.execute(record(&ids_for_pool));
            }
            drop(pool);
        },
    );
    let threads = ids.lock().unwrap().len();
    assert_eq!(
        threads, N,
        "a pool of {N} ran jobs on {threads} different threads: start the {N} workers once in \
         `new` and run every job on them, instead of spawning a thread per job"
    );
}

/// Queues `n` jobs that wait for each other and for the caller at a barrier, and waits there
/// too: this returns only if `n` workers run those jobs at the same time.
fn meet_at_a_barrier(pool: &ThreadPool, n: usize) {
    let all_busy = Arc::new(Barrier::new(n + 1));
    for _ in 0..n {
        let all_busy = Arc::clone(&all_busy);
        pool.execute(move || {
            all_busy.wait();
        });
    }
    all_busy.wait();
}

#[test]
fn a_panicking_job_does_not_shrink_the_pool() {
    const N: usize = 2;
    // First, with no panic at all: N jobs must be able to run at the same time.
    let pool = within_or_explain(
        STEP_LIMIT,
        "2 workers meeting at a barrier",
        LOCK_HELD_HINT,
        || {
            let pool = ThreadPool::new(N);
            meet_at_a_barrier(&pool, N);
            pool
        },
    );
    let pool = within_or_explain(
        STEP_LIMIT,
        "2 workers meeting at a barrier after 4 jobs panicked",
        "a panicking job ended its worker thread: after 4 jobs panicked, the pool no longer had \
         2 workers to run 2 jobs at the same time. A panic unwinds the worker's thread unless the \
         worker catches it: run each job inside `std::panic::catch_unwind(AssertUnwindSafe(job))` \
         and carry on with the next one.",
        move || {
            // Hold every worker at a gate, so that all the jobs below are queued while the
            // workers are still alive, then let them go.
            let mut gates = Vec::new();
            let (started_tx, started) = mpsc::channel::<()>();
            for _ in 0..N {
                let (open, gate) = mpsc::channel::<()>();
                gates.push(open);
                let started_tx = started_tx.clone();
                pool.execute(move || {
                    let _ = started_tx.send(());
                    let _ = gate.recv();
                });
            }
            for _ in 0..N {
                started.recv().expect("a gate job was dropped");
            }
            for job in 0..2 * N {
                pool.execute(move || panic!("job {job} fails on purpose (the test expects this)"));
            }
            let all_busy = Arc::new(Barrier::new(N + 1));
            for _ in 0..N {
                let all_busy = Arc::clone(&all_busy);
                pool.execute(move || {
                    all_busy.wait();
                });
            }
            drop(gates);
            all_busy.wait();
            pool
        },
    );
    within_or_explain(
        STEP_LIMIT,
        "drop the pool after some jobs panicked",
        "dropping the pool never returned after some of its jobs had panicked: `Drop` must close \
         the queue before it joins the workers, and every worker must still be taking jobs.",
        move || drop(pool),
    );
}
