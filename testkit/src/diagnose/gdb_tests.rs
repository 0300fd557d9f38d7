//! Tests of reading gdb's backtraces.

use super::*;

/// Recorded from `thread apply all bt` on a 3-thread deadlock (trimmed).
pub const RECORDED: &str = r#"[New LWP 27889]
__futex_abstimed_wait_common64 (private=128, cancel=true, abstime=0x0, op=265, expected=27889, futex_word=0x7f1feb27d990) at ./nptl/futex-internal.c:57

Thread 3 (Thread 0x7f1feb07c6c0 (LWP 27891) "teller-1"):
#0  syscall () at ../sysdeps/unix/sysv/linux/x86_64/syscall.S:38
#1  0x000055b90df626c6 in std::sys::pal::unix::futex::futex_wait () at library/std/src/sys/pal/unix/futex.rs:73
#2  std::sys::sync::mutex::futex::Mutex::lock_contended () at library/std/src/sys/sync/mutex/futex.rs:61
#4  lock<u64> () at /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/std/src/sync/poison/mutex.rs:492
#5  0x000055b90df3b45c in transfer () at dl.rs:6
#6  0x000055b90df3b13f in dl::main::{{closure}}::h6e3b2930eb45548b () at dl.rs:14
#11 0x000055b90df47a5b in __rust_try ()
#14 {closure#1}<dl::main::{closure_env#1}, ()> () at /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/std/src/thread/lifecycle.rs:89
#16 0x00007f1feb30a1f5 in start_thread (arg=...) at ./nptl/pthread_create.c:442

Thread 1 (LWP 27888 "dl"):
#0  __futex_abstimed_wait_common64 (private=..., cancel=..., abstime=..., op=..., expected=..., futex_word=...) at ./nptl/futex-internal.c:57
#11 0x000055b90df70cd4 in core::ops::function::impls::{impl#2}::call_once<(), (dyn core::ops::function::Fn<(), Output=i32> + core::marker::Sync)> () at library/core/src/ops/function.rs:287
#21 0x000055b90df3e9fe in main ()
#22 0x00007f0000000000 in __libc_start_main () from /lib/x86_64-linux-gnu/libc.so.6
[Inferior 1 (process 27888) detached]
"#;

#[test]
fn frames_are_read_per_thread_innermost_first() {
    let threads = parse(RECORDED);
    assert_eq!(threads.len(), 2);
    let teller = &threads[&27891];
    assert_eq!(teller.len(), 9);
    assert_eq!(
            teller[3],
            Frame {
                function: "lock<u64>".into(),
                file: Some(
                    "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/std/src/sync/poison/mutex.rs"
                        .into()
                ),
                line: 492,
            }
        );
    assert_eq!(teller[4].function, "transfer");
    assert_eq!(
        (teller[4].file.as_deref(), teller[4].line),
        (Some("dl.rs"), 6)
    );
    assert_eq!(teller[6].file, None);
}

#[test]
fn names_with_parentheses_in_their_generics_are_kept_whole() {
    let main = &parse(RECORDED)[&27888];
    assert_eq!(
        main[1].function,
        "core::ops::function::impls::{impl#2}::call_once<(), (dyn core::ops::function::Fn<(), Output=i32> + core::marker::Sync)>"
    );
    assert_eq!(main[0].function, "__futex_abstimed_wait_common64");
    assert_eq!(main[3].file, None);
}

/// gdb killed at its limit, whenever that falls (before, during or after it attached),
/// leaves this process neither stopped nor traced.
#[test]
fn a_gdb_killed_at_any_point_leaves_the_process_running() {
    assert!(find_program("gdb").is_some(), "this test needs gdb on PATH");
    let pid = std::process::id();
    for limit_ms in [20, 80, 150, 250, 400, 600] {
        let limit = Duration::from_millis(limit_ms);
        match backtraces(pid, limit) {
            Ok(_) | Err(Unavailable::TooSlow(_) | Unavailable::TooBusy(_)) => {}
            // Another test's gdb may be attached at the same moment.
            Err(Unavailable::NoStacks(_)) => {}
            Err(other) => panic!("{other}"),
        }
        // Other tests of this binary time out on purpose, and their diagnosis may have a gdb
        // attached to this same process right now: so "left" means "still, a while later".
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let status = std::fs::read_to_string("/proc/self/status").unwrap();
            let traced = !status.contains("\nTracerPid:\t0\n");
            let stopped = super::super::procfs::tasks(pid)
                .unwrap()
                .iter()
                .any(|task| task.is_stopped());
            if !traced && !stopped {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "left traced ({traced}) or stopped ({stopped}) after a gdb killed at {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn gdbs_reason_for_seeing_nothing_is_found() {
    let errors = "warning: something\nptrace: Operation not permitted.\n";
    assert_eq!(first_complaint(errors), "ptrace: Operation not permitted");
    assert_eq!(first_complaint(""), "it printed nothing");
}
