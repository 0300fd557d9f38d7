//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`select::merges_both_sources_until_both_are_closed`), so `cargo test -p select select::`
//! runs the tests of one file.
//!
//! - `select.rs`: `merge`: both sources, closing, the idle timeout and the ticker.

mod select;
