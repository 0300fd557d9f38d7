//! Alternative solution for 24_futures_basics: `read_with_retry` as a `for` loop over the
//! attempts, `warmest` with `tokio::try_join!` (which stops at the first `Err`), and the log line
//! built before the await. Same public API as the reference solution.

mod station;

pub use station::{Log, Offline, READ_TIME, Station, WRITE_TIME};

use std::time::Duration;

pub const RETRY_PAUSE: Duration = Duration::from_millis(500);

pub async fn log_reading(station: &Station, log: &Log) -> Result<(), Offline> {
    let line = match station.read().await {
        Ok(tenths) => format!("{}: {}", station.name(), tenths),
        Err(offline) => return Err(offline),
    };
    let write = log.append(line);
    write.await;
    Ok(())
}

pub async fn read_with_retry(station: &Station, attempts: u32) -> Result<i32, Offline> {
    let attempts = attempts.max(1);
    for attempt in 1..=attempts {
        if attempt > 1 {
            tokio::time::sleep(RETRY_PAUSE).await;
        }
        if let Ok(tenths) = station.read().await {
            return Ok(tenths);
        }
    }
    Err(Offline)
}

pub async fn warmest(a: &Station, b: &Station) -> Result<i32, Offline> {
    let (a, b) = tokio::try_join!(a.read(), b.read())?;
    Ok(std::cmp::max(a, b))
}
