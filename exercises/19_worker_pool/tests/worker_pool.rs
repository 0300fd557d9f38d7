use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex, mpsc};
use std::thread;
use testkit::{STEP_LIMIT, within_or_explain};
use worker_pool::ThreadPool;

const DROP_HANGS_HINT: &str = "dropping the pool never returned. Does `Drop` close the queue \
     (drop the pool's `Sender`) BEFORE it joins the workers? A worker blocked in `recv()` on an \
     open queue waits forever, so joining it never ends.";

const TOO_FEW_AT_ONCE_HINT: &str = "the jobs waiting for each other never all started, so fewer \
     workers ran at the same time than the pool was created with. Does `new` spawn `n` threads? \
     Does a worker hold the receiver's lock while it runs a job? \
     (`while let Ok(job) = rx.lock().unwrap().recv() { job() }` keeps the guard for the whole \
     loop body: lock, `recv()` one job, release, then run it.)";

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

#[test]
fn dropping_the_pool_waits_for_every_queued_job() {
    const QUEUED: usize = 50;
    let done = within_or_explain(
        STEP_LIMIT,
        "drop a pool with 50 queued jobs",
        DROP_HANGS_HINT,
        || {
            let pool = ThreadPool::new(2);
            let done = Arc::new(AtomicUsize::new(0));
            // Two gate jobs keep both workers busy, so the other jobs are still queued when
            // the pool is dropped.
            let mut gates = Vec::new();
            for _ in 0..2 {
                let (open, gate) = mpsc::channel::<()>();
                gates.push(open);
                pool.execute(move || {
                    let _ = gate.recv();
                });
            }
            for _ in 0..QUEUED {
                let done = Arc::clone(&done);
                pool.execute(move || {
                    thread::yield_now();
                    done.fetch_add(1, Ordering::SeqCst);
                });
            }
            drop(gates);
            drop(pool);
            // Read right after `drop` returned: every queued job must be finished by now.
            done.load(Ordering::SeqCst)
        },
    );
    assert_eq!(
        done, QUEUED,
        "when `drop(pool)` returned, only {done} of the {QUEUED} queued jobs had finished. `Drop` \
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
            TOO_FEW_AT_ONCE_HINT,
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
         `new` and send every job to them, instead of spawning a thread per job"
    );
}

#[test]
fn a_panicking_job_does_not_shrink_the_pool() {
    const N: usize = 2;
    let pool = within_or_explain(
        STEP_LIMIT,
        "2 workers meeting at a barrier after 4 jobs panicked",
        "after 4 jobs panicked, the pool no longer had 2 workers to run 2 jobs at the same time. \
         A panic in a job unwinds its worker thread and ends it, unless the worker catches it: \
         run each job inside `std::panic::catch_unwind(AssertUnwindSafe(job))`. (And no worker \
         may hold the receiver's lock while it runs a job.)",
        || {
            let pool = ThreadPool::new(N);
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
            all_busy.wait();
            pool
        },
    );
    within_or_explain(
        STEP_LIMIT,
        "drop the pool after some jobs panicked",
        "dropping the pool never returned after some of its jobs had panicked. Does `Drop` close \
         the queue before it joins the workers, and is every worker still taking jobs?",
        move || drop(pool),
    );
}
