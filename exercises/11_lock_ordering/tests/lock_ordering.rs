use lock_ordering::{Bank, TransferError};
use std::panic;
use std::sync::Arc;
use std::thread;
use testkit::{STEP_LIMIT, within, within_or_explain};

const LOCK_ORDER_HINT: &str = "probable deadlock from lock order: the transfer 0 -> 1 holds \
     account 0 and waits for account 1, while the transfer 1 -> 0 holds account 1 and waits for \
     account 0. Take the two locks in one global order (the smaller account id first), whichever \
     way the money moves.";

/// Runs `step`; if it fails (a timeout, most likely), turns `bank`'s lock probe off before the
/// failure goes on, so that a transfer stuck in the probe lets go of what it holds and other
/// tests are not stuck behind it.
fn releasing_the_probe_on_failure<T>(bank: &Bank, step: impl FnOnce() -> T) -> T {
    match panic::catch_unwind(panic::AssertUnwindSafe(step)) {
        Ok(value) => value,
        Err(failure) => {
            bank.release_lock_probe();
            panic::resume_unwind(failure)
        }
    }
}

const ONE_LOCK_HINT: &str = "transfers between different accounts were serialised by one lock: \
     the transfer 0 -> 1 held its first account and waited for the transfer 2 -> 3 to take one of \
     its own, but that transfer never got to lock an account. Lock only the two accounts that a \
     transfer needs, with no lock around the whole transfer: transfers between other accounts \
     must keep running at the same time.";

/// Two threads transfer between different accounts, 0 -> 1 and 2 -> 3, on a bank whose lock
/// probe makes each wait, between its two locks, until the other has taken a lock too. They can
/// only both finish if they hold their account locks at the same time: one lock around every
/// transfer makes them wait for each other forever. Returns the bank and both results.
fn disjoint_transfers() -> (
    Arc<Bank>,
    Result<(), TransferError>,
    Result<(), TransferError>,
) {
    let bank = Arc::new(Bank::with_lock_probe(&[100, 100, 100, 100]));
    let shared = Arc::clone(&bank);
    let (first, second) = releasing_the_probe_on_failure(&bank, || {
        within_or_explain(
            STEP_LIMIT,
            "transfers 0 -> 1 and 2 -> 3 on two threads",
            ONE_LOCK_HINT,
            move || {
                let bank = Arc::clone(&shared);
                let first = thread::spawn(move || bank.transfer(0, 1, 10));
                let second = thread::spawn(move || shared.transfer(2, 3, 20));
                (
                    first.join().expect("the transfer 0 -> 1 panicked"),
                    second.join().expect("the transfer 2 -> 3 panicked"),
                )
            },
        )
    });
    (bank, first, second)
}

/// Two threads transfer in opposite directions between accounts 0 and 1 of a bank whose lock
/// probe makes a bad lock order deadlock every time. Returns the bank and both results.
///
/// First it checks that transfers between different accounts run at the same time, so that
/// one lock around every transfer (which cannot deadlock here either) gets its own message.
fn opposite_transfers() -> (
    Arc<Bank>,
    Result<(), TransferError>,
    Result<(), TransferError>,
) {
    let _ = disjoint_transfers();
    let bank = Arc::new(Bank::with_lock_probe(&[100, 100]));
    let shared = Arc::clone(&bank);
    let (there, back) = releasing_the_probe_on_failure(&bank, || {
        within_or_explain(
            STEP_LIMIT,
            "transfers 0 -> 1 and 1 -> 0 on two threads",
            LOCK_ORDER_HINT,
            move || {
                let bank = Arc::clone(&shared);
                let there = thread::spawn(move || bank.transfer(0, 1, 30));
                let back = thread::spawn(move || shared.transfer(1, 0, 50));
                (
                    there.join().expect("the transfer 0 -> 1 panicked"),
                    back.join().expect("the transfer 1 -> 0 panicked"),
                )
            },
        )
    });
    (bank, there, back)
}

