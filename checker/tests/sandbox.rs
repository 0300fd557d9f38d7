//! `checker grade`'s sandbox (bubblewrap, Linux): hostile submissions graded with it reach
//! nothing of the machine, and honest ones get the same verdicts as without it.
//!
//! The tests that need bubblewrap grade with `--sandbox=require`: without bubblewrap they fail
//! with the checker's message that says how to install it; they never skip. CI installs it.

mod support;

use predicates::prelude::*;
use predicates::str::contains;
use std::fs;
use std::path::{Path, PathBuf};
use support::{checker, fixture};

fn write_lib(path: &Path, exercise: &str, code: &str) {
    fs::write(
        path.join("exercises").join(exercise).join("src/lib.rs"),
        code,
    )
    .expect("a learner file");
}

fn solve(path: &Path, exercise: &str) {
    fs::copy(
        path.join("solutions").join(exercise).join("src/lib.rs"),
        path.join("exercises").join(exercise).join("src/lib.rs"),
    )
    .expect("a solution to copy");
}

/// A submission: a copy of the grading fixture, changed by `edit`.
fn submission(parent: &Path, name: &str, edit: impl FnOnce(&Path)) -> PathBuf {
    let copy = fixture("grading");
    let path = parent.join(name);
    copy_dir(copy.path(), &path);
    edit(&path);
    path
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("a folder");
    for entry in fs::read_dir(from).expect("a folder to copy") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("a copy");
        }
    }
}

/// The cargo and rustup homes of this test run, named explicitly: the tests give the checker
/// another `$HOME`, and the toolchain must still be found.
fn toolchain_homes() -> [(&'static str, PathBuf); 2] {
    let home = PathBuf::from(std::env::var_os("HOME").expect("HOME is set"));
    let or_default = |name: &str, default: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .unwrap_or_else(|| home.join(default))
    };
    [
        ("CARGO_HOME", or_default("CARGO_HOME", ".cargo")),
        ("RUSTUP_HOME", or_default("RUSTUP_HOME", ".rustup")),
    ]
}

/// Every verdict of a JSON grading report, by submission folder name.
fn verdicts(report: &serde_json::Value, name: &str) -> Vec<String> {
    exercises(report, name)
        .iter()
        .map(|e| e["verdict"].as_str().unwrap().to_string())
        .collect()
}

fn exercises<'a>(report: &'a serde_json::Value, name: &str) -> &'a Vec<serde_json::Value> {
    report["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("{name} is in the report: {report}"))["exercises"]
        .as_array()
        .unwrap()
}

/// The processes whose command line is `sleep <argument>`.
#[cfg(target_os = "linux")]
fn sleeping(argument: &str) -> Vec<String> {
    fs::read_dir("/proc")
        .expect("/proc")
        .flatten()
        .filter_map(|entry| fs::read(entry.path().join("cmdline")).ok())
        .map(|cmdline| String::from_utf8_lossy(&cmdline).replace('\0', " "))
        .filter(|cmdline| cmdline.starts_with("sleep") && cmdline.contains(argument))
        .collect()
}

/// Reads a secret at run time, connects to the grader's listener, writes outside the grading
/// folder, and looks for (and signals) a process of the grader; then reports what it got in
/// its panic message, which the report shows.
const SNOOPS: &str = r#"
pub fn total(_: &[u64]) -> u64 {
    let mut got = Vec::new();
    got.push(match std::fs::read_to_string("@CANARY@") {
        Ok(text) => format!("read=LEAKED {}", text.trim()),
        Err(e) => format!("read=blocked ({:?})", e.kind()),
    });
    let address = "@ADDRESS@".parse().unwrap();
    got.push(match std::net::TcpStream::connect_timeout(&address, std::time::Duration::from_secs(2)) {
        Ok(_) => "net=CONNECTED".to_string(),
        Err(e) => format!("net=blocked ({:?})", e.kind()),
    });
    for path in [@WRITES@] {
        let _ = std::fs::create_dir_all(std::path::Path::new(path).parent().unwrap());
        let _ = std::fs::write(path, "written by a submission");
    }
    // The course's files and the builds that the next submissions use are read-only.
    let target = std::env::var("CARGO_TARGET_DIR").unwrap();
    for (what, path) in [
        ("course files", "../02_count/tests/count.rs".to_string()),
        ("builds", format!("{target}/debug/planted")),
    ] {
        got.push(match std::fs::OpenOptions::new().append(true).create(true).open(&path) {
            Ok(_) => format!("{what}=WRITABLE"),
            Err(e) => format!("{what}=blocked ({:?})", e.kind()),
        });
    }
    let visible = std::path::Path::new("/proc/@PID@").exists();
    let signalled = std::process::Command::new("sh")
        .args(["-c", "kill -KILL @PID@"])
        .status()
        .is_ok_and(|status| status.success());
    let processes = std::fs::read_dir("/proc")
        .map(|d| d.flatten().filter(|e| e.file_name().to_string_lossy().parse::<u32>().is_ok()).count())
        .unwrap_or(0);
    got.push(format!("grader's process visible={visible} signalled={signalled}; {processes} processes in all"));
    panic!("{}", got.join(" | "));
}
"#;

