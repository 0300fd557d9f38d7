//! What the checker remembers for a learner between runs: how many hints of each exercise they
//! have seen. Kept in `.checker/state.json` (not in git); a damaged file costs a warning and a
//! fresh start, never a crash.

use crate::store;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Default, Serialize, Deserialize)]
struct Stored {
    #[serde(default)]
    hints_seen: BTreeMap<String, usize>,
}

pub struct State {
    path: PathBuf,
    stored: Stored,
}

impl State {
    /// Loads the state; the note says what was wrong with a damaged file.
    pub fn load(folder: &Path) -> (State, Option<String>) {
        let path = folder.join("state.json");
        let (stored, note) = match store::read_json(&path) {
            Ok(stored) => (stored.unwrap_or_default(), None),
            Err(problem) => (
                Stored::default(),
                Some(format!("{problem}; starting from a fresh state")),
            ),
        };
        (State { path, stored }, note)
    }

    pub fn hints_seen(&self, exercise: &str) -> usize {
        self.stored.hints_seen.get(exercise).copied().unwrap_or(0)
    }

    pub fn set_hints_seen(&mut self, exercise: &str, level: usize) {
        self.stored.hints_seen.insert(exercise.to_string(), level);
    }

    pub fn save(&self) -> std::io::Result<()> {
        store::write_json(&self.path, &self.stored)
    }
}
