//! The verdict: where an exercise stands and the words that explain it ([`judge`] decides it).

mod judge;
pub mod wholeness;

pub use judge::judge;

use crate::pipeline::course::Exercise;
use crate::pipeline::output::cargo::CompileError;
use crate::pipeline::output::libtest::TestFailure;
use crate::platform::process::Finished;
use serde_derive::{Deserialize, Serialize};

/// One exercise's verdict, and the raw runs behind it (for `check`'s full output).
#[derive(Debug, Clone)]
pub struct Checked {
    pub exercise: Exercise,
    pub verdict: Verdict,
    pub runs: Vec<Finished>,
}

impl Checked {
    pub fn points(&self) -> u32 {
        if self.verdict.is_passed() {
            self.exercise.points
        } else {
            0
        }
    }
}

/// Where an exercise stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    Passed,
    Failed(Vec<TestFailure>),
    CompileError(CompileError),
    /// A test (through testkit's `within`) or the whole test binary (through the exercise's
    /// time limit) did not finish.
    TimedOut(TimedOut),
    /// The test binary died: a signal, an abort, a stack overflow, or it would not start.
    Crashed(String),
    /// The test binary's report was not whole (see [`crate::pipeline::verdict::wholeness`]): it ended before every
    /// test had run, or its report was not libtest's own. Reported as failed; grading also
    /// lists it as a warning, since it is what an attempt to end the tests early looks like.
    Incomplete(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimedOut {
    /// The test that timed out, when a `within` step named it.
    pub test: Option<String>,
    pub message: String,
    /// Where each thread waited: testkit's diagnosis, when there is one.
    #[serde(default)]
    pub diagnosis: Option<String>,
    /// The other tests of the same run that timed out, each with its own message and
    /// diagnosis (`test` is always set).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub others: Vec<TimedOut>,
}

impl TimedOut {
    /// The message, then the diagnosis.
    fn explanation(&self) -> String {
        match &self.diagnosis {
            Some(diagnosis) => format!("{}\n{diagnosis}", self.message),
            None => self.message.clone(),
        }
    }

    /// Every test that timed out, each with its own message. Tests that share one diagnosis
    /// (steps that timed out together, diagnosed once) are grouped: their messages, then the
    /// diagnosis once, under all their names.
    fn details(&self) -> String {
        let Some(test) = &self.test else {
            return self.explanation();
        };
        let all = std::iter::once((test.as_str(), self))
            .chain(
                self.others
                    .iter()
                    .filter_map(|other| Some((other.test.as_deref()?, other))),
            )
            .collect::<Vec<_>>();
        let mut groups: Vec<Vec<(&str, &TimedOut)>> = Vec::new();
        for entry in all {
            match groups.iter_mut().find(|group| {
                entry.1.diagnosis.is_some() && group[0].1.diagnosis == entry.1.diagnosis
            }) {
                Some(group) => group.push(entry),
                None => groups.push(vec![entry]),
            }
        }
        groups
            .iter()
            .map(|group| match group.as_slice() {
                [(test, one)] => format!("{test}:\n{}", indent(&one.explanation())),
                _ => {
                    let messages = group
                        .iter()
                        .map(|(test, one)| format!("{test}:\n{}", indent(&one.message)));
                    let names: Vec<&str> = group.iter().map(|(test, _)| *test).collect();
                    let diagnosis = group[0].1.diagnosis.as_deref().unwrap_or_default();
                    messages
                        .chain(std::iter::once(format!(
                            "{}:\n{}",
                            and_list(&names),
                            indent(diagnosis)
                        )))
                        .collect::<Vec<_>>()
                        .join("\n")
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// "a, b and c".
fn and_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

impl Verdict {
    pub fn is_passed(&self) -> bool {
        matches!(self, Verdict::Passed)
    }

    /// The stable name used in machine reports.
    pub fn key(&self) -> &'static str {
        match self {
            Verdict::Passed => "passed",
            Verdict::Failed(_) => "failed",
            Verdict::CompileError(_) => "compile_error",
            Verdict::TimedOut(_) => "timed_out",
            Verdict::Crashed(_) => "crashed",
            Verdict::Incomplete(_) => "failed",
        }
    }

    /// The words a person reads.
    pub fn label(&self) -> &'static str {
        match self {
            Verdict::Passed => "passed",
            Verdict::Failed(_) => "failed",
            Verdict::CompileError(_) => "compile error",
            Verdict::TimedOut(_) => "timed out",
            Verdict::Crashed(_) => "crashed",
            Verdict::Incomplete(_) => "failed",
        }
    }

    /// One line that says why, for tables.
    pub fn reason(&self) -> String {
        match self {
            Verdict::Passed => String::new(),
            Verdict::Failed(failures) => {
                let first = &failures[0];
                let others = match failures.len() {
                    1 => String::new(),
                    n => format!(" (+{} more)", n - 1),
                };
                format!("{}: {}{others}", first.name, first_line(&first.message))
            }
            Verdict::CompileError(error) => {
                let code = error
                    .code
                    .as_deref()
                    .map(|c| format!("{c}: "))
                    .unwrap_or_default();
                let place = match (&error.file, error.line) {
                    (Some(file), Some(line)) => format!(" ({file}:{line})"),
                    _ => String::new(),
                };
                format!("{code}{}{place}", first_line(&error.message))
            }
            Verdict::TimedOut(timed_out) => first_line(&timed_out.message).to_string(),
            Verdict::Crashed(why) | Verdict::Incomplete(why) => first_line(why).to_string(),
        }
    }

    /// Where each thread waited when the run was stopped: for a timeout, or for a run stopped
    /// at its memory budget (whose message carries it after its first paragraph).
    pub fn diagnosis(&self) -> Option<&str> {
        match self {
            Verdict::TimedOut(timed_out) => timed_out.diagnosis.as_deref(),
            Verdict::Crashed(why) => why
                .find(&format!("\n{}", testkit::diagnose::HEADER))
                .map(|start| &why[start + 1..]),
            _ => None,
        }
    }

    /// The full explanation, for the "next exercise" section and `check`.
    pub fn details(&self) -> String {
        match self {
            Verdict::Passed => String::new(),
            Verdict::Failed(failures) => failures
                .iter()
                .map(|f| format!("{}:\n{}", f.name, indent(&f.message)))
                .collect::<Vec<_>>()
                .join("\n"),
            Verdict::CompileError(error) => error.rendered.trim_end().to_string(),
            Verdict::TimedOut(timed_out) => timed_out.details(),
            Verdict::Crashed(why) | Verdict::Incomplete(why) => why.clone(),
        }
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests;
