// mpsc means "multiple producer, single consumer". In C++, two threads popping from one
// unguarded std::queue can both read the same front element, or pop past the end: a data race,
// undefined behaviour. Rust's Receiver cannot be cloned, so it has exactly one owner. Moving
// `rx` into a second consumer thread is a use of a moved value (E0382). To share one queue
// between consumers, put the Receiver behind `Arc<Mutex<_>>`, or use crossbeam's channels.
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel::<u32>();

    let consumer_a = thread::spawn(move || rx.iter().count());
    let consumer_b = thread::spawn(move || rx.iter().count());

    for job in 0..10 {
        tx.send(job).unwrap();
    }
    drop(tx);
    let (a, b) = (consumer_a.join().unwrap(), consumer_b.join().unwrap());
    println!("{a} + {b}");
}
