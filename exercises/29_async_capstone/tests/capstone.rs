//! Every test runs on a paused tokio clock (`testkit_async::within_async`): the network's delays and
//! the timeouts take virtual time, the same way on every run. The course's `Network` remembers
//! each request, so the tests can check how the fetcher used it, not only what it returned.

use async_capstone::{Limits, NetError, Network, Outcome, fetch_all};
use std::future::{Future, pending};
use std::time::Duration;
use testkit::STEP_LIMIT;
use testkit_async::within_async_or_explain;
use tokio::time::{Instant, sleep};

const AN_HOUR: Duration = Duration::from_secs(3600);

const BLOCKED_HINT: &str = "the runtime's only thread never came back to the test: something \
     blocked it (a `std::thread::sleep`, a blocking call, a loop with no `.await` that is \
     pending) instead of awaiting";

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s)
}

/// What one call of `fetch_all` did.
struct Run {
    outcomes: Vec<Outcome>,
    took: Duration,
    net: Network,
    start: Instant,
}

/// Runs `fetch_all` on a paused clock, for at most an hour of virtual time.
fn run<S, Fut>(what: &str, net: Network, urls: &[&str], limits: Limits, shutdown: S) -> Run
where
    S: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + 'static,
{
    let urls: Vec<String> = urls.iter().map(|url| url.to_string()).collect();
    within_async_or_explain(STEP_LIMIT, what, BLOCKED_HINT, move || async move {
        let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
        let start = Instant::now();
        let fetching = fetch_all(&net, &urls, limits, shutdown());
        let outcomes = match tokio::time::timeout(AN_HOUR, fetching).await {
            Ok(outcomes) => outcomes,
            Err(_) => panic!(
                "fetch_all was still running an hour (of virtual time) later: does it wait for \
                 something that never comes, like a permit that is never given back, or a \
                 task it never spawned?"
            ),
        };
        Run {
            outcomes,
            took: start.elapsed(),
            net,
            start,
        }
    })
}

/// Compares outcomes URL by URL, and names the likely mistake for the first that differs.
fn check_outcomes(run: &Run, urls: &[&str], expected: &[Outcome], limits: Limits) {
    assert_eq!(
        run.outcomes.len(),
        urls.len(),
        "fetch_all should return one outcome per URL, in the order of `urls`: got {} outcomes \
         for {} URLs",
        run.outcomes.len(),
        urls.len()
    );
    for ((url, want), got) in urls.iter().zip(expected).zip(&run.outcomes) {
        if want == got {
            continue;
        }
        let timeout = limits.timeout;
        let why = match (want, got) {
            (Outcome::Fetched(_), Outcome::TimedOut) => format!(
                "it timed out, though its server answers well within the timeout of \
                 {timeout:?} once the request is sent. Does the timeout also count the time \
                 spent waiting for a free slot? Start it when the request is sent: wrap only \
                 `net.get(url)` in `tokio::time::timeout`, after the permit was acquired"
            ),
            (Outcome::TimedOut, Outcome::Fetched(_)) => format!(
                "its server takes longer than the timeout of {timeout:?}, yet the answer was \
                 waited for: give each request its own timeout, \
                 `tokio::time::timeout(limits.timeout, net.get(url))`"
            ),
            (Outcome::Fetched(_) | Outcome::Failed(_), Outcome::NotSent) => {
                "it was sent, so it should have its outcome: wait for every request that was \
                 sent (join them all) before returning. A graceful shutdown stops sending new \
                 requests, then waits for those in flight"
                    .to_string()
            }
            (Outcome::NotSent, _) => {
                "it should not have been sent at all: the shutdown came before a slot was free \
                 for it. Select on the shutdown while waiting for a permit, and stop sending \
                 once it has completed"
                    .to_string()
            }
            _ => "outcomes must be in the order of `urls`, and each URL's outcome its own \
                  (a network error is `Outcome::Failed`, not a panic)"
                .to_string(),
        };
        panic!("`{url}` should be {want:?}, but fetch_all gave {got:?}: {why}");
    }
}

fn sent_count(run: &Run, url: &str) -> usize {
    run.net
        .sent()
        .iter()
        .filter(|(sent, _)| sent == url)
        .count()
}

#[test]
fn errors_are_outcomes_of_their_own() {
    let net = Network::builder()
        .page("ok", secs(1.0), "fine")
        .broken("broken", secs(0.5))
        .build();
    let urls = ["broken", "ok", "missing"];
    let limits = Limits {
        max_in_flight: 2,
        timeout: secs(10.0),
    };
    let run = run("fetch_all with errors", net, &urls, limits, pending);
    check_outcomes(
        &run,
        &urls,
        &[
            Outcome::Failed(NetError::ServerError),
            Outcome::Fetched("fine".into()),
            Outcome::Failed(NetError::NotFound),
        ],
        limits,
    );
}

#[test]
fn fetches_every_url_with_at_most_n_in_flight() {
    let delays = [3.0, 1.0, 4.0, 1.0, 5.0, 2.0, 2.0, 1.0, 3.0, 2.0];
    let urls: Vec<String> = (0..delays.len()).map(|i| format!("page{i}")).collect();
    let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
    let mut net = Network::builder();
    for (url, delay) in urls.iter().zip(delays) {
        net = net.page(url, secs(delay), &format!("body of {url}"));
    }
    let limits = Limits {
        max_in_flight: 3,
        timeout: AN_HOUR,
    };
    let run = run("fetch_all of 10 pages", net.build(), &urls, limits, pending);

    let most = run.net.most_in_flight();
    assert!(
        most <= 3,
        "{most} requests were in flight at once, more than max_in_flight = 3: hold a \
         `Semaphore` permit for the whole request. (`let _ = sem.acquire().await` drops the \
         permit at once; bind it to a name, or move an `acquire_owned` permit into the task.)"
    );
    assert_eq!(
        most, 3,
        "never more than {most} request(s) in flight at once, though 3 were allowed: the \
         requests waited for each other. Spawn each request as a task (a `JoinSet`), and let \
         the semaphore, not an `.await` on each request in turn, set the pace"
    );
    let expected: Vec<Outcome> = urls
        .iter()
        .map(|url| Outcome::Fetched(format!("body of {url}")))
        .collect();
    check_outcomes(&run, &urls, &expected, limits);
    for url in &urls {
        let times = sent_count(&run, url);
        assert_eq!(
            times, 1,
            "`{url}` was requested {times} times instead of once"
        );
    }
}

