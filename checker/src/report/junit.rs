//! JUnit XML: one testsuite per submission, one testcase per exercise. Timeouts and crashes
//! are typed, so CI dashboards can tell a deadlock from a wrong answer.
//!
//! The document is the template `junit.xml`, filled by TinyTemplate like the HTML report.
//! TinyTemplate escapes every value it puts in (`&`, `<`, `>`, `"` and `'`, more than XML needs
//! inside text and double-quoted attributes). [`printable`] first takes out what XML 1.0 does
//! not allow even escaped: a terminal's escape sequences go, other control characters become `?`.

use crate::pipeline::grade::Submission;
use crate::platform::sandbox::Status;
use crate::report::{Template, fill, printable};
use serde_derive::Serialize;

#[derive(Serialize)]
struct Document {
    /// Each testsuite says whether its code ran in the sandbox, as a property.
    sandbox: String,
    suites: Vec<Suite>,
}

#[derive(Serialize)]
struct Suite {
    label: String,
    tests: usize,
    failures: usize,
    errors: usize,
    /// Set when the submission could not be graded.
    unreadable: Option<Unreadable>,
    cases: Vec<Case>,
    warnings: String,
}

#[derive(Serialize)]
struct Unreadable {
    reason: String,
}

#[derive(Serialize)]
struct Case {
    name: String,
    failure: Option<Failure>,
}

#[derive(Serialize)]
struct Failure {
    kind: &'static str,
    message: String,
    details: String,
}

pub fn junit(submissions: &[Submission], sandbox: &Status) -> String {
    let document = Document {
        sandbox: printable(&sandbox.summary()),
        suites: submissions.iter().map(suite).collect(),
    };
    fill(
        &[Template {
            name: "junit",
            text: include_str!("junit.xml"),
        }],
        &document,
    )
}

fn suite(submission: &Submission) -> Suite {
    let label = printable(&submission.label);
    match &submission.outcome {
        Err(reason) => Suite {
            label,
            tests: 1,
            failures: 0,
            errors: 1,
            unreadable: Some(Unreadable {
                reason: printable(reason),
            }),
            cases: Vec::new(),
            warnings: String::new(),
        },
        Ok(graded) => {
            let cases: Vec<Case> = graded
                .checked
                .iter()
                .map(|c| Case {
                    name: printable(&c.exercise.name),
                    failure: (!c.verdict.is_passed()).then(|| Failure {
                        kind: c.verdict.key(),
                        message: printable(&c.verdict.reason()),
                        details: printable(&c.verdict.details()),
                    }),
                })
                .collect();
            let warnings = graded.warnings();
            Suite {
                label,
                tests: cases.len(),
                failures: cases.iter().filter(|c| c.failure.is_some()).count(),
                errors: 0,
                unreadable: None,
                cases,
                warnings: if warnings.is_empty() {
                    String::new()
                } else {
                    printable(&format!("warning: {}", warnings.join("\nwarning: ")))
                },
            }
        }
    }
}

#[cfg(test)]
#[path = "junit_tests.rs"]
mod tests;
