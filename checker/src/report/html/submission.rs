//! One submission on the page (`submission.html`): its row in the grid, and the details that
//! unfold below it.

use super::{Page, exercise_name, rank};
use crate::pipeline::grade::{Graded, Submission};
use crate::pipeline::verdict::Checked;

/// Exercises with their column, as the details list them.
type Numbered<'a> = Vec<(usize, &'a Checked)>;

impl<'a> Page<'a> {
    /// The submission's name in its row: its label without the folder every label shares.
    pub(super) fn shown(&self, submission: &'a Submission) -> &'a str {
        &submission.label[self.folder.len()..]
    }

    /// How the score sorts: a submission that could not be graded sorts last.
    pub(super) fn score(&self, submission: &Submission) -> i64 {
        match &submission.outcome {
            Ok(_) => i64::from(submission.score()),
            Err(_) => -1,
        }
    }

    /// How each exercise's verdict sorts, for the script: one rank per exercise, in course
    /// order.
    pub(super) fn ranks(&self, submission: &Submission) -> String {
        let key = |i: usize| match &submission.outcome {
            Ok(graded) => graded.checked.get(i).map_or("error", |c| c.verdict.key()),
            Err(_) => "error",
        };
        (0..self.exercises.len())
            .map(|i| rank(key(i)).to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub(super) fn all_passed(&self, graded: &Graded) -> bool {
        graded.checked.iter().all(|c| c.verdict.is_passed())
    }

    /// An exercise's tooltip in the grid: its verdict and the reason.
    pub(super) fn tip(&self, c: &Checked) -> String {
        let reason = c.verdict.reason();
        if reason.is_empty() {
            format!("{}: {}", exercise_name(c), c.verdict.label())
        } else {
            format!("{}: {}: {reason}", exercise_name(c), c.verdict.label())
        }
    }

    pub(super) fn passed(&self, graded: &'a Graded) -> Numbered<'a> {
        self.numbered(graded, true)
    }

    pub(super) fn not_passed(&self, graded: &'a Graded) -> Numbered<'a> {
        self.numbered(graded, false)
    }

    fn numbered(&self, graded: &'a Graded, passed: bool) -> Numbered<'a> {
        let checked = graded.checked.iter().enumerate();
        checked
            .filter(|(_, c)| c.verdict.is_passed() == passed)
            .collect()
    }

    /// Whether the full output says more than the reason: a detail that only re-indents the
    /// reason adds nothing.
    pub(super) fn adds_to(&self, details: &str, reason: &str) -> bool {
        !details.is_empty() && squash(details) != squash(reason)
    }

    /// The files listed below the results: a title, a note, and the files.
    pub(super) fn file_lists(
        &self,
        graded: &Graded,
    ) -> [(&'static str, &'static str, Vec<String>); 3] {
        [
            (
                "Warnings",
                "tests that did not all run earn nothing",
                graded.warnings(),
            ),
            (
                "Ignored changes",
                "graded with the course's own copy",
                graded.ignored_changes.clone(),
            ),
            (
                "Missing files",
                "the starting version was graded",
                graded.missing_files.clone(),
            ),
        ]
    }
}

/// The words of `text`, single-spaced.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
