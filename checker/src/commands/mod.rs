//! The checker's commands, one module each; `main.rs` parses the command line and calls them.

pub mod hint;
pub mod reset;
pub mod session;
pub mod solution;
pub mod verify;
pub mod watch;
