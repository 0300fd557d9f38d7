//! The tests of this exercise, all in one test binary.
//!
//! Each file in `tests/` is a module of this crate rather than a test binary of its own: one
//! link instead of one per file, so the course builds faster and `target/` stays small.
//!
//! A test's name starts with its file's name
//! (`crawler::small_and_cyclic_graphs_are_crawled_once_each`), so
//! `cargo test -p capstone_crawler crawler::` runs the tests of one file.
//!
//! - `crawler.rs`: `crawl`: every page once, on small, long and wide graphs.

mod crawler;
