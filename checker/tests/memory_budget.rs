//! A run stopped at its memory budget, timed: in a test binary of its own, so that the
//! checker's other tests (which build and run fixtures) do not share the CPU with it.
#![cfg(target_os = "linux")]

mod support;

use std::time::{Duration, Instant};
use support::{checker, fixture};

/// The test process of a checker run: a child of `checker` whose name starts with `prints-`.
fn test_process_state(checker: u32) -> Option<char> {
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            let (name, rest) = stat.split_once(") ")?;
            let mut fields = rest.split_whitespace();
            let state = fields.next()?.chars().next()?;
            let parent: u32 = fields.next()?.parse().ok()?;
            (parent == checker && name.contains("(prints-")).then_some(state)
        })
}

/// A print loop stopped at the memory budget: the process is stopped before its stacks are
/// read, so that a busy process can be read in time. It is placed (`src/lib.rs:N`) in at least
/// 9 runs of 10, and its verdict comes within 2 s of the stop.
#[test]
fn a_run_stopped_at_its_memory_budget_is_placed_within_two_seconds_of_the_stop() {
    let course = fixture("floods");
    // The first build, out of the runs measured.
    checker(course.path())
        .args(["check", "prints"])
        .env("TESTKIT_DIAGNOSE", "0")
        .assert()
        .code(1);
    let mut placed = 0;
    let mut slow = Vec::new();
    for _ in 0..10 {
        let mut run = std::process::Command::new(assert_cmd::cargo::cargo_bin("checker"))
            .args(["--no-cache", "--format", "json", "check", "prints"])
            .current_dir(course.path())
            .env("CARGO_TARGET_DIR", course.path().join("target"))
            .env_remove("RUST_BACKTRACE")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("the checker runs");
        let mut stopped = None;
        let ended = loop {
            if let Some(status) = run.try_wait().expect("a status") {
                break (Instant::now(), status);
            }
            if stopped.is_none() && matches!(test_process_state(run.id()), Some('T' | 't')) {
                stopped = Some(Instant::now());
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let output = run.wait_with_output().expect("the report");
        assert_eq!(ended.1.code(), Some(1));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        let diagnosis = report["exercises"][0]["diagnosis"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(
            !diagnosis.contains("blocked in the kernel ("),
            "kernel words: {diagnosis}"
        );
        if diagnosis.contains("is printing at src/lib.rs:") {
            placed += 1;
        } else {
            eprintln!("not placed:\n{diagnosis}");
        }
        let stopped = stopped.expect("the test process was stopped before it was read");
        let took = ended.0 - stopped;
        if took > Duration::from_secs(2) {
            slow.push(took);
        }
    }
    assert!(placed >= 9, "placed in {placed} runs of 10");
    assert!(
        slow.is_empty(),
        "verdicts later than 2 s after the stop: {slow:?}"
    );
}
