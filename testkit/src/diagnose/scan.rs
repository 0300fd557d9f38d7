//! Stacks without gdb, for when it is not installed or too slow (a loaded machine): each
//! thread's stack is read from /proc/PID/mem, from its stack pointer up, and the words that
//! point into the test binary's code (return addresses, mostly) are named with `addr2line`,
//! which comes with binutils, and so with the linker that Rust needs on Linux.
//!
//! It is a reading of memory, not an unwinding: a stale return address may slip in between the
//! real frames. The innermost frames, which say where a thread is and what it waits on, come
//! first and are the most reliable. A thread's stack pointer is known when it is blocked, or
//! when the process is stopped (the checker stops a test process before it diagnoses it).

use super::gdb::Frame;
use super::procfs::{self, Task};
use std::collections::HashMap;
use std::fs::{self, File};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::process::{Command, Stdio};

/// No more of a stack is read than this: the frames that matter sit near its top.
const MAX_STACK_BYTES: u64 = 256 * 1024;

/// At most this many code addresses per thread, innermost first.
const MAX_ADDRESSES: usize = 48;

/// Addresses are named this many at a time per thread, and only for the threads whose frames
/// are not yet in the package: naming costs addr2line a read of each address's debug
/// information, which takes a while on a loaded machine.
const ROUND: usize = 16;

/// One line of /proc/PID/maps that matters here.
struct Mapping {
    start: u64,
    end: u64,
    executable: bool,
    offset: u64,
    path: String,
}

/// Each thread's frames, innermost first, for the threads whose stack could be read (the
/// main thread, libtest's, is left out). `in_package` tells a file of the package under test.
pub fn stacks(
    pid: u32,
    in_package: &mut dyn FnMut(&str) -> bool,
) -> Result<HashMap<u32, Vec<Frame>>, String> {
    let exe = fs::read_link(format!("/proc/{pid}/exe"))
        .map_err(|e| format!("the test binary could not be found ({e})"))?;
    let exe_name = exe.to_string_lossy().into_owned();
    let maps = fs::read_to_string(format!("/proc/{pid}/maps")).map_err(|e| e.to_string())?;
    let mappings: Vec<Mapping> = maps.lines().filter_map(mapping).collect();
    let base = mappings
        .iter()
        .filter(|m| m.path == exe_name && m.offset == 0)
        .map(|m| m.start)
        .min()
        .ok_or("the test binary is not mapped")?;
    let code: Vec<(u64, u64)> = mappings
        .iter()
        .filter(|m| m.path == exe_name && m.executable)
        .map(|m| (m.start, m.end))
        .collect();
    let in_code = |address: u64| {
        code.iter()
            .any(|&(start, end)| (start..end).contains(&address))
    };
    let memory = File::open(format!("/proc/{pid}/mem")).map_err(|e| e.to_string())?;

    // Per thread, the binary's addresses on its stack: the program counter first, then return
    // addresses (one byte back, inside the call instruction, so the line is the call's).
    let mut per_thread: Vec<(u32, Vec<u64>)> = Vec::new();
    for task in procfs::tasks(pid).map_err(|e| e.to_string())? {
        if task.tid == pid {
            continue;
        }
        let Some((sp, pc)) = registers(pid, &task) else {
            continue;
        };
        let Some(stack) = mappings.iter().find(|m| (m.start..m.end).contains(&sp)) else {
            continue;
        };
        let length = (stack.end - sp).min(MAX_STACK_BYTES);
        let mut bytes = vec![0; length as usize];
        if memory.read_exact_at(&mut bytes, sp).is_err() {
            continue;
        }
        let mut addresses = Vec::new();
        if in_code(pc) {
            addresses.push(pc - base);
        }
        addresses.extend(
            bytes
                .chunks_exact(8)
                .map(|word| u64::from_ne_bytes(word.try_into().expect("8 bytes")))
                .filter(|&word| in_code(word))
                .map(|word| word - 1 - base),
        );
        addresses.truncate(MAX_ADDRESSES);
        per_thread.push((task.tid, addresses));
    }
    let mut names: HashMap<u64, Vec<Frame>> = HashMap::new();
    let mut named = 0;
    loop {
        let wanted: Vec<u64> = per_thread
            .iter()
            .filter(|(_, addresses)| {
                !addresses[..named.min(addresses.len())]
                    .iter()
                    .any(|address| {
                        names
                            .get(address)
                            .into_iter()
                            .flatten()
                            .any(|frame| frame.file.as_deref().is_some_and(&mut *in_package))
                    })
            })
            .flat_map(|(_, addresses)| addresses.iter().skip(named).take(ROUND).copied())
            .collect();
        if wanted.is_empty() {
            break;
        }
        names.extend(symbolise(&exe, &wanted)?);
        named += ROUND;
    }
    // Threads whose stack could not be read are not listed: /proc tells them.
    Ok(per_thread
        .into_iter()
        .map(|(tid, addresses)| {
            let frames = addresses
                .iter()
                .filter_map(|address| names.get(address))
                .flatten()
                .cloned()
                .collect();
            (tid, frames)
        })
        .collect())
}

