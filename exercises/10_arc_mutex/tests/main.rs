//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`arc_mutex::a_clone_records_into_the_same_buckets`), so
//! `cargo test -p arc_mutex arc_mutex::` runs the tests of one file.
//!
//! - `arc_mutex.rs`: `Histogram` and `letter_counts`: shared counts, from many threads.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod arc_mutex;
mod ui;
