//! Which compiler and cargo the course runs on, and whether the compiler is the pinned one.
//!
//! The pin (`rust-toolchain.toml`) is what makes compiler messages match the ui snapshots.
//! rustup honours it; a distribution's packaged Rust does not, and then a learner should know,
//! once, why a compile-fail case may pass with a note about different wording.

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::thread;

/// `rustc -vV` as run from the course's root (where rustup reads the pin), asked once per run:
/// the verdict cache keys on it, and the toolchain notice reads its release.
pub fn description(root: &Path) -> &'static str {
    static DESCRIPTION: OnceLock<String> = OnceLock::new();
    DESCRIPTION.get_or_init(|| {
        let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
        Command::new(rustc)
            .arg("-vV")
            .current_dir(root)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    })
}

/// Starts asking `rustc -vV` on a thread of its own, so that [`description`] has its answer by
/// the time a run needs it: an edited exercise is built without waiting for the compiler's
/// answer, which is only needed to file the new verdict.
pub fn ask_early(root: &Path) {
    let root = root.to_path_buf();
    thread::spawn(move || {
        description(&root);
    });
}

/// When the active compiler is not the pinned release: what that means for the learner.
pub fn mismatch_note(root: &Path) -> Option<String> {
    let pinned = pinned_release(&std::fs::read_to_string(root.join("rust-toolchain.toml")).ok()?)?;
    let active = active_release(description(root))?;
    (active != pinned).then(|| {
        format!(
            "this course pins Rust {pinned} (rust-toolchain.toml), but the compiler here is {active}, so your \
             cargo does not follow the pin (is Rust installed without rustup?). Exercises work the same; \
             compile-fail cases may word their errors a little differently, which the checker accepts \
             while the errors and their lines are the same. To get the pinned compiler, install Rust \
             with rustup (https://rustup.rs)."
        )
    })
}

/// `channel = "1.95.0"` in rust-toolchain.toml's `[toolchain]`.
fn pinned_release(toml: &str) -> Option<String> {
    let line = toml
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("channel"))?;
    let (_, value) = line.split_once('=')?;
    Some(value.trim().trim_matches('"').to_string())
}

/// `release: 1.95.0` in `rustc -vV`.
fn active_release(description: &str) -> Option<String> {
    description
        .lines()
        .find_map(|l| l.strip_prefix("release: "))
        .map(|r| r.trim().to_string())
}

/// Which cargo to call: `$CARGO` (set by `cargo run`), else `cargo` on the PATH.
pub fn cargo_program() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pin_and_the_active_release_are_read() {
        assert_eq!(
            pinned_release("[toolchain]\n# why\nchannel = \"1.95.0\"\n").as_deref(),
            Some("1.95.0")
        );
        assert_eq!(
            active_release("rustc 1.86.0 (05f9846f8 2025-03-31) (Debian)\nbinary: rustc\nrelease: 1.86.0\nLLVM version: 19.1.7\n")
                .as_deref(),
            Some("1.86.0")
        );
    }
}
