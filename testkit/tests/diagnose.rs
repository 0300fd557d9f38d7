//! A timeout's diagnosis on real hangs, read from gdb's stacks: each test hangs a step on
//! purpose and checks that the failure names the right thread, wait and line of this file.
//!
//! The stuck threads are left behind, as `within` leaves them; the binary's end ends them.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier, Mutex, mpsc};
use std::thread;
use std::time::Duration;
use testkit::within;

const LIMIT: Duration = Duration::from_millis(300);

/// These tests are about gdb's part of the diagnosis: without gdb they must fail, not pass on
/// the /proc fallback (which `knob.rs` tests).
fn assert_gdb_installed() {
    let found = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join("gdb").is_file()));
    assert!(found, "these tests need gdb on PATH (apt-get install gdb)");
}

/// Runs `f` as a step that hangs and returns the timeout's message.
fn timeout_message(what: &str, f: impl FnOnce() + Send + 'static) -> String {
    assert_gdb_installed();
    let caught = panic::catch_unwind(AssertUnwindSafe(|| within(LIMIT, what, f)))
        .expect_err("the step hangs on purpose");
    let message = caught
        .downcast_ref::<String>()
        .cloned()
        .expect("a String message");
    assert_left_running();
    // Shown with `--nocapture`, to read what a learner reads.
    println!("{message}\n");
    // The first line stays as it always was: the checker reads it.
    assert!(
        message.lines().next().unwrap().starts_with(&format!(
            "timed out: `{what}` did not finish within 300ms: probable deadlock"
        )),
        "{message}"
    );
    message
}

/// After the diagnosis no thread of this process is traced or stopped.
fn assert_left_running() {
    for task in std::fs::read_dir("/proc/self/task").expect("/proc") {
        let dir = task.expect("a thread").path();
        let status = std::fs::read_to_string(dir.join("status")).unwrap_or_default();
        for line in status.lines() {
            if let Some(tracer) = line.strip_prefix("TracerPid:") {
                assert_eq!(tracer.trim(), "0", "{} is still traced", dir.display());
            }
            if let Some(state) = line.strip_prefix("State:") {
                let state = state.trim();
                assert!(
                    !state.starts_with('T') && !state.starts_with('t'),
                    "{} is left {state}",
                    dir.display()
                );
            }
        }
    }
}

/// `tests/diagnose.rs:N`, N being the line of this file that ends with `marker`.
fn line_of(marker: &str) -> String {
    let line = include_str!("diagnose.rs")
        .lines()
        .position(|line| line.ends_with(marker))
        .expect("the marker is in this file");
    format!("tests/diagnose.rs:{}", line + 1)
}

fn assert_contains(message: &str, expected: &str) {
    assert!(
        message.contains(expected),
        "expected {expected:?} in:\n{message}"
    );
}

#[test]
fn a_lock_order_cycle_names_both_locks_of_both_threads() {
    let message = timeout_message("two tellers", || {
        let a = Arc::new(Mutex::new(0));
        let b = Arc::new(Mutex::new(0));
        let barrier = Arc::new(Barrier::new(2));
        let tellers: Vec<_> = [(Arc::clone(&a), Arc::clone(&b)), (b, a)]
            .into_iter()
            .enumerate()
            .map(|(i, (first, second))| {
                let barrier = Arc::clone(&barrier);
                thread::Builder::new()
                    .name(format!("teller-{i}"))
                    .spawn(move || {
                        let _first = first.lock().unwrap(); // first lock
                        barrier.wait();
                        let _second = second.lock().unwrap(); // second lock
                    })
                    .unwrap()
            })
            .collect();
        for teller in tellers {
            teller.join().unwrap();
        }
    });
    let (first, second) = (line_of("// first lock"), line_of("// second lock"));
    for (me, other) in [("teller-0", "teller-1"), ("teller-1", "teller-0")] {
        assert_contains(
            &message,
            &format!("- {me} waits for a lock at {second}: `let"),
        );
        assert_contains(
            &message,
            &format!("{me} holds the lock taken at {first} and waits at {second}"),
        );
        assert_contains(
            &message,
            &format!(
                "it holds the lock taken at {first}: `let _first = first.lock().unwrap(); // first lock`\n    the lock it waits for is held by {other}"
            ),
        );
    }
    assert_contains(&message, ": a lock-order cycle.");
}

#[test]
fn a_mutex_locked_twice_on_one_thread_is_a_probable_self_deadlock() {
    let message = timeout_message("relock", || {
        let mutex = Mutex::new(0);
        let _once = mutex.lock().unwrap(); // taken once
        let _twice = mutex.lock().unwrap(); // taken twice
    });
    let (once, twice) = (line_of("// taken once"), line_of("// taken twice"));
    assert_contains(&message, &format!("- `relock` waits for a lock at {twice}"));
    assert_contains(
        &message,
        &format!(
            "probably a self-deadlock: `relock` waits at {twice} for a lock that no other thread \
             holds, after it took one at {once}"
        ),
    );
}

