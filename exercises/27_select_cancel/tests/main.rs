//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`select_cancel::race_gives_up_at_the_limit_and_drops_the_work`), so
//! `cargo test -p select_cancel select_cancel::` runs the tests of one file.
//!
//! - `select_cancel.rs`: `race` and `session`: timeouts, heartbeats and shutdown.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod select_cancel;
mod ui;
