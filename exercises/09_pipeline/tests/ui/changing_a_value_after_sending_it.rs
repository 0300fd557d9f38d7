// A stage fills a batch, hands it to the next stage, and then keeps writing into it. In C++,
// Java or Go the next stage may be reading that batch at the same moment: a data race, or a
// batch that changes after it was "done". In Rust, `send` takes the value by move, so once it
// is handed on it is no longer yours to touch (E0382: borrow of a moved value).
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel::<Vec<u32>>();
    let next_stage = thread::spawn(move || rx.iter().map(|batch| batch.len()).sum::<usize>());

    let mut batch = vec![1, 2, 3];
    tx.send(batch).unwrap();
    batch.push(4);

    drop(tx);
    println!("{}", next_stage.join().unwrap());
}
