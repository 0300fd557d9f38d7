//! A hang's verdict shows where each thread waits: the fixture course `hangs` (one kind of hang
//! per exercise) and two of the real course's exercises as shipped.
//!
//! The tests of gdb's part need gdb: they fail without it rather than pass on the /proc
//! fallback, which has a test of its own (`TESTKIT_DIAGNOSE=proc`).

mod support;

use predicates::prelude::*;
use predicates::str::contains;
use std::path::Path;
use support::{checker, fixture, repository};

fn assert_gdb_installed() {
    let found = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join("gdb").is_file()));
    assert!(found, "these tests need gdb on PATH (apt-get install gdb)");
}

/// `src/lib.rs:N`, N being the line of the package's file that contains `text`.
fn place(package: &Path, file: &str, text: &str) -> String {
    let source = std::fs::read_to_string(package.join(file)).expect("the package's file");
    let index = source
        .lines()
        .position(|line| line.contains(text))
        .unwrap_or_else(|| panic!("{text:?} is not in {file}"));
    format!("{file}:{}", index + 1)
}

fn assert_contains(text: &str, expected: &str) {
    assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
}

/// Each exercise's diagnosis, from the JSON report of the whole fixture course.
fn diagnoses(course: &Path, environment: &[(&str, &str)]) -> Vec<(String, Option<String>)> {
    let mut command = checker(course);
    // One exercise at a time: gdb's half second of CPU is then not shared with another's.
    command.args(["--format", "json", "--no-cache", "--jobs", "1"]);
    for (name, value) in environment {
        command.env(name, value);
    }
    let output = command.output().expect("the checker runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    report["exercises"]
        .as_array()
        .expect("a list of exercises")
        .iter()
        .map(|exercise| {
            assert_eq!(exercise["verdict"], "timed_out", "{exercise}");
            let diagnosis = exercise["diagnosis"].as_str().map(String::from);
            (exercise["name"].as_str().unwrap().to_string(), diagnosis)
        })
        .collect()
}

#[test]
fn every_hang_of_the_fixture_says_where_each_thread_waits() {
    assert_gdb_installed();
    let course = fixture("hangs");
    let exercises = course.path().join("exercises");
    let found = diagnoses(course.path(), &[]);
    let names: Vec<&str> = found.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "lock_cycle",
            "lost_sender",
            "endless_join",
            "self_deadlock",
            "busy_loop",
            "no_step",
            "two_hangs",
            "stale_holder"
        ]
    );
    let diagnosis = |name: &str| {
        let (_, diagnosis) = found.iter().find(|(n, _)| n == name).unwrap();
        diagnosis
            .clone()
            .unwrap_or_else(|| panic!("{name} has no diagnosis"))
    };

    let tellers = exercises.join("01_lock_cycle");
    let (first, second) = (
        place(&tellers, "src/lib.rs", "from.lock()"),
        place(&tellers, "src/lib.rs", "to.lock()"),
    );
    assert_contains(
        &diagnosis("lock_cycle"),
        &format!(
            "=> teller-0 holds the lock taken at {first} and waits at {second}; teller-1 holds \
             the lock taken at {first} and waits at {second}: a lock-order cycle."
        ),
    );

    let sender = exercises.join("02_lost_sender");
    let receive = place(&sender, "src/lib.rs", "for value in rx");
    let lost_sender = diagnosis("lost_sender");
    assert_contains(
        &lost_sender,
        &format!("- collector waits to receive from a channel at {receive}: `for value in rx {{`"),
    );
    assert_contains(
        &lost_sender,
        &format!("it joins collector, which waits to receive from a channel at {receive}"),
    );
    assert_contains(
        &lost_sender,
        "never ends: a Sender of its channel is still alive.",
    );

    let worker = exercises.join("03_endless_join");
    assert_contains(
        &diagnosis("endless_join"),
        &format!(
            "- `run the worker` waits to join a thread at {}: `worker.join().unwrap();`\n    \
             it joins worker, which sleeps at {}",
            place(&worker, "src/lib.rs", "worker.join()"),
            place(&worker, "src/lib.rs", "thread::sleep"),
        ),
    );

    let counter = exercises.join("04_self_deadlock");
    assert_contains(
        &diagnosis("self_deadlock"),
        &format!(
            "=> probably a self-deadlock: `add twice` waits at {} for a lock that no other \
             thread holds, after it took one at {}.",
            place(&counter, "src/lib.rs", "self.add(n);"),
            place(&counter, "src/lib.rs", "let mut value = self.value.lock()"),
        ),
    );

    // gdb stops the spinner anywhere in its loop: on the condition or on the body.
    let spinner = exercises.join("05_busy_loop");
    let busy = diagnosis("busy_loop");
    let places = [
        place(&spinner, "src/lib.rs", "while !flag.load"),
        place(&spinner, "src/lib.rs", "spin_loop()"),
    ]
    .map(|at| format!("- spinner is running, not blocked, at {at}"));
    assert!(
        places.iter().any(|place| busy.contains(place)),
        "expected one of {places:?} in:\n{busy}"
    );
    assert_contains(&busy, "it waits for nothing: a loop that never ends?");
    assert_contains(&busy, "it joins spinner, which is running, not blocked");

    // The one hang that no `within` catches: the checker diagnoses it at the time limit,
    // within a second, so gdb may be cut short on a loaded machine; it must then say so.
    let no_step = diagnosis("no_step");
    let recv = place(&exercises.join("06_no_step"), "src/lib.rs", "rx.recv()");
    // Without gdb's stacks, the stacks' memory usually still gives the place; /proc alone, only
    // the kind of wait.
    if no_step.contains("gdb did not finish within")
        && !no_step.contains("read from the stacks' memory")
    {
        eprintln!("gdb was too slow for the time limit's diagnosis here:\n{no_step}");
        assert_contains(&no_step, "- a_reply_arrives waits on a futex");
    } else {
        assert_contains(
            &no_step,
            &format!("- a_reply_arrives waits to receive from a channel at {recv}"),
        );
    }
}

