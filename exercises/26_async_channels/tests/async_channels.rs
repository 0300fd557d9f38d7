//! Each step runs on a single-threaded tokio runtime whose clock is paused (testkit's
//! `within_async`): the actor and the tasks that use it take turns on one thread, so what is
//! queued, waiting or done at each point is the same on every run.

use async_channels::{Disk, OutOfStock, Stock, Store};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use testkit::{STEP_LIMIT, TIMEOUT_MARKER};
use testkit_async::{DEFAULT_ASYNC_HINT, within_async_or_explain};

const STOPS_TOO_LATE_HINT: &str = "the actor task did not end although every `Store` handle was \
     dropped: does something else still hold a `Sender` of the request channel (a clone kept in \
     `spawn`, or passed to the actor)? `recv()` gives `None` only when every `Sender` is gone.";

/// Runs an async step; a panic inside it (other than a `todo!`) becomes a failure whose first
/// line is `instead`.
fn without_panic<T, F, Fut>(what: &str, instead: &str, make: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = T>,
{
    explained_without_panic(what, DEFAULT_ASYNC_HINT, instead, make)
}

/// Like [`without_panic`], with advice of the test's own for a timeout.
fn explained_without_panic<T, F, Fut>(what: &str, hint: &str, instead: &str, make: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = T>,
{
    let step = || within_async_or_explain(STEP_LIMIT, what, hint, make);
    match panic::catch_unwind(AssertUnwindSafe(step)) {
        Ok(value) => value,
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            if message.starts_with(TIMEOUT_MARKER) || message.starts_with("not yet implemented") {
                panic::resume_unwind(payload)
            }
            panic!("{instead}\n(the panic: {message})")
        }
    }
}

const ASKING_PANICKED: &str = "asking the store panicked: did the actor drop a reply `Sender` \
     without answering, or stop while a handle was alive? Answer every question through its \
     `oneshot` reply.";

fn stock(items: &[(&str, u32)]) -> Stock {
    items
        .iter()
        .map(|&(item, n)| (item.to_string(), n))
        .collect()
}

#[test]
fn count_answers_through_a_oneshot() {
    let (apples, pears) = without_panic("add apples, then count", ASKING_PANICKED, || async {
        let (store, _actor) = Store::spawn(Disk::new(), 8);
        store.add("apple", 3).await;
        store.add("apple", 2).await;
        (store.count("apple").await, store.count("pear").await)
    });
    assert_eq!(
        apples, 5,
        "after adding 3 and 2 apples, `count` answered {apples}: does the actor send the count \
         back through the `oneshot` reply inside `Request::Count`?"
    );
    assert_eq!(
        pears, 0,
        "no pear was ever added, so there are 0, not {pears}"
    );
}

#[test]
fn take_removes_stock_or_reports_what_there_is() {
    let (first, too_many, left, saved) = without_panic("take apples", ASKING_PANICKED, || async {
        let disk = Disk::new();
        let (store, _actor) = Store::spawn(Arc::clone(&disk), 8);
        store.add("apple", 5).await;
        let first = store.take("apple", 3).await;
        let too_many = store.take("apple", 3).await;
        let left = store.count("apple").await;
        (first, too_many, left, disk.saved())
    });
    assert_eq!(first, Ok(2), "taking 3 of 5 apples leaves 2, not {first:?}");
    assert_eq!(
        too_many,
        Err(OutOfStock { available: 2 }),
        "taking 3 when 2 are left must fail with the 2 available and change nothing"
    );
    assert_eq!(left, 2, "a failed `take` must not change the stock");
    assert_eq!(
        saved,
        vec![("apple".to_string(), 5), ("apple".to_string(), 2)],
        "every change (and only a change) must be saved to the disk, with the new count"
    );
}

#[test]
fn a_full_queue_makes_senders_wait() {
    const CAPACITY: usize = 2;
    const ADDS: usize = 10;
    let (returned_while_held, total) = within_async_or_explain(
        STEP_LIMIT,
        "add while the disk is held",
        STOPS_TOO_LATE_HINT,
        || async {
            let disk = Disk::new();
            let (store, actor) = Store::spawn(Arc::clone(&disk), CAPACITY);
            let held = disk.hold().await;
            let returned = Arc::new(AtomicUsize::new(0));
            let producer = {
                let (store, returned) = (store.clone(), Arc::clone(&returned));
                tokio::spawn(async move {
                    for _ in 0..ADDS {
                        store.add("apple", 1).await;
                        returned.fetch_add(1, Ordering::SeqCst);
                    }
                })
            };
            // The actor is stuck saving its first request; give everything time to settle.
            tokio::time::sleep(Duration::from_secs(1)).await;
            let returned_while_held = returned.load(Ordering::SeqCst);
            drop(held);
            producer.await.expect("the producer task panicked");
            drop(store);
            let last = actor.await.expect("the actor task panicked");
            (returned_while_held, last.get("apple").copied().unwrap_or(0))
        },
    );
    assert!(
        returned_while_held <= CAPACITY + 1,
        "the actor was stuck, yet {returned_while_held} of {ADDS} `add`s returned with a queue of \
         {CAPACITY}: the request queue is unbounded. Make it `mpsc::channel(capacity)`, so that \
         `send(..).await` waits while the queue is full (backpressure)."
    );
    assert_eq!(
        total, ADDS as u32,
        "once the disk was free again, every add must be counted"
    );
}

#[test]
fn many_handles_in_many_tasks_count_exactly() {
    const TASKS: u32 = 5;
    const EACH: u32 = 20;
    let (seen, total) = without_panic("5 tasks adding apples", ASKING_PANICKED, || async {
        let (store, _actor) = Store::spawn(Disk::new(), 4);
        let tasks: Vec<_> = (0..TASKS)
            .map(|_| {
                let mine = store.clone();
                tokio::spawn(async move {
                    for _ in 0..EACH {
                        mine.add("apple", 1).await;
                    }
                    mine.count("apple").await
                })
            })
            .collect();
        let mut seen = Vec::new();
        for task in tasks {
            seen.push(task.await.expect("a task using its own handle panicked"));
        }
        (seen, store.count("apple").await)
    });
    for (task, seen) in seen.iter().enumerate() {
        assert!(
            (EACH..=TASKS * EACH).contains(seen),
            "task {task} made {EACH} adds and then asked, but got {seen}: an answer must include \
             the asker's own earlier adds"
        );
    }
    assert_eq!(total, TASKS * EACH, "every add must be counted once");
}

#[test]
fn dropping_one_clone_leaves_the_actor_running() {
    let (count, last) = explained_without_panic(
        "use a handle after its clone was dropped",
        STOPS_TOO_LATE_HINT,
        "using a handle panicked after one of its clones was dropped: did the actor stop when \
         that clone was dropped? `Drop` runs for every clone, so it must not stop the actor; \
         the actor stops by itself when the last `Sender` is gone.",
        || async {
            let (store, actor) = Store::spawn(Disk::new(), 4);
            drop(store.clone());
            store.add("apple", 2).await;
            let count = store.count("apple").await;
            drop(store);
            (count, actor.await.expect("the actor task panicked"))
        },
    );
    assert_eq!(
        count, 2,
        "the store must keep working after a clone is dropped"
    );
    assert_eq!(last, stock(&[("apple", 2)]), "the actor's final stock");
}

#[test]
fn the_actor_stops_when_the_last_handle_is_dropped() {
    let last = within_async_or_explain(
        STEP_LIMIT,
        "await the actor after dropping every handle",
        STOPS_TOO_LATE_HINT,
        || async {
            let (store, actor) = Store::spawn(Disk::new(), 4);
            let tasks: Vec<_> = ["apple", "pear", "plum"]
                .into_iter()
                .map(|item| {
                    let mine = store.clone();
                    tokio::spawn(async move {
                        for _ in 0..3 {
                            mine.add(item, 1).await;
                        }
                        // `mine` is dropped here.
                    })
                })
                .collect();
            // The first handle goes first; the clones in the tasks keep the actor alive.
            drop(store);
            for task in tasks {
                task.await.expect("a task using its own handle panicked");
            }
            actor.await.expect("the actor task panicked")
        },
    );
    assert_eq!(
        last,
        stock(&[("apple", 3), ("pear", 3), ("plum", 3)]),
        "the actor must handle every request, and then end on its own, returning the stock"
    );
}
