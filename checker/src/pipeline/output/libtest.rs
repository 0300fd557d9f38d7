//! Reads what a libtest binary (and trybuild inside it) printed: which tests failed, and why.

use crate::pipeline::output::ui_cases;
use serde::{Deserialize, Serialize};

/// One failed test and the message it failed with.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    summary.failures = failures_of(stdout, stderr, &failed_names);
    summary
}

/// The failures of the tests `names` (known to have failed), each with the message it failed
/// with, from the sections libtest printed for them.
pub fn failures_of(stdout: &str, stderr: &str, names: &[String]) -> Vec<TestFailure> {
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
        let message: Vec<&str> = lines[i + 1..]
            .iter()
            .take_while(|l| !l.trim().is_empty() && !l.starts_with("note: run with"))
            .take(if is_timeout {
                TIMEOUT_MESSAGE_LINES
            } else {
                MESSAGE_LINES
            })
            .copied()
            .collect();
        panics.push((thread.to_string(), message.join("\n")));
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

/// `thread 'name' (1234) panicked at src/lib.rs:3:5:` -> `name`.
fn panicking_thread(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("thread '")?;
    let (name, rest) = rest.split_once('\'')?;
    rest.contains(" panicked at ").then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIBTEST: &str = "
running 3 tests
test sums_everything ... ok
test collector_finishes ... FAILED
test tests::order_is_kept ... FAILED

failures:

---- collector_finishes stdout ----

thread 'collector_finishes' (42) panicked at tests/t.rs:9:5:
timed out: `collect` did not finish within 2s: is a Sender still alive?
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

---- tests::order_is_kept stdout ----

thread 'worker-3' (43) panicked at src/lib.rs:4:9:
job 3 failed on purpose

thread 'tests::order_is_kept' (44) panicked at tests/t.rs:20:5:
assertion `left == right` failed: values came out of order
  left: [2, 1]
 right: [1, 2]


failures:
    collector_finishes
    tests::order_is_kept

test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 2.00s
";

    #[test]
    fn finds_every_failed_test_and_its_own_message() {
        let summary = summarise(LIBTEST, "");
        assert!(summary.completed);
        assert_eq!((summary.passed, summary.failed), (1, 2));
        assert_eq!(summary.failures[0].name, "collector_finishes");
        assert!(
            summary.failures[0]
                .message
                .starts_with("timed out: `collect`")
        );
        assert_eq!(summary.failures[1].name, "tests::order_is_kept");
        assert_eq!(
            summary.failures[1].message,
            "assertion `left == right` failed: values came out of order\n  left: [2, 1]\n right: [1, 2]"
        );
    }

    #[test]
    fn a_within_panic_is_reported_from_its_worker_thread() {
        let out = "test t ... FAILED\n\nfailures:\n\n---- t stdout ----\n\nthread 'collect' (9) panicked at src/lib.rs:1:1:\nwrong total\n\n\nfailures:\n    t\n\ntest result: FAILED. 0 passed; 1 failed;\n";
        assert_eq!(summarise(out, "").failures[0].message, "wrong total");
    }

    #[test]
    fn trybuild_cases_are_named() {
        let stdout = "test ui ... FAILED\n\nfailures:\n\n---- ui stdout ----\n\nthread 'ui' (5) panicked at /x/trybuild/src/run.rs:101:13:\n1 of 2 tests failed\n\n\nfailures:\n    ui\n\ntest result: FAILED. 0 passed; 1 failed;\n";
        let stderr = "\ntest tests/ui/send_handle.rs ... error\nExpected test case to fail to compile, but it succeeded.\n\ntest tests/ui/ok.rs ... ok\n";
        let summary = summarise(stdout, stderr);
        assert_eq!(
            summary.failures[0].message,
            "tests/ui/send_handle.rs: this program must not compile, but it does"
        );
    }

    #[test]
    fn a_snapshot_mismatch_shows_the_first_line_that_differs() {
        let stdout = "test ui ... FAILED\n\nfailures:\n\n---- ui stdout ----\n\nthread 'ui' (5) panicked at /x/trybuild/src/run.rs:101:13:\n1 of 2 tests failed\n\n\nfailures:\n    ui\n\ntest result: FAILED. 0 passed; 1 failed;\n";
        let rule = "┈".repeat(20);
        let stderr = format!(
            "\ntest tests/ui/handle.rs ... mismatch\n\nEXPECTED:\n{rule}\nerror[E0277]: `*const ()` cannot be sent between threads safely\n  --> tests/ui/handle.rs:14:32\n{rule}\n\nACTUAL OUTPUT:\n{rule}\nerror[E0277]: `Rc<()>` cannot be sent between threads safely\n  --> tests/ui/handle.rs:14:32\n{rule}\nnote: If the actual output is the correct output you can bless it by rerunning\n\ntest tests/ui/ok.rs ... ok\n"
        );
        assert_eq!(
            summarise(stdout, &stderr).failures[0].message,
            "tests/ui/handle.rs: the compiler's error differs from the expected .stderr\n  expected: error[E0277]: `*const ()` cannot be sent between threads safely\n  got:      error[E0277]: `Rc<()>` cannot be sent between threads safely"
        );
    }

    #[test]
    fn a_timeout_keeps_its_diagnosis_and_other_messages_are_cut() {
        let diagnosis: String = (0..20).map(|i| format!("- thread {i} waits\n")).collect();
        let long: String = (0..20).map(|i| format!("line {i}\n")).collect();
        let out = format!(
            "test a ... FAILED\ntest b ... FAILED\n\nfailures:\n\n---- a stdout ----\n\nthread 'a' (1) panicked at t.rs:1:1:\ntimed out: `x` did not finish within 2s: hint\nwhere each thread waits:\n{diagnosis}note: run with `RUST_BACKTRACE=1`\n\n---- b stdout ----\n\nthread 'b' (2) panicked at t.rs:2:1:\n{long}\n\nfailures:\n    a\n    b\n\ntest result: FAILED. 0 passed; 2 failed;\n"
        );
        let summary = summarise(&out, "");
        assert_eq!(
            summary.failures[0].message,
            format!(
                "timed out: `x` did not finish within 2s: hint\nwhere each thread waits:\n{}",
                diagnosis.trim_end()
            )
        );
        assert_eq!(summary.failures[1].message.lines().count(), MESSAGE_LINES);
    }

    /// What a test binary printed while a learner's thread wrote straight to `io::stdout()`:
    /// shapes seen in real runs, where the writes split libtest's own lines.
    #[test]
    fn a_thread_writing_to_stdout_does_not_hide_the_verdicts() {
        let spam = "spam spam spam spam\n".repeat(3);
        let failures = "\nfailures:\n\n---- every_value_counts stdout ----\n\nthread 'every_value_counts' (7) panicked at testkit/src/lib.rs:74:13:\ntimed out: `total` did not finish within 2s: hint\n\n";
        let shapes = [
            // The verdict lands on a line of its own, after someone else's.
            format!(
                "running 1 test\n{spam}test every_value_counts ... {spam}FAILED\n{failures}{spam}\nfailures:\n{spam}    every_value_counts\n\ntest result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 2.80s\n{spam}"
            ),
            // The counts land on a line of their own.
            format!(
                "running 1 test\ntest every_value_counts ... FAILED\n{failures}\nfailures:\n    every_value_counts\n\ntest result: FAILED{spam}. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 2.80s\n{spam}"
            ),
        ];
        for stdout in shapes {
            let summary = summarise(&stdout, "");
            assert!(summary.completed, "{stdout}");
            assert_eq!((summary.passed, summary.failed), (0, 1), "{stdout}");
            assert_eq!(summary.failures.len(), 1, "{stdout}");
            assert_eq!(summary.failures[0].name, "every_value_counts");
            assert!(
                summary.failures[0]
                    .message
                    .starts_with("timed out: `total`"),
                "{stdout}"
            );
        }
    }

    #[test]
    fn lines_in_the_closing_list_that_are_not_test_names_are_left_alone() {
        let out = "test a ... FAILED\n\nfailures:\n\n---- a stdout ----\n\nthread 'a' (1) panicked at t.rs:1:1:\nboom\n\n\nfailures:\n    a\n    two words\nspam\n\ntest result: FAILED. 0 passed; 1 failed;\n";
        let names: Vec<String> = summarise(out, "")
            .failures
            .into_iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(names, ["a"]);
    }

    #[test]
    fn the_list_holds_tests_and_not_benchmarks_or_the_count() {
        let out = "a_pop_wakes_a_producer: test\nmodule::inner: test\nfast: bench\n\n2 tests, 1 benchmarks\n";
        assert_eq!(
            listed_tests(out),
            ["a_pop_wakes_a_producer", "module::inner"]
        );
        assert!(listed_tests("0 tests, 0 benchmarks\n").is_empty());
    }

    #[test]
    fn the_log_gives_each_test_its_outcome_even_with_a_reason_over_several_lines() {
        let log = "failed close_wakes\nok items_in_order\nignored: slow slow_one\nfailed: panic did not contain expected string\n      panic message: `\"boom\"`,\n expected substring: `\"bang\"` should_panic_test\nok last\n";
        let logged = logged_results(log);
        let pairs: Vec<(&str, Outcome)> = logged
            .iter()
            .map(|l| (l.name.as_str(), l.outcome))
            .collect();
        assert_eq!(
            pairs,
            [
                ("close_wakes", Outcome::Failed),
                ("items_in_order", Outcome::Ok),
                ("slow_one", Outcome::Ignored),
                ("should_panic_test", Outcome::Failed),
                ("last", Outcome::Ok),
            ]
        );
    }

    #[test]
    fn output_without_a_result_line_is_incomplete() {
        assert!(!summarise("running 1 test\ntest a ... ", "").completed);
    }
}
