//! Reports of a grading run, for people (Markdown, HTML) and for machines (JSON, JUnit XML, CSV,
//! GitHub Classroom). All are made from the same [`Submission`]s.

use crate::pipeline::grade::Submission;
use crate::pipeline::verdict::Checked;
use crate::platform::sandbox::Status;
use base64::Engine;
use serde::Serialize;
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

/// JUnit XML: one testsuite per submission, one testcase per exercise. Timeouts and crashes
/// are typed, so CI dashboards can tell a deadlock from a wrong answer.
pub fn junit(submissions: &[Submission], sandbox: &Status) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    // Each testsuite says whether its code ran in the sandbox, as a property.
    let properties = format!(
        "    <properties>\n      <property name=\"sandbox\" value=\"{}\"/>\n    </properties>\n",
        xml(&sandbox.summary())
    );
    for s in submissions {
        match &s.outcome {
            Err(reason) => {
                let _ = writeln!(
                    out,
                    "  <testsuite name=\"{}\" tests=\"1\" failures=\"0\" errors=\"1\">\n{properties}    <testcase classname=\"{0}\" name=\"submission\">\n      <error type=\"unreadable\" message=\"{}\"/>\n    </testcase>\n  </testsuite>",
                    xml(&s.label),
                    xml(reason)
                );
            }
            Ok(graded) => {
                let failures = graded
                    .checked
                    .iter()
                    .filter(|c| !c.verdict.is_passed())
                    .count();
                let _ = writeln!(
                    out,
                    "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">",
                    xml(&s.label),
                    graded.checked.len()
                );
                out.push_str(&properties);
                for c in &graded.checked {
                    let _ = write!(
                        out,
                        "    <testcase classname=\"{}\" name=\"{}\"",
                        xml(&s.label),
                        xml(&c.exercise.name)
                    );
                    if c.verdict.is_passed() {
                        out.push_str("/>\n");
                    } else {
                        let _ = writeln!(
                            out,
                            ">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>",
                            c.verdict.key(),
                            xml(&c.verdict.reason()),
                            xml(&c.verdict.details())
                        );
                    }
                }
                let warnings = graded.warnings();
                if !warnings.is_empty() {
                    let _ = writeln!(
                        out,
                        "    <system-err>{}</system-err>",
                        xml(&format!("warning: {}", warnings.join("\nwarning: ")))
                    );
                }
                out.push_str("  </testsuite>\n");
            }
        }
    }
    out.push_str("</testsuites>\n");
    out
}

pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0, even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => out.push('?'),
            c => out.push(c),
        }
    }
    out
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

#[derive(Serialize)]
struct Classroom {
    version: u32,
    status: &'static str,
    max_score: u32,
    tests: Vec<ClassroomTest>,
}

#[derive(Serialize)]
struct ClassroomTest {
    name: String,
    status: &'static str,
    score: u32,
    max_score: u32,
    message: String,
    test_code: String,
    filename: String,
    line_no: u32,
    duration: u32,
}

/// The GitHub Classroom autograding result for ONE submission (a student's repository grading
/// itself), base64-encoded as `autograding-grading-reporter` expects it. Partial credit is per
/// exercise.
pub fn classroom(submission: &Submission) -> String {
    let (status, max, tests) = match &submission.outcome {
        Err(reason) => (
            "error",
            0,
            vec![ClassroomTest {
                name: "submission".into(),
                status: "error",
                score: 0,
                max_score: 0,
                message: reason.clone(),
                test_code: "cargo run -p checker -- grade".into(),
                filename: String::new(),
                line_no: 0,
                duration: 0,
            }],
        ),
        Ok(graded) => {
            let tests: Vec<_> = graded
                .checked
                .iter()
                .map(|c| ClassroomTest {
                    name: format!("{:02} {}", c.exercise.number, c.exercise.name),
                    status: if c.verdict.is_passed() {
                        "pass"
                    } else {
                        "fail"
                    },
                    score: c.points(),
                    max_score: c.exercise.points,
                    message: c.verdict.reason(),
                    test_code: format!("cargo run -p checker -- check {}", c.exercise.name),
                    filename: c.exercise.dir.join("src/lib.rs").display().to_string(),
                    line_no: 0,
                    duration: 0,
                })
                .collect();
            let all_pass = tests.iter().all(|t| t.status == "pass");
            let max = tests.iter().map(|t| t.max_score).sum();
            (if all_pass { "pass" } else { "fail" }, max, tests)
        }
    };
    let result = Classroom {
        version: 1,
        status,
        max_score: max,
        tests,
    };
    let json = serde_json::to_string(&result).expect("the result serialises");
    base64::engine::general_purpose::STANDARD.encode(json)
}
