//! Exercise 28, another way: the printer belongs to a task of its own (an actor) that takes
//! whole jobs from a channel, the counts are updated in a plain (not async) function, and the checksum runs
//! on a thread of its own that answers through a oneshot channel.

pub mod office;

pub use office::{AuditLog, Gate, Hasher, PRINTER_STEP, Printer, Tray};

use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::{mpsc, oneshot};

struct Job {
    doc: String,
    pages: Vec<String>,
    done: oneshot::Sender<()>,
}

pub struct Service {
    views: Mutex<HashMap<String, u64>>,
    jobs: mpsc::Sender<Job>,
    audit: AuditLog,
    hasher: Hasher,
}

impl Service {
    pub fn new(audit: AuditLog, mut printer: Printer, hasher: Hasher) -> Self {
        let (jobs, mut queue) = mpsc::channel::<Job>(8);
        tokio::spawn(async move {
            while let Some(job) = queue.recv().await {
                printer.begin(&job.doc).await;
                for page in &job.pages {
                    printer.page(page).await;
                }
                printer.end().await;
                let _ = job.done.send(());
            }
        });
        Service {
            views: Mutex::new(HashMap::new()),
            jobs,
            audit,
            hasher,
        }
    }

    /// A plain function can never hold a guard across an `.await`: it has none.
    fn bump(&self, doc: &str) -> u64 {
        let mut counts = self.views.lock().unwrap();
        let count = counts.entry(doc.to_owned()).or_default();
        *count += 1;
        *count
    }

    pub async fn record_view(&self, doc: &str) -> u64 {
        let views = self.bump(doc);
        self.audit.write(doc, views).await;
        views
    }

    pub async fn print(&self, doc: &str, pages: &[&str]) {
        let (done, printed) = oneshot::channel();
        let job = Job {
            doc: doc.to_owned(),
            pages: pages.iter().map(|page| page.to_string()).collect(),
            done,
        };
        self.jobs.send(job).await.expect("the printer task is gone");
        printed.await.expect("the printer task is gone");
    }

    pub async fn checksum(&self, data: Vec<u8>) -> u64 {
        let (tx, rx) = oneshot::channel();
        let hasher = self.hasher.clone();
        std::thread::spawn(move || {
            let _ = tx.send(hasher.checksum(&data));
        });
        rx.await.expect("the checksum thread panicked")
    }
}
