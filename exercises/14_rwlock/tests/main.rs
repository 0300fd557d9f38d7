//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`rwlock::readers_hold_the_lock_at_the_same_time`), so `cargo test -p rwlock rwlock::` runs
//! the tests of one file.
//!
//! - `rwlock.rs`: `PriceList`: readers together, a writer alone.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod rwlock;
mod ui;
