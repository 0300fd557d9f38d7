//! Tests of the verdict: judged from real libtest output of each kind of ending.

use super::judge::{GROWS_WITHOUT_END, hung_message};
use super::*;
use crate::pipeline::output::libtest::{Logged, Outcome};
use crate::pipeline::runner::TestRun;
use crate::platform::process::Ending;
use std::time::Duration;

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
        timeouts: Vec::new(),
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

/// A thread of the learner's that prints in a loop goes on printing after its test has timed
/// out; the checker keeps only the start and the end of the flood, and the test's message on
/// stdout may be in the part left out. testkit's record of the timeout keeps the verdict
/// what it is, however much of the flood came after the message.
#[test]
fn a_timeout_lost_in_a_flood_of_output_is_still_a_timeout() {
    let buried = "test t ... FAILED\n\n[... 40000000 bytes of output left out by the checker ...]\nspam\nspam\n\nfailures:\n    t\n\ntest result: FAILED. 0 passed; 1 failed;\n";
    let mut flooded = run(Ending::Exited(101), buried, None);
    flooded.finished.left_out_bytes = 40_000_000;
    assert_eq!(judge_all(std::slice::from_ref(&flooded)).key(), "failed");

    flooded.timeouts = vec![(
        "t".to_string(),
        "timed out: `collect` did not finish within 2s: is a Sender alive?\nwhere each thread waits:\n- `collect` waits at src/lib.rs:7".to_string(),
    )];
    let verdict = judge_all(&[flooded]);
    let Verdict::TimedOut(timed_out) = &verdict else {
        panic!("a timeout, not {verdict:?}");
    };
    assert_eq!(
        timed_out.message,
        "`collect` did not finish within 2s: is a Sender alive?"
    );
    assert!(verdict.details().contains("A print inside a loop?"));
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
    printed.finished.stdout = stdout.replace("test b ... ok", "test b ... ok\ntest b ... FAILED");
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
    let without_spread = without_spread.replace("0 passed; 3 failed", "1 passed; 2 failed");
    let verdict = judge_all(&[run(Ending::Exited(101), &without_spread, None)]);
    assert_eq!(verdict.key(), "timed_out", "{verdict:?}");
    assert_eq!(
        verdict.reason(),
        "`sum` did not finish within 2s: one after another"
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
