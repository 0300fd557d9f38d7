//! Verdicts remembered between runs, keyed by [`crate::pipeline::fingerprint`]: an exercise whose inputs
//! did not change is neither built nor run again. A few verdicts are kept per exercise, the
//! newest first, so that undoing an edit gives back the verdict from before it at once. The
//! cache lives in the target dir, so `cargo clean` clears it with the builds it stands for.
//!
//! It stays small: at most [`PER_EXERCISE`] verdicts per exercise, and of each run's output
//! (which only `check` shows) at most [`KEEP_OUTPUT`] bytes per stream.

use crate::pipeline::verdict::Checked;
use crate::pipeline::verdict::Verdict;
use crate::platform::process::Finished;
use crate::platform::store;
use serde_derive::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Bumped whenever the stored form changes; an older cache is then simply not used.
const FORMAT: u32 = 3;

/// How many verdicts are kept per exercise: the current one and a few before it.
pub const PER_EXERCISE: usize = 4;

/// How much of each stream of a run's output is kept: its start and its end.
pub const KEEP_OUTPUT: usize = 8 * 1024;

#[derive(Serialize, Deserialize)]
struct Stored {
    format: u32,
    /// Per exercise, its verdicts, the newest first.
    entries: BTreeMap<String, Vec<Entry>>,
}

/// What a verdict was made from: the exercise's inputs ([`crate::pipeline::fingerprint::key`])
/// and the compiler ([`crate::pipeline::fingerprint::toolchain`]).
pub struct Key {
    pub inputs: String,
    pub toolchain: String,
}

/// Stored with its inputs' key under the name `key`, as before the toolchain had a field of
/// its own, so that a checker of either age reads the other's file, sees the format, and
/// starts afresh without calling the file damaged.
#[derive(Clone, Serialize, Deserialize)]
struct Entry {
    #[serde(rename = "key")]
    inputs: String,
    #[serde(default)]
    toolchain: String,
    verdict: Verdict,
    runs: Vec<Finished>,
}

impl Entry {
    fn is_for(&self, key: &Key) -> bool {
        self.inputs == key.inputs && self.toolchain == key.toolchain
    }
}

pub struct Cache {
    path: PathBuf,
    entries: BTreeMap<String, Vec<Entry>>,
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

    /// The remembered verdict of `name`, if one was made from these `inputs` with this
    /// compiler. `toolchain` is asked only when a verdict was made from the same inputs: asking
    /// the compiler takes longer than the rest of a run's bookkeeping, and an edited exercise
    /// is rebuilt whatever the compiler is.
    pub fn get(
        &self,
        name: &str,
        inputs: &str,
        toolchain: impl FnOnce() -> String,
    ) -> Option<(Verdict, Vec<Finished>)> {
        let mut same_inputs = self
            .entries
            .get(name)?
            .iter()
            .filter(|entry| entry.inputs == inputs)
            .peekable();
        same_inputs.peek()?;
        let toolchain = toolchain();
        same_inputs
            .find(|entry| entry.toolchain == toolchain)
            .map(|entry| (entry.verdict.clone(), entry.runs.clone()))
    }

