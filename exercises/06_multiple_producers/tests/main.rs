//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`multiple_producers::every_reading_arrives_in_its_sensors_order`), so
//! `cargo test -p multiple_producers multiple_producers::` runs the tests of one file.
//!
//! - `multiple_producers.rs`: `gather`: every reading arrives, and the collector finishes.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod multiple_producers;
mod ui;
