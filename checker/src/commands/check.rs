//! `checker check`: one exercise, with its full test output; exit 0 if it passes.

use crate::commands::Format;
use crate::commands::session::Context;
use crate::fatal::Result;
use crate::pipeline::course::Course;
use crate::report;
use std::process::ExitCode;

pub fn run(course: &Course, context: &Context, exercise: &str, format: Format) -> Result<ExitCode> {
    let exercise = course.find(exercise)?;
    let checked = context.check(course, &[exercise])?;
    let checked = &checked[0];
    match format {
        Format::Json => println!("{}", report::json::render(std::slice::from_ref(checked))),
        _ => print!("{}", report::terminal::check(checked)),
    }
    Ok(if checked.verdict.is_passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
