//! Given: do not edit. This file is the course's own (graders use their copy of it).
//!
//! [`Signal`] is a thin wrapper around [`Condvar`] that counts the threads asleep on it. The
//! tests use that count to know, for certain, that a thread is blocked before they try to wake
//! it. Without it, "a consumer blocked on an empty queue" would be a race the tests could lose.
//!
//! It also has a few hooks for the tests (the associated functions that take a [`ThreadId`]):
//! they count each thread's wakeups, and they can hold a woken thread back, with the lock
//! released, so that another thread gets in first. That makes "another consumer took the item
//! between the notify and the woken thread's return" certain instead of rare.

use std::sync::{Arc, Condvar, LockResult, Mutex, MutexGuard, PoisonError};
use std::thread::{self, ThreadId};

/// A [`Condvar`] that knows how many threads are asleep on it.
///
/// It offers the `Condvar` methods this exercise needs, with the same names and signatures:
/// [`wait`](Signal::wait), [`wait_while`](Signal::wait_while),
/// [`notify_one`](Signal::notify_one) and [`notify_all`](Signal::notify_all).
///
/// Unlike a bare `Condvar`, it is exact: `notify_one` wakes exactly one sleeper (when there is
/// one), `notify_all` wakes exactly those asleep when it is called, and nobody wakes up without
/// a notify. A `Condvar` gives no such promise, so your code must still re-check its condition
/// after every wakeup; the tests make sure of that in their own way.
#[derive(Debug, Default)]
pub struct Signal {
    condvar: Condvar,
    counts: Mutex<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    /// Threads inside `wait` that have not been woken by a notify yet.
    asleep: usize,
    /// Wakeups handed out by notifies and not yet taken by a sleeper.
    wakeups: usize,
}

impl Signal {
    /// A signal nobody waits on yet.
    pub const fn new() -> Self {
        Signal {
            condvar: Condvar::new(),
            counts: Mutex::new(Counts {
                asleep: 0,
                wakeups: 0,
            }),
        }
    }

    /// Like [`Condvar::wait`]: unlocks the mutex behind `guard`, sleeps until notified, then
    /// locks it again and hands the guard back.
    pub fn wait<'a, T>(&self, mut guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        // Counted while the caller still holds the lock, so anyone who sees the count and then
        // takes the lock knows this thread is really asleep and will hear a notify.
        self.counts().asleep += 1;
        let mut poisoned = false;
        loop {
            guard = match self.condvar.wait(guard) {
                Ok(guard) => guard,
                Err(error) => {
                    poisoned = true;
                    error.into_inner()
                }
            };
            // A wakeup counts only if a notify handed one out: the operating system may wake a
            // `Condvar`'s waiter without a notify, or wake two for one `notify_one`.
            let mut counts = self.counts();
            if counts.wakeups > 0 {
                counts.wakeups -= 1;
                counts.asleep -= 1;
                break;
            }
        }
        after_wakeup(if poisoned {
            Err(PoisonError::new(guard))
        } else {
            Ok(guard)
        })
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
        let mut counts = self.counts();
        if counts.wakeups < counts.asleep {
            counts.wakeups += 1;
        }
        drop(counts);
        self.condvar.notify_all();
    }

    /// Like [`Condvar::notify_all`]: wakes every sleeper.
    pub fn notify_all(&self) {
        let mut counts = self.counts();
        counts.wakeups = counts.asleep;
        drop(counts);
        self.condvar.notify_all();
    }

    /// How many threads are asleep on this signal right now.
    pub fn asleep(&self) -> usize {
        self.counts().asleep
    }

    fn counts(&self) -> MutexGuard<'_, Counts> {
        self.counts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// For the tests: how many times `thread` has woken up from a `wait` on any `Signal`.
    pub fn wakeups(thread: ThreadId) -> usize {
        records()
            .iter()
            .find(|record| record.thread == thread)
            .map_or(0, |record| record.wakeups)
    }

    /// For the tests: the next time `thread` wakes up from a `wait` on any `Signal`, it does not
    /// return yet. It lets the lock go again and waits until [`Signal::release`], so that other
    /// threads can use the lock between its wakeup and its return. It is then counted neither
    /// as asleep nor as returned; [`Signal::is_held`] says when it has got there.
    pub fn hold_next_wakeup(thread: ThreadId) {
        record_of(&mut records(), thread).hold = Hold::Armed;
    }

    /// For the tests: whether `thread` has woken up and is being held back (see
    /// [`Signal::hold_next_wakeup`]). The held thread holds the lock from its wakeup until it
    /// waits again, so once this is `true`, the next thread to take the lock is let in first.
    pub fn is_held(thread: ThreadId) -> bool {
        records()
            .iter()
            .any(|record| record.thread == thread && matches!(record.hold, Hold::Held(_)))
    }

    /// For the tests: lets a held thread return from its `wait`, with the lock. Take the lock
    /// at least once after [`Signal::is_held`] said `true` and before calling this (any call
    /// of the queue does): then the held thread is certainly waiting, and hears this.
    pub fn release(thread: ThreadId) {
        let mut records = records();
        let record = record_of(&mut records, thread);
        if let Hold::Held(release) = std::mem::replace(&mut record.hold, Hold::Released) {
            release.notify_all();
        }
    }
}

/// What the test hooks know about one thread that waited on a `Signal`.
struct Record {
    thread: ThreadId,
    wakeups: usize,
    hold: Hold,
}

enum Hold {
    /// Return from `wait` as usual.
    No,
    /// Hold back at the next wakeup.
    Armed,
    /// Woken, and waiting on this condvar (with the caller's lock released) to be released.
    Held(Arc<Condvar>),
    /// Released: return from `wait`.
    Released,
}

static RECORDS: Mutex<Vec<Record>> = Mutex::new(Vec::new());

fn records() -> MutexGuard<'static, Vec<Record>> {
    RECORDS.lock().unwrap_or_else(PoisonError::into_inner)
}

fn record_of(records: &mut Vec<Record>, thread: ThreadId) -> &mut Record {
    let at = match records.iter().position(|record| record.thread == thread) {
        Some(at) => at,
        None => {
            records.push(Record {
                thread,
                wakeups: 0,
                hold: Hold::No,
            });
            records.len() - 1
        }
    };
    &mut records[at]
}

/// Counts the wakeup of the current thread, and holds it back if a test asked for that. The
/// caller's lock is held on the way in and on the way out, and released while held back.
fn after_wakeup<'a, T>(result: LockResult<MutexGuard<'a, T>>) -> LockResult<MutexGuard<'a, T>> {
    let (mut guard, poisoned) = match result {
        Ok(guard) => (guard, false),
        Err(poisoned) => (poisoned.into_inner(), true),
    };
    let me = thread::current().id();
    let held = {
        let mut records = records();
        let record = record_of(&mut records, me);
        record.wakeups += 1;
        match record.hold {
            Hold::Armed => {
                let release = Arc::new(Condvar::new());
                record.hold = Hold::Held(Arc::clone(&release));
                Some(release)
            }
            _ => None,
        }
    };
    if let Some(release) = held {
        loop {
            {
                let mut records = records();
                let record = record_of(&mut records, me);
                if matches!(record.hold, Hold::Released) {
                    record.hold = Hold::No;
                    break;
                }
            }
            guard = release.wait(guard).unwrap_or_else(PoisonError::into_inner);
        }
    }
    if poisoned {
        Err(PoisonError::new(guard))
    } else {
        Ok(guard)
    }
}
