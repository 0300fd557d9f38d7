//! The learner's source: which frames are in the package under test, the text of their lines,
//! and where a function took the lock it still holds.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The longest line quoted; the rest is cut with an ellipsis.
const QUOTE_CHARS: usize = 100;

/// The package's files, read once each.
pub struct Sources {
    package_dir: PathBuf,
    relative: HashMap<String, Option<String>>,
    lines: HashMap<String, Vec<String>>,
}

impl Sources {
    pub fn new(package_dir: &Path) -> Sources {
        Sources {
            package_dir: package_dir.to_path_buf(),
            relative: HashMap::new(),
            lines: HashMap::new(),
        }
    }

    /// A frame's file relative to the package (`src/lib.rs`), when it is in the package.
    pub fn in_package(&mut self, file: &str) -> Option<String> {
        if let Some(known) = self.relative.get(file) {
            return known.clone();
        }
        let found = self.resolve(Path::new(file));
        self.relative.insert(file.to_string(), found.clone());
        found
    }

    /// The debug information names a file as rustc was given it: absolute, or relative to the
    /// folder cargo ran rustc in (the workspace's, or the package's own). That folder is one of
    /// the package folder's ancestors.
    fn resolve(&self, file: &Path) -> Option<String> {
        let candidates: Vec<PathBuf> = if file.is_absolute() {
            vec![file.to_path_buf()]
        } else {
            self.package_dir
                .ancestors()
                .map(|folder| folder.join(file))
                .collect()
        };
        candidates.into_iter().find_map(|path| {
            let inside = path.strip_prefix(&self.package_dir).ok()?;
            path.is_file().then(|| slashed(inside))
        })
    }

    /// The text of a line of a package file (1-based), trimmed and cut to a readable length.
    /// A line that continues a method chain (`.lock()`) gets the lines it continues.
    pub fn quote(&mut self, file: &str, line: u32) -> Option<String> {
        let lines = self.lines(file);
        let mut index = line.checked_sub(1)? as usize;
        let mut text = lines.get(index)?.trim().to_string();
        while text.starts_with('.') && index > 0 && text.len() < QUOTE_CHARS {
            index -= 1;
            text = format!("{}{text}", lines[index].trim());
        }
        Some(match text.char_indices().nth(QUOTE_CHARS) {
            Some((cut, _)) => format!("{}…", &text[..cut]),
            None => text,
        })
    }

    pub fn lines(&mut self, file: &str) -> &[String] {
        let path = self.package_dir.join(file);
        self.lines.entry(file.to_string()).or_insert_with(|| {
            fs::read_to_string(path)
                .map(|text| text.lines().map(String::from).collect())
                .unwrap_or_default()
        })
    }
}

