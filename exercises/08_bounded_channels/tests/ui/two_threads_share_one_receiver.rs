// Two workers popping jobs off one queue at the same time. In C++ that is a data race on the
// queue's head (a job handed out twice, or a corrupted list) unless every pop takes a lock.
// Rust's `mpsc` is multi-producer, *single*-consumer: `Receiver` is not `Sync`, so two threads
// may not share `&Receiver`. To share one, put it in a `Mutex` (as a worker pool does) or use
// a multi-consumer channel such as crossbeam's.
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::sync_channel::<u32>(4);
    thread::scope(|s| {
        s.spawn(|| rx.iter().count());
        s.spawn(|| rx.iter().count());
        for job in 0..8 {
            tx.send(job).unwrap();
        }
        drop(tx);
    });
}
