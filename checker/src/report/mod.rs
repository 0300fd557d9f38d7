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

/// A template's text, by the name other templates call it by.
pub struct Template {
    pub name: &'static str,
    pub text: &'static str,
}

/// Fills the first of `templates` (the others are those it calls) with `view`; TinyTemplate
/// escapes every value but those marked `| unescaped`. The templates are part of the checker and
/// its tests fill every branch of them: an error here is a bug in the checker, never something
/// a submission did.
pub fn fill(templates: &[Template], view: &impl serde::Serialize) -> String {
    let mut registry = tinytemplate::TinyTemplate::new();
    for template in templates {
        if let Err(e) = registry.add_template(template.name, template.text) {
            panic!("the template `{}` does not parse: {e}", template.name);
        }
    }
    registry
        .render(templates[0].name, view)
        .unwrap_or_else(|e| {
            panic!(
                "the template `{}` does not fit its view: {e}",
                templates[0].name
            )
        })
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
