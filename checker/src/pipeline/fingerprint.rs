//! What a verdict depends on, boiled down to a key per exercise: the exercise's files (code,
//! tests, ui snapshots, manifests), testkit, the workspace's manifest and lock file, RUSTFLAGS
//! and the checker itself ([`key`]), and the toolchain ([`toolchain`], apart because asking the
//! compiler is the slow part). Same key, same verdict: the course's tests are deterministic,
//! which is what makes caching verdicts sound.

use crate::pipeline::course::{Course, Exercise};
use crate::platform::toolchain;
use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::Path;

/// The inputs every exercise shares, hashed once per run (the toolchain apart: [`toolchain`]).
pub struct Shared(u64);

impl Shared {
    pub fn of(course: &Course) -> Shared {
        let mut hasher = DefaultHasher::new();
        // Two checkouts may share a target dir (and so a cache); they must not share verdicts.
        course.root.hash(&mut hasher);
        for file in [
            "Cargo.toml",
            "Cargo.lock",
            "rust-toolchain.toml",
            ".cargo/config.toml",
        ] {
            hash_file(&mut hasher, &course.root, Path::new(file));
        }
        hash_tree(&mut hasher, &course.root, Path::new("testkit"));
        std::env::var_os("RUSTFLAGS").hash(&mut hasher);
        checker_identity().hash(&mut hasher);
        Shared(hasher.finish())
    }
}

/// The compiler the course builds with (`rustc -vV`), as a key.
pub fn toolchain(course: &Course) -> String {
    let mut hasher = DefaultHasher::new();
    toolchain::description(&course.root).hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// The key of one exercise's inputs; with [`toolchain`], of its verdict.
pub fn key(course: &Course, shared: &Shared, exercise: &Exercise) -> String {
    let mut hasher = DefaultHasher::new();
    shared.0.hash(&mut hasher);
    hash_tree(&mut hasher, &course.root, &exercise.dir);
    format!("{:016x}", hasher.finish())
}

/// The key of an exercise's compile-fail results (see [`crate::pipeline::ui_cache`]): its ui cases and
/// their snapshots, the test that runs them and its manifest, what every exercise shares, and
/// the compiler (whose messages the snapshots hold); not `src/` nor the other tests.
pub fn ui_key(course: &Course, shared: &Shared, exercise: &Exercise) -> String {
    let mut hasher = DefaultHasher::new();
    shared.0.hash(&mut hasher);
    toolchain::description(&course.root).hash(&mut hasher);
    let tests = exercise.dir.join("tests");
    hash_file(&mut hasher, &course.root, &exercise.dir.join("Cargo.toml"));
    hash_file(&mut hasher, &course.root, &tests.join("ui.rs"));
    hash_tree(&mut hasher, &course.root, &tests.join("ui"));
    format!("{:016x}", hasher.finish())
}

/// A rebuilt checker may judge differently; its size and time of writing tell it apart.
fn checker_identity() -> (String, u64, Option<std::time::SystemTime>) {
    let metadata = std::env::current_exe().and_then(fs::metadata).ok();
    (
        env!("CARGO_PKG_VERSION").to_string(),
        metadata.as_ref().map_or(0, |m| m.len()),
        metadata.and_then(|m| m.modified().ok()),
    )
}

fn hash_file(hasher: &mut DefaultHasher, root: &Path, relative: &Path) {
    relative.hash(hasher);
    fs::read(root.join(relative)).ok().hash(hasher);
}

/// Every file below `relative`, in a stable order, by path and content; `target/` and hidden
/// folders are not inputs.
fn hash_tree(hasher: &mut DefaultHasher, root: &Path, relative: &Path) {
    let Ok(entries) = fs::read_dir(root.join(relative)) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        if name == "target" || name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = relative.join(&name);
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            hash_tree(hasher, root, &path);
        } else {
            hash_file(hasher, root, &path);
        }
    }
}
