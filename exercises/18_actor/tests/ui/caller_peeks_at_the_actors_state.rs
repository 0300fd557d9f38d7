// Peeking at the actor's state from outside, "just to read it".
// In Java the main thread would read `count` while the actor thread increments it: with no
// lock and no `volatile` it may see a stale value forever. Rust rejects it: a spawned thread
// may outlive this function, so it may not borrow the local `count` (E0373), and while it
// borrows `count` mutably, nobody else may read it (E0502). Ask the actor with a message.
use std::sync::mpsc;
use std::thread;

fn main() {
    let mut count: u64 = 0;
    let (mailbox, inbox) = mpsc::channel::<()>();
    thread::spawn(|| {
        for _increment in inbox {
            count += 1;
        }
    });
    mailbox.send(()).unwrap();
    println!("{count}");
}
