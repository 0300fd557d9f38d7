//! Tests of reading libtest's list, log and report.

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
    let out =
        "a_pop_wakes_a_producer: test\nmodule::inner: test\nfast: bench\n\n2 tests, 1 benchmarks\n";
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
