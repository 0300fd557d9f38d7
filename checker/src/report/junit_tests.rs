//! The JUnit report stays valid XML 1.0 whatever the submissions print.

use super::*;
use crate::pipeline::course::Exercise;
use crate::pipeline::grade::Graded;
use crate::pipeline::output::libtest::TestFailure;
use crate::pipeline::verdict::{Checked, Verdict};
use std::path::PathBuf;
use std::time::Duration;

fn checked(name: &str, verdict: Verdict) -> Checked {
    Checked {
        exercise: Exercise {
            number: 1,
            name: name.to_string(),
            dir: PathBuf::from(format!("exercises/01_{name}")),
            title: "Sum".into(),
            skill: String::new(),
            points: 10,
            time_limit: Duration::from_secs(1),
            hints: Vec::new(),
        },
        verdict,
        runs: Vec::new(),
    }
}

#[test]
fn control_characters_and_ansi_escapes_leave_valid_xml() {
    let hostile = "\u{1b}[31mred\u{1b}[0m bell\u{7} nul\u{0} back\u{8} <b>&\"'</b> ]]> end";
    let submissions = [
        Submission {
            label: format!("subs/eve {hostile}"),
            outcome: Ok(Graded {
                checked: vec![
                    checked("sum", Verdict::Passed),
                    checked(
                        "count",
                        Verdict::Failed(vec![TestFailure {
                            name: "counts".into(),
                            message: format!("wrong total: {hostile}\nsecond line {hostile}"),
                        }]),
                    ),
                    checked("hang", Verdict::Crashed(format!("killed: {hostile}"))),
                    checked(
                        "cut",
                        Verdict::Incomplete(format!("ended early: {hostile}")),
                    ),
                ],
                ignored_changes: Vec::new(),
                missing_files: Vec::new(),
            }),
        },
        Submission {
            label: "subs/gone".into(),
            outcome: Err(format!("not a copy of the course: {hostile}")),
        },
    ];
    let xml = junit(&submissions, &Status::Off);
    // A strict XML 1.0 parser reads it whole.
    let document = roxmltree::Document::parse(&xml)
        .unwrap_or_else(|e| panic!("the JUnit report is not valid XML ({e}):\n{xml}"));
    for c in ['\u{1b}', '\u{7}', '\u{0}', '\u{8}'] {
        assert!(!xml.contains(c), "{c:?} is in the report:\n{xml}");
    }
    // What is left of the hostile text is the text itself, escaped, not markup.
    let failure = document
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .expect("a failure element");
    assert_eq!(failure.attribute("type"), Some("failed"));
    let message = failure.attribute("message").expect("a message");
    assert!(message.contains("wrong total: red bell"), "{message}");
    assert!(message.contains("<b>&\"'</b> ]]> end"), "{message}");
    assert_eq!(
        document
            .descendants()
            .filter(|n| n.has_tag_name("testsuite"))
            .count(),
        2
    );
    assert!(document.descendants().all(|n| !n.has_tag_name("b")));
    let warning = document
        .descendants()
        .find(|n| n.has_tag_name("system-err"))
        .and_then(|n| n.text())
        .expect("a warning for the tests that did not all run");
    assert!(
        warning.starts_with("warning: cut: its tests did not all run"),
        "{warning}"
    );
    let error = document
        .descendants()
        .find(|n| n.has_tag_name("error"))
        .expect("an error for the folder that is no copy of the course");
    assert_eq!(error.attribute("type"), Some("unreadable"));
}
