//! Behaviour tests for `total_in_background` and `clean_in_background`.
//!
//! Each call runs under `testkit::within`, so a thread that never finishes becomes a failure.
//! Which thread did the cleaning is read from `Batch::cleaned_on`; thread ids are never reused,
//! so the check does not depend on timing. Whether the batch that comes back is the one that
//! went in is read from where its readings live: moving a `Vec` (into a thread, and back out
//! through `join`) never moves its buffer, and removing readings keeps it too, while a copy
//! gets a buffer of its own.

use std::thread;

use move_closures::{Batch, clean_in_background, total_in_background};
use testkit::{STEP_LIMIT, within};

#[test]
fn the_total_counts_every_reading() {
    let total = within(STEP_LIMIT, "total_in_background", || {
        total_in_background(Batch::new(vec![4, -1, 10, 0, 7]))
    });
    assert_eq!(
        total, 20,
        "the total of [4, -1, 10, 0, 7] should be 20 but was {total}: the thread should return \
         `batch.total()`, and `join` hands that value back"
    );
}

#[test]
fn cleaning_removes_the_negative_readings_and_counts_them() {
    let (batch, removed) = within(STEP_LIMIT, "clean_in_background", || {
        clean_in_background(Batch::new(vec![3, -2, 8, -5, -1, 0, 6]))
    });
    assert_eq!(
        removed, 3,
        "[3, -2, 8, -5, -1, 0, 6] has 3 negative readings, but clean_in_background reported \
         {removed} removed: return what `drop_invalid` returned on the thread"
    );
    assert_eq!(
        batch.readings(),
        &[3, 8, 0, 6],
        "the batch that comes back should be the cleaned one, with the valid readings in their \
         original order: is it the batch the thread worked on, handed back through its return \
         value?"
    );
}

#[test]
fn cleaning_happens_on_a_spawned_thread() {
    let (caller, cleaned_on) = within(STEP_LIMIT, "clean_in_background", || {
        let (batch, _) = clean_in_background(Batch::new(vec![1, -1]));
        (thread::current().id(), batch.cleaned_on())
    });
    let cleaned_on = cleaned_on.expect(
        "the batch that came back was never cleaned: the thread cleaned a copy (a clone, or a \
         new `Batch` of the same readings) and you returned the original. `move` the batch \
         itself into the thread, and return it from the closure so that `join` hands it back",
    );
    assert_ne!(
        cleaned_on, caller,
        "`drop_invalid` ran on the caller's thread: call it inside the closure given to \
         `thread::spawn`, so the spawned thread does the work"
    );
}

#[test]
fn an_empty_batch_comes_back_empty() {
    let (batch, removed) = within(STEP_LIMIT, "clean_in_background", || {
        clean_in_background(Batch::new(Vec::new()))
    });
    assert_eq!(
        removed, 0,
        "an empty batch has nothing to remove, but {removed} were removed"
    );
    assert!(
        batch.readings().is_empty(),
        "an empty batch should come back empty, but it holds {:?}",
        batch.readings()
    );
    let total = within(STEP_LIMIT, "total_in_background", || {
        total_in_background(Batch::new(Vec::new()))
    });
    assert_eq!(
        total, 0,
        "the total of an empty batch should be 0 but was {total}"
    );
}

#[test]
fn the_batch_that_comes_back_is_the_one_that_went_in() {
    let (before, after, cleaned) = within(STEP_LIMIT, "clean_in_background", || {
        let batch = Batch::new(vec![5, -3, 9, -7, 2]);
        // The original is alive until the call, so a copy can never get this address.
        let before = batch.readings().as_ptr() as usize;
        let (batch, _) = clean_in_background(batch);
        (
            before,
            batch.readings().as_ptr() as usize,
            batch.readings().to_vec(),
        )
    });
    assert_eq!(
        cleaned,
        [5, 9, 2],
        "the batch that comes back should be the cleaned one"
    );
    assert_eq!(
        before, after,
        "the batch that came back is a copy, not the batch you were given: its readings are in \
         another buffer. Do not clone or rebuild the batch: `move` it into the thread, and \
         return it from the closure so that `join` hands the same batch back"
    );
}
