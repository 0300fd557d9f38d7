//! The course's test files in the learner's working tree, as git sees them. An exercise checked
//! without one of its test files would pass on the tests that are left, so a deleted one turns
//! the verdict into a failure that names it and the command that brings it back. A changed one
//! is the learner's to keep, but grading runs the course's version, so it earns a warning.
//! (Other files matter less: a lost lesson changes no verdict, a lost `src/lib.rs` does not
//! compile.)
//!
//! Without git (a downloaded course) nothing is found here; the last line of defence is then
//! [`crate::pipeline::verdict::judge`], which does not pass an exercise that ran no test at all.

use crate::pipeline::course::{Course, Exercise};
use crate::pipeline::output::libtest::TestFailure;
use crate::pipeline::verdict::Checked;
use crate::pipeline::verdict::Verdict;
use std::path::Path;
use std::process::Command;

/// Tracked test files that differ from the last commit, relative to the course root with `/`.
#[derive(Debug, Default)]
pub struct Changes {
    pub deleted: Vec<String>,
    pub changed: Vec<String>,
}

/// What git says of the test files of `exercises`; nothing when git or the repository is not
/// there.
pub fn changes(course: &Course, exercises: &[&Exercise]) -> Changes {
    let folders: Vec<String> = exercises.iter().map(|e| tests_folder(e)).collect();
    let mut changes = Changes::default();
    for (tag, path) in git_file_states(&course.root) {
        if !folders.iter().any(|folder| path.starts_with(folder)) {
            continue;
        }
        match tag {
            // A deleted file is listed as removed ("R") and as changed ("C").
            'R' => changes.deleted.push(path),
            'C' => changes.changed.push(path),
            _ => {}
        }
    }
    changes
        .changed
        .retain(|path| !changes.deleted.contains(path));
    changes
}

/// Marks every exercise of `checked` that lost a test file as failed, naming the files.
pub fn mark_deleted(changes: &Changes, checked: &mut [Checked]) {
    for entry in checked {
        let folder = tests_folder(&entry.exercise);
        let mut failures: Vec<TestFailure> = changes
            .deleted
            .iter()
            .filter(|path| path.starts_with(&folder))
            .map(|path| TestFailure {
                name: path[folder.len() - "tests/".len()..].to_string(),
                message: format!(
                    "this test file of the course was deleted, so the exercise cannot be checked \
                     in full. Bring it back with:  git checkout -- {path}"
                ),
            })
            .collect();
        if failures.is_empty() {
            continue;
        }
        if let Verdict::Failed(others) = &entry.verdict {
            failures.extend(others.iter().cloned());
        }
        entry.verdict = Verdict::Failed(failures);
    }
}

/// A warning that names the changed test files, or `None` when there are none.
pub fn changed_warning(changes: &Changes) -> Option<String> {
    if changes.changed.is_empty() {
        return None;
    }
    let files: Vec<&str> = changes.changed.iter().map(String::as_str).collect();
    Some(format!(
        "you changed the course's {} {}: your checks run your version, but grading runs the \
         course's. `git checkout -- <file>` puts one back.",
        if files.len() == 1 { "test" } else { "tests" },
        files.join(", ")
    ))
}

/// `exercises/NN_topic/tests/`, with `/` on every platform.
fn tests_folder(exercise: &Exercise) -> String {
    format!(
        "{}/tests/",
        exercise.dir.to_string_lossy().replace('\\', "/")
    )
}

/// git's tag and path for each tracked file below `exercises/` that is deleted or changed.
fn git_file_states(root: &Path) -> Vec<(char, String)> {
    let Ok(output) = Command::new("git")
        .args([
            "ls-files",
            "-t",
            "--deleted",
            "--modified",
            "-z",
            "--",
            "exercises",
        ])
        .current_dir(root)
        .output()
    else {
        return Vec::new();
    };
    if !output.status.success() {
        return Vec::new();
    }
    output
        .stdout
        .split(|&byte| byte == 0)
        .filter_map(|entry| {
            let entry = String::from_utf8_lossy(entry);
            let (tag, path) = entry.split_once(' ')?;
            Some((tag.chars().next()?, path.to_string()))
        })
        .collect()
}
