// In C, a global `long hits;` bumped by every thread is a data race: the program compiles and
// quietly loses counts. A Rust `static` is immutable: you cannot assign to it at all (E0594).
// The thread-safe global counter is `static HITS: AtomicU64 = AtomicU64::new(0);`, bumped with
// `HITS.fetch_add(1, Ordering::Relaxed)`.
use std::thread;

static HITS: u64 = 0;

fn record_hit() {
    HITS += 1;
}

fn main() {
    let workers: Vec<_> = (0..2).map(|_| thread::spawn(record_hit)).collect();
    for worker in workers {
        worker.join().unwrap();
    }
    println!("{HITS}");
}
