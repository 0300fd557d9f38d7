//! The class overview as one self-contained HTML page (no external assets, works offline).
//!
//! Everything is rendered here, server-side: a submission × exercise grid coloured by verdict,
//! the pass rate per exercise, and every submission's details, so the page reads (and prints)
//! without JavaScript. A small inline script (`script.js`) adds sorting by column and folds each
//! submission's details away until its row is clicked; `style.css` is the page's look.
//!
//! The markup is an askama template (`checker/templates/html_report/`): every value put into it
//! is escaped, and text from a submission also loses its control characters ([`printable`]).
//! A Content-Security-Policy lets the page load nothing and run no script but its own.

use crate::pipeline::grade::{Graded, Submission};
use crate::pipeline::verdict::Checked;
use crate::platform::sandbox::Status;
use crate::report::{grading, printable};
use askama::Template;

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

/// The page; the template calls its methods (here and in [`submission`]) for what it shows.
#[derive(Template)]
#[template(path = "html_report/page.html")]
struct Page<'a> {
    submissions: &'a [Submission],
    exercises: &'a [Checked],
    /// The graded submissions' results (not those that could not be graded).
    graded: Vec<&'a Graded>,
    /// Per exercise, the share of graded submissions that pass it.
    rates: Vec<f64>,
    /// The exercises with the lowest pass rate (see [`hardest`]).
    hardest: Vec<usize>,
    max: u32,
    /// Shown once above the grid, and cut from every row's name.
    folder: &'a str,
    sandbox: &'a Status,
    nonce: String,
    /// The course's own style sheet and script, the only text put in unescaped.
    style: &'static str,
    script: &'static str,
}

pub fn render(submissions: &[Submission], sandbox: &Status) -> String {
    let exercises = grading::course_exercises(submissions);
    let rates = grading::pass_rates(submissions);
    let labels: Vec<&str> = submissions.iter().map(|s| s.label.as_str()).collect();
    let page = Page {
        submissions,
        exercises,
        graded: submissions
            .iter()
            .filter_map(|s| s.outcome.as_ref().ok())
            .collect(),
        hardest: hardest(&rates),
        rates,
        max: grading::max_score(submissions),
        folder: common_folder(&labels),
        sandbox,
        nonce: nonce(),
        style: STYLE,
        script: SCRIPT,
    };
    // Writing to a String fails only if a value's Display does, and none of these does.
    page.render().expect("the page renders") + "\n"
}

impl Page<'_> {
    /// Text for the page, escaped by the template, without what HTML does not allow (see
    /// [`printable`]: a terminal's escape sequences go, other control characters become `?`).
    fn text(&self, text: impl AsRef<str>) -> String {
        printable(text.as_ref())
    }

    fn exercise_name(&self, checked: &Checked) -> String {
        exercise_name(checked)
    }

    fn symbol(&self, key: &str) -> &'static str {
        KINDS
            .iter()
            .find(|(k, _, _)| *k == key)
            .map_or("?", |(_, s, _)| s)
    }

    fn ungradable(&self) -> usize {
        self.submissions.len() - self.graded.len()
    }

    fn solved(&self) -> usize {
        let solved = |g: &&&Graded| g.checked.iter().all(|c| c.verdict.is_passed());
        self.graded.iter().filter(solved).count()
    }

    fn mean_score(&self) -> f64 {
        let total: u32 = self.submissions.iter().map(Submission::score).sum();
        f64::from(total) / self.graded.len() as f64
    }

    /// The mean score in the pass-rate row.
    fn mean_row(&self) -> String {
        if self.graded.is_empty() {
            "–".to_string()
        } else {
            format!("⌀ {:.1}", self.mean_score())
        }
    }

    /// The first five of the exercises where the class struggles.
    fn hardest_exercises(&self) -> Vec<&Checked> {
        self.hardest
            .iter()
            .take(5)
            .map(|&i| &self.exercises[i])
            .collect()
    }

    fn is_hardest(&self, i: &usize) -> bool {
        self.hardest.contains(i)
    }

    fn heading(&self, c: &Checked) -> String {
        let (title, points) = (&c.exercise.title, c.exercise.points);
        format!("{}: {title} ({points} points)", exercise_name(c))
    }

    /// An exercise's pass rate, as a percentage.
    fn percent(&self, i: &usize) -> f64 {
        self.rates[*i] * 100.0
    }

    fn level(&self, i: &usize) -> &'static str {
        match self.rates[*i] {
            r if r >= 0.8 => "good",
            r if r >= 0.5 => "fair",
            _ => "poor",
        }
    }

    /// The tooltip of an exercise's pass rate.
    fn passing(&self, i: &usize, c: &Checked) -> String {
        let passed = self
            .graded
            .iter()
            .filter(|g| g.checked.get(*i).is_some_and(|c| c.verdict.is_passed()))
            .count();
        let of = self.graded.len();
        format!(
            "{}: {passed} of {of} graded submissions pass",
            exercise_name(c)
        )
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
