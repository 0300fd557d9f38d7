//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name (`together::the_chunks_run_at_the_same_time`), so
//! `cargo test -p spawn_join together::` runs the tests of one file.
//!
//! - `spawn_join.rs`: what `parallel_sum` and `parallel_sum_by` return.
//! - `spread.rs`: that the work is shared by several threads, and never more than asked.
//! - `together.rs`: that the chunks run at the same time.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod spawn_join;
mod spread;
mod together;
mod ui;
