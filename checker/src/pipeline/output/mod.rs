//! What the tools print, read: cargo's build messages, libtest's list, log and report, and
//! trybuild's report of its ui cases.

pub mod cargo;
pub mod libtest;
pub mod ui_cases;
