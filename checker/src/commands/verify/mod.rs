//! `checker verify`: proves the course. In a copy of the workspace, every exercise must fail as
//! shipped and pass with its solution overlaid, and every wrong solution (see [`mistakes`])
//! must fail with its recorded verdict and message, the same way on every one of N runs.

pub mod mistakes;

use crate::commands::session::Context;
use crate::commands::verify::mistakes::Mistake;
use crate::fatal::{Fatal, Result};
use crate::pipeline::compile;
use crate::pipeline::course::{Course, Exercise};
use crate::pipeline::verdict::Verdict;
use crate::pipeline::{self, Progress};
use crate::platform::files;
use crate::report::progress::TerminalProgress;
use crate::state::shipped;
use console::Style;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub struct Options {
    pub repeat: usize,
    pub jobs: usize,
    /// Where the solutions are (normally `solutions/`): alternative solutions are checked by
    /// pointing this elsewhere.
    pub solutions: PathBuf,
    /// Only these exercises (all when empty).
    pub only: Vec<String>,
    /// Where the wrong solutions are (normally `checker/tests/wrong_solutions/`), or `None` to
    /// leave them out.
    pub wrong_solutions: Option<PathBuf>,
}

/// `verify --record-shipped`: records what each learner file holds now as its shipped version.
pub fn record_shipped(course: &Course) -> Result<ExitCode> {
    let count = shipped::record(course)?;
    println!(
        "Recorded the shipped version of {count} learner files in {}.",
        shipped::MANIFEST
    );
    Ok(ExitCode::SUCCESS)
}

