//! Bubblewrap's command line for one grading folder: what of this machine is hidden, what is
//! bound back, and what the code may write.

use super::Access;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The places of this machine that matter to the sandbox.
pub(super) struct Machine {
    /// Hidden behind empty folders, where they exist.
    pub(super) private_folders: Vec<PathBuf>,
    /// Hidden behind an empty file, where they exist.
    pub(super) private_files: Vec<PathBuf>,
    /// Links kept in hidden folders, as (link, target): those directly in `/run`, where NixOS
    /// keeps its system (`/run/current-system`). A link shows nothing that is hidden.
    pub(super) kept_links: Vec<(PathBuf, PathBuf)>,
    /// Cargo's home: hidden, with its `bin`, `registry`, `git` and config bound back (not its
    /// credentials). It stays writable (in memory) for cargo's locks.
    pub(super) cargo_home: Option<PathBuf>,
    /// Bound back read-only: rustup's home, the toolchain of the cargo the checker runs.
    pub(super) toolchain: Vec<PathBuf>,
}

/// Folders that are never hidden, nor any folder above them: the system must keep working.
const SYSTEM: [&str; 14] = [
    "/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt", "/nix", "/gnu",
    "/proc", "/dev", "/sys",
];

impl Machine {
    pub(super) fn here() -> Machine {
        let env_path = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let home = env_path("HOME");
        let mut private_folders: Vec<PathBuf> = [
            "/home",
            "/root",
            "/tmp",
            "/var/tmp",
            "/run",
            "/mnt",
            "/media",
            "/srv",
            "/var/lib",
            "/var/log",
            "/var/mail",
            "/var/spool",
            "/var/backups",
            "/etc/ssh",
            "/etc/ssl/private",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        private_folders.extend(home.clone());
        private_folders.push(std::env::temp_dir());
        private_folders.extend(env_path("XDG_RUNTIME_DIR"));
        let cargo_home = env_path("CARGO_HOME").or_else(|| home.as_ref().map(|h| h.join(".cargo")));
        let mut toolchain: Vec<PathBuf> = env_path("RUSTUP_HOME")
            .or_else(|| home.as_ref().map(|h| h.join(".rustup")))
            .into_iter()
            .collect();
        // The cargo the checker runs may live anywhere: its toolchain (above its `bin/`).
        if let Some(cargo) = find_program(&crate::platform::toolchain::cargo_program())
            && let Some(toolchain_dir) = cargo.parent().and_then(Path::parent)
        {
            toolchain.push(toolchain_dir.to_path_buf());
        }
        let kept_links = std::fs::read_dir("/run")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| {
                let target = std::fs::read_link(entry.path()).ok()?;
                Some((entry.path(), target))
            })
            .collect();
        Machine {
            private_folders,
            kept_links,
            private_files: ["/etc/shadow", "/etc/gshadow"]
                .iter()
                .map(PathBuf::from)
                .collect(),
            cargo_home,
            toolchain,
        }
    }
}

/// bwrap's arguments, up to the command: the mounts (hidden places first, then what is bound
/// back, outermost first, so that an inner one lands on top), then the namespaces.
pub(super) fn arguments(access: &Access, machine: &Machine) -> Vec<OsString> {
    let mut hidden: Vec<PathBuf> = machine
        .private_folders
        .iter()
        .chain(&access.hidden)
        .chain(&machine.cargo_home)
        .filter_map(|p| real_folder(p))
        .filter(|p| may_hide(p))
        .collect();
    hidden.sort();
    hidden.dedup();
    // A folder inside another hidden one is hidden already (and its mount point is gone).
    let hidden: Vec<PathBuf> = hidden
        .iter()
        .filter(|p| !hidden.iter().any(|q| q != *p && p.starts_with(q)))
        .cloned()
        .collect();

    let mut readable: Vec<PathBuf> = machine.toolchain.clone();
    if let Some(cargo_home) = &machine.cargo_home {
        for part in ["bin", "registry", "git", "config.toml", "config"] {
            readable.push(cargo_home.join(part));
        }
    }
    readable.extend(access.readable.iter().cloned());
    // (depth, writable, path): outermost first, and a writable folder after a readable one of
    // the same depth.
    let mut binds: Vec<(usize, bool, PathBuf)> = readable
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .map(|p| (false, p))
        .chain(
            access
                .writable
                .iter()
                .filter_map(|p| p.canonicalize().ok())
                .map(|p| (true, p)),
        )
        .map(|(writable, p)| (p.components().count(), writable, p))
        .collect();
    binds.sort();
    binds.dedup();

    let mut args: Vec<OsString> = Vec::new();
    let mut push = |parts: &[&std::ffi::OsStr]| args.extend(parts.iter().map(|p| p.to_os_string()));
    push(&["--ro-bind".as_ref(), "/".as_ref(), "/".as_ref()]);
    push(&["--dev".as_ref(), "/dev".as_ref()]);
    push(&["--proc".as_ref(), "/proc".as_ref()]);
    for folder in &hidden {
        // In memory, so bounded: cargo's locks and the tests' temporary files.
        push(&["--size".as_ref(), "1073741824".as_ref()]);
        push(&["--tmpfs".as_ref(), folder.as_os_str()]);
    }
    for (link, target) in &machine.kept_links {
        if hidden.iter().any(|folder| link.starts_with(folder)) {
            push(&["--symlink".as_ref(), target.as_os_str(), link.as_os_str()]);
        }
    }
    for file in &machine.private_files {
        if file.is_file() {
            push(&["--ro-bind".as_ref(), "/dev/null".as_ref(), file.as_os_str()]);
        }
    }
    for (_, writable, path) in &binds {
        let how = if *writable { "--bind" } else { "--ro-bind" };
        push(&[how.as_ref(), path.as_os_str(), path.as_os_str()]);
    }
    push(&[
        "--unshare-net".as_ref(),
        "--unshare-pid".as_ref(),
        "--unshare-ipc".as_ref(),
        "--unshare-uts".as_ref(),
        // No controlling terminal: no input can be pushed into the grader's shell.
        "--new-session".as_ref(),
        // Everything inside is killed when bwrap is (the checker kills it at the time limit,
        // and on Ctrl-C), or when the checker dies.
        "--die-with-parent".as_ref(),
        // Even as root: no capability, so nothing hidden can be uncovered.
        "--cap-drop".as_ref(),
        "ALL".as_ref(),
    ]);
    args
}

/// The folder `path` names, with links resolved, if it is one.
fn real_folder(path: &Path) -> Option<PathBuf> {
    let real = path.canonicalize().ok()?;
    real.is_dir().then_some(real)
}

/// Whether hiding `folder` leaves the system working: not `/`, nor a system folder or one above.
fn may_hide(folder: &Path) -> bool {
    folder.parent().is_some()
        && !SYSTEM
            .iter()
            .any(|system| Path::new(system).starts_with(folder))
}

pub(super) fn absolute(path: &Path) -> PathBuf {
    path.canonicalize()
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// `program` as a path: itself if it names one, else found on the PATH.
fn find_program(program: &std::ffi::OsStr) -> Option<PathBuf> {
    let path = Path::new(program);
    if path.components().count() > 1 {
        return path.canonicalize().ok();
    }
    find_on_path(program).and_then(|p| p.canonicalize().ok())
}

pub(super) fn find_on_path(name: impl AsRef<std::ffi::OsStr>) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name.as_ref()))
        .find(|candidate| candidate.is_file())
}
