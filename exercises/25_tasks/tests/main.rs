//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name (`tasks::all_jobs_run_each_in_a_task_of_its_own`),
//! so `cargo test -p tasks tasks::` runs the tests of one file.
//!
//! - `tasks.rs`: `all_jobs` and `fastest`: tasks, `JoinSet`, and panicked jobs.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod tasks;
mod ui;
