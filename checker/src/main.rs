//! The course's checker: builds and runs every exercise's tests and shows where you stand.
//! See the README's architecture section for how the modules fit together.

mod compile;
mod course;
mod explain;
mod fatal;
mod libtest;
mod pipeline;
mod process;
mod progress;
mod report;
mod runner;
mod verdict;
mod verify;

use clap::{Parser, Subcommand, ValueEnum};
use console::Style;
use course::Course;
use fatal::{Fatal, Result};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "checker",
    about = "Checks your Rust concurrency exercises and shows what to do next.",
    after_help = "Run with no command to see your progress through the whole course."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// The course's folder (default: the one around the current directory).
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    /// How many exercises to test at once (default: the number of cores).
    #[arg(long, short, global = true, value_name = "N")]
    jobs: Option<usize>,
    /// When to use colours. NO_COLOR in the environment means never, unless this says always.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// The report's format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Subcommand)]
enum Command {
    /// Check one exercise and show its full test output (exit 0 if it passes).
    Check {
        /// The exercise: its name (spawn_join), folder (01_spawn_join) or number (1).
        exercise: String,
    },
    /// Show the hints for an exercise, one level at a time.
    Hint {
        exercise: String,
        /// Show hints up to this level (1 is the gentlest).
        #[arg(long, value_name = "N")]
        level: Option<usize>,
    },
    /// For course authors: prove that every exercise fails as shipped and passes with its
    /// solution, the same way every time.
    Verify {
        /// How many times to run each exercise in each state.
        #[arg(long, default_value_t = 1, value_name = "N")]
        repeat: usize,
        /// The folder of solutions to overlay (default: solutions/).
        #[arg(long, value_name = "DIR")]
        solutions: Option<PathBuf>,
        /// Only these exercises (default: all).
        exercises: Vec<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    configure_colours(cli.color);
    process::group::kill_children_on_interrupt();
    match run(&cli) {
        Ok(code) => code,
        Err(fatal) => {
            eprintln!(
                "{} {fatal}",
                Style::new().red().bold().for_stderr().apply_to("error:")
            );
            ExitCode::from(2)
        }
    }
}

fn configure_colours(choice: ColorChoice) {
    let enabled = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    if !enabled {
        console::set_colors_enabled(false);
        console::set_colors_enabled_stderr(false);
    } else if matches!(choice, ColorChoice::Always) {
        console::set_colors_enabled(true);
        console::set_colors_enabled_stderr(true);
    }
}

fn run(cli: &Cli) -> Result<ExitCode> {
    let root = match &cli.root {
        Some(root) => root.clone(),
        None => find_root()?,
    };
    let course = Course::load(&root)?;
    let jobs = cli
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let show_progress = std::io::stderr().is_terminal();
    match &cli.command {
        None => {
            let progress = progress::TerminalProgress::new(show_progress);
            let exercises: Vec<_> = course.exercises.iter().collect();
            let checked = pipeline::check(&course, &exercises, jobs, &progress)?;
            progress.finish();
            match cli.format {
                Format::Json => println!("{}", report::json::render(&checked)),
                Format::Text => print!("{}", report::terminal::render(&checked, terminal_width())),
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Check { exercise }) => {
            let exercise = course.find(exercise)?;
            let progress = progress::TerminalProgress::new(show_progress);
            let checked = pipeline::check(&course, &[exercise], jobs, &progress)?;
            progress.finish();
            let checked = &checked[0];
            match cli.format {
                Format::Json => println!("{}", report::json::render(std::slice::from_ref(checked))),
                Format::Text => print!("{}", check_report(checked)),
            }
            Ok(if checked.verdict.is_passed() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Some(Command::Hint { exercise, level }) => {
            let exercise = course.find(exercise)?;
            print!("{}", hints(exercise, level.unwrap_or(1))?);
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Verify {
            repeat,
            solutions,
            exercises,
        }) => {
            let progress = progress::TerminalProgress::new(show_progress);
            let options = verify::Options {
                repeat: *repeat,
                jobs,
                solutions: solutions.clone().unwrap_or_else(|| root.join("solutions")),
                only: exercises.clone(),
            };
            let holds = verify::verify(&course, &options, &progress)?;
            progress.finish();
            Ok(if holds {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
    }
}

/// The course is the nearest folder, from here upwards, with `exercises/` and a `Cargo.toml`.
fn find_root() -> Result<PathBuf> {
    let here = std::env::current_dir()
        .map_err(|e| Fatal::new(format!("cannot tell the current directory: {e}")))?;
    let mut dir: &Path = &here;
    loop {
        if dir.join("exercises").is_dir() && dir.join("Cargo.toml").is_file() {
            return Ok(dir.to_path_buf());
        }
        dir = dir.parent().ok_or_else(|| {
            Fatal::new(format!(
                "{} is not inside the course (no folder with `exercises/` and `Cargo.toml` above it).\n  cd into the course, or pass --root DIR.",
                here.display()
            ))
        })?;
    }
}

fn terminal_width() -> usize {
    console::Term::stdout()
        .size_checked()
        .map_or(120, |(_, columns)| columns as usize)
}

/// `check`'s report: the verdict, its explanation, and every test binary's full output.
fn check_report(checked: &pipeline::Checked) -> String {
    let mut out = String::new();
    for run in &checked.runs {
        out.push_str(&run.stdout);
        out.push_str(&run.stderr);
    }
    let exercise = &checked.exercise;
    let (mark, colour) = if checked.verdict.is_passed() {
        ("✓", Style::new().green().bold())
    } else {
        ("✗", Style::new().red().bold())
    };
    out.push_str(&format!(
        "\n{} {:02} {}: {}\n",
        colour.apply_to(format!("{mark} {}", checked.verdict.label())),
        exercise.number,
        exercise.name,
        exercise.title
    ));
    if checked.verdict.is_passed() {
        out.push_str(&format!(
            "  Well done! Compare with the reference: solutions/{}/\n",
            exercise.folder()
        ));
    } else {
        out.push_str(&report::terminal::why(&checked.verdict));
        out.push_str(&format!(
            "\n  Stuck? {} hint {}\n",
            report::terminal::CHECKER,
            exercise.name
        ));
    }
    out
}

/// Hints up to `level`, the last one marked as the newest.
fn hints(exercise: &course::Exercise, level: usize) -> Result<String> {
    let count = exercise.hints.len();
    if level == 0 || level > count {
        return Err(Fatal::new(format!(
            "`{}` has hints 1 to {count}; --level {level} is not one of them.",
            exercise.name
        )));
    }
    let mut out = format!(
        "Hints for {:02} {}: {}\n",
        exercise.number, exercise.name, exercise.title
    );
    for (index, hint) in exercise.hints.iter().take(level).enumerate() {
        out.push_str(&format!("\n  {}/{count}  {hint}\n", index + 1));
    }
    if level < count {
        out.push_str(&format!(
            "\nWant more? {} hint {} --level {}\n",
            report::terminal::CHECKER,
            exercise.name,
            level + 1
        ));
    } else {
        out.push_str("\nThat was the last hint. The lesson is in the exercise's README.md.\n");
    }
    Ok(out)
}
