//! Test files of an exercise that git tracks but the working tree has lost. An exercise checked
//! without one of its test files would pass on the tests that are left, so a deleted one
//! turns the verdict into a failure that names it and the command that brings it back. (Other
//! files matter less: a lost lesson changes no verdict, a lost `src/lib.rs` does not compile.)
//!
//! Without git (a downloaded course) nothing is found here; the last line of defence is then
//! [`crate::verdict::judge`], which does not pass an exercise that ran no test at all.

use crate::course::Course;
use crate::libtest::TestFailure;
use crate::pipeline::Checked;
use crate::verdict::Verdict;
use std::path::Path;
use std::process::Command;

/// Marks every exercise of `checked` that lost a tracked test file as failed, naming the files.
pub fn mark(course: &Course, checked: &mut [Checked]) {
    let deleted = deleted_files(&course.root);
    if deleted.is_empty() {
        return;
    }
    for entry in checked {
        let folder = format!(
            "{}/",
            entry.exercise.dir.to_string_lossy().replace('\\', "/")
        );
        let tests = format!("{folder}tests/");
        let lost: Vec<&String> = deleted
            .iter()
            .filter(|path| path.starts_with(&tests))
            .collect();
        if lost.is_empty() {
            continue;
        }
        let mut failures: Vec<TestFailure> = lost
            .iter()
            .map(|path| TestFailure {
                name: path[folder.len()..].to_string(),
                message: format!(
                    "this test file of the course was deleted, so the exercise cannot be checked \
                     in full. Bring it back with:  git checkout -- {path}"
                ),
            })
            .collect();
        if let Verdict::Failed(others) = &entry.verdict {
            failures.extend(others.iter().cloned());
        }
        entry.verdict = Verdict::Failed(failures);
    }
}

/// The tracked files missing from the working tree below `root`, relative to it with `/`.
/// Empty when git or the repository is not there.
fn deleted_files(root: &Path) -> Vec<String> {
    let Ok(output) = Command::new("git")
        .args(["ls-files", "--deleted", "-z", "--", "exercises"])
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
        .filter(|path| !path.is_empty())
        .map(|path| String::from_utf8_lossy(path).into_owned())
        .collect()
}
