//! Reads what a libtest binary (and trybuild inside it) printed: which tests failed, and why.

use crate::pipeline::output::ui_cases;
use serde_derive::{Deserialize, Serialize};

/// One failed test and the message it failed with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestFailure {
    pub name: String,
    /// The panic message (or trybuild's verdict), at most a few lines.
    pub message: String,
}

/// What a test binary's output says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub failures: Vec<TestFailure>,
    /// libtest printed its closing `test result:` line, so the binary ran to its end.
    pub completed: bool,
    pub passed: usize,
    pub failed: usize,
}

/// What libtest wrote to its `--logfile` for one test. That file is libtest's alone: a
/// learner's code that prints imitations of libtest's lines reaches stdout, not this file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Logged {
    pub name: String,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Ok,
    Failed,
    Ignored,
}

/// The tests a test executable lists with `--list --format terse` (`name: test` lines).
/// Listing runs none of the learner's functions: libtest lists before it runs anything.
pub fn listed_tests(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_string)
        .collect()
}

/// libtest's log: one record per finished test, `ok NAME`, `failed NAME`, `ignored NAME`, or
/// with a reason after the outcome (`failed: REASON NAME`, where the reason may span lines).
/// A test's name has no spaces, so it is the last word of its record.
pub fn logged_results(log: &str) -> Vec<Logged> {
    let mut records: Vec<(Outcome, &str)> = Vec::new();
    for line in log.lines() {
        let outcome = if line.starts_with("ok ") {
            Some(Outcome::Ok)
        } else if line.starts_with("failed") {
            Some(Outcome::Failed)
        } else if line.starts_with("ignored") {
            Some(Outcome::Ignored)
        } else {
            None
        };
        match (outcome, records.last_mut()) {
            (Some(outcome), _) => records.push((outcome, line)),
            // A reason that spans lines: the name is at the end of the record's last line.
            (None, Some(last)) if !line.trim().is_empty() => last.1 = line,
            (None, _) => {}
        }
    }
    records
        .into_iter()
        .filter_map(|(outcome, last_line)| {
            let name = last_line.split_whitespace().last()?;
            Some(Logged {
                name: name.to_string(),
                outcome,
            })
        })
        .collect()
}

/// A panic message is cut to this many lines...
const MESSAGE_LINES: usize = 8;
/// ...except a testkit timeout's, whose lines after the first show where each thread waits.
const TIMEOUT_MESSAGE_LINES: usize = 120;

/// Parses a test binary's stdout (libtest's report) and stderr (trybuild writes there).
///
/// A learner's thread that writes straight to `io::stdout()` (not through the captured
/// `println!`) shares the stream with libtest, and may still be writing while libtest reports:
/// its lines can land between `test x ... ` and `FAILED`, or inside `test result:`. So every
/// fact is read from more than one place, and nothing needs a line to be whole except the
/// closing list of failed tests, which libtest writes one whole line at a time.
pub fn summarise(stdout: &str, stderr: &str) -> Summary {
    let mut failed_names = Vec::new();
    for line in stdout.lines() {
        if let Some(name) = line
            .strip_prefix("test ")
            .and_then(|rest| rest.strip_suffix(" ... FAILED"))
        {
            failed_names.push(name.to_string());
        }
    }
    failed_names.extend(closing_failure_list(stdout));
    // libtest prints verdicts as tests finish; sorted, the report is the same on every run.
    failed_names.sort();
    failed_names.dedup();
    let mut summary = Summary::default();
    if let Some(start) = stdout.rfind("test result: ") {
        summary.completed = true;
        let result = &stdout[start..];
        summary.passed = count_before(result, " passed;");
        summary.failed = count_before(result, " failed;");
    }
    summary.failures = failures_of(stdout, stderr, &[], &failed_names);
    summary
}

/// The failures of the tests `names` (known to have failed), each with the message it failed
/// with: the timeout that testkit recorded for it (`timeouts`: test, message), else what the
/// section libtest printed for it says. A recorded timeout comes first because it is certain:
/// the same message on stdout may be lost in a flood of the learner's prints, and the verdict
/// must not depend on how much of it the checker kept.
pub fn failures_of(
    stdout: &str,
    stderr: &str,
    timeouts: &[(String, String)],
    names: &[String],
) -> Vec<TestFailure> {
    let cases = ui_cases::reported(stderr);
    names
        .iter()
        .filter_map(|name| {
            let section = failure_section(stdout, name);
            let message = if ui_cases::is_trybuild_panic(section) {
                if ui_cases::only_tolerated_differences(&cases, section) {
                    // Every case that trybuild failed differs only where it does not matter.
                    return None;
                }
                ui_cases::problems(&cases)
            } else {
                None
            };
            let message = message
                .or_else(|| recorded_timeout(timeouts, name))
                .or_else(|| panic_message(section, name))
                .unwrap_or_else(|| "the test failed".into());
            Some(TestFailure {
                name: name.clone(),
                message,
            })
        })
        .collect()
}

