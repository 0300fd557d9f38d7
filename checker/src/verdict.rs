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
}

impl TimedOut {
    /// The message, then the diagnosis.
    fn explanation(&self) -> String {
        match &self.diagnosis {
            Some(diagnosis) => format!("{}\n{diagnosis}", self.message),
            None => self.message.clone(),
        }
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
            Verdict::TimedOut(timed_out) => match &timed_out.test {
                Some(test) => format!("{test}:\n{}", indent(&timed_out.explanation())),
                None => timed_out.explanation(),
            },
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
        Ending::Signalled(signal) => {
            return Some(match loom_abort(run) {
                Some(failure) => Verdict::Failed(vec![failure]),
                None => Verdict::Crashed(crash_message(*signal, run)),
            });
        }
        Ending::Exited(0) => return None,
        Ending::Exited(code) if !summary.completed => {
            return Some(Verdict::Crashed(format!(
                "the test process exited with code {code} before it finished{}",
                last_words(&run.stderr)
            )));
        }
        Ending::Exited(_) => {}
    }
    if let Some(timeout) = summary
        .failures
        .iter()
        .find(|f| f.message.starts_with(testkit::TIMEOUT_MARKER))
    {
        let (message, diagnosis) = diagnosis::split(
            timeout
                .message
                .trim_start_matches(testkit::TIMEOUT_MARKER)
                .trim_start(),
        );
        return Some(Verdict::TimedOut(TimedOut {
            test: Some(timeout.name.clone()),
            message,
            diagnosis,
        }));
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

    /// What a loom test binary leaves behind when loom finds a deadlock (loom 0.7.3, trimmed).
    const LOOM_DEADLOCK_STDOUT: &str = "\nrunning 2 tests\ntest other ... ok\n\nthread 'two_threads under loom' (9277) panicked at /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/loom-0.7.3/src/rt/execution.rs:215:13:\ndeadlock; threads = [(Id(0), Blocked(Location(None))), (Id(1), Blocked(Location(None)))]\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\nthread 'two_threads under loom' (9277) panicked at /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/loom-0.7.3/src/rt/thread.rs:276:39:\ncalled `Option::unwrap()` on a `None` value\nstack backtrace:\n   0:     0x56464be6130a - std::backtrace_rs::backtrace::libunwind::trace\n";
    const LOOM_DEADLOCK_STDERR: &str = "\nthread 'two_threads under loom' (9277) panicked at /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/panicking.rs:233:5:\npanic in a destructor during cleanup\nthread caused non-unwinding panic. aborting.\n";

    #[cfg(unix)]
    #[test]
    fn a_deadlock_that_makes_loom_abort_is_a_failure_with_looms_report() {
        let mut aborted = run(Ending::Signalled(libc::SIGABRT), LOOM_DEADLOCK_STDOUT, None);
        aborted.stderr = LOOM_DEADLOCK_STDERR.into();
        let verdict = judge(&[aborted]);
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
        other.stderr = LOOM_DEADLOCK_STDERR.into();
        assert!(
            judge(&[other]).reason().ends_with(
                "the model checker (loom) stopped the whole test process after this panic: Causality violation: threads = [(Id(0), Blocked(Location(None))), (Id(1), Blocked(Location(None)))]"
            )
        );
        // An abort with no panic of loom's stays a crash.
        let mut plain = run(Ending::Signalled(libc::SIGABRT), "running 1 test\n", None);
        plain.stderr = LOOM_DEADLOCK_STDERR.into();
        assert_eq!(judge(&[plain]).key(), "crashed");
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
