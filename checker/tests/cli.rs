//! The checker, run as a learner runs it, against small fixture courses.

mod support;

use predicates::prelude::*;
use predicates::str::contains;
use std::time::{Duration, Instant};
use support::{checker, fixture};

#[test]
fn the_progress_report_gives_every_exercise_its_verdict() {
    let course = fixture("course");
    checker(course.path())
        .assert()
        .success()
        .stdout(contains("1/6 exercises done, 10/60 points"))
        .stdout(contains("passed"))
        .stdout(contains(
            "every_value_is_counted: assertion `left == right` failed: the first value was lost",
        ))
        .stdout(contains("E0373"))
        .stdout(contains("timed out"))
        .stdout(contains("crashed"))
        // The first exercise that does not pass comes next, with its reason and its hint.
        .stdout(contains("Next up: 02 fails: Fails"))
        .stdout(contains("cargo run -p checker -- hint fails"));
}

#[test]
fn the_json_report_is_versioned_and_complete() {
    let course = fixture("course");
    let output = checker(course.path())
        .args(["--format", "json"])
        .output()
        .expect("the checker runs");
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(report["version"], 1);
    assert_eq!(report["done"], 1);
    assert_eq!(report["total"], 6);
    let verdicts: Vec<(&str, &str)> = report["exercises"]
        .as_array()
        .expect("a list of exercises")
        .iter()
        .map(|e| (e["name"].as_str().unwrap(), e["verdict"].as_str().unwrap()))
        .collect();
    assert_eq!(
        verdicts,
        [
            ("passes", "passed"),
            ("fails", "failed"),
            ("broken", "compile_error"),
            ("hangs", "timed_out"),
            ("aborts", "crashed"),
            ("deadline", "timed_out"),
        ]
    );
    let broken = &report["exercises"][2];
    assert_eq!(broken["error_code"], "E0373");
    assert_eq!(broken["points"], 0);
    assert_eq!(report["exercises"][0]["points"], 10);
}

#[test]
fn check_of_a_passing_exercise_exits_zero() {
    let course = fixture("course");
    checker(course.path())
        .args(["check", "passes"])
        .assert()
        .success()
        .stdout(contains("test the_answer_is_right ... ok"))
        .stdout(contains("✓ passed"));
}

#[test]
fn check_of_a_failing_exercise_shows_the_test_output_and_exits_one() {
    let course = fixture("course");
    checker(course.path())
        .args(["check", "02_fails"])
        .assert()
        .code(1)
        .stdout(contains("test every_value_is_counted ... FAILED"))
        .stdout(contains("1 test fails:"))
        .stdout(contains("left: 5"));
}

#[test]
fn a_compile_error_is_explained_in_the_courses_words() {
    let course = fixture("course");
    checker(course.path())
        .args(["check", "broken"])
        .assert()
        .code(1)
        .stdout(contains("It does not compile yet"))
        .stdout(contains("exercises/03_broken/src/lib.rs:4"))
        .stdout(contains("Add `move`"))
        .stdout(contains("rustc --explain E0373"));
}

#[test]
fn a_testkit_deadline_is_a_timeout_that_names_the_test_and_the_advice() {
    let course = fixture("course");
    checker(course.path())
        .args(["check", "deadline"])
        .assert()
        .code(1)
        .stdout(contains("✗ timed out"))
        .stdout(contains("collecting_ends"))
        .stdout(contains(
            "`collect` did not finish within 300ms: is a Sender still alive?",
        ));
}

#[test]
fn a_crash_is_reported_as_a_crash() {
    let course = fixture("course");
    checker(course.path())
        .args(["check", "aborts"])
        .assert()
        .code(1)
        .stdout(contains("crashed"))
        .stdout(contains("SIGABRT").or(contains("signal")));
}

