//! What Linux tells about the threads of a process through /proc, with no tool at all: each
//! thread's name, state and the system call it is blocked in, and the words on its stack.
//!
//! Reading another process's stack (`/proc/PID/mem`) needs the right to trace it: the checker
//! has it as the test process's parent, and a test process has it over itself.

use std::fs::{self, File};
use std::io;
use std::ops::Range;
use std::os::unix::fs::FileExt;

/// No more of a stack is read than this: the frames of a deadlock sit near its top, and a
/// runaway recursion must not make the diagnosis read megabytes.
const MAX_STACK_BYTES: u64 = 512 * 1024;

/// One thread, as /proc shows it.
#[derive(Debug, Clone)]
pub struct Task {
    pub tid: u32,
    /// The name the kernel keeps: at most 15 bytes of the thread's name, or its creator's name
    /// when it was given none.
    pub comm: String,
    /// `R` running, `S` sleeping, `D` in uninterruptible sleep, `T`/`t` stopped or traced...
    pub state: char,
    /// The kernel function the thread sleeps in, such as `futex_do_wait`.
    pub wchan: String,
    /// The system call it is blocked in; `None` while it runs.
    pub syscall: Option<Syscall>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Syscall {
    /// The system call's number, or -1 when the thread is blocked outside any system call.
    pub number: i64,
    pub args: [u64; 6],
    /// The user stack pointer: where the thread's stack begins.
    pub stack_pointer: u64,
}

impl Task {
    pub fn is_running(&self) -> bool {
        self.state == 'R'
    }

    pub fn is_stopped(&self) -> bool {
        matches!(self.state, 'T' | 't')
    }

    /// Exited, but not yet reaped.
    pub fn is_dead(&self) -> bool {
        matches!(self.state, 'Z' | 'X')
    }

    /// The address a thread blocked in `futex` waits on: a Mutex's, a Condvar's, a parked
    /// thread's, or the id of a thread being joined.
    pub fn futex(&self) -> Option<u64> {
        let call = self.syscall?;
        (call.number == libc::SYS_futex).then_some(call.args[0])
    }

