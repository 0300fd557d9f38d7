//! Every test runs on a paused tokio clock (`testkit_async::within_async`): a `sleep` or a tick
//! happens as soon as nothing else can run, the same way on every run. The times below are
//! virtual; nothing here depends on how fast the machine is.

use select_cancel::{End, Session, TimedOut, connection, run_session, with_timeout};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use testkit::STEP_LIMIT;
use testkit_async::within_async_or_explain;
use tokio::sync::oneshot;
use tokio::time::{Instant, sleep};

const AN_HOUR: Duration = Duration::from_secs(3600);
const HEARTBEAT: Duration = Duration::from_secs(1);

const BLOCKED_HINT: &str = "the runtime's only thread never came back to the test: something \
     blocked it (a `std::thread::sleep`, a blocking call, a loop with no `.await` that is \
     pending) instead of awaiting";

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Awaits `future` for at most an hour of virtual time, and says how long it took. A future
/// that never finishes fails here at once (the paused clock jumps to the hour) with `stuck`.
async fn timed<F: Future>(future: F, stuck: &str) -> (F::Output, Duration) {
    let start = Instant::now();
    match tokio::time::timeout(AN_HOUR, future).await {
        Ok(output) => (output, start.elapsed()),
        Err(_) => panic!("{stuck}"),
    }
}

fn check_heartbeats(session: &Session, expected: u32, lasted: Duration) {
    assert_eq!(
        session.heartbeats, expected,
        "the session lasted {lasted:?} with a heartbeat every {HEARTBEAT:?}, so it should have \
         sent {expected} heartbeats (one at the start, then one every period), not {}. A \
         `sleep(period)` created inside the loop starts over on every turn, so it only fires \
         after a whole period with nothing else happening. Create one \
         `tokio::time::interval(period)` before the loop and select on `ticker.tick()`: it \
         remembers when the next tick is due",
        session.heartbeats
    );
}