#[test]
fn a_hang_is_stopped_at_its_time_limit_and_leaves_no_process_behind() {
    let course = fixture("course");
    // Build first, so that the time measured below is the run's alone.
    checker(course.path())
        .args(["check", "passes"])
        .assert()
        .success();
    let started = Instant::now();
    checker(course.path())
        .args(["check", "hangs"])
        .assert()
        .code(1)
        .stdout(contains("did not finish within 2s"))
        .stdout(contains("probable deadlock"));
    let elapsed = started.elapsed();
    // The limit is 2 s; building the one crate again and the clean-up must fit in 2 s more...
    // on a loaded machine this is generous on purpose: the point is that it ends at all.
    assert!(
        elapsed < Duration::from_secs(30),
        "the hang was reported only after {elapsed:?}"
    );
    #[cfg(target_os = "linux")]
    assert_no_process_with_argument("31337");
}

/// A print loop fills the test harness's memory (it keeps what a test prints) far faster than
/// any time limit ends it: the checker stops it at its memory budget and says why.
#[cfg(target_os = "linux")]
#[test]
fn a_print_loop_is_stopped_at_the_memory_budget_long_before_its_time_limit() {
    let course = fixture("floods");
    let started = Instant::now();
    checker(course.path())
        .args(["check", "prints"])
        .assert()
        .code(1)
        .stdout(contains("crashed"))
        .stdout(contains(
            "the tests held more than 1 GiB of memory and were stopped",
        ))
        .stdout(contains("output printed in a loop"))
        .stdout(contains("where each thread waits"));
    let elapsed = started.elapsed();
    // The time limit is 120 s.
    assert!(
        elapsed < Duration::from_secs(60),
        "the print loop was stopped only after {elapsed:?}"
    );
    let output = checker(course.path())
        .args(["--format", "json", "check", "prints"])
        .output()
        .expect("the checker runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let diagnosis = report["exercises"][0]["diagnosis"]
        .as_str()
        .unwrap_or_default();
    assert!(diagnosis.starts_with("where each thread waits"), "{report}");
}

/// A step's timeout is known from testkit's record of it even when its message never reaches
/// stdout (a thread printing in a loop can bury it there): the verdict is the timeout, not the
/// failure that the test went on to.
#[test]
fn a_timeout_whose_message_never_reached_stdout_is_still_a_timeout() {
    let course = fixture("floods");
    let output = checker(course.path())
        .args(["--format", "json", "check", "hidden_timeout"])
        .env("TESTKIT_DIAGNOSE", "0")
        .output()
        .expect("the checker runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let exercise = &report["exercises"][0];
    assert_eq!(exercise["verdict"], "timed_out", "{report}");
    assert_eq!(
        exercise["message"],
        "`answer` did not finish within 300ms: probable deadlock: some thread is waiting for a lock, a message or a join that never comes",
        "{report}"
    );
}

/// The hanging fixture starts `sleep 31337`; killing its process group must end it too.
#[cfg(target_os = "linux")]
fn assert_no_process_with_argument(argument: &str) {
    let survivors: Vec<String> = std::fs::read_dir("/proc")
        .expect("/proc")
        .flatten()
        .filter_map(|entry| std::fs::read(entry.path().join("cmdline")).ok())
        .map(|cmdline| String::from_utf8_lossy(&cmdline).replace('\0', " "))
        .filter(|cmdline| cmdline.starts_with("sleep") && cmdline.contains(argument))
        .collect();
    assert!(survivors.is_empty(), "left behind: {survivors:?}");
}

#[test]
fn a_broken_exercise_toml_names_the_file_and_the_field() {
    let course = fixture("broken_toml");
    checker(course.path())
        .assert()
        .code(2)
        .stderr(contains("exercises/01_typo/exercise.toml"))
        .stderr(contains("pionts"));
}

#[test]
fn a_missing_cargo_is_a_clear_error() {
    let course = fixture("course");
    checker(course.path())
        .env("CARGO", "/nonexistent/cargo")
        .assert()
        .code(2)
        .stderr(contains("could not run `/nonexistent/cargo`"))
        .stderr(contains("rustup"));
}

#[test]
fn an_unknown_exercise_suggests_the_closest_name() {
    let course = fixture("course");
    checker(course.path())
        .args(["check", "fials"])
        .assert()
        .code(2)
        .stderr(contains("there is no exercise called `fials`"))
        .stderr(contains("Did you mean `fails`?"));
}

/// Undoing an edit gives the verdict from before it at once, from the cache: no cargo runs
/// (there is none to run here).
#[test]
fn undoing_an_edit_gives_the_earlier_verdict_without_a_build() {
    let course = fixture("course");
    let root = course.path();
    let lib = root.join("exercises/02_fails/src/lib.rs");
    let shipped = std::fs::read_to_string(&lib).unwrap();
    checker(root)
        .args(["check", "fails"])
        .assert()
        .code(1)
        .stdout(contains("every_value_is_counted"));
    std::fs::write(
        &lib,
        "pub fn total(values: &[u32]) -> u32 {\n    values.iter().sum()\n}\n",
    )
    .unwrap();
    checker(root).args(["check", "fails"]).assert().success();

    std::fs::write(&lib, &shipped).unwrap();
    checker(root)
        .args(["check", "fails"])
        .env("CARGO", "/nonexistent/cargo")
        .assert()
        .code(1)
        .stdout(contains("every_value_is_counted"));
}

#[test]
fn a_name_that_is_not_close_to_any_gets_the_ways_to_name_an_exercise() {
    let course = fixture("course");
    checker(course.path())
        .args(["hint", "nonexistent"])
        .assert()
        .code(2)
        .stderr(contains("there is no exercise called `nonexistent`"))
        .stderr(contains("Did you mean").not())
        .stderr(contains(
            "Name an exercise by its name (`passes`), its folder (`01_passes`) or its number (`1`)",
        ))
        .stderr(contains("-- list` shows them all"));
    checker(course.path())
        .args(["hint", "99"])
        .assert()
        .code(2)
        .stderr(contains(
            "there is no exercise number 99: the course has 01 to 06",
        ))
        .stderr(contains("Did you mean").not());
}

#[test]
fn each_hint_request_shows_one_more_level_and_it_is_remembered() {
    let course = fixture("course");
    checker(course.path())
        .args(["hint", "passes"])
        .assert()
        .success()
        .stdout(contains("1/2  first hint for passes"))
        .stdout(contains("second hint").not())
        .stdout(contains("Ask again for the next hint"));
    checker(course.path())
        .args(["hint", "passes"])
        .assert()
        .success()
        .stdout(contains("1/2  first hint for passes"))
        .stdout(contains("2/2  second hint for passes"))
        .stdout(contains("That was the last hint"));
    // Asking for a lower level later shows that level; the other exercise starts afresh.
    checker(course.path())
        .args(["hint", "passes", "--level", "1"])
        .assert()
        .success()
        .stdout(contains("second hint").not());
    checker(course.path())
        .args(["hint", "fails"])
        .assert()
        .success()
        .stdout(contains("1/2  first hint for fails"))
        .stdout(contains("second hint").not());
    checker(course.path())
        .args(["hint", "passes", "--level", "3"])
        .assert()
        .code(2)
        .stderr(contains("hints 1 to 2"));
}

#[test]
fn a_damaged_state_file_costs_a_warning_not_the_hint() {
    let course = fixture("course");
    std::fs::create_dir_all(course.path().join(".checker")).unwrap();
    std::fs::write(course.path().join(".checker/state.json"), "{ not json").unwrap();
    checker(course.path())
        .args(["hint", "passes"])
        .assert()
        .success()
        .stderr(contains("state.json is damaged"))
        .stdout(contains("1/2  first hint for passes"));
}

#[test]
fn the_solution_is_shown_only_once_the_exercise_passes() {
    let course = fixture("course");
    checker(course.path())
        .args(["solution", "fails"])
        .assert()
        .code(1)
        .stdout(contains("does not pass yet"))
        .stdout(contains("--force"))
        .stdout(contains("values.iter().sum()").not());
    checker(course.path())
        .args(["solution", "fails", "--force"])
        .assert()
        .success()
        .stdout(contains("solutions/02_fails/src/lib.rs"))
        .stdout(contains("values.iter().sum()"));
    checker(course.path())
        .args(["solution", "passes"])
        .assert()
        .success()
        .stdout(contains("pub fn answer()"));
}

#[test]
fn list_shows_done_current_and_pending() {
    let course = fixture("course");
    checker(course.path())
        .arg("list")
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"01  passes\s+done\s+10/10 pts  Passes").unwrap())
        .stdout(predicate::str::is_match(r"02  fails\s+current\s+0/10 pts  Fails").unwrap())
        .stdout(predicate::str::is_match(r"03  broken\s+pending").unwrap());
}

