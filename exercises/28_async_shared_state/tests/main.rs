//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`async_shared_state::checksum_runs_while_other_tasks_keep_going`), so
//! `cargo test -p async_shared_state async_shared_state::` runs the tests of one file.
//!
//! - `async_shared_state.rs`: locks between and across awaits, and blocking work.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod async_shared_state;
mod ui;
