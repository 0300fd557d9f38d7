//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`shuttle_check::lock_never_lets_two_threads_in_at_once`), so
//! `cargo test -p model_checked shuttle_check::` runs the tests of one file.
//!
//! - `real_threads.rs`: the lock on real threads.
//! - `shuttle_check.rs`: your `src/lib.rs` again, under shuttle.
//!
//! `loom_check.rs` is a test binary of its own (see `Cargo.toml`): it compiles `src/lib.rs`
//! with loom's atomics as `crate::sync`, and this crate's `crate::sync` is shuttle's.

mod real_threads;
mod shuttle_check;

/// The `crate::sync` that `src/lib.rs` sees when `shuttle_check.rs` compiles it a second time:
/// shuttle's atomics and hint. It must be at this crate's root, since `src/lib.rs` names it
/// `crate::sync`; `real_threads.rs` uses the library itself, whose `sync` is `std`'s.
use shuttle_check::sync;
