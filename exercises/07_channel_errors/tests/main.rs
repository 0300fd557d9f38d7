//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`channel_errors::send_all_reports_every_value_delivered`), so
//! `cargo test -p channel_errors channel_errors::` runs the tests of one file.
//!
//! - `channel_errors.rs`: `send_all`, `drain_ready` and `receive_until_quiet`: each outcome of
//!   a channel.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod channel_errors;
mod ui;
