//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`atomics::increments_from_eight_threads_are_never_lost`), so
//! `cargo test -p atomics atomics::` runs the tests of one file.
//!
//! - `atomics.rs`: the counter and the stop flag, on real threads.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.
//!
//! `loom_check.rs` is a test binary of its own (see `Cargo.toml`): when loom finds a panic in
//! your code (a `todo!()` as shipped), it stops the whole process, which would lose what the
//! real-thread tests found.

mod atomics;
mod ui;
