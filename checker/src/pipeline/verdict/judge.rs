//! How a verdict is judged: from an exercise's test runs (their list, log, output and ending)
//! to passed, failed, timed out, crashed or incomplete, with the words that explain it.

use super::{TimedOut, Verdict};
use crate::pipeline::output::libtest::{self, TestFailure};
use crate::pipeline::output::ui_cases;
use crate::pipeline::runner::TestRun;
use crate::pipeline::verdict::wholeness::{self, Whole};
use crate::platform::process::{Ending, Finished, KEEP_HEAD, KEEP_TAIL};
use crate::platform::{diagnosis, memory};
use std::time::Duration;

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
    let failures = libtest::failures_of(&finished.stdout, &finished.stderr, &run.timeouts, &failed);
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
pub(super) const GROWS_WITHOUT_END: &str = "Something grows without end: a collection, a channel nobody \
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
