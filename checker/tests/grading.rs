//! `checker grade` on fixture submissions: each one graded correctly, none hanging the run.

mod support;

use predicates::prelude::*;
use predicates::str::contains;
use std::fs;
use std::path::{Path, PathBuf};
use support::{checker, fixture};

/// A submission: a copy of the grading fixture, changed by `edit`.
fn submission(parent: &Path, name: &str, edit: impl FnOnce(&Path)) -> PathBuf {
    let course = fixture("grading");
    let path = parent.join(name);
    fs::rename(course.path(), &path)
        .or_else(|_| copy_dir(course.path(), &path))
        .expect("a submission folder");
    edit(&path);
    path
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn solve(path: &Path, exercise: &str) {
    fs::copy(
        path.join("solutions").join(exercise).join("src/lib.rs"),
        path.join("exercises").join(exercise).join("src/lib.rs"),
    )
    .expect("a solution to copy");
}

fn write_lib(path: &Path, exercise: &str, code: &str) {
    fs::write(
        path.join("exercises").join(exercise).join("src/lib.rs"),
        code,
    )
    .unwrap();
}

#[test]
fn every_kind_of_submission_is_graded_and_none_hangs_the_run() {
    let course = fixture("grading");
    let class = tempfile::tempdir().unwrap();
    let root = class.path();
    let solved = submission(root, "solved", |p| {
        solve(p, "01_sum");
        solve(p, "02_count");
    });
    let partial = submission(root, "partial", |p| solve(p, "02_count"));
    let edits_test = submission(root, "edits_test", |p| {
        fs::write(
            p.join("exercises/01_sum/tests/sum.rs"),
            "#[test]\nfn every_value_counts() {}\n",
        )
        .unwrap();
    });
    let adds_build_script = submission(root, "adds_build_rs", |p| {
        fs::write(
            p.join("exercises/01_sum/build.rs"),
            "fn main() { panic!(\"a build script from a submission must never run\") }\n",
        )
        .unwrap();
        let manifest = p.join("exercises/01_sum/Cargo.toml");
        let text = fs::read_to_string(&manifest).unwrap();
        fs::write(
            &manifest,
            text.replace("publish = false", "publish = false\nbuild = \"build.rs\""),
        )
        .unwrap();
        solve(p, "01_sum");
    });
    let prints_forever = submission(root, "prints_forever", |p| {
        write_lib(
            p,
            "01_sum",
            "use std::io::Write;\npub fn total(_: &[u64]) -> u64 {\n    loop {\n        let _ = std::io::stdout().write_all(b\"spam spam spam spam\\n\");\n    }\n}\n",
        );
        solve(p, "02_count");
    });
    let deadlocks = submission(root, "deadlocks", |p| {
        write_lib(
            p,
            "02_count",
            "pub fn evens(_: &[u64]) -> usize {\n    let lock = std::sync::Mutex::new(0);\n    let _first = lock.lock().unwrap();\n    let _second = lock.lock().unwrap();\n    0\n}\n",
        );
    });
    let allocates = submission(root, "allocates", |p| {
        write_lib(
            p,
            "02_count",
            "pub fn evens(_: &[u64]) -> usize {\n    let mut hoard: Vec<Vec<u8>> = Vec::new();\n    loop {\n        hoard.push(vec![1u8; 64 << 20]);\n    }\n}\n",
        );
    });
    let no_compile = submission(root, "no_compile", |p| {
        write_lib(
            p,
            "01_sum",
            "pub fn total(values: &[u64]) -> u64 { values }\n",
        );
        solve(p, "02_count");
    });
    let missing = submission(root, "missing_files", |p| {
        fs::remove_file(p.join("exercises/02_count/src/lib.rs")).unwrap();
        solve(p, "01_sum");
    });
    let odd_name = submission(root, "odd_name", |p| {
        solve(p, "01_sum");
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let name = std::ffi::OsStr::from_bytes(b"notes-\xff.txt");
            fs::write(p.join("exercises/01_sum").join(name), "not UTF-8").unwrap();
        }
    });
    let not_a_course = root.join("not_a_course");
    fs::create_dir_all(&not_a_course).unwrap();

    let order = [
        &solved,
        &partial,
        &edits_test,
        &adds_build_script,
        &prints_forever,
        &deadlocks,
        &allocates,
        &no_compile,
        &missing,
        &odd_name,
        &not_a_course,
    ];
    let report_file = root.join("report.json");
    checker(course.path())
        .arg("grade")
        .args(order)
        .args(["--format", "json", "--memory-mb", "512", "--output"])
        .arg(&report_file)
        .assert()
        .success();
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&report_file).unwrap()).unwrap();
    assert_eq!(report["version"], 1);
    assert_eq!(report["max_score"], 25);
    let submissions = report["submissions"].as_array().unwrap();
    assert_eq!(submissions.len(), order.len());
    let by_name = |name: &str| {
        submissions
            .iter()
            .find(|s| s["path"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name} is in the report"))
    };
    let verdicts = |name: &str| -> Vec<String> {
        by_name(name)["exercises"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["verdict"].as_str().unwrap().to_string())
            .collect()
    };

    assert_eq!(by_name("solved")["score"], 25);
    assert_eq!(verdicts("solved"), ["passed", "passed"]);
    assert_eq!(by_name("partial")["score"], 15);

    // Editing the test gains nothing, and is listed.
    assert_eq!(verdicts("edits_test"), ["failed", "failed"]);
    assert_eq!(
        by_name("edits_test")["ignored_changes"],
        serde_json::json!(["changed: exercises/01_sum/tests/sum.rs"])
    );

    // The build script never ran (the exercise passes) and both changes are listed.
    assert_eq!(verdicts("adds_build_rs")[0], "passed");
    let ignored = by_name("adds_build_rs")["ignored_changes"].to_string();
    assert!(
        ignored.contains("added: exercises/01_sum/build.rs"),
        "{ignored}"
    );
    assert!(
        ignored.contains("changed: exercises/01_sum/Cargo.toml"),
        "{ignored}"
    );

    // The print loop shares stdout with libtest's report, and is named in the explanation.
    assert_eq!(verdicts("prints_forever"), ["timed_out", "passed"]);
    let flooded = by_name("prints_forever")["exercises"][0]["details"].to_string();
    assert!(flooded.contains("A print inside a loop?"), "{flooded}");
    assert_eq!(verdicts("deadlocks")[1], "timed_out");
    assert_eq!(verdicts("allocates")[1], "crashed");
    let hoarded = by_name("allocates")["exercises"][1]["details"].to_string();
    assert!(hoarded.contains("it ran out of memory"), "{hoarded}");
    assert_eq!(verdicts("no_compile"), ["compile_error", "passed"]);
    assert_eq!(by_name("no_compile")["score"], 15);

    assert_eq!(
        by_name("missing_files")["missing_files"],
        serde_json::json!(["exercises/02_count/src/lib.rs"])
    );
    assert_eq!(verdicts("missing_files"), ["passed", "failed"]);

    #[cfg(unix)]
    {
        let ignored = by_name("odd_name")["ignored_changes"].to_string();
        assert!(
            ignored.contains("added: exercises/01_sum/notes-"),
            "{ignored}"
        );
    }
    assert_eq!(by_name("odd_name")["score"], 10);

    let error = by_name("not_a_course");
    assert_eq!(error["status"], "error");
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .contains("no exercises/ folder")
    );

    // Pass rates say where the class struggles.
    let rates: Vec<f64> = report["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pass_rate"].as_f64().unwrap())
        .collect();
    assert_eq!(rates.len(), 2);
    assert!(rates.iter().all(|r| (0.0..=1.0).contains(r)));
}

