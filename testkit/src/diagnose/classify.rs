//! What a thread waits on, read from the standard library's frames of its stack.

use super::gdb::Frame;

/// The kinds of waiting a learner's code can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    Lock,
    ReadLock,
    WriteLock,
    Receive,
    Send,
    Join,
    ScopeEnd,
    Condvar,
    Barrier,
    Sleep,
    Park,
    Once,
    /// Inside `print!`, `println!` or a write to stdout or stderr: in a hang, almost always a
    /// print inside a loop that never ends.
    Print,
    /// Parked inside an async runtime (tokio) with nothing to run: every future on it waits
    /// for a wake-up. The futures themselves are on no thread's stack while they wait.
    RuntimeIdle,
}

impl Wait {
    /// What the thread does, as in "teller-0 waits for a lock".
    pub fn phrase(self) -> &'static str {
        match self {
            Wait::Lock => "waits for a lock",
            Wait::ReadLock => "waits to read-lock an RwLock",
            Wait::WriteLock => "waits to write-lock an RwLock",
            Wait::Receive => "waits to receive from a channel",
            Wait::Send => "waits to send on a full channel",
            Wait::Join => "waits to join a thread",
            Wait::ScopeEnd => "waits at the end of a thread::scope for the threads spawned in it",
            Wait::Condvar => "waits on a Condvar",
            Wait::Barrier => "waits at a Barrier",
            Wait::Sleep => "sleeps",
            Wait::Park => "is parked",
            Wait::Once => "waits for a Once that another thread is running",
            Wait::Print => "is printing",
            Wait::RuntimeIdle => "is an async runtime's thread, idle: it waits for a wake-up",
        }
    }

    /// The name of the method that takes this kind of lock, to find where the same function
    /// took one before; `None` for what is not a lock.
    pub fn lock_method(self) -> Option<&'static str> {
        match self {
            Wait::Lock => Some("lock"),
            Wait::ReadLock => Some("read"),
            Wait::WriteLock => Some("write"),
            _ => None,
        }
    }
}

/// Which library frames mean which wait: a fragment of the frame's file, the function names
/// that count (none: any), and the wait. With line-tables-only debug information an inlined
/// frame is named without its path (`lock<u64>`), so the file tells whose function it is.
const RULES: &[(&str, &[&str], Wait)] = &[
    ("/sync/barrier.rs", &[], Wait::Barrier),
    ("/sync/poison/condvar.rs", &[], Wait::Condvar),
    ("/sync/nonpoison/condvar.rs", &[], Wait::Condvar),
    ("/sync/poison/rwlock.rs", &["read"], Wait::ReadLock),
    ("/sync/poison/rwlock.rs", &["write"], Wait::WriteLock),
    ("/sync/nonpoison/rwlock.rs", &["read"], Wait::ReadLock),
    ("/sync/nonpoison/rwlock.rs", &["write"], Wait::WriteLock),
    ("/sync/poison/mutex.rs", &["lock"], Wait::Lock),
    ("/sync/nonpoison/mutex.rs", &["lock"], Wait::Lock),
    ("/sys/sync/mutex/", &[], Wait::Lock),
    ("/sync/mpsc.rs", &["recv", "next"], Wait::Receive),
    ("/sync/mpsc.rs", &["send"], Wait::Send),
    ("/sync/mpmc/", &["recv", "next"], Wait::Receive),
    ("/sync/mpmc/", &["send"], Wait::Send),
    (
        "crossbeam-channel",
        &["recv", "next", "select", "ready"],
        Wait::Receive,
    ),
    ("crossbeam-channel", &["send"], Wait::Send),
    ("/thread/join_handle.rs", &["join"], Wait::Join),
    ("/thread/lifecycle.rs", &["join"], Wait::Join),
    ("/thread/scoped.rs", &["join"], Wait::Join),
    ("/thread/scoped.rs", &["scope"], Wait::ScopeEnd),
    (
        "/thread/functions.rs",
        &["sleep", "sleep_ms", "sleep_until"],
        Wait::Sleep,
    ),
    (
        "/thread/functions.rs",
        &["park", "park_timeout"],
        Wait::Park,
    ),
    ("/sync/once.rs", &[], Wait::Once),
    ("/sync/once_lock.rs", &[], Wait::Once),
    ("/sync/lazy_lock.rs", &[], Wait::Once),
    ("/sys/sync/once/", &[], Wait::Once),
    ("/io/stdio.rs", &[], Wait::Print),
    // tokio parks a runtime's thread when no task can run: in its driver or its thread parker
    // (`src/runtime/park.rs`, `src/runtime/scheduler/*/park.rs`, `Context::park`). The
    // scheduler's frame is outermost, so it decides before the Condvar inside it.
    ("runtime/park.rs", &[], Wait::RuntimeIdle),
    (
        "runtime/scheduler/",
        &["park", "park_timeout", "park_internal"],
        Wait::RuntimeIdle,
    ),
];

