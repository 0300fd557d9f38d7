//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`bounded_channels::the_producer_waits_once_the_channel_is_full`), so
//! `cargo test -p bounded_channels bounded_channels::` runs the tests of one file.
//!
//! - `bounded_channels.rs`: the producer: it waits when the channel is full, and stops when the
//!   consumer hangs up.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod bounded_channels;
mod ui;
