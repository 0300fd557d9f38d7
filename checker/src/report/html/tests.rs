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
    assert!(page.contains("&quot;quoted&quot; &amp; &#39;single&#39;"));
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

/// The branches of the templates the other tests do not take: a class that passes everything,
/// more than five weakest exercises, a submission graded on fewer exercises than the course
/// has, warnings, missing files, and details that only repeat the reason.
#[test]
fn every_branch_of_the_templates_renders() {
    let all: Vec<Checked> = (1..=7)
        .map(|n| checked(n, &format!("e{n}"), Verdict::Passed))
        .collect();
    let page = render(&[graded("subs/alice", all.clone()), graded("subs/bob", all)]);
    assert!(page.contains("Every graded submission passes every exercise."));
    assert!(page.contains("<strong>2</strong> fully solved"));
    assert!(
        !page.contains("class=\"checks\""),
        "nothing to list as not passed"
    );

    let failing: Vec<Checked> = (1..=7)
        .map(|n| checked(n, &format!("e{n}"), failed("wrong")))
        .collect();
    let mut short = Submission {
        label: "subs/carol".into(),
        outcome: Ok(Graded {
            checked: vec![
                checked(1, "e1", Verdict::Incomplete("it ended early".into())),
                checked(2, "e2", failed("same\n  words")),
            ],
            ignored_changes: Vec::new(),
            missing_files: vec!["exercises/03_e3/src/lib.rs".into()],
        }),
    };
    let page = render(&[graded("subs/alice", failing), short]);
    assert!(page.contains("Where the class struggles: <strong>01 e1</strong>, "));
    assert!(page.contains("<strong>05 e5</strong>, 2 more (0% pass)"));
    // Carol was graded on two of seven exercises: five cells say so.
    assert_eq!(
        page.matches("<td class=\"v error\"><span aria-hidden=\"true\">–</span><span class=\"sr\">not graded</span></td>").count(),
        5
    );
    assert!(
        page.contains("<strong>Warnings</strong> (1, tests that did not all run earn nothing):")
    );
    assert!(page.contains("<strong>Missing files</strong> (1, the starting version was graded):"));
    assert!(page.contains("<li><code>exercises/03_e3/src/lib.rs</code></li>"));
    // Only Carol's second failure has more to say than its reason ("same"): one fold.
    assert_eq!(page.matches("<summary>full output</summary>").count(), 1);
    assert!(page.contains("<pre>a_test:\n    same\n      words</pre>"));

    short = Submission {
        label: "subs/dave".into(),
        outcome: Err(String::new()),
    };
    let page = render(&[short]);
    assert!(page.contains("<tr class=\"row ungradable\">"));
    assert!(page.contains("Could not be graded: </p>"));
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