/// What the frames between a learner's call and the system call wait on. `inner` are the
/// frames inside the learner's innermost one, innermost first. The outermost library call
/// decides: `Barrier::wait` is a barrier although a Condvar waits inside it.
pub fn wait_of(inner: &[Frame]) -> Option<Wait> {
    inner.iter().rev().find_map(wait_of_frame)
}

fn wait_of_frame(frame: &Frame) -> Option<Wait> {
    let file = frame.file.as_deref()?;
    let name = short_name(&frame.function);
    RULES
        .iter()
        .find(|(fragment, names, _)| {
            file.contains(fragment) && (names.is_empty() || names.contains(&name))
        })
        .map(|(_, _, wait)| *wait)
}

/// The last segment of a function's path, without generics or hash:
/// `std::thread::join_handle::JoinHandle<T>::join::h23ca12b7fa7b8ec8` -> `join`,
/// `lock<u64>` -> `lock`, `<std::sync::mpsc::Iter<T> as Iterator>::next` -> `next`.
pub fn short_name(function: &str) -> &str {
    let mut depth = 0i32;
    let mut last_start = 0;
    let mut generics_start = None;
    let bytes = function.as_bytes();
    for (i, &byte) in bytes.iter().enumerate() {
        match byte {
            b'<' => {
                if depth == 0 {
                    generics_start = Some(i);
                }
                depth += 1;
            }
            b'>' => depth -= 1,
            b':' if depth == 0 && bytes.get(i + 1) == Some(&b':') => {
                last_start = i + 2;
                generics_start = None;
            }
            _ => {}
        }
    }
    let end = generics_start
        .filter(|&start| start >= last_start)
        .unwrap_or(function.len());
    let name = &function[last_start.min(end)..end];
    if is_hash(name) && last_start >= 2 {
        return short_name(&function[..last_start - 2]);
    }
    name
}

