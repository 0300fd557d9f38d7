//! The class overview as one self-contained HTML page (no external assets, works offline).
//!
//! Everything is rendered here, server-side: a submission × exercise grid coloured by verdict,
//! the pass rate per exercise, and every submission's details, so the page reads (and prints)
//! without JavaScript. A small inline script (`script.js`) adds sorting by column and folds each
//! submission's details away until its row is clicked; `style.css` is the page's look.
//!
//! The markup is a maud template: every value put into it is escaped, and text from a
//! submission also loses its control characters ([`Text`]). A Content-Security-Policy lets the
//! page load nothing and run no script but its own.

use crate::pipeline::grade::{Graded, Submission};
use crate::pipeline::verdict::Checked;
use crate::platform::sandbox::Status;
use crate::report::{grading, printable};
use maud::{Markup, PreEscaped, Render, html};

mod submission;

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

/// The verdicts as the page shows them, in sorting order: key (a CSS class), symbol, words.
/// `error` stands for a submission that could not be graded.
const KINDS: [(&str, &str, &str); 6] = [
    ("passed", "✓", "passed"),
    ("failed", "✗", "failed"),
    ("compile_error", "⚙", "compile error"),
    ("timed_out", "◷", "timed out"),
    ("crashed", "↯", "crashed"),
    ("error", "–", "could not be graded"),
];

fn rank(key: &str) -> usize {
    KINDS
        .iter()
        .position(|(k, _, _)| *k == key)
        .unwrap_or(KINDS.len())
}

fn symbol(key: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map_or("?", |(_, s, _)| s)
}

/// Text for the page, escaped by the template, without what HTML does not allow (see
/// [`printable`]: a terminal's escape sequences go, other control characters become `?`).
struct Text<'a>(&'a str);

impl Render for Text<'_> {
    fn render_to(&self, buffer: &mut String) {
        printable(self.0).render_to(buffer);
    }
}

pub fn render(submissions: &[Submission], sandbox: &Status) -> String {
    let exercises = grading::course_exercises(submissions);
    let max = grading::max_score(submissions);
    let rates = grading::pass_rates(submissions);
    let labels: Vec<&str> = submissions.iter().map(|s| s.label.as_str()).collect();
    let folder = common_folder(&labels);
    let nonce = nonce();
    let policy = format!(
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-{nonce}'; base-uri 'none'; form-action 'none'"
    );
    let page = html! {
        (PreEscaped("<!doctype html>\n"))
        html lang="en" class="no-js" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(policy);
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light dark";
                meta name="generator" content="checker grade --format html";
                title { "Grades" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { "Grades" }
                    (summary(submissions, exercises, &rates, max, folder))
                    p class=(if sandbox.is_on() { "sandbox on" } else { "sandbox off" }) {
                        "Sandbox: " (Text(&sandbox.summary()))
                    }
                    (legend())
                }
                main {
                    table id="grid" class="grid" {
                        caption class="sr" {
                            "Verdict of every exercise for every submission; the last row gives each exercise's pass rate."
                        }
                        (grid_head(exercises))
                        @for (index, submission) in submissions.iter().enumerate() {
                            (submission::rows(index, submission, exercises, max, &submission.label[folder.len()..]))
                        }
                        (rate_row(submissions, exercises, &rates))
                    }
                }
                script nonce=(nonce) { (PreEscaped(SCRIPT)) }
            }
        }
    };
    page.into_string() + "\n"
}

/// The numbers an instructor wants first, and where the class struggles.
fn summary(
    submissions: &[Submission],
    exercises: &[Checked],
    rates: &[f64],
    max: u32,
    folder: &str,
) -> Markup {
    let graded: Vec<&Submission> = submissions.iter().filter(|s| s.outcome.is_ok()).collect();
    let ungradable = submissions.len() - graded.len();
    let solved = graded
        .iter()
        .filter(|s| {
            s.outcome
                .as_ref()
                .is_ok_and(|g| g.checked.iter().all(|c| c.verdict.is_passed()))
        })
        .count();
    let mean = graded.iter().map(|s| f64::from(s.score())).sum::<f64>() / graded.len() as f64;
    let hardest = hardest(rates);
    html! {
        p class="summary" {
            (count(submissions.len(), "submission", "submissions"))
            @if !folder.is_empty() { " in " code { (Text(folder)) } }
            " · "
            @if graded.is_empty() {
                "none could be graded"
            } @else {
                "mean score " strong { (format!("{mean:.1}")) } " / " (max)
                @if ungradable > 0 { " (of those graded)" }
                " · " strong { (solved) } " fully solved"
            }
            @if ungradable > 0 { " · " strong { (ungradable) } " could not be graded" }
        }
        @if !graded.is_empty() && !exercises.is_empty() {
            p class="struggles" {
                @if hardest.is_empty() {
                    "Every graded submission passes every exercise."
                } @else {
                    "Where the class struggles: "
                    @for (n, &i) in hardest.iter().take(5).enumerate() {
                        @if n > 0 { ", " }
                        strong { (Text(&exercise_name(&exercises[i]))) }
                    }
                    @if hardest.len() > 5 { ", " (hardest.len() - 5) " more" }
                    (format!(" ({:.0}% pass)", rates[hardest[0]] * 100.0))
                }
            }
        }
    }
}

