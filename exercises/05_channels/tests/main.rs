//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`channels::every_value_from_the_producer_arrives_in_order`), so
//! `cargo test -p channels channels::` runs the tests of one file.
//!
//! - `channels.rs`: `spawn_producer` and `receive_all`: every value, in order, until the
//!   channel closes.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod channels;
mod ui;
