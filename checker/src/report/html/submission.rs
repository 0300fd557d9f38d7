//! One submission on the page: its row in the grid, and the details that unfold below it.

use super::{Text, exercise_name, rank, symbol};
use crate::pipeline::grade::{Graded, Submission};
use crate::pipeline::verdict::Checked;
use maud::{Markup, html};

/// How each exercise's verdict sorts, for the script: one rank per exercise, in course order.
fn ranks(submission: &Submission, columns: usize) -> String {
    let key = |i: usize| match &submission.outcome {
        Ok(graded) => graded.checked.get(i).map_or("error", |c| c.verdict.key()),
        Err(_) => "error",
    };
    (0..columns)
        .map(|i| rank(key(i)).to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One `<tbody>` per submission: its grid row and its details row, which sort together.
pub(super) fn rows(
    index: usize,
    submission: &Submission,
    exercises: &[Checked],
    max: u32,
    shown: &str,
) -> Markup {
    let columns = exercises.len();
    let score = match &submission.outcome {
        Ok(_) => i64::from(submission.score()),
        Err(_) => -1,
    };
    html! {
        tbody id=(format!("s{index}")) data-index=(index) data-name=(Text(shown)) data-score=(score)
            data-ranks=(ranks(submission, columns)) {
            tr class=(if submission.outcome.is_err() { "row ungradable" } else { "row" }) {
                th scope="row" class="name" {
                    button type="button" class="toggle" aria-expanded="false"
                        aria-controls=(format!("d{index}")) title=(Text(&submission.label)) { (Text(shown)) }
                }
                @match &submission.outcome {
                    Ok(graded) => {
                        @let full = graded.checked.iter().all(|c| c.verdict.is_passed());
                        td class=(if full { "score full" } else { "score" }) {
                            (submission.score()) " " span class="of" { "/ " (max) }
                        }
                        @for (i, c) in graded.checked.iter().enumerate().take(columns) {
                            (cell(i, c))
                        }
                        @for _ in graded.checked.len()..columns {
                            td class="v error" {
                                span aria-hidden="true" { "–" } span class="sr" { "not graded" }
                            }
                        }
                        td class="fill" {}
                    }
                    Err(reason) => {
                        td class="score" { "–" }
                        td class="v error wide" colspan=(columns + 1) title=(Text(reason)) {
                            div class="clip" { "could not be graded: " (Text(reason)) }
                        }
                    }
                }
            }
            tr class="detail" id=(format!("d{index}")) {
                td colspan=(columns + 3) {
                    div class="panel" {
                        @match &submission.outcome {
                            Ok(graded) => {
                                p class="panel-head" {
                                    code { (Text(&submission.label)) } " "
                                    span class="points" { (submission.score()) " / " (max) " points" }
                                }
                                (details(graded))
                            }
                            Err(reason) => {
                                p class="panel-head" { code { (Text(&submission.label)) } }
                                p class="error-msg" {
                                    span class="chip v error" aria-hidden="true" { "–" }
                                    "Could not be graded: " (Text(reason))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One exercise's cell in the grid: its verdict as a symbol, with the reason as a tooltip.
fn cell(i: usize, c: &Checked) -> Markup {
    let key = c.verdict.key();
    let reason = c.verdict.reason();
    let tip = if reason.is_empty() {
        format!("{}: {}", exercise_name(c), c.verdict.label())
    } else {
        format!("{}: {}: {reason}", exercise_name(c), c.verdict.label())
    };
    html! {
        td class=(format!("v {key}")) data-ex=(i) title=(Text(&tip)) {
            span aria-hidden="true" { (symbol(key)) }
            span class="sr" { (c.verdict.label()) }
        }
    }
}

/// A graded submission's details: what did not pass and why, what passed, and the files
/// that were not taken as submitted.
fn details(graded: &Graded) -> Markup {
    type Numbered<'a> = Vec<(usize, &'a Checked)>;
    let (passed, not_passed): (Numbered, Numbered) = graded
        .checked
        .iter()
        .enumerate()
        .partition(|(_, c)| c.verdict.is_passed());
    html! {
        @if !passed.is_empty() {
            p class="passed-list" {
                span class="chip v passed" aria-hidden="true" { "✓" }
                "Passed: "
                @for (n, (i, c)) in passed.iter().enumerate() {
                    @if n > 0 { ", " }
                    span class="item" data-ex=(i) { (Text(&exercise_name(c))) }
                }
            }
        }
        @if !not_passed.is_empty() {
            ul class="checks" {
                @for (i, c) in &not_passed {
                    (not_passed_item(*i, c))
                }
            }
        }
        (files("Warnings", "tests that did not all run earn nothing", &graded.warnings()))
        (files("Ignored changes", "graded with the course's own copy", &graded.ignored_changes))
        (files("Missing files", "the starting version was graded", &graded.missing_files))
    }
}

/// An exercise that did not pass: its verdict, the reason, and the full output folded away.
fn not_passed_item(i: usize, c: &Checked) -> Markup {
    let key = c.verdict.key();
    let reason = c.verdict.reason();
    let details = c.verdict.details();
    html! {
        li class="item" data-ex=(i) {
            p {
                span class=(format!("chip v {key}")) aria-hidden="true" { (symbol(key)) }
                strong { (Text(&exercise_name(c))) } " "
                span class=(format!("verdict {key}")) { (c.verdict.label()) } " "
                span class="pts" { "0 / " (c.exercise.points) }
            }
            @if !reason.is_empty() {
                p class="msg" { (Text(&reason)) }
            }
            @if !details.is_empty() && squash(&details) != squash(&reason) {
                details class="output" {
                    summary { "full output" }
                    pre { (Text(&details)) }
                }
            }
        }
    }
}

/// The words of `text`, single-spaced: a detail that only re-indents the reason adds nothing.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn files(title: &str, note: &str, files: &[String]) -> Markup {
    html! {
        @if !files.is_empty() {
            div class="files" {
                p { strong { (title) } (format!(" ({}, {note}):", files.len())) }
                ul {
                    @for file in files {
                        li { code { (Text(file)) } }
                    }
                }
            }
        }
    }
}
