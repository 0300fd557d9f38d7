//! A record of every step that timed out, in a file that the checker names.
//!
//! A step's timeout reaches the checker as the test's failure message, which libtest prints on
//! stdout once the tests are done. A thread of the learner's that prints in a loop keeps
//! printing there meanwhile, and the checker keeps only the start and the end of such a flood:
//! the message can be lost in between, and a timeout would then look like any other failure,
//! depending on how the threads happened to run. This file is out of the flood's reach.

use std::fs::OpenOptions;
use std::io::Write;
use std::thread;

/// The variable that names the file. Unset (as under `cargo test`), nothing is recorded.
pub const ENV: &str = "TESTKIT_TIMEOUT_LOG";

/// Ends each record: a line of its own holding only an ASCII record separator, which no
/// message contains.
const END: &str = "\n\u{1e}\n";

/// Appends the timeout `message` of the current test (named by its thread, as libtest names
/// each test's thread) to the log, if there is one. One write per record, so that the records
/// of tests that time out at the same moment do not interleave.
pub(crate) fn record(message: &str) {
    let Some(path) = std::env::var_os(ENV) else {
        return;
    };
    let test = thread::current().name().unwrap_or_default().to_string();
    let record = format!("{test}\n{message}{END}");
    let written = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut file| file.write_all(record.as_bytes()));
    // The message still goes out as the test's panic: a log that cannot be written only takes
    // away the safety net.
    drop(written);
}

/// The records of a log, in the order they were written: (test, message).
pub fn read(log: &str) -> Vec<(String, String)> {
    log.split(END)
        .filter_map(|record| {
            let (test, message) = record.split_once('\n')?;
            Some((test.to_string(), message.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_whole_with_their_lines() {
        let log = format!(
            "a::one\ntimed out: `x`\nwhere each thread waits{END}a::two\ntimed out: `y`{END}"
        );
        assert_eq!(
            read(&log),
            [
                (
                    "a::one".to_string(),
                    "timed out: `x`\nwhere each thread waits".to_string()
                ),
                ("a::two".to_string(), "timed out: `y`".to_string()),
            ]
        );
        assert!(read("").is_empty());
    }
}
