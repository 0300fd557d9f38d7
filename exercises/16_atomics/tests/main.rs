//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`loom_check::a_thread_that_sees_the_flag_raised_also_sees_the_reason`), so
//! `cargo test -p atomics loom_check::` runs the tests of one file.
//!
//! - `atomics.rs`: the counter and the stop flag, on real threads.
//! - `loom_check.rs`: your `src/lib.rs` again, under the loom model checker.
//! - `ui.rs`: the compile-fail cases in `tests/ui/`, which trybuild checks in the one test
//!   `ui::ui`.

mod atomics;
mod loom_check;
mod ui;

/// The `crate::sync` that `src/lib.rs` sees when `loom_check.rs` compiles it a second time:
/// loom's atomics. It must be at this crate's root, since `src/lib.rs` names it `crate::sync`;
/// the real-thread tests in `atomics.rs` use the library itself, whose `sync` is `std`'s.
use loom_check::sync;
