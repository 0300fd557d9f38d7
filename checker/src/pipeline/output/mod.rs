//! What test executables print, read: libtest's list, log and report, and trybuild's report of
//! its ui cases.

pub mod libtest;
pub mod ui_cases;
