//! Given: do not edit. This file is the course's own (graders use their copy of it).
//!
//! [`Signal`] is a thin wrapper around [`Condvar`] that counts the threads asleep on it. The
//! tests use that count to know, for certain, that a thread is blocked before they try to wake
//! it. Without it, "a consumer blocked on an empty queue" would be a race the tests could lose.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, LockResult, MutexGuard};

/// A [`Condvar`] that knows how many threads are asleep on it.
///
/// It offers the `Condvar` methods this exercise needs, with the same names and signatures:
/// [`wait`](Signal::wait), [`wait_while`](Signal::wait_while),
/// [`notify_one`](Signal::notify_one) and [`notify_all`](Signal::notify_all).
#[derive(Debug, Default)]
pub struct Signal {
    condvar: Condvar,
    asleep: AtomicUsize,
}

impl Signal {
    /// A signal nobody waits on yet.
    pub const fn new() -> Self {
        Signal {
            condvar: Condvar::new(),
            asleep: AtomicUsize::new(0),
        }
    }

    /// Like [`Condvar::wait`]: unlocks the mutex behind `guard`, sleeps until notified (or,
    /// rarely, for no reason at all), then locks it again and hands the guard back.
    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        // Counted while the caller still holds the lock, so anyone who sees the count and then
        // takes the lock knows this thread is really asleep and will hear a notify.
        self.asleep.fetch_add(1, Ordering::SeqCst);
        let result = self.condvar.wait(guard);
        self.asleep.fetch_sub(1, Ordering::SeqCst);
        result
    }

    /// Like [`Condvar::wait_while`]: sleeps for as long as `condition` returns `true`,
    /// checking it again after every wakeup.
    pub fn wait_while<'a, T, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut condition: F,
    ) -> LockResult<MutexGuard<'a, T>>
    where
        F: FnMut(&mut T) -> bool,
    {
        while condition(&mut *guard) {
            guard = self.wait(guard)?;
        }
        Ok(guard)
    }

    /// Like [`Condvar::notify_one`]: wakes one sleeper, if there is one.
    pub fn notify_one(&self) {
        self.condvar.notify_one();
    }

    /// Like [`Condvar::notify_all`]: wakes every sleeper.
    pub fn notify_all(&self) {
        self.condvar.notify_all();
    }

    /// How many threads are asleep on this signal right now.
    pub fn asleep(&self) -> usize {
        self.asleep.load(Ordering::SeqCst)
    }
}
