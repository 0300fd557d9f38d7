//! Runs one child process under a time and memory budget, in its own process group, keeping a
//! capped amount of its output. Knows nothing of tests or terminals.
//!
//! Why a process group: a test binary may start processes of its own (trybuild runs cargo and
//! rustc). On a timeout the whole group is killed, so nothing outlives the run. The groups that
//! are alive are also remembered, so that Ctrl-C or a SIGTERM to the checker kills them too.
//!
//! Before a child that timed out or outgrew its memory is killed, where each of its threads
//! waits is noted (see [`crate::platform::diagnosis`]): that is what shows a deadlock or a print loop.
//!
//! The child may be a sandbox that runs the program ([`Launch::Sandboxed`], see
//! [`crate::platform::sandbox`]): then the budget and the diagnosis are the program's, and a stopped
//! sandbox is ended from inside, so that nothing it ran outlives the run.

use crate::platform::{diagnosis, memory, sandbox};
use serde_derive::{Deserialize, Serialize};
use std::io::{self, Read};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// How much of each stream is kept: the start and the end, since libtest prints its verdicts
/// at the end and a learner's print loop can flood the middle.
pub const KEEP_HEAD: usize = 48 * 1024;
pub const KEEP_TAIL: usize = 48 * 1024;

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ending {
    /// Exited by itself with this code.
    Exited(i32),
    /// Ended by a signal it did not catch (Unix only), such as SIGABRT or SIGSEGV.
    Signalled(i32),
    /// Still running when the limit passed, so its whole group was killed.
    TimedOut(Duration),
    /// Held more resident memory than this many bytes, so its whole group was killed.
    OutgrewMemory(u64),
}

/// What a run may use before it is stopped.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub time: Duration,
    /// The child's own resident memory (its children, such as trybuild's rustc, are not the
    /// learner's code). Watched where [`memory::resident_bytes`] can read it.
    pub resident_bytes: u64,
}

/// How the child relates to the program to watch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Launch {
    /// The child is the program.
    Direct,
    /// The child is the sandbox ([`crate::platform::sandbox`]), which runs the program as a descendant:
    /// the memory budget and the diagnosis are the program's, and the sandbox's exit code
    /// tells the signal that ended the program.
    Sandboxed,
}

/// How long a sandbox may take to end everything it ran once it is told to.
const SANDBOX_END: Duration = Duration::from_secs(5);

/// How often a running child's memory is read: a test that prints in a loop grows by a few
/// hundred MB a second, so it is stopped within some tens of MB of its budget.
const MEMORY_POLL: Duration = Duration::from_millis(50);

/// What a finished run left behind.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Finished {
    pub ending: Ending,
    pub stdout: String,
    pub stderr: String,
    /// For a run that was stopped (time or memory): where each of its threads waited then.
    #[serde(default)]
    pub diagnosis: Option<String>,
    /// How many bytes of output were not kept, on both streams: more than a few means the
    /// code printed in a loop.
    #[serde(default)]
    pub left_out_bytes: u64,
}

