//! Given: the course's `sync` facade. Every atomic and every spin-loop hint of `src/lib.rs`
//! comes from here, through `crate::sync`.
//!
//! Built as a library, `crate::sync` is this module, and it re-exports `std`'s: the lock you
//! write is a real lock on real threads. The model-checking tests compile your `src/lib.rs` a
//! second time, inside their own test crate, whose `crate::sync` re-exports a model checker's
//! versions instead (`tests/loom_check.rs`: loom's; `tests/shuttle_check.rs`: shuttle's). So
//! the same source runs on real threads, under shuttle and under loom, and you never write a
//! `cfg`.
//! (A crate of your own would switch with a cfg or a cargo feature; the course cannot, because
//! one `cargo build` builds every test.)

pub use std::hint;
pub use std::sync::atomic;
