//! A price list that many threads read all the time and a few threads change now and then.

use std::collections::HashMap;
use std::sync::RwLock;

/// Prices in cents, by product name.
pub type Prices = HashMap<String, u64>;

/// A read-mostly price list, shared between threads (put it in an `Arc`).
#[derive(Debug, Default)]
pub struct PriceList {
    // Readers share the lock; a writer waits until they are gone and then has it alone.
    prices: RwLock<Prices>,
}

impl PriceList {
    /// An empty price list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs `read` while holding the list locked for reading, and returns what `read` returns.
    ///
    /// Any number of `read_with` calls, on any number of threads, must be able to run at the
    /// same time. Only a writer keeps them out.
    pub fn read_with<R>(&self, read: impl FnOnce(&Prices) -> R) -> R {
        // A read guard only derefs to `&Prices`, so readers cannot change the list by mistake.
        let prices = self.prices.read().unwrap();
        read(&prices)
    }

    /// Like [`PriceList::read_with`], but never waits: returns `None` at once if it cannot get
    /// a read lock right now (because a writer holds the list).
    pub fn try_read_with<R>(&self, read: impl FnOnce(&Prices) -> R) -> Option<R> {
        Some(read(&self.prices.read().unwrap()))
    }

    /// Runs `write` with the list to itself: while it runs, no reader and no other writer can
    /// get in. Returns what `write` returns.
    pub fn write_with<R>(&self, write: impl FnOnce(&mut Prices) -> R) -> R {
        let mut prices = self.prices.write().unwrap();
        write(&mut prices)
    }

    /// The price of `product` in cents, if it has one.
    pub fn get(&self, product: &str) -> Option<u64> {
        self.read_with(|prices| prices.get(product).copied())
    }

    /// Sets the price of `product`, and returns its old price, if it had one.
    pub fn set(&self, product: &str, cents: u64) -> Option<u64> {
        self.write_with(|prices| prices.insert(product.to_string(), cents))
    }
}
