// A job that shares a plain reference-counted cell with the code that queued it.
// In C++ a pool thread would bump a non-atomic reference count and write the cell while the
// caller does the same on its own thread: a data race that corrupts the count and frees memory
// too early or never. Rust rejects it: a `Job` must be `Send`, and `Rc` is not (E0277). Share
// with `Arc<AtomicUsize>` or `Arc<Mutex<_>>`, or send results back through a channel.
use std::cell::Cell;
use std::rc::Rc;
use std::sync::mpsc;

type Job = Box<dyn FnOnce() + Send + 'static>;

fn main() {
    let (queue, _jobs) = mpsc::channel::<Job>();
    let finished = Rc::new(Cell::new(0));
    let counter = Rc::clone(&finished);
    let job: Job = Box::new(move || counter.set(counter.get() + 1));
    queue.send(job).unwrap();
    println!("{}", finished.get());
}