/// Starts `command` in a process group of its own, with stdout and stderr captured and no
/// stdin, and waits for it while it keeps within `budget`. A child that runs out of time or
/// outgrows its memory is diagnosed and killed; the diagnosis reads the files of the folder it
/// ran in.
pub fn run_within(command: &mut Command, budget: Budget, launch: Launch) -> io::Result<Finished> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    group::put_in_own_group(command);
    diagnosis::allow_tracing_by_checker(command);
    let package_dir = match command.get_current_dir() {
        Some(dir) => dir.to_path_buf(),
        None => std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
    };
    let mut child = command.spawn()?;
    let _guard = group::Registered::new(&child);

    let stdout = read_capped(child.stdout.take().expect("stdout is piped"));
    let stderr = read_capped(child.stderr.take().expect("stderr is piped"));

    let pid = child.id();
    // The program's own process: found once the sandbox has started it.
    let mut program = match launch {
        Launch::Direct => Some(pid),
        Launch::Sandboxed => None,
    };
    let (status_tx, status_rx) = mpsc::channel();
    let waiter = thread::spawn(move || {
        let _ = status_tx.send(child.wait());
        child
    });
    let deadline = Instant::now() + budget.time;
    let ending = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break Ending::TimedOut(budget.time);
        }
        match status_rx.recv_timeout(left.min(MEMORY_POLL)) {
            Ok(status) => break ending_of(status?, launch),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if program.is_none() {
                    program = sandbox::program_pid(pid);
                }
                let held = program.and_then(memory::resident_bytes);
                if held.is_some_and(|held| held > budget.resident_bytes) {
                    break Ending::OutgrewMemory(budget.resident_bytes);
                }
            }
            // The waiting thread is gone without a status: nothing left to wait for.
            Err(mpsc::RecvTimeoutError::Disconnected) => break Ending::Exited(-1),
        }
    };
    let diagnosis = match ending {
        Ending::TimedOut(_) | Ending::OutgrewMemory(_) => {
            let program = program.or_else(|| sandbox::program_pid(pid));
            let diagnosis =
                program.and_then(|program| diagnosis::of_hung_process(program, &package_dir));
            // A sandbox is ended from inside: bwrap reports once all it ran is gone, even
            // what left the process group.
            let reported = launch == Launch::Sandboxed
                && sandbox::end(pid)
                && status_rx.recv_timeout(SANDBOX_END).is_ok();
            group::kill(pid);
            if !reported {
                // The kill makes the wait return at once.
                let _ = status_rx.recv();
            }
            diagnosis
        }
        Ending::Exited(_) | Ending::Signalled(_) => None,
    };
    // Kill whatever the child left behind in its group, so that nothing outlives the run and
    // the pipes close (a grandchild holding them would keep the readers waiting).
    group::kill(pid);
    drop(waiter.join());

    let (stdout, stdout_left_out) = stdout.join().unwrap_or_default();
    let (stderr, stderr_left_out) = stderr.join().unwrap_or_default();
    Ok(Finished {
        ending,
        stdout,
        stderr,
        diagnosis,
        left_out_bytes: stdout_left_out + stderr_left_out,
    })
}

fn ending_of(status: ExitStatus, launch: Launch) -> Ending {
    if let Some(code) = status.code() {
        if launch == Launch::Sandboxed
            && let Some(signal) = sandbox::signal_of_exit_code(code)
        {
            return Ending::Signalled(signal);
        }
        return Ending::Exited(code);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return Ending::Signalled(signal);
        }
    }
    Ending::Exited(-1)
}

/// Reads a stream to its end on a thread of its own, keeping its first [`KEEP_HEAD`] and last
/// [`KEEP_TAIL`] bytes, and how many bytes it left out between them. Reading never stops early,
/// so the child never blocks on a full pipe.
fn read_capped(mut stream: impl Read + Send + 'static) -> thread::JoinHandle<(String, u64)> {
    thread::spawn(move || {
        let mut head = Vec::new();
        let mut tail = std::collections::VecDeque::new();
        let mut dropped = 0u64;
        let mut buffer = [0u8; 8192];
        loop {
            let n = match stream.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            };
            let mut chunk = &buffer[..n];
            if head.len() < KEEP_HEAD {
                let take = chunk.len().min(KEEP_HEAD - head.len());
                head.extend_from_slice(&chunk[..take]);
                chunk = &chunk[take..];
            }
            tail.extend(chunk);
            if tail.len() > KEEP_TAIL {
                let excess = tail.len() - KEEP_TAIL;
                tail.drain(..excess);
                dropped += excess as u64;
            }
        }
        let mut text = String::from_utf8_lossy(&head).into_owned();
        if dropped > 0 {
            text.push_str(&format!(
                "\n[... {dropped} bytes of output left out by the checker ...]\n"
            ));
        }
        tail.make_contiguous();
        text.push_str(&String::from_utf8_lossy(tail.as_slices().0));
        (text, dropped)
    })
}

