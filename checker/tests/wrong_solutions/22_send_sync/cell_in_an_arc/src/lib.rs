//! Exercise 22: decide which of your types may cross threads, and let the compiler enforce it.
//!
//! Two types live here. `ThreadBoundHandle` must never leave the thread that made it, and
//! `SharedCounter` must be usable from many threads at once. As shipped, each one has the
//! opposite property. See README.md for the lesson.

use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::sync::Arc;

thread_local! {
    /// Given: do not remove. Every thread has its own journal.
    static JOURNAL: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// A handle to the journal of the thread that made it.
///
/// Its methods always use the journal of the thread they run on. On another thread, a handle
/// would silently read and write that other thread's journal, so it must not be able to get
/// there: it must be neither `Send` (moved to another thread) nor `Sync` (shared with one by
/// reference). The compile-fail cases in `tests/ui/` check that.
pub struct ThreadBoundHandle {
    // A raw pointer is neither `Send` nor `Sync`, and `PhantomData` passes that on without
    // storing anything: the handle stays zero-sized but can no longer leave its thread.
    _not_send_or_sync: PhantomData<*const ()>,
}

impl ThreadBoundHandle {
    /// A handle to the current thread's journal.
    pub fn for_this_thread() -> Self {
        ThreadBoundHandle {
            _not_send_or_sync: PhantomData,
        }
    }

    /// Appends `entry` to this thread's journal.
    pub fn record(&self, entry: &str) {
        JOURNAL.with(|journal| journal.borrow_mut().push(entry.to_owned()));
    }

    /// Every entry recorded on this thread so far, oldest first.
    pub fn entries(&self) -> Vec<String> {
        JOURNAL.with(|journal| journal.borrow().clone())
    }
}

/// A counter that any number of threads can add to at the same time.
///
/// Clones share one count: adding through one clone is seen through all the others. The tests
/// need it to be `Send + Sync`, so that clones (and references) can go to other threads.
#[derive(Clone, Default)]
pub struct SharedCounter {
    // `Arc` instead of `Rc`: the reference count is atomic now.
    count: Arc<Cell<u64>>,
}

impl SharedCounter {
    /// A new counter at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `n` to the count. Safe to call from many threads at once: no addition is lost.
    pub fn add(&self, n: u64) {
        self.count.set(self.count.get() + n);
    }

    /// The current count.
    pub fn get(&self) -> u64 {
        self.count.get()
    }
}
