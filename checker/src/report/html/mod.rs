//! The class overview as one self-contained HTML page (no external assets, works offline).
//!
//! Everything is rendered here, server-side: a submission × exercise grid coloured by verdict,
//! the pass rate per exercise, and every submission's details, so the page reads (and prints)
//! without JavaScript. A small inline script (`script.js`) adds sorting by column and folds each
//! submission's details away until its row is clicked; `style.css` is the page's look.
//!
//! The markup is two templates, `page.html` and `submission.html` (one per submission), filled
//! by TinyTemplate from the typed views below. TinyTemplate escapes every value it puts into
//! the page; only the page's own `style.css` and `script.js` go in as they are. Text from a
//! submission also loses its control characters first ([`printable`]). A
//! Content-Security-Policy lets the page load nothing and run no script but its own.

use crate::pipeline::grade::{Graded, Submission};
use crate::pipeline::verdict::Checked;
use crate::platform::sandbox::Status;
use crate::report::{Template, fill, grading, printable};
use serde_derive::Serialize;
use submission::Rows;

mod submission;

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

/// The verdicts as the page shows them, in sorting order: key (a CSS class), symbol, words.
/// `error` stands for a submission that could not be graded.
const KINDS: [Kind; 6] = [
    Kind::new("passed", "✓", "passed"),
    Kind::new("failed", "✗", "failed"),
    Kind::new("compile_error", "⚙", "compile error"),
    Kind::new("timed_out", "◷", "timed out"),
    Kind::new("crashed", "↯", "crashed"),
    Kind::new("error", "–", "could not be graded"),
];

#[derive(Serialize)]
struct Kind {
    key: &'static str,
    symbol: &'static str,
    words: &'static str,
}

impl Kind {
    const fn new(key: &'static str, symbol: &'static str, words: &'static str) -> Kind {
        Kind { key, symbol, words }
    }
}

fn rank(key: &str) -> usize {
    KINDS
        .iter()
        .position(|kind| kind.key == key)
        .unwrap_or(KINDS.len())
}

fn symbol(key: &str) -> &'static str {
    KINDS
        .iter()
        .find(|kind| kind.key == key)
        .map_or("?", |kind| kind.symbol)
}

/// Everything `page.html` shows. Text from submissions is already [`printable`].
#[derive(Serialize)]
struct Page {
    /// For the Content-Security-Policy: only the script that carries it may run.
    nonce: String,
    style: &'static str,
    script: &'static str,
    summary: Summary,
    sandbox_on: bool,
    sandbox: String,
    kinds: &'static [Kind],
    columns: Vec<Column>,
    submissions: Vec<Rows>,
    mean_score: String,
    rates: Vec<Rate>,
}

/// The numbers an instructor wants first, and where the class struggles.
#[derive(Serialize)]
struct Summary {
    submissions: usize,
    noun: &'static str,
    folder: String,
    graded: bool,
    mean: String,
    max: u32,
    ungradable: usize,
    solved: usize,
    /// Shown when something was graded.
    struggles: Option<Struggles>,
}

#[derive(Serialize)]
struct Struggles {
    /// The exercises with the lowest pass rate (at most five), empty when every graded
    /// submission passes every exercise.
    hardest: Vec<String>,
    /// How many more share that rate.
    more: usize,
    pass: String,
}

/// An exercise's column head.
#[derive(Serialize)]
struct Column {
    index: usize,
    number: String,
    name: String,
    title: String,
}

/// An exercise's cell in the last row: the share of graded submissions that pass it.
#[derive(Serialize)]
struct Rate {
    level: &'static str,
    lowest: bool,
    percent: String,
    title: String,
}

pub fn render(submissions: &[Submission], sandbox: &Status) -> String {
    let exercises = grading::course_exercises(submissions);
    let max = grading::max_score(submissions);
    let rates = grading::pass_rates(submissions);
    let labels: Vec<&str> = submissions.iter().map(|s| s.label.as_str()).collect();
    let folder = common_folder(&labels);
    let page = Page {
        nonce: nonce(),
        style: STYLE,
        script: SCRIPT,
        summary: summary(submissions, exercises, &rates, max, folder),
        sandbox_on: sandbox.is_on(),
        sandbox: printable(&sandbox.summary()),
        kinds: &KINDS,
        columns: exercises.iter().enumerate().map(column).collect(),
        submissions: submissions
            .iter()
            .enumerate()
            .map(|(index, submission)| {
                Rows::new(
                    index,
                    submission,
                    exercises,
                    max,
                    &submission.label[folder.len()..],
                )
            })
            .collect(),
        mean_score: mean_score(submissions),
        rates: rate_row(submissions, exercises, &rates),
    };
    fill(
        &[
            Template {
                name: "page",
                text: include_str!("page.html"),
            },
            Template {
                name: "submission",
                text: include_str!("submission.html"),
            },
        ],
        &page,
    )
}

fn summary(
    submissions: &[Submission],
    exercises: &[Checked],
    rates: &[f64],
    max: u32,
    folder: &str,
) -> Summary {
    let graded: Vec<&Submission> = submissions.iter().filter(|s| s.outcome.is_ok()).collect();
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
    let struggles = (!graded.is_empty() && !exercises.is_empty()).then(|| Struggles {
        hardest: hardest
            .iter()
            .take(5)
            .map(|&i| printable(&exercise_name(&exercises[i])))
            .collect(),
        more: hardest.len().saturating_sub(5),
        pass: hardest
            .first()
            .map_or(String::new(), |&i| format!("{:.0}", rates[i] * 100.0)),
    });
    Summary {
        submissions: submissions.len(),
        noun: if submissions.len() == 1 {
            "submission"
        } else {
            "submissions"
        },
        folder: printable(folder),
        graded: !graded.is_empty(),
        mean: format!("{mean:.1}"),
        max,
        ungradable: submissions.len() - graded.len(),
        solved,
        struggles,
    }
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

fn column((index, c): (usize, &Checked)) -> Column {
    Column {
        index,
        number: format!("{:02}", c.exercise.number),
        name: printable(&c.exercise.name),
        title: printable(&format!(
            "{}: {} ({} points)",
            exercise_name(c),
            c.exercise.title,
            c.exercise.points
        )),
    }
}

fn mean_score(submissions: &[Submission]) -> String {
    let graded = submissions.iter().filter(|s| s.outcome.is_ok()).count();
    if graded == 0 {
        return "–".to_string();
    }
    let total: u32 = submissions.iter().map(Submission::score).sum();
    format!("⌀ {:.1}", f64::from(total) / graded as f64)
}

/// The last row, the lowest pass rate highlighted.
fn rate_row(submissions: &[Submission], exercises: &[Checked], rates: &[f64]) -> Vec<Rate> {
    let graded: Vec<&Graded> = submissions
        .iter()
        .filter_map(|s| s.outcome.as_ref().ok())
        .collect();
    let hardest = hardest(rates);
    exercises
        .iter()
        .zip(rates)
        .enumerate()
        .map(|(i, (c, &rate))| {
            let passed = graded
                .iter()
                .filter(|g| g.checked.get(i).is_some_and(|c| c.verdict.is_passed()))
                .count();
            Rate {
                level: if rate >= 0.8 {
                    "good"
                } else if rate >= 0.5 {
                    "fair"
                } else {
                    "poor"
                },
                lowest: hardest.contains(&i),
                percent: format!("{:.0}", rate * 100.0),
                title: printable(&format!(
                    "{}: {passed} of {} graded submissions pass",
                    exercise_name(c),
                    graded.len()
                )),
            }
        })
        .collect()
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
