//! `checker reset`: puts an exercise's files back as the course shipped them, keeping a backup
//! of what it replaces.
//!
//! The starting version of a file comes from git: the newest commit that changed it and was
//! not authored by you (`git config user.email`). That is the course's last word on the file,
//! even after you have committed your own work on top, and in a GitHub Classroom copy it is
//! the template's commit.

use crate::course::{Course, Exercise};
use crate::fatal::{Fatal, Result};
use crate::files;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

/// One file to restore: where it goes and what it held when shipped.
pub struct Restore {
    pub path: PathBuf,
    pub starting: Vec<u8>,
    pub commit: String,
}

/// The learner's files of `exercise` (those with a counterpart under `solutions/`) whose content
/// differs from the starting version.
pub fn plan(course: &Course, exercise: &Exercise) -> Result<Vec<Restore>> {
    let solution = course.root.join("solutions").join(exercise.folder());
    let relative = files::files_below(&solution, &[])?;
    if relative.is_empty() {
        return Err(Fatal::new(format!(
            "{} lists no files, so the checker cannot tell which files of `{}` are yours to reset.",
            solution.display(),
            exercise.name
        )));
    }
    let me = git(&course.root, &["config", "user.email"]).unwrap_or_default();
    let mut plan = Vec::new();
    for file in relative {
        let path = exercise.dir.join(&file);
        let git_path = path.to_string_lossy().replace('\\', "/");
        let log = git(&course.root, &["log", "--format=%H %ae", "--", &git_path]).map_err(|e| {
            Fatal::new(format!(
                "cannot find the starting version of {git_path}: {e}\n  `reset` needs the course's git history (a clone, not a download)."
            ))
        })?;
        let commit = log
            .lines()
            .filter_map(|line| line.split_once(' '))
            .find(|(_, author)| author.trim() != me.trim())
            .map(|(commit, _)| commit.to_string())
            .ok_or_else(|| {
                Fatal::new(format!(
                    "no commit of the course holds {git_path} (every commit that touches it is yours, {})",
                    me.trim()
                ))
            })?;
        let starting = git_bytes(&course.root, &["show", &format!("{commit}:{git_path}")])
            .map_err(|e| Fatal::new(format!("cannot read {git_path} at {commit}: {e}")))?;
        let current = fs::read(course.root.join(&path)).ok();
        if current.as_deref() != Some(starting.as_slice()) {
            plan.push(Restore {
                path,
                starting,
                commit,
            });
        }
    }
    Ok(plan)
}

/// Backs up the current files under `.checker/backups/<time>/`, then writes the starting ones.
/// Returns the backup folder.
pub fn apply(course: &Course, plan: &[Restore]) -> Result<PathBuf> {
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let backup = course.state_dir().join("backups").join(stamp.to_string());
    for restore in plan {
        let source = course.root.join(&restore.path);
        if source.exists() {
            let kept = backup.join(&restore.path);
            if let Some(folder) = kept.parent() {
                fs::create_dir_all(folder)
                    .map_err(|e| Fatal::new(format!("cannot create {}: {e}", folder.display())))?;
            }
            fs::copy(&source, &kept).map_err(|e| {
                Fatal::new(format!(
                    "cannot back up {}: {e}; nothing was reset",
                    source.display()
                ))
            })?;
        }
    }
    for restore in plan {
        fs::write(course.root.join(&restore.path), &restore.starting).map_err(|e| {
            Fatal::new(format!(
                "cannot write {}: {e} (your version is in {})",
                restore.path.display(),
                backup.display()
            ))
        })?;
    }
    Ok(backup)
}

fn git(root: &Path, args: &[&str]) -> std::result::Result<String, String> {
    git_bytes(root, args).map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

fn git_bytes(root: &Path, args: &[&str]) -> std::result::Result<Vec<u8>, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|e| format!("could not run git ({e})"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
    }
}
