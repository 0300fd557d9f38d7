//! Whether a test executable's report is whole: the only ground for a pass.
//!
//! A process that exits 0 has not necessarily run a test: a learner's `std::process::exit(0)`,
//! or lines printed to imitate libtest's, would otherwise earn the points. So a run passes
//! only when libtest itself accounted for every test that the executable lists:
//! - every listed test is in libtest's log file (which the learner's prints never reach),
//!   exactly once, and no other name is;
//! - libtest's closing summary is on stdout, with counts that agree with the log;
//! - the process then exited by itself, with the code that goes with those results.

use crate::pipeline::output::libtest::{Logged, Outcome, Summary};
use std::collections::BTreeMap;

/// What a run's report amounts to.
#[derive(Debug, PartialEq, Eq)]
pub enum Whole {
    /// Every listed test ran and passed.
    Passed,
    /// Every listed test ran; these failed (in name order).
    Failed(Vec<String>),
    /// The report is not whole: why, in words for the learner (first line: what happened).
    Broken(String),
}

/// Judges one run from its listed tests, libtest's log, the summary read from stdout, and the
/// exit code of a process that exited by itself.
pub fn judge(listed: &[String], logged: &[Logged], summary: &Summary, code: i32) -> Whole {
    let mut reported: BTreeMap<&str, Vec<Outcome>> = BTreeMap::new();
    for entry in logged {
        reported.entry(&entry.name).or_default().push(entry.outcome);
    }
    if let Some(stranger) = reported
        .keys()
        .find(|name| !listed.iter().any(|l| l == *name))
    {
        return Whole::Broken(format!(
            "the test report names a test that does not exist, `{stranger}`, so it is not \
             libtest's own report. Only tests that really ran can pass."
        ));
    }
    if let Some((twice, _)) = reported.iter().find(|(_, outcomes)| outcomes.len() > 1) {
        return Whole::Broken(format!(
            "the test report gives test `{twice}` more than once, so it is not libtest's own \
             report. Only tests that really ran can pass."
        ));
    }
    let failed: Vec<String> = reported
        .iter()
        .filter(|(_, outcomes)| outcomes[0] == Outcome::Failed)
        .map(|(name, _)| name.to_string())
        .collect();
    let finished = reported.len();
    if finished < listed.len() {
        return Whole::Broken(ended_early(finished, listed.len(), code, &failed));
    }
    if let Some((skipped, _)) = reported
        .iter()
        .find(|(_, outcomes)| outcomes[0] == Outcome::Ignored)
    {
        return Whole::Broken(format!(
            "test `{skipped}` was skipped, so it shows nothing. Every test of the course must run."
        ));
    }
    let passed = finished - failed.len();
    if !summary.completed || summary.passed != passed || summary.failed != failed.len() {
        return Whole::Broken(format!(
            "the test process ended before libtest printed its summary, with exit code {code}. \
             Does your code call `std::process::exit`? Tests can only pass if they are allowed \
             to finish."
        ));
    }
    if !failed.is_empty() {
        return Whole::Failed(failed);
    }
    if code != 0 {
        return Whole::Broken(format!(
            "every test passed, but then the test process exited with code {code}, which \
             libtest never does after a pass: does a thread of yours call \
             `std::process::exit`?"
        ));
    }
    Whole::Passed
}

