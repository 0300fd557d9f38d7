//! A fixed-size pool of worker threads that run jobs from one shared queue.
//!
//! Spawning a thread per task is simple, but it pays for a thread start every time and puts no
//! limit on how many threads run at once. A pool starts `n` threads once and feeds them jobs
//! through a channel. The pool holds the queue's `Sender`; the workers share its one `Receiver`
//! behind `Arc<Mutex<..>>` and take turns pulling the next job.

use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};

/// One unit of work: any closure that can move to another thread and run once there.
pub type Job = Box<dyn FnOnce() + Send + 'static>;

/// A pool of worker threads.
///
/// - [`ThreadPool::new`] starts exactly `n` workers, and no other threads run jobs.
/// - [`ThreadPool::execute`] queues a job; an idle worker runs it soon after.
/// - A job that panics does not kill its worker: the pool keeps all `n` workers.
/// - Dropping the pool closes the queue, lets the workers finish every job already queued,
///   and joins them all before `drop` returns.
pub struct ThreadPool {
    // `None` only inside `drop`, once the queue has been closed.
    queue: Option<Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
}

impl ThreadPool {
    /// Starts a pool of `n` worker threads that all take jobs from one shared queue.
    ///
    /// # Panics
    ///
    /// Panics if `n` is 0: a pool with no workers could never run anything.
    pub fn new(n: usize) -> ThreadPool {
        assert!(n > 0, "a thread pool needs at least one worker");
        let (queue, jobs) = mpsc::channel::<Job>();
        // One receiver, many consumers: the mutex makes them take turns.
        let jobs = Arc::new(Mutex::new(jobs));
        let workers = (0..n)
            .map(|i| {
                let jobs = Arc::clone(&jobs);
                thread::Builder::new()
                    .name(format!("pool-worker-{i}"))
                    .spawn(move || work(&jobs))
                    .expect("could not start a worker thread")
            })
            .collect();
        ThreadPool {
            queue: Some(queue),
            workers,
        }
    }

    /// Queues `f` to run on one of the pool's workers. Does not wait for it to run.
    pub fn execute<F>(&self, f: F)
    where
        F: FnOnce() + Send + 'static,
    {
        let job: Job = Box::new(f);
        self.queue
            .as_ref()
            .expect("the queue is open for as long as the pool exists")
            .send(job)
            .expect("the workers never drop the receiver while the pool exists");
    }
}

/// What each worker thread runs: take the next job, run it, repeat, until the queue is closed
/// and empty.
fn work(jobs: &Mutex<Receiver<Job>>) {
    loop {
        // The guard is a temporary of this statement, so the lock is released before the job
        // runs and the other workers can take jobs meanwhile. No job runs while the lock is
        // held, so it cannot be poisoned; recovering anyway costs nothing.
        let next = jobs.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(job) = next else {
            // Every `Sender` is gone and the queue is empty: time to stop.
            return;
        };
        // A panicking job must not take the worker down with it. The job's own state is gone
        // after the panic, and the worker keeps nothing that the panic could leave half-done,
        // so asserting unwind safety is sound here.
        let _ = panic::catch_unwind(AssertUnwindSafe(job));
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        for worker in self.workers.drain(..) {
            // Jobs run under `catch_unwind`, so a worker never panics; and a panic raised here,
            // in a destructor, could abort the whole program.
            let _ = worker.join();
        }
    }
}
