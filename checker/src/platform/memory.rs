//! How much memory a running process holds, to stop a test that grows without end before it
//! takes the learner's machine with it. Linux reads /proc; elsewhere there is no reading, and
//! only the time limit (and, when grading, the address-space rlimit) applies.

/// The resident memory of process `pid` (not of its children), if it can be read.
#[cfg(target_os = "linux")]
pub fn resident_bytes(pid: u32) -> Option<u64> {
    let statm = std::fs::read_to_string(format!("/proc/{pid}/statm")).ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf has no preconditions.
    let page_size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages * u64::try_from(page_size).ok()?)
}

#[cfg(not(target_os = "linux"))]
pub fn resident_bytes(_pid: u32) -> Option<u64> {
    None
}

/// A size for people, in binary units with at most one decimal: `1 << 30` -> `"1 GiB"`,
/// `671_088_640` -> `"640 MiB"`, `40_098_304` -> `"38.2 MiB"`.
pub fn in_words(bytes: u64) -> String {
    let (value, unit) = match bytes {
        b if b >= 1 << 30 => (b as f64 / (1u64 << 30) as f64, "GiB"),
        b if b >= 1 << 20 => (b as f64 / (1u64 << 20) as f64, "MiB"),
        b => (b as f64 / 1024.0, "KiB"),
    };
    let value = format!("{value:.1}");
    format!("{} {unit}", value.trim_end_matches(".0"))
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn this_process_holds_what_it_touched() {
        let before = resident_bytes(std::process::id()).expect("statm");
        let held = vec![1u8; 64 << 20];
        let after = resident_bytes(std::process::id()).expect("statm");
        assert!(after >= before + (60 << 20), "{before} -> {after}");
        drop(held);
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(in_words(1 << 30), "1 GiB");
        assert_eq!(in_words(671_088_640), "640 MiB");
        assert_eq!(in_words(40_098_304), "38.2 MiB");
        assert_eq!(in_words(98_304), "96 KiB");
    }

    #[test]
    fn a_process_that_is_gone_has_no_reading() {
        assert_eq!(resident_bytes(u32::MAX), None);
    }
}