/// Leaves processes behind (one in a session of its own), then hangs past the time limit.
const ESCAPES: &str = r#"
pub fn evens(_: &[u64]) -> usize {
    let _ = std::process::Command::new("setsid").args(["sleep", "@SLEEP@"]).spawn();
    let _ = std::process::Command::new("sh")
        .args(["-c", "nohup sleep @SLEEP@ >/dev/null 2>&1 &"])
        .status();
    loop {
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}
"#;

/// Reads the secret at compile time, and shows it if it compiled.
const INCLUDES: &str = r#"
const SECRET: &str = include_str!("@CANARY@");
pub fn total(_: &[u64]) -> u64 {
    panic!("stolen at build time: {SECRET}")
}
"#;

/// Reads the secret at run time and shows it.
const PEEKS: &str = r#"
pub fn total(_: &[u64]) -> u64 {
    panic!("stolen at run time: {}", std::fs::read_to_string("@CANARY@").unwrap_or_default())
}
"#;

/// A lock taken twice by one thread: in a `within` step (01, the test diagnoses itself) and
/// outside one (02, the checker diagnoses it at the time limit).
const DEADLOCK: &str = r#"
pub fn @NAME@(_: &[u64]) -> @TYPE@ {
    let lock = std::sync::Mutex::new(0);
    let _first = lock.lock().unwrap();
    let _second = lock.lock().unwrap();
    0
}
"#;

#[cfg(target_os = "linux")]
#[test]
fn a_hostile_submission_reaches_nothing_of_the_machine_and_nothing_secret_reaches_a_report() {
    use std::io::ErrorKind;
    use std::net::TcpListener;

    let course = fixture("grading");
    // The grader's home holds the secret. It is outside the course and outside the temporary
    // folders (which the sandbox hides anyway): only hiding $HOME keeps it from the code.
    let home = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("a home folder");
    let secret = format!("CANARY-{}-{:x}", std::process::id(), rand_ish());
    let canary = home.path().join(".ssh/id_canary");
    fs::create_dir_all(canary.parent().unwrap()).unwrap();
    fs::write(&canary, &secret).unwrap();

    let listener = TcpListener::bind("127.0.0.1:0").expect("a listener");
    listener.set_nonblocking(true).unwrap();
    let mut grader_process = std::process::Command::new("sleep")
        .arg("600")
        .spawn()
        .expect("a process of the grader's");
    let grader_pid = grader_process.id();
    let sleep_argument = format!("{}.{}", 20000 + std::process::id() % 10000, 7);

    let class = tempfile::tempdir().expect("a class folder");
    let outside = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("a folder");
    let writes = [
        home.path().join("written"),
        home.path().join(".ssh/authorized_keys"),
        class.path().join("written"),
        course.path().join("written"),
        course.path().join("exercises/01_sum/src/written"),
        outside.path().join("written"),
    ];
    let fill = |template: &str| {
        template
            .replace("@CANARY@", &canary.display().to_string())
            .replace("@ADDRESS@", &listener.local_addr().unwrap().to_string())
            .replace("@PID@", &grader_pid.to_string())
            .replace("@SLEEP@", &sleep_argument)
            .replace(
                "@WRITES@",
                &writes
                    .iter()
                    .map(|w| format!("{:?}", w.display().to_string()))
                    .collect::<Vec<_>>()
                    .join(", "),
            )
    };
    let snoops = submission(class.path(), "snoops", |p| {
        write_lib(p, "01_sum", &fill(SNOOPS));
        write_lib(p, "02_count", &fill(ESCAPES));
    });
    let includes = submission(class.path(), "includes", |p| {
        write_lib(p, "01_sum", &fill(INCLUDES));
        solve(p, "02_count");
    });
    let honest = submission(class.path(), "honest", |p| {
        solve(p, "01_sum");
        solve(p, "02_count");
    });
    let grade = |format: &str| {
        let mut command = checker(course.path());
        command
            .env("HOME", home.path())
            .envs(toolchain_homes())
            .args(["grade", "--sandbox=require", "--format", format])
            .args([&snoops, &includes, &honest]);
        let output = command.output().expect("the checker runs");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(
            output.status.success(),
            "grading failed ({}):\n{stderr}\n{stdout}",
            output.status
        );
        (stdout, stderr)
    };

    let (json, _) = grade("json");
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["sandbox"]["on"], true, "{}", report["sandbox"]);

    // 1. The secret cannot be read at run time...
    let got = exercises(&report, "snoops")[0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(got.contains("read=blocked (NotFound)"), "{got}");
    // ... nor at compile time: `include_str!` does not build.
    assert_eq!(verdicts(&report, "includes"), ["compile_error", "passed"]);
    let error = exercises(&report, "includes")[0]["message"]
        .as_str()
        .unwrap();
    assert!(error.contains("couldn't read"), "{error}");

    // 2. No network: refused, and the listener saw nothing.
    assert!(got.contains("net=blocked (ConnectionRefused)"), "{got}");
    match listener.accept() {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        other => panic!("the listener was reached: {other:?}"),
    }

    // 3. Nothing written outside the grading folder.
    for path in &writes {
        assert!(!path.exists(), "the submission wrote {}", path.display());
    }

    // ... nor inside it, where later runs would use it.
    assert!(
        got.contains("course files=blocked (ReadOnlyFilesystem)")
            && got.contains("builds=blocked (ReadOnlyFilesystem)"),
        "{got}"
    );
    assert!(
        !course
            .path()
            .join("target/checker-grade/debug/planted")
            .exists()
    );

    // 4. The grader's processes are neither visible nor signalled.
    assert!(
        got.contains("grader's process visible=false signalled=false"),
        "{got}"
    );
    assert!(
        grader_process.try_wait().unwrap().is_none(),
        "the submission killed a process of the grader's"
    );

    // 5. What the tests left behind died with them, at the time limit.
    assert_eq!(verdicts(&report, "snoops"), ["failed", "timed_out"]);
    assert_eq!(sleeping(&sleep_argument), Vec::<String>::new());

    // An honest submission passes as it would without the sandbox.
    assert_eq!(verdicts(&report, "honest"), ["passed", "passed"]);

    // The secret is in no report, in any format.
    assert!(!json.contains(&secret));
    for format in ["markdown", "junit", "csv", "html"] {
        let (report, warnings) = grade(format);
        assert!(
            !report.contains(&secret),
            "the secret is in the {format} report"
        );
        assert!(!warnings.contains(&secret), "the secret is in the warnings");
    }
    let markdown = grade("markdown").0;
    assert!(markdown.contains("Sandbox: on (bubblewrap"), "{markdown}");
    let classroom = checker(course.path())
        .env("HOME", home.path())
        .envs(toolchain_homes())
        .args(["grade", "--sandbox=require", "--format", "classroom"])
        .arg(&snoops)
        .env_remove("GITHUB_OUTPUT")
        .output()
        .expect("the checker runs");
    assert!(classroom.status.success());
    let decoded = decode_base64(String::from_utf8_lossy(&classroom.stdout).trim());
    assert!(!String::from_utf8_lossy(&decoded).contains(&secret));
    assert!(String::from_utf8_lossy(&decoded).contains("read=blocked"));

    // Without the sandbox the same code gets the secret (so the checks above do test
    // something): at run time and at compile time.
    let peeks = submission(class.path(), "peeks", |p| {
        write_lib(p, "01_sum", &fill(PEEKS))
    });
    let output = checker(course.path())
        .env("HOME", home.path())
        .envs(toolchain_homes())
        .args(["grade", "--sandbox=off", "--format", "json"])
        .args([&peeks, &includes])
        .output()
        .expect("the checker runs");
    let unsandboxed = String::from_utf8_lossy(&output.stdout);
    assert!(
        unsandboxed.contains(&format!("stolen at run time: {secret}"))
            && unsandboxed.contains(&format!("stolen at build time: {secret}")),
        "{unsandboxed}"
    );
    assert!(unsandboxed.contains("off (--sandbox=off)"), "{unsandboxed}");

    let _ = grader_process.kill();
    let _ = grader_process.wait();
}

/// A number that differs between runs, so that the secret is not in any file beforehand.
fn rand_ish() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.finish()
}

