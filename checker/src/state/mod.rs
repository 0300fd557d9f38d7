//! What the checker remembers for a learner between runs: how many hints of each exercise they
//! have seen, and whether they were told that their compiler is not the pinned one. Kept in `.checker/state.json` (not in git); a damaged file costs a warning and a
//! fresh start, never a crash.

pub mod shipped;

use crate::platform::store;
use serde_derive::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Default, Serialize, Deserialize)]
struct Stored {
    #[serde(default)]
    hints_seen: BTreeMap<String, usize>,
    /// The compiler release that the learner was told is not the pinned one, so that they are
    /// told once.
    #[serde(default)]
    toolchain_noted: Option<String>,
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

    /// Whether `note` about the toolchain is new to the learner; remembers it as told.
    pub fn first_time_toolchain_note(&mut self, note: &str) -> bool {
        if self.stored.toolchain_noted.as_deref() == Some(note) {
            return false;
        }
        self.stored.toolchain_noted = Some(note.to_string());
        true
    }

    pub fn save(&self) -> std::io::Result<()> {
        store::write_json(&self.path, &self.stored)
    }
}
