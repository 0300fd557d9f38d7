//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name (`poisoning::a_healthy_log_works_as_usual`), so
//! `cargo test -p poisoning poisoning::` runs the tests of one file.
//!
//! - `poisoning.rs`: `Readings`: recovering, reporting and repairing a poisoned lock.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod poisoning;
mod ui;
