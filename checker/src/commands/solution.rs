//! `checker solution`: the reference solution, shown once the learner's own passes (comparing
//! is where a lot of the learning happens; peeking before is a choice they make with --force).

use crate::commands::session::Context;
use crate::fatal::{Fatal, Result};
use crate::pipeline::course::{Course, Exercise};
use crate::platform::files;
use crate::report::terminal::CHECKER;
use std::fs;
use std::path::Path;
use std::process::ExitCode;

/// Shows the solution, unless the learner's own does not pass yet and they did not `force` it.
pub fn run(course: &Course, context: &Context, exercise: &str, force: bool) -> Result<ExitCode> {
    let exercise = course.find(exercise)?;
    if !force && !context.check(course, &[exercise])?[0].verdict.is_passed() {
        print!("{}", refusal(exercise));
        return Ok(ExitCode::FAILURE);
    }
    print!("{}", render(course, exercise)?);
    Ok(ExitCode::SUCCESS)
}

/// Every file of the exercise's solution, with its path, as text.
pub fn render(course: &Course, exercise: &Exercise) -> Result<String> {
    let folder = Path::new("solutions").join(exercise.folder());
    let files = files::files_below(&course.root.join(&folder), &[])?;
    if files.is_empty() {
        return Err(Fatal::new(format!(
            "{} has no solution files.",
            folder.display()
        )));
    }
    let mut out = String::new();
    for file in files {
        let relative = folder.join(file);
        let text = fs::read_to_string(course.root.join(&relative))
            .map_err(|e| Fatal::new(format!("cannot read {}: {e}", relative.display())))?;
        out.push_str(&format!("==> {} <==\n{text}\n", relative.display()));
    }
    Ok(out)
}

pub fn refusal(exercise: &Exercise) -> String {
    format!(
        "`{}` does not pass yet, so its solution stays hidden: working it out is the point.\n  Try a hint first: {CHECKER} hint {}\n  Or, if you really want to look now: {CHECKER} solution {} --force\n",
        exercise.name, exercise.name, exercise.name
    )
}