/// rustc's symbol hash: `h` and 16 hex digits.
fn is_hash(segment: &str) -> bool {
    segment.len() == 17
        && segment.starts_with('h')
        && segment[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Where the test harness's code is: testkit's (with testkit_async, in `testkit/async`), and
/// libtest's.
const HARNESS_SOURCES: [&str; 3] = ["testkit/src/", "testkit/async/src/", "library/test/src/"];

/// Whether a frame is the test harness's. A thread waiting inside testkit waits for a step,
/// which that step's timeout reports; one waiting inside libtest is the harness waiting for the
/// tests. Neither is the learner's.
pub fn is_harness(frame: &Frame) -> bool {
    frame
        .file
        .as_deref()
        .is_some_and(|file| HARNESS_SOURCES.iter().any(|harness| file.contains(harness)))
}

/// Whether a frame runs a closure, whose lines sit inside another function's.
pub fn is_closure(frame: &Frame) -> bool {
    frame.function.contains("{closure")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(function: &str, file: &str) -> Frame {
        Frame {
            function: function.into(),
            file: Some(file.into()),
            line: 1,
        }
    }

    const STD: &str = "/rustc/5980/library/std/src";

    #[test]
    fn a_contended_mutex_is_a_lock() {
        let inner = [
            frame(
                "std::sys::pal::unix::futex::futex_wait",
                "library/std/src/sys/pal/unix/futex.rs",
            ),
            frame(
                "std::sys::sync::mutex::futex::Mutex::lock_contended",
                "library/std/src/sys/sync/mutex/futex.rs",
            ),
            frame("lock<u64>", &format!("{STD}/sync/poison/mutex.rs")),
        ];
        assert_eq!(wait_of(&inner), Some(Wait::Lock));
    }

    #[test]
    fn the_outermost_library_call_decides() {
        let inner = [
            frame("wait<bool>", &format!("{STD}/sync/poison/condvar.rs")),
            frame(
                "std::sync::barrier::Barrier::wait",
                &format!("{STD}/sync/barrier.rs"),
            ),
        ];
        assert_eq!(wait_of(&inner), Some(Wait::Barrier));
    }

    #[test]
    fn a_println_into_the_harness_capture_is_a_print_not_a_lock() {
        let inner = [
            frame(
                "std::sys::sync::mutex::futex::Mutex::lock_contended",
                "library/std/src/sys/sync/mutex/futex.rs",
            ),
            frame(
                "lock<alloc::vec::Vec<u8>>",
                &format!("{STD}/sync/poison/mutex.rs"),
            ),
            frame(
                "std::io::stdio::print_to_buffer_if_capture_used",
                &format!("{STD}/io/stdio.rs"),
            ),
            frame("std::io::stdio::_print", &format!("{STD}/io/stdio.rs")),
        ];
        assert_eq!(wait_of(&inner), Some(Wait::Print));
    }

    #[test]
    fn receiving_loops_joins_sleeps_and_scopes_are_told_apart() {
        let receive = [
            frame("wait_until", &format!("{STD}/sync/mpmc/context.rs")),
            frame("recv<u32>", &format!("{STD}/sync/mpmc/list.rs")),
            frame("recv<u32>", &format!("{STD}/sync/mpsc.rs")),
            frame("next<u32>", &format!("{STD}/sync/mpsc.rs")),
        ];
        assert_eq!(wait_of(&receive), Some(Wait::Receive));
        let join = [
            frame(
                "std::sys::thread::unix::Thread::join",
                "library/std/src/sys/thread/unix.rs",
            ),
            frame("join<()>", &format!("{STD}/thread/lifecycle.rs")),
            frame(
                "std::thread::join_handle::JoinHandle<T>::join::h23ca12b7fa7b8ec8",
                &format!("{STD}/thread/join_handle.rs"),
            ),
        ];
        assert_eq!(wait_of(&join), Some(Wait::Join));
        let sleep = [frame(
            "std::thread::functions::sleep",
            "library/std/src/thread/functions.rs",
        )];
        assert_eq!(wait_of(&sleep), Some(Wait::Sleep));
        let scope = [frame("scope<f, ()>", &format!("{STD}/thread/scoped.rs"))];
        assert_eq!(wait_of(&scope), Some(Wait::ScopeEnd));
        let crossbeam = [frame(
            "crossbeam_channel::channel::Receiver<T>::recv",
            "/root/.cargo/registry/src/x/crossbeam-channel-0.5.17/src/channel.rs",
        )];
        assert_eq!(wait_of(&crossbeam), Some(Wait::Receive));
    }

    #[test]
    fn a_thread_parked_in_tokios_scheduler_is_an_idle_runtime_not_a_condvar() {
        // Read from gdb on a current-thread runtime whose only future waits on a channel.
        let tokio = "/root/.cargo/registry/src/index.crates.io-1/tokio-1.54.1/src";
        let inner = [
            frame(
                "std::sys::sync::condvar::futex::Condvar::wait",
                "library/std/src/sys/sync/condvar/futex.rs",
            ),
            frame("wait<()>", &format!("{STD}/sync/poison/condvar.rs")),
            frame("park", "src/runtime/park.rs"),
            frame(
                "tokio::runtime::park::ParkThread::park::h3521a2ee2ca437f5",
                "src/runtime/park.rs",
            ),
            frame(
                "tokio::runtime::driver::Driver::park::h39ef650385dd439e",
                "src/runtime/driver.rs",
            ),
            frame(
                "tokio::runtime::scheduler::current_thread::Context::park::hac2415cc614dd818",
                "src/runtime/scheduler/current_thread/mod.rs",
            ),
            frame(
                "tokio::runtime::scheduler::current_thread::CoreGuard::block_on::h1",
                &format!("{tokio}/runtime/scheduler/current_thread/mod.rs"),
            ),
            frame(
                "tokio::runtime::runtime::Runtime::block_on_inner::h2",
                &format!("{tokio}/runtime/runtime.rs"),
            ),
        ];
        assert_eq!(wait_of(&inner), Some(Wait::RuntimeIdle));
        // A worker of a multi-threaded runtime parks in its own parker.
        let worker = [frame(
            "tokio::runtime::scheduler::multi_thread::park::Parker::park::h0a1b2c3d4e5f6789",
            &format!("{tokio}/runtime/scheduler/multi_thread/park.rs"),
        )];
        assert_eq!(wait_of(&worker), Some(Wait::RuntimeIdle));
    }

    #[test]
    fn unknown_frames_wait_on_nothing_known() {
        assert_eq!(wait_of(&[frame("syscall", "../sysdeps/syscall.S")]), None);
        assert_eq!(wait_of(&[]), None);
    }

    #[test]
    fn short_names_drop_paths_generics_and_hashes() {
        assert_eq!(
            short_name("std::thread::join_handle::JoinHandle<T>::join::h23ca12b7fa7b8ec8"),
            "join"
        );
        assert_eq!(short_name("lock<u64>"), "lock");
        assert_eq!(
            short_name("<std::sync::mpsc::Iter<T> as core::iter::Iterator>::next"),
            "next"
        );
        assert_eq!(
            short_name("lock_ordering::Bank::lock_account"),
            "lock_account"
        );
        assert_eq!(short_name("transfer"), "transfer");
    }
}
