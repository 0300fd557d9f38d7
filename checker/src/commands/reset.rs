//! `checker reset`: puts an exercise's files back as the course shipped them, keeping a backup
//! of what it replaces.
//!
//! What "as shipped" is does not depend on git's history or on who committed: the course
//! lists each learner file's shipped content by its git blob id (see [`crate::state::shipped`]), and
//! reset restores exactly that blob, after any commits of the learner's, under any identity.

use crate::fatal::{Fatal, Result};
use crate::pipeline::course::{Course, Exercise};
use crate::state::shipped;
use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

/// Shows what would be put back, asks (unless `yes`), and puts it back.
pub fn run(course: &Course, exercise: &str, yes: bool) -> Result<ExitCode> {
    let exercise = course.find(exercise)?;
    let plan = plan(course, exercise)?;
    if plan.is_empty() {
        println!("`{}` is already as the course shipped it.", exercise.name);
        return Ok(ExitCode::SUCCESS);
    }
    println!("This puts back the starting version of:");
    for restore in &plan {
        println!(
            "  {} (as shipped: git blob {:.10})",
            restore.path.display(),
            restore.blob
        );
    }
    if !yes && !confirm("Replace your version? A backup is kept. [y/N] ") {
        println!("Nothing was changed.");
        return Ok(ExitCode::FAILURE);
    }
    let backup = apply(course, &plan)?;
    println!(
        "Done. Your version is backed up in {}",
        backup
            .strip_prefix(&course.root)
            .unwrap_or(&backup)
            .display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Asks a yes/no question on the terminal; anything but "y" or "yes" is a no.
fn confirm(question: &str) -> bool {
    use std::io::Write;
    print!("{question}");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().read_line(&mut answer);
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

/// One file to restore: where it goes and what it held when shipped.
pub struct Restore {
    pub path: PathBuf,
    pub starting: Vec<u8>,
    /// The shipped content's git blob id.
    pub blob: String,
}

/// The learner's files of `exercise` (those with a counterpart under `solutions/`) whose content
/// differs from the shipped one.
pub fn plan(course: &Course, exercise: &Exercise) -> Result<Vec<Restore>> {
    let files = shipped::learner_files(course, exercise)?;
    if files.is_empty() {
        return Err(Fatal::new(format!(
            "{} lists no files, so the checker cannot tell which files of `{}` are yours to reset.",
            course
                .root
                .join("solutions")
                .join(exercise.folder())
                .display(),
            exercise.name
        )));
    }
    let manifest = shipped::read(&course.root)?;
    let now = shipped::blob_ids(&course.root, &files)?;
    let mut plan = Vec::new();
    for (path, now) in files.iter().zip(now) {
        let blob = manifest.get(path).ok_or_else(|| {
            Fatal::new(format!(
                "{} does not list {path}, so the checker does not know what it held as shipped. Get {} from the course's repository (course authors: {}).",
                shipped::MANIFEST,
                shipped::MANIFEST,
                shipped::RECORD
            ))
        })?;
        if now.as_deref() == Some(blob.as_str()) {
            continue;
        }
        plan.push(Restore {
            path: PathBuf::from(path),
            starting: shipped::content(&course.root, path, blob)?,
            blob: blob.clone(),
        });
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
