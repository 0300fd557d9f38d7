//! One submission on the page, as `submission.html` shows it: its row in the grid, and the
//! details that unfold below it.

use super::{exercise_name, rank, symbol};
use crate::pipeline::grade::{Graded, Submission};
use crate::pipeline::verdict::Checked;
use crate::report::printable;
use serde_derive::Serialize;

/// One `<tbody>` per submission: its grid row and its details row, which sort together.
#[derive(Serialize)]
pub(super) struct Rows {
    index: usize,
    /// The label without the folder every submission shares.
    shown: String,
    label: String,
    /// The score the script sorts by: -1 for a submission that could not be graded.
    sort_score: i64,
    /// How each exercise's verdict sorts, for the script: one rank per exercise, in course order.
    ranks: String,
    /// The grid's columns besides the exercises': name, score and the empty last one.
    wide: usize,
    detail_span: usize,
    /// Why the submission could not be graded (empty when it was).
    ungradable: String,
    graded: Option<GradedRows>,
}

#[derive(Serialize)]
struct GradedRows {
    score: u32,
    max: u32,
    full: bool,
    cells: Vec<Cell>,
    passed: Vec<Named>,
    not_passed: Vec<NotPassed>,
    file_lists: Vec<FileList>,
}

/// One exercise's cell in the grid: its verdict as a symbol, with the reason as a tooltip.
/// `graded` is false for an exercise the course has and the grading did not reach.
#[derive(Serialize)]
struct Cell {
    graded: bool,
    index: usize,
    key: &'static str,
    symbol: &'static str,
    label: &'static str,
    tip: String,
}

#[derive(Serialize)]
struct Named {
    index: usize,
    name: String,
}

/// An exercise that did not pass: its verdict, the reason, and the full output folded away.
#[derive(Serialize)]
struct NotPassed {
    index: usize,
    key: &'static str,
    symbol: &'static str,
    name: String,
    label: &'static str,
    points: u32,
    reason: String,
    /// Empty when it would only repeat the reason.
    details: String,
}

#[derive(Serialize)]
struct FileList {
    title: &'static str,
    note: String,
    files: Vec<String>,
}

impl Rows {
    pub(super) fn new(
        index: usize,
        submission: &Submission,
        exercises: &[Checked],
        max: u32,
        shown: &str,
    ) -> Rows {
        let columns = exercises.len();
        let (sort_score, ungradable, graded) = match &submission.outcome {
            Ok(graded) => (
                i64::from(submission.score()),
                String::new(),
                Some(GradedRows::new(submission.score(), max, graded, columns)),
            ),
            Err(reason) => (-1, printable(reason), None),
        };
        Rows {
            index,
            shown: printable(shown),
            label: printable(&submission.label),
            sort_score,
            ranks: ranks(submission, columns),
            wide: columns + 1,
            detail_span: columns + 3,
            ungradable,
            graded,
        }
    }
}

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

impl GradedRows {
    fn new(score: u32, max: u32, graded: &Graded, columns: usize) -> GradedRows {
        let mut cells: Vec<Cell> = graded
            .checked
            .iter()
            .take(columns)
            .enumerate()
            .map(|(i, c)| Cell::new(i, c))
            .collect();
        cells.extend((cells.len()..columns).map(Cell::not_graded));
        let (passed, not_passed): (Vec<_>, Vec<_>) = graded
            .checked
            .iter()
            .enumerate()
            .partition(|(_, c)| c.verdict.is_passed());
        GradedRows {
            score,
            max,
            full: graded.checked.iter().all(|c| c.verdict.is_passed()),
            cells,
            passed: passed
                .into_iter()
                .map(|(index, c)| Named {
                    index,
                    name: printable(&exercise_name(c)),
                })
                .collect(),
            not_passed: not_passed
                .into_iter()
                .map(|(i, c)| NotPassed::new(i, c))
                .collect(),
            file_lists: [
                FileList::new(
                    "Warnings",
                    "tests that did not all run earn nothing",
                    &graded.warnings(),
                ),
                FileList::new(
                    "Ignored changes",
                    "graded with the course's own copy",
                    &graded.ignored_changes,
                ),
                FileList::new(
                    "Missing files",
                    "the starting version was graded",
                    &graded.missing_files,
                ),
            ]
            .into_iter()
            .filter(|list| !list.files.is_empty())
            .collect(),
        }
    }
}

impl Cell {
    fn new(index: usize, c: &Checked) -> Cell {
        let key = c.verdict.key();
        let reason = c.verdict.reason();
        let tip = if reason.is_empty() {
            format!("{}: {}", exercise_name(c), c.verdict.label())
        } else {
            format!("{}: {}: {reason}", exercise_name(c), c.verdict.label())
        };
        Cell {
            graded: true,
            index,
            key,
            symbol: symbol(key),
            label: c.verdict.label(),
            tip: printable(&tip),
        }
    }

    fn not_graded(index: usize) -> Cell {
        Cell {
            graded: false,
            index,
            key: "error",
            symbol: symbol("error"),
            label: "not graded",
            tip: String::new(),
        }
    }
}

impl NotPassed {
    fn new(index: usize, c: &Checked) -> NotPassed {
        let key = c.verdict.key();
        let reason = c.verdict.reason();
        let details = c.verdict.details();
        let details = if squash(&details) == squash(&reason) {
            String::new()
        } else {
            printable(&details)
        };
        NotPassed {
            index,
            key,
            symbol: symbol(key),
            name: printable(&exercise_name(c)),
            label: c.verdict.label(),
            points: c.exercise.points,
            reason: printable(&reason),
            details,
        }
    }
}

/// The words of `text`, single-spaced: a detail that only re-indents the reason adds nothing.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl FileList {
    fn new(title: &'static str, note: &str, files: &[String]) -> FileList {
        FileList {
            title,
            note: format!(" ({}, {note}):", files.len()),
            files: files.iter().map(|file| printable(file)).collect(),
        }
    }
}
