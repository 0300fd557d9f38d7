//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name (`worker_pool::every_job_runs_exactly_once`), so
//! `cargo test -p worker_pool worker_pool::` runs the tests of one file.
//!
//! - `worker_pool.rs`: the pool: every job once, n workers, a clean shutdown, and a panicking
//!   job.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod ui;
mod worker_pool;
