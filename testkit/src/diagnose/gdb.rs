//! Symbolised stacks from gdb: `gdb -p PID -batch -ex 'thread apply all bt'`.
//!
//! gdb stops every thread of the process while it reads the stacks, and lets them go on when
//! it detaches at its end. That is also the danger: gdb attached to the very process that
//! waits for it, so a gdb that hangs would hang the test, and a gdb killed half-way may leave
//! the process stopped. So gdb runs under a watchdog *process* (a thread of ours would be
//! stopped with the rest): it kills gdb at the time limit and then resumes the target.

use std::collections::HashMap;
use std::ffi::CString;
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Seek};
use std::os::fd::{AsRawFd, FromRawFd, RawFd};
use std::path::PathBuf;
use std::time::Duration;

/// One frame of a backtrace, innermost first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub function: String,
    /// The source file as the debug information names it: absolute, or relative to the folder
    /// the compiler ran in.
    pub file: Option<String>,
    pub line: u32,
}

/// Why there are no symbolised stacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    NotInstalled,
    TooSlow(Duration),
    /// Not started: the machine is so busy that gdb would not finish within the limit.
    TooBusy(Duration),
    /// gdb ran but printed no stack; the reason is gdb's own words when it gave one.
    NoStacks(String),
    Failed(String),
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unavailable::NotInstalled => write!(f, "gdb is not installed"),
            Unavailable::TooSlow(limit) => write!(f, "gdb did not finish within {limit:?}"),
            Unavailable::TooBusy(limit) => write!(
                f,
                "the machine is too busy for gdb to finish within {limit:?}"
            ),
            Unavailable::NoStacks(why) => write!(f, "gdb could not read the stacks: {why}"),
            Unavailable::Failed(why) => write!(f, "gdb could not run: {why}"),
        }
    }
}

/// Parses gdb's `thread apply all bt` into each thread's frames, keyed by thread id (LWP).
pub fn parse(output: &str) -> HashMap<u32, Vec<Frame>> {
    let mut threads = HashMap::new();
    let mut current: Option<&mut Vec<Frame>> = None;
    for line in output.lines() {
        if let Some(tid) = thread_header(line) {
            current = Some(threads.entry(tid).or_default());
        } else if let (Some(frames), Some(frame)) = (current.as_mut(), frame(line)) {
            frames.push(frame);
        }
    }
    threads
}

/// `Thread 3 (Thread 0x7f1feb07c6c0 (LWP 27891) "teller-1"):` or, without libthread_db,
/// `Thread 3 (LWP 27891 "teller-1"):` -> 27891.
fn thread_header(line: &str) -> Option<u32> {
    let rest = line.strip_prefix("Thread ")?;
    let lwp = &rest[rest.find("(LWP ")? + "(LWP ".len()..];
    let digits = lwp.find(|c: char| !c.is_ascii_digit()).unwrap_or(lwp.len());
    lwp[..digits].parse().ok()
}

/// `#5  0x000055b90df3b45c in transfer () at src/lib.rs:6`, or without the address for an
/// inlined frame, or with `from /lib/libc.so.6` instead of a source file.
fn frame(line: &str) -> Option<Frame> {
    let rest = line.strip_prefix('#')?;
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit()).trim();
    let rest = match rest.strip_prefix("0x") {
        Some(address) => address.split_once(" in ")?.1,
        None => rest,
    };
    let (call, file, line) = match rest.rsplit_once(") at ") {
        Some((call, place)) => {
            let (file, number) = place.rsplit_once(':')?;
            (call, Some(file.to_string()), number.trim().parse().ok()?)
        }
        None => (rest, None, 0),
    };
    // The arguments come last, after the name, which may hold ` (` itself in its generics.
    let function = call.rsplit_once(" (").map_or(call, |(name, _)| name);
    Some(Frame {
        function: function.trim().to_string(),
        file,
        line,
    })
}

/// The CPU time gdb takes to read a test binary's stacks (its debug information, mostly).
const GDB_CPU: Duration = Duration::from_millis(800);

/// Whether gdb, which needs [`GDB_CPU`], would not get that much CPU within `limit` on a
/// machine this busy: with a load of L runnable processes on N cores, it gets about N / (L + 1)
/// of a core. The load is the last minute's average, from /proc/loadavg. Without gdb, the
/// stacks are read from memory (see `scan`), which takes a fraction of gdb's time.
fn too_busy_for(limit: Duration) -> bool {
    let Some(load) = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next()?.parse::<f64>().ok())
    else {
        return false;
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    let expected = GDB_CPU.as_secs_f64() * (load + 1.0) / cores;
    // The estimate runs high (a process that waits is not always runnable): only a clear
    // miss skips gdb.
    expected > 2.0 * limit.as_secs_f64()
}

