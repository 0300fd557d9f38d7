//! The sandbox for code that is not trusted. `checker grade` runs the build of each submission
//! and every test run inside it; a learner's own checks do not (their code is their own).
//!
//! On Linux it is bubblewrap (`bwrap`, the sandbox Flatpak uses), when it is installed and works
//! on this machine (it needs unprivileged user namespaces, or root). Inside:
//! - the system is read-only, and the places that may hold something private are hidden behind
//!   empty folders: the home folders, the temporary folders, `/run`, a few system secrets, the
//!   course itself and the folders the submissions are in;
//! - the grading folder and its target dir are writable, and the toolchain, cargo's registry
//!   and the course's path dependencies are bound back, read-only;
//! - no network (a network namespace of its own, with only a loopback), no other processes (a
//!   PID namespace of its own, which dies with the checker), no capabilities, even as root;
//! - cargo works offline (`CARGO_NET_OFFLINE`): the dependencies are fetched before, outside.
//!
//! The child the checker starts is `bwrap`, and the program runs as its grandchild (the second
//! process of the PID namespace): [`program_pid`] finds it, for the memory budget and the
//! diagnosis of a hang, and [`signal_of_exit_code`] reads bwrap's exit code, which is 128 + N
//! for a program ended by signal N. Elsewhere there is no sandbox, and grading says so.

// Elsewhere no sandbox is ever made, and most of this module goes unused.
#![cfg_attr(not(target_os = "linux"), allow(dead_code))]

mod bwrap;

use crate::fatal::{Fatal, Result};
#[cfg(target_os = "linux")]
use bwrap::find_on_path;
use bwrap::{Machine, absolute, arguments};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

/// What the instructor asked for (`grade --sandbox`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// The sandbox where it works, else a warning and grading without it.
    Auto,
    /// The sandbox, or no grading at all.
    Require,
    /// No sandbox.
    Off,
}

/// Whether a grading run is sandboxed, for its report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Sandboxed by this tool, such as "bubblewrap 0.8.0".
    On(String),
    /// Turned off with `--sandbox=off`.
    Off,
    /// Not available on this machine, for this reason.
    Unavailable(String),
}

impl Status {
    pub fn is_on(&self) -> bool {
        matches!(self, Status::On(_))
    }

    /// One line for a report, after "Sandbox: ".
    pub fn summary(&self) -> String {
        const EXPOSED: &str =
            "the submissions' code ran as the grader, with the grader's files and the network";
        match self {
            Status::On(tool) => format!(
                "on ({tool}): no network, no other processes, nothing of the machine visible but the system (read-only), the toolchain and the grading folder"
            ),
            Status::Off => format!("off (--sandbox=off): {EXPOSED}"),
            Status::Unavailable(why) => format!("off ({why}): {EXPOSED}"),
        }
    }
}

/// How to get the sandbox.
const ADVICE: &str = if cfg!(target_os = "linux") {
    "Install bubblewrap (Debian, Ubuntu: `sudo apt-get install bubblewrap`; Fedora: `sudo dnf install bubblewrap`; Arch: `sudo pacman -S bubblewrap`), or grade in a throwaway container (see the README's \"Untrusted code\")."
} else {
    "The sandbox (bubblewrap) is Linux-only: grade in a throwaway Linux container (see the README's \"Untrusted code\")."
};

/// The warning of a grading run that goes on without the sandbox it would have had.
pub fn warning(why: &str) -> String {
    format!(
        "grading without a sandbox: {why}.\n  The submissions' code (its build and its tests) runs as you: it can read your files (~/.ssh, ~/.aws, other submissions), use the network, and write wherever you can.\n  {ADVICE}\n  --sandbox=require refuses to grade without it; --sandbox=off grades without it and without this warning."
    )
}

/// A sandbox program that works on this machine.
#[derive(Debug, Clone)]
pub struct Sandbox {
    program: PathBuf,
    /// Its name and version, for the report.
    tool: String,
}

/// What the runs of one grading folder may reach besides the read-only system. The machine's
/// own private places (home folders, temporary folders, ...) are hidden in any case.
#[derive(Debug, Clone, Default)]
pub struct Access {
    /// Folders the code may write (the grading folder, its target dir).
    pub writable: Vec<PathBuf>,
    /// Folders and files it may read (the course's path dependencies).
    pub readable: Vec<PathBuf>,
    /// Folders hidden behind empty ones (the course, the folders the submissions are in).
    pub hidden: Vec<PathBuf>,
}

/// A sandbox set up for one grading folder: it wraps commands so that they run inside.
#[derive(Debug, Clone)]
pub struct Jail {
    program: PathBuf,
    arguments: Vec<OsString>,
}

/// The sandboxes of one grading folder. The build writes the target dir; a test run may write
/// only trybuild's folder in it (`tests/`), so that no test changes what the next submission's
/// build and tests use, nor the course's files that its own tests read.
#[derive(Debug, Clone)]
pub struct Jails {
    pub build: Jail,
    pub tests: Jail,
}

