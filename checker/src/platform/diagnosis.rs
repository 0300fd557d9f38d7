//! Where each thread of a hung test waits (testkit's diagnosis), as the checker gets it.
//!
//! Two ways, for the two ways a test hangs:
//! - a step under testkit's `within` times out inside the test process, which diagnoses itself
//!   and puts the diagnosis in its panic message, after the first line;
//! - a test binary that is still running at the exercise's time limit is diagnosed by the
//!   checker, its parent, just before the checker kills it.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// gdb's share of the time between the stop (the exercise's time limit, or its memory budget)
/// and the verdict, which comes at most 2 s later (the rest, /proc, the test list and the kill,
/// takes a few tens of milliseconds). The process is stopped meanwhile, so gdb does not share
/// the CPU with it; gdb needs half a second to a second of CPU, and on a loaded machine it is
/// killed at this limit and the stacks are read from memory instead (see testkit's `scan`).
const GDB_LIMIT: Duration = Duration::from_millis(900);

/// How long the test binary may take to list its tests.
const LIST_LIMIT: Duration = Duration::from_millis(500);

/// The diagnosis of a test binary that hangs, made before it is killed; `None` when
/// `TESTKIT_DIAGNOSE=0` turns it off.
pub fn of_hung_process(pid: u32, package_dir: &Path) -> Option<String> {
    // The binary lists its tests while gdb reads the stacks.
    let (names_tx, names_rx) = std::sync::mpsc::channel();
    let (id, dir) = (pid, package_dir.to_path_buf());
    std::thread::spawn(move || {
        let _ = names_tx.send(test_names(id, &dir));
    });
    testkit::diagnose::process(pid, package_dir, GDB_LIMIT, move || {
        names_rx.recv_timeout(LIST_LIMIT).unwrap_or_default()
    })
}

/// The tests of the binary that `pid` runs, as it lists them (`--list`). libtest names each
/// test's thread after the test, and the kernel keeps only 15 bytes of a thread's name: with
/// these, the diagnosis shows the whole name. Empty when they cannot be had in time.
fn test_names(pid: u32, package_dir: &Path) -> Vec<String> {
    #[cfg(target_os = "linux")]
    {
        let Ok(mut child) = Command::new(format!("/proc/{pid}/exe"))
            .args(["--list", "--color=never"])
            .current_dir(package_dir)
            .env("RUST_BACKTRACE", "0")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
        else {
            return Vec::new();
        };
        let Some(mut stdout) = child.stdout.take() else {
            return Vec::new();
        };
        let (listed_tx, listed_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::Read;
            let mut listed = String::new();
            let _ = stdout.read_to_string(&mut listed);
            let _ = listed_tx.send(listed);
        });
        let listed = listed_rx.recv_timeout(LIST_LIMIT).unwrap_or_default();
        let _ = child.kill();
        let _ = child.wait();
        listed_tests(&listed)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (pid, package_dir);
        Vec::new()
    }
}

/// The names in libtest's `--list`: `name: test` lines.
fn listed_tests(listed: &str) -> Vec<String> {
    listed
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(String::from)
        .collect()
}

/// Splits a timeout message into the message and the diagnosis that follows it, if any.
pub fn split(message: &str) -> (String, Option<String>) {
    match message.split_once(&format!("\n{}", testkit::diagnose::HEADER)) {
        Some((message, rest)) => (
            message.to_string(),
            Some(format!("{}{rest}", testkit::diagnose::HEADER)),
        ),
        None => (message.to_string(), None),
    }
}

/// Lets the checker's gdb attach to the test process even where Yama allows tracing only by
/// an ancestor: gdb is the checker's child, not the test's ancestor, but it is a descendant of
/// the checker, which the test process names as its tracer here. Without Yama this does
/// nothing.
pub fn allow_tracing_by_checker(command: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: the closure runs between fork and exec and makes only the async-signal-safe
        // getppid and prctl calls; a failure (no Yama) is ignored.
        unsafe {
            command.pre_exec(|| {
                libc::prctl(
                    libc::PR_SET_PTRACER,
                    libc::getppid() as libc::c_ulong,
                    0,
                    0,
                    0,
                );
                Ok(())
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = command;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeout_message_is_split_from_its_diagnosis() {
        let (message, diagnosis) = split(
            "`collect` did not finish within 2s: is a Sender alive?\nwhere each thread waits:\n- collector waits",
        );
        assert_eq!(
            message,
            "`collect` did not finish within 2s: is a Sender alive?"
        );
        assert_eq!(
            diagnosis.as_deref(),
            Some("where each thread waits:\n- collector waits")
        );
        assert_eq!(split("no diagnosis").1, None);
    }

    #[test]
    fn the_listed_tests_are_read_from_libtests_list() {
        let listed = "a_push_wakes_a_waiting_pop: test\nclose_wakes_every_waiter: test\n\n2 tests, 0 benchmarks\n";
        assert_eq!(
            listed_tests(listed),
            ["a_push_wakes_a_waiting_pop", "close_wakes_every_waiter"]
        );
    }
}
