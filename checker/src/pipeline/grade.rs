//! `checker grade`: grades submissions (copies of the course) against the course's own tests.
//!
//! From a submission only the learner's files are taken: those with a counterpart under
//! `solutions/`. Everything else (tests, ui snapshots, manifests, build scripts, testkit, the
//! checker) comes from the course, and any other file that differs is listed as an ignored
//! change, so that editing a test to pass gains nothing and is visible.
//!
//! All submissions are graded in one folder, rewritten file by file, and built into one target
//! dir (`target/checker-grade`): dependencies build once, and an exercise whose files equal the
//! previous submission's is not even rebuilt.

use crate::fatal::{Fatal, Result};
use crate::pipeline::course::{Course, Exercise};
use crate::pipeline::runner;
use crate::pipeline::verdict::Checked;
use crate::pipeline::verdict::Verdict;
use crate::pipeline::{self, Progress};
use crate::platform::files::{self, NOT_COURSE, files_below};
use crate::platform::limits::Limits;
use crate::platform::sandbox::{Access, Jails, Sandbox};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One submission's grade, or why it could not be graded.
pub struct Submission {
    /// The path as the instructor gave it.
    pub label: String,
    pub outcome: std::result::Result<Graded, String>,
}

pub struct Graded {
    pub checked: Vec<Checked>,
    /// Files outside the learner's own that differ from the course: not used, only listed.
    pub ignored_changes: Vec<String>,
    /// Learner files the submission does not have: the course's starting version was used.
    pub missing_files: Vec<String>,
}

impl Graded {
    /// What an instructor should see beyond the scores: exercises whose tests did not all run,
    /// which is what an attempt to end the test process early looks like.
    pub fn warnings(&self) -> Vec<String> {
        self.checked
            .iter()
            .filter_map(|checked| match &checked.verdict {
                Verdict::Incomplete(why) => Some(format!(
                    "{}: its tests did not all run, so it earns nothing ({})",
                    checked.exercise.name,
                    why.lines().next().unwrap_or_default()
                )),
                _ => None,
            })
            .collect()
    }
}

impl Submission {
    pub fn score(&self) -> u32 {
        match &self.outcome {
            Ok(graded) => graded.checked.iter().map(Checked::points).sum(),
            Err(_) => 0,
        }
    }
}

/// Reports grading progress across submissions (the per-exercise progress goes to `Progress`).
pub trait GradeProgress: Progress {
    fn submission(&self, index: usize, count: usize, label: &str);
}

/// Grades every submission in turn: each build and test run in `sandbox` when there is one.
pub fn grade(
    course: &Course,
    paths: &[PathBuf],
    limits: Limits,
    sandbox: Option<&Sandbox>,
    jobs: usize,
    progress: &dyn GradeProgress,
) -> Result<Vec<Submission>> {
    let workdir = files::scratch_folder("grade", &course.root);
    // Shared by every submission, kept between runs; not the course's own (see verify).
    let target_dir = course.effective_target_dir().join("checker-grade");
    let learner_files = learner_files(course)?;
    let course_files = files_below(&course.root, &NOT_COURSE)?;
    let jails = match sandbox {
        Some(sandbox) => {
            for folder in [
                &workdir,
                &target_dir.join("tests"),
                &runner::logs_folder(&target_dir),
            ] {
                fs::create_dir_all(folder)
                    .map_err(|e| Fatal::new(format!("cannot create {}: {e}", folder.display())))?;
            }
            let (build, tests) = access(course, paths, &workdir, &target_dir);
            Some(Jails {
                build: sandbox.confine(&build),
                tests: sandbox.confine(&tests),
            })
        }
        None => None,
    };
    let mut fetched = false;
    let mut submissions = Vec::new();
    for (index, path) in paths.iter().enumerate() {
        let label = path.display().to_string();
        progress.submission(index, paths.len(), &label);
        let outcome = match prepare(course, &course_files, &learner_files, path, &workdir) {
            Err(reason) => Err(reason),
            Ok((ignored_changes, missing_files)) => {
                if jails.is_some() && !fetched {
                    // The sandbox has no network: the course's dependencies are fetched before,
                    // from its own manifests and lock file (the same for every submission).
                    fetch(&workdir)?;
                    fetched = true;
                }
                let mut copy = Course::load(&workdir)?;
                copy.target_dir = Some(target_dir.clone());
                copy.limits = Some(limits);
                copy.sandbox = jails.clone();
                let exercises: Vec<&Exercise> = copy.exercises.iter().collect();
                let checked = pipeline::check(&copy, &exercises, jobs, None, progress)?;
                Ok(Graded {
                    checked,
                    ignored_changes,
                    missing_files,
                })
            }
        };
        submissions.push(Submission { label, outcome });
    }
    Ok(submissions)
}

