//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`lock_ordering::opposite_transfers_on_two_threads_both_finish`), so
//! `cargo test -p lock_ordering lock_ordering::` runs the tests of one file.
//!
//! - `lock_ordering.rs`: `Bank`: transfers that never deadlock, and conserve the money.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod lock_ordering;
mod ui;