/// Runs gdb on `pid` for at most `limit` and returns what it printed.
pub fn backtraces(pid: u32, limit: Duration) -> Result<String, Unavailable> {
    let gdb = find_program("gdb").ok_or(Unavailable::NotInstalled)?;
    if too_busy_for(limit) {
        return Err(Unavailable::TooBusy(limit));
    }
    let failed = |e: io::Error| Unavailable::Failed(e.to_string());
    let program = Program::new(&gdb, &arguments(pid)).map_err(failed)?;
    let mut stdout = anonymous_file(c"testkit-gdb-stdout").map_err(failed)?;
    let mut stderr = anonymous_file(c"testkit-gdb-stderr").map_err(failed)?;
    if pid == std::process::id() {
        allow_any_tracer();
    }
    let finished = supervise(&program, &stdout, &stderr, pid, limit).map_err(failed)?;
    if !finished {
        return Err(Unavailable::TooSlow(limit));
    }
    let output = read_all(&mut stdout).map_err(failed)?;
    if output.lines().any(|line| thread_header(line).is_some()) {
        Ok(output)
    } else {
        let errors = read_all(&mut stderr).map_err(failed)?;
        Err(Unavailable::NoStacks(first_complaint(&errors)))
    }
}

fn arguments(pid: u32) -> Vec<String> {
    let commands = [
        // Nothing from the user's or the binary's gdb scripts, and no network look-ups.
        ("-iex", "set auto-load off"),
        ("-iex", "set debuginfod enabled off"),
        // The learner's code and std are in the test binary itself: the symbols of the shared
        // libraries (libc), their separate debug files and libthread_db cost a third of gdb's
        // time and add nothing a diagnosis shows.
        ("-iex", "set auto-solib-add off"),
        ("-iex", "set debug-file-directory /nonexistent"),
        ("-iex", "set libthread-db-search-path /nonexistent"),
        ("-ex", "set pagination off"),
        ("-ex", "set width 0"),
        // Only names and places are needed; printing arguments is slow and long.
        ("-ex", "set print frame-arguments none"),
        ("-ex", "thread apply all bt"),
    ];
    let mut arguments: Vec<String> = ["-q", "-nx", "-batch", "-p", &pid.to_string()]
        .map(String::from)
        .to_vec();
    for (flag, command) in commands {
        arguments.extend([flag.to_string(), command.to_string()]);
    }
    arguments
}

/// The line of gdb's errors that says why it saw no stack, such as
/// `ptrace: Operation not permitted`.
fn first_complaint(errors: &str) -> String {
    errors
        .lines()
        .map(str::trim)
        .find(|line| line.starts_with("ptrace:") || line.contains("Could not attach"))
        .or_else(|| errors.lines().map(str::trim).find(|line| !line.is_empty()))
        .unwrap_or("it printed nothing")
        .trim_end_matches('.')
        .to_string()
}

