//! The real course, proven: every exercise fails as shipped and passes with its solution (and
//! with the alternative solutions kept as fixtures), and the course keeps its compile-fail cases.

mod support;

use predicates::str::contains;
use std::fs;
use std::path::PathBuf;
use support::repository;

/// The real course's checker, building into a target dir of its own so that it never waits on
/// (or overwrites) the builds of the `cargo test` that runs it.
fn course_checker() -> assert_cmd::Command {
    let mut command = assert_cmd::Command::cargo_bin("checker").expect("the checker binary");
    command
        .current_dir(repository())
        .env(
            "CARGO_TARGET_DIR",
            repository().join("target/course-verify"),
        )
        .env("NO_COLOR", "1")
        .timeout(std::time::Duration::from_secs(1800));
    command
}

fn exercise_folders() -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = fs::read_dir(repository().join("exercises"))
        .expect("the course has exercises/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    folders
}

#[test]
fn every_exercise_fails_as_shipped_and_passes_with_its_solution_and_the_alternatives() {
    let count = exercise_folders().len();
    course_checker()
        .args(["verify"])
        .assert()
        .success()
        .stdout(contains(format!(
            "all {count} exercises fail as shipped and pass with their solutions"
        )))
        .stdout(contains(format!(
            "all {} wrong solutions fail as recorded",
            wrong_solutions().len()
        )));

    // Verifying must not leak the solved builds into the course's own: checked as shipped
    // afterwards, with the same target dir, nothing passes.
    let output = course_checker()
        .args(["--format", "json", "--no-cache"])
        .output()
        .expect("the checker runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    assert_eq!(
        report["done"], 0,
        "after verify, the shipped course shows solved exercises"
    );

    // Second solutions in another style, kept as fixtures so that the tests stay open to them.
    let alternatives = repository().join("checker/tests/alternative_solutions");
    let names: Vec<String> = fs::read_dir(&alternatives)
        .expect("alternative solutions")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.len() >= 5,
        "expected at least 5 alternative solutions, found {names:?}"
    );
    course_checker()
        .args(["verify", "--no-wrong-solutions", "--solutions"])
        .arg(&alternatives)
        .args(&names)
        .assert()
        .success()
        .stdout(contains(format!(
            "all {} exercises fail as shipped and pass with their solutions",
            names.len()
        )));
}

/// Every wrong solution, as `NN_topic/mistake`.
fn wrong_solutions() -> Vec<String> {
    let mut found = Vec::new();
    let folder = repository().join("checker/tests/wrong_solutions");
    for exercise in fs::read_dir(&folder)
        .expect("checker/tests/wrong_solutions/")
        .flatten()
    {
        for mistake in fs::read_dir(exercise.path())
            .expect("an exercise's mistakes")
            .flatten()
        {
            found.push(format!(
                "{}/{}",
                exercise.file_name().to_string_lossy(),
                mistake.file_name().to_string_lossy()
            ));
        }
    }
    found.sort();
    found
}

#[test]
fn every_exercise_keeps_at_least_two_classic_mistakes_as_wrong_solutions() {
    let wrong = wrong_solutions();
    for folder in exercise_folders() {
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        let kept = wrong
            .iter()
            .filter(|w| w.starts_with(&format!("{name}/")))
            .count();
        assert!(
            kept >= 2,
            "exercises/{name} has {kept} wrong solutions under checker/tests/wrong_solutions/{name}/: keep at least two of its classic mistakes"
        );
    }
    assert!(wrong.len() >= 50, "only {} wrong solutions", wrong.len());
}

#[test]
fn the_course_has_at_least_twenty_compile_fail_cases_each_explained() {
    let mut cases = Vec::new();
    for folder in exercise_folders() {
        let Ok(entries) = fs::read_dir(folder.join("tests/ui")) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path).unwrap();
                assert!(
                    text.trim_start().starts_with("//"),
                    "{} must begin with a comment: what goes wrong elsewhere, and which rule stops it here",
                    path.display()
                );
                assert!(
                    path.with_extension("stderr").is_file(),
                    "{} has no .stderr snapshot",
                    path.display()
                );
                cases.push(path);
            }
        }
    }
    assert!(cases.len() >= 20, "only {} compile-fail cases", cases.len());
}

#[test]
fn every_exercise_has_a_lesson_hints_and_a_solution() {
    for folder in exercise_folders() {
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        for file in ["README.md", "exercise.toml", "Cargo.toml", "src/lib.rs"] {
            assert!(
                folder.join(file).is_file(),
                "exercises/{name} has no {file}"
            );
        }
        assert!(
            repository()
                .join("solutions")
                .join(&name)
                .join("src/lib.rs")
                .is_file(),
            "exercises/{name} has no solution"
        );
        let lesson = fs::read_to_string(folder.join("README.md")).unwrap();
        let package = name.split_once('_').unwrap().1;
        assert!(
            lesson.contains(&format!("cargo run -p checker -- check {package}")),
            "exercises/{name}/README.md does not say how to run just this exercise"
        );
    }
    // The checker itself validates every exercise.toml (title, skill, points, hints).
    course_checker()
        .args(["solution", "1", "--force"])
        .assert()
        .success();
}

/// `reset` restores what shipped.txt records: it must be true of the course as shipped.
#[test]
fn the_record_of_the_shipped_files_is_true() {
    let recorded = fs::read_to_string(repository().join("shipped.txt")).expect("shipped.txt");
    let mut listed = 0;
    for line in recorded
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (blob, path) = line.split_once("  ").expect("`<blob>  <path>` lines");
        let output = std::process::Command::new("git")
            .args(["hash-object", "--", path])
            .current_dir(repository())
            .output()
            .expect("git runs");
        assert_eq!(
            String::from_utf8_lossy(&output.stdout).trim(),
            blob,
            "shipped.txt is out of date for {path}: if the exercise as it is now is the one to \
             ship, run `cargo run -p checker -- verify --record-shipped`"
        );
        listed += 1;
    }
    let learner_files = fs::read_dir(repository().join("solutions"))
        .unwrap()
        .flatten()
        .map(|entry| count_files(&entry.path()))
        .sum::<usize>();
    assert_eq!(listed, learner_files, "every learner file is listed once");
}

fn count_files(folder: &std::path::Path) -> usize {
    fs::read_dir(folder)
        .map(|entries| {
            entries
                .flatten()
                .map(|entry| {
                    if entry.path().is_dir() {
                        count_files(&entry.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}
