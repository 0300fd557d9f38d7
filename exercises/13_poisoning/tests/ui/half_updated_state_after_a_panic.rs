// In C++ or Java you can catch an exception that was thrown half-way through an update and go on
// using the half-updated data: here, a batch of readings that got its first value but never the
// rest. Nothing warns you. Rust's `catch_unwind` only takes closures that are `UnwindSafe`, and a
// closure holding a `&mut` to data outside it is not, because after the panic you could see that
// data half-updated (E0277). A `Mutex` guards against the same thing at run time, by poisoning.
// If you have checked that the data stays valid, you say so with `AssertUnwindSafe`.
use std::panic;

fn main() {
    let mut batch: Vec<u64> = Vec::new();
    let result = panic::catch_unwind(|| {
        batch.push(1);
        panic!("the sensor went away before the rest of the batch");
    });
    println!("{result:?} {batch:?}");
}