fn runs_logged(course: &std::path::Path) -> usize {
    std::fs::read_to_string(course.join("runs.log"))
        .map(|log| log.lines().count())
        .unwrap_or(0)
}

#[test]
fn an_unchanged_exercise_is_not_run_again_and_any_change_reruns_it() {
    let course = fixture("course");
    let root = course.path();
    // A target dir (and so a cache) of its own: other tests write the shared one meanwhile.
    let target = root.join("target");
    let checker = |root: &std::path::Path| {
        let mut command = checker(root);
        command.env("CARGO_TARGET_DIR", &target);
        command
    };
    let check = || {
        checker(root).args(["check", "passes"]).assert().success();
    };
    check();
    assert_eq!(runs_logged(root), 1);
    check();
    assert_eq!(
        runs_logged(root),
        1,
        "nothing changed, so nothing should run"
    );

    // Editing the code runs it again.
    let lib = root.join("exercises/01_passes/src/lib.rs");
    let code = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, format!("{code}\n// an edit\n")).unwrap();
    check();
    assert_eq!(runs_logged(root), 2);

    // So does a changed ui snapshot (any file of the exercise).
    std::fs::create_dir_all(root.join("exercises/01_passes/tests/ui")).unwrap();
    std::fs::write(
        root.join("exercises/01_passes/tests/ui/case.stderr"),
        "error",
    )
    .unwrap();
    check();
    assert_eq!(runs_logged(root), 3);

    // A damaged cache is set aside with a warning and rebuilt.
    std::fs::write(target.join("checker/verdicts.json"), "garbage").unwrap();
    checker(root)
        .args(["check", "passes"])
        .assert()
        .success()
        .stderr(contains("verdicts.json is damaged"));
    assert_eq!(runs_logged(root), 4);

    // --no-cache always runs.
    checker(root)
        .args(["check", "passes", "--no-cache"])
        .assert()
        .success();
    assert_eq!(runs_logged(root), 5);
}