fn slashed(path: &Path) -> String {
    path.components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The line above `line`, in the same function, where a call to one of `calls` took a lock
/// whose guard is still alive, for "holds the lock taken at ...".
///
/// A stack shows where each thread waits, not which guards it holds, so this reads the source:
/// the nearest earlier `let guard = ...method(...)` in the same function (or closure) whose
/// guard was not dropped since. It is a reading of the code, not of memory; the lock graph
/// (which thread holds which Mutex) comes from the stacks themselves.
pub fn earlier_lock(lines: &[String], line: u32, calls: &[&str], in_closure: bool) -> Option<u32> {
    let wait = line.checked_sub(1)? as usize;
    let mut dropped: Vec<String> = Vec::new();
    for index in (0..wait.min(lines.len())).rev() {
        let text = lines[index].trim();
        if calls.iter().any(|call| takes_lock(text, call)) {
            match guard_name(text) {
                Some(name) if !dropped.contains(&name.to_string()) => {
                    return Some(index as u32 + 1);
                }
                _ => {}
            }
        }
        if starts_function(text) || (in_closure && starts_closure(text)) {
            return None;
        }
        dropped.extend(dropped_names(text));
    }
    None
}

/// Whether the line calls `function`: `m.lock()`, `self.lock_account(to)`, `lock(&a)`.
fn takes_lock(text: &str, function: &str) -> bool {
    let call = format!("{function}(");
    text.match_indices(&call).any(|(at, _)| {
        !text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// `let mut payer = self.lock_account(from);` -> `payer`. A statement that is not a `let`
/// drops its guard at its end, and so does `let x = *m.lock()...`, which copies the value.
fn guard_name(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("let ")?;
    let rest = rest.strip_prefix("mut ").unwrap_or(rest);
    let (pattern, value) = rest.split_once('=')?;
    if value.trim_start().starts_with('*') {
        return None;
    }
    let name = pattern.split(':').next()?.trim();
    (!name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_')).then_some(name)
}

/// The names a line drops: `drop(guard)`.
fn dropped_names(text: &str) -> impl Iterator<Item = String> + '_ {
    text.match_indices("drop(").filter_map(|(at, _)| {
        let rest = &text[at + "drop(".len()..];
        let name = &rest[..rest.find(')')?];
        Some(name.trim().to_string())
    })
}

fn starts_function(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let Some(fn_at) = words.iter().position(|word| *word == "fn") else {
        return false;
    };
    words[..fn_at].iter().all(|word| {
        word.starts_with("pub") || ["async", "const", "unsafe", "extern", "\"C\""].contains(word)
    })
}

/// A line that opens a closure's body: `thread::spawn(move || {`, `.map(|x| {`.
fn starts_closure(text: &str) -> bool {
    text.contains('|') && text.ends_with('{')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(String::from).collect()
    }

    const TRANSFER: &str = "\
fn transfer(&self, from: usize, to: usize) {
    let total = *self.lock_account(0);
    let mut payer = self.lock_account(from);
    self.pause_between_locks();
    let mut payee = self.lock_account(to);
}";

    #[test]
    fn the_earlier_lock_of_the_same_function_is_found() {
        assert_eq!(
            earlier_lock(&lines(TRANSFER), 5, &["lock", "lock_account"], false),
            Some(3)
        );
    }

    #[test]
    fn a_copied_value_or_a_dropped_guard_holds_no_lock() {
        let code = lines(
            "fn f() {\n    let a = m.lock().unwrap();\n    drop(a);\n    let b = *n.lock().unwrap();\n    let c = m.lock().unwrap();\n}",
        );
        assert_eq!(earlier_lock(&code, 5, &["lock"], false), None);
    }

    #[test]
    fn the_search_stops_at_the_start_of_the_function_or_closure() {
        let code = lines(
            "fn f() {\n    let a = m.lock().unwrap();\n    thread::spawn(move || {\n        let b = n.lock().unwrap();\n    });\n}\npub fn g() {\n    let c = n.lock().unwrap();\n}",
        );
        assert_eq!(earlier_lock(&code, 4, &["lock"], true), None);
        assert_eq!(earlier_lock(&code, 8, &["lock"], false), None);
        // Outside a closure frame, the closure's opening line is just a line.
        assert_eq!(earlier_lock(&code, 4, &["lock"], false), Some(2));
    }

    #[test]
    fn a_method_is_a_whole_word() {
        assert!(takes_lock("let g = lock(&a);", "lock"));
        assert!(takes_lock("let g = a.lock().unwrap();", "lock"));
        assert!(!takes_lock("let g = self.lock_account(1);", "lock"));
        assert!(!takes_lock("let g = self.unlock(1);", "lock"));
    }

    #[test]
    fn package_files_are_found_from_relative_and_absolute_names() {
        let package = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sources = Sources::new(package);
        assert_eq!(
            sources.in_package("src/lib.rs").as_deref(),
            Some("src/lib.rs")
        );
        assert_eq!(
            sources.in_package("testkit/src/lib.rs").as_deref(),
            Some("src/lib.rs")
        );
        let absolute = package.join("src/lib.rs");
        assert_eq!(
            sources.in_package(&absolute.to_string_lossy()).as_deref(),
            Some("src/lib.rs")
        );
        assert_eq!(sources.in_package("library/std/src/sync/mpsc.rs"), None);
        let chain = include_str!("source.rs")
            .lines()
            .position(|line| line.trim() == ".is_some_and(|c| c.is_alphanumeric() || c == '_')")
            .expect("a method chain in this file") as u32;
        assert_eq!(
            sources
                .quote("src/diagnose/source.rs", chain + 1)
                .as_deref(),
            Some(
                "!text[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_')"
            )
        );
        assert_eq!(
            sources.quote("src/diagnose/source.rs", 1).as_deref(),
            Some(
                "//! The learner's source: which frames are in the package under test, the text of their lines,"
            )
        );
    }
}
