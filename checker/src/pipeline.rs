//! The checker's pipeline for a set of exercises: one build, parallel runs, one verdict each.

use crate::compile::{self, BuildProgress, Built};
use crate::course::{Course, Exercise};
use crate::fatal::Result;
use crate::process::Finished;
use crate::runner::{self, Job};
use crate::verdict::{self, Verdict};
use std::collections::HashMap;

/// One exercise's verdict, and the raw runs behind it (for `check`'s full output).
#[derive(Debug, Clone)]
pub struct Checked {
    pub exercise: Exercise,
    pub verdict: Verdict,
    pub runs: Vec<Finished>,
}

impl Checked {
    pub fn points(&self) -> u32 {
        if self.verdict.is_passed() {
            self.exercise.points
        } else {
            0
        }
    }
}

/// What the pipeline tells whoever shows progress.
pub trait Progress: BuildProgress + Sync {
    /// The build is over; `count` exercises will now run.
    fn running(&self, count: usize);
    /// One exercise's tests have finished.
    fn ran(&self, exercise: &Exercise);
}

/// Builds and runs `exercises` (in course order), `jobs` at a time.
pub fn check(
    course: &Course,
    exercises: &[&Exercise],
    jobs: usize,
    progress: &dyn Progress,
) -> Result<Vec<Checked>> {
    let built = compile::build(course, exercises, progress)?;
    Ok(run_built(course, exercises, &built, jobs, progress))
}

/// Runs what [`compile::build`] built and judges each exercise. Exercises that did not
/// compile are judged without running anything.
pub fn run_built(
    course: &Course,
    exercises: &[&Exercise],
    built: &HashMap<String, Built>,
    jobs: usize,
    progress: &dyn Progress,
) -> Vec<Checked> {
    let mut verdicts: Vec<Option<Verdict>> = vec![None; exercises.len()];
    let mut work = Vec::new();
    for (index, exercise) in exercises.iter().enumerate() {
        match built.get(&exercise.name) {
            Some(Built::Tests(executables)) => work.push(Job {
                exercise,
                executables: executables.clone(),
            }),
            Some(Built::Failed(error)) => {
                verdicts[index] = Some(Verdict::CompileError(error.clone()))
            }
            None => unreachable!("the build reports on every exercise it was given"),
        }
    }
    progress.running(work.len());
    let ran = runner::run_all(course, work, jobs, &|exercise| progress.ran(exercise));
    let mut runs_of: Vec<Vec<Finished>> = vec![Vec::new(); exercises.len()];
    for (exercise, runs) in ran {
        let index = exercises
            .iter()
            .position(|e| e.name == exercise.name)
            .expect("a job comes from the exercises given");
        verdicts[index] = Some(match &runs {
            Ok(runs) => verdict::judge(runs),
            Err(e) => Verdict::Crashed(format!("the test executable could not be started: {e}")),
        });
        runs_of[index] = runs.unwrap_or_default();
    }
    exercises
        .iter()
        .zip(verdicts)
        .zip(runs_of)
        .map(|((exercise, verdict), runs)| Checked {
            exercise: (*exercise).clone(),
            verdict: verdict.expect("every exercise was judged"),
            runs,
        })
        .collect()
}