#[test]
fn a_receive_with_a_sender_alive_names_the_receiving_loop() {
    let message = timeout_message("collect", || {
        let (tx, rx) = mpsc::channel::<u32>();
        let _kept = tx;
        for _ in rx {} // receiving loop
    });
    let receive = line_of("// receiving loop");
    assert_contains(
        &message,
        &format!("- `collect` waits to receive from a channel at {receive}"),
    );
    assert_contains(
        &message,
        &format!(
            "=> the receive at {receive}: `for _ in rx {{}} // receiving loop` never ends: a Sender of its channel is still alive."
        ),
    );
}

#[test]
fn a_join_names_the_thread_it_joins() {
    let message = timeout_message("join the sleeper", || {
        let stop = Arc::new(AtomicBool::new(false));
        let sleeper = thread::Builder::new()
            .name("sleeper".into())
            .spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    thread::sleep(Duration::from_secs(1)); // sleeps
                }
            })
            .unwrap();
        sleeper.join().unwrap(); // joins
    });
    assert_contains(
        &message,
        &format!(
            "- `join the sleeper` waits to join a thread at {}",
            line_of("// joins")
        ),
    );
    assert_contains(&message, "\n    it joins sleeper, which sleeps at ");
    assert_contains(
        &message,
        &format!("- sleeper sleeps at {}", line_of("// sleeps")),
    );
}

#[test]
fn a_busy_loop_is_running_not_blocked() {
    let message = timeout_message("spin", || {
        let spinner = thread::Builder::new()
            .name("spinner".into())
            .spawn(|| {
                let mut turns = 0u64;
                loop {
                    turns = std::hint::black_box(turns.wrapping_add(1)); // spins
                }
            })
            .unwrap();
        let _ = spinner.join();
    });
    // gdb stops the spinner anywhere in its loop: on its one statement, or on the jump back,
    // which the debug information puts on the line of `loop {` or of its `}`.
    let spins: usize = line_of("// spins")["tests/diagnose.rs:".len()..]
        .parse()
        .unwrap();
    let places = [spins - 1, spins, spins + 1]
        .map(|line| format!("- spinner is running, not blocked, at tests/diagnose.rs:{line}:"));
    assert!(
        places.iter().any(|place| message.contains(place)),
        "expected one of {places:?} in:\n{message}"
    );
    assert_contains(&message, "it waits for nothing: a loop that never ends?");
    assert_contains(&message, "- `spin` waits to join a thread at ");
}

#[test]
fn a_print_loop_is_named_as_one_not_as_a_lock_wait() {
    // The print is empty and the loop stops once diagnosed: the test harness keeps all that a
    // test prints in memory, and this loop would otherwise fill it at hundreds of MB a second.
    static DIAGNOSED: AtomicBool = AtomicBool::new(false);
    let message = timeout_message("chatter", || {
        let chatty = thread::Builder::new()
            .name("chatty".into())
            .spawn(|| {
                while !DIAGNOSED.load(Ordering::Relaxed) {
                    print!(""); // prints
                }
            })
            .unwrap();
        let _ = chatty.join();
    });
    DIAGNOSED.store(true, Ordering::Relaxed);
    // Caught inside the print, the thread is printing; caught on the loop's condition, it is a
    // busy loop. Either way the loop is named, and no lock is blamed: the print
    // takes the harness's capture lock, which is what a stack alone would show.
    let prints = line_of("// prints");
    let printing = format!(
        "- chatty is printing at {prints}: `print!(\"\"); // prints`\n    a print inside a loop \
         that never ends?"
    );
    let spinning = "- chatty is running, not blocked,";
    assert!(
        message.contains(&printing) || message.contains(spinning),
        "{message}"
    );
    // Other tests' threads may be in the message too: only chatty's line counts here.
    assert!(!message.contains("- chatty waits for a lock"), "{message}");
}

#[test]
fn the_pause_of_a_diagnosis_does_not_make_another_step_time_out() {
    // gdb stops the whole process while it reads the stacks, for about half a second from
    // about 300ms on: the slow step's end falls in that pause or just after it.
    let slow = thread::spawn(|| {
        within(Duration::from_millis(600), "slow but in time", || {
            thread::sleep(Duration::from_millis(500));
        })
    });
    timeout_message("stuck beside a slow step", || {
        loop {
            thread::park();
        }
    });
    slow.join()
        .expect("the slow step finishes within its limit, the diagnosis's pause aside");
}
