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
mod tests {
    use super::*;

    /// A real snapshot of the course (10 `arc_mutex`, `rc_sent_to_a_thread`), as rustc 1.95
    /// prints it without `rust-src`.
    const WITHOUT_RUST_SRC: &str = "error[E0277]: `Rc<String>` cannot be sent between threads safely
  --> tests/ui/rc_sent_to_a_thread.rs:12:32
   |
12 |     let worker = thread::spawn(move || println!(\"worker sees {for_worker}\"));
   |                  ------------- -------^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   |                  |             |
   |                  |             `Rc<String>` cannot be sent between threads safely
   |                  required by a bound introduced by this call
   |
   = help: within `{closure@$DIR/tests/ui/rc_sent_to_a_thread.rs:12:32: 12:39}`, the trait `Send` is not implemented for `Rc<String>`
note: required because it's used within this closure
  --> tests/ui/rc_sent_to_a_thread.rs:12:32
   |
12 |     let worker = thread::spawn(move || println!(\"worker sees {for_worker}\"));
   |                                ^^^^^^^
note: required by a bound in `spawn`
  --> $RUST/std/src/thread/functions.rs";

    /// The same, as rustc prints it with `rust-src` installed: std's source lines under the
    /// last arrow, and a gutter widened by std's line numbers (which trybuild blanks out).
    const WITH_RUST_SRC: &str = "error[E0277]: `Rc<String>` cannot be sent between threads safely
   --> tests/ui/rc_sent_to_a_thread.rs:12:32
    |
12  |     let worker = thread::spawn(move || println!(\"worker sees {for_worker}\"));
    |                  ------------- -------^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
    |                  |             |
    |                  |             `Rc<String>` cannot be sent between threads safely
    |                  required by a bound introduced by this call
    |
    = help: within `{closure@$DIR/tests/ui/rc_sent_to_a_thread.rs:12:32: 12:39}`, the trait `Send` is not implemented for `Rc<String>`
note: required because it's used within this closure
   --> tests/ui/rc_sent_to_a_thread.rs:12:32
    |
12  |     let worker = thread::spawn(move || println!(\"worker sees {for_worker}\"));
    |                                ^^^^^^^
note: required by a bound in `spawn`
   --> $RUST/std/src/thread/functions.rs
    |
    | pub fn spawn<F, T>(f: F) -> JoinHandle<T>
    |        ----- required by a bound in this function
...
    |     F: Send + 'static,
    |        ^^^^ required by this bound in `spawn`";

    fn lines(text: &str) -> Vec<&str> {
        text.lines().collect()
    }

    /// trybuild's report of one mismatched case, as it prints it.
    fn report(case: &str, expected: &str, actual: &str) -> String {
        let rule = "┈".repeat(30);
        format!(
            "\ntest {case} ... mismatch\n\nEXPECTED:\n{rule}\n{expected}\n{rule}\n\nACTUAL OUTPUT:\n{rule}\n{actual}\n{rule}\nnote: If the actual output is the correct output you can bless it by rerunning\n      your test with the environment variable TRYBUILD=overwrite\n\ntest tests/ui/other.rs ... ok\n"
        )
    }

    #[test]
    fn std_source_lines_from_rust_src_are_tolerated() {
        let cases = reported(&report(
            "tests/ui/rc_sent_to_a_thread.rs",
            WITHOUT_RUST_SRC,
            WITH_RUST_SRC,
        ));
        assert_eq!(cases.len(), 2);
        assert_eq!(
            cases[0].outcome,
            Outcome::Tolerated(
                "the compiler's output differs only in standard-library source lines (rust-src installed)".into()
            )
        );
        assert_eq!(cases[1].outcome, Outcome::Ok);
        // And the other way round: a snapshot recorded with rust-src, checked without it.
        assert!(matches!(
            mismatch(&lines(WITH_RUST_SRC), &lines(WITHOUT_RUST_SRC)),
            Outcome::Tolerated(_)
        ));
    }

    #[test]
    fn a_note_worded_differently_is_tolerated_and_named() {
        let drifted = WITHOUT_RUST_SRC.replace(
            "note: required because it's used within this closure",
            "note: required because it is used within this closure",
        );
        let Outcome::Tolerated(note) = mismatch(&lines(WITHOUT_RUST_SRC), &lines(&drifted)) else {
            panic!("a wording drift in a note must pass");
        };
        assert!(
            note.ends_with("got:      note: required because it is used within this closure"),
            "{note}"
        );
    }

    #[test]
    fn another_error_code_or_primary_line_is_a_real_difference() {
        let other_code = WITHOUT_RUST_SRC.replace("error[E0277]", "error[E0373]");
        let other_line = WITHOUT_RUST_SRC.replacen(
            "--> tests/ui/rc_sent_to_a_thread.rs:12:32",
            "--> tests/ui/rc_sent_to_a_thread.rs:13:32",
            1,
        );
        let other_type = WITHOUT_RUST_SRC.replace(
            "error[E0277]: `Rc<String>` cannot",
            "error[E0277]: `*const ()` cannot",
        );
        for changed in [other_code, other_line, other_type] {
            let outcome = mismatch(&lines(WITHOUT_RUST_SRC), &lines(&changed));
            assert!(
                matches!(&outcome, Outcome::Problem(why) if why.starts_with("the compiler's error differs from the expected .stderr\n  expected: ")),
                "{outcome:?}"
            );
        }
    }

    #[test]
    fn source_lines_in_the_cases_own_file_still_count() {
        let moved = WITHOUT_RUST_SRC.replace(
            "12 |     let worker = thread::spawn(move || println!(\"worker sees {for_worker}\"));\n   |                                ^^^^^^^",
            "12 |     let worker = thread::spawn(move || println!(\"worker sees {for_worker}\"));\n   |                  ^^^^^^^",
        );
        assert_ne!(
            without_std_source(&lines(WITHOUT_RUST_SRC)),
            without_std_source(&lines(&moved))
        );
    }

    #[test]
    fn a_failed_ui_test_counts_as_passed_only_when_every_failed_case_is_tolerated() {
        let stderr = report(
            "tests/ui/rc_sent_to_a_thread.rs",
            WITHOUT_RUST_SRC,
            WITH_RUST_SRC,
        );
        let cases = reported(&stderr);
        assert!(only_tolerated_differences(&cases, "1 of 2 tests failed"));
        // trybuild counted more failures than the report shows tolerated: not a pass.
        assert!(!only_tolerated_differences(&cases, "2 of 2 tests failed"));
        let with_a_problem = format!(
            "{stderr}\ntest tests/ui/x.rs ... error\nExpected test case to fail to compile, but it succeeded.\n"
        );
        assert!(!only_tolerated_differences(
            &reported(&with_a_problem),
            "2 of 3 tests failed"
        ));
        assert_eq!(
            tolerance_notes(&stderr),
            [
                "tests/ui/rc_sent_to_a_thread.rs: the compiler's output differs only in standard-library source lines (rust-src installed)"
            ]
        );
    }
}
