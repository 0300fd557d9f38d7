//! Judging: from what the build and the test runs left behind to one verdict per exercise.

use crate::compile::CompileError;
use crate::libtest::{self, TestFailure};
use crate::process::{Ending, Finished, KEEP_HEAD, KEEP_TAIL};
use crate::{diagnosis, memory};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Where an exercise stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    Passed,
    Failed(Vec<TestFailure>),
    CompileError(CompileError),
    /// A test (through testkit's `within`) or the whole test binary (through the exercise's
    /// time limit) did not finish.
    TimedOut(TimedOut),
    /// The test binary died: a signal, an abort, a stack overflow, an early exit.
    Crashed(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimedOut {
    /// The test that timed out, when a `within` step named it.
    pub test: Option<String>,
    pub message: String,
    /// Where each thread waited: testkit's diagnosis, when there is one.
    #[serde(default)]
    pub diagnosis: Option<String>,
    /// The other tests of the same run that timed out, each with its own message and
    /// diagnosis (`test` is always set).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub others: Vec<TimedOut>,
}

impl TimedOut {
    /// The message, then the diagnosis.
    fn explanation(&self) -> String {
        match &self.diagnosis {
            Some(diagnosis) => format!("{}\n{diagnosis}", self.message),
            None => self.message.clone(),
        }
    }

    /// Every test that timed out, each with its own message. Tests that share one diagnosis
    /// (steps that timed out together, diagnosed once) are grouped: their messages, then the
    /// diagnosis once, under all their names.
    fn details(&self) -> String {
        let Some(test) = &self.test else {
            return self.explanation();
        };
        let all = std::iter::once((test.as_str(), self))
            .chain(
                self.others
                    .iter()
                    .filter_map(|other| Some((other.test.as_deref()?, other))),
            )
            .collect::<Vec<_>>();
        let mut groups: Vec<Vec<(&str, &TimedOut)>> = Vec::new();
        for entry in all {
            match groups.iter_mut().find(|group| {
                entry.1.diagnosis.is_some() && group[0].1.diagnosis == entry.1.diagnosis
            }) {
                Some(group) => group.push(entry),
                None => groups.push(vec![entry]),
            }
        }
        groups
            .iter()
            .map(|group| match group.as_slice() {
                [(test, one)] => format!("{test}:\n{}", indent(&one.explanation())),
                _ => {
                    let messages = group
                        .iter()
                        .map(|(test, one)| format!("{test}:\n{}", indent(&one.message)));
                    let names: Vec<&str> = group.iter().map(|(test, _)| *test).collect();
                    let diagnosis = group[0].1.diagnosis.as_deref().unwrap_or_default();
                    messages
                        .chain(std::iter::once(format!(
                            "{}:\n{}",
                            and_list(&names),
                            indent(diagnosis)
                        )))
                        .collect::<Vec<_>>()
                        .join("\n")
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// "a, b and c".
fn and_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

impl Verdict {
    pub fn is_passed(&self) -> bool {
        matches!(self, Verdict::Passed)
    }

    /// The stable name used in machine reports.
    pub fn key(&self) -> &'static str {
        match self {
            Verdict::Passed => "passed",
            Verdict::Failed(_) => "failed",
            Verdict::CompileError(_) => "compile_error",
            Verdict::TimedOut(_) => "timed_out",
            Verdict::Crashed(_) => "crashed",
        }
    }

    /// The words a person reads.
    pub fn label(&self) -> &'static str {
        match self {
            Verdict::Passed => "passed",
            Verdict::Failed(_) => "failed",
            Verdict::CompileError(_) => "compile error",
            Verdict::TimedOut(_) => "timed out",
            Verdict::Crashed(_) => "crashed",
        }
    }

    /// One line that says why, for tables.
    pub fn reason(&self) -> String {
        match self {
            Verdict::Passed => String::new(),
            Verdict::Failed(failures) => {
                let first = &failures[0];
                let others = match failures.len() {
                    1 => String::new(),
                    n => format!(" (+{} more)", n - 1),
                };
                format!("{}: {}{others}", first.name, first_line(&first.message))
            }
            Verdict::CompileError(error) => {
                let code = error
                    .code
                    .as_deref()
                    .map(|c| format!("{c}: "))
                    .unwrap_or_default();
                let place = match (&error.file, error.line) {
                    (Some(file), Some(line)) => format!(" ({file}:{line})"),
                    _ => String::new(),
                };
                format!("{code}{}{place}", first_line(&error.message))
            }
            Verdict::TimedOut(timed_out) => first_line(&timed_out.message).to_string(),
            Verdict::Crashed(why) => first_line(why).to_string(),
        }
    }

    /// Where each thread waited when the run was stopped: for a timeout, or for a run stopped
    /// at its memory budget (whose message carries it after its first paragraph).
    pub fn diagnosis(&self) -> Option<&str> {
        match self {
            Verdict::TimedOut(timed_out) => timed_out.diagnosis.as_deref(),
            Verdict::Crashed(why) => why
                .find(&format!("\n{}", testkit::diagnose::HEADER))
                .map(|start| &why[start + 1..]),
            _ => None,
        }
    }

    /// The full explanation, for the "next exercise" section and `check`.
    pub fn details(&self) -> String {
        match self {
            Verdict::Passed => String::new(),
            Verdict::Failed(failures) => failures
                .iter()
                .map(|f| format!("{}:\n{}", f.name, indent(&f.message)))
                .collect::<Vec<_>>()
                .join("\n"),
            Verdict::CompileError(error) => error.rendered.trim_end().to_string(),
            Verdict::TimedOut(timed_out) => timed_out.details(),
            Verdict::Crashed(why) => why.clone(),
        }
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The message for a test binary killed at the exercise's time limit.
pub fn hung_message(limit: Duration) -> String {
    format!(
        "the tests did not finish within {}s and were stopped: probable deadlock, or a Sender never dropped",
        limit.as_secs()
    )
}

/// Judges an exercise from the runs of its test executables, in order. The first run that
/// did not pass decides; a timeout or a crash outranks plain failures in the same run.
/// Runs that passed without running a single test do not pass: their tests are gone.
pub fn judge(runs: &[Finished]) -> Verdict {
    if let Some(verdict) = runs.iter().find_map(|run| {
        judge_run(run).map(|verdict| with_print_loop_note(verdict, run.left_out_bytes))
    }) {
        return verdict;
    }
    let summaries: Vec<_> = runs
        .iter()
        .map(|run| libtest::summarise(&run.stdout, &run.stderr))
        .collect();
    // A report cut short (output past the checker's cap) counts nothing: no claim then.
    let counted = summaries.iter().all(|summary| summary.completed);
    if counted && summaries.iter().all(|summary| summary.passed == 0) {
        return Verdict::Failed(vec![TestFailure {
            name: "no tests".into(),
            message: "not one test ran, so nothing shows that this exercise works. Are files \
                      missing from its tests/ folder? `git status` lists deleted files, and \
                      `git checkout -- <file>` brings one back."
                .into(),
        }]);
    }
    Verdict::Passed
}

/// One run's verdict, or `None` when it passed.
fn judge_run(run: &Finished) -> Option<Verdict> {
    let summary = libtest::summarise(&run.stdout, &run.stderr);
    match &run.ending {
        Ending::TimedOut(limit) => {
            return Some(Verdict::TimedOut(TimedOut {
                test: None,
                message: hung_message(*limit),
                diagnosis: run.diagnosis.clone(),
                others: Vec::new(),
            }));
        }
        Ending::OutgrewMemory(limit) => {
            let mut why = format!(
                "the tests held more than {} of memory and were stopped. {GROWS_WITHOUT_END}",
                memory::in_words(*limit)
            );
            if let Some(diagnosis) = &run.diagnosis {
                why.push('\n');
                why.push_str(diagnosis);
            }
            return Some(Verdict::Crashed(why));
        }
        Ending::Signalled(signal) => return Some(Verdict::Crashed(crash_message(*signal, run))),
        Ending::Exited(0) => return None,
        Ending::Exited(code) if !summary.completed => {
            return Some(Verdict::Crashed(format!(
                "the test process exited with code {code} before it finished{}",
                last_words(&run.stderr)
            )));
        }
        Ending::Exited(_) => {}
    }
    let mut timeouts = summary
        .failures
        .iter()
        .filter(|f| f.message.starts_with(testkit::TIMEOUT_MARKER))
        .map(|timeout| {
            let (message, diagnosis) = diagnosis::split(
                timeout
                    .message
                    .trim_start_matches(testkit::TIMEOUT_MARKER)
                    .trim_start(),
            );
            TimedOut {
                test: Some(timeout.name.clone()),
                message,
                diagnosis,
                others: Vec::new(),
            }
        });
    if let Some(mut first) = timeouts.next() {
        first.others = timeouts.collect();
        return Some(Verdict::TimedOut(first));
    }
    if !summary.failures.is_empty() {
        return Some(Verdict::Failed(summary.failures));
    }
    Some(Verdict::Crashed(format!(
        "the tests failed, but the checker could not tell which{}",
        last_words(&run.stderr)
    )))
}

/// A run whose output overflowed what the checker keeps printed in a loop, most likely: say
/// so at the end of the explanation, since the flood may be why it was slow or unreadable.
fn with_print_loop_note(mut verdict: Verdict, left_out_bytes: u64) -> Verdict {
    if left_out_bytes == 0 {
        return verdict;
    }
    let printed = left_out_bytes + (KEEP_HEAD + KEEP_TAIL) as u64;
    let note = format!(
        "Your code printed more than {} while the tests ran, so the checker kept only its start and end. A print inside a loop? Take it out, or print less.",
        memory::in_words(printed)
    );
    let last_paragraph = match &mut verdict {
        Verdict::Passed | Verdict::CompileError(_) => return verdict,
        Verdict::Failed(failures) => match failures.last_mut() {
            Some(last) => &mut last.message,
            None => return verdict,
        },
        Verdict::TimedOut(timed_out) => match &mut timed_out.diagnosis {
            Some(diagnosis) => diagnosis,
            None => &mut timed_out.message,
        },
        Verdict::Crashed(why) => why,
    };
    last_paragraph.push('\n');
    last_paragraph.push_str(&note);
    verdict
}

fn crash_message(signal: i32, run: &Finished) -> String {
    let what = signal_meaning(signal);
    let cause = if run.stderr.contains("has overflowed its stack") {
        ": a thread overflowed its stack (unbounded recursion?)".to_string()
    } else if let Some(bytes) = failed_allocation(&run.stderr) {
        format!(
            ": it ran out of memory, asking for {} more at once. {GROWS_WITHOUT_END}",
            memory::in_words(bytes)
        )
    } else {
        last_words(&run.stderr)
    };
    format!("the test process {what}{cause}")
}

#[cfg(unix)]
fn signal_meaning(signal: i32) -> String {
    match signal {
        libc::SIGABRT => "aborted (SIGABRT)",
        libc::SIGSEGV => "crashed with a segmentation fault (SIGSEGV)",
        libc::SIGKILL => "was killed (SIGKILL), perhaps for using too much memory",
        libc::SIGILL => "hit an illegal instruction (SIGILL)",
        libc::SIGBUS => "hit a bus error (SIGBUS)",
        _ => return format!("was ended by signal {signal}, which it did not catch"),
    }
    .to_string()
}

#[cfg(not(unix))]
fn signal_meaning(signal: i32) -> String {
    format!("was ended by signal {signal}")
}

/// What makes a test run out of memory, for a learner to look for.
const GROWS_WITHOUT_END: &str = "Something grows without end: a collection, a channel nobody \
     drains, or output printed in a loop (a test keeps what it prints in memory).";

/// The size in Rust's message for an allocation that failed, which aborts the process:
/// `memory allocation of 671088640 bytes failed`.
fn failed_allocation(stderr: &str) -> Option<u64> {
    let (_, rest) = stderr.split_once("memory allocation of ")?;
    let (bytes, _) = rest.split_once(" bytes failed")?;
    bytes.parse().ok()
}

/// The last meaningful line a dying process printed, as ": line".
fn last_words(stderr: &str) -> String {
    stderr
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty() && !l.starts_with("note: run with"))
        .map(|l| format!(": {l}"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(ending: Ending, stdout: &str, diagnosis: Option<&str>) -> Finished {
        Finished {
            ending,
            stdout: stdout.to_string(),
            stderr: String::new(),
            diagnosis: diagnosis.map(String::from),
            left_out_bytes: 0,
        }
    }

    const WITHIN_TIMEOUT: &str = "test t ... FAILED\n\nfailures:\n\n---- t stdout ----\n\nthread 't' (9) panicked at tests/t.rs:1:1:\ntimed out: `collect` did not finish within 2s: is a Sender alive?\nwhere each thread waits:\n- `collect` waits to receive from a channel at src/lib.rs:7: `rx.iter().collect()`\n=> the receive at src/lib.rs:7 never ends\n\n\nfailures:\n    t\n\ntest result: FAILED. 0 passed; 1 failed;\n";

    #[test]
    fn a_step_timeout_keeps_its_first_line_as_the_reason_and_its_diagnosis_apart() {
        let verdict = judge(&[run(Ending::Exited(101), WITHIN_TIMEOUT, None)]);
        let Verdict::TimedOut(timed_out) = &verdict else {
            panic!("a timeout, not {verdict:?}");
        };
        assert_eq!(
            timed_out.message,
            "`collect` did not finish within 2s: is a Sender alive?"
        );
        assert_eq!(
            timed_out.diagnosis.as_deref(),
            Some(
                "where each thread waits:\n- `collect` waits to receive from a channel at src/lib.rs:7: `rx.iter().collect()`\n=> the receive at src/lib.rs:7 never ends"
            )
        );
        assert_eq!(verdict.reason(), timed_out.message);
        assert!(
            verdict
                .details()
                .ends_with("\n    => the receive at src/lib.rs:7 never ends"),
            "{}",
            verdict.details()
        );
    }

    /// libtest's report of tests that failed with these panic messages.
    fn failed_tests(failures: &[(&str, &str)]) -> String {
        let mut out = String::new();
        for (name, _) in failures {
            out.push_str(&format!("test {name} ... FAILED\n"));
        }
        out.push_str("\nfailures:\n\n");
        for (name, message) in failures {
            out.push_str(&format!(
                "---- {name} stdout ----\n\nthread '{name}' (9) panicked at tests/t.rs:1:1:\n{message}\n\n"
            ));
        }
        out.push_str("\nfailures:\n");
        for (name, _) in failures {
            out.push_str(&format!("    {name}\n"));
        }
        out.push_str(&format!(
            "\ntest result: FAILED. 0 passed; {} failed;\n",
            failures.len()
        ));
        out
    }

    #[test]
    fn every_test_that_timed_out_is_shown_with_its_message_grouped_by_diagnosis() {
        let shared =
            "where each thread waits:\n- `gather` waits to receive from a channel at src/lib.rs:7";
        let own = "where each thread waits:\n- `lonely` waits at a Barrier at src/lib.rs:20";
        let output = failed_tests(&[
            (
                "gathers_all",
                &format!("timed out: `gather from 5 sensors` did not finish within 2s\n{shared}"),
            ),
            (
                "no_sensors",
                &format!(
                    "timed out: `gather from no sensors` did not finish within 2s: is a Sender alive?\n{shared}"
                ),
            ),
            (
                "waits_alone",
                &format!("timed out: `lonely` did not finish within 2s\n{own}"),
            ),
        ]);
        let verdict = judge(&[run(Ending::Exited(101), &output, None)]);
        assert_eq!(
            verdict.reason(),
            "`gather from 5 sensors` did not finish within 2s"
        );
        assert_eq!(
            verdict.details(),
            "gathers_all:
    `gather from 5 sensors` did not finish within 2s
no_sensors:
    `gather from no sensors` did not finish within 2s: is a Sender alive?
gathers_all and no_sensors:
    where each thread waits:
    - `gather` waits to receive from a channel at src/lib.rs:7
waits_alone:
    `lonely` did not finish within 2s
    where each thread waits:
    - `lonely` waits at a Barrier at src/lib.rs:20"
        );
    }

    #[test]
    fn a_process_stopped_at_its_limit_carries_the_checkers_diagnosis() {
        let diagnosis = "where each thread waits:\n- it_finishes waits at a Barrier";
        let verdict = judge(&[run(
            Ending::TimedOut(Duration::from_secs(2)),
            "",
            Some(diagnosis),
        )]);
        assert_eq!(
            verdict.details(),
            format!("{}\n{diagnosis}", hung_message(Duration::from_secs(2)))
        );
    }

    #[test]
    fn a_flood_of_output_is_named_at_the_end_of_the_explanation() {
        let mut flooded = run(Ending::Exited(101), WITHIN_TIMEOUT, None);
        flooded.left_out_bytes = 40_000_000;
        let verdict = judge(&[flooded]);
        assert_eq!(
            verdict.reason(),
            "`collect` did not finish within 2s: is a Sender alive?"
        );
        assert!(
            verdict
                .details()
                .ends_with("Your code printed more than 38.2 MiB while the tests ran, so the checker kept only its start and end. A print inside a loop? Take it out, or print less."),
            "{}",
            verdict.details()
        );
        let quiet = judge(&[run(Ending::Exited(101), WITHIN_TIMEOUT, None)]);
        assert!(!quiet.details().contains("printed"), "{}", quiet.details());
    }

    #[cfg(unix)]
    #[test]
    fn an_allocation_that_failed_is_called_running_out_of_memory() {
        let mut aborted = run(Ending::Signalled(libc::SIGABRT), "running 1 test\n", None);
        aborted.stderr = "memory allocation of 671088640 bytes failed\n".into();
        assert_eq!(
            judge(&[aborted]).reason(),
            format!(
                "the test process aborted (SIGABRT): it ran out of memory, asking for 640 MiB more at once. {GROWS_WITHOUT_END}"
            )
        );
    }

    #[test]
    fn runs_that_pass_without_a_single_test_do_not_pass() {
        let empty = "running 0 tests\n\ntest result: ok. 0 passed; 0 failed; 0 ignored;\n";
        let verdict = judge(&[run(Ending::Exited(0), empty, None)]);
        assert!(
            verdict.reason().starts_with("no tests: not one test ran"),
            "{verdict:?}"
        );
        // A report whose end the checker did not keep cannot tell that no test ran.
        let cut = "running 1 test\n[... 90000 bytes of output left out by the checker ...]\nspam\n";
        assert_eq!(judge(&[run(Ending::Exited(0), cut, None)]), Verdict::Passed);
        let one = "running 1 test\ntest a ... ok\n\ntest result: ok. 1 passed; 0 failed;\n";
        assert_eq!(
            judge(&[
                run(Ending::Exited(0), empty, None),
                run(Ending::Exited(0), one, None)
            ]),
            Verdict::Passed
        );
    }
}