/// What the sandboxed build, then the tests, of the grading folder may reach. The build writes
/// the grading folder and its target dir; the tests read them, and write only trybuild's folder
/// in the target dir. Both read the course's path dependencies that lie outside it. Hidden: the
/// course itself and the folders that hold the submissions (the other learners').
fn access(
    course: &Course,
    paths: &[PathBuf],
    workdir: &Path,
    target_dir: &Path,
) -> (Access, Access) {
    let mut hidden = vec![course.root.clone()];
    for path in paths {
        let path = path.canonicalize().unwrap_or_else(|_| path.clone());
        hidden.extend(path.parent().map(Path::to_path_buf));
        hidden.push(path);
    }
    let dependencies: Vec<PathBuf> = path_dependencies(&course.root)
        .into_iter()
        .filter(|p| !p.starts_with(&course.root))
        .flat_map(with_enclosing_manifests)
        .collect();
    let build = Access {
        writable: vec![workdir.to_path_buf(), target_dir.to_path_buf()],
        readable: dependencies.clone(),
        hidden: hidden.clone(),
    };
    let tests = Access {
        // trybuild's builds, and libtest's logs of each run (see runner.rs).
        writable: vec![target_dir.join("tests"), runner::logs_folder(target_dir)],
        readable: [workdir.to_path_buf(), target_dir.to_path_buf()]
            .into_iter()
            .chain(dependencies)
            .collect(),
        hidden,
    };
    (build, tests)
}

/// A path dependency, and the `Cargo.toml` of each folder above it: cargo reads those to find
/// the workspace that the dependency inherits from (`edition.workspace = true`), and they may
/// lie in a folder the sandbox hides (a clone under /tmp).
fn with_enclosing_manifests(dependency: PathBuf) -> Vec<PathBuf> {
    let manifests: Vec<PathBuf> = dependency
        .ancestors()
        .skip(1)
        .map(|folder| folder.join("Cargo.toml"))
        .filter(|manifest| manifest.is_file())
        .collect();
    std::iter::once(dependency).chain(manifests).collect()
}

/// The `path` of each of the workspace's shared dependencies (`[workspace.dependencies]`), as
/// the course's own manifest gives them.
fn path_dependencies(root: &Path) -> Vec<PathBuf> {
    let Ok(text) = fs::read_to_string(root.join("Cargo.toml")) else {
        return Vec::new();
    };
    let Ok(manifest) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let Some(dependencies) = manifest
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(|d| d.as_table())
    else {
        return Vec::new();
    };
    dependencies
        .values()
        .filter_map(|d| d.get("path")?.as_str())
        .map(|p| root.join(p))
        .collect()
}

/// `cargo fetch` in the grading folder, outside the sandbox. Only the course's files decide
/// what it fetches (manifests and lock file), and it builds nothing.
fn fetch(workdir: &Path) -> Result<()> {
    let cargo = crate::platform::toolchain::cargo_program();
    let output = Command::new(&cargo)
        .arg("fetch")
        .current_dir(workdir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Fatal::new(format!("could not run `{}`: {e}", cargo.to_string_lossy())))?;
    if output.status.success() {
        return Ok(());
    }
    let said = String::from_utf8_lossy(&output.stderr);
    let tail: Vec<&str> = said.lines().filter(|l| !l.trim().is_empty()).collect();
    Err(Fatal::new(format!(
        "cargo could not fetch the course's dependencies, which the sandbox (without network) needs before the build ({}). It said:\n{}",
        output.status,
        tail[tail.len().saturating_sub(12)..].join("\n")
    )))
}

