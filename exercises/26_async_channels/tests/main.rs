//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`async_channels::count_answers_through_a_oneshot`), so
//! `cargo test -p async_channels async_channels::` runs the tests of one file.
//!
//! - `async_channels.rs`: the async actor: replies, a full queue, and shutdown.

mod async_channels;