#[test]
fn the_other_formats_carry_the_same_grades() {
    let course = fixture("grading");
    let class = tempfile::tempdir().unwrap();
    let solved = submission(class.path(), "alice", |p| {
        solve(p, "01_sum");
        solve(p, "02_count");
    });
    let partial = submission(class.path(), "bob", |p| solve(p, "01_sum"));
    let grade = |format: &str| {
        checker(course.path())
            .args(["grade", "--format", format])
            .arg(&solved)
            .arg(&partial)
            .assert()
            .success()
    };
    grade("junit")
        .stdout(contains("<testsuite name=\"").and(contains("alice\" tests=\"2\" failures=\"0\"")))
        .stdout(contains("bob\" tests=\"2\" failures=\"1\""))
        .stdout(contains("<failure type=\"failed\""));
    grade("markdown")
        .stdout(contains("| submission | score | 01 | 02 |"))
        .stdout(contains("25/25"))
        .stdout(contains("10/25"))
        .stdout(contains("## Pass rate per exercise"));
    grade("csv")
        .stdout(contains("submission,status,score,max_score,sum,count"))
        .stdout(contains("alice,graded,25,25,10,15"))
        .stdout(contains("bob,graded,10,25,10,0"));
}

#[test]
fn a_students_repository_grades_itself_for_github_classroom() {
    let student = fixture("grading");
    solve(student.path(), "01_sum");
    let output_file = student.path().join("github_output");
    checker(student.path())
        .args(["grade", "--format", "classroom"])
        .env("GITHUB_OUTPUT", &output_file)
        .assert()
        .success()
        .stdout(contains("10/25 points"));
    let written = fs::read_to_string(&output_file).unwrap();
    let encoded = written
        .trim()
        .strip_prefix("result=")
        .expect("a `result` output");
    let decoded = decode_base64(encoded);
    let result: serde_json::Value = serde_json::from_slice(&decoded).unwrap();
    assert_eq!(result["version"], 1);
    assert_eq!(result["status"], "fail");
    assert_eq!(result["max_score"], 25);
    assert_eq!(result["tests"][0]["name"], "01 sum");
    assert_eq!(result["tests"][0]["status"], "pass");
    assert_eq!(result["tests"][0]["score"], 10);
    assert_eq!(result["tests"][1]["status"], "fail");
    assert_eq!(result["tests"][1]["score"], 0);

    // Without GITHUB_OUTPUT the result goes to stdout, and several paths are refused.
    checker(student.path())
        .args(["grade", "--format", "classroom", "a", "b"])
        .assert()
        .code(2)
        .stderr(contains("grades one submission"));
}

