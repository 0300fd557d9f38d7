//! The page, checked as text: escaped, complete, and whole with control characters.

use super::*;
use crate::pipeline::course::Exercise;
use crate::pipeline::output::libtest::TestFailure;
use crate::pipeline::verdict::Verdict;

/// The page of a run without the sandbox.
fn render(submissions: &[Submission]) -> String {
    super::render(submissions, &Status::Off)
}
use std::path::PathBuf;
use std::time::Duration;

fn checked(number: u32, name: &str, verdict: Verdict) -> Checked {
    Checked {
        exercise: Exercise {
            number,
            name: name.to_string(),
            dir: PathBuf::from(format!("exercises/{number:02}_{name}")),
            title: format!("The <{name}> exercise"),
            skill: String::new(),
            points: 10,
            time_limit: Duration::from_secs(1),
            hints: vec!["a hint".into()],
        },
        verdict,
        runs: Vec::new(),
    }
}

fn graded(label: &str, checked: Vec<Checked>) -> Submission {
    Submission {
        label: label.to_string(),
        outcome: Ok(Graded {
            checked,
            ignored_changes: vec!["changed: tests/<b>x</b>.rs".into()],
            missing_files: Vec::new(),
        }),
    }
}

fn failed(message: &str) -> Verdict {
    Verdict::Failed(vec![TestFailure {
        name: "a_test".into(),
        message: message.into(),
    }])
}

#[test]
fn submission_text_is_escaped_everywhere() {
    let page = render(&[
        graded(
            "subs/<img src=x onerror=alert(1)>",
            vec![
                checked(1, "sum", Verdict::Passed),
                checked(
                    2,
                    "count",
                    failed("</pre><script>alert(\"pwned\")</script>\nmore"),
                ),
            ],
        ),
        Submission {
            label: "subs/\"quoted\" & 'single'".into(),
            outcome: Err("no <exercises> here".into()),
        },
    ]);
    for raw in [
        "<script>alert",
        "<img",
        "</pre><script>",
        "<b>x</b>",
        "<exercises>",
        "<sum>",
    ] {
        assert!(!page.contains(raw), "{raw} is not escaped:\n{page}");
    }
    assert!(page.contains("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;"));
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(page.contains("&quot;quoted&quot; &amp; 'single'"));
    assert!(page.contains("The &lt;sum&gt; exercise"));
    // The page's own script is the only one, and it carries the policy's nonce.
    assert_eq!(page.matches("<script").count(), 1);
    let nonce = page
        .split("script-src 'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy");
    assert_eq!(nonce.len(), 32);
    assert!(page.contains(&format!("<script nonce=\"{nonce}\">")));
}

#[test]
fn control_characters_cannot_break_the_page() {
    let page = render(&[graded(
        "a",
        vec![checked(
            1,
            "sum",
            failed("bell \u{7} escape \u{1b}[31m red"),
        )],
    )]);
    assert!(!page.contains('\u{7}') && !page.contains('\u{1b}'));
}

#[test]
fn the_grid_has_a_cell_per_verdict_and_a_pass_rate_row() {
    let page = render(&[
        graded(
            "subs/alice",
            vec![
                checked(1, "sum", Verdict::Passed),
                checked(2, "count", Verdict::Passed),
            ],
        ),
        graded(
            "subs/bob",
            vec![
                checked(1, "sum", Verdict::Passed),
                checked(2, "count", failed("wrong")),
            ],
        ),
    ]);
    assert!(page.contains("<title>Grades</title>"));
    assert_eq!(page.matches("class=\"v passed\" data-ex").count(), 3);
    assert_eq!(page.matches("class=\"v failed\" data-ex").count(), 1);
    assert!(page.contains("class=\"rate good\""));
    // Bob's count is the class's weakest point.
    assert!(page.contains("class=\"rate fair lowest\""));
    assert!(page.contains(">50%<"));
    // The shared folder is shown once, the rows keep the names.
    assert!(page.contains("in <code>subs/</code>"));
    assert!(page.contains(">alice</button>"));
    assert!(page.contains("<strong>1</strong> fully solved"));
    assert!(page.contains("<strong>15.0</strong> / 20"));
}

#[test]
fn a_class_with_no_gradable_submission_still_renders() {
    let page = render(&[Submission {
        label: "nothing".into(),
        outcome: Err("not a folder".into()),
    }]);
    assert!(page.contains("none could be graded"));
    assert!(page.contains("<p class=\"sandbox off\">Sandbox: off (--sandbox=off)"));
    assert!(page.contains("could not be graded: not a folder"));
    assert!(page.contains("</html>"));
}

#[test]
fn the_common_folder_is_a_whole_folder() {
    assert_eq!(common_folder(&["subs/alice", "subs/alan"]), "subs/");
    assert_eq!(common_folder(&["a/x/1", "a/x/2", "a/y"]), "a/");
    assert_eq!(common_folder(&["alice", "alan"]), "");
    assert_eq!(common_folder(&["subs/alice"]), "");
    assert_eq!(common_folder(&["subs/", "subs/alice"]), "");
    assert_eq!(common_folder(&["dé/é1", "dé/é2"]), "dé/");
}
