//! Compile-fail results remembered by what they can depend on. A ui case that never names the
//! learner's crate shows what rustc says about its own few lines, so its result depends on the
//! case's files, the exercise's manifest, the toolchain and the course's shared inputs, and not
//! on `src/`. The re-check after an edit to `src/` then reuses the ui test's passing run instead
//! of running trybuild (a cargo build of every case) again. An exercise with a case that does
//! name the learner's crate (22's `send_sync::Counter`, say) has its ui test run every time.
//!
//! Only `check` and `watch` use it: `verify`, `grade` and `--no-cache` always run the cases.

use crate::pipeline::course::{Course, Exercise};
use crate::pipeline::fingerprint::{self, Shared};
use crate::pipeline::output::libtest::Outcome;
use crate::pipeline::runner::TestRun;
use crate::platform::process::Ending;
use crate::platform::store;
use serde_derive::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

/// Bumped whenever the stored form changes; an older file is then simply not used.
const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Stored {
    format: u32,
    /// Per exercise, the key of the inputs and the passing run made from them.
    entries: BTreeMap<String, Entry>,
}

#[derive(Clone, Serialize, Deserialize)]
struct Entry {
    key: String,
    run: TestRun,
}

pub struct UiCache {
    path: PathBuf,
    /// Hashed when first needed, after cargo has resolved the build (a first build writes
    /// `Cargo.lock`, which is among the shared inputs).
    shared: OnceLock<Shared>,
    entries: Mutex<BTreeMap<String, Entry>>,
    changed: AtomicBool,
}

impl UiCache {
    /// Loads what earlier checks left; a missing, damaged or outdated file is an empty cache
    /// (nothing is lost: the cases are simply run).
    pub fn load(course: &Course) -> UiCache {
        let path = course
            .effective_target_dir()
            .join("checker")
            .join("ui-results.json");
        let entries = match store::read_json::<Stored>(&path) {
            Ok(Some(stored)) if stored.format == FORMAT => stored.entries,
            _ => BTreeMap::new(),
        };
        UiCache {
            path,
            shared: OnceLock::new(),
            entries: Mutex::new(entries),
            changed: AtomicBool::new(false),
        }
    }

    /// The remembered run of `exercise`'s ui test, when its inputs have not changed since.
    pub fn get(&self, course: &Course, exercise: &Exercise) -> Option<TestRun> {
        let key = self.key(course, exercise)?;
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(&exercise.name)
            .filter(|entry| entry.key == key)
            .map(|entry| entry.run.clone())
    }

    /// Remembers `run` when it is a whole pass and the exercise's cases can be remembered.
    pub fn put(&self, course: &Course, exercise: &Exercise, run: &TestRun) {
        let Some(key) = self.key(course, exercise) else {
            return;
        };
        if !is_whole_pass(run) {
            return;
        }
        let entry = Entry {
            key,
            run: run.clone(),
        };
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(exercise.name.clone(), entry);
        self.changed.store(true, Ordering::Relaxed);
    }

    /// Writes what was learned in this run; a failure to write only costs a later re-run.
    pub fn save(self) {
        if !self.changed.into_inner() {
            return;
        }
        let stored = Stored {
            format: FORMAT,
            entries: self.entries.into_inner().unwrap_or_else(|p| p.into_inner()),
        };
        let _ = store::write_json(&self.path, &stored);
    }

    /// `None` when a case names the learner's crate: then `src/` is one of its inputs.
    fn key(&self, course: &Course, exercise: &Exercise) -> Option<String> {
        let cases = course.root.join(&exercise.dir).join("tests").join("ui");
        if names_the_crate(&cases, &exercise.name) {
            return None;
        }
        let shared = self.shared.get_or_init(|| Shared::of(course));
        Some(fingerprint::ui_key(course, shared, exercise))
    }
}

/// Only a run that listed one test, logged it `ok` and exited 0 is worth keeping.
fn is_whole_pass(run: &TestRun) -> bool {
    let logged_ok = run
        .logged
        .as_ref()
        .is_some_and(|logged| logged.len() == 1 && logged[0].outcome == Outcome::Ok);
    run.listed.as_ref().is_some_and(|listed| listed.len() == 1)
        && logged_ok
        && run.finished.ending == Ending::Exited(0)
}

/// Whether any ui case (`*.rs` in `cases`) uses the crate `name` (`name::`, `use name`,
/// `extern crate name`). A case that cannot be read counts as using it.
fn names_the_crate(cases: &Path, name: &str) -> bool {
    let Ok(entries) = fs::read_dir(cases) else {
        return false;
    };
    let uses = [
        format!("{name}::"),
        format!("use {name}"),
        format!("crate {name}"),
    ];
    entries.flatten().any(|entry| {
        let path = entry.path();
        if path.extension().is_none_or(|ext| ext != "rs") {
            return false;
        }
        match fs::read_to_string(&path) {
            Ok(source) => uses.iter().any(|u| source.contains(u.as_str())),
            Err(_) => true,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::names_the_crate;
    use std::fs;

    #[test]
    fn a_case_that_uses_the_crate_is_told_from_one_that_does_not() {
        let cases = tempfile::tempdir().expect("a temporary folder");
        let case = |name: &str, source: &str| {
            fs::write(cases.path().join(name), source).expect("a case is written")
        };
        case("a.rs", "use std::rc::Rc;\nfn main() {}\n");
        case(
            "a.stderr",
            "send_sync::Counter is named in a snapshot only\n",
        );
        assert!(!names_the_crate(cases.path(), "send_sync"));
        case("b.rs", "fn main() { let c = send_sync::Counter::new(); }\n");
        assert!(names_the_crate(cases.path(), "send_sync"));
        assert!(!names_the_crate(&cases.path().join("missing"), "send_sync"));
    }

    #[test]
    fn every_way_of_naming_the_crate_counts() {
        for source in [
            "use tasks::Job;",
            "use tasks;",
            "extern crate tasks;",
            "tasks::run();",
        ] {
            let cases = tempfile::tempdir().expect("a temporary folder");
            fs::write(cases.path().join("case.rs"), source).expect("a case is written");
            assert!(names_the_crate(cases.path(), "tasks"), "{source}");
        }
    }
}
