//! The course's disk (not yours to edit): the store's actor saves every change here. Each save
//! takes a little time on the runtime's clock, and the tests can hold the disk to make saves
//! wait, which is how they see whether requests pile up without end.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::sleep;

/// How long one save takes on the runtime's clock.
pub const SAVE_TIME: Duration = Duration::from_millis(10);

#[derive(Debug)]
pub struct Disk {
    saved: Mutex<Vec<(String, u32)>>,
    free: Arc<Semaphore>,
}

impl Disk {
    pub fn new() -> Arc<Disk> {
        Arc::new(Disk {
            saved: Mutex::new(Vec::new()),
            free: Arc::new(Semaphore::new(1)),
        })
    }

    /// Saves the new count of `item`. Waits while the disk is held.
    pub async fn save(&self, item: &str, count: u32) {
        let turn = self.free.acquire().await.expect("the disk is never closed");
        drop(turn);
        sleep(SAVE_TIME).await;
        self.saved
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((item.to_string(), count));
    }

    /// Every save so far, in order.
    pub fn saved(&self) -> Vec<(String, u32)> {
        self.saved.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// For the tests: saves wait until the returned guard is dropped.
    pub async fn hold(&self) -> OwnedSemaphorePermit {
        Arc::clone(&self.free)
            .acquire_owned()
            .await
            .expect("the disk is never closed")
    }
}
