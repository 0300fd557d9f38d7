//! `checker grade`: grades submissions (see [`crate::pipeline::grade`]) and writes the report in
//! the format asked for.

use crate::commands::Format;
use crate::commands::session::{self, Context};
use crate::fatal::{Fatal, Result};
use crate::pipeline::course::Course;
use crate::pipeline::grade;
use crate::platform::limits::Limits;
use crate::platform::sandbox;
use crate::report;
use crate::report::progress::TerminalProgress;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(
    course: &Course,
    context: &Context,
    paths: &[PathBuf],
    limits: Limits,
    sandbox: sandbox::Choice,
    format: Format,
    output: Option<&Path>,
) -> Result<ExitCode> {
    if format == Format::Classroom && paths.len() != 1 {
        return Err(Fatal::new(
            "--format classroom grades one submission (a student's repository grading itself in CI); give one path or none.",
        ));
    }
    let (sandbox, isolation) = sandbox::choose(sandbox)?;
    if let sandbox::Status::Unavailable(why) = &isolation {
        session::warn(Some(sandbox::warning(why)));
    }
    let progress = TerminalProgress::new(context.show_progress);
    let submissions = grade::grade(
        course,
        paths,
        limits,
        sandbox.as_ref(),
        context.jobs,
        &progress,
    )?;
    progress.finish();
    let report = match format {
        Format::Json => report::grading::json(&submissions, &isolation),
        Format::Junit => report::junit::junit(&submissions, &isolation),
        Format::Markdown | Format::Text => report::grading::markdown(&submissions, &isolation),
        Format::Csv => report::grading::csv(&submissions),
        Format::Html => report::html::render(&submissions, &isolation),
        Format::Classroom => {
            let result = report::classroom::classroom(&submissions[0]);
            match std::env::var_os("GITHUB_OUTPUT") {
                Some(file) => {
                    append_line(Path::new(&file), &format!("result={result}"))?;
                    format!(
                        "The autograding result is in $GITHUB_OUTPUT as `result`: {}/{} points.\n",
                        submissions[0].score(),
                        report::grading::max_score(&submissions)
                    )
                }
                None => format!("{result}\n"),
            }
        }
    };
    match output {
        Some(file) => std::fs::write(file, report)
            .map_err(|e| Fatal::new(format!("cannot write {}: {e}", file.display())))?,
        None => print!("{report}"),
    }
    Ok(ExitCode::SUCCESS)
}

fn append_line(file: &Path, line: &str) -> Result<()> {
    use std::io::Write;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .and_then(|mut f| writeln!(f, "{line}"))
        .map_err(|e| Fatal::new(format!("cannot write {}: {e}", file.display())))
}
