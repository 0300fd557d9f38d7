//! Reports of a grading run as JSON, Markdown and CSV, and what every grading report shares (the
//! course's exercises, the maximum score, the pass rates). The HTML page, JUnit XML and GitHub
//! Classroom's result have modules of their own; all are made from the same [`Submission`]s.

use crate::pipeline::grade::Submission;
use crate::pipeline::verdict::Checked;
use crate::platform::sandbox::Status;
use serde_derive::Serialize;
use std::fmt::Write;

/// Bumped when a field changes meaning or goes away; see the README for the schema.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    max_score: u32,
    exercises: Vec<JsonExerciseInfo<'a>>,
    submissions: Vec<JsonSubmission<'a>>,
    sandbox: JsonSandbox,
}

/// Whether the submissions' code ran in the sandbox, and in words what that meant.
#[derive(Serialize)]
struct JsonSandbox {
    on: bool,
    summary: String,
}

#[derive(Serialize)]
struct JsonExerciseInfo<'a> {
    name: &'a str,
    title: &'a str,
    max_points: u32,
    /// The share of graded submissions that pass it: where the class struggles.
    pass_rate: f64,
}

#[derive(Serialize)]
struct JsonSubmission<'a> {
    path: &'a str,
    /// `graded`, or `error` when the submission could not be graded (see `error`).
    status: &'static str,
    error: Option<&'a str>,
    score: u32,
    max_score: u32,
    exercises: Vec<JsonExercise<'a>>,
    ignored_changes: &'a [String],
    missing_files: &'a [String],
    /// Exercises whose tests did not all run (see `Graded::warnings`).
    warnings: Vec<String>,
}

#[derive(Serialize)]
struct JsonExercise<'a> {
    name: &'a str,
    verdict: &'static str,
    points: u32,
    max_points: u32,
    message: String,
    details: String,
}

/// The exercises of the course, taken from the first graded submission.
pub fn course_exercises(submissions: &[Submission]) -> &[Checked] {
    submissions
        .iter()
        .find_map(|s| s.outcome.as_ref().ok())
        .map_or(&[], |graded| graded.checked.as_slice())
}

pub fn max_score(submissions: &[Submission]) -> u32 {
    course_exercises(submissions)
        .iter()
        .map(|c| c.exercise.points)
        .sum()
}

/// The share of graded submissions that pass each exercise, in course order.
pub fn pass_rates(submissions: &[Submission]) -> Vec<f64> {
    let graded: Vec<_> = submissions
        .iter()
        .filter_map(|s| s.outcome.as_ref().ok())
        .collect();
    course_exercises(submissions)
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let passed = graded
                .iter()
                .filter(|g| g.checked.get(i).is_some_and(|c| c.verdict.is_passed()))
                .count();
            if graded.is_empty() {
                0.0
            } else {
                passed as f64 / graded.len() as f64
            }
        })
        .collect()
}

pub fn json(submissions: &[Submission], sandbox: &Status) -> String {
    let max = max_score(submissions);
    let rates = pass_rates(submissions);
    let report = JsonReport {
        version: SCHEMA_VERSION,
        max_score: max,
        exercises: course_exercises(submissions)
            .iter()
            .zip(&rates)
            .map(|(c, rate)| JsonExerciseInfo {
                name: &c.exercise.name,
                title: &c.exercise.title,
                max_points: c.exercise.points,
                pass_rate: (rate * 1000.0).round() / 1000.0,
            })
            .collect(),
        submissions: submissions
            .iter()
            .map(|s| match &s.outcome {
                Ok(graded) => JsonSubmission {
                    path: &s.label,
                    status: "graded",
                    error: None,
                    score: s.score(),
                    max_score: max,
                    exercises: graded
                        .checked
                        .iter()
                        .map(|c| JsonExercise {
                            name: &c.exercise.name,
                            verdict: c.verdict.key(),
                            points: c.points(),
                            max_points: c.exercise.points,
                            message: c.verdict.reason(),
                            details: c.verdict.details(),
                        })
                        .collect(),
                    ignored_changes: &graded.ignored_changes,
                    missing_files: &graded.missing_files,
                    warnings: graded.warnings(),
                },
                Err(reason) => JsonSubmission {
                    path: &s.label,
                    status: "error",
                    error: Some(reason),
                    score: 0,
                    max_score: max,
                    exercises: Vec::new(),
                    ignored_changes: &[],
                    missing_files: &[],
                    warnings: Vec::new(),
                },
            })
            .collect(),
        sandbox: JsonSandbox {
            on: sandbox.is_on(),
            summary: sandbox.summary(),
        },
    };
    serde_json::to_string_pretty(&report).expect("the report serialises")
}

