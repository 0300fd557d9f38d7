//! Course-specific words for the compiler errors learners meet in a concurrency course. rustc's
//! own text says what is wrong; these say what it means for threads and what to try.
//!
//! One error code can have different causes that need different fixes (E0277 is "a trait is
//! not implemented", whatever the trait and type), so an explanation is chosen by the
//! situation that rustc's message names: which type, and which trait.

use crate::pipeline::output::cargo::CompileError;

/// A short explanation of `error`, if it is one the course knows.
pub fn explain(error: &CompileError) -> Option<String> {
    let code = error.code.as_deref()?;
    let message = error.message.as_str();
    let text = match code {
        "E0373" => {
            "A spawned thread may outlive the function that spawned it, so its closure cannot borrow the function's locals. Add `move` to give the thread its own copy (or ownership), or use `std::thread::scope` when the threads must end before the function returns."
        }
        "E0382" => {
            "The value was moved (into a thread's closure, or down a channel) and is no longer yours to use. Clone it before the move, share it through an `Arc`, or get it back from the thread through `join`."
        }
        "E0277" => return explain_missing_trait(message, &error.rendered),
        "E0308" | "E0369" | "E0599" | "E0609" if mentions_a_future(message, &error.rendered) => {
            "An `async fn` returns a future: a value that will be computed when it is awaited, not the value itself. Add `.await` where you need the result (inside an `async` block or function)."
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
            "A borrowed value does not live long enough: a thread, a task or a guard may still use it after it is dropped. Move the value into the thread (or task), or keep it alive in an outer scope (for example with `thread::scope`)."
        }
        "E0505" => {
            "The value is moved while something still borrows it (a thread, a guard, an iterator). End the borrow first, or clone what the thread needs."
        }
        "E0716" => {
            "A temporary is dropped while still borrowed: bind the value (for example the `MutexGuard`) to a variable with `let` so it lives long enough."
        }
        _ => return None,
    };
    Some(text.to_string())
}

/// E0277, "the trait bound is not satisfied", by the trait and the type it names.
fn explain_missing_trait(message: &str, rendered: &str) -> Option<String> {
    if message.contains("unwind boundary") || rendered.contains("UnwindSafe") {
        return Some("`catch_unwind` takes only closures that are `UnwindSafe`, and the compiler cannot tell whether a boxed job is: it cannot see what the job captures. You know the job shares nothing that a panic could leave half-changed, so say so: `catch_unwind(AssertUnwindSafe(job))`.".to_string());
    }
    if message.starts_with("future cannot be") {
        return Some("A task spawned on a multi-threaded runtime may move between threads at every `.await`, so its future must be `Send`. Something it holds across an `.await` is not: an `Rc`, a `RefCell` borrow, or a `std::sync::MutexGuard`. End that value's scope (or `drop` it) before the `.await`, or use `Arc` and `tokio::sync::Mutex`.".to_string());
    }
    let sent = message.contains("cannot be sent between threads safely");
    let shared = message.contains("cannot be shared between threads safely");
    if !sent && !shared {
        return None;
    }
    let type_name = named_type(message).unwrap_or_default();
    if is_type_parameter(&type_name) {
        let parameter = type_name.trim_start_matches('&');
        return Some(if shared {
            format!(
                "`{parameter}` is a type parameter, so the compiler knows only what its bounds promise. Threads that share one `{parameter}` (through `&{parameter}`) need `{parameter}: Sync`: add it to the bounds, next to the `Fn(...)` bound."
            )
        } else {
            format!(
                "`{parameter}` is a type parameter, so the compiler knows only what its bounds promise. To move a `{parameter}` into a thread, add `Send` to its bounds. With scoped threads you can share it instead: `let {lower} = &{lower};` before spawning, then each thread moves in only the reference (which needs `{parameter}: Sync`).",
                lower = parameter.to_lowercase()
            )
        });
    }
    if type_name.contains("MutexGuard")
        || type_name.contains("RwLock") && type_name.contains("Guard")
    {
        return Some("A lock's guard must be released on the thread that took the lock, so it may not move to another thread (or be held across an `.await` in a spawned task). Take what you need out of it and drop it first: end its scope, or call `drop(guard)`.".to_string());
    }
    Some(if shared {
        "Sharing `&T` between threads needs `T: Sync`. `Cell` and `RefCell` are not `Sync`: use `Mutex`, `RwLock` or an atomic type instead.".to_string()
    } else {
        "Only `Send` types may cross to another thread. `Rc` and raw pointers are not `Send`: use `Arc` (and `Mutex` for mutation) for data that threads share.".to_string()
    })
}