/// Decides whether grading is sandboxed. `Require` without a working sandbox is an error.
pub fn choose(choice: Choice) -> Result<(Option<Sandbox>, Status)> {
    if choice == Choice::Off {
        return Ok((None, Status::Off));
    }
    match Sandbox::detect() {
        Ok(sandbox) => {
            let status = Status::On(sandbox.tool.clone());
            Ok((Some(sandbox), status))
        }
        Err(why) if choice == Choice::Require => Err(Fatal::new(format!(
            "--sandbox=require, but there is no sandbox: {why}.\n  {ADVICE}"
        ))),
        Err(why) => Ok((None, Status::Unavailable(why))),
    }
}

impl Sandbox {
    /// Finds bubblewrap (`$CHECKER_BWRAP`, else `bwrap` on the PATH) and proves that it works
    /// here by running `true` in a sandbox like grading's.
    #[cfg(target_os = "linux")]
    fn detect() -> std::result::Result<Sandbox, String> {
        let program = match std::env::var_os("CHECKER_BWRAP") {
            Some(program) => PathBuf::from(program),
            None => find_on_path("bwrap").ok_or("bubblewrap (`bwrap`) is not installed")?,
        };
        let version = Command::new(&program)
            .arg("--version")
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| format!("bubblewrap (`{}`) could not run: {e}", program.display()))?;
        let tool = String::from_utf8_lossy(&version.stdout).trim().to_string();
        let sandbox = Sandbox {
            program,
            tool: if tool.is_empty() {
                "bubblewrap".to_string()
            } else {
                tool
            },
        };
        let probe = sandbox
            .confine(&Access::default())
            .wrap(&Command::new("true"))
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| format!("bubblewrap could not run: {e}"))?;
        if !probe.status.success() {
            let said = String::from_utf8_lossy(&probe.stderr);
            return Err(format!(
                "bubblewrap does not work on this machine ({})",
                said.lines().next().unwrap_or("no reason given").trim()
            ));
        }
        Ok(sandbox)
    }

    #[cfg(not(target_os = "linux"))]
    fn detect() -> std::result::Result<Sandbox, String> {
        Err("the sandbox (bubblewrap) is Linux-only".to_string())
    }

    /// The sandbox for runs that may reach `access`, besides the read-only system.
    pub fn confine(&self, access: &Access) -> Jail {
        Jail {
            program: self.program.clone(),
            arguments: arguments(access, &Machine::here()),
        }
    }
}

impl Jail {
    /// `inner` as a command that runs it inside the sandbox, in the same folder, with the same
    /// environment (and cargo offline). Set its stdio and limits on the returned command.
    pub fn wrap(&self, inner: &Command) -> Command {
        let mut outer = Command::new(&self.program);
        outer.args(&self.arguments);
        if let Some(dir) = inner.get_current_dir() {
            let dir = absolute(dir);
            outer.arg("--chdir").arg(&dir).current_dir(&dir);
        }
        for (key, value) in inner.get_envs() {
            match value {
                Some(value) => outer.env(key, value),
                None => outer.env_remove(key),
            };
        }
        // Cargo (the build, and trybuild's inside the tests) must not try the network.
        outer.env("CARGO_NET_OFFLINE", "true");
        outer
            .arg("--")
            .arg(inner.get_program())
            .args(inner.get_args());
        outer
    }
}

/// Ends everything the sandbox started as process `launcher` (bwrap) runs, by killing the first
/// process of its PID namespace: the kernel then kills every other one, wherever its process
/// group, and bwrap exits once they are all gone. False when there is no such process (yet).
#[cfg(target_os = "linux")]
pub fn end(launcher: u32) -> bool {
    let Some(init) = children(launcher).first().copied() else {
        return false;
    };
    // SAFETY: kill has no memory-safety preconditions.
    unsafe { libc::kill(init as libc::pid_t, libc::SIGKILL) == 0 }
}

#[cfg(not(target_os = "linux"))]
pub fn end(_launcher: u32) -> bool {
    false
}

#[cfg(target_os = "linux")]
fn children(pid: u32) -> Vec<u32> {
    std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect()
}

/// The process that runs the program inside the sandbox started as process `launcher` (bwrap),
/// once it is there: bwrap's child is the PID namespace's first process, and the program is
/// its child, the namespace's second.
#[cfg(target_os = "linux")]
pub fn program_pid(launcher: u32) -> Option<u32> {
    let namespace_pid = |pid: u32| -> Option<u32> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let line = status.lines().find(|l| l.starts_with("NSpid:"))?;
        line.split_whitespace().last()?.parse().ok()
    };
    let init = *children(launcher).first()?;
    children(init)
        .into_iter()
        .find(|pid| namespace_pid(*pid) == Some(2))
}

#[cfg(not(target_os = "linux"))]
pub fn program_pid(_launcher: u32) -> Option<u32> {
    None
}

/// The signal that ended the program, from the exit code of the bwrap that ran it (bwrap
/// exits with 128 + N when its program was ended by signal N). A program that exits with such
/// a code by itself reads the same: it has not passed either way.
pub fn signal_of_exit_code(code: i32) -> Option<i32> {
    (129..=128 + 64).contains(&code).then(|| code - 128)
}

#[cfg(test)]
mod tests;
