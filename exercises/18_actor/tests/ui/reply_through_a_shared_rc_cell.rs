// A "reply slot" shared between the asker and the actor instead of a reply channel.
// In C++ the asker would read the slot while the actor thread writes it: a data race on a plain
// integer, and the reference count of a non-atomic shared pointer can be corrupted too. Rust
// rejects it: `Rc` is not `Send`, so a message holding one cannot go through a channel to
// another thread (E0277). Send a `Sender` inside the message and wait on its `Receiver`.
use std::cell::Cell;
use std::rc::Rc;
use std::sync::mpsc;
use std::thread;

enum Message {
    Increment,
    Get(Rc<Cell<u64>>),
}

fn main() {
    let (mailbox, inbox) = mpsc::channel::<Message>();
    thread::spawn(move || {
        let mut count = 0;
        for message in inbox {
            match message {
                Message::Increment => count += 1,
                Message::Get(slot) => slot.set(count),
            }
        }
    });
    mailbox.send(Message::Increment).unwrap();
    let slot = Rc::new(Cell::new(0));
    mailbox.send(Message::Get(Rc::clone(&slot))).unwrap();
    println!("{}", slot.get());
}
