//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`condvar::items_come_out_in_the_order_they_went_in`), so `cargo test -p condvar condvar::`
//! runs the tests of one file.
//!
//! - `condvar.rs`: the bounded queue: order, wake-ups, waiting again, and closing.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod condvar;
mod ui;