fn count(n: usize, one: &str, many: &str) -> Markup {
    html! { strong { (n) } " " (if n == 1 { one } else { many }) }
}

/// The exercises with the lowest pass rate, unless every exercise is always passed.
fn hardest(rates: &[f64]) -> Vec<usize> {
    let lowest = rates.iter().copied().fold(f64::INFINITY, f64::min);
    if lowest >= 1.0 {
        return Vec::new();
    }
    (0..rates.len()).filter(|&i| rates[i] <= lowest).collect()
}

fn exercise_name(checked: &Checked) -> String {
    format!("{:02} {}", checked.exercise.number, checked.exercise.name)
}

fn legend() -> Markup {
    html! {
        ul class="legend" aria-label="Legend" {
            @for (key, symbol, words) in KINDS {
                li { span class=(format!("chip v {key}")) aria-hidden="true" { (symbol) } (words) }
            }
            li class="how" { "Click a row or a cell for details, a column header to sort." }
        }
    }
}

fn grid_head(exercises: &[Checked]) -> Markup {
    html! {
        thead {
            tr {
                th scope="col" class="name" data-first="asc" {
                    button type="button" data-sort="name" { "Submission" }
                }
                th scope="col" class="score" data-first="desc" {
                    button type="button" data-sort="score" { "Score" }
                }
                @for (i, c) in exercises.iter().enumerate() {
                    th scope="col" class="ex" data-first="desc"
                        title=(Text(&format!("{}: {} ({} points)", exercise_name(c), c.exercise.title, c.exercise.points))) {
                        button type="button" data-sort=(format!("e{i}")) {
                            span class="label" {
                                span class="num" { (format!("{:02}", c.exercise.number)) }
                                " " (Text(&c.exercise.name))
                            }
                        }
                    }
                }
                // An empty last column takes the width the grid does not need, so that the
                // details of a small course get room without stretching the grid.
                th class="fill" aria-hidden="true" {}
            }
        }
    }
}

/// The last row: the share of graded submissions that pass each exercise, lowest highlighted.
fn rate_row(submissions: &[Submission], exercises: &[Checked], rates: &[f64]) -> Markup {
    let graded: Vec<&Graded> = submissions
        .iter()
        .filter_map(|s| s.outcome.as_ref().ok())
        .collect();
    let mean = if graded.is_empty() {
        "–".to_string()
    } else {
        let total: u32 = submissions.iter().map(Submission::score).sum();
        format!("⌀ {:.1}", f64::from(total) / graded.len() as f64)
    };
    let hardest = hardest(rates);
    html! {
        tfoot {
            tr class="rates" {
                th scope="row" class="name" { "Pass rate" }
                td class="score" title="mean score of the graded submissions" { (mean) }
                @for (i, (c, rate)) in exercises.iter().zip(rates).enumerate() {
                    @let passed = graded
                        .iter()
                        .filter(|g| g.checked.get(i).is_some_and(|c| c.verdict.is_passed()))
                        .count();
                    @let percent = rate * 100.0;
                    @let level = if *rate >= 0.8 { "good" } else if *rate >= 0.5 { "fair" } else { "poor" };
                    td class=(format!("rate {level}{}", if hardest.contains(&i) { " lowest" } else { "" }))
                        title=(Text(&format!("{}: {passed} of {} graded submissions pass", exercise_name(c), graded.len()))) {
                        (format!("{percent:.0}%"))
                        span class="bar" { span style=(format!("width:{percent:.0}%")) {} }
                    }
                }
                td class="fill" {}
            }
        }
    }
}

/// The folder every label starts with (`submissions/`), shown once above the grid instead of
/// on every row. Empty unless there are at least two labels and each keeps a name of its own.
fn common_folder<'a>(labels: &[&'a str]) -> &'a str {
    let [first, rest @ ..] = labels else {
        return "";
    };
    if rest.is_empty() {
        return "";
    }
    let mut common = first.len();
    for label in rest {
        common = first
            .char_indices()
            .zip(label.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(common);
    }
    let folder = match first[..common].rfind(['/', '\\']) {
        Some(end) => &first[..=end],
        None => "",
    };
    if labels.iter().any(|l| l.len() == folder.len()) {
        return "";
    }
    folder
}

/// A fresh nonce for the Content-Security-Policy: a student cannot know it when writing a
/// submission, so no script of theirs can run even if something slipped through unescaped.
fn nonce() -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let part = || {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u128(now);
        hasher.finish()
    };
    format!("{:016x}{:016x}", part(), part())
}

#[cfg(test)]
mod tests;
