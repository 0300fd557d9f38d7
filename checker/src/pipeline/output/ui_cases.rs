//! What trybuild reported for each compile-fail (ui) case, and which differences from a
//! case's `.stderr` snapshot do not change what the case shows.
//!
//! A ui case is about the compiler rejecting a program for one reason. trybuild compares the
//! compiler's whole output byte for byte, so two things that have nothing to do with that
//! reason would fail a solved exercise:
//! - the `rust-src` component (which rust-analyzer asks learners to install) makes rustc show
//!   the standard library's source lines under every note that points into std;
//! - another compiler version words a note or a help line a little differently.
//!
//! So a mismatch passes when the outputs agree once std's source lines are left out, or when
//! they agree on what the lesson rests on: the error codes in order, the first line of each
//! error, and the primary `file:line` in the case's own file. Anything else fails as before.

/// One case that trybuild reported, and how it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// As trybuild names it: `tests/ui/send_handle.rs`.
    pub path: String,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// The snapshot differs, but not where it matters: the note says how.
    Tolerated(String),
    /// What went wrong, for the learner.
    Problem(String),
}

/// Every case in trybuild's report (it writes to stderr), in order.
pub fn reported(stderr: &str) -> Vec<Case> {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut cases = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        let Some((path, outcome)) = rest.split_once(" ... ") else {
            continue;
        };
        let outcome = match outcome.trim() {
            "ok" => Outcome::Ok,
            other => judge_problem(&lines[i + 1..], other),
        };
        cases.push(Case {
            path: path.to_string(),
            outcome,
        });
    }
    cases
}

/// The cases that went wrong, one line (or a few) each; `None` when none did.
pub fn problems(cases: &[Case]) -> Option<String> {
    let problems: Vec<String> = cases
        .iter()
        .filter_map(|case| match &case.outcome {
            Outcome::Problem(why) => Some(format!("{}: {why}", case.path)),
            _ => None,
        })
        .collect();
    (!problems.is_empty()).then(|| problems.join("\n"))
}

/// The notes of the cases that passed with a tolerated difference.
pub fn tolerance_notes(stderr: &str) -> Vec<String> {
    reported(stderr)
        .into_iter()
        .filter_map(|case| match case.outcome {
            Outcome::Tolerated(note) => Some(format!("{}: {note}", case.path)),
            _ => None,
        })
        .collect()
}

/// Whether a failed test's section is trybuild's panic (`2 of 5 tests failed`).
pub fn is_trybuild_panic(section: &str) -> bool {
    section.contains("tests failed") || section.contains("test failed")
}

/// Whether trybuild failed its test only for cases whose differences are tolerated: each case
/// it counted as failed is one of those, and none is a real problem.
pub fn only_tolerated_differences(cases: &[Case], section: &str) -> bool {
    let tolerated = cases
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Tolerated(_)))
        .count();
    let problems = cases
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Problem(_)))
        .count();
    tolerated > 0 && problems == 0 && failed_count(section) == Some(tolerated)
}

/// `N` from trybuild's panic message `N of M tests failed` (or `1 test failed`).
fn failed_count(section: &str) -> Option<usize> {
    section.lines().find_map(|line| {
        let line = line.trim();
        let head = line
            .strip_suffix(" tests failed")
            .or_else(|| line.strip_suffix(" test failed"))?;
        head.split_whitespace().next()?.parse().ok()
    })
}

/// A case that did not go `ok`, from its outcome word and the lines after it.
fn judge_problem(after: &[&str], outcome: &str) -> Outcome {
    let first = after
        .iter()
        .map(|l| l.trim())
        .find(|l| !l.is_empty())
        .unwrap_or(outcome);
    match first {
        "Expected test case to fail to compile, but it succeeded." => {
            Outcome::Problem("this program must not compile, but it does".to_string())
        }
        "EXPECTED:" => {
            let (Some(expected), Some(actual)) = (
                ruled_block(after, "EXPECTED:"),
                ruled_block(after, "ACTUAL OUTPUT:"),
            ) else {
                return Outcome::Problem(
                    "the compiler's error differs from the expected .stderr".to_string(),
                );
            };
            mismatch(&expected, &actual)
        }
        other => Outcome::Problem(other.to_string()),
    }
}

