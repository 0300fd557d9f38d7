//! The build step: one `cargo build --tests --keep-going` for every exercise asked for, read
//! through cargo's JSON messages. One exercise that fails to compile never stops the others,
//! and one whose test executables are all built is handed on at once, while the rest still
//! build.

use crate::fatal::{Fatal, Result};
use crate::pipeline::course::{Course, Exercise};
use crate::pipeline::output::cargo::{CompileError, Event, first_error};
use crate::platform::process;
use crate::platform::toolchain::cargo_program;
use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

/// The build's outcome for one exercise.
#[derive(Debug, Clone)]
pub enum Built {
    /// Every test target compiled; these are the test executables to run.
    Tests(Vec<PathBuf>),
    /// At least one target failed to compile.
    Failed(CompileError),
}

/// Tells the caller how the build goes, for a progress display.
pub trait BuildProgress: Sync {
    /// A line from cargo's own progress (`Compiling serde v1.0`, `Downloading ...`).
    fn cargo_says(&self, line: &str);
    /// One more crate or test target was compiled.
    fn compiled(&self, name: &str);
    /// cargo has waited a while for a lock on the build folder or the package cache: another
    /// cargo is running.
    fn waits_for_another_cargo(&self);
}

/// How long cargo may wait for a file lock before the learner is told why nothing happens.
const LOCK_PATIENCE: Duration = Duration::from_millis(1500);

/// cargo's `Blocking waiting for file lock on build directory` (or `on package cache`,
/// `on artifact directory`): another cargo holds the lock.
fn is_lock_wait(line: &str) -> bool {
    line.trim_start()
        .starts_with("Blocking waiting for file lock")
}

/// Reads cargo's stderr, passing each line to `progress` and keeping it, except the lines
/// that say cargo waits for a file lock: those are hidden, and a wait that lasts longer than
/// [`LOCK_PATIENCE`] is told once, in the learner's words.
fn read_cargo_stderr(
    stderr: impl std::io::Read + Send,
    progress: &dyn BuildProgress,
) -> Vec<String> {
    let (lines_tx, lines_rx) = mpsc::channel();
    thread::scope(|scope| {
        scope.spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(|l| l.ok()) {
                if lines_tx.send(line).is_err() {
                    return;
                }
            }
        });
        let mut kept = Vec::new();
        let mut waiting_since: Option<Instant> = None;
        let mut told = false;
        loop {
            let next = match waiting_since {
                Some(since) => lines_rx
                    .recv_timeout(LOCK_PATIENCE.saturating_sub(since.elapsed()))
                    .map_err(Some),
                None => lines_rx.recv().map_err(|_| None),
            };
            match next {
                Ok(line) if is_lock_wait(&line) => {
                    if !told {
                        waiting_since.get_or_insert_with(Instant::now);
                    }
                }
                Ok(line) => {
                    // cargo goes on, so it has its lock.
                    waiting_since = None;
                    progress.cargo_says(line.trim());
                    kept.push(line);
                }
                Err(Some(RecvTimeoutError::Timeout)) => {
                    // Told once: a wait is not told again in this build.
                    progress.waits_for_another_cargo();
                    told = true;
                    waiting_since = None;
                }
                Err(_) => return kept,
            }
        }
    })
}

/// Whether this process has run a build already.
static BUILT: AtomicBool = AtomicBool::new(false);

/// Whether a build now would be the course's first in its target dir: one that builds every
/// dependency (testkit and what it needs), which takes a minute or two. After one build in this
/// process, or once testkit has been built there, it is not.
pub fn is_first_build(course: &Course) -> bool {
    if BUILT.load(Ordering::Relaxed) {
        return false;
    }
    let fingerprints = course
        .effective_target_dir()
        .join("debug")
        .join(".fingerprint");
    let built_before = std::fs::read_dir(fingerprints).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| entry.file_name().to_string_lossy().starts_with("testkit-"))
    });
    !built_before
}

/// Called during the build with an exercise's name and test executables as soon as all of them
/// are built (for exercises whose manifest names every test target; see
/// [`announced_test_targets`]). Such an exercise is in the build's outcome as well.
pub type OnReady<'a> = &'a (dyn Fn(&str, Vec<PathBuf>) + Sync);