#[test]
fn outside_a_course_the_checker_says_where_to_go() {
    let empty = tempfile::tempdir().expect("a folder");
    checker(empty.path())
        .assert()
        .code(2)
        .stderr(contains("is not inside the course"));
}

#[test]
fn verify_flags_an_exercise_that_passes_as_shipped() {
    let course = fixture("course");
    checker(course.path())
        .args(["verify", "passes", "fails"])
        .assert()
        .code(1)
        .stdout(contains("passes as shipped"))
        .stdout(
            predicate::str::is_match(r"fails\s+shipped: failed ×1\s+solved: passed ×1\s+ok")
                .unwrap(),
        )
        .stdout(contains("verify: 1 of 2 exercises does not hold"));
    checker(course.path())
        .args(["verify", "fails"])
        .assert()
        .success()
        .stdout(contains(
            "verify: the exercise fails as shipped and passes with its solution (1 run each).",
        ));
}

/// Runs git in `dir` as a given author.
fn git(dir: &std::path::Path, email: &str, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args([
            "-c",
            &format!("user.email={email}"),
            "-c",
            "user.name=someone",
        ])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?} failed");
}

/// The course fixture as a git repository, committed by the course's author.
fn committed_course() -> tempfile::TempDir {
    let course = fixture("course");
    let root = course.path();
    git(root, "author@course.example", &["init", "-q"]);
    git(root, "author@course.example", &["add", "-A"]);
    git(
        root,
        "author@course.example",
        &["commit", "-qm", "the course"],
    );
    course
}

