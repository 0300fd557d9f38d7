//! What each learner file held as the course shipped it: `shipped.txt` at the course's root
//! lists, for every file that has a counterpart under `solutions/`, its git blob id (what
//! `git hash-object` gives). `reset` restores exactly that content from git's objects, so it
//! does not matter who committed what since: a learner's commits, under any identity, and a
//! GitHub Classroom copy whose history is the template's one commit, all still hold the
//! shipped blob.
//!
//! `verify` refuses a list that is out of date, and `verify --record-shipped` writes it again
//! (for course authors, after changing a shipped file); `cargo test` checks it too.

use crate::fatal::{Fatal, Result};
use crate::pipeline::course::{Course, Exercise};
use crate::platform::files;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

/// The list's file, at the course's root.
pub const MANIFEST: &str = "shipped.txt";

/// How an author brings the list up to date.
pub const RECORD: &str = "cargo run -p checker -- verify --record-shipped";

/// Learner file (`exercises/NN_topic/src/lib.rs`, with `/`) -> blob id as shipped.
pub type Manifest = BTreeMap<String, String>;

/// The learner's files of `exercise`: those with a counterpart under `solutions/`, as paths
/// from the course's root with `/`.
pub fn learner_files(course: &Course, exercise: &Exercise) -> Result<Vec<String>> {
    let solution = course.root.join("solutions").join(exercise.folder());
    if !solution.is_dir() {
        return Ok(Vec::new());
    }
    Ok(files::files_below(&solution, &[])?
        .into_iter()
        .map(|file| exercise.dir.join(file).to_string_lossy().replace('\\', "/"))
        .collect())
}

/// Reads `shipped.txt`: `<blob id>  <path>` lines; `#` starts a comment.
pub fn read(root: &Path) -> Result<Manifest> {
    let path = root.join(MANIFEST);
    let text = fs::read_to_string(&path).map_err(|e| {
        Fatal::new(format!(
            "cannot read {}: {e}\n  The course lists there what each of your files held as shipped. Get the file from the course's repository (course authors: {RECORD}).",
            path.display()
        ))
    })?;
    Ok(parse(&text))
}

fn parse(text: &str) -> Manifest {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let (blob, path) = line.split_once(char::is_whitespace)?;
            Some((path.trim().to_string(), blob.to_string()))
        })
        .collect()
}

fn render(manifest: &Manifest) -> String {
    let mut out = format!(
        "# What each learner file held as the course shipped it: its git blob id (`git hash-object`).\n\
         # `checker reset` restores exactly this content from git's objects.\n\
         # After changing a shipped file: {RECORD}\n"
    );
    for (path, blob) in manifest {
        out.push_str(&format!("{blob}  {path}\n"));
    }
    out
}

/// The blob ids of `paths` as they are now (git's view of their content, its filters
/// applied), or `None` for a file that is not there.
pub fn blob_ids(root: &Path, paths: &[String]) -> Result<Vec<Option<String>>> {
    let present: Vec<&String> = paths.iter().filter(|p| root.join(p).is_file()).collect();
    let mut ids = BTreeMap::new();
    if !present.is_empty() {
        let output = Command::new("git")
            .arg("hash-object")
            .arg("--")
            .args(&present)
            .current_dir(root)
            .output()
            .map_err(|e| {
                Fatal::new(format!(
                    "could not run git ({e}): the checker needs git to tell your files from the course's. Install git, then try again."
                ))
            })?;
        if !output.status.success() {
            return Err(Fatal::new(format!(
                "git could not read your files: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        for (path, id) in present.iter().zip(text.lines()) {
            ids.insert(path.as_str(), id.trim().to_string());
        }
    }
    Ok(paths.iter().map(|p| ids.get(p.as_str()).cloned()).collect())
}

/// The shipped content of `path`, from its blob, with git's filters for that path (line
/// endings) applied. The error says what to do when the blob is not there.
pub fn content(root: &Path, path: &str, blob: &str) -> Result<Vec<u8>> {
    let output = Command::new("git")
        .args(["cat-file", "--filters", &format!("--path={path}"), blob])
        .current_dir(root)
        .output()
        .map_err(|e| {
            Fatal::new(format!(
                "could not run git ({e}): `reset` takes the shipped files from git. Install git, then try again."
            ))
        })?;
    if output.status.success() {
        return Ok(output.stdout);
    }
    let said = String::from_utf8_lossy(&output.stderr).trim().to_string();
    let short = &blob[..blob.len().min(10)];
    if said.contains("not a git repository") {
        return Err(Fatal::new(format!(
            "`reset` needs the course's git history (a clone, not a download): the shipped {path} is git blob {short}, and this folder is not a git repository.\n  Clone the course (`git clone <the course's repository>`) and copy {path} from the clone."
        )));
    }
    Err(Fatal::new(format!(
        "the shipped version of {path} (git blob {short}) is not in this repository's history (git said: {said}).\n  Fetch the course's history into it, `git fetch <the course's repository>`, then run reset again; or copy {path} from a fresh clone of the course."
    )))
}

/// What is wrong with `shipped.txt` for the course as it is now: files missing from it,
/// listed with another content, or listed but not learner files. Empty when it is true.
pub fn problems(course: &Course) -> Result<Vec<String>> {
    let manifest = match read(&course.root) {
        Ok(manifest) => manifest,
        Err(e) => return Ok(vec![e.to_string()]),
    };
    let actual = current(course)?;
    let mut problems = Vec::new();
    for (path, id) in &actual {
        match manifest.get(path) {
            None => problems.push(format!("{path} is not listed")),
            Some(listed) if listed != id => {
                problems.push(format!("{path} is listed with another content"))
            }
            Some(_) => {}
        }
    }
    for path in manifest.keys().filter(|path| !actual.contains_key(*path)) {
        problems.push(format!("{path} is listed but is not a learner file"));
    }
    Ok(problems)
}

/// Writes `shipped.txt` for the course as it is now; returns how many files it lists.
pub fn record(course: &Course) -> Result<usize> {
    let manifest = current(course)?;
    let path = course.root.join(MANIFEST);
    fs::write(&path, render(&manifest))
        .map_err(|e| Fatal::new(format!("cannot write {}: {e}", path.display())))?;
    Ok(manifest.len())
}

/// Every learner file of the course with its blob id now.
fn current(course: &Course) -> Result<Manifest> {
    let mut paths = Vec::new();
    for exercise in &course.exercises {
        paths.extend(learner_files(course, exercise)?);
    }
    let ids = blob_ids(&course.root, &paths)?;
    let mut manifest = Manifest::new();
    for (path, id) in paths.into_iter().zip(ids) {
        let id = id.ok_or_else(|| {
            Fatal::new(format!(
                "{path} is missing: every file under solutions/ needs its shipped version in exercises/"
            ))
        })?;
        manifest.insert(path, id);
    }
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_reads_back_what_it_wrote() {
        let manifest: Manifest = [
            ("exercises/01_a/src/lib.rs".to_string(), "ab12".to_string()),
            ("exercises/02_b/src/lib.rs".to_string(), "cd34".to_string()),
        ]
        .into();
        let text = render(&manifest);
        assert!(text.starts_with('#'));
        assert!(text.contains("ab12  exercises/01_a/src/lib.rs\n"));
        assert_eq!(parse(&text), manifest);
    }
}