/// The stack pointer and program counter of a thread that is not running: `/proc`'s
/// `syscall` file ends with both (it says `running` for a thread that runs).
fn registers(pid: u32, task: &Task) -> Option<(u64, u64)> {
    let text = fs::read_to_string(format!("/proc/{pid}/task/{}/syscall", task.tid)).ok()?;
    let fields: Vec<&str> = text.split_whitespace().collect();
    if fields.len() < 3 {
        return None;
    }
    let hex = |field: &str| u64::from_str_radix(field.trim_start_matches("0x"), 16).ok();
    Some((
        hex(fields[fields.len() - 2])?,
        hex(fields[fields.len() - 1])?,
    ))
}

/// `555bf2058000-555bf20ed000 r-xp 00031000 fe:00 10051711   /path/to/binary`.
fn mapping(line: &str) -> Option<Mapping> {
    let mut fields = line.split_whitespace();
    let (start, end) = fields.next()?.split_once('-')?;
    let permissions = fields.next()?;
    let offset = u64::from_str_radix(fields.next()?, 16).ok()?;
    let path = fields.nth(2).unwrap_or("").to_string();
    Some(Mapping {
        start: u64::from_str_radix(start, 16).ok()?,
        end: u64::from_str_radix(end, 16).ok()?,
        executable: permissions.contains('x'),
        offset,
        path,
    })
}

/// Names each address (relative to the binary) with its function, file and line, the inlined
/// calls first, through `addr2line -a -f -C -i`.
fn symbolise(exe: &Path, addresses: &[u64]) -> Result<HashMap<u64, Vec<Frame>>, String> {
    if addresses.is_empty() {
        return Ok(HashMap::new());
    }
    let mut unique = addresses.to_vec();
    unique.sort_unstable();
    unique.dedup();
    let output = Command::new("addr2line")
        .args(["-a", "-f", "-C", "-i", "-e"])
        .arg(exe)
        .args(unique.iter().map(|address| format!("{address:#x}")))
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map_err(|_| "addr2line (binutils) is not installed".to_string())?;
    Ok(parse_addr2line(&String::from_utf8_lossy(&output.stdout)))
}

/// `0x33080` then pairs of `function` and `file:line` lines, for each address.
fn parse_addr2line(text: &str) -> HashMap<u64, Vec<Frame>> {
    let mut names: HashMap<u64, Vec<Frame>> = HashMap::new();
    let mut current = None;
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(hex) = line.strip_prefix("0x") {
            current = u64::from_str_radix(hex, 16).ok();
            continue;
        }
        let (Some(address), Some(place)) = (current, lines.next()) else {
            continue;
        };
        if line == "??" {
            continue;
        }
        let (file, number) = place.rsplit_once(':').unwrap_or((place, "0"));
        let number: u32 = number
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        names.entry(address).or_default().push(Frame {
            function: line.to_string(),
            file: (file != "??").then(|| file.to_string()),
            line: number,
        });
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addr2lines_groups_are_read_per_address_with_inlined_calls_first() {
        let text = "\
0x0000000000033080
std::io::stdio::_print
/rustc/5980/library/std/src/io/stdio.rs:1275
prints::chatter
/work/course/exercises/01_prints/src/lib.rs:6 (discriminator 1)
0x0000000000000010
??
??:0
";
        let names = parse_addr2line(text);
        let frames = &names[&0x33080];
        assert_eq!(frames.len(), 2);
        assert_eq!(frames[0].function, "std::io::stdio::_print");
        assert_eq!(
            (frames[1].file.as_deref(), frames[1].line),
            (Some("/work/course/exercises/01_prints/src/lib.rs"), 6)
        );
        assert!(!names.contains_key(&0x10));
    }

    #[test]
    fn a_line_of_the_maps_gives_range_rights_and_path() {
        let found =
            mapping("555bf2058000-555bf20ed000 r-xp 00031000 fe:00 10051711   /tmp/t/prints-e36c")
                .expect("a mapping");
        assert_eq!(
            (found.start, found.end),
            (0x555b_f205_8000, 0x555b_f20e_d000)
        );
        assert!(found.executable);
        assert_eq!(found.offset, 0x31000);
        assert_eq!(found.path, "/tmp/t/prints-e36c");
    }
}