/// The names in libtest's closing list: the indented lines after the last `failures:` line,
/// before `test result:`. Lines without the indent, or with spaces inside, are someone else's.
fn closing_failure_list(stdout: &str) -> Vec<String> {
    let Some(start) = stdout.rfind("\nfailures:\n") else {
        return Vec::new();
    };
    stdout[start..]
        .lines()
        .skip(2)
        .take_while(|line| !line.contains("test result: "))
        .filter_map(|line| line.strip_prefix("    "))
        .filter(|name| !name.is_empty() && !name.contains(char::is_whitespace))
        .map(str::to_string)
        .collect()
}

/// The number just before the first `word` in `result`: `"FAILED. 3 passed; 1 failed; ..."`
/// -> 3 for `" passed;"`. Other output may sit between `test result:` and the counts.
fn count_before(result: &str, word: &str) -> usize {
    let Some(end) = result.find(word) else {
        return 0;
    };
    let digits = result[..end]
        .bytes()
        .rev()
        .take_while(u8::is_ascii_digit)
        .count();
    result[end - digits..end].parse().unwrap_or(0)
}

/// The text libtest printed for a failed test: between `---- name stdout ----` and the next
/// section.
fn failure_section<'a>(stdout: &'a str, name: &str) -> &'a str {
    let header = format!("---- {name} stdout ----");
    let Some(start) = stdout.find(&header) else {
        return "";
    };
    let body = &stdout[start + header.len()..];
    let end = [body.find("\n---- "), body.find("\nfailures:\n")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(body.len());
    &body[..end]
}

/// The message of the panic that failed the test. A testkit timeout wins; then the panic of
/// the test's own thread; then the last panic printed (a `within` step re-raises its worker's
/// panic without printing it again).
fn panic_message(section: &str, test_name: &str) -> Option<String> {
    let mut panics: Vec<(String, String)> = Vec::new();
    let lines: Vec<&str> = section.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(thread) = panicking_thread(line) else {
            continue;
        };
        let is_timeout = lines
            .get(i + 1)
            .is_some_and(|l| l.starts_with(testkit::TIMEOUT_MARKER));
        let most = if is_timeout {
            TIMEOUT_MESSAGE_LINES
        } else {
            MESSAGE_LINES
        };
        let message = message_lines(lines[i + 1..].iter().copied(), most);
        panics.push((thread.to_string(), message));
    }
    let timeout = panics
        .iter()
        .find(|(_, m)| m.starts_with(testkit::TIMEOUT_MARKER));
    let own = panics
        .iter()
        .find(|(thread, _)| thread == test_name || test_name.ends_with(&format!("::{thread}")));
    timeout
        .or(own)
        .or(panics.last())
        .map(|(_, message)| message.clone())
}

/// The first timeout that testkit recorded for `test`, cut as a printed one would be.
fn recorded_timeout(timeouts: &[(String, String)], test: &str) -> Option<String> {
    let (_, message) = timeouts.iter().find(|(name, _)| name == test)?;
    Some(message_lines(message.lines(), TIMEOUT_MESSAGE_LINES))
}

/// A panic message's lines, up to the first empty line (or libtest's backtrace note), at most
/// `most` of them.
fn message_lines<'a>(lines: impl Iterator<Item = &'a str>, most: usize) -> String {
    lines
        .take_while(|l| !l.trim().is_empty() && !l.starts_with("note: run with"))
        .take(most)
        .collect::<Vec<_>>()
        .join("\n")
}

/// `thread 'name' (1234) panicked at src/lib.rs:3:5:` -> `name`.
fn panicking_thread(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("thread '")?;
    let (name, rest) = rest.split_once('\'')?;
    rest.contains(" panicked at ").then_some(name)
}

#[cfg(test)]
#[path = "libtest_tests.rs"]
mod tests;