/// `verify`: first that shipped.txt is up to date, then the proof itself.
pub fn run(course: &Course, context: &Context, options: &Options) -> Result<ExitCode> {
    let problems = shipped::problems(course)?;
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
    let progress = TerminalProgress::new(context.show_progress);
    let holds = verify(course, options, &progress)?;
    progress.finish();
    Ok(if holds {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// How one exercise behaved over the runs of one state.
#[derive(Default)]
struct Tally {
    /// Verdict label -> how many runs gave it.
    counts: BTreeMap<&'static str, usize>,
    passed: usize,
    runs: usize,
    /// The reason of the first run that disagreed with what was wanted.
    example: Option<String>,
}

impl Tally {
    fn add(&mut self, verdict: &Verdict, wanted_pass: bool) {
        *self.counts.entry(verdict.label()).or_default() += 1;
        self.runs += 1;
        if verdict.is_passed() {
            self.passed += 1;
        }
        if verdict.is_passed() != wanted_pass && self.example.is_none() {
            self.example = Some(verdict.reason());
        }
    }

    fn describe(&self) -> String {
        self.counts
            .iter()
            .map(|(label, n)| format!("{label} ×{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Runs the verification and prints its table; `Ok(true)` when every exercise holds.
pub fn verify(course: &Course, options: &Options, progress: &dyn Progress) -> Result<bool> {
    let selected: Vec<&Exercise> = if options.only.is_empty() {
        course.exercises.iter().collect()
    } else {
        options
            .only
            .iter()
            .map(|name| course.find(name))
            .collect::<Result<_>>()?
    };
    // A target dir of its own, kept between runs so that dependencies build once. Not the
    // course's: cargo names a member's artifacts by its path inside the workspace, so the copy's
    // solved builds would land on the course's own files, and cargo could take them as fresh.
    let target_dir = course.effective_target_dir().join("checker-verify");
    let copy_root = files::scratch_folder("verify", &course.root);
    copy_course(&course.root, &copy_root)?;
    let mut copy = Course::load(&copy_root)?;
    copy.target_dir = Some(target_dir);
    copy.diagnose_hangs = false;
    let in_copy: Vec<&Exercise> = selected
        .iter()
        .map(|e| copy.find(&e.name))
        .collect::<Result<_>>()?;

    let shipped = run_state(&copy, &in_copy, options, false, progress)?;
    let mut missing_solutions = Vec::new();
    for exercise in &in_copy {
        let solution = options.solutions.join(exercise.folder());
        if solution.is_dir() {
            files::copy_tree(&solution, &copy_root.join(&exercise.dir), &[])?;
        } else {
            missing_solutions.push(exercise.name.clone());
        }
    }
    let solved = run_state(&copy, &in_copy, options, true, progress)?;

    let mut all_hold = true;
    let name_width = in_copy.iter().map(|e| e.name.len()).max().unwrap_or(0);
    for exercise in &in_copy {
        let before = &shipped[&exercise.name];
        let after = &solved[&exercise.name];
        let problem = if missing_solutions.contains(&exercise.name) {
            Some(format!(
                "no solution at {}",
                options.solutions.join(exercise.folder()).display()
            ))
        } else if before.passed == before.runs {
            Some("passes as shipped: its tests do not test the task".to_string())
        } else if before.passed > 0 {
            Some("FLAKY as shipped: passed on some runs".to_string())
        } else if after.passed == 0 {
            Some(format!(
                "the solution fails: {}",
                after.example.clone().unwrap_or_default()
            ))
        } else if after.passed < after.runs {
            Some(format!(
                "FLAKY with the solution: {}",
                after.example.clone().unwrap_or_default()
            ))
        } else {
            None
        };
        let status = match &problem {
            None => Style::new().green().apply_to("ok".to_string()),
            Some(p) => {
                all_hold = false;
                Style::new().red().apply_to(p.clone())
            }
        };
        println!(
            "  {:02}  {:<name_width$}  shipped: {:<24} solved: {:<24} {status}",
            exercise.number,
            exercise.name,
            before.describe(),
            after.describe()
        );
    }
    let broken = in_copy.len()
        - in_copy
            .iter()
            .filter(|e| {
                let (b, a) = (&shipped[&e.name], &solved[&e.name]);
                b.passed == 0 && a.passed == a.runs && !missing_solutions.contains(&e.name)
            })
            .count();
    if all_hold {
        let what_holds = match in_copy.len() {
            1 => "the exercise fails as shipped and passes with its solution".to_string(),
            n => format!("all {n} exercises fail as shipped and pass with their solutions"),
        };
        println!(
            "\nverify: {what_holds} ({} run{} each).",
            options.repeat,
            if options.repeat == 1 { "" } else { "s" }
        );
    } else {
        println!(
            "\nverify: {broken} of {} exercise{} {} not hold (see above).",
            in_copy.len(),
            if in_copy.len() == 1 { "" } else { "s" },
            if broken == 1 { "does" } else { "do" }
        );
    }
    let mistakes_hold = match &options.wrong_solutions {
        Some(folder) => {
            let mistakes: Vec<Mistake> = mistakes::load(folder)?
                .into_iter()
                .filter(|m| in_copy.iter().any(|e| e.folder() == m.exercise_folder))
                .collect();
            verify_mistakes(&copy, &in_copy, &mistakes, options, progress)?
        }
        None => true,
    };
    Ok(all_hold && mistakes_hold)
}

/// Runs every wrong solution `repeat` times and prints a row for each; `Ok(true)` when each one
/// got its recorded verdict and phrase on every run. They go in rounds, each exercise's first
/// mistake together, then each one's second, and so on, so that each round is one build.
fn verify_mistakes(
    copy: &Course,
    exercises: &[&Exercise],
    mistakes: &[Mistake],
    options: &Options,
    progress: &dyn Progress,
) -> Result<bool> {
    if mistakes.is_empty() {
        return Ok(true);
    }
    let mut problems: BTreeMap<(String, String), Option<String>> = BTreeMap::new();
    let mut counts: BTreeMap<(String, String), Tally> = BTreeMap::new();
    for round in 0.. {
        let mut in_round: Vec<(&Exercise, &Mistake)> = Vec::new();
        for exercise in exercises {
            let folder = exercise.folder();
            if let Some(mistake) = mistakes
                .iter()
                .filter(|m| m.exercise_folder == folder)
                .nth(round)
            {
                in_round.push((exercise, mistake));
            }
        }
        if in_round.is_empty() {
            break;
        }
        for (exercise, mistake) in &in_round {
            // From the solved state, so that a wrong solution that leaves out a learner file
            // gets the solution's, not the previous round's.
            let into = copy.root.join(&exercise.dir);
            let solution = options.solutions.join(exercise.folder());
            if solution.is_dir() {
                files::copy_tree(&solution, &into, &[])?;
            }
            files::copy_tree(&mistake.dir, &into, &["mistake.toml"])?;
        }
        let round_exercises: Vec<&Exercise> = in_round.iter().map(|(e, _)| *e).collect();
        let built = compile::build(copy, &round_exercises, progress, &|_, _| {})?;
        for _ in 0..options.repeat.max(1) {
            for checked in
                pipeline::run_built(copy, &round_exercises, &built, options.jobs, None, progress)
            {
                let (_, mistake) = in_round
                    .iter()
                    .find(|(e, _)| e.name == checked.exercise.name)
                    .expect("a checked exercise is in the round");
                let key = (mistake.exercise_folder.clone(), mistake.name.clone());
                counts
                    .entry(key.clone())
                    .or_default()
                    .add(&checked.verdict, false);
                let problem = problems.entry(key).or_default();
                if problem.is_none() {
                    *problem = mistake.disagreement(&checked.verdict);
                }
            }
        }
    }
    // Back to the solved state, as the copy was before.
    for exercise in exercises {
        let solution = options.solutions.join(exercise.folder());
        if solution.is_dir() {
            files::copy_tree(&solution, &copy.root.join(&exercise.dir), &[])?;
        }
    }

    println!(
        "
  wrong solutions: each must fail, with a message that names the mistake"
    );
    let width = mistakes
        .iter()
        .map(|m| m.exercise_folder.len() + m.name.len() + 1)
        .max()
        .unwrap_or(0);
    let mut failing = 0;
    for mistake in mistakes {
        let key = (mistake.exercise_folder.clone(), mistake.name.clone());
        let status = match problems.get(&key).cloned().flatten() {
            None => Style::new().green().apply_to("ok".to_string()),
            Some(problem) => {
                failing += 1;
                Style::new()
                    .red()
                    .apply_to(format!("does not hold ({}): {problem}", mistake.mistake))
            }
        };
        println!(
            "  {:<width$}  {:<24} {status}",
            format!("{}/{}", mistake.exercise_folder, mistake.name),
            counts.get(&key).map(Tally::describe).unwrap_or_default()
        );
    }
    if failing == 0 {
        println!(
            "\nverify: all {} wrong solutions fail as recorded ({} run{} each).",
            mistakes.len(),
            options.repeat,
            if options.repeat == 1 { "" } else { "s" }
        );
    } else {
        println!(
            "\nverify: {failing} of {} wrong solutions do not fail as recorded (see above): strengthen the tests, or correct mistake.toml.",
            mistakes.len()
        );
    }
    Ok(failing == 0)
}

/// Builds the copy once in its current state and runs it `repeat` times.
fn run_state(
    copy: &Course,
    exercises: &[&Exercise],
    options: &Options,
    wanted_pass: bool,
    progress: &dyn Progress,
) -> Result<BTreeMap<String, Tally>> {
    let built = compile::build(copy, exercises, progress, &|_, _| {})?;
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for _ in 0..options.repeat.max(1) {
        for checked in pipeline::run_built(copy, exercises, &built, options.jobs, None, progress) {
            tallies
                .entry(checked.exercise.name.clone())
                .or_default()
                .add(&checked.verdict, wanted_pass);
        }
    }
    Ok(tallies)
}

/// Copies the course to `to`, leaving out build output and version control, after removing
/// what an earlier verification left there.
fn copy_course(from: &Path, to: &Path) -> Result<()> {
    if to.exists() {
        fs::remove_dir_all(to)
            .map_err(|e| Fatal::new(format!("cannot clear {}: {e}", to.display())))?;
    }
    files::copy_tree(from, to, &files::NOT_COURSE)
}
