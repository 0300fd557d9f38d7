//! `TESTKIT_DIAGNOSE`: `proc` keeps the diagnosis to /proc (what a machine without gdb gets),
//! `0` turns it off. One test alone in its binary, since it changes the environment.

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::Duration;
use testkit::within;

/// Two named threads that take two locks in opposite orders, as a step that hangs; returns
/// the timeout's message.
fn lock_order_deadlock(what: &'static str) -> String {
    let caught = panic::catch_unwind(AssertUnwindSafe(|| {
        within(Duration::from_millis(300), what, move || {
            let a = Arc::new(Mutex::new(0));
            let b = Arc::new(Mutex::new(0));
            let barrier = Arc::new(Barrier::new(2));
            let pairs = [(Arc::clone(&a), Arc::clone(&b)), (b, a)];
            let tellers: Vec<_> = pairs
                .into_iter()
                .enumerate()
                .map(|(i, (first, second))| {
                    let barrier = Arc::clone(&barrier);
                    thread::Builder::new()
                        .name(format!("{what}-{i}"))
                        .spawn(move || {
                            let _first = first.lock().unwrap();
                            barrier.wait();
                            let _second = second.lock().unwrap();
                        })
                        .unwrap()
                })
                .collect();
            for teller in tellers {
                teller.join().unwrap();
            }
        })
    }))
    .expect_err("the step hangs on purpose");
    let message = caught.downcast_ref::<String>().cloned().expect("a String");
    println!("{message}\n");
    message
}

#[test]
fn proc_keeps_to_proc_and_0_turns_the_diagnosis_off() {
    // SAFETY: this binary's only test, so no other thread reads the environment meanwhile.
    unsafe { std::env::set_var("TESTKIT_DIAGNOSE", "proc") };
    let message = lock_order_deadlock("proc");
    let mut lines = message.lines().skip(1);
    assert_eq!(
        lines.next(),
        Some(
            "where each thread waits (from /proc only, as TESTKIT_DIAGNOSE=proc asks for it: no \
             file or line for the waits):"
        ),
        "{message}"
    );
    for (me, other) in [("proc-0", "proc-1"), ("proc-1", "proc-0")] {
        let entry = format!(
            "- {me} waits on a futex (a lock, a Condvar, a channel or a join)\n    the lock it \
             waits for is held by {other}"
        );
        assert!(message.contains(&entry), "{entry:?} in:\n{message}");
    }
    assert!(
        message.contains(
            "=> proc-0 waits for a lock that proc-1 holds; proc-1 waits for a lock that proc-0 \
             holds: probably a lock-order cycle."
        ),
        "{message}"
    );

    // SAFETY: as above.
    unsafe { std::env::set_var("TESTKIT_DIAGNOSE", "0") };
    let message = lock_order_deadlock("off");
    assert_eq!(message.lines().count(), 1, "{message}");
}
