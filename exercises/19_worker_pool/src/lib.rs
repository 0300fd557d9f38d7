//! A fixed-size pool of worker threads that run jobs from one shared queue.
//!
//! Spawning a thread per task is simple, but it pays for a thread start every time and puts no
//! limit on how many threads run at once. A pool starts `n` threads once and feeds them jobs
//! through a channel. The pool holds the queue's `Sender`; the workers share its one `Receiver`
//! behind `Arc<Mutex<..>>` and take turns pulling the next job.

// You will need some of: `std::sync::{Arc, Mutex, mpsc}`, `std::thread`, `std::panic`.

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
    // TODO: what must the pool keep? A way to send jobs into the queue, and a way to join
    // every worker when the pool is dropped.
}

impl ThreadPool {
    /// Starts a pool of `n` worker threads that all take jobs from one shared queue.
    ///
    /// # Panics
    ///
    /// Panics if `n` is 0: a pool with no workers could never run anything.
    pub fn new(n: usize) -> ThreadPool {
        assert!(n > 0, "a thread pool needs at least one worker");
        // TODO: make a channel of `Job`s and put its `Receiver` in an `Arc<Mutex<..>>`. Spawn
        // `n` threads, each with its own clone of that `Arc`, that loop:
        //   - lock the receiver only long enough to `recv()` one job (not while running it!);
        //   - run the job so that a panic inside it does not end the loop (`catch_unwind`);
        //   - stop when `recv()` fails: the queue is closed and empty.
        todo!("start {n} workers that share one receiver")
    }

    /// Queues `f` to run on one of the pool's workers. Does not wait for it to run.
    pub fn execute<F>(&self, f: F)
    where
        F: FnOnce() + Send + 'static,
    {
        let _job: Job = Box::new(f);
        // TODO: send the job into the queue.
        todo!("send the job to the workers")
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        // TODO: close the queue (drop the pool's `Sender`), so that each worker's `recv()` fails
        // once the queued jobs are done. Then join every worker. In that order: joining a worker
        // that waits in `recv()` on a queue that is still open would wait forever.
    }
}