#[cfg(target_os = "linux")]
#[test]
fn a_deadlock_in_the_sandbox_is_still_diagnosed_where_each_thread_waits() {
    let course = fixture("grading");
    // Time for the test's own diagnosis (a 2 s step, then gdb) before the checker's limit.
    let toml = course.path().join("exercises/01_sum/exercise.toml");
    let text = fs::read_to_string(&toml).unwrap();
    fs::write(
        &toml,
        text.replace("time_limit_secs = 3", "time_limit_secs = 30"),
    )
    .unwrap();
    let class = tempfile::tempdir().unwrap();
    let deadlocks = submission(class.path(), "deadlocks", |p| {
        write_lib(
            p,
            "01_sum",
            &DEADLOCK.replace("@NAME@", "total").replace("@TYPE@", "u64"),
        );
        write_lib(
            p,
            "02_count",
            &DEADLOCK
                .replace("@NAME@", "evens")
                .replace("@TYPE@", "usize"),
        );
    });
    let output = checker(course.path())
        .args(["grade", "--sandbox=require", "--format", "json"])
        .arg(&deadlocks)
        .output()
        .expect("the checker runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["sandbox"]["on"], true);
    assert_eq!(verdicts(&report, "deadlocks"), ["timed_out", "timed_out"]);
    for (index, who) in [(0, "the test itself"), (1, "the checker")] {
        let details = exercises(&report, "deadlocks")[index]["details"]
            .as_str()
            .unwrap();
        assert!(
            details.contains(testkit::diagnose::HEADER),
            "no diagnosis by {who}:\n{details}"
        );
        // gdb may be too slow on a loaded machine, but it may attach: ptrace works inside.
        assert!(
            !details.contains("not permitted") && !details.contains("not shown"),
            "the diagnosis by {who} is incomplete:\n{details}"
        );
        // gdb names the wait ("waits for a lock at src/lib.rs:5"); /proc only its kind
        // ("waits on a futex"), when gdb is too slow.
        assert!(
            details.contains("waits for a lock") || details.contains("waits on a futex"),
            "{details}"
        );
    }
}

#[test]
fn without_bubblewrap_grading_warns_or_refuses_as_asked() {
    let course = fixture("grading");
    let class = tempfile::tempdir().unwrap();
    let alice = submission(class.path(), "alice", |p| solve(p, "01_sum"));
    let missing = class.path().join("no-such-bwrap");

    // By default: one warning that says what is exposed and how to install it, and the grades.
    checker(course.path())
        .env("CHECKER_BWRAP", &missing)
        .args(["grade", "--format", "markdown"])
        .arg(&alice)
        .assert()
        .success()
        .stderr(contains("warning: grading without a sandbox").count(1))
        .stderr(contains("can read your files"))
        .stderr(contains("bubblewrap"))
        .stdout(contains("Sandbox: off ("))
        .stdout(contains("10/25"));

    // Required: no grading at all.
    checker(course.path())
        .env("CHECKER_BWRAP", &missing)
        .args(["grade", "--sandbox=require"])
        .arg(&alice)
        .assert()
        .code(2)
        .stderr(contains("--sandbox=require, but there is no sandbox"))
        .stdout("");

    // Turned off: no warning, and the report says so.
    checker(course.path())
        .env("CHECKER_BWRAP", &missing)
        .args(["grade", "--sandbox=off", "--format", "json"])
        .arg(&alice)
        .assert()
        .success()
        .stderr(contains("warning").not())
        .stdout(contains("\"on\": false"))
        .stdout(contains("off (--sandbox=off)"));
}

#[cfg(target_os = "linux")]
#[test]
fn a_learners_own_check_is_not_sandboxed() {
    // The learner's code runs as the learner, with their files: nothing to hide from them.
    let course = fixture("grading");
    let home = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let note = home.path().join("note.txt");
    fs::write(&note, "mine").unwrap();
    write_lib(
        course.path(),
        "01_sum",
        &PEEKS.replace("@CANARY@", &note.display().to_string()),
    );
    checker(course.path())
        .env("CHECKER_BWRAP", "/no-such-bwrap")
        .args(["check", "sum"])
        .assert()
        .code(1)
        .stdout(contains("stolen at run time: mine"))
        .stderr(contains("sandbox").not());
}

/// A small decoder, so that the test checks the encoding independently of the checker's.
fn decode_base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for byte in text.bytes().filter(|b| *b != b'=') {
        let Some(value) = ALPHABET.iter().position(|a| *a == byte) else {
            continue;
        };
        bits = (bits << 6) | value as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    out
}
