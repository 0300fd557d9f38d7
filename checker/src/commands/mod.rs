//! The checker's commands, one module each; `main.rs` parses the command line and calls them.

pub mod check;
pub mod grade;
pub mod hint;
pub mod reset;
pub mod session;
pub mod solution;
pub mod status;
pub mod verify;
pub mod watch;

/// The report's format (`--format`).
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// `grade` only: JUnit XML.
    Junit,
    /// `grade` only.
    Markdown,
    /// `grade` only.
    Csv,
    /// `grade` only: one self-contained page.
    Html,
    /// `grade` only: GitHub Classroom's autograding result, written to $GITHUB_OUTPUT.
    Classroom,
}
