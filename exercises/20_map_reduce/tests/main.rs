//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`pieces_in_parallel::the_pieces_are_counted_at_the_same_time_and_never_more_than_workers`),
//! so `cargo test -p map_reduce pieces_in_parallel::` runs the tests of one file.
//!
//! - `map_reduce.rs`: what `count_parallel` counts.
//! - `pieces_in_parallel.rs`: that the pieces are counted at the same time, never more than
//!   workers.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod map_reduce;
mod pieces_in_parallel;
mod ui;

use std::sync::{Mutex, MutexGuard, PoisonError};

/// The course's `words` (in `src/words.rs`) has one watch per process, and
/// `pieces_in_parallel` turns it on: the threads that count while it is on are counted, and the
/// first few wait there for each other. Every test that counts holds this turn while it does, so
/// that no other test's counting threads are watched (the tests still run in parallel threads).
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    // A test that failed while it held the turn leaves it poisoned; the next one goes on.
    let turn = TURN.lock().unwrap_or_else(PoisonError::into_inner);
    // Only a test that holds the turn watches, so a watch still on is one that a failed test
    // left behind (it never reached its `stop`): this test's threads must not meet there.
    ::map_reduce::watch::stop();
    turn
}
