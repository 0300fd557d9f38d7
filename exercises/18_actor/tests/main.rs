//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name (`actor::get_replies_with_the_current_count`), so
//! `cargo test -p actor actor::` runs the tests of one file.
//!
//! - `actor.rs`: the counter actor: replies, handles, and stopping when the last one is gone.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod actor;
mod ui;
