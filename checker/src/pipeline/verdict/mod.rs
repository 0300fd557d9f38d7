//! Judging: from what the build and the test runs left behind to one verdict per exercise.

pub mod wholeness;

use crate::pipeline::compile::CompileError;
use crate::pipeline::course::Exercise;
use crate::pipeline::output::libtest::{self, TestFailure};
use crate::pipeline::output::ui_cases;
use crate::pipeline::runner::TestRun;
use crate::pipeline::verdict::wholeness::Whole;
use crate::platform::process::{Ending, Finished, KEEP_HEAD, KEEP_TAIL};
use crate::platform::{diagnosis, memory};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// One exercise's verdict, and the raw runs behind it (for `check`'s full output).
#[derive(Debug, Clone)]
pub struct Checked {
    pub exercise: Exercise,
    pub verdict: Verdict,
    pub runs: Vec<Finished>,
}

impl Checked {
    pub fn points(&self) -> u32 {
        if self.verdict.is_passed() {
            self.exercise.points
        } else {
            0
        }
    }
}

/// Where an exercise stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    Passed,
    Failed(Vec<TestFailure>),
    CompileError(CompileError),
    /// A test (through testkit's `within`) or the whole test binary (through the exercise's
    /// time limit) did not finish.
    TimedOut(TimedOut),
    /// The test binary died: a signal, an abort, a stack overflow, or it would not start.
    Crashed(String),
    /// The test binary's report was not whole (see [`crate::pipeline::verdict::wholeness`]): it ended before every
    /// test had run, or its report was not libtest's own. Reported as failed; grading also
    /// lists it as a warning, since it is what an attempt to end the tests early looks like.
    Incomplete(String),
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
            Verdict::Incomplete(_) => "failed",
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
            Verdict::Incomplete(_) => "failed",
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
            Verdict::Crashed(why) | Verdict::Incomplete(why) => first_line(why).to_string(),
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
            Verdict::Crashed(why) | Verdict::Incomplete(why) => why.clone(),
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
/// A run passes only on a whole report (see [`wholeness`]), and an exercise whose executables
/// list no test at all does not pass: its tests are gone.
///
/// `ui_cases` are the exercise's compile-fail cases (`tests/ui/NAME.rs`): each must have been
/// reported by trybuild, so a ui test that checked fewer cases than the course has does not pass.
pub fn judge(runs: &[TestRun], ui_cases: &[String]) -> Verdict {
    if let Some(verdict) = runs.iter().find_map(|run| {
        judge_run(run).map(|verdict| with_print_loop_note(verdict, run.finished.left_out_bytes))
    }) {
        return verdict;
    }
    let reported: Vec<ui_cases::Case> = runs
        .iter()
        .flat_map(|run| ui_cases::reported(&run.finished.stderr))
        .collect();
    if let Some(unreported) = ui_cases
        .iter()
        .find(|case| !reported.iter().any(|r| &r.path == *case))
    {
        return Verdict::Incomplete(format!(
            "trybuild never reported the compile-fail case {unreported}, so it was not checked. \
             Every case of the course must be compiled and rejected."
        ));
    }
    let no_tests = runs
        .iter()
        .all(|run| run.listed.as_ref().is_some_and(Vec::is_empty));
    if no_tests {
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
fn judge_run(run: &TestRun) -> Option<Verdict> {
    let finished = &run.finished;
    let code = match &finished.ending {
        Ending::TimedOut(limit) => {
            let unfinished = unfinished_tests(run);
            let mut message = hung_message(*limit);
            if let Some(names) = name_list(&unfinished) {
                message.push_str(&format!(" ({names} never finished)"));
            }
            return Some(Verdict::TimedOut(TimedOut {
                test: unfinished.first().cloned(),
                message,
                diagnosis: finished.diagnosis.clone(),
                others: Vec::new(),
            }));
        }
        Ending::OutgrewMemory(limit) => {
            let mut why = format!(
                "the tests held more than {} of memory and were stopped. {GROWS_WITHOUT_END}",
                memory::in_words(*limit)
            );
            if let Some(diagnosis) = &finished.diagnosis {
                why.push('\n');
                why.push_str(diagnosis);
            }
            return Some(Verdict::Crashed(why));
        }
        Ending::Signalled(signal) => {
            return Some(match loom_abort(finished) {
                Some(failure) => Verdict::Failed(vec![failure]),
                None => Verdict::Crashed(crash_message(*signal, finished)),
            });
        }
        Ending::Exited(code) => *code,
    };
    let Some(listed) = &run.listed else {
        return Some(Verdict::Crashed(format!(
            "the test executable would not list its tests (exit code {code}){}",
            last_words(&finished.stderr)
        )));
    };
    let Some(logged) = &run.logged else {
        return Some(Verdict::Incomplete(format!(
            "the test process ended before libtest started its tests, with exit code {code}{}",
            last_words(&finished.stderr)
        )));
    };
    let summary = libtest::summarise(&finished.stdout, &finished.stderr);
    let failed = match wholeness::judge(listed, logged, &summary, code) {
        Whole::Passed => return None,
        Whole::Broken(why) => return Some(Verdict::Incomplete(why)),
        Whole::Failed(names) => names,
    };
    let failures = libtest::failures_of(&finished.stdout, &finished.stderr, &failed);
    if failures.is_empty() {
        // Only ui cases whose compiler output differs where it does not matter.
        return None;
    }
    let failures = of_the_first_file(failures);
    let mut timeouts = failures
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
    Some(Verdict::Failed(failures))
}

/// The failures (in name order) of the first test file that has any. An exercise's test files
/// are modules of one test binary, and a test's name starts with its module's (`spread::` in
/// `spread::each_chunk_runs_on_its_own_thread`); each file is judged as if it were a binary
/// of its own: the first one with a failed test decides, and a timeout outranks plain failures
/// only within it. (A file may be written to be judged after another: the test that a chunk
/// ran on a thread of its own comes before the one that the chunks met.)
fn of_the_first_file(mut failures: Vec<TestFailure>) -> Vec<TestFailure> {
    let file = |name: &str| name.split_once("::").map(|(file, _)| file.to_string());
    let first = file(&failures[0].name);
    failures.retain(|failure| file(&failure.name) == first);
    failures
}

/// The listed tests that libtest's log does not show as finished, in list order.
fn unfinished_tests(run: &TestRun) -> Vec<String> {
    let (Some(listed), Some(logged)) = (&run.listed, &run.logged) else {
        return Vec::new();
    };
    listed
        .iter()
        .filter(|name| !logged.iter().any(|l| &l.name == *name))
        .cloned()
        .collect()
}

/// "`a`", "`a` and `b`", "`a`, `b` and 3 more".
fn name_list(names: &[String]) -> Option<String> {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    Some(match quoted.as_slice() {
        [] => return None,
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [a, b, rest @ ..] => format!("{a}, {b} and {} more", rest.len()),
    })
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
        Verdict::Crashed(why) | Verdict::Incomplete(why) => why,
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

/// The loom model checker aborts the whole test process (SIGABRT, whatever `#[should_panic]`
/// says) when it finds a deadlock: its "deadlock; threads = [...]" panic happens inside its
/// scheduler, and the cleanup after it panics again. That is a finding of the tests, not a
/// crash: a failure of the test whose thread printed loom's first panic, with loom's words.
/// `None` when no panic of loom's own code came before the end.
fn loom_abort(run: &Finished) -> Option<TestFailure> {
    let output = format!("{}\n{}", run.stdout, run.stderr);
    let lines: Vec<&str> = output.lines().collect();
    let (i, thread) = lines.iter().enumerate().find_map(|(i, line)| {
        let rest = line.strip_prefix("thread '")?;
        let (thread, rest) = rest.split_once('\'')?;
        let (_, place) = rest.split_once(" panicked at ")?;
        let in_loom = place.contains("/loom-") || place.contains("/loom/src/");
        in_loom.then_some((i, thread))
    })?;
    let said = lines.get(i + 1).map(|l| l.trim()).unwrap_or_default();
    let message = if said.starts_with("deadlock;") {
        format!(
            "the model checker (loom) found a deadlock: in one of the interleavings it tried, \
             every thread was blocked, each waiting for another to release a lock or to end, \
             and nothing could ever run again\nloom stops the whole test process when it finds \
             one, so no test could report it. loom's report: {said}"
        )
    } else {
        format!("the model checker (loom) stopped the whole test process after this panic: {said}")
    };
    Some(TestFailure {
        name: thread.to_string(),
        message,
    })
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
    use crate::pipeline::output::libtest::{Logged, Outcome};

    fn judge_all(runs: &[TestRun]) -> Verdict {
        judge(runs, &[])
    }

    /// A run whose list and log hold the tests that `stdout` reports as `test NAME ... ok` or
    /// `... FAILED`, as libtest would have logged them.
    fn run(ending: Ending, stdout: &str, diagnosis: Option<&str>) -> TestRun {
        let logged: Vec<Logged> = stdout
            .lines()
            .filter_map(|line| line.strip_prefix("test "))
            .filter_map(|rest| rest.split_once(" ... "))
            .map(|(name, outcome)| Logged {
                name: name.to_string(),
                outcome: if outcome == "ok" {
                    Outcome::Ok
                } else {
                    Outcome::Failed
                },
            })
            .collect();
        TestRun {
            listed: Some(logged.iter().map(|l| l.name.clone()).collect()),
            logged: Some(logged),
            finished: Finished {
                ending,
                stdout: stdout.to_string(),
                stderr: String::new(),
                diagnosis: diagnosis.map(String::from),
                left_out_bytes: 0,
            },
        }
    }

    const WITHIN_TIMEOUT: &str = "test t ... FAILED\n\nfailures:\n\n---- t stdout ----\n\nthread 't' (9) panicked at tests/t.rs:1:1:\ntimed out: `collect` did not finish within 2s: is a Sender alive?\nwhere each thread waits:\n- `collect` waits to receive from a channel at src/lib.rs:7: `rx.iter().collect()`\n=> the receive at src/lib.rs:7 never ends\n\n\nfailures:\n    t\n\ntest result: FAILED. 0 passed; 1 failed;\n";

    #[test]
    fn a_step_timeout_keeps_its_first_line_as_the_reason_and_its_diagnosis_apart() {
        let verdict = judge_all(&[run(Ending::Exited(101), WITHIN_TIMEOUT, None)]);
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
        let verdict = judge_all(&[run(Ending::Exited(101), &output, None)]);
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
        let verdict = judge_all(&[run(
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
        flooded.finished.left_out_bytes = 40_000_000;
        let verdict = judge_all(&[flooded]);
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
        let quiet = judge_all(&[run(Ending::Exited(101), WITHIN_TIMEOUT, None)]);
        assert!(!quiet.details().contains("printed"), "{}", quiet.details());
    }

    #[cfg(unix)]
    #[test]
    fn an_allocation_that_failed_is_called_running_out_of_memory() {
        let mut aborted = run(Ending::Signalled(libc::SIGABRT), "running 1 test\n", None);
        aborted.finished.stderr = "memory allocation of 671088640 bytes failed\n".into();
        assert_eq!(
            judge_all(&[aborted]).reason(),
            format!(
                "the test process aborted (SIGABRT): it ran out of memory, asking for 640 MiB more at once. {GROWS_WITHOUT_END}"
            )
        );
    }

    /// What a loom test binary leaves behind when loom finds a deadlock (loom 0.7.3, trimmed).
    const LOOM_DEADLOCK_STDOUT: &str = "\nrunning 2 tests\ntest other ... ok\n\nthread 'two_threads under loom' (9277) panicked at /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/loom-0.7.3/src/rt/execution.rs:215:13:\ndeadlock; threads = [(Id(0), Blocked(Location(None))), (Id(1), Blocked(Location(None)))]\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\nthread 'two_threads under loom' (9277) panicked at /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/loom-0.7.3/src/rt/thread.rs:276:39:\ncalled `Option::unwrap()` on a `None` value\nstack backtrace:\n   0:     0x56464be6130a - std::backtrace_rs::backtrace::libunwind::trace\n";
    const LOOM_DEADLOCK_STDERR: &str = "\nthread 'two_threads under loom' (9277) panicked at /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/panicking.rs:233:5:\npanic in a destructor during cleanup\nthread caused non-unwinding panic. aborting.\n";

    #[cfg(unix)]
    #[test]
    fn a_deadlock_that_makes_loom_abort_is_a_failure_with_looms_report() {
        let mut aborted = run(Ending::Signalled(libc::SIGABRT), LOOM_DEADLOCK_STDOUT, None);
        aborted.finished.stderr = LOOM_DEADLOCK_STDERR.into();
        let verdict = judge_all(&[aborted]);
        assert_eq!(verdict.key(), "failed", "{verdict:?}");
        assert_eq!(
            verdict.reason(),
            "two_threads under loom: the model checker (loom) found a deadlock: in one of the interleavings it tried, every thread was blocked, each waiting for another to release a lock or to end, and nothing could ever run again"
        );
        assert!(
            verdict.details().contains(
                "loom's report: deadlock; threads = [(Id(0), Blocked(Location(None))), (Id(1), Blocked(Location(None)))]"
            ),
            "{}",
            verdict.details()
        );
        // Any other panic of loom's that ends in an abort is named with loom's words too.
        let mut other = run(
            Ending::Signalled(libc::SIGABRT),
            &LOOM_DEADLOCK_STDOUT.replace("deadlock; threads", "Causality violation: threads"),
            None,
        );
        other.finished.stderr = LOOM_DEADLOCK_STDERR.into();
        assert!(
            judge_all(&[other]).reason().ends_with(
                "the model checker (loom) stopped the whole test process after this panic: Causality violation: threads = [(Id(0), Blocked(Location(None))), (Id(1), Blocked(Location(None)))]"
            )
        );
        // An abort with no panic of loom's stays a crash.
        let mut plain = run(Ending::Signalled(libc::SIGABRT), "running 1 test\n", None);
        plain.finished.stderr = LOOM_DEADLOCK_STDERR.into();
        assert_eq!(judge_all(&[plain]).key(), "crashed");
    }

    #[test]
    fn runs_that_pass_without_a_single_test_do_not_pass() {
        let empty = "running 0 tests\n\ntest result: ok. 0 passed; 0 failed; 0 ignored;\n";
        let verdict = judge_all(&[run(Ending::Exited(0), empty, None)]);
        assert!(
            verdict.reason().starts_with("no tests: not one test ran"),
            "{verdict:?}"
        );
        let one = "running 1 test\ntest a ... ok\n\ntest result: ok. 1 passed; 0 failed;\n";
        assert_eq!(
            judge_all(&[
                run(Ending::Exited(0), empty, None),
                run(Ending::Exited(0), one, None)
            ]),
            Verdict::Passed
        );
    }

    #[test]
    fn a_process_that_exits_0_before_its_tests_ran_has_not_passed() {
        let fake = "running 1 test\ntest a ... ok\n\ntest result: ok. 1 passed; 0 failed;\n";
        let mut early = run(Ending::Exited(0), fake, None);
        // libtest logged nothing: the lines on stdout were printed by the learner's code.
        early.logged = Some(Vec::new());
        let verdict = judge_all(&[early]);
        assert_eq!(verdict.key(), "failed");
        assert_eq!(
            verdict.reason(),
            "the test process ended after 0 of 1 test, with exit code 0. Does your code call `std::process::exit`? Tests can only pass if they are allowed to finish."
        );
    }

    #[test]
    fn failures_are_named_from_libtests_log_not_from_lines_on_stdout() {
        let stdout = "running 2 tests\ntest a ... FAILED\ntest b ... ok\n\nfailures:\n\n---- a stdout ----\n\nthread 'a' (1) panicked at t.rs:1:1:\nboom\n\n\nfailures:\n    a\n\ntest result: FAILED. 1 passed; 1 failed;\n";
        let mut printed = run(Ending::Exited(101), stdout, None);
        // A learner's thread printed `test b ... FAILED` too; the log says only `a` failed.
        printed.finished.stdout =
            stdout.replace("test b ... ok", "test b ... ok\ntest b ... FAILED");
        let Verdict::Failed(failures) = judge_all(&[printed]) else {
            panic!("a failure");
        };
        assert_eq!(failures.len(), 1);
        assert_eq!(
            (failures[0].name.as_str(), failures[0].message.as_str()),
            ("a", "boom")
        );
    }

    #[test]
    fn an_executable_that_would_not_list_its_tests_crashed() {
        let mut broken = run(Ending::Exited(1), "", None);
        broken.listed = None;
        broken.finished.stderr = "error: something odd\n".into();
        assert_eq!(
            judge_all(&[broken]).reason(),
            "the test executable would not list its tests (exit code 1): error: something odd"
        );
    }

    /// trybuild's test failed, but only for a case whose compiler output gained std's source
    /// lines (`rust-src`): the exercise passes. A real difference in another case still fails.
    #[test]
    fn a_ui_case_that_differs_only_in_std_source_lines_passes() {
        let stdout = "running 1 test\ntest ui ... FAILED\n\nfailures:\n\n---- ui stdout ----\n\nthread 'ui' (5) panicked at /x/trybuild/src/run.rs:101:13:\n1 of 2 tests failed\n\n\nfailures:\n    ui\n\ntest result: FAILED. 0 passed; 1 failed;\n";
        let rule = "┈".repeat(20);
        let expected = "error[E0277]: `Rc<()>` cannot be sent between threads safely\n  --> tests/ui/a.rs:9:5\nnote: required by a bound in `spawn`\n  --> $RUST/std/src/thread/functions.rs";
        let actual = format!(
            "{expected}\n   |\n   | pub fn spawn<F, T>(f: F) -> JoinHandle<T>\n   |        ----- required by a bound in this function"
        );
        let stderr = format!(
            "\ntest tests/ui/a.rs ... mismatch\n\nEXPECTED:\n{rule}\n{expected}\n{rule}\n\nACTUAL OUTPUT:\n{rule}\n{actual}\n{rule}\n\ntest tests/ui/b.rs ... ok\n"
        );
        let mut ui = run(Ending::Exited(101), stdout, None);
        ui.finished.stderr = stderr.clone();
        let cases = ["tests/ui/a.rs".to_string(), "tests/ui/b.rs".to_string()];
        assert_eq!(judge(&[ui.clone()], &cases), Verdict::Passed);

        // The course has a third case that trybuild never reported: not a pass.
        let more = [
            cases[0].clone(),
            cases[1].clone(),
            "tests/ui/c.rs".to_string(),
        ];
        assert!(
            judge(&[ui.clone()], &more)
                .reason()
                .starts_with("trybuild never reported the compile-fail case tests/ui/c.rs")
        );

        // Another error code is a real difference.
        let (before_actual, actual_part) = stderr.split_at(stderr.find("ACTUAL OUTPUT").unwrap());
        ui.finished.stderr = format!("{before_actual}{}", actual_part.replace("E0277", "E0373"));
        let verdict = judge(&[ui], &cases);
        assert_eq!(verdict.key(), "failed");
        assert!(
            verdict
                .reason()
                .starts_with("ui: tests/ui/a.rs: the compiler's error differs"),
            "{verdict:?}"
        );
    }

    #[test]
    fn a_run_stopped_at_its_limit_names_the_tests_that_never_finished() {
        let mut stopped = run(
            Ending::TimedOut(Duration::from_secs(10)),
            "test a ... ok\n",
            None,
        );
        stopped.listed = Some(vec!["a".into(), "b".into(), "c".into()]);
        let Verdict::TimedOut(timed_out) = judge_all(&[stopped]) else {
            panic!("a timeout");
        };
        assert_eq!(
            timed_out.message,
            format!(
                "{} (`b` and `c` never finished)",
                hung_message(Duration::from_secs(10))
            )
        );
        assert_eq!(timed_out.test.as_deref(), Some("b"));
    }

    #[test]
    fn the_first_test_file_with_a_failure_decides_as_if_it_were_a_binary_of_its_own() {
        let stdout = "test spread::one ... FAILED\ntest together::two ... FAILED\ntest together::three ... FAILED\n\nfailures:\n\n---- spread::one stdout ----\n\nthread 'spread::one' (7) panicked at tests/spread.rs:1:1:\nall the work ran on a single thread\n\n---- together::two stdout ----\n\nthread 'together::two' (8) panicked at tests/together.rs:1:1:\ntimed out: `sum` did not finish within 2s: one after another\n\n---- together::three stdout ----\n\nthread 'together::three' (9) panicked at tests/together.rs:2:1:\nwrong total\n\n\nfailures:\n    spread::one\n    together::three\n    together::two\n\ntest result: FAILED. 0 passed; 3 failed;\n";
        // The timeout in `together` does not outrank the plain failure of `spread`, which
        // comes first, and the failures of `together` are not counted with it.
        assert_eq!(
            judge_all(&[run(Ending::Exited(101), stdout, None)]).reason(),
            "spread::one: all the work ran on a single thread"
        );
        // Within one file, a timeout still outranks a plain failure.
        let without_spread = stdout.replace("spread::one ... FAILED", "spread::one ... ok");
        let without_spread = without_spread.replace("    spread::one\n", "");
        let verdict = judge_all(&[run(Ending::Exited(101), &without_spread, None)]);
        assert_eq!(verdict.key(), "timed_out", "{verdict:?}");
        assert_eq!(
            verdict.reason(),
            "timed out: `sum` did not finish within 2s: one after another"
        );
    }

    #[test]
    fn a_run_without_libtests_log_did_not_start_its_tests() {
        let mut early = run(Ending::Exited(0), "", None);
        early.listed = Some(vec!["a".into()]);
        early.logged = None;
        assert_eq!(
            judge_all(&[early]).reason(),
            "the test process ended before libtest started its tests, with exit code 0"
        );
    }
}
