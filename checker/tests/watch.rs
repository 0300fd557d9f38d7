//! Watch mode, driven through a real terminal: `script` gives the checker a pseudo-terminal, so
//! keys are read in raw mode exactly as when a learner types them.
#![cfg(target_os = "linux")]

mod support;

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

struct Session {
    child: Child,
    screen: Arc<Mutex<String>>,
}

impl Session {
    fn start(course: &std::path::Path, target: &std::path::Path) -> Session {
        Session::run(course, target, "watch")
    }

    /// The checker with `arguments`, in a terminal.
    fn run(course: &std::path::Path, target: &std::path::Path, arguments: &str) -> Session {
        let checker = assert_cmd::cargo::cargo_bin("checker");
        let mut child = Command::new("script")
            .args(["-qfec"])
            .arg(format!("{} {arguments}", checker.display()))
            .arg("/dev/null")
            .current_dir(course)
            .env("CARGO_TARGET_DIR", target)
            .env("TERM", "xterm")
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("`script` (util-linux) runs");
        let screen = Arc::new(Mutex::new(String::new()));
        let mut stdout = child.stdout.take().expect("piped");
        let sink = Arc::clone(&screen);
        thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buffer[..n]));
            }
        });
        Session { child, screen }
    }

    /// Waits until the screen shows `text` after everything seen so far, then forgets the
    /// screen up to there, so the next wait looks only at what comes later. Returns what it
    /// forgot, `text` included.
    fn expect(&mut self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(180);
        loop {
            {
                let mut screen = self.screen.lock().unwrap();
                if let Some(at) = screen.find(text) {
                    return screen.drain(..at + text.len()).collect();
                }
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!(
                    "watch mode never showed {text:?}; the screen was:\n{}",
                    self.screen.lock().unwrap()
                );
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    fn press(&mut self, key: &str) {
        let stdin = self.child.stdin.as_mut().expect("piped");
        stdin.write_all(key.as_bytes()).expect("a key press");
        stdin.flush().expect("a flush");
    }
}

#[test]
fn saving_a_fix_changes_the_verdict_and_keys_work() {
    let course = support::fixture("course");
    let root = course.path();
    let target = root.join("target");
    let mut session = Session::start(root, &target);

    // The first build says that it takes a while; the verdict has one word, as in `check`.
    session.expect("the first build takes a minute or two");
    session.expect("Watching 02 fails: Fails");
    let verdict = session.expect("every_value_is_counted");
    assert!(verdict.contains("✗ failed 02 fails: Fails"), "{verdict}");
    assert!(!verdict.contains("not yet"), "{verdict}");

    // `n` is refused while the exercise fails; `h` shows the first hint.
    session.press("n");
    session.expect("does not pass yet");
    session.press("h");
    session.expect("1/2  first hint for fails");

    // Saving a fix re-checks, says it passes, and moves on to the next exercise.
    std::fs::write(
        root.join("exercises/02_fails/src/lib.rs"),
        "pub fn total(values: &[u32]) -> u32 {\n    values.iter().sum()\n}\n",
    )
    .unwrap();
    let rechecked = session.expect("02 fails passes!");
    assert!(
        rechecked.contains("✓ passed 02 fails: Fails"),
        "{rechecked}"
    );
    assert!(!rechecked.contains("passed passed"), "{rechecked}");
    // A re-check is not the first build, and does not say it is.
    assert!(!rechecked.contains("first build"), "{rechecked}");
    session.expect("-- solution fails");
    session.expect("Watching 03 broken: Broken");
    session.expect("E0373");

    // `l` lists the course with the new status.
    session.press("l");
    session.expect("02  fails");
    session.expect("done");

    session.press("q");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = session.child.try_wait().expect("a status") {
            assert!(status.success(), "watch mode ended with {status}");
            break;
        }
        assert!(Instant::now() < deadline, "watch mode did not quit on `q`");
        thread::sleep(Duration::from_millis(50));
    }
}

/// Another cargo (an editor's rust-analyzer, say) holds the build folder's lock: cargo's own
/// "Blocking waiting for file lock" does not reach the learner, and after a moment one line
/// says what the wait is.
#[test]
fn a_wait_for_another_cargo_is_told_in_one_line() {
    let course = support::fixture("course");
    let root = course.path();
    let target = root.join("target");
    let lock = target.join("debug/.cargo-lock");
    std::fs::create_dir_all(lock.parent().unwrap()).unwrap();
    std::fs::write(&lock, "").unwrap();
    let mut holder = Command::new("flock")
        .args(["-x"])
        .arg(&lock)
        .args(["sleep", "4"])
        .spawn()
        .expect("`flock` (util-linux) runs");
    // The lock is held before the checker starts.
    let deadline = Instant::now() + Duration::from_secs(10);
    while Command::new("flock")
        .args(["-n", "-x"])
        .arg(&lock)
        .arg("true")
        .status()
        .unwrap()
        .success()
    {
        assert!(Instant::now() < deadline, "flock never took the lock");
        thread::sleep(Duration::from_millis(20));
    }

    let mut session = Session::run(root, &target, "check passes");
    let waiting = session.expect("Waiting for another cargo to finish with this course");
    let rest = session.expect("✓ passed 01 passes: Passes");
    let _ = holder.wait();
    for screen in [&waiting, &rest] {
        assert!(!screen.contains("Blocking"), "{screen}");
    }
    assert!(rest.contains("rust-analyzer"), "{rest}");
    assert!(
        !rest.contains("Waiting for another cargo"),
        "told once: {rest}"
    );
}
