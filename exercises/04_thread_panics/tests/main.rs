//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`thread_panics::every_job_runs_on_a_thread_named_after_its_position`), so
//! `cargo test -p thread_panics thread_panics::` runs the tests of one file.
//!
//! - `thread_panics.rs`: `run_jobs`: results in order, and every panicking job reported.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod thread_panics;
mod ui;
