//! Resource limits for untrusted code: what `setrlimit` gives each test process (grading).

#[cfg(unix)]
use std::io;
use std::process::Command;

/// Resource limits for code that is not trusted, set with `setrlimit` in the test process
/// before it starts (Unix; elsewhere only the time limit and the output cap apply). They are
/// inherited by everything the test starts, trybuild's cargo and rustc included.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Address space, which bounds what a runaway allocation can take.
    pub memory_bytes: u64,
    /// Processes for the user (ignored for root, which is why grading untrusted code belongs
    /// in a container as an ordinary user: see the README).
    pub processes: u64,
    /// The largest file the tests may write.
    pub file_bytes: u64,
}

impl Limits {
    pub fn for_untrusted_code(memory_bytes: u64) -> Limits {
        Limits {
            memory_bytes,
            processes: 512,
            file_bytes: 256 << 20,
        }
    }

    #[cfg(unix)]
    pub fn apply(self, command: &mut Command) {
        use std::os::unix::process::CommandExt;
        // SAFETY: the closure runs between fork and exec and only calls setrlimit, which is
        // async-signal-safe; it allocates nothing.
        unsafe {
            command.pre_exec(move || {
                let set = |resource, value: u64| {
                    let limit = libc::rlimit {
                        rlim_cur: value as libc::rlim_t,
                        rlim_max: value as libc::rlim_t,
                    };
                    if libc::setrlimit(resource, &limit) == 0 {
                        Ok(())
                    } else {
                        Err(io::Error::last_os_error())
                    }
                };
                set(libc::RLIMIT_AS, self.memory_bytes)?;
                set(libc::RLIMIT_NPROC, self.processes)?;
                set(libc::RLIMIT_FSIZE, self.file_bytes)?;
                set(libc::RLIMIT_CORE, 0)
            });
        }
    }

    #[cfg(not(unix))]
    pub fn apply(self, _command: &mut Command) {}
}
