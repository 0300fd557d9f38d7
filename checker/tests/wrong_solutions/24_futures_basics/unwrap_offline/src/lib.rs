//! Weather from slow stations: `async fn`, `.await` and `join!`, all on one thread.
//!
//! Every call to a station or to the log takes time on the runtime's clock (see
//! `src/station.rs`). Your functions decide what waits for what.

mod station;

pub use station::{Log, Offline, READ_TIME, Station, WRITE_TIME};

use std::time::Duration;

/// How long [`read_with_retry`] waits after a failed attempt before it tries again.
pub const RETRY_PAUSE: Duration = Duration::from_millis(500);

/// Reads `station` and writes one line, `"<name>: <tenths>"`, to `log`.
///
/// An offline station is reported as `Err(Offline)`, and then nothing is written.
pub async fn log_reading(station: &Station, log: &Log) -> Result<(), Offline> {
    let tenths = station.read().await?;
    // `append` is an `async fn`: calling it only builds a future. The write happens when that
    // future is awaited (polled to completion); dropped unawaited, it never happens at all.
    log.append(format!("{}: {tenths}", station.name())).await;
    Ok(())
}

/// Reads `station`, making up to `attempts` attempts (at least one) while it is offline, with
/// [`RETRY_PAUSE`] between two attempts and no pause after the last. Returns the first
/// temperature read, or `Err(Offline)` when every attempt failed.
pub async fn read_with_retry(station: &Station, attempts: u32) -> Result<i32, Offline> {
    let mut attempt = 1;
    loop {
        match station.read().await {
            Ok(tenths) => return Ok(tenths),
            Err(offline) if attempt >= attempts => return Err(offline),
            Err(_) => {
                // tokio's sleep gives the thread back to the runtime while it waits, so other
                // futures run meanwhile. `std::thread::sleep` would block the whole thread.
                tokio::time::sleep(RETRY_PAUSE).await;
                attempt += 1;
            }
        }
    }
}

/// The higher temperature of the two stations, in tenths of a degree, with both read at once:
/// the whole takes one [`READ_TIME`], not two. `Err(Offline)` if either station is offline.
pub async fn warmest(a: &Station, b: &Station) -> Result<i32, Offline> {
    // `join!` polls both futures on this one thread: while one waits for its station, the other
    // makes progress, so the two reads overlap. Awaiting them in turn would take twice as long.
    let (a, b) = tokio::join!(a.read(), b.read());
    Ok(a.unwrap().max(b.unwrap()))
}