/// Builds the test targets of `exercises` in one cargo invocation.
pub fn build(
    course: &Course,
    exercises: &[&Exercise],
    progress: &dyn BuildProgress,
    on_ready: OnReady,
) -> Result<HashMap<String, Built>> {
    let cargo = cargo_program();
    let mut command = Command::new(&cargo);
    command
        .current_dir(&course.root)
        .args(["build", "--tests", "--keep-going", "--message-format=json"])
        .env("CARGO_TERM_PROGRESS_WHEN", "never");
    for exercise in exercises {
        command.args(["-p", &exercise.name]);
    }
    if let Some(target_dir) = &course.target_dir {
        command.env("CARGO_TARGET_DIR", target_dir);
    }
    // Code that is not trusted (grading) is built in the sandbox: the compiler reads the files
    // it names (`include_str!`).
    if let Some(jails) = &course.sandbox {
        command = jails.build.wrap(&command);
    }
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let (mut child, _registered) = process::spawn_registered(&mut command).map_err(|e| {
        Fatal::new(format!(
            "could not run `{}`: {e}\n  The checker needs Rust's cargo. Install Rust with rustup (https://rustup.rs), then run `cargo run -p checker` again.",
            cargo.to_string_lossy()
        ))
    })?;

    // cargo's own messages (errors that stop it, progress) come on stderr: keep the last
    // lines for an error report, and pass each one to the progress display.
    let stderr = child.stderr.take().expect("stderr is piped");
    let stderr_lines = thread::scope(|scope| {
        let reader = scope.spawn(|| read_cargo_stderr(stderr, progress));
        let stdout = child.stdout.take().expect("stdout is piped");
        let messages = read_messages(course, exercises, stdout, progress, on_ready);
        (reader.join().unwrap_or_default(), messages)
    });
    let (stderr_lines, messages) = stderr_lines;
    let status = child
        .wait()
        .map_err(|e| Fatal::new(format!("cargo did not finish: {e}")))?;
    BUILT.store(true, Ordering::Relaxed);

    let Some(mut messages) = messages else {
        // No `build-finished`: cargo stopped before building anything, so the workspace
        // itself is broken (a bad Cargo.toml, a missing crate, no network for a first build).
        let tail: Vec<&str> = stderr_lines
            .iter()
            .map(String::as_str)
            .filter(|l| !l.trim().is_empty())
            .rev()
            .take(12)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        return Err(Fatal::new(format!(
            "cargo could not build the course ({status}). It said:\n{}",
            tail.join("\n")
        )));
    };

    let mut outcome = HashMap::new();
    for exercise in exercises {
        let built = match messages.errors.remove(&exercise.name) {
            Some(error) => Built::Failed(error),
            None => match messages.executables.remove(&exercise.name) {
                Some(executables) => Built::Tests(executables),
                // Nothing compiled and no error of its own: something it depends on failed.
                None => Built::Failed(
                    messages
                        .other_error
                        .clone()
                        .unwrap_or_else(|| unexplained_failure(&exercise.name)),
                ),
            },
        };
        outcome.insert(exercise.name.clone(), built);
    }
    Ok(outcome)
}

fn unexplained_failure(name: &str) -> CompileError {
    CompileError {
        code: None,
        message: format!("`{name}` did not build, and cargo gave no error for it"),
        file: None,
        line: None,
        source_line: None,
        rendered: format!("Run `cargo test -p {name}` to see cargo's full output."),
    }
}

/// What the JSON stream said, per package name.
struct Messages {
    executables: HashMap<String, Vec<PathBuf>>,
    errors: HashMap<String, CompileError>,
    /// The first error of a crate that is not one of the exercises (testkit, say).
    other_error: Option<CompileError>,
}

/// The test targets cargo builds for an exercise whose manifest names every one of them: the
/// course's layout (`autotests = false`, `[lib] test = false`, `[[test]]` entries, no binary).
/// `None` for any other layout, whose executables are known only when the build ends.
fn announced_test_targets(course: &Course, exercise: &Exercise) -> Option<BTreeSet<String>> {
    let folder = course.root.join(&exercise.dir);
    let manifest: toml::Table = fs::read_to_string(folder.join("Cargo.toml"))
        .ok()?
        .parse()
        .ok()?;
    let flag = |table: &str, key: &str| {
        manifest
            .get(table)
            .and_then(|t| t.get(key))
            .and_then(|v| v.as_bool())
    };
    let has_binary = manifest.contains_key("bin")
        || folder.join("src/main.rs").exists()
        || folder.join("src/bin").exists();
    if flag("package", "autotests") != Some(false)
        || flag("lib", "test") != Some(false)
        || has_binary
    {
        return None;
    }
    manifest
        .get("test")?
        .as_array()?
        .iter()
        .map(|target| target.get("name")?.as_str().map(String::from))
        .collect()
}

/// Reads cargo's JSON stream; `None` when it ended without `build-finished`.
fn read_messages(
    course: &Course,
    exercises: &[&Exercise],
    stdout: impl std::io::Read,
    progress: &dyn BuildProgress,
    on_ready: OnReady,
) -> Option<Messages> {
    let mut awaited: HashMap<&str, BTreeSet<String>> = exercises
        .iter()
        .filter_map(|e| Some((e.name.as_str(), announced_test_targets(course, e)?)))
        .collect();
    let by_manifest: HashMap<PathBuf, &str> = exercises
        .iter()
        .map(|e| {
            (
                normalise(&course.root.join(&e.dir).join("Cargo.toml")),
                e.name.as_str(),
            )
        })
        .collect();
    let mut messages = Messages {
        executables: HashMap::new(),
        errors: HashMap::new(),
        other_error: None,
    };
    let mut finished = false;
    for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
        let Ok(event) = serde_json::from_str::<Event>(&line) else {
            continue;
        };
        match event {
            Event::CompilerArtifact {
                manifest_path,
                target,
                profile,
                executable,
            } => {
                progress.compiled(&target.name);
                if let (true, Some(executable), Some(name)) = (
                    profile.test,
                    executable,
                    by_manifest.get(&normalise(&manifest_path)),
                ) {
                    let executables = messages.executables.entry(name.to_string()).or_default();
                    executables.push(executable);
                    if let Some(targets) = awaited.get_mut(name) {
                        targets.remove(&target.name);
                        if targets.is_empty() && !messages.errors.contains_key(*name) {
                            awaited.remove(name);
                            let mut executables = executables.clone();
                            executables.sort();
                            on_ready(name, executables);
                        }
                    }
                }
            }
            Event::CompilerMessage {
                manifest_path,
                message,
            } => {
                let Some(error) = first_error(message) else {
                    continue;
                };
                match by_manifest.get(&normalise(&manifest_path)) {
                    Some(name) => {
                        messages.errors.entry(name.to_string()).or_insert(error);
                    }
                    None => {
                        messages.other_error.get_or_insert(error);
                    }
                }
            }
            Event::BuildFinished {} => finished = true,
            Event::Other => {}
        }
    }
    for executables in messages.executables.values_mut() {
        executables.sort();
    }
    finished.then_some(messages)
}

/// Paths from cargo are absolute and canonical; ours may hold `..` or symlinks.
fn normalise(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}
