//! A pass means every test ran and passed: code that ends the test process early, or prints
//! imitations of libtest's lines, earns nothing, in the progress report, `check` and `grade`.

mod support;

use predicates::str::contains;
use serde_json::Value;
use std::fs;
use support::{checker, fixture};

fn exercise<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["exercises"]
        .as_array()
        .expect("a list of exercises")
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("{name} is in the report"))
}

const EARLY_EXIT: &str = "the test process ended after 0 of 5 tests, with exit code 0. Does your code call `std::process::exit`? Tests can only pass if they are allowed to finish.";

#[test]
fn every_way_of_ending_the_tests_early_fails_and_says_what_happened() {
    let course = fixture("ends_early");
    let output = checker(course.path())
        .args(["--format", "json", "--no-cache"])
        .output()
        .expect("the checker runs");
    assert!(output.status.success(), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    assert_eq!(report["done"], 1, "{report:#}");
    assert_eq!(report["points"], 10);

    for name in ["exit_before_tests", "fake_summary", "fake_ok_lines"] {
        let entry = exercise(&report, name);
        assert_eq!(entry["verdict"], "failed", "{name}: {entry:#}");
        assert_eq!(entry["points"], 0, "{name}");
        assert_eq!(entry["message"], EARLY_EXIT, "{name}");
    }
    let exit_one = exercise(&report, "exit_one");
    assert_eq!(exit_one["verdict"], "failed");
    assert_eq!(
        exit_one["message"],
        EARLY_EXIT.replace("exit code 0", "exit code 1")
    );

    // A thread that prints a passing summary changes nothing: the real failures are named.
    let thread = exercise(&report, "summary_thread");
    assert_eq!(thread["verdict"], "failed");
    assert_eq!(thread["failed_tests"].as_array().map(Vec::len), Some(5));
    assert!(
        thread["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("five: assertion `left == right` failed")),
        "{thread:#}"
    );

    // Nothing correct is failed, whatever it prints.
    assert_eq!(exercise(&report, "passes_with_noise")["verdict"], "passed");
}

#[test]
fn check_names_an_early_end_and_fails() {
    let course = fixture("ends_early");
    checker(course.path())
        .args(["check", "fake_ok_lines", "--no-cache"])
        .assert()
        .failure()
        .stdout(contains("The tests did not all run"))
        .stdout(contains(EARLY_EXIT));
}

#[test]
fn grading_gives_an_early_end_nothing_and_warns_in_every_format() {
    let course = fixture("ends_early");
    // Grading needs to know the learner's files: those with a counterpart under solutions/.
    for folder in fs::read_dir(course.path().join("exercises")).expect("exercises") {
        let folder = folder.expect("an entry").file_name();
        let solution = course.path().join("solutions").join(&folder).join("src");
        fs::create_dir_all(&solution).expect("a solutions folder");
        fs::copy(
            course
                .path()
                .join("exercises")
                .join(&folder)
                .join("src/lib.rs"),
            solution.join("lib.rs"),
        )
        .expect("a learner file");
    }
    let output = checker(course.path())
        .args(["grade", ".", "--format", "json"])
        .output()
        .expect("the checker runs");
    assert!(output.status.success(), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    let submission = &report["submissions"][0];
    assert_eq!(submission["score"], 10, "{submission:#}");
    let warnings: Vec<&str> = submission["warnings"]
        .as_array()
        .expect("a list of warnings")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(warnings.len(), 4, "{warnings:?}");
    for name in [
        "exit_before_tests",
        "fake_summary",
        "fake_ok_lines",
        "exit_one",
    ] {
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with(&format!("{name}: its tests did not all run"))),
            "{name} is not warned about: {warnings:?}"
        );
    }

    for (format, warned) in [
        (
            "markdown",
            "Warning: fake_summary: its tests did not all run",
        ),
        ("junit", "warning: fake_summary: its tests did not all run"),
        ("csv", "fake_summary: its tests did not all run"),
        ("html", "fake_summary: its tests did not all run"),
    ] {
        checker(course.path())
            .args(["grade", ".", "--format", format])
            .assert()
            .success()
            .stdout(contains(warned));
    }
}