#[test]
fn opposite_transfers_on_two_threads_both_finish() {
    let (bank, there, back) = opposite_transfers();
    assert_eq!(
        there,
        Ok(()),
        "the transfer of 30 from 0 to 1 should succeed"
    );
    assert_eq!(
        back,
        Ok(()),
        "the transfer of 50 from 1 to 0 should succeed"
    );
    assert_eq!(
        (bank.balance(0), bank.balance(1)),
        (Some(120), Some(80)),
        "after 0 -> 1 (30) and 1 -> 0 (50), starting from 100 each, the balances are wrong: \
         did you swap the payer and the payee when you reordered the locks?"
    );
}

#[test]
fn transfers_between_different_accounts_run_at_the_same_time() {
    let (bank, first, second) = disjoint_transfers();
    assert_eq!(
        (first, second),
        (Ok(()), Ok(())),
        "the transfers 0 -> 1 (10) and 2 -> 3 (20) should both succeed"
    );
    let balances: Vec<Option<u64>> = (0..4).map(|id| bank.balance(id)).collect();
    assert_eq!(
        balances,
        [Some(90), Some(110), Some(80), Some(120)],
        "after 0 -> 1 (10) and 2 -> 3 (20), starting from 100 each, the balances are wrong"
    );
}

/// A tiny deterministic random number generator (a 64-bit LCG), so that every run makes the
/// same transfers.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[test]
fn money_is_conserved_under_many_random_transfers() {
    // First the two-thread case, which deadlocks for certain with a bad lock order: without it
    // this test could pass by luck.
    let _ = opposite_transfers();

    const ACCOUNTS: usize = 6;
    const THREADS: u64 = 4;
    const TRANSFERS: usize = 250;
    // Every transfer yields between its two locks, and on one busy core each yield can cost a
    // whole time slice: this step gets room for that. It only has to end, not to be fast.
    const BUSY_LIMIT: std::time::Duration = std::time::Duration::from_secs(10);
    const START: u64 = 1_000;
    let bank = Arc::new(Bank::new(&[START; ACCOUNTS]));

    let shared = Arc::clone(&bank);
    let done: Vec<Vec<(usize, usize, u64)>> = within_or_explain(
        BUSY_LIMIT,
        "4 threads making random transfers",
        LOCK_ORDER_HINT,
        move || {
            let handles: Vec<_> = (0..THREADS)
                .map(|seed| {
                    let bank = Arc::clone(&shared);
                    thread::spawn(move || {
                        let mut rng = Lcg(seed * 7_919 + 1);
                        let mut done = Vec::new();
                        for _ in 0..TRANSFERS {
                            let from = rng.below(ACCOUNTS as u64) as usize;
                            let step = 1 + rng.below(ACCOUNTS as u64 - 1) as usize;
                            let to = (from + step) % ACCOUNTS; // never `from` itself
                            let amount = 1 + rng.below(300);
                            match bank.transfer(from, to, amount) {
                                Ok(()) => done.push((from, to, amount)),
                                Err(TransferError::InsufficientFunds { .. }) => {}
                                Err(other) => panic!(
                                    "transfer {from} -> {to} of {amount} failed with {other:?}; \
                                     only InsufficientFunds is possible here"
                                ),
                            }
                        }
                        done
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a transfer thread panicked"))
                .collect()
        },
    );

    let total = within(STEP_LIMIT, "Bank::total", {
        let bank = Arc::clone(&bank);
        move || bank.total()
    });
    assert_eq!(
        total,
        START * ACCOUNTS as u64,
        "money was created or destroyed: a transfer must take from one account exactly what it \
         gives to the other, while it holds both locks"
    );

    // Replay every successful transfer: each account must end where its own history says.
    let mut expected = [START as i64; ACCOUNTS];
    for &(from, to, amount) in done.iter().flatten() {
        expected[from] -= amount as i64;
        expected[to] += amount as i64;
    }
    for (id, want) in expected.iter().enumerate() {
        assert_eq!(
            bank.balance(id).map(|b| b as i64),
            Some(*want),
            "account {id} does not match the transfers that reported Ok: did you swap the payer \
             and the payee when you reordered the locks? The payer is debited and the payee \
             credited, both while their locks are held."
        );
    }
}

#[test]
fn transfers_move_money_and_refuse_what_they_cannot_do() {
    let bank = within(STEP_LIMIT, "transfers on one thread", || {
        let bank = Bank::new(&[100, 50, 0]);
        assert_eq!(
            bank.transfer(0, 2, 40),
            Ok(()),
            "0 -> 2 (40) should succeed"
        );
        assert_eq!(
            bank.transfer(2, 1, 15),
            Ok(()),
            "2 -> 1 (15) should succeed"
        );
        assert!(
            matches!(
                bank.transfer(1, 0, 500),
                Err(TransferError::InsufficientFunds { account: 1, .. })
            ),
            "account 1 cannot pay 500: expected InsufficientFunds for account 1"
        );
        assert_eq!(
            bank.transfer(0, 3, 1),
            Err(TransferError::UnknownAccount(3)),
            "there is no account 3"
        );
        assert_eq!(
            bank.transfer(3, 0, 1),
            Err(TransferError::UnknownAccount(3)),
            "there is no account 3"
        );
        bank
    });
    let balances: Vec<Option<u64>> = (0..3).map(|id| bank.balance(id)).collect();
    assert_eq!(
        balances,
        [Some(60), Some(65), Some(25)],
        "after 0 -> 2 (40) and 2 -> 1 (15) from [100, 50, 0], and refused transfers that must \
         change nothing, the balances are wrong"
    );
    assert_eq!(bank.balance(3), None, "there is no account 3");
}

#[test]
fn a_transfer_to_the_same_account_is_refused_without_deadlock() {
    let result = within_or_explain(
        STEP_LIMIT,
        "transfer 1 -> 1",
        "a thread that locks a std Mutex it already holds waits for itself forever (the lock \
         is not re-entrant), and sorting the ids does not help when both are the same. Check \
         `from == to` before you take any lock.",
        || {
            let bank = Bank::new(&[10, 20]);
            (bank.transfer(1, 1, 5), bank.balance(1))
        },
    );
    assert_eq!(
        result,
        (Err(TransferError::SameAccount(1)), Some(20)),
        "a transfer from account 1 to itself should be refused with SameAccount(1) and leave \
         its balance at 20"
    );
}

#[test]
fn while_a_transfer_runs_total_still_finishes() {
    // `total` locks every account from the smallest id up, and pauses after its first lock just
    // like a transfer. A transfer 1 -> 0 that takes the larger id first then holds account 1 and
    // waits for account 0, which `total` holds while it waits for account 1: a certain deadlock.
    let bank = Arc::new(Bank::with_lock_probe(&[100, 100]));
    let shared = Arc::clone(&bank);
    let (moved, total) = releasing_the_probe_on_failure(&bank, || {
        within_or_explain(
            STEP_LIMIT,
            "a transfer 1 -> 0 and `total` on two threads",
            "probable deadlock between a transfer and `total`: `total` locks the accounts from \
             the smallest id up, so a transfer must take its two locks in that same order, the \
             smaller account id first, whichever way the money moves.",
            move || {
                let bank = Arc::clone(&shared);
                let transfer = thread::spawn(move || bank.transfer(1, 0, 25));
                let total = thread::spawn(move || shared.total());
                (
                    transfer.join().expect("the transfer 1 -> 0 panicked"),
                    total.join().expect("`total` panicked"),
                )
            },
        )
    });
    assert_eq!(
        moved,
        Ok(()),
        "the transfer of 25 from 1 to 0 should succeed"
    );
    assert_eq!(
        total, 200,
        "`total` saw money missing or doubled: a transfer must hold both accounts' locks while it \
         moves the money"
    );
    assert_eq!(
        (bank.balance(0), bank.balance(1)),
        (Some(125), Some(75)),
        "after 1 -> 0 (25), starting from 100 each, the balances are wrong"
    );
}
