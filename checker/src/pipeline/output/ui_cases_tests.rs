//! Tests of reading trybuild's report: each case ok, tolerated or not.

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
