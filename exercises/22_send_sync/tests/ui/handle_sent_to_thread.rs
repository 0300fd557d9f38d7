// A handle that belongs to one thread is moved to another. In C++ or Java nothing stops this:
// the handle's methods would quietly read and write the *other* thread's thread-local state,
// and in C++ a handle to thread-local memory outlives its thread and dangles once that thread
// ends. In Rust, `thread::spawn` only accepts a closure that is `Send`, and a closure that
// owns a `ThreadBoundHandle` is `Send` only if the handle is. It is not (its `PhantomData`
// marker holds a raw pointer type, which is not `Send`), so this is rejected with E0277.
use send_sync::ThreadBoundHandle;
use std::thread;

fn main() {
    let handle = ThreadBoundHandle::for_this_thread();
    handle.record("made on main");

    let worker = thread::spawn(move || {
        handle.record("written from another thread");
    });
    worker.join().unwrap();
}
