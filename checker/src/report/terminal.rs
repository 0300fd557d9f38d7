//! The report a learner reads in the terminal: progress, the course as a table, and what to do
//! next.

use super::Totals;
use crate::pipeline::course::Exercise;
use crate::pipeline::output::ui_cases;
use crate::pipeline::verdict::Checked;
use crate::pipeline::verdict::Verdict;
use crate::report::explain;
use console::{Style, measure_text_width, truncate_str};
use std::fmt::Write;

/// How the commands a learner should type are spelled.
pub const CHECKER: &str = "cargo run -p checker --";

/// The full progress report.
pub fn render(checked: &[Checked], width: usize) -> String {
    let mut out = String::new();
    let totals = Totals::of(checked);
    let _ = writeln!(
        out,
        "{} {}/{} exercises done, {}/{} points",
        Style::new().bold().apply_to("Rust concurrency:"),
        totals.done,
        totals.total,
        totals.points,
        totals.max_points
    );
    let _ = writeln!(out, "{}\n", bar(totals.done, totals.total, 40));
    out.push_str(&table(checked, width));
    match checked.iter().find(|c| !c.verdict.is_passed()) {
        Some(next) => {
            out.push('\n');
            out.push_str(&next_steps(next));
        }
        None => {
            let _ = writeln!(
                out,
                "\n{} Every exercise passes. Compare your code with the reference solutions under solutions/.",
                Style::new().green().bold().apply_to("All done!")
            );
        }
    }
    out
}

fn bar(done: usize, total: usize, cells: usize) -> String {
    let filled = (done * cells).checked_div(total).unwrap_or(0);
    let percent = (done * 100).checked_div(total).unwrap_or(0);
    format!(
        "[{}{}] {percent}%",
        Style::new().green().apply_to("#".repeat(filled)),
        "-".repeat(cells - filled)
    )
}

/// The course as a table: number, name, verdict, and one line on why.
pub fn table(checked: &[Checked], width: usize) -> String {
    let name_width = checked
        .iter()
        .map(|c| c.exercise.name.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for c in checked {
        let (mark, style) = mark(&c.verdict);
        let label = format!("{mark} {:<13}", c.verdict.label());
        let prefix = format!(
            "  {:02}  {:<name_width$}  {}  ",
            c.exercise.number, c.exercise.name, label
        );
        let room = width.saturating_sub(measure_text_width(&prefix)).max(20);
        let reason = truncate_str(&c.verdict.reason(), room, "…").into_owned();
        let _ = writeln!(
            out,
            "  {:02}  {:<name_width$}  {}  {}",
            c.exercise.number,
            c.exercise.name,
            style.apply_to(label),
            Style::new().dim().apply_to(reason)
        );
    }
    out
}

fn mark(verdict: &Verdict) -> (&'static str, Style) {
    match verdict {
        Verdict::Passed => ("✓", Style::new().green()),
        Verdict::Failed(_) | Verdict::Incomplete(_) => ("✗", Style::new().red()),
        Verdict::CompileError(_) => ("✗", Style::new().red()),
        Verdict::TimedOut(_) => ("⧗", Style::new().yellow()),
        Verdict::Crashed(_) => ("!", Style::new().magenta()),
    }
}

/// What to do about the first exercise that does not pass yet.
pub fn next_steps(next: &Checked) -> String {
    let exercise = &next.exercise;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {:02} {}: {}",
        Style::new().bold().apply_to("Next up:"),
        exercise.number,
        exercise.name,
        exercise.title
    );
    out.push_str(&why(&next.verdict));
    out.push_str(&commands(exercise));
    out
}

