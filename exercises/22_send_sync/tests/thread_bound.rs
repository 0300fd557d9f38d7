use send_sync::ThreadBoundHandle;
use std::thread;
use testkit::{STEP_LIMIT, within};

#[test]
fn handles_on_one_thread_share_its_journal() {
    let entries = within(STEP_LIMIT, "two handles on one thread", || {
        let first = ThreadBoundHandle::for_this_thread();
        let second = ThreadBoundHandle::for_this_thread();
        first.record("one");
        second.record("two");
        (first.entries(), second.entries())
    });
    let both = vec!["one".to_string(), "two".to_string()];
    assert_eq!(
        entries,
        (both.clone(), both),
        "two handles made on the same thread must see the same journal, oldest entry first"
    );
}

#[test]
fn each_thread_keeps_its_own_journal() {
    let journals = within(STEP_LIMIT, "handles on three threads", || {
        let workers: Vec<_> = (0..3)
            .map(|t| {
                // Each handle is made, used and dropped on its own thread: nothing crosses.
                thread::spawn(move || {
                    let handle = ThreadBoundHandle::for_this_thread();
                    for i in 0..3 {
                        handle.record(&format!("thread {t}, entry {i}"));
                    }
                    handle.entries()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a worker panicked"))
            .collect::<Vec<_>>()
    });
    for (t, journal) in journals.iter().enumerate() {
        let expected: Vec<String> = (0..3).map(|i| format!("thread {t}, entry {i}")).collect();
        assert_eq!(
            journal, &expected,
            "thread {t} should see exactly its own three entries, in order: the journal is per \
             thread"
        );
    }
}
