//! Errors that stop the checker before it can judge anything: bad usage, a broken course, a
//! missing `cargo`. They exit with code 2 and a message that names the fix.

use std::fmt;

/// A problem the learner (or the course author) has to fix before the checker can run.
#[derive(Debug)]
pub struct Fatal {
    message: String,
}

impl Fatal {
    pub fn new(message: impl Into<String>) -> Self {
        Fatal {
            message: message.into(),
        }
    }
}

impl fmt::Display for Fatal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

pub type Result<T> = std::result::Result<T, Fatal>;
