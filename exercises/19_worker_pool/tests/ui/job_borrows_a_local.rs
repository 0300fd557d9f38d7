// A job that borrows a local variable of the function that queued it.
// In C++ a lambda that captures `[&]` and goes into a pool's queue may run after the function
// has returned and its locals are gone: a use-after-free that may even seem to work. Rust
// rejects it: `execute` takes only `'static` closures, and this one borrows `report` (E0373).
// Move owned data into the job with `move`, and share what must be shared through an `Arc`.
use std::sync::mpsc::{self, Sender};

type Job = Box<dyn FnOnce() + Send + 'static>;

fn execute<F>(queue: &Sender<Job>, f: F)
where
    F: FnOnce() + Send + 'static,
{
    queue.send(Box::new(f)).unwrap();
}

fn queue_a_report(queue: &Sender<Job>) {
    let mut report = String::from("report:");
    execute(queue, || report.push_str(" done"));
}

fn main() {
    let (queue, _jobs) = mpsc::channel::<Job>();
    queue_a_report(&queue);
}