/// The verdict explained, indented, with the course's words for known compiler errors.
pub fn why(verdict: &Verdict) -> String {
    let mut out = String::new();
    let headline = match verdict {
        Verdict::Passed => return out,
        Verdict::Failed(f) if f.len() == 1 => "1 test fails:".to_string(),
        Verdict::Failed(f) => format!("{} tests fail:", f.len()),
        Verdict::CompileError(_) => "It does not compile yet:".to_string(),
        Verdict::TimedOut(_) => "It hangs: the tests did not finish in time.".to_string(),
        Verdict::Crashed(_) => "The tests crashed:".to_string(),
        Verdict::Incomplete(_) => "The tests did not all run:".to_string(),
    };
    let _ = writeln!(out, "\n  {headline}\n");
    for line in verdict.details().lines() {
        let _ = writeln!(out, "    {}", emphasised(line));
    }
    if let Verdict::CompileError(error) = verdict {
        if let Some(explanation) = explain::explain(error) {
            let _ = writeln!(
                out,
                "\n  {} {explanation}",
                Style::new().cyan().bold().apply_to("What this means here:")
            );
        }
        if let Some(code) = &error.code {
            let _ = writeln!(out, "  More: rustc --explain {code}");
        }
    }
    out
}

/// A timeout's diagnosis stands out: its header, and its conclusions (a lock-order cycle, a
/// Sender still alive), which say what to fix.
fn emphasised(line: &str) -> String {
    let text = line.trim_start();
    if text.starts_with(testkit::diagnose::HEADER) {
        Style::new().bold().apply_to(line).to_string()
    } else if text.starts_with(testkit::diagnose::CONCLUSION) {
        Style::new().yellow().apply_to(line).to_string()
    } else {
        line.to_string()
    }
}

fn commands(exercise: &Exercise) -> String {
    let dim = Style::new().dim();
    format!(
        "\n  {} {}/README.md\n  {} {CHECKER} check {}\n  {} {CHECKER} hint {}\n",
        dim.apply_to("Lesson: "),
        exercise.dir.display(),
        dim.apply_to("Re-run: "),
        exercise.name,
        dim.apply_to("Stuck?  "),
        exercise.name
    )
}

/// `list`: the course with each exercise's status, points and title.
pub fn list(checked: &[Checked]) -> String {
    let current = checked.iter().position(|c| !c.verdict.is_passed());
    let name_width = checked
        .iter()
        .map(|c| c.exercise.name.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (index, c) in checked.iter().enumerate() {
        let (status, style) = if c.verdict.is_passed() {
            ("done", Style::new().green())
        } else if Some(index) == current {
            ("current", Style::new().yellow().bold())
        } else {
            ("pending", Style::new().dim())
        };
        let _ = writeln!(
            out,
            "  {:02}  {:<name_width$}  {}  {:>2}/{:<2} pts  {}",
            c.exercise.number,
            c.exercise.name,
            style.apply_to(format!("{status:<7}")),
            c.points(),
            c.exercise.points,
            c.exercise.title
        );
    }
    let totals = Totals::of(checked);
    let _ = writeln!(
        out,
        "\n  {}/{} done, {}/{} points",
        totals.done, totals.total, totals.points, totals.max_points
    );
    out
}

/// One exercise's verdict in one line, with one verdict word, as `check` and `watch` show it:
/// `✗ failed 02 fails: Fails`.
pub fn verdict_line(checked: &Checked) -> String {
    let (mark, colour) = if checked.verdict.is_passed() {
        ("✓", Style::new().green().bold())
    } else {
        ("✗", Style::new().red().bold())
    };
    let exercise = &checked.exercise;
    format!(
        "{} {:02} {}: {}",
        colour.apply_to(format!("{mark} {}", checked.verdict.label())),
        exercise.number,
        exercise.name,
        exercise.title
    )
}

/// `check`'s report: every test binary's full output, then the verdict and what to do.
pub fn check(checked: &Checked) -> String {
    let mut out = String::new();
    for run in &checked.runs {
        out.push_str(&run.stdout);
        out.push_str(&run.stderr);
    }
    let exercise = &checked.exercise;
    let _ = writeln!(out, "\n{}", verdict_line(checked));
    if checked.verdict.is_passed() {
        for note in checked
            .runs
            .iter()
            .flat_map(|run| ui_cases::tolerance_notes(&run.stderr))
        {
            let _ = writeln!(
                out,
                "  Note: {note}. The case still shows what it is about."
            );
        }
        let _ = writeln!(
            out,
            "  Well done! Compare with the reference solution: {CHECKER} solution {}",
            exercise.name
        );
    } else {
        out.push_str(&why(&checked.verdict));
        let _ = writeln!(out, "\n  Stuck? {CHECKER} hint {}", exercise.name);
    }
    out
}
