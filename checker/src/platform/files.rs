//! Walking and copying the course's folders, shared by verify, grade, reset and solution.

use crate::fatal::{Fatal, Result};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// What is not part of a course copy: version control, build output, the checker's own state.
pub const NOT_COURSE: [&str; 3] = [".git", "target", ".checker"];

/// Every regular file below `folder`, as paths relative to it, leaving out the top-level
/// entries named in `skip`. Links are not followed, and names that are not valid UTF-8 are
/// kept as they are.
pub fn files_below(folder: &Path, skip: &[&str]) -> Result<BTreeSet<PathBuf>> {
    let mut files = BTreeSet::new();
    walk(folder, Path::new(""), skip, &mut files)?;
    Ok(files)
}

fn walk(root: &Path, relative: &Path, skip: &[&str], files: &mut BTreeSet<PathBuf>) -> Result<()> {
    let folder = root.join(relative);
    let entries = fs::read_dir(&folder)
        .map_err(|e| Fatal::new(format!("cannot read {}: {e}", folder.display())))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if relative.as_os_str().is_empty() && skip.iter().any(|s| name == *s) {
            continue;
        }
        let path = relative.join(&name);
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => walk(root, &path, skip, files)?,
            Ok(kind) if kind.is_file() => {
                files.insert(path);
            }
            _ => {}
        }
    }
    Ok(())
}

/// Copies the files below `from` into `to` (replacing files of the same name), leaving out the
/// top-level entries named in `skip`.
pub fn copy_tree(from: &Path, to: &Path, skip: &[&str]) -> Result<()> {
    for relative in files_below(from, skip)? {
        let (source, destination) = (from.join(&relative), to.join(&relative));
        if let Some(folder) = destination.parent() {
            fs::create_dir_all(folder)
                .map_err(|e| Fatal::new(format!("cannot create {}: {e}", folder.display())))?;
        }
        fs::copy(&source, &destination).map_err(|e| {
            Fatal::new(format!(
                "cannot copy {} to {}: {e}",
                source.display(),
                destination.display()
            ))
        })?;
    }
    Ok(())
}

/// A folder in the system's temporary space for `purpose`, the same for the same course on
/// every run. Course copies live there and not in a target dir: trybuild would then fail to
/// shorten its paths to `tests/ui/...`, and every snapshot would differ.
pub fn scratch_folder(purpose: &str, root: &Path) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    root.hash(&mut hasher);
    std::env::temp_dir()
        .join(format!("checker-{purpose}-{:016x}", hasher.finish()))
        .join("course")
}
