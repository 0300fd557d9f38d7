use pipeline::{Entry, Level, keep_serious, number, parse, run};
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use testkit::{STEP_LIMIT, within_or_explain};

const SHUTDOWN_HINT: &str = "some stage is still waiting for input. A loop over a `Receiver` ends \
only when EVERY `Sender` of that channel has been dropped: does `run` still hold a `Sender` \
(an original you cloned for a stage) while it waits in `join`?";

/// Runs one stage whose next stage has hung up, and names the mistake if it panics.
fn calmly(stage: &str, run_stage: impl FnOnce()) {
    if panic::catch_unwind(AssertUnwindSafe(run_stage)).is_err() {
        panic!(
            "`{stage}` panicked when the next stage had hung up: a failed `send` means nobody \
             will read the rest, which is how a pipeline stops from the back. Return quietly \
             (`if out.send(x).is_err() {{ return; }}`) instead of unwrapping the send"
        );
    }
}

fn lines(text: &[&str]) -> Vec<String> {
    text.iter().map(|line| line.to_string()).collect()
}

#[test]
fn the_pipeline_keeps_warnings_and_errors_in_order() {
    let log = lines(&[
        "INFO service started",
        "WARN disk 81% full",
        "this line is not a log entry",
        "ERROR cannot open config.toml",
        "INFO request served",
        "",
        "WARN disk 95% full",
        "DEBUG not a level we know",
        "ERROR disk full",
    ]);
    let report = within_or_explain(STEP_LIMIT, "the whole pipeline", SHUTDOWN_HINT, move || {
        run(log)
    });
    assert_eq!(
        report,
        lines(&[
            "1. WARN disk 81% full",
            "2. ERROR cannot open config.toml",
            "3. WARN disk 95% full",
            "4. ERROR disk full",
        ]),
        "the report should number the WARN and ERROR entries from 1, in the order of the log"
    );
}

#[test]
fn the_pipeline_shuts_down_on_an_empty_log() {
    let report = within_or_explain(
        STEP_LIMIT,
        "the pipeline on an empty log",
        SHUTDOWN_HINT,
        || run(Vec::new()),
    );
    assert!(
        report.is_empty(),
        "an empty log gives an empty report, got {report:?}"
    );
}

#[test]
fn each_stage_ends_when_its_input_closes() {
    let (entries, serious, report) = within_or_explain(
        STEP_LIMIT,
        "each stage on its own",
        "a stage should return as soon as its input channel is closed",
        || {
            // Stage 1: its input is closed before it starts, so it must return.
            let (line_tx, line_rx) = mpsc::channel();
            for line in ["ERROR boom", "nonsense", "INFO fine"] {
                line_tx.send(line.to_string()).unwrap();
            }
            drop(line_tx);
            let (entry_tx, entry_rx) = mpsc::channel();
            parse(line_rx, entry_tx);
            // `parse` took the only Sender and has returned, so this ends.
            let entries: Vec<Entry> = entry_rx.into_iter().collect();

            // Stage 2, fed with what stage 1 made.
            let (in_tx, in_rx) = mpsc::channel();
            for entry in &entries {
                in_tx.send(entry.clone()).unwrap();
            }
            drop(in_tx);
            let (out_tx, out_rx) = mpsc::channel();
            keep_serious(in_rx, out_tx);
            let serious: Vec<Entry> = out_rx.into_iter().collect();

            // Stage 3.
            let (in_tx, in_rx) = mpsc::channel();
            for entry in &serious {
                in_tx.send(entry.clone()).unwrap();
            }
            drop(in_tx);
            (entries, serious, number(in_rx))
        },
    );
    let boom = Entry {
        level: Level::Error,
        message: "boom".to_string(),
    };
    let fine = Entry {
        level: Level::Info,
        message: "fine".to_string(),
    };
    assert_eq!(
        entries,
        vec![boom.clone(), fine],
        "`parse` should skip the line it cannot read"
    );
    assert_eq!(
        serious,
        vec![boom],
        "`keep_serious` should drop the INFO entry"
    );
    assert_eq!(report, lines(&["1. ERROR boom"]));
}

#[test]
fn a_stage_stops_quietly_when_the_next_one_hangs_up() {
    within_or_explain(
        STEP_LIMIT,
        "stages with nobody downstream",
        "a stage whose `send` fails should return, not wait for more input",
        || {
            // The input stays open (we keep `line_tx`), so only the failed send can end these.
            let (line_tx, line_rx) = mpsc::channel();
            line_tx
                .send("ERROR nobody is listening".to_string())
                .unwrap();
            let (entry_tx, entry_rx) = mpsc::channel::<Entry>();
            drop(entry_rx);
            calmly("parse", move || parse(line_rx, entry_tx));

            let (in_tx, in_rx) = mpsc::channel();
            in_tx
                .send(Entry {
                    level: Level::Warn,
                    message: "nobody is listening".to_string(),
                })
                .unwrap();
            let (out_tx, out_rx) = mpsc::channel::<Entry>();
            drop(out_rx);
            calmly("keep_serious", move || keep_serious(in_rx, out_tx));
            drop((line_tx, in_tx));
        },
    );
}
