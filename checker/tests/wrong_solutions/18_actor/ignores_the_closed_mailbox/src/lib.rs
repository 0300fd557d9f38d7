//! A counter that lives inside its own thread: an actor.
//!
//! No lock anywhere. The actor thread owns the count, and the rest of the program talks to it
//! through a [`Counter`] handle, which is a thin wrapper around a channel `Sender`. Handles can
//! be cloned and sent to other threads. The actor answers questions through a reply channel
//! that travels inside the question.

use std::sync::mpsc::{self, Sender};
use std::thread::{self, JoinHandle};

/// What a handle can ask of the actor.
///
/// There is no `Shutdown`: the channel itself says when everyone is done.
enum Message {
    /// Add one to the count.
    Increment,
    /// Send the current count back through this `Sender`.
    Get(Sender<u64>),
}

/// A handle to a running counter actor.
///
/// Clone it to give another thread its own handle. The actor keeps running while at least one
/// handle exists, and stops (its thread ends, returning the final count) once the last handle
/// has been dropped.
#[derive(Clone)]
pub struct Counter {
    mailbox: Sender<Message>,
}

impl Counter {
    /// Starts a counter actor at 0.
    ///
    /// Returns the first handle, and the `JoinHandle` of the actor thread: joining it waits until
    /// every handle is gone and gives the final count.
    pub fn spawn() -> (Counter, JoinHandle<u64>) {
        let (mailbox, inbox) = mpsc::channel();
        let actor = thread::spawn(move || {
            // The count belongs to this thread alone: no Mutex needed.
            let mut count: u64 = 0;
            loop {
                // Wait for the next message; skip anything that goes wrong.
                let Ok(message) = inbox.recv() else {
                    continue;
                };
                match message {
                    Message::Increment => count += 1,
                    Message::Get(reply) => {
                        // The asker may have stopped waiting; that must not kill the actor.
                        let _ = reply.send(count);
                    }
                }
            }
            count
        });
        (Counter { mailbox }, actor)
    }

    /// Adds one to the count. Does not wait for the actor to process it.
    ///
    /// Panics if the actor has stopped, which must never happen while this handle is alive.
    pub fn increment(&self) {
        self.mailbox
            .send(Message::Increment)
            .expect("the counter actor has stopped although this handle is still alive");
    }

    /// Asks the actor for the current count and waits for the answer.
    ///
    /// Every `increment` made earlier through this same handle is included in the answer.
    pub fn get(&self) -> u64 {
        // A fresh channel per question, so an answer can only reach the one who asked.
        let (reply, answer) = mpsc::channel();
        self.mailbox
            .send(Message::Get(reply))
            .expect("the counter actor has stopped although this handle is still alive");
        answer
            .recv()
            .expect("the counter actor stopped before it answered")
    }
}