fn find_program(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|file| {
            file.metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// Under Yama's `ptrace_scope = 1` only an ancestor may trace a process, and gdb is our
/// grandchild. This lets any process of the same user trace this one, as without Yama; the
/// checker's own gdb, for a test that hangs for good, is then allowed too. Without Yama the call
/// fails harmlessly.
fn allow_any_tracer() {
    // SAFETY: prctl with these arguments only changes this process's Yama exception.
    unsafe {
        libc::prctl(libc::PR_SET_PTRACER, libc::PR_SET_PTRACER_ANY, 0, 0, 0);
    }
}

/// A file in memory that gdb writes to. Not a pipe: nobody could read a pipe while gdb keeps
/// this process stopped, and a full pipe would block gdb.
fn anonymous_file(name: &std::ffi::CStr) -> io::Result<File> {
    // SAFETY: the name is a valid C string; the descriptor returned is ours alone.
    let fd = unsafe { libc::memfd_create(name.as_ptr(), libc::MFD_CLOEXEC) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` is a new descriptor that nothing else owns.
    Ok(unsafe { File::from_raw_fd(fd) })
}

fn read_all(file: &mut File) -> io::Result<String> {
    let mut bytes = Vec::new();
    file.rewind()?;
    file.read_to_end(&mut bytes)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A program and its arguments as C strings, made before the fork: after it, the child may not
/// allocate.
struct Program {
    /// The program's path, its arguments, then its environment. The pointers below point into
    /// these strings' heap buffers, which stay put when the vector moves.
    _strings: Vec<CString>,
    path: *const libc::c_char,
    argv: Vec<*const libc::c_char>,
    envp: Vec<*const libc::c_char>,
}

impl Program {
    fn new(path: &std::path::Path, arguments: &[String]) -> io::Result<Program> {
        use std::os::unix::ffi::OsStrExt;
        // gdb's messages in English, whatever the learner's locale, since they are parsed.
        let environment = ["LC_ALL=C", "TERM=dumb"];
        let strings = std::iter::once(path.as_os_str().as_bytes())
            .chain(arguments.iter().map(|argument| argument.as_bytes()))
            .chain(environment.iter().map(|variable| variable.as_bytes()))
            .map(|bytes| CString::new(bytes).map_err(io::Error::other))
            .collect::<io::Result<Vec<CString>>>()?;
        let (command, env) = strings.split_at(1 + arguments.len());
        let pointers = |strings: &[CString]| {
            let mut pointers: Vec<_> = strings.iter().map(|s| s.as_ptr()).collect();
            pointers.push(std::ptr::null());
            pointers
        };
        Ok(Program {
            path: strings[0].as_ptr(),
            argv: pointers(command),
            envp: pointers(env),
            _strings: strings,
        })
    }
}

/// How the watchdog reports gdb's end in its exit code.
const GDB_FINISHED: i32 = 0;
const GDB_KILLED: i32 = 1;

/// Runs `program` (gdb) under a watchdog process and waits for it; returns whether gdb
/// finished by itself within `limit`.
fn supervise(
    program: &Program,
    stdout: &File,
    stderr: &File,
    target: u32,
    limit: Duration,
) -> io::Result<bool> {
    let null = File::open("/dev/null")?;
    let fds = [null.as_raw_fd(), stdout.as_raw_fd(), stderr.as_raw_fd()];
    // SAFETY: the child calls only async-signal-safe functions on memory prepared before the
    // fork (see `watchdog`), as a child of a multi-threaded process must.
    match unsafe { libc::fork() } {
        -1 => Err(io::Error::last_os_error()),
        0 => unsafe { watchdog(program, fds, target as libc::pid_t, limit) },
        child => Ok(wait_for(child)? == GDB_FINISHED),
    }
}

/// The watchdog: starts gdb with `fds` as its stdin, stdout and stderr, and kills it at the
/// limit. After a kill it sends SIGCONT to the target, which gdb may have left stopped.
///
/// # Safety
/// Only for the child of a fork: it never returns, and it calls only async-signal-safe
/// functions.
unsafe fn watchdog(program: &Program, fds: [RawFd; 3], target: libc::pid_t, limit: Duration) -> ! {
    unsafe {
        for (to, from) in fds.into_iter().enumerate() {
            libc::dup2(from, to as RawFd);
        }
        // Hold none of the parent's other files (a checker's pipes from other tests, say), so
        // that nothing waits for this process to let go of them.
        libc::syscall(libc::SYS_close_range, 3, libc::c_uint::MAX, 0);
        let gdb = libc::fork();
        if gdb == 0 {
            libc::execve(program.path, program.argv.as_ptr(), program.envp.as_ptr());
            libc::_exit(127);
        }
        let deadline = monotonic_nanos() + limit.as_nanos();
        let mut status = 0;
        loop {
            if gdb < 0 || libc::waitpid(gdb, &mut status, libc::WNOHANG) == gdb {
                libc::_exit(GDB_FINISHED);
            }
            if monotonic_nanos() >= deadline {
                libc::kill(gdb, libc::SIGKILL);
                libc::waitpid(gdb, &mut status, 0);
                libc::kill(target, libc::SIGCONT);
                libc::_exit(GDB_KILLED);
            }
            let pause = libc::timespec {
                tv_sec: 0,
                tv_nsec: 5_000_000,
            };
            libc::nanosleep(&pause, std::ptr::null_mut());
        }
    }
}

fn monotonic_nanos() -> u128 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes only to `now`; it is async-signal-safe.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut now) };
    now.tv_sec as u128 * 1_000_000_000 + now.tv_nsec as u128
}

/// Waits for a child and returns its exit code (-1 if a signal ended it).
fn wait_for(child: libc::pid_t) -> io::Result<i32> {
    let mut status = 0;
    loop {
        // SAFETY: waitpid writes only to `status`.
        if unsafe { libc::waitpid(child, &mut status, 0) } == child {
            break;
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
    Ok(if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    })
}

#[cfg(test)]
#[path = "gdb_tests.rs"]
mod tests;
