//! Reports made from verdicts. Reporters know nothing of cargo or of processes.

pub mod classroom;
pub mod explain;
pub mod grading;
pub mod html;
pub mod json;
pub mod junit;
pub mod progress;
pub mod terminal;

use crate::pipeline::verdict::Checked;

/// Totals over a set of checked exercises.
pub struct Totals {
    pub done: usize,
    pub total: usize,
    pub points: u32,
    pub max_points: u32,
}

impl Totals {
    pub fn of(checked: &[Checked]) -> Totals {
        Totals {
            done: checked.iter().filter(|c| c.verdict.is_passed()).count(),
            total: checked.len(),
            points: checked.iter().map(Checked::points).sum(),
            max_points: checked.iter().map(|c| c.exercise.points).sum(),
        }
    }
}

/// `text` without what XML 1.0 and HTML do not allow, even escaped: a terminal's escape sequences are
/// taken out, and other control characters but tab and line breaks become `?`.
pub fn printable(text: &str) -> String {
    console::strip_ansi_codes(text)
        .chars()
        .map(|c| {
            if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') {
                '?'
            } else {
                c
            }
        })
        .collect()
}
