//! `checker` with no command (the course, its progress and the next step) and `checker list`
//! (each exercise's status, points and title): the whole course, checked.

use crate::commands::Format;
use crate::commands::session::Context;
use crate::fatal::Result;
use crate::pipeline::course::Course;
use crate::pipeline::verdict::Checked;
use crate::report;
use std::process::ExitCode;

/// `checker`: progress, the course as a table, and what to do next.
pub fn overview(course: &Course, context: &Context, format: Format) -> Result<ExitCode> {
    show(course, context, format, |checked| {
        report::terminal::render(checked, terminal_width())
    })
}

/// `checker list`.
pub fn list(course: &Course, context: &Context, format: Format) -> Result<ExitCode> {
    show(course, context, format, report::terminal::list)
}

fn show(
    course: &Course,
    context: &Context,
    format: Format,
    text: impl Fn(&[Checked]) -> String,
) -> Result<ExitCode> {
    let checked = context.check(course, &course.exercises.iter().collect::<Vec<_>>())?;
    match format {
        Format::Json => println!("{}", report::json::render(&checked)),
        _ => print!("{}", text(&checked)),
    }
    Ok(ExitCode::SUCCESS)
}

fn terminal_width() -> usize {
    console::Term::stdout()
        .size_checked()
        .map_or(120, |(_, columns)| columns as usize)
}
