//! Fixture workspaces for the checker's tests: a copy of `tests/fixtures/<name>` in a temporary
//! folder, with a workspace manifest that points at this repository's testkit.
#![allow(dead_code)] // each test file uses the part it needs

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

pub fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the checker lives in the workspace")
        .to_path_buf()
}

/// A fresh copy of a fixture course.
pub fn fixture(name: &str) -> TempDir {
    let dir = tempfile::Builder::new()
        .prefix(&format!("checker-{name}-"))
        .tempdir()
        .expect("a temporary folder");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
        dir.path(),
    );
    let testkit = repository().join("testkit");
    fs::write(
        dir.path().join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [\"exercises/*\"]\n\n[workspace.dependencies]\ntestkit = {{ path = {:?} }}\n",
            testkit.display().to_string()
        ),
    )
    .expect("a manifest");
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("a folder");
    for entry in fs::read_dir(from).expect("a fixture folder") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("a copy");
        }
    }
}

/// The checker, run in `course`, building into the course's own target dir. Tests run in
/// parallel, and cargo names a workspace member's artifacts by its path *relative to the
/// workspace*, so two copies of one fixture sharing a target dir would overwrite each other's
/// test binaries.
pub fn checker(course: &Path) -> Command {
    let mut command = Command::cargo_bin("checker").expect("the checker binary");
    command
        .current_dir(course)
        .env("CARGO_TARGET_DIR", course.join("target"))
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .timeout(std::time::Duration::from_secs(300));
    command
}