/// Three tests of one binary time out together: each is shown with its own message, none is
/// left out, and a thread spawned by a test goes by the test's whole name.
#[test]
fn every_test_that_timed_out_is_shown_with_its_own_message() {
    assert_gdb_installed();
    let course = fixture("hangs");
    let output = checker(course.path())
        .args(["check", "two_hangs", "--format", "json"])
        .output()
        .expect("the checker runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let exercise = &report["exercises"][0];
    assert_eq!(exercise["verdict"], "timed_out", "{exercise}");
    let details = exercise["details"].as_str().expect("details");
    for (test, message) in [
        (
            "collecting_from_three_producers_ends",
            "`collect from 3 producers` did not finish within 500ms",
        ),
        (
            "collecting_from_no_producer_ends",
            "`collect from no producer` did not finish within 500ms",
        ),
        (
            "a_waiter_spawned_by_the_test_is_named_after_it",
            "`join the waiter` did not finish within 500ms",
        ),
    ] {
        assert_contains(details, &format!("{test}:\n    {message}"));
    }
    assert!(!details.contains("left out"), "{details}");
    // The kernel's 15 bytes, `a_waiter_spawne`, appear only as part of the whole name.
    let whole = "a_waiter_spawned_by_the_test_is_named_after_it";
    assert_eq!(
        details.matches("a_waiter_spawne").count(),
        details.matches(whole).count(),
        "{details}"
    );
    // With gdb: `waits to receive from a channel at tests/collect.rs:N`; /proc alone (gdb too
    // slow on a loaded machine) tells a futex, and the test's thread shares the name.
    assert_contains(details, &format!("- {whole} "));
}

/// 14 `rwlock`'s wrong holder: the step's thread took the lock once and let it go (its stack
/// may keep the lock's address); only the reader that holds it is named, or none.
#[test]
fn a_lock_holder_is_named_only_when_certain() {
    assert_gdb_installed();
    let course = fixture("hangs");
    let output = checker(course.path())
        .args(["check", "stale_holder", "--format", "json"])
        .output()
        .expect("the checker runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let exercise = &report["exercises"][0];
    assert_eq!(exercise["verdict"], "timed_out", "{exercise}");
    let diagnosis = exercise["diagnosis"].as_str().expect("a diagnosis");
    let holder_lines: Vec<&str> = diagnosis
        .lines()
        .filter(|line| line.contains("held by"))
        .collect();
    for line in &holder_lines {
        assert!(
            !line.contains("readers meeting"),
            "the step's thread does not hold the lock:\n{diagnosis}"
        );
    }
    if !diagnosis.contains("from /proc only") {
        // With gdb: the waiting reader names the reader at the barrier, which holds the lock.
        let at_barrier = diagnosis
            .lines()
            .find(|line| line.starts_with("- ") && line.contains("waits at a Barrier"))
            .unwrap_or_else(|| panic!("a reader at the barrier in:\n{diagnosis}"));
        let name = at_barrier
            .trim_start_matches("- ")
            .split(" waits at a Barrier")
            .next()
            .unwrap();
        // `thread N (unnamed, spawned in ...)` in its entry, `thread N` in a sentence.
        let name = name.split(" (unnamed").next().unwrap();
        assert_eq!(
            holder_lines,
            [format!("    the lock it waits for is held by {name}")],
            "{diagnosis}"
        );
    }
}

#[test]
fn check_shows_the_diagnosis_with_the_verdict() {
    assert_gdb_installed();
    let course = fixture("hangs");
    let output = checker(course.path())
        .args(["check", "self_deadlock"])
        .output()
        .expect("the checker runs");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let verdict = stdout
        .find("✗ timed out")
        .unwrap_or_else(|| panic!("a timeout in:\n{stdout}"));
    let why = &stdout[verdict..];
    assert_contains(why, "It hangs: the tests did not finish in time.");
    assert_contains(
        why,
        "adding_twice_adds_twice:\n        `add twice` did not finish within 500ms: probable deadlock",
    );
    // From gdb, or (on a machine too busy for gdb) from the stacks' memory.
    assert_contains(why, "\n        where each thread waits");
    assert_contains(
        why,
        "\n        - `add twice` waits for a lock at src/lib.rs:",
    );
    assert_contains(why, "=> probably a self-deadlock: `add twice`");
}

#[test]
fn without_gdb_the_diagnosis_keeps_to_proc_and_says_so() {
    let course = fixture("hangs");
    checker(course.path())
        .args(["check", "lock_cycle", "--format", "json"])
        .env("TESTKIT_DIAGNOSE", "proc")
        .assert()
        .code(1)
        .stdout(contains(
            "where each thread waits (from /proc only, as TESTKIT_DIAGNOSE=proc asks for it: no \
             file or line for the waits):",
        ))
        .stdout(contains(
            "- teller-0 waits on a futex (a lock, a Condvar, a channel or a join)\\n    the lock it waits for is held by teller-1",
        ))
        .stdout(contains(
            "=> teller-0 waits for a lock that teller-1 holds; teller-1 waits for a lock that \
             teller-0 holds: probably a lock-order cycle.",
        ));
}

#[test]
fn the_diagnosis_can_be_turned_off() {
    let course = fixture("hangs");
    checker(course.path())
        .args(["check", "lost_sender"])
        .env("TESTKIT_DIAGNOSE", "0")
        .assert()
        .code(1)
        .stdout(contains("✗ timed out"))
        .stdout(contains("`collect` did not finish within 500ms"))
        .stdout(contains("where each thread waits").not());
}

/// `check` of one of the real course's exercises, as shipped, in a target dir of its own: the
/// course's other tests build solutions into theirs.
fn check_shipped(exercise: &str) -> String {
    assert_gdb_installed();
    let output = checker(&repository())
        .env(
            "CARGO_TARGET_DIR",
            repository().join("target/checker-diagnosis"),
        )
        .args(["--no-cache", "check", exercise])
        .output()
        .expect("the checker runs");
    assert_eq!(output.status.code(), Some(1), "{exercise} fails as shipped");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_shipped_lock_ordering_names_both_lock_calls_in_both_threads() {
    let stdout = check_shipped("lock_ordering");
    let package = repository().join("exercises/11_lock_ordering");
    let payer = place(
        &package,
        "src/lib.rs",
        "let mut payer = self.lock_account(from);",
    );
    let payee = place(
        &package,
        "src/lib.rs",
        "let mut payee = self.lock_account(to);",
    );
    let each = format!("holds the lock taken at {payer} and waits at {payee}");
    let cycle = stdout
        .lines()
        .find(|line| line.contains(&each) && line.contains("a lock-order cycle"))
        .unwrap_or_else(|| panic!("a lock-order cycle in:\n{stdout}"));
    assert_eq!(cycle.matches(&each).count(), 2, "{cycle}");
    for (test_line, side) in [
        ("bank.transfer(0, 1, 30)", "there"),
        ("shared.transfer(1, 0, 50)", "back"),
    ] {
        let spawned = place(&package, "tests/lock_ordering.rs", test_line);
        assert_contains(
            &stdout,
            &format!(
                "called from src/lib.rs:{}: `let mut payee = self.lock_account(to);`\n            called from {spawned}: `let {side} = thread::spawn",
                &payee["src/lib.rs:".len()..]
            ),
        );
    }
    assert_contains(
        &stdout,
        &format!("it holds the lock taken at {payer}: `let mut payer = self.lock_account(from);`"),
    );
}

#[test]
fn the_shipped_multiple_producers_names_the_receiving_loop() {
    let stdout = check_shipped("multiple_producers");
    let package = repository().join("exercises/06_multiple_producers");
    let receive = place(&package, "src/lib.rs", "for reading in rx {");
    assert_contains(
        &stdout,
        &format!(
            "- `gather from 5 sensors` waits to receive from a channel at {receive}: `for reading in rx {{`"
        ),
    );
    assert_contains(
        &stdout,
        &format!(
            "=> the receive at {receive}: `for reading in rx {{` never ends: a Sender of its \
             channel is still alive."
        ),
    );
}
