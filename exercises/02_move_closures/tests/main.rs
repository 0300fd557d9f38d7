//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name (`move_closures::the_total_counts_every_reading`),
//! so `cargo test -p move_closures move_closures::` runs the tests of one file.
//!
//! - `move_closures.rs`: what `total_in_background` and `clean_in_background` return, and where
//!   they run.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod move_closures;
mod ui;
