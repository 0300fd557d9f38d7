// A message can outlive the scope that sent it. In C++ or Go, sending a pointer to a local
// (`queue.push(&line)`, `ch <- &line`) through a channel to a long-lived thread compiles, and
// the receiver then reads a variable that may already be gone (in C++, freed stack memory).
// In Rust, the receiving end moved into `thread::spawn` must be `'static`, so every
// reference sent through it must be `'static` too, and a reference to a local is not (E0597).
// Send an owned value (`line` itself, or `line.clone()`) instead.
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();
    let printer = thread::spawn(move || {
        for line in rx {
            let line: &String = line;
            println!("{line}");
        }
    });

    for n in 0..3 {
        let line = format!("line {n}");
        tx.send(&line).expect("the printer is listening");
    } // each `line` is dropped here, maybe before the printer has read it

    drop(tx);
    printer.join().expect("the printer does not panic");
}
