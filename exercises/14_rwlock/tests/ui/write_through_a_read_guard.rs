// With C++'s `std::shared_mutex`, holding the read lock (`std::shared_lock`) does not stop you
// from writing to the data. Several readers hold that lock at once, so two of them writing is a
// data race, and it compiles without a word. Rust's read guard, `RwLockReadGuard`, implements
// `Deref` but not `DerefMut`: through it you get `&T`, never `&mut T` (E0596).
use std::sync::RwLock;

fn main() {
    let prices = RwLock::new(vec![100, 250]);
    let guard = prices.read().unwrap();
    guard.push(300);
    println!("{:?}", *guard);
}