#[test]
fn keeps_every_slot_busy() {
    // Two slots: `long` takes 4s in one; the four short pages fit one after another in the
    // other, so everything is done after 4s. In batches of two it would take 6s.
    let net = Network::builder()
        .page("long", secs(4.0), "L")
        .page("a", secs(1.0), "a")
        .page("b", secs(1.0), "b")
        .page("c", secs(1.0), "c")
        .page("d", secs(1.0), "d")
        .build();
    let urls = ["long", "a", "b", "c", "d"];
    let limits = Limits {
        max_in_flight: 2,
        timeout: AN_HOUR,
    };
    let run = run("fetch_all with one long page", net, &urls, limits, pending);
    check_outcomes(
        &run,
        &urls,
        &["L", "a", "b", "c", "d"].map(|body| Outcome::Fetched(body.into())),
        limits,
    );
    assert_eq!(
        run.took,
        secs(4.0),
        "with 2 slots, one 4s page and four 1s pages should all be done after 4s (the short \
         ones one after another beside the long one), but fetch_all took {:?}: was a slot left \
         idle? Send the next request as soon as any one finishes (a permit is freed), not when \
         a whole batch is done",
        run.took
    );
}

#[test]
fn shutdown_lets_the_requests_in_flight_finish() {
    let mut net = Network::builder();
    let urls = ["a", "b", "c", "d", "e", "f"];
    for url in urls {
        net = net.page(url, secs(1.0), url);
    }
    let limits = Limits {
        max_in_flight: 2,
        timeout: AN_HOUR,
    };
    // a and b run from 0s to 1s, c and d from 1s to 2s; the shutdown comes at 1.5s.
    let run = run(
        "fetch_all with a shutdown at 1.5s",
        net.build(),
        &urls,
        limits,
        || sleep(secs(1.5)),
    );
    let dropped = run.net.dropped();
    assert!(
        dropped.is_empty(),
        "the shutdown dropped requests that were in flight ({dropped:?}): graceful shutdown \
         stops sending new requests but lets the ones in flight finish. Stop the loop that \
         sends, then join every task (no `abort`, no `JoinSet::shutdown`, and do not drop the \
         `JoinSet` early)"
    );
    let late: Vec<String> = run
        .net
        .sent()
        .into_iter()
        .filter(|(_, at)| *at - run.start > secs(1.5))
        .map(|(url, _)| url)
        .collect();
    assert!(
        late.is_empty(),
        "requests were sent after the shutdown signal ({late:?}): select on the shutdown future \
         (pinned, polled with `&mut`) while waiting for a free slot, and stop sending once it \
         has completed"
    );
    check_outcomes(
        &run,
        &urls,
        &[
            Outcome::Fetched("a".into()),
            Outcome::Fetched("b".into()),
            Outcome::Fetched("c".into()),
            Outcome::Fetched("d".into()),
            Outcome::NotSent,
            Outcome::NotSent,
        ],
        limits,
    );
    assert_eq!(
        run.took,
        secs(2.0),
        "c and d were in flight at the shutdown and finish at 2s, so fetch_all should return \
         then, not after {:?}",
        run.took
    );
}

#[test]
fn slow_requests_time_out_one_by_one() {
    let net = Network::builder()
        .page("slow", secs(10.0), "too late")
        .page("a", secs(1.0), "a")
        .page("b", secs(1.0), "b")
        .page("c", secs(1.0), "c")
        .build();
    let urls = ["slow", "a", "b", "c"];
    let limits = Limits {
        max_in_flight: 2,
        timeout: secs(2.5),
    };
    let run = run("fetch_all with a slow page", net, &urls, limits, pending);
    check_outcomes(
        &run,
        &urls,
        &[
            Outcome::TimedOut,
            Outcome::Fetched("a".into()),
            Outcome::Fetched("b".into()),
            Outcome::Fetched("c".into()),
        ],
        limits,
    );
    assert_eq!(
        run.net.dropped(),
        vec!["slow".to_string()],
        "the slow request should be given up (dropped) at its timeout, and nothing else"
    );
    assert_eq!(
        run.took,
        secs(3.0),
        "the slow page times out at 2.5s and the others are done at 3s, so fetch_all should \
         return after 3s, not {:?}",
        run.took
    );
}

#[test]
fn the_timeout_starts_when_the_request_is_sent() {
    let net = Network::builder()
        .page("a", secs(1.0), "a")
        .page("b", secs(1.0), "b")
        .page("c", secs(1.0), "c")
        .build();
    let urls = ["a", "b", "c"];
    let limits = Limits {
        max_in_flight: 1,
        timeout: secs(1.5),
    };
    // One slot: c waits 2s for it, then its server answers in 1s, within the 1.5s timeout.
    let run = run("fetch_all through one slot", net, &urls, limits, pending);
    check_outcomes(
        &run,
        &urls,
        &["a", "b", "c"].map(|body| Outcome::Fetched(body.into())),
        limits,
    );
    assert_eq!(run.net.most_in_flight(), 1, "max_in_flight was 1");
}
