//! Verdicts remembered between runs, keyed by [`crate::fingerprint`]: an exercise whose inputs
//! did not change is neither built nor run again. The cache lives in the target dir, so
//! `cargo clean` clears it with the builds it stands for.

use crate::pipeline::Checked;
use crate::process::Finished;
use crate::store;
use crate::verdict::Verdict;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Bumped whenever the stored form changes; an older cache is then simply not used.
const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Stored {
    format: u32,
    entries: BTreeMap<String, Entry>,
}

#[derive(Clone, Serialize, Deserialize)]
struct Entry {
    key: String,
    verdict: Verdict,
    runs: Vec<Finished>,
}

pub struct Cache {
    path: PathBuf,
    entries: BTreeMap<String, Entry>,
}

impl Cache {
    /// Loads the cache; a damaged or outdated one is set aside with a note, never an error.
    pub fn load(path: PathBuf) -> (Cache, Option<String>) {
        let (entries, note) = match store::read_json::<Stored>(&path) {
            Ok(Some(stored)) if stored.format == FORMAT => (stored.entries, None),
            Ok(_) => (BTreeMap::new(), None),
            Err(problem) => (
                BTreeMap::new(),
                Some(format!("{problem}; it will be rebuilt")),
            ),
        };
        (Cache { path, entries }, note)
    }

    /// The remembered verdict of `name`, if it was made from inputs with this `key`.
    pub fn get(&self, name: &str, key: &str) -> Option<(Verdict, Vec<Finished>)> {
        self.entries
            .get(name)
            .filter(|entry| entry.key == key)
            .map(|entry| (entry.verdict.clone(), entry.runs.clone()))
    }

    pub fn put(&mut self, checked: &Checked, key: String) {
        self.entries.insert(
            checked.exercise.name.clone(),
            Entry {
                key,
                verdict: checked.verdict.clone(),
                runs: checked.runs.clone(),
            },
        );
    }

    /// Saves the cache. Failing to save only costs speed next time, so it is not an error.
    pub fn save(&self) {
        let stored = Stored {
            format: FORMAT,
            entries: self.entries.clone(),
        };
        let _ = store::write_json(&self.path, &stored);
    }
}
