use actor::Counter;
use std::panic::{self, AssertUnwindSafe};
use std::thread;
use testkit::{STEP_LIMIT, within, within_or_explain};

const STOPS_TOO_LATE_HINT: &str = "the actor thread did not end although every `Counter` handle \
     was dropped: does something besides the handles (the actor itself?) still hold a `Sender` to \
     the mailbox, or does the actor's loop carry on after `recv()` returned `Err`? The actor's \
     `for message in inbox` loop ends only when every `Sender` is gone, and must end then.";

#[test]
fn get_replies_with_the_current_count() {
    let (first, second, third) = within(STEP_LIMIT, "ask a fresh counter three times", || {
        let (counter, _actor) = Counter::spawn();
        let first = counter.get();
        counter.increment();
        counter.increment();
        counter.increment();
        let second = counter.get();
        counter.increment();
        let third = counter.get();
        (first, second, third)
    });
    assert_eq!(first, 0, "a new counter must start at 0");
    assert_eq!(
        second, 3,
        "after 3 increments `get` answered {second}: does the actor send `count` back through the \
         reply `Sender` it received inside `Message::Get`?"
    );
    assert_eq!(
        third, 4,
        "after 4 increments `get` answered {third}: each `get` must report the count at that moment"
    );
}

#[test]
fn dropping_one_clone_leaves_the_actor_running() {
    let (handle_worked, total) = within_or_explain(
        STEP_LIMIT,
        "use a handle after its clone was dropped",
        STOPS_TOO_LATE_HINT,
        || {
            let (counter, actor) = Counter::spawn();
            let clone = counter.clone();
            drop(clone);
            // `counter` is still alive, so the actor must still be listening.
            let used = panic::catch_unwind(AssertUnwindSafe(|| {
                counter.increment();
                counter.increment();
            }));
            drop(counter);
            (used.is_ok(), actor.join().ok())
        },
    );
    let Some(total) = total else {
        panic!("the actor thread panicked (its message is above)");
    };
    assert!(
        handle_worked && total == 2,
        "dropping one clone stopped the actor while the original handle was still in use: \
         `Drop` runs for every clone, so a handle's `Drop` must not stop the actor (the actor \
         ended with count {total}, expected 2{}). The actor's loop ends by itself once the last \
         `Sender` is gone.",
        if handle_worked {
            ""
        } else {
            ", and `increment` through the live handle panicked"
        }
    );
}

#[test]
fn many_handles_on_many_threads_count_exactly() {
    const THREADS: u64 = 8;
    const EACH: u64 = 500;
    let (seen_by_threads, seen_at_end) = within_or_explain(
        STEP_LIMIT,
        "8 threads incrementing through their own handles",
        STOPS_TOO_LATE_HINT,
        || {
            let (counter, _actor) = Counter::spawn();
            let workers: Vec<_> = (0..THREADS)
                .map(|_| {
                    let mine = counter.clone();
                    thread::spawn(move || {
                        for _ in 0..EACH {
                            mine.increment();
                        }
                        // This thread's own increments come before its question.
                        mine.get()
                    })
                })
                .collect();
            let seen: Vec<u64> = workers
                .into_iter()
                .map(|w| {
                    w.join().unwrap_or_else(|_| {
                    panic!(
                        "a thread using its own handle panicked (its message is above): did the \
                         actor stop while that handle was still alive?"
                    )
                })
                })
                .collect();
            (seen, counter.get())
        },
    );
    for (thread, seen) in seen_by_threads.iter().enumerate() {
        assert!(
            (EACH..=THREADS * EACH).contains(seen),
            "thread {thread} made {EACH} increments and then asked, but got {seen}: an answer must \
             include the asker's own earlier increments and can never exceed {}",
            THREADS * EACH
        );
    }
    assert_eq!(
        seen_at_end,
        THREADS * EACH,
        "after every thread was joined the count was {seen_at_end}, expected {}: was an \
         increment lost, or did the actor stop early?",
        THREADS * EACH
    );
}

#[test]
fn the_actor_stops_when_the_last_handle_is_dropped() {
    let total = within_or_explain(
        STEP_LIMIT,
        "join the actor after dropping every handle",
        STOPS_TOO_LATE_HINT,
        || {
            let (counter, actor) = Counter::spawn();
            let workers: Vec<_> = (0..4)
                .map(|_| {
                    let mine = counter.clone();
                    thread::spawn(move || {
                        for _ in 0..10 {
                            mine.increment();
                        }
                        // `mine` is dropped here.
                    })
                })
                .collect();
            // The first handle goes first; the clones in the threads keep the actor alive.
            drop(counter);
            for w in workers {
                w.join().unwrap_or_else(|_| {
                    panic!(
                        "a thread using its own handle panicked (its message is above): did the \
                         actor stop while that handle was still alive?"
                    )
                });
            }
            actor
                .join()
                .unwrap_or_else(|_| panic!("the actor thread panicked (its message is above)"))
        },
    );
    assert_eq!(
        total, 40,
        "the actor ended with count {total}, expected 40 (4 threads x 10): it must keep running \
         until the last handle is gone, and then end on its own"
    );
}