/// Sets a flag when dropped: tells whether a future was cancelled.
struct DropFlag(Arc<AtomicBool>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[test]
fn race_gives_up_at_the_limit_and_drops_the_work() {
    within_async_or_explain(
        STEP_LIMIT,
        "with_timeout on slow work",
        BLOCKED_HINT,
        || async {
            let dropped = Arc::new(AtomicBool::new(false));
            let finished = Arc::new(AtomicBool::new(false));
            let work = {
                let flag = DropFlag(Arc::clone(&dropped));
                let finished = Arc::clone(&finished);
                async move {
                    let _flag = flag;
                    sleep(AN_HOUR / 2).await;
                    finished.store(true, Ordering::SeqCst);
                    "too late"
                }
            };
            let (result, took) = timed(
                with_timeout(work, Duration::from_secs(10)),
                "with_timeout never returned: race `work` against `tokio::time::sleep(limit)` in \
             `tokio::select!`, so that whichever finishes first wins",
            )
            .await;
            assert_eq!(
                took,
                Duration::from_secs(10),
                "with_timeout(work, 10s) returned {took:?} after it started, on work that takes \
             half an hour: it must give up at the limit. Race `work` against \
             `tokio::time::sleep(limit)` in `tokio::select!` instead of awaiting one after the \
             other"
            );
            assert_eq!(
                result,
                Err(TimedOut),
                "the work was not done at the limit, so with_timeout must return Err(TimedOut)"
            );
            assert!(
                !finished.load(Ordering::SeqCst),
                "the work ran to its end although with_timeout gave up on it"
            );
            assert!(
                dropped.load(Ordering::SeqCst),
                "with_timeout returned Err(TimedOut) but the work future was not dropped: once the \
             limit wins, the losing future must be cancelled (dropped), as `select!` does"
            );
        },
    );
}

#[test]
fn race_returns_the_output_as_soon_as_the_work_is_done() {
    within_async_or_explain(
        STEP_LIMIT,
        "with_timeout on quick work",
        BLOCKED_HINT,
        || async {
            let work = async {
                sleep(Duration::from_secs(1)).await;
                42
            };
            let (result, took) = timed(
                with_timeout(work, Duration::from_secs(10)),
                "with_timeout never returned, though its work was done after 1s",
            )
            .await;
            assert_eq!(
                result,
                Ok(42),
                "the work finished after 1s, well within the 10s limit, so with_timeout must \
             return Ok with its output"
            );
            assert_eq!(
                took,
                Duration::from_secs(1),
                "with_timeout(work, 10s) returned {took:?} after it started, though the work was \
             done after 1s: it must return as soon as either the work or the limit is done, \
             not wait for both (race them with `tokio::select!`, not `join!`)"
            );
        },
    );
}

#[test]
fn session_heartbeats_on_schedule_while_messages_keep_coming() {
    let (session, lasted) = within_async_or_explain(
        STEP_LIMIT,
        "a session with a message every 300ms",
        BLOCKED_HINT,
        || async {
            let (mut peer, conn) = connection();
            let (shutdown_tx, shutdown) = oneshot::channel();
            let script = async {
                for i in 0..9 {
                    sleep(ms(300)).await;
                    peer.send(&format!("m{i}"), Duration::ZERO).await;
                }
                sleep(ms(100)).await;
                peer.hang_up();
            };
            let ((session, lasted), ()) = tokio::join!(
                timed(
                    run_session(conn, HEARTBEAT, shutdown),
                    "the session never ended, though the peer hung up after its last message: \
                     when `read_message` returns `None`, return with `End::Closed`",
                ),
                script
            );
            drop(shutdown_tx);
            (session, lasted)
        },
    );
    let expected: Vec<String> = (0..9).map(|i| format!("m{i}")).collect();
    assert_eq!(
        session.messages, expected,
        "every message the peer sent should be read once, in order"
    );
    assert_eq!(
        session.end,
        End::Closed,
        "the peer hung up and the shutdown signal never came: the session should end with \
         End::Closed"
    );
    assert_eq!(
        lasted,
        ms(2800),
        "the peer hung up after 2.8s, so the session should have ended then, not after {lasted:?}"
    );
    check_heartbeats(&session, 3, lasted);
}

#[test]
fn session_keeps_a_message_whose_body_arrives_after_a_heartbeat() {
    let (session, lasted, torn) = within_async_or_explain(
        STEP_LIMIT,
        "a session where a heartbeat falls inside a message",
        BLOCKED_HINT,
        || async {
            let (mut peer, conn) = connection();
            let (shutdown_tx, shutdown) = oneshot::channel();
            let script = async {
                // Header at 0.5s, body at 1.5s: the heartbeat at 1s falls in between.
                sleep(ms(500)).await;
                peer.send("hello", Duration::from_secs(1)).await;
                sleep(ms(700)).await;
                peer.send("world", Duration::ZERO).await;
                sleep(ms(300)).await;
                peer.hang_up();
            };
            let ((session, lasted), ()) = tokio::join!(
                timed(
                    run_session(conn, HEARTBEAT, shutdown),
                    "the session never ended, though the peer hung up after its last message: \
                     when `read_message` returns `None`, return with `End::Closed`",
                ),
                script
            );
            drop(shutdown_tx);
            (session, lasted, peer.torn_messages())
        },
    );
    assert_eq!(
        torn, 0,
        "a message was torn apart: `read_message` had read its header when the heartbeat \
         branch of `select!` won, so the half-done read was dropped with the header in it, and \
         the message was lost. `read_message` is not cancel-safe. Keep one read future alive \
         across turns of the loop (create it before the loop, `tokio::pin!` it, select on \
         `&mut read`, and start the next read only after it finished), or read in a task of \
         its own that sends whole messages through a channel, whose `recv` is cancel-safe"
    );
    assert_eq!(
        session.messages,
        vec!["hello".to_string(), "world".to_string()],
        "both messages should be read, in order"
    );
    assert_eq!(session.end, End::Closed, "the peer hung up: End::Closed");
    check_heartbeats(&session, 3, lasted);
}

#[test]
fn session_stops_at_the_shutdown_signal() {
    let (session, lasted) = within_async_or_explain(
        STEP_LIMIT,
        "a session with a shutdown signal at 2.5s",
        BLOCKED_HINT,
        || async {
            let (peer, conn) = connection();
            let (shutdown_tx, shutdown) = oneshot::channel();
            let script = async {
                sleep(ms(200)).await;
                peer.send("a", Duration::ZERO).await;
                sleep(ms(500)).await;
                peer.send("b", Duration::ZERO).await;
                sleep(ms(1800)).await;
                shutdown_tx
                    .send(())
                    .expect("the session dropped its shutdown receiver early");
            };
            let ((session, lasted), ()) = tokio::join!(
                timed(
                    run_session(conn, HEARTBEAT, shutdown),
                    "the session did not stop after the shutdown signal (it was still running \
                     an hour later): make `&mut shutdown` a branch of the `select!` and leave \
                     the loop with End::Shutdown when it completes",
                ),
                script
            );
            // The peer is still connected: only the signal can have stopped the session.
            drop(peer);
            (session, lasted)
        },
    );
    assert_eq!(
        lasted,
        ms(2500),
        "the shutdown signal came 2.5s into the session, but the session stopped {lasted:?} \
         after it started: stop at the signal itself. Make `&mut shutdown` a branch of the \
         `select!` (checking it with `try_recv` between turns only notices it when something \
         else wakes the loop)"
    );
    assert_eq!(
        session.end,
        End::Shutdown,
        "the session was stopped by the signal: End::Shutdown"
    );
    assert_eq!(
        session.messages,
        vec!["a".to_string(), "b".to_string()],
        "both messages came before the signal and should be in the report"
    );
    check_heartbeats(&session, 3, lasted);
}

#[test]
fn session_stops_when_the_shutdown_sender_is_dropped() {
    let (session, lasted) = within_async_or_explain(
        STEP_LIMIT,
        "a session whose shutdown sender is dropped at 1.5s",
        BLOCKED_HINT,
        || async {
            let (peer, conn) = connection();
            let (shutdown_tx, shutdown) = oneshot::channel::<()>();
            // Spawned, so that a panic inside the session can be explained below.
            let session = tokio::spawn(async move {
                let start = Instant::now();
                let session = run_session(conn, HEARTBEAT, shutdown).await;
                (session, start.elapsed())
            });
            sleep(ms(1500)).await;
            drop(shutdown_tx);
            let joined = timed(
                session,
                "the session did not stop when the shutdown sender was dropped (it was still \
                 running an hour later): a closed `oneshot` completes with `Err(RecvError)`, \
                 and that must stop the session too, since nobody can ever send the signal",
            )
            .await
            .0;
            drop(peer);
            match joined {
                Ok(done) => done,
                Err(error) if error.is_panic() => {
                    let payload = error.into_panic();
                    let why = payload
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    panic!(
                        "the session panicked after the shutdown sender was dropped ({why}): a \
                         closed `oneshot` completes with `Err(RecvError)`. A branch pattern \
                         like `Ok(()) = &mut shutdown` does not match it, and the next turn of \
                         the loop polls the finished receiver again. Match any result \
                         (`_ = &mut shutdown`) and stop"
                    )
                }
                Err(error) => panic!("the session task failed: {error}"),
            }
        },
    );
    assert_eq!(
        session.end,
        End::Shutdown,
        "nobody can send the shutdown signal any more, so the session should stop with \
         End::Shutdown"
    );
    assert_eq!(
        lasted,
        ms(1500),
        "the shutdown sender was dropped 1.5s into the session, but the session stopped \
         {lasted:?} after it started"
    );
    assert!(session.messages.is_empty(), "the peer sent nothing");
}
