//! JUnit XML: one testsuite per submission, one testcase per exercise. Timeouts and crashes
//! are typed, so CI dashboards can tell a deadlock from a wrong answer.
//!
//! The document is a maud template, like the HTML report: maud escapes every value it puts into
//! the markup (`&`, `<`, `>` and `"`, which is all that XML needs inside text and double-quoted
//! attributes). [`printable`] first takes out what XML 1.0 does not allow even escaped: a
//! terminal's escape sequences go, other control characters become `?`. (A dedicated XML writer,
//! quick-xml, was used before: the same document, but a crate and a second build of memchr and
//! serde_json on a learner's first run, for one element per exercise.)

use crate::pipeline::grade::Submission;
use crate::platform::sandbox::Status;
use crate::report::printable;
use maud::{Markup, PreEscaped, html};

pub fn junit(submissions: &[Submission], sandbox: &Status) -> String {
    let sandbox = printable(&sandbox.summary());
    let document = html! {
        (PreEscaped("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"))
        testsuites {
            @for submission in submissions {
                "\n"
                (testsuite(submission, &sandbox))
            }
            "\n"
        }
    };
    let mut xml = document.into_string();
    xml.push('\n');
    xml
}

fn testsuite(submission: &Submission, sandbox: &str) -> Markup {
    let label = printable(&submission.label);
    let (tests, failures, errors) = match &submission.outcome {
        Err(_) => (1, 0, 1),
        Ok(graded) => (
            graded.checked.len(),
            graded
                .checked
                .iter()
                .filter(|c| !c.verdict.is_passed())
                .count(),
            0,
        ),
    };
    html! {
        testsuite name=(label) tests=(tests) failures=(failures) errors=(errors) {
            // Each testsuite says whether its code ran in the sandbox, as a property.
            "\n  "
            properties { property name="sandbox" value=(sandbox) {} }
            @match &submission.outcome {
                Err(reason) => {
                    "\n  "
                    testcase classname=(label) name="submission" {
                        error type="unreadable" message=(printable(reason)) {}
                    }
                }
                Ok(graded) => {
                    @for c in &graded.checked {
                        "\n  "
                        testcase classname=(label) name=(printable(&c.exercise.name)) {
                            @if !c.verdict.is_passed() {
                                failure type=(c.verdict.key()) message=(printable(&c.verdict.reason())) {
                                    (printable(&c.verdict.details()))
                                }
                            }
                        }
                    }
                    @let warnings = graded.warnings();
                    @if !warnings.is_empty() {
                        "\n  "
                        system-err { (printable(&format!("warning: {}", warnings.join("\nwarning: ")))) }
                    }
                }
            }
            "\n"
        }
    }
}

#[cfg(test)]
#[path = "junit_tests.rs"]
mod tests;
