//! With the diagnosis kept to /proc (no gdb, or gdb too slow on a loaded machine), an async
//! step that hangs is still told apart: its thread runs a runtime, so a futex wait there is most
//! likely the runtime, idle. One test alone in its binary, since it changes the environment.

use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;
use testkit_async::within_async;

#[test]
fn from_proc_alone_a_hung_async_step_is_most_likely_an_idle_runtime() {
    // SAFETY: the only test of this binary, and no other thread reads the environment yet.
    unsafe { std::env::set_var("TESTKIT_DIAGNOSE", "proc") };
    let caught = panic::catch_unwind(AssertUnwindSafe(|| {
        within_async(Duration::from_millis(300), "wait forever", || async {
            let (_keep, mut rx) = tokio::sync::mpsc::channel::<u32>(1);
            rx.recv().await
        })
    }))
    .expect_err("a future that is never woken must time out");
    let message = caught.downcast_ref::<String>().expect("a String message");
    println!("{message}");
    assert!(
        message.contains("(from /proc only, as TESTKIT_DIAGNOSE=proc asks for it"),
        "{message}"
    );
    assert!(
        message.contains(
            "- `wait forever` runs an async runtime and waits on a futex: most likely the runtime \
             is idle"
        ),
        "{message}"
    );
}