    pub fn sleeps(&self) -> bool {
        self.syscall.is_some_and(|call| {
            call.number == libc::SYS_clock_nanosleep || call.number == libc::SYS_nanosleep
        })
    }
}

/// Every thread of `pid`, in the order they were created.
pub fn tasks(pid: u32) -> io::Result<Vec<Task>> {
    let mut tasks = Vec::new();
    for entry in fs::read_dir(format!("/proc/{pid}/task"))? {
        let Ok(tid) = entry?.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        // A thread that ended since the listing has no files left: it is simply not shown.
        if let Some(task) = task(pid, tid) {
            tasks.push(task);
        }
    }
    tasks.sort_by_key(|task| task.tid);
    Ok(tasks)
}

fn task(pid: u32, tid: u32) -> Option<Task> {
    let dir = format!("/proc/{pid}/task/{tid}");
    let comm = fs::read_to_string(format!("{dir}/comm")).ok()?;
    let stat = fs::read_to_string(format!("{dir}/stat")).ok()?;
    Some(Task {
        tid,
        comm: comm.trim_end_matches('\n').to_string(),
        state: state_of(&stat)?,
        wchan: fs::read_to_string(format!("{dir}/wchan")).unwrap_or_default(),
        syscall: fs::read_to_string(format!("{dir}/syscall"))
            .ok()
            .and_then(|text| parse_syscall(&text)),
    })
}

/// The state letter of a `stat` line. It follows the name in parentheses, and a name may hold
/// spaces and parentheses itself, so it is found from the last `)`.
fn state_of(stat: &str) -> Option<char> {
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

/// `202 0x55b91f48ea20 0x89 0x2 0x0 0x0 0xffffffff 0x7f1feb27c928 0x7f1feb382829`: the call,
/// six arguments, the stack pointer and the program counter. `-1 SP PC` when blocked outside a
/// call, `running` when running.
fn parse_syscall(text: &str) -> Option<Syscall> {
    let fields: Vec<&str> = text.split_whitespace().collect();
    let number: i64 = fields.first()?.parse().ok()?;
    let hex = |field: &str| u64::from_str_radix(field.trim_start_matches("0x"), 16).ok();
    let mut args = [0; 6];
    match fields.len() {
        9 => {
            for (arg, field) in args.iter_mut().zip(&fields[1..7]) {
                *arg = hex(field)?;
            }
            let stack_pointer = hex(fields[7])?;
            Some(Syscall {
                number,
                args,
                stack_pointer,
            })
        }
        3 => Some(Syscall {
            number,
            args,
            stack_pointer: hex(fields[1])?,
        }),
        _ => None,
    }
}

/// The address ranges mapped in `pid`, from /proc/PID/maps.
pub fn mappings(pid: u32) -> Vec<Range<u64>> {
    let Ok(maps) = fs::read_to_string(format!("/proc/{pid}/maps")) else {
        return Vec::new();
    };
    maps.lines().filter_map(parse_mapping).collect()
}

fn parse_mapping(line: &str) -> Option<Range<u64>> {
    let (start, end) = line.split_whitespace().next()?.split_once('-')?;
    Some(u64::from_str_radix(start, 16).ok()?..u64::from_str_radix(end, 16).ok()?)
}

/// The mapping that holds `address`: for a stack pointer, the thread's whole stack.
pub fn mapping_of(mappings: &[Range<u64>], address: u64) -> Option<Range<u64>> {
    mappings
        .iter()
        .find(|range| range.contains(&address))
        .cloned()
}

/// Which of `addresses` the thread keeps as a word on the live part of its stack (from its
/// stack pointer to the end of the stack's mapping). A `MutexGuard` is a reference to its
/// Mutex, so a thread that holds a lock keeps the Mutex's address there.
pub fn stack_references(pid: u32, stack: Range<u64>, addresses: &[u64]) -> io::Result<Vec<u64>> {
    let length = (stack.end - stack.start).min(MAX_STACK_BYTES);
    let mut bytes = vec![0; length as usize];
    File::open(format!("/proc/{pid}/mem"))?.read_exact_at(&mut bytes, stack.start)?;
    let words: Vec<u64> = bytes
        .chunks_exact(size_of::<usize>())
        .map(|chunk| usize::from_ne_bytes(chunk.try_into().expect("a whole word")) as u64)
        .collect();
    Ok(addresses
        .iter()
        .copied()
        .filter(|address| words.contains(address))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_futex_wait_gives_its_address_and_stack_pointer() {
        let call = parse_syscall(
            "202 0x55b91f48ea20 0x89 0x2 0x0 0x0 0xffffffff 0x7f1feb27c928 0x7f1feb382829\n",
        )
        .expect("a blocked thread");
        assert_eq!(call.number, 202);
        assert_eq!(call.args[0], 0x55b9_1f48_ea20);
        assert_eq!(call.stack_pointer, 0x7f1f_eb27_c928);
    }

    #[test]
    fn a_running_thread_has_no_system_call() {
        assert_eq!(parse_syscall("running\n"), None);
        let outside = parse_syscall("-1 0x7ffc0 0x55aa0\n").expect("blocked outside a call");
        assert_eq!((outside.number, outside.stack_pointer), (-1, 0x7ffc0));
    }

    #[test]
    fn the_state_follows_a_name_with_parentheses_and_spaces() {
        assert_eq!(state_of("42 (a (b) c) S 1 42 42 0"), Some('S'));
    }

    #[test]
    fn a_blocked_thread_keeps_the_mutex_it_holds_on_its_stack() {
        use std::sync::{Arc, Mutex, mpsc};
        let mutex = Arc::new(Mutex::new(0));
        let address = &*mutex as *const Mutex<i32> as u64;
        // A heap address that the holder never sees.
        let unseen = Box::new(0u64);
        let elsewhere = &*unseen as *const u64 as u64;
        let (ready_tx, ready_rx) = mpsc::channel();
        let (release_tx, release_rx) = mpsc::channel::<()>();
        let holder = std::thread::Builder::new()
            .name("holder".into())
            .spawn(move || {
                let _guard = mutex.lock().unwrap();
                ready_tx.send(()).unwrap();
                let _ = release_rx.recv();
            })
            .unwrap();
        ready_rx.recv().unwrap();
        let pid = std::process::id();
        // The holder blocks in its receive right after it says it is ready.
        let holder_task = loop {
            let task = tasks(pid)
                .unwrap()
                .into_iter()
                .find(|task| task.comm == "holder")
                .expect("the holder thread");
            if task.futex().is_some() {
                break task;
            }
            std::thread::yield_now();
        };
        let sp = holder_task.syscall.unwrap().stack_pointer;
        let stack = mapping_of(&mappings(pid), sp).expect("the stack is mapped");
        let found = stack_references(pid, sp..stack.end, &[address, elsewhere]).unwrap();
        release_tx.send(()).unwrap();
        holder.join().unwrap();
        assert_eq!(found, [address]);
    }
}