/// Judges a snapshot mismatch (see the module's documentation).
fn mismatch(expected: &[&str], actual: &[&str]) -> Outcome {
    if without_std_source(expected) == without_std_source(actual) {
        return Outcome::Tolerated(
            "the compiler's output differs only in standard-library source lines (rust-src \
             installed)"
                .to_string(),
        );
    }
    let (expected_line, actual_line) = first_difference(expected, actual);
    if Essentials::of(expected) == Essentials::of(actual) {
        return Outcome::Tolerated(format!(
            "the compiler words its output a little differently, with the same errors at the \
             same place; first difference:\n  expected: {expected_line}\n  got:      {actual_line}"
        ));
    }
    Outcome::Problem(format!(
        "the compiler's error differs from the expected .stderr\n  expected: {expected_line}\n  got:      {actual_line}"
    ))
}

/// What a case's lesson rests on.
#[derive(Debug, PartialEq, Eq)]
struct Essentials {
    /// The `error[E…]: …` lines, in order: the codes and each error's first line.
    errors: Vec<String>,
    /// The first `--> file:line:col` that is in the case's own files (not `$RUST` or `$CARGO`).
    primary: Option<String>,
}

impl Essentials {
    fn of(output: &[&str]) -> Essentials {
        Essentials {
            errors: output
                .iter()
                .filter(|l| l.starts_with("error"))
                .map(|l| l.trim_end().to_string())
                .collect(),
            primary: output
                .iter()
                .filter_map(|l| l.trim_start().strip_prefix("--> "))
                .find(|place| !is_outside_the_case(place))
                .map(|place| place.trim_end().to_string()),
        }
    }
}

fn is_outside_the_case(place: &str) -> bool {
    place.starts_with("$RUST") || place.starts_with("$CARGO")
}

/// The output without the source lines shown under arrows into std or a dependency, with each
/// line's indent and gutter padding taken out (the gutter widens with std's line numbers) and
/// bare gutters dropped.
fn without_std_source(output: &[&str]) -> Vec<String> {
    let mut kept = Vec::new();
    let mut under_std_arrow = false;
    for line in output {
        let trimmed = line.trim();
        let arrow = trimmed
            .strip_prefix("--> ")
            .or_else(|| trimmed.strip_prefix("::: "));
        if let Some(place) = arrow {
            under_std_arrow = is_outside_the_case(place);
            if under_std_arrow {
                kept.push(format!("--> {}", without_line_and_column(place)));
                continue;
            }
        } else if under_std_arrow && is_source_line(trimmed) {
            continue;
        } else {
            under_std_arrow = false;
        }
        let folded = without_gutter_width(trimmed);
        if !folded.is_empty() && folded != "|" {
            kept.push(folded);
        }
    }
    kept
}

/// A source line with its gutter's padding taken out (`12  |  code` -> `12|  code`), the rest
/// left exactly as it is: where a `^^^` stands in the case's own line matters.
fn without_gutter_width(trimmed: &str) -> String {
    let number_end = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (number, rest) = trimmed.split_at(number_end);
    match rest.trim_start().strip_prefix('|') {
        Some(code) => format!("{number}|{}", code.trim_end()),
        None => trimmed.to_string(),
    }
}

/// A line of a source excerpt: `|`, `12 | code`, `   | ^^^^`, or `...` between excerpts.
fn is_source_line(trimmed: &str) -> bool {
    trimmed == "..."
        || trimmed
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .trim_start()
            .starts_with('|')
}

/// `$RUST/std/src/thread/mod.rs:712:8` -> `$RUST/std/src/thread/mod.rs`.
fn without_line_and_column(place: &str) -> &str {
    let mut place = place.trim_end();
    for _ in 0..2 {
        if let Some((head, tail)) = place.rsplit_once(':')
            && !tail.is_empty()
            && tail.bytes().all(|b| b.is_ascii_digit())
        {
            place = head;
        }
    }
    place
}

/// The first line where the two outputs part, each shortened for a message.
fn first_difference(expected: &[&str], actual: &[&str]) -> (String, String) {
    let shown = |line: Option<&&str>| match line {
        Some(line) => line.trim_end().chars().take(160).collect(),
        None => "(nothing more)".to_string(),
    };
    (0..expected.len().max(actual.len()))
        .find(|&n| expected.get(n) != actual.get(n))
        .map(|n| (shown(expected.get(n)), shown(actual.get(n))))
        .unwrap_or_default()
}

/// The lines between the two `┈` rules after the line `title`.
fn ruled_block<'a>(lines: &[&'a str], title: &str) -> Option<Vec<&'a str>> {
    let is_rule = |line: &&str| line.starts_with('┈');
    let start = lines.iter().position(|line| line.trim() == title)?;
    let mut after_title = lines[start + 1..].iter().skip_while(|l| !is_rule(l));
    after_title.next()?;
    Some(after_title.take_while(|l| !is_rule(l)).copied().collect())
}

#[cfg(test)]
#[path = "ui_cases_tests.rs"]
mod tests;