/// `exercises/NN_topic/<file>` for every file under `solutions/NN_topic/`.
fn learner_files(course: &Course) -> Result<BTreeSet<PathBuf>> {
    let mut files = BTreeSet::new();
    for exercise in &course.exercises {
        let solution = Path::new("solutions").join(exercise.folder());
        for relative in files_below(&course.root.join(&solution), &[])? {
            files.insert(exercise.dir.join(relative));
        }
    }
    Ok(files)
}

/// Lays the course, then the submission's learner files, into `workdir`, writing only files
/// whose content changed. Returns the ignored changes and the missing learner files, or why the
/// submission cannot be graded.
fn prepare(
    course: &Course,
    course_files: &BTreeSet<PathBuf>,
    learner_files: &BTreeSet<PathBuf>,
    submission: &Path,
    workdir: &Path,
) -> std::result::Result<(Vec<String>, Vec<String>), String> {
    if !submission.is_dir() {
        return Err("not a folder".to_string());
    }
    if !submission.join("exercises").is_dir() {
        return Err("not a copy of the course: it has no exercises/ folder".to_string());
    }
    let submitted = files_below(submission, &NOT_COURSE).map_err(|e| e.to_string())?;

    let mut wanted: BTreeMap<PathBuf, Vec<u8>> = BTreeMap::new();
    for relative in course_files {
        let bytes = fs::read(course.root.join(relative))
            .map_err(|e| format!("cannot read the course's {}: {e}", relative.display()))?;
        wanted.insert(relative.clone(), bytes);
    }
    let mut missing = Vec::new();
    for relative in learner_files {
        let path = submission.join(relative);
        match fs::symlink_metadata(&path) {
            Ok(metadata) if metadata.is_file() => {
                let bytes = fs::read(&path)
                    .map_err(|e| format!("cannot read {}: {e}", relative.display()))?;
                wanted.insert(relative.clone(), bytes);
            }
            // A link could point anywhere on the grader's machine: never follow one.
            Ok(_) => missing.push(format!("{} (not a regular file)", relative.display())),
            Err(_) => missing.push(relative.display().to_string()),
        }
    }

    let mut ignored = Vec::new();
    for relative in &submitted {
        if learner_files.contains(relative) {
            continue;
        }
        match wanted.get(relative) {
            None => ignored.push(format!("added: {}", relative.display())),
            Some(course_bytes) => {
                let differs = fs::read(submission.join(relative))
                    .map(|bytes| bytes != *course_bytes)
                    .unwrap_or(true);
                if differs {
                    ignored.push(format!("changed: {}", relative.display()));
                }
            }
        }
    }
    for relative in course_files {
        if !submitted.contains(relative) && !learner_files.contains(relative) {
            ignored.push(format!("deleted: {}", relative.display()));
        }
    }

    sync(workdir, &wanted).map_err(|e| format!("cannot lay out the grading copy: {e}"))?;
    Ok((ignored, missing))
}

/// Makes `workdir` hold exactly `wanted` (its `target/` aside), touching only what differs so
/// that cargo rebuilds only what changed since the previous submission.
fn sync(workdir: &Path, wanted: &BTreeMap<PathBuf, Vec<u8>>) -> std::io::Result<()> {
    fs::create_dir_all(workdir)?;
    let present =
        files_below(workdir, &["target"]).map_err(|e| std::io::Error::other(e.to_string()))?;
    for relative in &present {
        if !wanted.contains_key(relative) {
            fs::remove_file(workdir.join(relative))?;
        }
    }
    for (relative, bytes) in wanted {
        let path = workdir.join(relative);
        if fs::read(&path).ok().as_deref() == Some(bytes.as_slice()) {
            continue;
        }
        if let Some(folder) = path.parent() {
            fs::create_dir_all(folder)?;
        }
        fs::write(&path, bytes)?;
    }
    Ok(())
}
