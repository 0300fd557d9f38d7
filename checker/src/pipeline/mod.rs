//! The checker's pipeline for a set of exercises: one build, parallel runs, one verdict each.

pub mod cache;
pub mod compile;
pub mod course;
pub mod course_tests;
pub mod fingerprint;
pub mod grade;
pub mod output;
pub mod runner;
pub mod ui_cache;
pub mod verdict;

use crate::fatal::Result;
use crate::pipeline::cache::{Cache, Key};
use crate::pipeline::compile::{BuildProgress, Built};
use crate::pipeline::course::{Course, Exercise};
use crate::pipeline::runner::{Job, TestRun};
use crate::pipeline::ui_cache::UiCache;
use crate::pipeline::verdict::{Checked, Verdict};
use crate::platform::toolchain;
use std::collections::{HashMap, HashSet};
use std::io;
use std::path::PathBuf;
use std::sync::{Mutex, mpsc};
use std::thread;

/// What the pipeline tells whoever shows progress.
pub trait Progress: BuildProgress + Sync {
    /// The build is over; `count` exercises run in all, some of them perhaps already.
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
    toolchain::ask_early(&course.root);
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
                .get(&exercise.name, key, || fingerprint::toolchain(course))
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
        let ui_cache = UiCache::load(course);
        let checked = check(course, &stale, jobs, Some(&ui_cache), progress)?;
        ui_cache.save();
        // The build may have written Cargo.lock (a first build does), so the verdicts are
        // filed under the inputs as they are now.
        let shared = fingerprint::Shared::of(course);
        for checked in checked {
            let index = exercises
                .iter()
                .position(|e| e.name == checked.exercise.name)
                .expect("checked exercises come from the list");
            let key = Key {
                inputs: fingerprint::key(course, &shared, &checked.exercise),
                toolchain: fingerprint::toolchain(course),
            };
            cache.put(&checked, key);
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

/// Builds and runs `exercises` (in course order), `jobs` at a time, reusing compile-fail
/// results from `ui_cache` where they cannot have changed. An exercise's tests start as soon as
/// its test executables are built, while the others still build.
pub fn check(
    course: &Course,
    exercises: &[&Exercise],
    jobs: usize,
    ui_cache: Option<&UiCache>,
    progress: &dyn Progress,
) -> Result<Vec<Checked>> {
    let (work, queue) = mpsc::channel();
    let started = Mutex::new(HashSet::new());
    thread::scope(|scope| {
        let runs = scope.spawn(|| {
            runner::run_all(course, queue, jobs, ui_cache, &|exercise| {
                progress.ran(exercise)
            })
        });
        let on_ready = |name: &str, executables: Vec<PathBuf>| {
            let exercise = exercises
                .iter()
                .find(|e| e.name == name)
                .expect("the build reports only the exercises it was given");
            started
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(name.to_string());
            let _ = work.send(Job {
                exercise,
                executables,
            });
        };
        let built = compile::build(course, exercises, progress, &on_ready);
        let started = started.into_inner().unwrap_or_else(|p| p.into_inner());
        let built = built.inspect(|built| {
            let runnable = runnable(exercises, built);
            progress.running(runnable.len());
            for job in runnable {
                if !started.contains(&job.exercise.name) {
                    let _ = work.send(job);
                }
            }
        });
        // The runs end when the queue is closed and empty (at once, when the build failed).
        drop(work);
        let ran = runs.join().expect("the runner does not panic");
        Ok(judge_all(course, exercises, &built?, ran))
    })
}

/// Runs what [`compile::build`] built and judges each exercise. Exercises that did not
/// compile are judged without running anything.
pub fn run_built(
    course: &Course,
    exercises: &[&Exercise],
    built: &HashMap<String, Built>,
    jobs: usize,
    ui_cache: Option<&UiCache>,
    progress: &dyn Progress,
) -> Vec<Checked> {
    let (work, queue) = mpsc::channel();
    let runnable = runnable(exercises, built);
    progress.running(runnable.len());
    for job in runnable {
        let _ = work.send(job);
    }
    drop(work);
    let ran = runner::run_all(course, queue, jobs, ui_cache, &|exercise| {
        progress.ran(exercise)
    });
    judge_all(course, exercises, built, ran)
}

/// The exercises that compiled, with their test executables.
fn runnable<'a>(exercises: &[&'a Exercise], built: &HashMap<String, Built>) -> Vec<Job<'a>> {
    exercises
        .iter()
        .filter_map(|exercise| match built.get(&exercise.name) {
            Some(Built::Tests(executables)) => Some(Job {
                exercise,
                executables: executables.clone(),
            }),
            Some(Built::Failed(_)) => None,
            None => unreachable!("the build reports on every exercise it was given"),
        })
        .collect()
}

/// One verdict per exercise, in course order: a compile error from the build, else judged from
/// its runs.
fn judge_all(
    course: &Course,
    exercises: &[&Exercise],
    built: &HashMap<String, Built>,
    ran: Vec<(&Exercise, io::Result<Vec<TestRun>>)>,
) -> Vec<Checked> {
    let mut ran: HashMap<&str, io::Result<Vec<TestRun>>> = ran
        .into_iter()
        .map(|(exercise, runs)| (exercise.name.as_str(), runs))
        .collect();
    exercises
        .iter()
        .map(|exercise| {
            let (verdict, runs) = match (
                built.get(&exercise.name),
                ran.remove(exercise.name.as_str()),
            ) {
                (Some(Built::Failed(error)), _) => {
                    (Verdict::CompileError(error.clone()), Vec::new())
                }
                (_, Some(Ok(runs))) => (
                    verdict::judge(&runs, &ui_cases(course, exercise)),
                    runs.into_iter().map(|run| run.finished).collect(),
                ),
                (_, Some(Err(e))) => (
                    Verdict::Crashed(format!("the test executable could not be started: {e}")),
                    Vec::new(),
                ),
                (_, None) => unreachable!("every exercise that compiled was run"),
            };
            Checked {
                exercise: (*exercise).clone(),
                verdict,
                runs,
            }
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
