//! A bank whose accounts each have a lock of their own, so that transfers between different
//! accounts can run at the same time. A transfer needs two of those locks at once: that is where
//! deadlocks come from.

use std::collections::HashMap;
use std::error::Error;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::thread::{self, ThreadId};

/// Why a transfer was refused. A refused transfer changes no balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferError {
    /// There is no account with this id.
    UnknownAccount(usize),
    /// The paying account holds less than the amount.
    InsufficientFunds {
        account: usize,
        balance: u64,
        wanted: u64,
    },
    /// The payer and the payee are the same account.
    SameAccount(usize),
}

impl fmt::Display for TransferError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransferError::UnknownAccount(id) => write!(f, "there is no account {id}"),
            TransferError::InsufficientFunds {
                account,
                balance,
                wanted,
            } => write!(f, "account {account} holds {balance}, not {wanted}"),
            TransferError::SameAccount(id) => write!(f, "account {id} cannot pay itself"),
        }
    }
}

impl Error for TransferError {}

/// The accounts of a bank, numbered from 0, each behind its own `Mutex`.
pub struct Bank {
    accounts: Vec<Mutex<u64>>,
    // Given: do not remove. Only `Bank::with_lock_probe` turns it on.
    probe: Option<LockProbe>,
}

impl Bank {
    /// A bank with one account per entry of `balances`, holding that balance.
    pub fn new(balances: &[u64]) -> Bank {
        Bank {
            accounts: balances.iter().map(|&b| Mutex::new(b)).collect(),
            probe: None,
        }
    }

    /// Like [`Bank::new`], for a test in which exactly two threads use the bank: two transfers, or
    /// a transfer and a [`Bank::total`].
    ///
    /// [`Bank::pause_between_locks`] then waits until the other transfer thread has either taken
    /// a lock of its own or is waiting for a lock that this thread took. With the two locks taken
    /// in opposite orders, that makes the deadlock certain instead of rare.
    pub fn with_lock_probe(balances: &[u64]) -> Bank {
        Bank {
            probe: Some(LockProbe::default()),
            ..Bank::new(balances)
        }
    }

    /// Given: do not remove. Turns the lock probe off: a transfer that waits in
    /// [`Bank::pause_between_locks`] for the other thread goes on at once. The tests call it
    /// after a step timed out, so that a stuck transfer lets go of what it holds (unless it is
    /// stuck on an account's lock).
    pub fn release_lock_probe(&self) {
        if let Some(probe) = &self.probe {
            probe.release();
        }
    }

    /// How many accounts the bank has.
    pub fn account_count(&self) -> usize {
        self.accounts.len()
    }

    /// The balance of account `id`, or `None` if there is no such account.
    pub fn balance(&self, id: usize) -> Option<u64> {
        self.accounts.get(id).map(|account| *lock(account))
    }

    /// The sum of all balances, read as one consistent snapshot.
    ///
    /// It holds every account's lock at once while it adds them up. It takes them in order of
    /// account id, smallest first, which is why it can never deadlock with another `total`, nor
    /// with a transfer that takes its two locks in that same order.
    // Given: do not change.
    pub fn total(&self) -> u64 {
        let mut guards: Vec<MutexGuard<'_, u64>> = Vec::with_capacity(self.accounts.len());
        for id in 0..self.accounts.len() {
            guards.push(self.lock_account(id));
            if id == 0 {
                self.pause_between_locks();
            }
        }
        guards.iter().map(|balance| **balance).sum()
    }