/// The type in "`Rc<String>` cannot be sent between threads safely".
fn named_type(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(message[start..end].to_string())
}

/// `F`, `T`, `&F`: a generic parameter, whose bounds are the learner's to choose.
fn is_type_parameter(type_name: &str) -> bool {
    let name = type_name.trim_start_matches('&');
    !name.is_empty()
        && name.len() <= 2
        && name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

fn mentions_a_future(message: &str, rendered: &str) -> bool {
    message.contains("Future")
        || message.contains("future")
        || ["found future", "returns a future", "impl Future"]
            .iter()
            .any(|clue| rendered.contains(clue))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(code: &str, message: &str, rendered: &str) -> CompileError {
        CompileError {
            code: Some(code.into()),
            message: message.into(),
            file: None,
            line: None,
            source_line: None,
            rendered: rendered.into(),
        }
    }

    fn explained(code: &str, message: &str, rendered: &str) -> String {
        explain(&error(code, message, rendered)).unwrap_or_default()
    }

    #[test]
    fn an_rc_sent_to_a_thread_is_told_to_use_arc() {
        let text = explained(
            "E0277",
            "`Rc<String>` cannot be sent between threads safely",
            "",
        );
        assert!(text.contains("use `Arc`"), "{text}");
    }

    #[test]
    fn a_generic_parameter_is_told_about_bounds_not_arc() {
        let text = explained("E0277", "`F` cannot be sent between threads safely", "");
        assert!(text.starts_with("`F` is a type parameter"), "{text}");
        assert!(text.contains("let f = &f;"), "{text}");
        assert!(!text.contains("Arc"), "{text}");
        let shared = explained("E0277", "`F` cannot be shared between threads safely", "");
        assert!(shared.contains("`F: Sync`"), "{shared}");
    }

    #[test]
    fn catch_unwind_of_a_boxed_job_is_told_about_assert_unwind_safe() {
        let text = explained(
            "E0277",
            "the type `(dyn FnOnce() + Send + 'static)` may contain interior mutability and a reference may not be safely transferrable across a catch_unwind boundary",
            "note: required for `Box<dyn FnOnce() + Send>` to implement `UnwindSafe`",
        );
        assert!(text.contains("AssertUnwindSafe(job)"), "{text}");
    }

    #[test]
    fn a_guard_or_an_rc_across_an_await_is_told_to_end_its_scope() {
        let future = explained("E0277", "future cannot be sent between threads safely", "");
        assert!(future.contains("before the `.await`"), "{future}");
        let guard = explained(
            "E0277",
            "`MutexGuard<'_, i32>` cannot be sent between threads safely",
            "",
        );
        assert!(guard.contains("drop(guard)"), "{guard}");
    }

    #[test]
    fn a_future_used_as_its_value_is_told_to_await_it() {
        let text = explained(
            "E0308",
            "mismatched types",
            "expected `u32`, found future\n  = note: calling an async function returns a future",
        );
        assert!(text.contains("`.await`"), "{text}");
        assert_eq!(
            explain(&error(
                "E0308",
                "mismatched types",
                "expected `u32`, found `i64`"
            )),
            None
        );
    }
}
