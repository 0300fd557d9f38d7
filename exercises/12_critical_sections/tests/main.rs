//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`critical_sections::scoring_runs_while_the_board_is_unlocked`), so
//! `cargo test -p critical_sections critical_sections::` runs the tests of one file.
//!
//! - `critical_sections.rs`: slow work outside the lock, and every best score kept.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod critical_sections;
mod ui;