    /// Moves `amount` from account `from` to account `to`, holding both accounts' locks so that
    /// nobody sees the money missing from one account and not yet in the other.
    ///
    /// The tests expect:
    /// - `Ok(())`, and both balances updated, when `from` holds at least `amount`;
    /// - `Err(TransferError::UnknownAccount(id))` if an account does not exist;
    /// - `Err(TransferError::InsufficientFunds { .. })` if `from` holds less than `amount`;
    /// - `Err(TransferError::SameAccount(id))` if `from == to`, returned at once;
    /// - no deadlock, however many threads transfer in whichever directions;
    /// - the locks are taken with `lock_account`, with `pause_between_locks` called between the
    ///   first and the second (the tests use them to make a bad lock order fail every time).
    pub fn transfer(&self, from: usize, to: usize, amount: u64) -> Result<(), TransferError> {
        self.check_exists(from)?;
        self.check_exists(to)?;

        // One thread cannot lock the same std Mutex twice (it would wait for itself forever),
        // so a self-transfer is refused before any lock is taken.
        if from == to {
            return Err(TransferError::SameAccount(from));
        }

        // Every transfer takes the lower id first, whichever way the money moves. Then no two
        // threads can each hold one of a pair of locks while waiting for the other: whoever
        // holds the lower lock is the only one who can go on to ask for the higher.
        let (low, high) = (from.min(to), from.max(to));
        let mut low_guard = self.lock_account(low);
        self.pause_between_locks(); // Given: do not remove (keep it between your two locks)
        let mut high_guard = self.lock_account(high);

        let (payer, payee) = if to == low {
            (&mut *low_guard, &mut *high_guard)
        } else {
            (&mut *high_guard, &mut *low_guard)
        };

        if *payer < amount {
            return Err(TransferError::InsufficientFunds {
                account: from,
                balance: *payer,
                wanted: amount,
            });
        }
        *payer -= amount;
        *payee += amount;
        Ok(())
    }

    fn check_exists(&self, id: usize) -> Result<(), TransferError> {
        if id < self.accounts.len() {
            Ok(())
        } else {
            Err(TransferError::UnknownAccount(id))
        }
    }

    // Given: do not remove. Locks one account; with the probe on, it also notes which thread
    // waits for which account and which thread got it.
    fn lock_account(&self, id: usize) -> MutexGuard<'_, u64> {
        if let Some(probe) = &self.probe {
            probe.update(|me| me.wants = Some(id));
        }
        let guard = lock(&self.accounts[id]);
        if let Some(probe) = &self.probe {
            probe.update(|me| {
                me.wants = None;
                me.has_held.push(id);
            });
        }
        guard
    }

    // Given: do not remove. Call it after taking the first of a transfer's two locks.
    //
    // Without the probe it only lets other threads run. With it, it waits until the other
    // transfer thread has taken a lock (with opposite lock orders both threads now hold one
    // lock and want the other's: a certain deadlock) or is waiting for a lock that this thread
    // holds (with one global order it is stuck behind us, so carrying on is safe). It never
    // decides anything by time.
    fn pause_between_locks(&self) {
        match &self.probe {
            Some(probe) => probe.wait_for_the_other_thread(),
            None => thread::yield_now(),
        }
    }
}

fn lock(account: &Mutex<u64>) -> MutexGuard<'_, u64> {
    account
        .lock()
        .expect("a thread panicked while it held an account's lock")
}

// Given: do not remove. What each thread that used `lock_account` is doing.
#[derive(Default)]
struct LockProbe {
    threads: Mutex<HashMap<ThreadId, Activity>>,
    changed: Condvar,
    released: AtomicBool,
}

#[derive(Default)]
struct Activity {
    /// The account whose lock this thread is waiting for.
    wants: Option<usize>,
    /// Every account whose lock this thread has taken so far.
    has_held: Vec<usize>,
}

impl LockProbe {
    fn update(&self, change: impl FnOnce(&mut Activity)) {
        let mut threads = self.threads.lock().expect("the lock probe is poisoned");
        change(threads.entry(thread::current().id()).or_default());
        self.changed.notify_all();
    }

    fn release(&self) {
        self.released.store(true, Ordering::SeqCst);
        // Under the lock, so that a thread about to wait cannot miss it.
        let _threads = self.threads.lock().expect("the lock probe is poisoned");
        self.changed.notify_all();
    }

    fn wait_for_the_other_thread(&self) {
        let me = thread::current().id();
        let threads = self.threads.lock().expect("the lock probe is poisoned");
        let _threads = self
            .changed
            .wait_while(threads, |threads| {
                if self.released.load(Ordering::SeqCst) {
                    return false; // the test gave up on this step
                }
                let Some(mine) = threads.get(&me) else {
                    return false; // this thread holds no lock: nothing to line up
                };
                if threads.len() < 2 {
                    return true; // the other transfer thread has not started yet
                }
                let others_ready = threads
                    .iter()
                    .filter(|(id, _)| **id != me)
                    .all(|(_, other)| {
                        !other.has_held.is_empty()
                            || other.wants.is_some_and(|id| mine.has_held.contains(&id))
                    });
                !others_ready
            })
            .expect("the lock probe is poisoned");
    }
}
