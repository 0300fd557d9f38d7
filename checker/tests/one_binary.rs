//! The course's one-binary layout (`autotests = false`, one `[[test]]`): an exercise is tested
//! as soon as its binary is built, and its compile-fail test (`ui::ui`) runs again only when
//! its own inputs change, not after every edit to `src/`.

mod support;

use serde_json::Value;
use std::fs;
use std::path::Path;
use support::{checker, fixture};

/// Checks the fixture, returns the exercise's verdict and message, and how often `ui::ui` has
/// run so far (the fixture's ui test notes each run in `UI_RUNS`).
fn check(course: &Path, extra: &[&str]) -> (String, String, usize) {
    let runs = course.join("ui-runs.txt");
    let output = checker(course)
        .env("UI_RUNS", &runs)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .expect("the checker runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    let exercise = &report["exercises"][0];
    let text = |field: &str| exercise[field].as_str().unwrap_or_default().to_string();
    let count = fs::read_to_string(&runs)
        .unwrap_or_default()
        .lines()
        .count();
    (text("verdict"), text("message"), count)
}

fn append(file: &Path, line: &str) {
    let text = fs::read_to_string(file).expect("the file is there");
    fs::write(file, format!("{text}{line}\n")).expect("the file is written");
}

#[test]
fn the_ui_test_runs_again_only_when_its_own_inputs_change() {
    let course = fixture("one_binary");
    let exercise = course.path().join("exercises/01_remembered");
    let (verdict, _, runs) = check(course.path(), &[]);
    assert_eq!((verdict.as_str(), runs), ("passed", 1));

    // An edit to src/: the behaviour tests run again (and catch the mistake); the ui test's
    // result is reused.
    let lib = exercise.join("src/lib.rs");
    fs::write(&lib, "pub fn answer() -> u32 {\n    41\n}\n").expect("lib.rs is written");
    let (verdict, message, runs) = check(course.path(), &[]);
    assert_eq!(verdict, "failed");
    assert!(message.contains("the answer changed"), "{message}");
    assert_eq!(runs, 1, "the ui test ran again after an edit to src/");
    fs::write(&lib, "pub fn answer() -> u32 {\n    42\n}\n// done\n").expect("lib.rs is written");
    let (verdict, _, runs) = check(course.path(), &[]);
    assert_eq!((verdict.as_str(), runs), ("passed", 1));

    // An edit to the ui test itself: it runs again.
    append(&exercise.join("tests/ui.rs"), "// changed");
    let (verdict, _, runs) = check(course.path(), &[]);
    assert_eq!((verdict.as_str(), runs), ("passed", 2));

    // Without the cache, it always runs.
    let (verdict, _, runs) = check(course.path(), &["--no-cache"]);
    assert_eq!((verdict.as_str(), runs), ("passed", 3));
}
