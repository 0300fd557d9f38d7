//! Each step runs on a single-threaded tokio runtime whose clock is paused (testkit's
//! `within_async`): a station's one-second read takes no real time, and every run sees the same
//! times, so "both reads started together" is an exact fact, not a race.

use futures_basics::{
    Log, Offline, READ_TIME, RETRY_PAUSE, Station, log_reading, read_with_retry, warmest,
};
use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;
use testkit::{STEP_LIMIT, TIMEOUT_MARKER};
use testkit_async::within_async;
use tokio::time::Instant;

/// Runs an async step; a panic inside it becomes a failure whose first line is `instead`.
fn without_panic<T, F, Fut>(what: &str, instead: &str, make: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = T>,
{
    within_limit_without_panic(STEP_LIMIT, what, instead, make)
}

fn within_limit_without_panic<T, F, Fut>(limit: Duration, what: &str, instead: &str, make: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = T>,
{
    match panic::catch_unwind(AssertUnwindSafe(|| within_async(limit, what, make))) {
        Ok(value) => value,
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            if message.starts_with(TIMEOUT_MARKER) || message.starts_with("not yet implemented") {
                panic::resume_unwind(payload)
            }
            panic!("{instead}\n(the panic: {message})")
        }
    }
}

/// The retry tests' limit. A wrong solution that blocks the thread with `std::thread::sleep`
/// spends real time, and must still fail on its behaviour, not time out on a loaded machine.
const RETRY_LIMIT: Duration = Duration::from_secs(10);

/// Offsets of `times` from `start`.
fn offsets(start: Instant, times: &[Instant]) -> Vec<Duration> {
    times.iter().map(|t| t.duration_since(start)).collect()
}

// ---- 1: log_reading ----

#[test]
fn log_reading_writes_the_reading_to_the_log() {
    let (result, lines) = within_async(STEP_LIMIT, "log the reading of Oslo", || async {
        let oslo = Station::new("Oslo", 125);
        let log = Log::new();
        let result = log_reading(&oslo, &log).await;
        (result, log.lines())
    });
    assert_eq!(
        result,
        Ok(()),
        "`log_reading` failed for a station that is online"
    );
    assert!(
        !lines.is_empty(),
        "the log is empty after `log_reading` returned: `log.append(..)` only builds a future, \
         and a future does nothing until it is awaited. Add `.await`."
    );
    assert_eq!(
        lines,
        vec!["Oslo: 125".to_string()],
        "the log must hold exactly one line, `<name>: <tenths>`"
    );
}

#[test]
fn log_reading_does_nothing_until_awaited() {
    let (before, after) = within_async(STEP_LIMIT, "build a future, await it later", || async {
        let oslo = Station::new("Oslo", 125);
        let log = Log::new();
        let future = log_reading(&oslo, &log);
        // An hour passes on the runtime's clock; nobody polls `future` meanwhile.
        tokio::time::sleep(Duration::from_secs(3600)).await;
        let before = (oslo.reads_started(), log.lines().len());
        let _ = future.await;
        (before, (oslo.reads_started(), log.lines().len()))
    });
    assert_eq!(
        before,
        (0, 0),
        "`log_reading` read the station or wrote the log before its future was awaited: (reads, \
         lines) were {before:?}. An `async fn` does nothing until awaited; keep it that way."
    );
    assert_eq!(
        after,
        (1, 1),
        "once awaited, `log_reading` must read the station once and write one line: (reads, \
         lines) were {after:?}. Is a future inside it built but never awaited?"
    );
}

#[test]
fn log_reading_reports_an_offline_station_and_writes_nothing() {
    let (result, lines) = without_panic(
        "log the reading of an offline station",
        "`log_reading` panicked on an offline station: return its `Err(Offline)` (with `?`)",
        || async {
            let down = Station::flaky("Tromsø", 40, 1);
            let log = Log::new();
            let result = log_reading(&down, &log).await;
            (result, log.lines())
        },
    );
    assert_eq!(
        result,
        Err(Offline),
        "an offline station must give `Err(Offline)`"
    );
    assert!(
        lines.is_empty(),
        "nothing may be logged for an offline station, but the log holds {lines:?}"
    );
}

// ---- 2: read_with_retry ----

#[test]
fn read_with_retry_pauses_on_the_runtimes_clock_between_attempts() {
    let (result, start, times) = within_limit_without_panic(
        RETRY_LIMIT,
        "read a station that is offline twice",
        "`read_with_retry` panicked: an offline attempt is an `Err` to retry, not a panic",
        || async {
            let bergen = Station::flaky("Bergen", 143, 2);
            let start = Instant::now();
            let result = read_with_retry(&bergen, 5).await;
            (result, start, bergen.read_times())
        },
    );
    assert!(
        times.len() > 1,
        "`read_with_retry` gave up after the first failed attempt: while the station is offline, \
         try again, up to `attempts` attempts in all"
    );
    assert_eq!(
        times.len(),
        3,
        "the station answers on the 3rd attempt, but `read_with_retry` made {} attempts",
        times.len()
    );
    let expected = vec![
        Duration::ZERO,
        READ_TIME + RETRY_PAUSE,
        2 * (READ_TIME + RETRY_PAUSE),
    ];
    let got = offsets(start, &times);
    assert_eq!(
        got, expected,
        "the attempts did not pause RETRY_PAUSE on the runtime's clock between them (the \
         attempts started at {got:?}, expected {expected:?}): wait with \
         `tokio::time::sleep(RETRY_PAUSE).await`. A `std::thread::sleep` blocks the runtime's \
         only thread, so no other future runs meanwhile, and a sleep that is not awaited does \
         nothing."
    );
    assert_eq!(
        result,
        Ok(143),
        "the 3rd attempt answered 143, but `read_with_retry` returned {result:?}"
    );
}

#[test]
fn read_with_retry_gives_up_after_the_last_attempt() {
    let (result, reads, elapsed) = within_limit_without_panic(
        RETRY_LIMIT,
        "read a station that stays offline",
        "`read_with_retry` panicked when every attempt failed: return `Err(Offline)` instead",
        || async {
            let down = Station::flaky("Tromsø", 40, 100);
            let start = Instant::now();
            let result = read_with_retry(&down, 3).await;
            (result, down.reads_started(), start.elapsed())
        },
    );
    assert_eq!(
        reads, 3,
        "with `attempts` = 3, `read_with_retry` must try exactly 3 times, but it read the station \
         {reads} times"
    );
    assert_eq!(
        result,
        Err(Offline),
        "when every attempt failed, return the last `Err(Offline)`"
    );
    let expected = 3 * READ_TIME + 2 * RETRY_PAUSE;
    assert_eq!(
        elapsed, expected,
        "3 attempts with a pause between each two take {expected:?} on the runtime's clock, but \
         `read_with_retry` took {elapsed:?}: no pause after the last attempt (nobody waits for \
         it), and every pause on the runtime's clock (`tokio::time::sleep(..).await`)"
    );
}

#[test]
fn read_with_retry_lets_other_futures_run_while_it_pauses() {
    // A second future on the same thread wakes up during the retry's pause and notes how many
    // attempts it sees. A pause that blocks the thread lets it run only afterwards.
    let seen = within_limit_without_panic(
        RETRY_LIMIT,
        "retry beside another future",
        "`read_with_retry` panicked: an offline attempt is an `Err` to retry, not a panic",
        || async {
            let bergen = Station::flaky("Bergen", 143, 1);
            let watcher = async {
                tokio::time::sleep(READ_TIME + RETRY_PAUSE / 2).await;
                bergen.reads_started()
            };
            let (_, seen) = tokio::join!(read_with_retry(&bergen, 2), watcher);
            seen
        },
    );
    assert_eq!(
        seen, 1,
        "another future on the same thread woke up in the middle of the pause and saw {seen} \
         attempts, expected 1 (the failed one): the pause must let other futures run. \
         `std::thread::sleep` blocks the whole thread; `tokio::time::sleep(..).await` hands it \
         back to the runtime."
    );
}

// ---- 3: warmest ----

#[test]
fn warmest_reads_both_stations_at_once() {
    let (result, start, oslo_times, bergen_times, elapsed) = without_panic(
        "the warmest of Oslo and Bergen",
        "`warmest` panicked for two stations that are online",
        || async {
            let oslo = Station::new("Oslo", 125);
            let bergen = Station::new("Bergen", 143);
            let start = Instant::now();
            let result = warmest(&oslo, &bergen).await;
            let elapsed = start.elapsed();
            (
                result,
                start,
                oslo.read_times(),
                bergen.read_times(),
                elapsed,
            )
        },
    );
    assert_eq!(
        (oslo_times.len(), bergen_times.len()),
        (1, 1),
        "`warmest` must read each station exactly once"
    );
    let (oslo, bergen) = (oslo_times[0] - start, bergen_times[0] - start);
    assert_eq!(
        oslo, bergen,
        "the reads ran one after another: Oslo's read started at {oslo:?} and Bergen's at \
         {bergen:?}. Awaiting one future finishes it before the next even starts (a future does \
         nothing until polled); `tokio::join!` polls both, so they overlap."
    );
    assert_eq!(
        elapsed, READ_TIME,
        "two reads at once take one READ_TIME, but `warmest` took {elapsed:?}"
    );
    assert_eq!(
        result,
        Ok(143),
        "Bergen (143) is warmer than Oslo (125), but `warmest` returned {result:?}"
    );
}

#[test]
fn warmest_compares_either_way_round() {
    let result = without_panic(
        "the warmest of Bergen and Oslo",
        "`warmest` panicked for two stations that are online",
        || async { warmest(&Station::new("Bergen", 143), &Station::new("Oslo", -25)).await },
    );
    assert_eq!(
        result,
        Ok(143),
        "Bergen (143) is warmer than Oslo (-25), but `warmest` returned {result:?}"
    );
}

#[test]
fn warmest_reports_an_offline_station() {
    let result = without_panic(
        "the warmest with one station offline",
        "`warmest` panicked when a station was offline: return its `Err(Offline)` (with `?`)",
        || async { warmest(&Station::new("Oslo", 125), &Station::flaky("Tromsø", 40, 1)).await },
    );
    assert_eq!(
        result,
        Err(Offline),
        "Tromsø is offline, so `warmest` must return `Err(Offline)`, not {result:?}"
    );
}
