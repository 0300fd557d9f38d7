//! The course: every `exercises/NN_topic/exercise.toml`, read, checked and put in order.

use crate::fatal::{Fatal, Result};
use serde_derive::Deserialize;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One exercise as the course describes it.
#[derive(Debug, Clone)]
pub struct Exercise {
    /// The folder's number, which sets the order of the course.
    pub number: u32,
    /// The package name: the folder's name without its number (`spawn_join`).
    pub name: String,
    /// `exercises/NN_topic`, relative to the workspace root.
    pub dir: PathBuf,
    pub title: String,
    pub skill: String,
    pub points: u32,
    pub time_limit: Duration,
    pub hints: Vec<String>,
}

impl Exercise {
    /// The folder's name, `NN_topic`.
    pub fn folder(&self) -> String {
        format!("{:02}_{}", self.number, self.name)
    }
}

/// The workspace root and the exercises in course order.
#[derive(Debug, Clone)]
pub struct Course {
    pub root: PathBuf,
    pub exercises: Vec<Exercise>,
    /// Where cargo builds, when not the workspace's own `target/` (`verify` builds a copy of
    /// the course into the original's target dir, so dependencies build once).
    pub target_dir: Option<PathBuf>,
    /// Resource limits for the tests, when the code is not trusted (grading).
    pub limits: Option<crate::platform::limits::Limits>,
    /// The sandbox that the build and the tests run in, when the code is not trusted and one
    /// works here (grading).
    pub sandbox: Option<crate::platform::sandbox::Jails>,
    /// Whether a hang is diagnosed (where each thread waits). `verify` turns it off: it only
    /// needs verdicts, and a diagnosis costs about half a second of CPU per hang.
    pub diagnose_hangs: bool,
}

/// What `exercise.toml` holds. Unknown fields are rejected so that a typo is an error, not a
/// silently ignored setting.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExerciseToml {
    title: String,
    skill: String,
    points: u32,
    #[serde(default = "default_time_limit_secs")]
    time_limit_secs: u64,
    hints: Vec<String>,
}

fn default_time_limit_secs() -> u64 {
    10
}

impl Course {
    /// The course is the nearest folder, from here upwards, with `exercises/` and a `Cargo.toml`.
    pub fn find_root() -> Result<PathBuf> {
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

    /// Where cargo puts its builds for this course: an explicit choice, else
    /// `$CARGO_TARGET_DIR`, else `target/` in the workspace.
    pub fn effective_target_dir(&self) -> PathBuf {
        if let Some(dir) = &self.target_dir {
            return dir.clone();
        }
        match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => self.root.join(dir),
            None => self.root.join("target"),
        }
    }

    /// Where the checker keeps what it remembers for the learner (hint levels).
    pub fn state_dir(&self) -> PathBuf {
        self.root.join(".checker")
    }

    /// Reads the course below `root`, which must hold an `exercises/` folder.
    pub fn load(root: &Path) -> Result<Course> {
        let exercises_dir = root.join("exercises");
        let entries = fs::read_dir(&exercises_dir).map_err(|e| {
            Fatal::new(format!(
                "cannot read {}: {e}\n  Run the checker from inside the course (the folder with `exercises/`), or pass --root.",
                exercises_dir.display()
            ))
        })?;
        let mut exercises = Vec::new();
        for entry in entries {
            let entry = entry
                .map_err(|e| Fatal::new(format!("cannot list {}: {e}", exercises_dir.display())))?;
            if !entry.path().is_dir() {
                continue;
            }
            let folder = entry.file_name();
            let folder = folder.to_str().ok_or_else(|| {
                Fatal::new(format!(
                    "exercises/{} is not a valid exercise folder name: rename it to NN_topic (ASCII letters, digits, `_`).",
                    folder.to_string_lossy()
                ))
            })?;
            exercises.push(load_exercise(root, folder)?);
        }
        exercises.sort_by_key(|e| e.number);
        for pair in exercises.windows(2) {
            if pair[0].number == pair[1].number {
                return Err(Fatal::new(format!(
                    "exercises/{} and exercises/{} share the number {:02}: give each exercise its own number.",
                    pair[0].folder(),
                    pair[1].folder(),
                    pair[0].number
                )));
            }
        }
        if exercises.is_empty() {
            return Err(Fatal::new(format!(
                "{} has no exercises (folders named NN_topic).",
                exercises_dir.display()
            )));
        }
        Ok(Course {
            root: root.to_path_buf(),
            exercises,
            target_dir: None,
            limits: None,
            sandbox: None,
            diagnose_hangs: true,
        })
    }