fn symbol(checked: &Checked) -> &'static str {
    match checked.verdict.key() {
        "passed" => "✅",
        "failed" => "❌",
        "compile_error" => "🛠",
        "timed_out" => "⏳",
        _ => "💥",
    }
}

/// Markdown: the class at a glance, where it struggles, then each submission's details.
pub fn markdown(submissions: &[Submission], sandbox: &Status) -> String {
    let exercises = course_exercises(submissions);
    let max = max_score(submissions);
    let mut out = String::from("# Grades\n\n");
    let _ = writeln!(out, "Sandbox: {}\n", md(&sandbox.summary()));
    let _ = writeln!(
        out,
        "✅ passed · ❌ failed · 🛠 compile error · ⏳ timed out · 💥 crashed\n"
    );
    out.push_str("| submission | score |");
    for c in exercises {
        let _ = write!(out, " {:02} |", c.exercise.number);
    }
    out.push_str("\n|---|---|");
    out.push_str(&"---|".repeat(exercises.len()));
    out.push('\n');
    for s in submissions {
        let _ = write!(out, "| {} |", md(&s.label));
        match &s.outcome {
            Ok(graded) => {
                let _ = write!(out, " {}/{max} |", s.score());
                for c in &graded.checked {
                    let _ = write!(out, " {} |", symbol(c));
                }
            }
            Err(reason) => {
                let _ = write!(out, " error: {} |", md(reason));
                out.push_str(&" |".repeat(exercises.len()));
            }
        }
        out.push('\n');
    }
    out.push_str("\n## Pass rate per exercise\n\n| exercise | pass rate |\n|---|---|\n");
    for (c, rate) in exercises.iter().zip(pass_rates(submissions)) {
        let _ = writeln!(
            out,
            "| {:02} {} | {:.0}% |",
            c.exercise.number,
            c.exercise.name,
            rate * 100.0
        );
    }
    for s in submissions {
        let _ = writeln!(out, "\n## {}\n", md(&s.label));
        match &s.outcome {
            Err(reason) => {
                let _ = writeln!(out, "Could not be graded: {}", md(reason));
            }
            Ok(graded) => {
                let _ = writeln!(out, "Score: {}/{max}\n", s.score());
                for c in graded.checked.iter().filter(|c| !c.verdict.is_passed()) {
                    let _ = writeln!(
                        out,
                        "- {} **{}**: {} — {}",
                        symbol(c),
                        c.exercise.name,
                        c.verdict.label(),
                        md(&c.verdict.reason())
                    );
                }
                for warning in graded.warnings() {
                    let _ = writeln!(out, "\n⚠️ Warning: {}", md(&warning));
                }
                if !graded.ignored_changes.is_empty() {
                    let _ = writeln!(
                        out,
                        "\nIgnored changes (graded with the course's own copy): {}",
                        graded
                            .ignored_changes
                            .iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
                if !graded.missing_files.is_empty() {
                    let _ = writeln!(
                        out,
                        "\nMissing files (the starting version was graded): {}",
                        graded.missing_files.join(", ")
                    );
                }
            }
        }
    }
    out
}

fn md(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// CSV: one row per submission, one points column per exercise.
pub fn csv(submissions: &[Submission]) -> String {
    let exercises = course_exercises(submissions);
    let mut out = String::from("submission,status,score,max_score");
    for c in exercises {
        let _ = write!(out, ",{}", c.exercise.name);
    }
    out.push_str(",warnings\n");
    let max = max_score(submissions);
    for s in submissions {
        match &s.outcome {
            Ok(graded) => {
                let _ = write!(out, "{},graded,{},{max}", csv_field(&s.label), s.score());
                for c in &graded.checked {
                    let _ = write!(out, ",{}", c.points());
                }
                let _ = write!(out, ",{}", csv_field(&graded.warnings().join("; ")));
            }
            Err(reason) => {
                let _ = write!(
                    out,
                    "{},{},0,{max}",
                    csv_field(&s.label),
                    csv_field(&format!("error: {reason}"))
                );
                out.push_str(&",".repeat(exercises.len() + 1));
            }
        }
        out.push('\n');
    }
    out
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
