//! The course's checker: builds and runs every exercise's tests and shows where you stand.
//! See the README's architecture section for how the modules fit together.

mod commands;
mod fatal;
mod pipeline;
mod platform;
mod report;
mod state;

use clap::{Parser, Subcommand, ValueEnum};
use commands::verify::{self, mistakes};
use commands::{hint, reset, session, solution, watch};
use console::Style;
use fatal::{Fatal, Result};
use pipeline::course::Course;
use pipeline::grade;
use platform::{process, sandbox};
use report::progress;
use state::shipped;
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
    /// Build and run every exercise asked for, even those whose verdict is remembered.
    #[arg(long, global = true)]
    no_cache: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Check one exercise and show its full test output (exit 0 if it passes).
    Check {
        /// The exercise: its name (spawn_join), folder (01_spawn_join) or number (1).
        exercise: String,
    },
    /// Check the current exercise again on every save, with keys for hints and more.
    Watch {
        /// Poll for changes instead of waiting for the OS to report them (for network or WSL
        /// folders, where change events may not arrive).
        #[arg(long)]
        poll: bool,
    },
    /// List the course: each exercise's status (done, current, pending), points and title.
    List,
    /// Show the next hint for an exercise (each call shows one more).
    Hint {
        exercise: String,
        /// Show hints up to this level (1 is the gentlest).
        #[arg(long, value_name = "N", conflicts_with = "all")]
        level: Option<usize>,
        /// Show every hint.
        #[arg(long)]
        all: bool,
    },
    /// Show the reference solution of an exercise you have solved.
    Solution {
        exercise: String,
        /// Show it even though your exercise does not pass yet.
        #[arg(long)]
        force: bool,
    },
    /// For instructors: grade submissions (copies of the course) against the course's own
    /// tests, taking only the learner's files from each.
    Grade {
        /// Submissions to grade (default: this workspace).
        paths: Vec<PathBuf>,
        /// Write the report to this file instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The memory (address space) each test process may use, in MiB.
        #[arg(long, default_value_t = 4096, value_name = "MIB")]
        memory_mb: u64,
        /// Build and test each submission in a sandbox (bubblewrap, Linux): no network, none
        /// of your files. `auto` uses it where it works and warns where it does not;
        /// `require` refuses to grade without it.
        #[arg(long, value_enum, default_value_t = SandboxChoice::Auto, value_name = "WHEN")]
        sandbox: SandboxChoice,
    },
    /// Put an exercise's files back as the course shipped them (your version is backed up).
    Reset {
        exercise: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
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
        /// The folder of wrong solutions to prove failing (default: checker/tests/wrong_solutions/).
        #[arg(long, value_name = "DIR", conflicts_with = "no_wrong_solutions")]
        wrong_solutions: Option<PathBuf>,
        /// Prove only the shipped and solved states, not the wrong solutions.
        #[arg(long)]
        no_wrong_solutions: bool,
        /// Only these exercises (default: all).
        exercises: Vec<String>,
        /// Record what each learner file holds now as its shipped version (shipped.txt, which
        /// `reset` restores from), after changing a shipped file, and verify nothing else.
        #[arg(long)]
        record_shipped: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum SandboxChoice {
    Auto,
    Require,
    Off,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
    /// `grade` only: JUnit XML.
    Junit,
    /// `grade` only.
    Markdown,
    /// `grade` only.
    Csv,
    /// `grade` only: one self-contained page.
    Html,
    /// `grade` only: GitHub Classroom's autograding result, written to $GITHUB_OUTPUT.
    Classroom,
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
    let grading = matches!(cli.command, Some(Command::Grade { .. }));
    if !grading && !matches!(cli.format, Format::Text | Format::Json) {
        return Err(Fatal::new(
            "--format junit, markdown, csv, html and classroom are reports of `grade`; other commands give text or json.",
        ));
    }
    let context = session::Context {
        jobs: cli
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())),
        show_progress: std::io::stderr().is_terminal() && cli.format == Format::Text,
        use_cache: !cli.no_cache,
    };
    match &cli.command {
        None => {
            let checked = context.check(&course, &course.exercises.iter().collect::<Vec<_>>())?;
            match cli.format {
                Format::Json => println!("{}", report::json::render(&checked)),
                _ => print!("{}", report::terminal::render(&checked, terminal_width())),
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Watch { poll }) => {
            watch::run(&course, &context, *poll)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::List) => {
            let checked = context.check(&course, &course.exercises.iter().collect::<Vec<_>>())?;
            match cli.format {
                Format::Json => println!("{}", report::json::render(&checked)),
                _ => print!("{}", report::terminal::list(&checked)),
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Check { exercise }) => {
            let exercise = course.find(exercise)?;
            let checked = context.check(&course, &[exercise])?;
            let checked = &checked[0];
            match cli.format {
                Format::Json => println!("{}", report::json::render(std::slice::from_ref(checked))),
                _ => print!("{}", report::terminal::check(checked)),
            }
            Ok(if checked.verdict.is_passed() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Some(Command::Hint {
            exercise,
            level,
            all,
        }) => {
            let exercise = course.find(exercise)?;
            let (mut state, note) = state::State::load(&course.state_dir());
            session::warn(note);
            let ask = match (level, all) {
                (_, true) => hint::Ask::All,
                (Some(level), _) => hint::Ask::Level(*level),
                (None, false) => hint::Ask::Next,
            };
            print!("{}", hint::show(exercise, ask, &mut state)?);
            if let Err(e) = state.save() {
                session::warn(Some(format!("could not remember the hint level: {e}")));
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Solution { exercise, force }) => {
            let exercise = course.find(exercise)?;
            if !force && !context.check(&course, &[exercise])?[0].verdict.is_passed() {
                print!("{}", solution::refusal(exercise));
                return Ok(ExitCode::FAILURE);
            }
            print!("{}", solution::render(&course, exercise)?);
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Grade {
            paths,
            output,
            memory_mb,
            sandbox,
        }) => {
            let paths = if paths.is_empty() {
                vec![root.clone()]
            } else {
                paths.clone()
            };
            if cli.format == Format::Classroom && paths.len() != 1 {
                return Err(Fatal::new(
                    "--format classroom grades one submission (a student's repository grading itself in CI); give one path or none.",
                ));
            }
            let (sandbox, isolation) = sandbox::choose(match sandbox {
                SandboxChoice::Auto => sandbox::Choice::Auto,
                SandboxChoice::Require => sandbox::Choice::Require,
                SandboxChoice::Off => sandbox::Choice::Off,
            })?;
            if let sandbox::Status::Unavailable(why) = &isolation {
                session::warn(Some(sandbox::warning(why)));
            }
            let progress = progress::TerminalProgress::new(context.show_progress);
            let limits = platform::limits::Limits::for_untrusted_code(memory_mb << 20);
            let submissions = grade::grade(
                &course,
                &paths,
                limits,
                sandbox.as_ref(),
                context.jobs,
                &progress,
            )?;
            progress.finish();
            let report = match cli.format {
                Format::Json => report::grading::json(&submissions, &isolation),
                Format::Junit => report::grading::junit(&submissions, &isolation),
                Format::Markdown | Format::Text => {
                    report::grading::markdown(&submissions, &isolation)
                }
                Format::Csv => report::grading::csv(&submissions),
                Format::Html => report::html::render(&submissions, &isolation),
                Format::Classroom => {
                    let result = report::grading::classroom(&submissions[0]);
                    match std::env::var_os("GITHUB_OUTPUT") {
                        Some(file) => {
                            append_line(Path::new(&file), &format!("result={result}"))?;
                            format!(
                                "The autograding result is in $GITHUB_OUTPUT as `result`: {}/{} points.\n",
                                submissions[0].score(),
                                report_max(&submissions)
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
        Some(Command::Reset { exercise, yes }) => {
            let exercise = course.find(exercise)?;
            let plan = reset::plan(&course, exercise)?;
            if plan.is_empty() {
                println!("`{}` is already as the course shipped it.", exercise.name);
                return Ok(ExitCode::SUCCESS);
            }
            println!("This puts back the starting version of:");
            for restore in &plan {
                println!(
                    "  {} (as shipped: git blob {:.10})",
                    restore.path.display(),
                    restore.blob
                );
            }
            if !yes && !confirm("Replace your version? A backup is kept. [y/N] ") {
                println!("Nothing was changed.");
                return Ok(ExitCode::FAILURE);
            }
            let backup = reset::apply(&course, &plan)?;
            println!(
                "Done. Your version is backed up in {}",
                backup
                    .strip_prefix(&course.root)
                    .unwrap_or(&backup)
                    .display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Verify {
            repeat,
            solutions,
            wrong_solutions,
            no_wrong_solutions,
            exercises,
            record_shipped,
        }) => {
            if *record_shipped {
                let count = shipped::record(&course)?;
                println!(
                    "Recorded the shipped version of {count} learner files in {}.",
                    shipped::MANIFEST
                );
                return Ok(ExitCode::SUCCESS);
            }
            let problems = shipped::problems(&course)?;
            if !problems.is_empty() {
                println!(
                    "verify: {} is out of date, so `reset` would not restore the files as shipped:",
                    shipped::MANIFEST
                );
                for problem in problems {
                    println!("  {problem}");
                }
                println!(
                    "If the exercises as they are now are the ones to ship, record them: {}",
                    shipped::RECORD
                );
                return Ok(ExitCode::FAILURE);
            }
            let progress = progress::TerminalProgress::new(context.show_progress);
            let options = verify::Options {
                repeat: *repeat,
                jobs: context.jobs,
                solutions: solutions.clone().unwrap_or_else(|| root.join("solutions")),
                only: exercises.clone(),
                wrong_solutions: (!no_wrong_solutions).then(|| {
                    wrong_solutions
                        .clone()
                        .unwrap_or_else(|| root.join(mistakes::FOLDER))
                }),
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

fn report_max(submissions: &[grade::Submission]) -> u32 {
    submissions
        .iter()
        .find_map(|s| s.outcome.as_ref().ok())
        .map_or(0, |g| g.checked.iter().map(|c| c.exercise.points).sum())
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

/// Asks a yes/no question on the terminal; anything but "y" or "yes" is a no.
fn confirm(question: &str) -> bool {
    use std::io::Write;
    print!("{question}");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().read_line(&mut answer);
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
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