/// A small decoder, so that the test checks the encoding independently of the checker's.
fn decode_base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for byte in text.bytes().filter(|b| *b != b'=') {
        let value = ALPHABET.iter().position(|a| *a == byte).expect("base64") as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    out
}

#[test]
fn grading_formats_are_refused_for_other_commands() {
    let course = fixture("grading");
    checker(course.path())
        .args(["--format", "junit"])
        .assert()
        .code(2)
        .stderr(contains("reports of `grade`"));
}

/// The real course, solved, graded in the sandbox and without it: the same verdict for every
/// exercise (all passed), so the sandbox takes nothing that the course's tests need (trybuild's
/// cargo, threads, timers, the deadlock diagnosis' /proc). Needs bubblewrap: without it the
/// checker refuses `--sandbox=require` and this test fails with its message.
#[cfg(target_os = "linux")]
#[test]
fn the_real_course_solved_gets_the_same_verdicts_in_the_sandbox_as_without_it() {
    let repository = support::repository();
    let work = tempfile::Builder::new()
        .prefix("checker-real-grade-")
        .tempdir()
        .unwrap();
    let solved = work.path().join("solved");
    let listed = std::process::Command::new("git")
        .current_dir(&repository)
        .args(["ls-files", "-z"])
        .output()
        .expect("git lists the course's files");
    for file in listed.stdout.split(|b| *b == 0).filter(|f| !f.is_empty()) {
        let relative = Path::new(std::str::from_utf8(file).unwrap());
        let target = solved.join(relative);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(repository.join(relative), &target).unwrap();
    }
    copy_dir(&repository.join("solutions"), &solved.join("exercises")).unwrap();

    let grade = |mode: &str| -> serde_json::Value {
        let output = assert_cmd::Command::cargo_bin("checker")
            .unwrap()
            .current_dir(&repository)
            .env_remove("CARGO_TARGET_DIR")
            .env("NO_COLOR", "1")
            .timeout(std::time::Duration::from_secs(1800))
            .args(["grade", "--format", "json", "--sandbox", mode])
            .arg(&solved)
            .output()
            .expect("the checker runs");
        assert!(
            output.status.success(),
            "grade --sandbox {mode} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).expect("a JSON report")
    };
    // trybuild's first build of the course's dependencies counts against the time limit of
    // the first ui test to run: on a cold target dir, a first grading warms it.
    if !repository
        .join("target/checker-grade/tests/trybuild")
        .exists()
    {
        grade("off");
    }
    let sandboxed = grade("require");
    let unsandboxed = grade("off");
    assert_eq!(sandboxed["sandbox"]["on"], true);
    assert_eq!(unsandboxed["sandbox"]["on"], false);
    let verdicts = |report: &serde_json::Value| -> Vec<(String, String, String)> {
        report["submissions"][0]["exercises"]
            .as_array()
            .expect("graded")
            .iter()
            .map(|e| {
                (
                    e["name"].as_str().unwrap().to_string(),
                    e["verdict"].as_str().unwrap().to_string(),
                    e["message"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let (sandboxed, unsandboxed) = (verdicts(&sandboxed), verdicts(&unsandboxed));
    assert_eq!(
        sandboxed.len(),
        fs::read_dir(repository.join("exercises")).unwrap().count()
    );
    assert_eq!(sandboxed, unsandboxed);
    for (name, verdict, message) in &sandboxed {
        assert_eq!(verdict, "passed", "{name}: {message}");
    }
}