    /// Finds an exercise by package name (`spawn_join`), folder (`01_spawn_join`) or number
    /// (`1`, `01`). An unknown name is an error that suggests a name only when one is close (a
    /// typo), and otherwise says how exercises are named.
    pub fn find(&self, wanted: &str) -> Result<&Exercise> {
        let by_number = wanted.parse::<u32>().ok();
        if let Some(found) = self
            .exercises
            .iter()
            .find(|e| e.name == wanted || e.folder() == wanted || Some(e.number) == by_number)
        {
            return Ok(found);
        }
        let list = "`cargo run -p checker -- list` shows them all.";
        if by_number.is_some() {
            let (first, last) = (
                &self.exercises[0],
                &self.exercises[self.exercises.len() - 1],
            );
            return Err(Fatal::new(format!(
                "there is no exercise number {wanted}: the course has {:02} to {:02}.\n  {list}",
                first.number, last.number
            )));
        }
        let closest = self
            .exercises
            .iter()
            .flat_map(|e| {
                [
                    (strsim::osa_distance(&e.name, wanted), e.name.clone()),
                    (strsim::osa_distance(&e.folder(), wanted), e.folder()),
                ]
            })
            .min_by_key(|(distance, _)| *distance)
            .filter(|(distance, name)| is_close(*distance, name, wanted));
        let help = match closest {
            Some((_, name)) => format!("Did you mean `{name}`?"),
            None => {
                let example = &self.exercises[0];
                format!(
                    "Name an exercise by its name (`{}`), its folder (`{}`) or its number (`{}`): {list}",
                    example.name,
                    example.folder(),
                    example.number
                )
            }
        };
        Err(Fatal::new(format!(
            "there is no exercise called `{wanted}`.\n  {help}"
        )))
    }
}

fn load_exercise(root: &Path, folder: &str) -> Result<Exercise> {
    let rel_dir = Path::new("exercises").join(folder);
    let (number, name) = parse_folder(folder).ok_or_else(|| {
        Fatal::new(format!(
            "{} is not named like an exercise: use NN_topic, for example 01_spawn_join.",
            rel_dir.display()
        ))
    })?;
    let toml_path = rel_dir.join("exercise.toml");
    let text = fs::read_to_string(root.join(&toml_path)).map_err(|e| {
        Fatal::new(format!(
            "cannot read {}: {e}\n  Every exercise needs one, with title, skill, points and hints.",
            toml_path.display()
        ))
    })?;
    let raw: ExerciseToml = toml::from_str(&text).map_err(|e| {
        Fatal::new(format!(
            "{} is not valid: {}",
            toml_path.display(),
            e.to_string().trim_end()
        ))
    })?;
    let field_error = |field: &str, fix: &str| {
        Fatal::new(format!("{}: field `{field}` {fix}", toml_path.display()))
    };
    if raw.title.trim().is_empty() {
        return Err(field_error(
            "title",
            "is empty: give the exercise a short title.",
        ));
    }
    if raw.hints.is_empty() || raw.hints.iter().any(|h| h.trim().is_empty()) {
        return Err(field_error(
            "hints",
            "needs at least one hint, and no empty ones.",
        ));
    }
    if raw.time_limit_secs == 0 || raw.time_limit_secs > 600 {
        return Err(field_error(
            "time_limit_secs",
            "must be between 1 and 600 seconds.",
        ));
    }
    if raw.points == 0 {
        return Err(field_error("points", "must be at least 1."));
    }
    Ok(Exercise {
        number,
        name,
        dir: rel_dir,
        title: raw.title,
        skill: raw.skill,
        points: raw.points,
        time_limit: Duration::from_secs(raw.time_limit_secs),
        hints: raw.hints,
    })
}

/// Whether `wanted` is a typo of `name`: a few letters apart, relative to its length.
fn is_close(distance: usize, name: &str, wanted: &str) -> bool {
    let length = name.chars().count().max(wanted.chars().count());
    distance <= 2.min(length / 3).max(1) || distance * 4 <= length
}

/// `01_spawn_join` -> (1, "spawn_join").
fn parse_folder(folder: &str) -> Option<(u32, String)> {
    let (number, name) = folder.split_once('_')?;
    let valid_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) || !valid_name {
        return None;
    }
    Some((number.parse().ok()?, name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_split_into_number_and_package() {
        assert_eq!(
            parse_folder("01_spawn_join"),
            Some((1, "spawn_join".into()))
        );
        assert_eq!(
            parse_folder("23_capstone_crawler"),
            Some((23, "capstone_crawler".into()))
        );
        assert_eq!(parse_folder("spawn_join"), None);
        assert_eq!(parse_folder("01_"), None);
        assert_eq!(parse_folder("01_Spawn"), None);
    }

    #[test]
    fn only_a_typo_is_close() {
        let close =
            |name: &str, wanted: &str| is_close(strsim::osa_distance(name, wanted), name, wanted);
        assert!(close("condvar", "condvr"));
        assert!(close("spawn_join", "spawn-join"));
        assert!(close("capstone_crawler", "capstone_crawlr"));
        assert!(close("fails", "fials"));
        assert!(!close("pipeline", "nonexistent"));
        assert!(!close("actor", "atomics"));
        assert!(!close("select", "seed"));
    }
}