#[test]
fn a_changed_test_file_is_named_and_a_deleted_one_fails_the_exercise() {
    let course = committed_course();
    let root = course.path();
    let test = root.join("exercises/01_passes/tests/answer.rs");
    let shipped = std::fs::read_to_string(&test).unwrap();
    std::fs::write(&test, format!("{shipped}\n// my note\n")).unwrap();
    checker(root)
        .args(["check", "passes"])
        .assert()
        .success()
        .stderr(contains(
            "you changed the course's test exercises/01_passes/tests/answer.rs",
        ));

    std::fs::remove_file(&test).unwrap();
    checker(root)
        .args(["check", "passes"])
        .assert()
        .code(1)
        .stdout(contains("tests/answer.rs:"))
        .stdout(contains(
            "git checkout -- exercises/01_passes/tests/answer.rs",
        ));

    // Without git, an exercise that ran no test does not pass either.
    std::fs::remove_dir_all(root.join(".git")).unwrap();
    checker(root)
        .args(["check", "passes"])
        .assert()
        .code(1)
        .stdout(contains("not one test ran"));
}

#[test]
fn reset_restores_the_courses_version_even_after_the_learner_committed_and_keeps_a_backup() {
    let course = committed_course();
    let root = course.path();
    std::process::Command::new("git")
        .args(["config", "user.email", "learner@example.com"])
        .current_dir(root)
        .status()
        .unwrap();
    let lib = root.join("exercises/02_fails/src/lib.rs");
    let shipped = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(
        &lib,
        "pub fn total(values: &[u32]) -> u32 { values.len() as u32 }\n",
    )
    .unwrap();
    git(
        root,
        "learner@example.com",
        &["commit", "-qam", "my attempt"],
    );

    // Without --yes it asks, and a "no" changes nothing.
    checker(root)
        .args(["reset", "fails"])
        .write_stdin("n\n")
        .assert()
        .code(1)
        .stdout(contains("exercises/02_fails/src/lib.rs"))
        .stdout(contains("Nothing was changed"));
    assert!(
        std::fs::read_to_string(&lib)
            .unwrap()
            .contains("values.len()")
    );

    checker(root)
        .args(["reset", "fails"])
        .write_stdin("y\n")
        .assert()
        .success()
        .stdout(contains("backed up in .checker/backups/"));
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), shipped);
    let backups: Vec<_> = std::fs::read_dir(root.join(".checker/backups"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(backups.len(), 1);
    let kept = backups[0].path().join("exercises/02_fails/src/lib.rs");
    assert!(
        std::fs::read_to_string(kept)
            .unwrap()
            .contains("values.len()")
    );

    checker(root)
        .args(["reset", "fails", "--yes"])
        .assert()
        .success()
        .stdout(contains("already as the course shipped it"));
}

/// The learner's git identity is the course author's (a shared machine, a copied
/// `.gitconfig`), in a history of one commit, as a GitHub Classroom copy of the template has:
/// reset still restores the shipped file, uncommitted change or committed.
#[test]
fn reset_does_not_depend_on_who_committed() {
    let course = committed_course();
    let root = course.path();
    let lib = root.join("exercises/02_fails/src/lib.rs");
    let shipped = std::fs::read_to_string(&lib).unwrap();
    let mine = "pub fn total(values: &[u32]) -> u32 { values.len() as u32 }\n";

    std::fs::write(&lib, mine).unwrap();
    git(
        root,
        "author@course.example",
        &["config", "user.email", "author@course.example"],
    );
    checker(root)
        .args(["reset", "fails", "--yes"])
        .assert()
        .success()
        .stdout(contains("exercises/02_fails/src/lib.rs"));
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), shipped);

    // Committed under the author's identity, then under another one (GitHub's web editor):
    // neither commit is taken for the course's.
    for identity in ["author@course.example", "web-flow@users.noreply.github.com"] {
        std::fs::write(&lib, format!("{mine}// by {identity}\n")).unwrap();
        git(root, identity, &["commit", "-qam", "my attempt"]);
        checker(root)
            .args(["reset", "fails", "--yes"])
            .assert()
            .success();
        assert_eq!(
            std::fs::read_to_string(&lib).unwrap(),
            shipped,
            "after a commit by {identity}"
        );
    }
}

