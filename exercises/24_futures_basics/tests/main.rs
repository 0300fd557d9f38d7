//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`futures_basics::log_reading_writes_the_reading_to_the_log`), so
//! `cargo test -p futures_basics futures_basics::` runs the tests of one file.
//!
//! - `futures_basics.rs`: `log_reading`, `read_with_retry` and `warmest`.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod futures_basics;
mod ui;
