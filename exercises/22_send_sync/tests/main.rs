//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`thread_bound::handles_on_one_thread_share_its_journal`), so
//! `cargo test -p send_sync thread_bound::` runs the tests of one file.
//!
//! - `shared_counter.rs`: `SharedCounter`: `Send` and `Sync`, and one count for every clone.
//! - `thread_bound.rs`: `ThreadBoundHandle`: one journal per thread.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod shared_counter;
mod thread_bound;
mod ui;
