// An `Rc` counts its owners with a plain, non-atomic integer. Send one clone to another
// thread and two threads update that count at the same time: updates get lost, and the value
// is freed while still in use, or never freed. (In C++ terms, two threads doing `++` on one
// shared `int`.) `Rc` is not `Send`, so neither end of a channel of `Rc`s can move into
// another thread, and the spawn is rejected. `Arc` is the thread-safe version.
use std::rc::Rc;
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();
    let settings = Rc::new(String::from("verbose"));
    let for_worker = Rc::clone(&settings);

    thread::spawn(move || {
        let received: Rc<String> = rx.recv().expect("main sends one value");
        println!("worker sees {received}");
    });

    tx.send(for_worker).expect("the worker is listening");
    println!("main still holds {settings}");
}