    /// Remembers a verdict as the newest of its exercise, forgetting the oldest beyond
    /// [`PER_EXERCISE`].
    pub fn put(&mut self, checked: &Checked, key: Key) {
        let kept = self
            .entries
            .entry(checked.exercise.name.clone())
            .or_default();
        kept.retain(|entry| !entry.is_for(&key));
        kept.insert(
            0,
            Entry {
                inputs: key.inputs,
                toolchain: key.toolchain,
                verdict: checked.verdict.clone(),
                runs: checked.runs.iter().map(shortened).collect(),
            },
        );
        kept.truncate(PER_EXERCISE);
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

/// A run with at most [`KEEP_OUTPUT`] bytes of each stream: a quarter from its start, the rest
/// from its end, where libtest's failures and summary are.
fn shortened(run: &Finished) -> Finished {
    Finished {
        stdout: keep_ends(&run.stdout),
        stderr: keep_ends(&run.stderr),
        ..run.clone()
    }
}

fn keep_ends(text: &str) -> String {
    if text.len() <= KEEP_OUTPUT {
        return text.to_string();
    }
    let head = floor_char_boundary(text, KEEP_OUTPUT / 4);
    let tail = ceil_char_boundary(text, text.len() - (KEEP_OUTPUT - KEEP_OUTPUT / 4));
    format!(
        "{}\n[... {} bytes of this output are not remembered; `--no-cache` runs the tests again ...]\n{}",
        &text[..head],
        tail - head,
        &text[tail..]
    )
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::course::Exercise;
    use crate::platform::process::Ending;
    use std::time::Duration;

    fn checked(name: &str, verdict: Verdict, output: &str) -> Checked {
        Checked {
            exercise: Exercise {
                number: 1,
                name: name.into(),
                dir: PathBuf::from(format!("exercises/01_{name}")),
                title: name.into(),
                skill: String::new(),
                points: 10,
                time_limit: Duration::from_secs(10),
                hints: vec!["a hint".into()],
            },
            verdict,
            runs: vec![Finished {
                ending: Ending::Exited(0),
                stdout: output.into(),
                stderr: String::new(),
                diagnosis: None,
                left_out_bytes: 0,
            }],
        }
    }

    fn rustc() -> String {
        "rustc 1.95.0".into()
    }

    fn key(inputs: &str) -> Key {
        Key {
            inputs: inputs.into(),
            toolchain: rustc(),
        }
    }

    fn temporary(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("checker-cache-{name}-{}.json", std::process::id()))
    }

    #[test]
    fn undoing_an_edit_gives_back_the_verdict_from_before_it() {
        let path = temporary("undo");
        let (mut cache, _) = Cache::load(path.clone());
        let failed = Verdict::Crashed("before the edit".into());
        cache.put(&checked("condvar", failed.clone(), "out"), key("before"));
        cache.put(&checked("condvar", Verdict::Passed, "out"), key("edited"));
        cache.save();
        let (cache, note) = Cache::load(path.clone());
        let _ = std::fs::remove_file(&path);
        assert_eq!(note, None);
        assert_eq!(
            cache.get("condvar", "before", rustc).map(|(v, _)| v),
            Some(failed)
        );
        assert_eq!(
            cache.get("condvar", "edited", rustc).map(|(v, _)| v),
            Some(Verdict::Passed)
        );
    }

    #[test]
    fn a_few_verdicts_are_kept_per_exercise_and_the_file_stays_small() {
        let path = temporary("bounded");
        let (mut cache, _) = Cache::load(path.clone());
        let flood = "a line a test printed\n".repeat(20_000);
        for exercise in 0..24 {
            for edit in 0..10 {
                let verdict = Verdict::Crashed(format!("edit {edit}"));
                cache.put(
                    &checked(&format!("exercise{exercise}"), verdict, &flood),
                    key(&format!("key{edit}")),
                );
            }
        }
        cache.save();
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let (cache, _) = Cache::load(path.clone());
        let _ = std::fs::remove_file(&path);
        assert!(
            cache.get("exercise3", "key5", rustc).is_none(),
            "the oldest are forgotten"
        );
        let (_, runs) = cache
            .get("exercise3", "key9", rustc)
            .expect("the newest is kept");
        assert!(runs[0].stdout.ends_with("a line a test printed\n"));
        assert!(runs[0].stdout.contains("not remembered"));
        assert!(cache.get("exercise3", "key6", rustc).is_some());
        // 24 exercises, 4 verdicts each, 8 KiB of output each: under 1 MiB in all.
        assert!(size < 1 << 20, "the cache takes {size} bytes");
    }

    #[test]
    fn the_compiler_is_asked_only_when_a_verdict_was_made_from_the_same_inputs() {
        let (mut cache, _) = Cache::load(temporary("compiler"));
        cache.put(&checked("condvar", Verdict::Passed, "out"), key("before"));
        let not_asked = || panic!("the compiler was asked about inputs with no verdict");
        assert!(cache.get("condvar", "edited", not_asked).is_none());
        assert!(cache.get("rwlock", "before", not_asked).is_none());
        // The same inputs on another compiler are not the same verdict.
        assert!(
            cache
                .get("condvar", "before", || "rustc 1.96.0".into())
                .is_none()
        );
        assert!(cache.get("condvar", "before", rustc).is_some());
    }
}
