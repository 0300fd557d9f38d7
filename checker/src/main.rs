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
use commands::{Format, hint, session};
use console::Style;
use fatal::{Fatal, Result};
use pipeline::course::Course;
use platform::limits::Limits;
use platform::{process, sandbox};
use std::io::IsTerminal;
use std::path::PathBuf;
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
        None => Course::find_root()?,
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
        None => commands::status::overview(&course, &context, cli.format),
        Some(Command::Watch { poll }) => {
            commands::watch::run(&course, &context, *poll).map(|()| ExitCode::SUCCESS)
        }
        Some(Command::List) => commands::status::list(&course, &context, cli.format),
        Some(Command::Check { exercise }) => {
            commands::check::run(&course, &context, exercise, cli.format)
        }
        Some(Command::Hint {
            exercise,
            level,
            all,
        }) => {
            let ask = match (level, all) {
                (_, true) => hint::Ask::All,
                (Some(level), _) => hint::Ask::Level(*level),
                (None, false) => hint::Ask::Next,
            };
            hint::run(&course, exercise, ask)
        }
        Some(Command::Solution { exercise, force }) => {
            commands::solution::run(&course, &context, exercise, *force)
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
            let sandbox = match sandbox {
                SandboxChoice::Auto => sandbox::Choice::Auto,
                SandboxChoice::Require => sandbox::Choice::Require,
                SandboxChoice::Off => sandbox::Choice::Off,
            };
            let limits = Limits::for_untrusted_code(memory_mb << 20);
            commands::grade::run(
                &course,
                &context,
                &paths,
                limits,
                sandbox,
                cli.format,
                output.as_deref(),
            )
        }
        Some(Command::Reset { exercise, yes }) => commands::reset::run(&course, exercise, *yes),
        Some(Command::Verify {
            repeat,
            solutions,
            wrong_solutions,
            no_wrong_solutions,
            exercises,
            record_shipped,
        }) => {
            if *record_shipped {
                return verify::record_shipped(&course);
            }
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
            verify::run(&course, &context, &options)
        }
    }
}
