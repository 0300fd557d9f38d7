//! Given: the course's `sync` facade. Every atomic of `src/lib.rs` comes from here, through
//! `crate::sync::atomic`.
//!
//! Built as a library, this module re-exports `std`'s atomics, and `tests/atomics.rs` runs
//! your code on real threads. `tests/loom_check.rs` compiles your `src/lib.rs` a second time,
//! inside its own test crate, whose `crate::sync` re-exports the loom model checker's atomics
//! instead: the same source is then run under every interleaving loom can try, on a simulated
//! weakly ordered memory. You never write a `cfg` for it.

pub use std::sync::atomic;
