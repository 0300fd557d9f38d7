//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name (`capstone::errors_are_outcomes_of_their_own`), so
//! `cargo test -p async_capstone capstone::` runs the tests of one file.
//!
//! - `capstone.rs`: the fetcher: bounded concurrency, timeouts, errors and shutdown.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod capstone;
mod ui;