/// A repository whose history never held the shipped file (a download, edited, then put
/// under git): the error says what to do.
#[test]
fn reset_without_the_shipped_blob_says_how_to_get_it() {
    let course = fixture("course");
    let root = course.path();
    std::fs::write(
        root.join("exercises/02_fails/src/lib.rs"),
        "pub fn total(values: &[u32]) -> u32 { values.len() as u32 }\n",
    )
    .unwrap();
    git(root, "learner@example.com", &["init", "-q"]);
    git(root, "learner@example.com", &["add", "-A"]);
    git(root, "learner@example.com", &["commit", "-qm", "my copy"]);
    checker(root)
        .args(["reset", "fails", "--yes"])
        .assert()
        .code(2)
        .stderr(contains(
            "the shipped version of exercises/02_fails/src/lib.rs (git blob e1ca3f70e9) is not in this repository's history",
        ))
        .stderr(contains("git fetch <the course's repository>"));
}

/// What reset restores is recorded by the course, and `verify` keeps that record true.
#[test]
fn verify_refuses_an_out_of_date_record_of_the_shipped_files_and_records_it_again() {
    let course = fixture("course");
    let root = course.path();
    let lib = root.join("exercises/02_fails/src/lib.rs");
    let reworked = "pub fn total(values: &[u32]) -> u32 { values.iter().skip(2).sum() }\n";
    std::fs::write(&lib, reworked).unwrap();
    checker(root)
        .args(["verify", "fails"])
        .assert()
        .code(1)
        .stdout(contains("shipped.txt is out of date"))
        .stdout(contains(
            "exercises/02_fails/src/lib.rs is listed with another content",
        ))
        .stdout(contains("cargo run -p checker -- verify --record-shipped"));
    checker(root)
        .args(["verify", "--record-shipped"])
        .assert()
        .success()
        .stdout(contains("Recorded the shipped version of 2 learner files"));
    git(root, "author@course.example", &["init", "-q"]);
    git(root, "author@course.example", &["add", "-A"]);
    git(
        root,
        "author@course.example",
        &["commit", "-qm", "the course"],
    );
    std::fs::write(&lib, "// mine\n").unwrap();
    checker(root)
        .args(["reset", "fails", "--yes"])
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), reworked);
}

#[test]
fn reset_without_git_history_says_what_it_needs() {
    let course = fixture("course");
    std::fs::write(
        course.path().join("exercises/02_fails/src/lib.rs"),
        "// mine\n",
    )
    .unwrap();
    checker(course.path())
        .args(["reset", "fails", "--yes"])
        .assert()
        .code(2)
        .stderr(contains("needs the course's git history"));
}

/// A compiler that is not the pinned one (as a distribution's Rust would be) is named once.
#[cfg(unix)]
#[test]
fn a_compiler_that_is_not_the_pinned_one_is_named_once() {
    use std::os::unix::fs::PermissionsExt;
    let course = fixture("course");
    let root = course.path();
    std::fs::write(
        root.join("rust-toolchain.toml"),
        "[toolchain]\nchannel = \"1.95.0\"\n",
    )
    .unwrap();
    // rustc as it is, but it says it is 1.86.0 when asked for its version.
    let wrapper = root.join("old-rustc");
    std::fs::write(
        &wrapper,
        "#!/bin/sh\nif [ \"$1\" = -vV ]; then rustc -vV | sed 's/^release: .*/release: 1.86.0/'; else exec rustc \"$@\"; fi\n",
    )
    .unwrap();
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let run = || {
        checker(root)
            .args(["check", "passes"])
            .env("RUSTC", &wrapper)
            .assert()
            .success()
    };
    run().stderr(contains(
        "this course pins Rust 1.95.0 (rust-toolchain.toml), but the compiler here is 1.86.0",
    ));
    run().stderr(contains("pins Rust").not());
}
