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
    // TODO (1): the tests find the log empty after this function returned. This line looks
    // right, yet nothing is written: what does calling an `async fn` give you, and when does
    // its body run? (The compiler's warning on this line is a clue.)
    log.append(format!("{}: {tenths}", station.name()));
    Ok(())
}

/// Reads `station`, making up to `attempts` attempts (at least one) while it is offline, with
/// [`RETRY_PAUSE`] between two attempts and no pause after the last. Returns the first
/// temperature read, or `Err(Offline)` when every attempt failed.
pub async fn read_with_retry(station: &Station, attempts: u32) -> Result<i32, Offline> {
    // TODO (2): this makes one attempt only. Try again while the station is offline, up to
    // `attempts` attempts in all, and wait RETRY_PAUSE between two attempts, on the runtime's
    // clock: other futures on this thread must be able to run while you wait.
    let _ = attempts;
    station.read().await
}

/// The higher temperature of the two stations, in tenths of a degree, with both read at once:
/// the whole takes one [`READ_TIME`], not two. `Err(Offline)` if either station is offline.
pub async fn warmest(a: &Station, b: &Station) -> Result<i32, Offline> {
    // TODO (3): read both stations at the same time (not one after the other) and return the
    // higher temperature. An offline station is an `Err`, not a panic.
    let _ = (a, b);
    todo!("read both stations at once with `tokio::join!` and return the higher temperature")
}
