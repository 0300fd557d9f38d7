// The handle is not moved this time, only lent to a scoped thread by reference. That is just
// as wrong: `record(&self, ..)` would run on the other thread and write that thread's journal.
// Java would allow it, and C++ would too. In Rust, a `&T` may go to another thread only if `T`
// is `Sync`, and `ThreadBoundHandle` is not (a raw pointer type is not `Sync`, and its
// `PhantomData` marker passes that on), so this is rejected with E0277.
use send_sync::ThreadBoundHandle;
use std::thread;

fn main() {
    let handle = ThreadBoundHandle::for_this_thread();

    thread::scope(|s| {
        s.spawn(|| handle.record("written from a scoped thread"));
    });
}
