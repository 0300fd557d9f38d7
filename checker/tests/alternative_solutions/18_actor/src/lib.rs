//! Alternative solution for 18_actor: the actor's state and behaviour live in a struct, the
//! loop is `while let Ok(..) = recv()`, the mailbox is bounded (`sync_channel`), and every
//! question carries a one-shot reply channel (`sync_channel(1)`). Same public API as the
//! reference solution.

use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::{self, JoinHandle};

/// How many messages may wait in the mailbox before senders block.
const MAILBOX_CAPACITY: usize = 64;

enum Request {
    Increment,
    Get { reply_to: SyncSender<u64> },
}

struct CounterActor {
    inbox: Receiver<Request>,
    count: u64,
}

impl CounterActor {
    fn run(mut self) -> u64 {
        while let Ok(request) = self.inbox.recv() {
            self.handle(request);
        }
        // `recv` failed: every handle is gone.
        self.count
    }

    fn handle(&mut self, request: Request) {
        match request {
            Request::Increment => self.count += 1,
            Request::Get { reply_to } => {
                // Capacity 1 means this never blocks, even if the asker has gone.
                let _ = reply_to.try_send(self.count);
            }
        }
    }
}

/// A handle to a running counter actor.
#[derive(Clone)]
pub struct Counter {
    mailbox: SyncSender<Request>,
}

impl Counter {
    /// Starts a counter actor at 0; joining the returned handle gives the final count.
    pub fn spawn() -> (Counter, JoinHandle<u64>) {
        let (mailbox, inbox) = mpsc::sync_channel(MAILBOX_CAPACITY);
        let actor = thread::spawn(move || CounterActor { inbox, count: 0 }.run());
        (Counter { mailbox }, actor)
    }

    /// Adds one to the count.
    pub fn increment(&self) {
        if self.mailbox.send(Request::Increment).is_err() {
            panic!("the counter actor is gone while a handle still exists");
        }
    }

    /// Asks the actor for the current count and waits for the answer.
    pub fn get(&self) -> u64 {
        let (reply_to, reply) = mpsc::sync_channel(1);
        match self.mailbox.send(Request::Get { reply_to }) {
            Ok(()) => match reply.recv() {
                Ok(count) => count,
                Err(_) => panic!("the counter actor dropped the question unanswered"),
            },
            Err(_) => panic!("the counter actor is gone while a handle still exists"),
        }
    }
}
