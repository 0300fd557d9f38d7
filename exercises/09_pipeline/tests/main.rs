//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`pipeline::the_pipeline_keeps_warnings_and_errors_in_order`), so
//! `cargo test -p pipeline pipeline::` runs the tests of one file.
//!
//! - `pipeline.rs`: the stages and the whole pipeline, and how it shuts down.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod pipeline;
mod ui;
