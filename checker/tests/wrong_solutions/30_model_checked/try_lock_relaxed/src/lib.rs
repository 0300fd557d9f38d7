//! A spin lock built from one atomic flag, checked by two model checkers: shuttle and loom.

use std::cell::UnsafeCell;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

// Given: do not remove. Atomics and the spin-loop hint come from the course's `sync` facade
// (`src/sync.rs`): `std`'s here, a model checker's when the tests compile this file under
// shuttle or loom. Always go through `crate::sync`, never `std::sync::atomic` directly.
mod sync;

use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::hint;

/// A mutual-exclusion lock that waits by spinning instead of sleeping.
///
/// The tests expect:
/// - never two guards alive at once, whatever the interleaving of threads (checked by shuttle);
/// - `lock` waits until the lock is free, then takes it;
/// - `try_lock` takes the lock if it is free and returns `None` if it is not, without waiting;
/// - dropping the guard releases the lock.
pub struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// Given: do not remove. Sharing a `SpinLock` between threads hands its `T` from thread to
// thread (never to two at once, once `lock` is right), so `T: Send` is what it needs.
unsafe impl<T: Send> Sync for SpinLock<T> {}

impl<T> SpinLock<T> {
    /// A new, unlocked lock around `value`.
    pub fn new(value: T) -> Self {
        SpinLock {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    /// Waits until the lock is free, takes it, and returns a guard that gives access to the
    /// value and releases the lock when dropped.
    pub fn lock(&self) -> SpinGuard<'_, T> {
        // Checking and taking are one indivisible step: of all threads that race here, exactly
        // one sees `false` and flips it. `Acquire` pairs with the `Release` in `drop`, so we see
        // everything the previous holder wrote.
        while self
            .locked
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            // Wait with plain loads until the lock looks free, then try again: spinning on a
            // read keeps the cache line shared instead of bouncing it between cores.
            while self.locked.load(Ordering::Relaxed) {
                hint::spin_loop();
            }
        }
        SpinGuard::new(self)
    }

    /// Takes the lock if it is free right now and returns its guard; returns `None` at once if
    /// another guard is alive.
    pub fn try_lock(&self) -> Option<SpinGuard<'_, T>> {
        // One attempt, no retry. The strong `compare_exchange`, because the weak one may fail
        // spuriously, and that would be a wrong `None` here.
        self.locked
            .compare_exchange(false, true, Ordering::Relaxed, Ordering::Relaxed)
            .ok()
            .map(|_| SpinGuard::new(self))
    }

    /// Consumes the lock and returns the value. No guard can be alive: it would borrow `self`.
    pub fn into_inner(self) -> T {
        self.value.into_inner()
    }
}

/// Access to the value of a locked [`SpinLock`]. Dropping it releases the lock.
pub struct SpinGuard<'a, T> {
    lock: &'a SpinLock<T>,
    // Given: do not remove. Makes the guard `Send`/`Sync` exactly when `&mut T` is.
    _value: PhantomData<&'a mut T>,
}

impl<'a, T> SpinGuard<'a, T> {
    // Given: do not remove. Only `lock` and `try_lock` make guards, once they own the lock.
    fn new(lock: &'a SpinLock<T>) -> Self {
        SpinGuard {
            lock,
            _value: PhantomData,
        }
    }
}

// Given: do not remove. Sound because a guard exists only while its thread owns the lock.
impl<T> Deref for SpinGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        unsafe { &*self.lock.value.get() }
    }
}

// Given: do not remove.
impl<T> DerefMut for SpinGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        unsafe { &mut *self.lock.value.get() }
    }
}

impl<T> Drop for SpinGuard<'_, T> {
    fn drop(&mut self) {
        // `Release` publishes our writes to the value to the next thread that takes the lock.
        self.lock.locked.store(false, Ordering::Release);
    }
}
