//! The machine report: a versioned JSON document (see the README for its schema).

use super::Totals;
use crate::pipeline::verdict::Checked;
use crate::pipeline::verdict::Verdict;
use serde_derive::Serialize;

/// Bumped when a field changes meaning or goes away; new fields may appear in any version.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    done: usize,
    total: usize,
    points: u32,
    max_points: u32,
    exercises: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    name: &'a str,
    number: u32,
    title: &'a str,
    skill: &'a str,
    verdict: &'static str,
    points: u32,
    max_points: u32,
    /// One line on why; empty when passed.
    message: String,
    /// The full explanation: failing tests and their messages, or the compiler's error.
    details: String,
    failed_tests: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<String>,
    /// For a timeout: where each thread waited (also at the end of `details`).
    #[serde(skip_serializing_if = "Option::is_none")]
    diagnosis: Option<&'a str>,
}

pub fn render(checked: &[Checked]) -> String {
    let totals = Totals::of(checked);
    let report = Report {
        version: SCHEMA_VERSION,
        done: totals.done,
        total: totals.total,
        points: totals.points,
        max_points: totals.max_points,
        exercises: checked.iter().map(entry).collect(),
    };
    serde_json::to_string_pretty(&report).expect("the report serialises")
}

fn entry(checked: &Checked) -> Entry<'_> {
    let (failed_tests, error_code, location) = match &checked.verdict {
        Verdict::Failed(failures) => (
            failures.iter().map(|f| f.name.as_str()).collect(),
            None,
            None,
        ),
        Verdict::TimedOut(t) => (t.test.iter().map(String::as_str).collect(), None, None),
        Verdict::CompileError(e) => (
            Vec::new(),
            e.code.as_deref(),
            e.file.as_ref().map(|f| match e.line {
                Some(line) => format!("{f}:{line}"),
                None => f.clone(),
            }),
        ),
        Verdict::Passed | Verdict::Crashed(_) | Verdict::Incomplete(_) => (Vec::new(), None, None),
    };
    Entry {
        name: &checked.exercise.name,
        number: checked.exercise.number,
        title: &checked.exercise.title,
        skill: &checked.exercise.skill,
        verdict: checked.verdict.key(),
        points: checked.points(),
        max_points: checked.exercise.points,
        message: checked.verdict.reason(),
        details: checked.verdict.details(),
        failed_tests,
        error_code,
        location,
        diagnosis: checked.verdict.diagnosis(),
    }
}