fn ended_early(finished: usize, total: usize, code: i32, failed: &[String]) -> String {
    let tests = if total == 1 { "test" } else { "tests" };
    let mut why = format!(
        "the test process ended after {finished} of {total} {tests}, with exit code {code}. Does \
         your code call `std::process::exit`? Tests can only pass if they are allowed to finish."
    );
    if !failed.is_empty() {
        why.push_str(&format!(
            "\nBefore it ended, these failed: {}.",
            failed
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    why
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|n| n.to_string()).collect()
    }

    fn log(entries: &[(&str, Outcome)]) -> Vec<Logged> {
        entries
            .iter()
            .map(|(name, outcome)| Logged {
                name: name.to_string(),
                outcome: *outcome,
            })
            .collect()
    }

    fn summary(passed: usize, failed: usize) -> Summary {
        Summary {
            completed: true,
            passed,
            failed,
            ..Summary::default()
        }
    }

    const OK: Outcome = Outcome::Ok;
    const FAILED: Outcome = Outcome::Failed;

    #[test]
    fn a_whole_report_of_passes_and_exit_0_passes() {
        let listed = names(&["a", "b"]);
        let logged = log(&[("b", OK), ("a", OK)]);
        assert_eq!(judge(&listed, &logged, &summary(2, 0), 0), Whole::Passed);
    }

    #[test]
    fn a_whole_report_with_failures_names_them() {
        let listed = names(&["a", "b", "c"]);
        let logged = log(&[("c", FAILED), ("a", OK), ("b", FAILED)]);
        assert_eq!(
            judge(&listed, &logged, &summary(1, 2), 101),
            Whole::Failed(names(&["b", "c"]))
        );
    }

    #[test]
    fn exit_0_before_any_test_ran_is_an_early_end() {
        let listed = names(&["a", "b", "c", "d", "e"]);
        let Whole::Broken(why) = judge(&listed, &[], &Summary::default(), 0) else {
            panic!("must not pass");
        };
        assert!(
            why.starts_with("the test process ended after 0 of 5 tests, with exit code 0. Does your code call `std::process::exit`?"),
            "{why}"
        );
    }

    #[test]
    fn a_summary_printed_by_the_learner_does_not_make_up_for_missing_tests() {
        let listed = names(&["a", "b"]);
        let logged = log(&[("a", OK)]);
        let Whole::Broken(why) = judge(&listed, &logged, &summary(2, 0), 0) else {
            panic!("must not pass");
        };
        assert!(
            why.starts_with("the test process ended after 1 of 2 tests"),
            "{why}"
        );
    }

    #[test]
    fn failures_before_an_early_end_are_named_too() {
        let listed = names(&["a", "b", "c"]);
        let logged = log(&[("a", FAILED)]);
        let Whole::Broken(why) = judge(&listed, &logged, &Summary::default(), 1) else {
            panic!("must not pass");
        };
        assert!(why.contains("with exit code 1"), "{why}");
        assert!(
            why.ends_with("Before it ended, these failed: `a`."),
            "{why}"
        );
    }

    #[test]
    fn unknown_and_duplicate_names_are_not_libtests_report() {
        let listed = names(&["a"]);
        let unknown = log(&[("a", OK), ("zzz", OK)]);
        assert!(matches!(
            judge(&listed, &unknown, &summary(2, 0), 0),
            Whole::Broken(why) if why.contains("`zzz`")
        ));
        let twice = log(&[("a", OK), ("a", OK)]);
        assert!(matches!(
            judge(&listed, &twice, &summary(1, 0), 0),
            Whole::Broken(why) if why.contains("`a` more than once")
        ));
    }

    #[test]
    fn a_missing_or_disagreeing_summary_is_not_a_pass() {
        let listed = names(&["a", "b"]);
        let logged = log(&[("a", OK), ("b", OK)]);
        for summary in [Summary::default(), summary(3, 0), summary(1, 1)] {
            assert!(matches!(
                judge(&listed, &logged, &summary, 0),
                Whole::Broken(why) if why.starts_with("the test process ended before libtest printed its summary")
            ));
        }
    }

    #[test]
    fn an_exit_code_that_does_not_go_with_a_pass_is_not_a_pass() {
        let listed = names(&["a"]);
        let logged = log(&[("a", OK)]);
        assert!(matches!(
            judge(&listed, &logged, &summary(1, 0), 3),
            Whole::Broken(why) if why.contains("exited with code 3")
        ));
    }

    #[test]
    fn a_skipped_test_is_not_a_pass() {
        let listed = names(&["a"]);
        let logged = log(&[("a", Outcome::Ignored)]);
        assert!(matches!(
            judge(&listed, &logged, &summary(0, 0), 0),
            Whole::Broken(why) if why.contains("`a` was skipped")
        ));
    }

    #[test]
    fn an_executable_without_tests_passes_its_empty_report() {
        assert_eq!(judge(&[], &[], &summary(0, 0), 0), Whole::Passed);
    }
}
