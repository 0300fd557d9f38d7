//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`once_and_barrier::a_second_call_returns_the_same_value_without_building_it_again`), so
//! `cargo test -p once_and_barrier once_and_barrier::` runs the tests of one file.
//!
//! - `once_and_barrier.rs`: `Lazy` (built once) and `shares` (phases apart).
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod once_and_barrier;
mod ui;
