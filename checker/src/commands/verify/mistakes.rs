//! The catalogue of wrong solutions: each exercise's classic mistakes, kept as learner files
//! with the verdict they must get and a phrase its one-line message must contain, so that
//! `verify` proves them to fail as it proves the solutions to pass.
//!
//! ```text
//! checker/tests/wrong_solutions/NN_topic/<mistake>/src/lib.rs    the learner's files
//! checker/tests/wrong_solutions/NN_topic/<mistake>/mistake.toml
//! ```

use crate::fatal::{Fatal, Result};
use crate::pipeline::verdict::Verdict;
use serde_derive::Deserialize;
use std::fs;
use std::path::{Path, PathBuf};

/// Where the course keeps them, relative to the workspace root.
pub const FOLDER: &str = "checker/tests/wrong_solutions";

/// The verdicts a wrong solution may be recorded with.
const VERDICTS: [&str; 4] = ["failed", "timed_out", "compile_error", "crashed"];

/// One classic mistake of one exercise.
#[derive(Debug, Clone)]
pub struct Mistake {
    /// The exercise's folder, `NN_topic`.
    pub exercise_folder: String,
    /// The mistake's folder name, its short name.
    pub name: String,
    /// The folder with its learner files (and `mistake.toml`).
    pub dir: PathBuf,
    /// What the learner did wrong, in one line.
    pub mistake: String,
    /// The verdict it must get: a [`Verdict::key`].
    pub verdict: String,
    /// Text the verdict's one-line message must contain.
    pub phrase: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MistakeToml {
    mistake: String,
    verdict: String,
    phrase: String,
}

impl Mistake {
    /// Why `verdict` is not what this mistake must get, or `None` when it is.
    pub fn disagreement(&self, verdict: &Verdict) -> Option<String> {
        if verdict.key() != self.verdict {
            return Some(match verdict {
                Verdict::Passed => "passed".to_string(),
                other => format!("{}: {}", other.key(), other.reason()),
            });
        }
        let reason = verdict.reason();
        (!reason.contains(&self.phrase)).then(|| {
            format!(
                "its message does not name the mistake (wanted \"{}\"): {reason}",
                self.phrase
            )
        })
    }
}

/// Every wrong solution under `folder`, by exercise folder and then by name; none when the
/// folder does not exist. A broken `mistake.toml` is an error that names the file and field.
pub fn load(folder: &Path) -> Result<Vec<Mistake>> {
    let mut mistakes = Vec::new();
    for exercise_folder in sorted_folders(folder)? {
        for dir in sorted_folders(&exercise_folder)? {
            mistakes.push(load_one(&exercise_folder, &dir)?);
        }
    }
    Ok(mistakes)
}

fn load_one(exercise_folder: &Path, dir: &Path) -> Result<Mistake> {
    let file = dir.join("mistake.toml");
    let text = fs::read_to_string(&file).map_err(|e| {
        Fatal::new(format!(
            "cannot read {}: {e}\n  Each wrong solution needs a mistake.toml with `mistake`, `verdict` and `phrase`.",
            file.display()
        ))
    })?;
    let raw: MistakeToml = toml::from_str(&text)
        .map_err(|e| Fatal::new(format!("{} is not valid: {e}", file.display())))?;
    if !VERDICTS.contains(&raw.verdict.as_str()) {
        return Err(Fatal::new(format!(
            "{}: `verdict = \"{}\"` is not one of {}",
            file.display(),
            raw.verdict,
            VERDICTS.join(", ")
        )));
    }
    if raw.phrase.trim().is_empty() {
        return Err(Fatal::new(format!(
            "{}: `phrase` is empty: give words that the checker's message for this mistake must contain",
            file.display()
        )));
    }
    Ok(Mistake {
        exercise_folder: file_name(exercise_folder),
        name: file_name(dir),
        dir: dir.to_path_buf(),
        mistake: raw.mistake,
        verdict: raw.verdict,
        phrase: raw.phrase,
    })
}

fn sorted_folders(folder: &Path) -> Result<Vec<PathBuf>> {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Fatal::new(format!("cannot read {}: {e}", folder.display()))),
    };
    let mut folders: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    Ok(folders)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::output::libtest::TestFailure;

    fn mistake(verdict: &str, phrase: &str) -> Mistake {
        Mistake {
            exercise_folder: "15_condvar".into(),
            name: "if_not_while".into(),
            dir: PathBuf::new(),
            mistake: "waits with `if`".into(),
            verdict: verdict.into(),
            phrase: phrase.into(),
        }
    }

    fn failed(message: &str) -> Verdict {
        Verdict::Failed(vec![TestFailure {
            name: "pop_waits".into(),
            message: message.into(),
        }])
    }

    #[test]
    fn a_wrong_solution_holds_only_with_its_verdict_and_phrase() {
        let m = mistake("failed", "wait in a `while` loop");
        assert_eq!(
            m.disagreement(&failed("`pop` returned early: wait in a `while` loop")),
            None
        );
        assert_eq!(m.disagreement(&Verdict::Passed).as_deref(), Some("passed"));
        assert!(
            m.disagreement(&failed("something else"))
                .is_some_and(|why| why.starts_with("its message does not name the mistake"))
        );
    }

    #[test]
    fn a_broken_mistake_toml_names_the_file_and_field() {
        let dir = tempfile_dir();
        let case = dir.join("15_condvar/if_not_while");
        fs::create_dir_all(&case).unwrap();
        fs::write(
            case.join("mistake.toml"),
            "mistake = \"x\"\nverdict = \"hangs\"\nphrase = \"y\"\n",
        )
        .unwrap();
        let error = load(&dir).unwrap_err().to_string();
        assert!(error.contains("mistake.toml"), "{error}");
        assert!(
            error.contains("`verdict = \"hangs\"` is not one of"),
            "{error}"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("checker-mistakes-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }
}
