use send_sync::SharedCounter;
use std::thread;
use testkit::{STEP_LIMIT, within};

/// Compiles only if `T` may be moved to another thread (`Send`) and shared with one by
/// reference (`Sync`). If this file does not compile, that is the failure: read the error.
fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn the_shared_counter_is_send_and_sync() {
    assert_send_sync::<SharedCounter>();
}

#[test]
fn clones_share_one_count() {
    let counter = SharedCounter::new();
    let clone = counter.clone();
    counter.add(2);
    clone.add(3);
    assert_eq!(
        (counter.get(), clone.get()),
        (5, 5),
        "a clone must share the count with the original, not copy it"
    );
}

#[test]
fn additions_from_eight_threads_are_never_lost() {
    // Half the threads below add through clones: they must share the count.
    let original = SharedCounter::new();
    original.clone().add(1);
    assert!(
        original.get() == 1,
        "a clone must share the count with the original, not copy it: 1 added through a clone \
         left the original at {}",
        original.get()
    );
    let total = within(STEP_LIMIT, "eight threads adding to one counter", || {
        let counter = SharedCounter::new();
        thread::scope(|s| {
            // Half the threads get their own clone, half share the original by reference.
            for t in 0..8 {
                let clone = counter.clone();
                let shared = &counter;
                s.spawn(move || {
                    for _ in 0..1_000 {
                        if t % 2 == 0 {
                            clone.add(1);
                        } else {
                            shared.add(1);
                        }
                    }
                });
            }
        });
        counter.get()
    });
    assert_eq!(
        total, 8_000,
        "8 threads added 1 each 1000 times, so the count must be 8000: if it is less, two \
         threads read the same old value and one addition overwrote the other. Make each \
         addition one indivisible step (`fetch_add`, or add under a `Mutex`)"
    );
}
