//! The checker's pipeline for a set of exercises: one build, parallel runs, one verdict each.

pub mod cache;
pub mod compile;
pub mod course;
pub mod course_tests;
pub mod fingerprint;
pub mod grade;
pub mod output;
pub mod runner;
pub mod verdict;

use crate::fatal::Result;
use crate::pipeline::cache::Cache;
use crate::pipeline::compile::{BuildProgress, Built};
use crate::pipeline::course::{Course, Exercise};
use crate::pipeline::runner::Job;
use crate::pipeline::verdict::{Checked, Verdict};
use crate::platform::process::Finished;
use std::collections::HashMap;
use std::path::PathBuf;

/// What the pipeline tells whoever shows progress.
pub trait Progress: BuildProgress + Sync {
    /// The build is over; `count` exercises will now run.
    fn running(&self, count: usize);
    /// One exercise's tests have finished.
    fn ran(&self, exercise: &Exercise);
}

/// Like [`check`], but an exercise whose inputs are unchanged since its last verdict keeps that
/// verdict without being built or run. Returns a note when the cache had to be set aside.
pub fn check_cached(
    course: &Course,
    exercises: &[&Exercise],
    jobs: usize,
    progress: &dyn Progress,
) -> Result<(Vec<Checked>, Option<String>)> {
    let (mut cache, note) = Cache::load(cache_path(course));
    let shared = fingerprint::Shared::of(course);
    let keys: Vec<String> = exercises
        .iter()
        .map(|e| fingerprint::key(course, &shared, e))
        .collect();
    let mut results: Vec<Option<Checked>> = exercises
        .iter()
        .zip(&keys)
        .map(|(exercise, key)| {
            cache
                .get(&exercise.name, key)
                .map(|(verdict, runs)| Checked {
                    exercise: (*exercise).clone(),
                    verdict,
                    runs,
                })
        })
        .collect();
    let stale: Vec<&Exercise> = exercises
        .iter()
        .zip(&results)
        .filter(|(_, cached)| cached.is_none())
        .map(|(exercise, _)| *exercise)
        .collect();
    if !stale.is_empty() {
        let checked = check(course, &stale, jobs, progress)?;
        // The build may have written Cargo.lock (a first build does), so the verdicts are
        // filed under the inputs as they are now.
        let shared = fingerprint::Shared::of(course);
        for checked in checked {
            let index = exercises
                .iter()
                .position(|e| e.name == checked.exercise.name)
                .expect("checked exercises come from the list");
            cache.put(
                &checked,
                fingerprint::key(course, &shared, &checked.exercise),
            );
            results[index] = Some(checked);
        }
        cache.save();
    }
    Ok((results.into_iter().flatten().collect(), note))
}

/// The cache belongs with the builds it stands for.
fn cache_path(course: &Course) -> PathBuf {
    course
        .effective_target_dir()
        .join("checker")
        .join("verdicts.json")
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
            Ok(runs) => verdict::judge(runs, &ui_cases(course, exercise)),
            Err(e) => Verdict::Crashed(format!("the test executable could not be started: {e}")),
        });
        runs_of[index] = runs
            .map(|runs| runs.into_iter().map(|run| run.finished).collect())
            .unwrap_or_default();
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

/// The exercise's compile-fail cases, as trybuild names them (`tests/ui/NAME.rs`), sorted.
fn ui_cases(course: &Course, exercise: &Exercise) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(course.root.join(&exercise.dir).join("tests/ui")) else {
        return Vec::new();
    };
    let mut cases: Vec<String> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            name.ends_with(".rs").then(|| format!("tests/ui/{name}"))
        })
        .collect();
    cases.sort();
    cases
}