/// Waits for a command without a limit but still in its own group, registered so that
/// Ctrl-C kills it: used for the cargo build, whose output the caller streams.
pub fn spawn_registered(command: &mut Command) -> io::Result<(Child, group::Registered)> {
    group::put_in_own_group(command);
    let child = command.spawn()?;
    let registered = group::Registered::new(&child);
    Ok((child, registered))
}

pub mod group {
    //! Process groups and their clean-up. On Unix each child leads a group of its own and the
    //! whole group is killed; elsewhere only the child itself can be killed (see the README).

    use std::process::{Child, Command};

    /// While alive, the child's group is killed if the checker is interrupted.
    pub struct Registered {
        #[cfg_attr(not(unix), allow(dead_code))]
        pid: u32,
    }

    impl Registered {
        pub fn new(child: &Child) -> Registered {
            let pid = child.id();
            #[cfg(unix)]
            unix::remember(pid);
            Registered { pid }
        }
    }

    impl Drop for Registered {
        fn drop(&mut self) {
            #[cfg(unix)]
            unix::forget(self.pid);
        }
    }

    pub fn put_in_own_group(command: &mut Command) {
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            command.process_group(0);
        }
        #[cfg(not(unix))]
        let _ = command;
    }

    /// Kills the group led by `pid` (Unix), or the process tree with `taskkill` (Windows).
    pub fn kill(pid: u32) {
        #[cfg(unix)]
        unix::kill_group(pid);
        #[cfg(windows)]
        {
            let _ = Command::new("taskkill")
                .args(["/T", "/F", "/PID", &pid.to_string()])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status();
        }
    }

    /// Makes SIGINT, SIGTERM and SIGHUP kill every registered group before the checker dies.
    pub fn kill_children_on_interrupt() {
        #[cfg(unix)]
        unix::install_handlers();
    }

    #[cfg(unix)]
    mod unix {
        use std::sync::atomic::{AtomicI32, Ordering};

        /// Slots for the groups alive at once: far more than `--jobs` plus the build.
        const SLOTS: usize = 256;
        static GROUPS: [AtomicI32; SLOTS] = [const { AtomicI32::new(0) }; SLOTS];

        pub fn remember(pid: u32) {
            let pid = pid as i32;
            for slot in &GROUPS {
                if slot
                    .compare_exchange(0, pid, Ordering::AcqRel, Ordering::Relaxed)
                    .is_ok()
                {
                    return;
                }
            }
        }

        pub fn forget(pid: u32) {
            let pid = pid as i32;
            for slot in &GROUPS {
                if slot
                    .compare_exchange(pid, 0, Ordering::AcqRel, Ordering::Relaxed)
                    .is_ok()
                {
                    return;
                }
            }
        }

        pub fn kill_group(pid: u32) {
            // SAFETY: kill has no memory-safety preconditions; a group that is already gone
            // gives ESRCH, which is fine.
            unsafe {
                libc::kill(-(pid as i32), libc::SIGKILL);
            }
        }

        extern "C" fn on_signal(signal: libc::c_int) {
            // Only async-signal-safe calls here: atomic loads, kill, signal, raise.
            for slot in &GROUPS {
                let pid = slot.load(Ordering::Acquire);
                if pid > 0 {
                    // SAFETY: see kill_group.
                    unsafe {
                        libc::kill(-pid, libc::SIGKILL);
                    }
                }
            }
            // SAFETY: restoring the default action and re-raising ends the checker with the
            // signal, as if it had not been caught.
            unsafe {
                libc::signal(signal, libc::SIG_DFL);
                libc::raise(signal);
            }
        }

        pub fn install_handlers() {
            for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                // SAFETY: the handler only makes async-signal-safe calls.
                unsafe {
                    libc::signal(signal, on_signal as *const () as libc::sighandler_t);
                }
            }
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
#[path = "process_tests.rs"]
mod tests;
