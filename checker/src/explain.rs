//! Course-specific words for the compiler errors learners meet in a concurrency course. rustc's
//! own text says what is wrong; these say what it means for threads and what to try.

use crate::compile::CompileError;

/// A short explanation of `error`, if it is one the course knows.
pub fn explain(error: &CompileError) -> Option<&'static str> {
    let code = error.code.as_deref()?;
    let message = error.message.as_str();
    Some(match code {
        "E0373" => {
            "A spawned thread may outlive the function that spawned it, so its closure cannot borrow the function's locals. Add `move` to give the thread its own copy (or ownership), or use `std::thread::scope` when the threads must end before the function returns."
        }
        "E0382" => {
            "The value was moved (into a thread's closure, or down a channel) and is no longer yours to use. Clone it before the move, share it through an `Arc`, or get it back from the thread through `join`."
        }
        "E0277" if message.contains("cannot be sent between threads safely") => {
            "Only `Send` types may cross to another thread. `Rc` and raw pointers are not `Send`: use `Arc` (and `Mutex` for mutation) for data that threads share."
        }
        "E0277" if message.contains("cannot be shared between threads safely") => {
            "Sharing `&T` between threads needs `T: Sync`. `Cell` and `RefCell` are not `Sync`: use `Mutex`, `RwLock` or an atomic type instead."
        }
        "E0596" => {
            "You are mutating through a shared reference (an `Arc<T>` gives only `&T`). Put the data behind a `Mutex` or `RwLock`, or use an atomic, and mutate through the lock's guard."
        }
        "E0499" => {
            "Two mutable borrows at once: with threads, that would be two threads writing the same data. Give each thread its own part (`chunks_mut`, `split_at_mut`) or put the data behind a `Mutex`."
        }
        "E0502" => {
            "The data is borrowed mutably while it is also borrowed to read, for example by a scoped thread. Finish the reading threads first (end the scope), then mutate."
        }
        "E0597" => {
            "A borrowed value does not live long enough: a thread or a guard may still use it after it is dropped. Move the value into the thread, or keep it alive in an outer scope (for example with `thread::scope`)."
        }
        "E0505" => {
            "The value is moved while something still borrows it (a thread, a guard, an iterator). End the borrow first, or clone what the thread needs."
        }
        "E0716" => {
            "A temporary is dropped while still borrowed: bind the value (for example the `MutexGuard`) to a variable with `let` so it lives long enough."
        }
        _ => return None,
    })
}
