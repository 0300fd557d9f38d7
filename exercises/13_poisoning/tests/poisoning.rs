use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::thread;

use poisoning::{Poisoned, Readings};
use testkit::{STEP_LIMIT, within};

/// Makes a writer thread add `half_batch` to the log and then panic while it holds the lock.
fn crash_a_writer(readings: &Arc<Readings>, half_batch: &[u64]) {
    let writer_readings = Arc::clone(readings);
    let half_batch = half_batch.to_vec();
    let writer = thread::spawn(move || {
        let _ = writer_readings.edit(|log| {
            log.extend(half_batch);
            panic!("deliberate panic: a writer crashed half-way through its batch (the test does this on purpose)");
        });
    });
    assert!(
        writer.join().is_err(),
        "the crashing writer did not panic: does `edit` run its closure on a healthy log?"
    );
    assert!(
        readings.is_poisoned(),
        "a writer panicked while holding the lock, so the log should now be poisoned"
    );
}

/// Calls `f` and turns a panic into a failure that explains poisoning.
fn without_panicking<T>(call: &str, f: impl FnOnce() -> T) -> T {
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => value,
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            panic!(
                "`{call}` panicked on a poisoned log ({message}).\n\
                 Another thread panicked while it held the lock, so `lock()` now returns \
                 `Err(PoisonError)`, and `unwrap()` turns that into a second panic. Handle the \
                 error instead: take the guard out with `PoisonError::into_inner`, or return \
                 `Err(Poisoned)`, as the method's documentation says."
            )
        }
    }
}

fn healthy_log_with(readings: &[u64]) -> Arc<Readings> {
    let log = Arc::new(Readings::new());
    let readings = readings.to_vec();
    log.edit(|l| l.extend(readings))
        .expect("`edit` refused to work on a healthy log");
    log
}

#[test]
fn a_healthy_log_works_as_usual() {
    within(STEP_LIMIT, "a healthy log", || {
        let log = healthy_log_with(&[10, 20]);
        assert_eq!(
            log.edit(|l| l.len()),
            Ok(2),
            "`edit` must return what its closure returns"
        );
        assert_eq!(
            log.snapshot(),
            vec![10, 20],
            "`snapshot` lost or changed readings"
        );
        assert_eq!(log.total(), Ok(30), "`total` of 10 and 20 should be Ok(30)");
        log.repair(|l| l.push(5));
        assert_eq!(
            log.snapshot(),
            vec![10, 20, 5],
            "`repair` must run `fix` on a healthy log too"
        );
        assert!(
            !log.is_poisoned(),
            "nothing panicked, so nothing should be poisoned"
        );
    });
}

#[test]
fn snapshot_recovers_the_readings_after_a_writer_panicked() {
    within(STEP_LIMIT, "snapshot after a crash", || {
        let log = healthy_log_with(&[10, 20]);
        crash_a_writer(&log, &[30]);
        let snapshot = without_panicking("snapshot()", || log.snapshot());
        assert_eq!(
            snapshot,
            vec![10, 20, 30],
            "`snapshot` of a poisoned log lost readings: it must return everything in the log, \
             including the reading that the crashed writer added before it panicked (take the \
             guard out of the `PoisonError` with `into_inner`; do not fall back to a default)"
        );
    });
}

#[test]
fn total_reports_a_poisoned_log_as_an_error() {
    within(STEP_LIMIT, "total after a crash", || {
        let log = healthy_log_with(&[10, 20]);
        crash_a_writer(&log, &[30]);
        let total = without_panicking("total()", || log.total());
        assert_eq!(
            total,
            Err(Poisoned),
            "`total` must report a poisoned log as Err(Poisoned), not compute a sum from data \
             that may be half-updated"
        );
    });
}

#[test]
fn edits_are_refused_while_the_log_is_poisoned() {
    within(STEP_LIMIT, "edit after a crash", || {
        let log = healthy_log_with(&[10, 20]);
        crash_a_writer(&log, &[30]);
        let mut ran = false;
        let result = without_panicking("edit(..)", || {
            log.edit(|l| {
                ran = true;
                l.push(99);
            })
        });
        assert_eq!(
            result,
            Err(Poisoned),
            "`edit` on a poisoned log must return Err(Poisoned)"
        );
        assert!(
            !ran,
            "`edit` ran its closure on a poisoned log: it must refuse before that"
        );
    });
}

#[test]
fn repair_makes_the_log_healthy_again() {
    within(STEP_LIMIT, "repair after a crash", || {
        let log = healthy_log_with(&[10, 20]);
        crash_a_writer(&log, &[30, 40]);
        let mut seen = Vec::new();
        without_panicking("repair(..)", || {
            log.repair(|l| {
                seen = l.clone();
                // Drop the crashed writer's half batch.
                l.truncate(2);
            })
        });
        assert_eq!(
            seen,
            vec![10, 20, 30, 40],
            "`fix` must get the log as the crash left it, half batch and all"
        );
        assert!(
            !log.is_poisoned(),
            "after `repair` the log must be healthy again: look at `Mutex::clear_poison`"
        );
        assert_eq!(
            log.total(),
            Ok(30),
            "after `repair`, `total` should work again"
        );
        assert_eq!(
            log.edit(|l| {
                l.push(5);
                l.len()
            }),
            Ok(3),
            "after `repair`, `edit` should work again"
        );
    });
}
