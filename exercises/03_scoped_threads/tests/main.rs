//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`together::the_chunks_of_the_sum_run_at_the_same_time`), so
//! `cargo test -p scoped_threads together::` runs the tests of one file.
//!
//! - `scoped_threads.rs`: what `parallel_sum_by` and `parallel_map_in_place` do, and on how
//!   many threads.
//! - `together.rs`: that the chunks run at the same time.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod scoped_threads;
mod together;
mod ui;
