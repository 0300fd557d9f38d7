//! The course's office equipment. Do not edit: the tests use it to see how your service uses it.
//!
//! - [`AuditLog`]: an async log whose every write takes a while, and which counts how many
//!   writes are in progress at once.
//! - [`Printer`]: prints a job in steps (`begin`, one `page` each, `end`), each an `.await`;
//!   it notices when the steps of two jobs are mixed up.
//! - [`Hasher`]: a CPU-heavy, blocking checksum. A gated one ([`Hasher::gated`]) blocks until the
//!   test opens its [`Gate`], which the test can only do if the runtime is free to run it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

/// How long one printer step takes.
pub const PRINTER_STEP: Duration = Duration::from_millis(100);

/// An async audit log. Cloning it gives another handle to the same log.
#[derive(Clone)]
pub struct AuditLog {
    inner: Arc<AuditInner>,
}

struct AuditInner {
    write_takes: Duration,
    entries: Mutex<Vec<(String, u64)>>,
    writing: AtomicUsize,
    most_at_once: AtomicUsize,
}

impl AuditLog {
    /// A log whose every [`write`](AuditLog::write) takes `write_takes`.
    pub fn new(write_takes: Duration) -> Self {
        AuditLog {
            inner: Arc::new(AuditInner {
                write_takes,
                entries: Mutex::new(Vec::new()),
                writing: AtomicUsize::new(0),
                most_at_once: AtomicUsize::new(0),
            }),
        }
    }

    /// Writes "`doc` has been viewed `views` times". Takes a while; many writes may be in
    /// progress at once.
    pub async fn write(&self, doc: &str, views: u64) {
        let now = self.inner.writing.fetch_add(1, Ordering::SeqCst) + 1;
        self.inner.most_at_once.fetch_max(now, Ordering::SeqCst);
        let _done = Decrement(&self.inner.writing);
        tokio::time::sleep(self.inner.write_takes).await;
        lock(&self.inner.entries).push((doc.to_string(), views));
    }

    /// Every entry written so far, in the order the writes finished.
    pub fn entries(&self) -> Vec<(String, u64)> {
        lock(&self.inner.entries).clone()
    }

    /// The most writes that were in progress at the same moment.
    pub fn most_writes_at_once(&self) -> usize {
        self.inner.most_at_once.load(Ordering::SeqCst)
    }
}

struct Decrement<'a>(&'a AtomicUsize);

impl Drop for Decrement<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A printer. A job is `begin(doc)`, then `page(text)` for each page, then `end()`; each step
/// takes [`PRINTER_STEP`]. Steps of two jobs must not be mixed: whoever begins a job must have
/// the printer to itself until its `end`.
pub struct Printer {
    tray: Tray,
}

/// What came out of a [`Printer`], for the tests. Cloning it gives another view of the same tray.
#[derive(Clone, Default)]
pub struct Tray {
    state: Arc<Mutex<TrayState>>,
}

#[derive(Default)]
struct TrayState {
    open: Option<String>,
    printed: Vec<String>,
    mix_ups: Vec<String>,
}

impl Default for Printer {
    fn default() -> Self {
        Self::new()
    }
}

impl Printer {
    pub fn new() -> Self {
        Printer {
            tray: Tray::default(),
        }
    }

    /// A view of what this printer prints, which stays with the test when the printer moves.
    pub fn tray(&self) -> Tray {
        self.tray.clone()
    }

    /// Starts a job for `doc`.
    pub async fn begin(&mut self, doc: &str) {
        {
            let mut state = lock(&self.tray.state);
            if let Some(open) = &state.open {
                let problem = format!("`begin {doc}` came while the job `{open}` was still open");
                state.mix_ups.push(problem);
            }
            state.open = Some(doc.to_string());
            state.printed.push(format!("begin {doc}"));
        }
        tokio::time::sleep(PRINTER_STEP).await;
    }

    /// Prints one page of the open job.
    pub async fn page(&mut self, text: &str) {
        {
            let mut state = lock(&self.tray.state);
            if state.open.is_none() {
                let problem = format!("the page `{text}` came with no job open");
                state.mix_ups.push(problem);
            }
            state.printed.push(format!("page {text}"));
        }
        tokio::time::sleep(PRINTER_STEP).await;
    }

    /// Ends the open job.
    pub async fn end(&mut self) {
        {
            let mut state = lock(&self.tray.state);
            if state.open.take().is_none() {
                state
                    .mix_ups
                    .push("`end` came with no job open".to_string());
            }
            state.printed.push("end".to_string());
        }
        tokio::time::sleep(PRINTER_STEP).await;
    }
}

impl Tray {
    /// Every step printed, in order: `begin faq`, `page f1`, …, `end`.
    pub fn printed(&self) -> Vec<String> {
        lock(&self.state).printed.clone()
    }

    /// Each time the steps of two jobs were mixed up, what the printer noticed.
    pub fn mix_ups(&self) -> Vec<String> {
        lock(&self.state).mix_ups.clone()
    }
}

/// A CPU-heavy checksum. Cloning it gives another handle to the same hasher (and gate).
#[derive(Clone, Default)]
pub struct Hasher {
    gate: Option<Arc<GateInner>>,
}

/// Opens a gated [`Hasher`]'s checksums, for the tests.
pub struct Gate {
    inner: Arc<GateInner>,
}

struct GateInner {
    started: Notify,
    open: Mutex<bool>,
    opened: Condvar,
}

impl Hasher {
    /// A hasher that computes at once.
    pub fn new() -> Self {
        Hasher { gate: None }
    }

    /// A hasher whose `checksum` blocks its thread until the [`Gate`] is opened.
    pub fn gated() -> (Self, Gate) {
        let inner = Arc::new(GateInner {
            started: Notify::new(),
            open: Mutex::new(false),
            opened: Condvar::new(),
        });
        let hasher = Hasher {
            gate: Some(Arc::clone(&inner)),
        };
        (hasher, Gate { inner })
    }

    /// The checksum of `data` (FNV-1a). **Blocking and CPU-heavy**: it keeps the thread that
    /// calls it busy until it is done, so it must not run on a thread that async tasks share.
    pub fn checksum(&self, data: &[u8]) -> u64 {
        if let Some(gate) = &self.gate {
            gate.started.notify_one();
            let mut open = lock(&gate.open);
            while !*open {
                open = gate.opened.wait(open).unwrap_or_else(|e| e.into_inner());
            }
        }
        data.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    }
}

impl Gate {
    /// Waits until a checksum has started and is blocked at the gate.
    pub async fn started(&self) {
        self.inner.started.notified().await;
    }

    /// Lets every checksum through, now and later.
    pub fn open(&self) {
        *lock(&self.inner.open) = true;
        self.inner.opened.notify_all();
    }
}

/// The office's own locks are never held across an `.await`, and nothing panics while holding
/// one; a poisoned one still has good data.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
