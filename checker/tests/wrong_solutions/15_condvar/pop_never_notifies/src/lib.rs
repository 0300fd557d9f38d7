//! A blocking bounded queue built from one `Mutex` and two condition variables.
//!
//! Producers call [`BoundedQueue::push`] and sleep while the queue is full. Consumers call
//! [`BoundedQueue::pop`] and sleep while it is empty. [`BoundedQueue::close`] ends it all:
//! every sleeper wakes up, consumers drain what is left and then get `None`, and producers get
//! their item back in an `Err`.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};

mod signal;
pub use signal::Signal;

/// What `push` returns when the queue is closed: the item it could not deliver.
#[derive(Debug, PartialEq, Eq)]
pub struct Closed<T>(pub T);

/// A first-in, first-out queue with room for at most `capacity` items.
///
/// Share it between threads with an `Arc` (or borrow it in `thread::scope`): every method takes
/// `&self`.
pub struct BoundedQueue<T> {
    state: Mutex<State<T>>,
    /// Signalled when an item arrives or the queue closes. `pop` sleeps on it.
    not_empty: Signal,
    /// Signalled when room frees up or the queue closes. `push` sleeps on it.
    not_full: Signal,
    capacity: usize,
}

/// Everything the mutex guards.
struct State<T> {
    items: VecDeque<T>,
    closed: bool,
}

impl<T> BoundedQueue<T> {
    /// An open, empty queue with room for `capacity` items.
    ///
    /// # Panics
    /// If `capacity` is 0: such a queue could never take an item.
    pub fn new(capacity: usize) -> Self {
        assert!(
            capacity > 0,
            "a bounded queue needs room for at least one item"
        );
        BoundedQueue {
            state: Mutex::new(State {
                items: VecDeque::with_capacity(capacity),
                closed: false,
            }),
            not_empty: Signal::new(),
            not_full: Signal::new(),
            capacity,
        }
    }

    /// Adds `item` at the back.
    ///
    /// While the queue is full, this blocks until a `pop` makes room. Returns `Err(Closed(item))`
    /// if the queue is closed, whether it was closed before the call or while this call waited.
    pub fn push(&self, item: T) -> Result<(), Closed<T>> {
        // `wait_while` re-checks the condition after every wakeup, so a spurious wakeup, or a
        // rival producer that took the free slot first, just sends us back to sleep.
        let mut state = self
            .not_full
            .wait_while(self.lock(), |s| s.items.len() == self.capacity && !s.closed)
            .unwrap_or_else(PoisonError::into_inner);
        if state.closed {
            return Err(Closed(item));
        }
        state.items.push_back(item);
        // One new item can satisfy one consumer: waking one is enough. Notifying while still
        // holding the lock is fine; the woken thread simply waits for the lock next.
        self.not_empty.notify_one();
        Ok(())
    }

    /// Removes the item at the front.
    ///
    /// While the queue is empty and open, this blocks until a `push` or a `close`. Returns `None`
    /// only once the queue is closed and empty: items pushed before `close` are still delivered.
    pub fn pop(&self) -> Option<T> {
        // A loop, not an `if`: after waking we must look at the queue again, because another
        // consumer may have emptied it before we got the lock back.
        let mut state = self.lock();
        while state.items.is_empty() && !state.closed {
            state = self
                .not_empty
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        // Empty here means closed and drained.
        let item = state.items.pop_front();
        item
    }

    /// Closes the queue. Every thread blocked in `push` or `pop` wakes up and returns.
    pub fn close(&self) {
        self.lock().closed = true;
        // Every sleeper must see the change, not just one: consumers return `None` (once the
        // queue is drained) and producers get their item back. Setting the flag under the lock
        // and notifying afterwards cannot lose a wakeup: a thread that checked the flag before
        // we set it was already asleep (it held the lock while checking), so it hears this.
        self.not_empty.notify_all();
        self.not_full.notify_all();
    }

    /// Whether `close` has been called.
    pub fn is_closed(&self) -> bool {
        self.lock().closed
    }

    /// How many items the queue holds right now.
    pub fn len(&self) -> usize {
        self.lock().items.len()
    }

    /// Whether the queue holds no items right now.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most items the queue can hold.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Given: do not remove. How many threads are asleep in `pop` (on `not_empty`) right now.
    pub fn waiting_to_pop(&self) -> usize {
        self.not_empty.asleep()
    }

    /// Given: do not remove. How many threads are asleep in `push` (on `not_full`) right now.
    pub fn waiting_to_push(&self) -> usize {
        self.not_full.asleep()
    }

    /// Locks the state. A thread that panicked while holding the lock cannot have left the
    /// queue half-changed (each change is one `VecDeque` call), so poisoning is ignored.
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
