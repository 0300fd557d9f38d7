//! The class overview as one self-contained HTML page (no external assets, works offline).
//!
//! Everything is rendered here, server-side: a submission × exercise grid coloured by verdict,
//! the pass rate per exercise, and every submission's details, so the page reads (and prints)
//! without JavaScript. A small inline script adds sorting by column and folds each
//! submission's details away until its row is clicked.
//!
//! Submissions are untrusted: every path, message and detail is escaped, and a
//! Content-Security-Policy lets the page load nothing and run no script but its own.

use crate::pipeline::grade::{Graded, Submission};
use crate::pipeline::verdict::Checked;
use crate::platform::sandbox::Status;
use crate::report::grading::{self, xml as escape};
use std::fmt::Write;

/// The verdicts as the page shows them, in sorting order: key (a CSS class), symbol, words.
/// `error` stands for a submission that could not be graded.
const KINDS: [(&str, &str, &str); 6] = [
    ("passed", "✓", "passed"),
    ("failed", "✗", "failed"),
    ("compile_error", "⚙", "compile error"),
    ("timed_out", "◷", "timed out"),
    ("crashed", "↯", "crashed"),
    ("error", "–", "could not be graded"),
];

fn rank(key: &str) -> usize {
    KINDS
        .iter()
        .position(|(k, _, _)| *k == key)
        .unwrap_or(KINDS.len())
}

fn symbol(key: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map_or("?", |(_, s, _)| s)
}

pub fn render(submissions: &[Submission], sandbox: &Status) -> String {
    let exercises = grading::course_exercises(submissions);
    let max = grading::max_score(submissions);
    let rates = grading::pass_rates(submissions);
    let labels: Vec<&str> = submissions.iter().map(|s| s.label.as_str()).collect();
    let folder = common_folder(&labels);
    let nonce = nonce();

    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\" class=\"no-js\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-{nonce}'; base-uri 'none'; form-action 'none'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <meta name=\"generator\" content=\"checker grade --format html\">\n\
         <title>Grades</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>Grades</h1>\n"
    );
    summary(&mut out, submissions, exercises, &rates, max, folder);
    let _ = writeln!(
        out,
        "<p class=\"sandbox {}\">Sandbox: {}</p>",
        if sandbox.is_on() { "on" } else { "off" },
        escape(&sandbox.summary())
    );
    legend(&mut out);
    out.push_str("</header>\n<main>\n");
    let _ = writeln!(
        out,
        "<table id=\"grid\" class=\"grid\">\n<caption class=\"sr\">Verdict of every exercise for every submission; the last row gives each exercise's pass rate.</caption>"
    );
    grid_head(&mut out, exercises);
    for (index, submission) in submissions.iter().enumerate() {
        submission_rows(
            &mut out,
            index,
            submission,
            exercises,
            max,
            &submission.label[folder.len()..],
        );
    }
    rate_row(&mut out, submissions, exercises, &rates);
    out.push_str("</table>\n</main>\n");
    let _ = write!(
        out,
        "<script nonce=\"{nonce}\">{SCRIPT}</script>\n</body>\n</html>\n"
    );
    out
}

/// The numbers an instructor wants first, and where the class struggles.
fn summary(
    out: &mut String,
    submissions: &[Submission],
    exercises: &[Checked],
    rates: &[f64],
    max: u32,
    folder: &str,
) {
    let graded: Vec<&Submission> = submissions.iter().filter(|s| s.outcome.is_ok()).collect();
    let ungradable = submissions.len() - graded.len();
    let mut parts = vec![count(submissions.len(), "submission", "submissions")];
    if !folder.is_empty() {
        parts[0].push_str(&format!(" in <code>{}</code>", escape(folder)));
    }
    if graded.is_empty() {
        parts.push("none could be graded".to_string());
    } else {
        let mean = graded.iter().map(|s| f64::from(s.score())).sum::<f64>() / graded.len() as f64;
        parts.push(format!(
            "mean score <strong>{mean:.1}</strong> / {max}{}",
            if ungradable > 0 {
                " (of those graded)"
            } else {
                ""
            }
        ));
        let solved = graded
            .iter()
            .filter(|s| {
                s.outcome
                    .as_ref()
                    .is_ok_and(|g| g.checked.iter().all(|c| c.verdict.is_passed()))
            })
            .count();
        parts.push(format!("<strong>{solved}</strong> fully solved"));
    }
    if ungradable > 0 {
        parts.push(format!("<strong>{ungradable}</strong> could not be graded"));
    }
    let _ = writeln!(out, "<p class=\"summary\">{}</p>", parts.join(" · "));

    if graded.is_empty() || exercises.is_empty() {
        return;
    }
    let hardest = hardest(rates);
    if hardest.is_empty() {
        out.push_str("<p class=\"struggles\">Every graded submission passes every exercise.</p>\n");
    } else {
        let mut names: Vec<String> = hardest
            .iter()
            .take(5)
            .map(|&i| format!("<strong>{}</strong>", escape(&exercise_name(&exercises[i]))))
            .collect();
        if hardest.len() > 5 {
            names.push(format!("{} more", hardest.len() - 5));
        }
        let _ = writeln!(
            out,
            "<p class=\"struggles\">Where the class struggles: {} ({:.0}% pass)</p>",
            names.join(", "),
            rates[hardest[0]] * 100.0
        );
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("<strong>{n}</strong> {}", if n == 1 { one } else { many })
}

/// The exercises with the lowest pass rate, unless every exercise is always passed.
fn hardest(rates: &[f64]) -> Vec<usize> {
    let lowest = rates.iter().copied().fold(f64::INFINITY, f64::min);
    if lowest >= 1.0 {
        return Vec::new();
    }
    (0..rates.len()).filter(|&i| rates[i] <= lowest).collect()
}

fn exercise_name(checked: &Checked) -> String {
    format!("{:02} {}", checked.exercise.number, checked.exercise.name)
}

fn legend(out: &mut String) {
    out.push_str("<ul class=\"legend\" aria-label=\"Legend\">");
    for (key, symbol, words) in KINDS {
        let _ = write!(
            out,
            "<li><span class=\"chip v {key}\" aria-hidden=\"true\">{symbol}</span>{words}</li>"
        );
    }
    out.push_str(
        "<li class=\"how\">Click a row or a cell for details, a column header to sort.</li></ul>\n",
    );
}

fn grid_head(out: &mut String, exercises: &[Checked]) {
    out.push_str("<thead><tr>");
    out.push_str(
        "<th scope=\"col\" class=\"name\" data-first=\"asc\"><button type=\"button\" data-sort=\"name\">Submission</button></th>",
    );
    out.push_str(
        "<th scope=\"col\" class=\"score\" data-first=\"desc\"><button type=\"button\" data-sort=\"score\">Score</button></th>",
    );
    for (i, c) in exercises.iter().enumerate() {
        let _ = write!(
            out,
            "<th scope=\"col\" class=\"ex\" data-first=\"desc\" title=\"{title}\"><button type=\"button\" data-sort=\"e{i}\"><span class=\"label\"><span class=\"num\">{number:02}</span> {name}</span></button></th>",
            title = escape(&format!(
                "{}: {} ({} points)",
                exercise_name(c),
                c.exercise.title,
                c.exercise.points
            )),
            number = c.exercise.number,
            name = escape(&c.exercise.name),
        );
    }
    // An empty last column takes the width the grid does not need, so that the details of a
    // small course get room without stretching the grid.
    out.push_str("<th class=\"fill\" aria-hidden=\"true\"></th></tr></thead>\n");
}

/// One `<tbody>` per submission: its grid row and its details row, which sort together.
fn submission_rows(
    out: &mut String,
    index: usize,
    submission: &Submission,
    exercises: &[Checked],
    max: u32,
    shown: &str,
) {
    let columns = exercises.len();
    let score = match &submission.outcome {
        Ok(_) => i64::from(submission.score()),
        Err(_) => -1,
    };
    let _ = write!(
        out,
        "<tbody id=\"s{index}\" data-index=\"{index}\" data-name=\"{}\" data-score=\"{score}\"",
        escape(shown)
    );
    match &submission.outcome {
        Ok(graded) => {
            for i in 0..columns {
                let key = graded.checked.get(i).map_or("error", |c| c.verdict.key());
                let _ = write!(out, " data-e{i}=\"{}\"", rank(key));
            }
        }
        Err(_) => {
            for i in 0..columns {
                let _ = write!(out, " data-e{i}=\"{}\"", rank("error"));
            }
        }
    }
    out.push_str(">\n");

    let row_class = if submission.outcome.is_err() {
        "row ungradable"
    } else {
        "row"
    };
    let _ = write!(
        out,
        "<tr class=\"{row_class}\"><th scope=\"row\" class=\"name\"><button type=\"button\" class=\"toggle\" aria-expanded=\"false\" aria-controls=\"d{index}\" title=\"{label}\">{shown}</button></th>",
        label = escape(&submission.label),
        shown = escape(shown),
    );
    match &submission.outcome {
        Ok(graded) => {
            let full = graded.checked.iter().all(|c| c.verdict.is_passed());
            let _ = write!(
                out,
                "<td class=\"score{}\">{} <span class=\"of\">/ {max}</span></td>",
                if full { " full" } else { "" },
                submission.score()
            );
            for (i, c) in graded.checked.iter().enumerate().take(columns) {
                let key = c.verdict.key();
                let reason = c.verdict.reason();
                let tip = if reason.is_empty() {
                    format!("{}: {}", exercise_name(c), c.verdict.label())
                } else {
                    format!("{}: {}: {reason}", exercise_name(c), c.verdict.label())
                };
                let _ = write!(
                    out,
                    "<td class=\"v {key}\" data-ex=\"{i}\" title=\"{}\"><span aria-hidden=\"true\">{}</span><span class=\"sr\">{}</span></td>",
                    escape(&tip),
                    symbol(key),
                    c.verdict.label()
                );
            }
            for _ in graded.checked.len()..columns {
                out.push_str("<td class=\"v error\"><span aria-hidden=\"true\">–</span><span class=\"sr\">not graded</span></td>");
            }
            out.push_str("<td class=\"fill\"></td>");
        }
        Err(reason) => {
            let _ = write!(
                out,
                "<td class=\"score\">–</td><td class=\"v error wide\" colspan=\"{}\" title=\"{reason}\"><div class=\"clip\">could not be graded: {reason}</div></td>",
                columns + 1,
                reason = escape(reason)
            );
        }
    }
    out.push_str("</tr>\n");

    let _ = write!(
        out,
        "<tr class=\"detail\" id=\"d{index}\"><td colspan=\"{}\"><div class=\"panel\">",
        columns + 3
    );
    let _ = write!(
        out,
        "<p class=\"panel-head\"><code>{}</code>",
        escape(&submission.label)
    );
    match &submission.outcome {
        Ok(graded) => {
            let _ = write!(
                out,
                " <span class=\"points\">{} / {max} points</span></p>",
                submission.score()
            );
            details(out, graded);
        }
        Err(reason) => {
            let _ = write!(
                out,
                "</p><p class=\"error-msg\"><span class=\"chip v error\" aria-hidden=\"true\">–</span>Could not be graded: {}</p>",
                escape(reason)
            );
        }
    }
    out.push_str("</div></td></tr>\n</tbody>\n");
}

/// A graded submission's details: what did not pass and why, what passed, and the files
/// that were not taken as submitted.
fn details(out: &mut String, graded: &Graded) {
    let passed: Vec<(usize, &Checked)> = graded
        .checked
        .iter()
        .enumerate()
        .filter(|(_, c)| c.verdict.is_passed())
        .collect();
    if !passed.is_empty() {
        out.push_str("<p class=\"passed-list\"><span class=\"chip v passed\" aria-hidden=\"true\">✓</span>Passed: ");
        let items: Vec<String> = passed
            .iter()
            .map(|(i, c)| {
                format!(
                    "<span class=\"item\" data-ex=\"{i}\">{}</span>",
                    escape(&exercise_name(c))
                )
            })
            .collect();
        out.push_str(&items.join(", "));
        out.push_str("</p>");
    }
    let not_passed: Vec<(usize, &Checked)> = graded
        .checked
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.verdict.is_passed())
        .collect();
    if !not_passed.is_empty() {
        out.push_str("<ul class=\"checks\">");
        for (i, c) in not_passed {
            let key = c.verdict.key();
            let _ = write!(
                out,
                "<li class=\"item\" data-ex=\"{i}\"><p><span class=\"chip v {key}\" aria-hidden=\"true\">{}</span><strong>{}</strong> <span class=\"verdict {key}\">{}</span> <span class=\"pts\">0 / {}</span></p>",
                symbol(key),
                escape(&exercise_name(c)),
                c.verdict.label(),
                c.exercise.points
            );
            let reason = c.verdict.reason();
            if !reason.is_empty() {
                let _ = write!(out, "<p class=\"msg\">{}</p>", escape(&reason));
            }
            let details = c.verdict.details();
            if !details.is_empty() && squash(&details) != squash(&reason) {
                let _ = write!(
                    out,
                    "<details class=\"output\"><summary>full output</summary><pre>{}</pre></details>",
                    escape(&details)
                );
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    files(
        out,
        "Warnings",
        "tests that did not all run earn nothing",
        &graded.warnings(),
    );
    files(
        out,
        "Ignored changes",
        "graded with the course's own copy",
        &graded.ignored_changes,
    );
    files(
        out,
        "Missing files",
        "the starting version was graded",
        &graded.missing_files,
    );
}

/// The words of `text`, single-spaced: a detail that only re-indents the reason adds nothing.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn files(out: &mut String, title: &str, note: &str, files: &[String]) {
    if files.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<div class=\"files\"><p><strong>{title}</strong> ({}, {note}):</p><ul>",
        files.len()
    );
    for file in files {
        let _ = write!(out, "<li><code>{}</code></li>", escape(file));
    }
    out.push_str("</ul></div>");
}

/// The last row: the share of graded submissions that pass each exercise, lowest highlighted.
fn rate_row(out: &mut String, submissions: &[Submission], exercises: &[Checked], rates: &[f64]) {
    let graded: Vec<&Graded> = submissions
        .iter()
        .filter_map(|s| s.outcome.as_ref().ok())
        .collect();
    let mean = if graded.is_empty() {
        "–".to_string()
    } else {
        let total: u32 = submissions.iter().map(Submission::score).sum();
        format!("⌀ {:.1}", f64::from(total) / graded.len() as f64)
    };
    let _ = write!(
        out,
        "<tfoot><tr class=\"rates\"><th scope=\"row\" class=\"name\">Pass rate</th><td class=\"score\" title=\"mean score of the graded submissions\">{mean}</td>"
    );
    let hardest = hardest(rates);
    for (i, (c, rate)) in exercises.iter().zip(rates).enumerate() {
        let passed = graded
            .iter()
            .filter(|g| g.checked.get(i).is_some_and(|c| c.verdict.is_passed()))
            .count();
        let percent = rate * 100.0;
        let level = if *rate >= 0.8 {
            "good"
        } else if *rate >= 0.5 {
            "fair"
        } else {
            "poor"
        };
        let _ = write!(
            out,
            "<td class=\"rate {level}{}\" title=\"{}: {passed} of {} graded submissions pass\">{percent:.0}%<span class=\"bar\"><span style=\"width:{percent:.0}%\"></span></span></td>",
            if hardest.contains(&i) { " lowest" } else { "" },
            escape(&exercise_name(c)),
            graded.len()
        );
    }
    out.push_str("<td class=\"fill\"></td></tr></tfoot>\n");
}

/// The folder every label starts with (`submissions/`), shown once above the grid instead of
/// on every row. Empty unless there are at least two labels and each keeps a name of its own.
fn common_folder<'a>(labels: &[&'a str]) -> &'a str {
    let [first, rest @ ..] = labels else {
        return "";
    };
    if rest.is_empty() {
        return "";
    }
    let mut common = first.len();
    for label in rest {
        common = first
            .char_indices()
            .zip(label.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(common);
    }
    let folder = match first[..common].rfind(['/', '\\']) {
        Some(end) => &first[..=end],
        None => "",
    };
    if labels.iter().any(|l| l.len() == folder.len()) {
        return "";
    }
    folder
}

/// A fresh nonce for the Content-Security-Policy: a student cannot know it when writing a
/// submission, so no script of theirs can run even if something slipped through unescaped.
fn nonce() -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let part = || {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u128(now);
        hasher.finish()
    };
    format!("{:016x}{:016x}", part(), part())
}

const STYLE: &str = r#"
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa;
  --hover: #eef4ff; --panel: #f6f8fa; --accent: #0969da; --code: #eff2f5;
  --passed-bg: #cdeed6; --passed-fg: #0f5a26;
  --failed-bg: #ffd4cf; --failed-fg: #a01c12;
  --compile_error-bg: #ffdcb8; --compile_error-fg: #8a3f00;
  --timed_out-bg: #fbeb9c; --timed_out-fg: #6b4f00;
  --crashed-bg: #e6d5fa; --crashed-fg: #5e2596;
  --error-bg: #e4e7eb; --error-fg: #4d5661;
  --good: #1a7f37; --fair: #bf8700; --poor: #cf222e;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #30363d; --head: #161b22;
    --hover: #172236; --panel: #151b23; --accent: #4493f8; --code: #1f2630;
    --passed-bg: #133d22; --passed-fg: #7ee29a;
    --failed-bg: #4f1a17; --failed-fg: #ffa198;
    --compile_error-bg: #4d2c0c; --compile_error-fg: #ffb870;
    --timed_out-bg: #443909; --timed_out-fg: #f5d75e;
    --crashed-bg: #36224f; --crashed-fg: #d8b4fe;
    --error-bg: #262c34; --error-fg: #a2abb5;
    --good: #3fb950; --fair: #d29922; --poor: #f85149;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body { margin: 0; padding: 24px 28px 48px;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", Arial, sans-serif; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
h1 { font-size: 24px; margin: 0 0 4px; }
.summary, .struggles { margin: 2px 0; }
.struggles, .sandbox { color: var(--muted); }
.sandbox { margin: 2px 0; }
.sandbox.off { color: var(--poor); }
.struggles strong { color: var(--poor); }
.summary code { background: var(--code); padding: 1px 5px; border-radius: 4px; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 16px; padding: 0; margin: 12px 0 16px; color: var(--muted); font-size: 13px; }
.legend li { display: flex; align-items: center; gap: 6px; }
.legend .how { margin-left: auto; font-style: italic; }
.no-js .legend .how { display: none; }
.chip { display: inline-flex; align-items: center; justify-content: center; min-width: 20px; height: 20px; padding: 0 3px; border-radius: 4px; font-weight: 700; font-size: 13px; margin-right: 6px; }
.legend .chip { margin-right: 0; }
.v.passed { background: var(--passed-bg); color: var(--passed-fg); }
.v.failed { background: var(--failed-bg); color: var(--failed-fg); }
.v.compile_error { background: var(--compile_error-bg); color: var(--compile_error-fg); }
.v.timed_out { background: var(--timed_out-bg); color: var(--timed_out-fg); }
.v.crashed { background: var(--crashed-bg); color: var(--crashed-fg); }
.v.error { background: var(--error-bg); color: var(--error-fg); }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

.grid { border-collapse: separate; border-spacing: 0; min-width: min(900px, 100%); }
.grid .fill { width: 100%; }
.grid tr.row td.fill, .grid tfoot td.fill, .grid thead th.fill { border-color: transparent; }
.grid th, .grid td { padding: 0; }
.grid thead th { position: sticky; top: 0; z-index: 2; background: var(--bg); vertical-align: bottom; border-bottom: 2px solid var(--line); }
.grid thead button { all: unset; box-sizing: border-box; cursor: pointer; display: block; width: 100%; padding: 6px 8px; color: var(--fg); font-weight: 600; }
.grid thead button:hover, .grid thead button:focus-visible { color: var(--accent); }
.grid thead button:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
.grid thead th.name, .grid thead th.score { text-align: left; }
.grid thead th.ex button { padding: 6px 0; }
.grid th.ex .label { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; display: inline-block; margin: 0 auto; font-weight: 500; font-size: 12.5px; line-height: 1; max-height: 150px; overflow: hidden; text-overflow: ellipsis; }
.grid th.ex button { text-align: center; }
.grid th.ex .num { font-weight: 700; font-variant-numeric: tabular-nums; }
.grid th[aria-sort] button { color: var(--accent); }
.grid th[aria-sort] button::after { display: block; text-align: center; font-size: 10px; margin-top: 3px; }
.grid th.name[aria-sort] button::after, .grid th.score[aria-sort] button::after { display: inline; margin-left: 6px; }
.grid th[aria-sort="ascending"] button::after { content: "▲"; }
.grid th[aria-sort="descending"] button::after { content: "▼"; }

.grid .name { position: sticky; left: 0; z-index: 1; background: var(--bg); text-align: left; }
.grid thead th.name { z-index: 3; }
.grid tbody th.name { font-weight: 500; border-right: 1px solid var(--line); }
.grid .toggle { all: unset; box-sizing: border-box; display: block; cursor: pointer; padding: 5px 12px 5px 8px; max-width: 360px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.grid .toggle::before { content: "▸"; display: inline-block; width: 14px; color: var(--muted); }
.no-js .grid .toggle::before { content: ""; width: 0; }
.grid tbody.open .toggle::before { content: "▾"; color: var(--accent); }
.grid .toggle:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
.grid td.score { padding: 5px 10px 5px 12px; text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; font-weight: 600; }
.grid td.score .of { color: var(--muted); font-weight: 400; }
.grid td.score.full { color: var(--good); }
.grid tr.row td, .grid tr.row th { border-top: 1px solid var(--line); }
.grid th.ex, .grid tr.row td.v, .grid td.rate { width: 36px; min-width: 36px; }
.grid tr.row td.v { text-align: center; font-weight: 700; font-size: 15px; border-left: 2px solid var(--bg); cursor: pointer; }
.grid tr.row td.v.wide { text-align: left; font-weight: 400; font-size: 13px; padding: 5px 10px; font-style: italic; }
.grid td.v.wide .clip { width: 0; min-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.js .grid tr.row { cursor: pointer; }
.grid tr.row:hover th.name, .grid tr.row:hover td.score, .grid tbody.open tr.row th.name, .grid tbody.open tr.row td.score { background: var(--hover); }
.grid tr.row:hover td.v { filter: saturate(1.4) brightness(0.97); }
.grid td.v.focus { outline: 2px solid var(--fg); outline-offset: -3px; }

.grid tr.detail > td { padding: 0 0 14px; }
.js .grid tbody:not(.open) tr.detail { display: none; }
.panel { position: sticky; left: 0; width: 0; min-width: min(100%, calc(100vw - 56px)); margin: 4px 0 0; padding: 10px 16px 12px; background: var(--panel); border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 6px; }
.panel p { margin: 4px 0; }
.panel-head { display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
.panel-head code { font-weight: 600; overflow-wrap: anywhere; }
.panel-head .points { color: var(--muted); }
.passed-list { color: var(--muted); }
.passed-list .item { color: var(--fg); white-space: nowrap; }
.checks { list-style: none; padding: 0; margin: 6px 0; }
.checks > li { padding: 6px 8px; margin: 4px 0; border-radius: 6px; background: var(--bg); border: 1px solid var(--line); }
.panel .item.focus { outline: 2px solid var(--accent); outline-offset: 1px; border-radius: 4px; }
.verdict { font-weight: 600; }
.verdict.failed { color: var(--failed-fg); } .verdict.compile_error { color: var(--compile_error-fg); }
.verdict.timed_out { color: var(--timed_out-fg); } .verdict.crashed { color: var(--crashed-fg); }
.pts { color: var(--muted); font-variant-numeric: tabular-nums; margin-left: 4px; }
.msg { margin: 2px 0 0 26px !important; overflow-wrap: anywhere; }
.output { margin: 4px 0 0 26px; }
.output summary { cursor: pointer; color: var(--accent); font-size: 13px; width: max-content; }
.output summary:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.checks pre { margin: 4px 0 2px; padding: 8px 10px; max-height: 320px; overflow: auto; background: var(--code); border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; }
.files { margin-top: 8px; }
.files ul { margin: 2px 0; padding-left: 22px; columns: 2 320px; }
.files code { font-size: 12px; overflow-wrap: anywhere; }
.error-msg { font-style: italic; }

.grid tfoot th, .grid tfoot td { border-top: 2px solid var(--line); padding-top: 6px; vertical-align: top; }
.grid tfoot th.name { padding: 6px 8px 0 22px; font-weight: 600; }
.no-js .grid tfoot th.name { padding-left: 8px; }
.grid tfoot td.score { color: var(--muted); font-weight: 400; padding-top: 6px; }
.grid td.rate { text-align: center; font-size: 11.5px; font-variant-numeric: tabular-nums; padding: 6px 2px 4px; color: var(--muted); }
.grid td.rate .bar { display: block; height: 4px; margin: 3px 3px 0; background: var(--line); border-radius: 2px; overflow: hidden; }
.grid td.rate .bar span { display: block; height: 100%; }
.grid td.rate.good .bar span { background: var(--good); }
.grid td.rate.fair .bar span { background: var(--fair); }
.grid td.rate.poor .bar span { background: var(--poor); }
.grid td.rate.lowest { color: var(--poor); font-weight: 700; background: var(--failed-bg); border-radius: 0 0 4px 4px; }
@media print {
  .js .grid tbody:not(.open) tr.detail { display: table-row; }
  .grid thead th, .grid .name { position: static; }
  .legend .how, .grid .toggle::before { display: none; }
}
"#;

const SCRIPT: &str = r#"
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");
  var grid = document.getElementById("grid");
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  var sorted = { key: null, dir: 1 };

  function bodies() {
    return Array.prototype.slice.call(grid.tBodies);
  }

  function setOpen(body, open) {
    body.classList.toggle("open", open);
    var toggle = body.querySelector(".toggle");
    if (toggle) toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) mark(body, null);
  }

  // Outlines one exercise, in the grid row and in the details.
  function mark(body, ex) {
    var marked = body.querySelectorAll(".focus");
    for (var i = 0; i < marked.length; i++) marked[i].classList.remove("focus");
    body.removeAttribute("data-focus");
    if (ex === null) return;
    body.setAttribute("data-focus", ex);
    var found = body.querySelectorAll('[data-ex="' + ex + '"]');
    for (var j = 0; j < found.length; j++) found[j].classList.add("focus");
    var item = body.querySelector('.detail [data-ex="' + ex + '"]');
    if (!item) return;
    var output = item.querySelector("details.output");
    if (output) output.open = true;
    if (item.scrollIntoView) item.scrollIntoView({ block: "nearest" });
  }

  function sortBy(button) {
    var key = button.getAttribute("data-sort");
    var th = button.parentNode;
    var dir = sorted.key === key ? -sorted.dir : (th.getAttribute("data-first") === "desc" ? -1 : 1);
    sorted = { key: key, dir: dir };
    var list = bodies();
    list.sort(function (a, b) {
      var x = a.getAttribute("data-" + key), y = b.getAttribute("data-" + key);
      var order = key === "name" ? collator.compare(x, y) : Number(x) - Number(y);
      if (order === 0) order = key === "name" ? 0 : dir * collator.compare(a.getAttribute("data-name"), b.getAttribute("data-name"));
      if (order === 0) order = dir * (Number(a.getAttribute("data-index")) - Number(b.getAttribute("data-index")));
      return dir * order;
    });
    var end = grid.tFoot;
    list.forEach(function (body) { grid.insertBefore(body, end); });
    var heads = grid.tHead.querySelectorAll("th");
    for (var i = 0; i < heads.length; i++) heads[i].removeAttribute("aria-sort");
    th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
  }

  grid.addEventListener("click", function (event) {
    var target = event.target;
    var sortButton = target.closest("thead [data-sort]");
    if (sortButton) {
      sortBy(sortButton);
      return;
    }
    var row = target.closest("tr.row");
    if (!row) return;
    var body = row.parentNode;
    var cell = target.closest("td[data-ex]");
    var ex = cell ? cell.getAttribute("data-ex") : null;
    var open = body.classList.contains("open");
    if (open && ex !== null && body.getAttribute("data-focus") !== ex) {
      mark(body, ex);
      return;
    }
    setOpen(body, !open);
    if (!open) mark(body, ex);
  });

  // report.html#s3 opens the fourth submission's details, scrolled to below the sticky header.
  var margin = (grid.tHead ? grid.tHead.offsetHeight : 0) + 8 + "px";
  bodies().forEach(function (body) { body.style.scrollMarginTop = margin; });
  function openFromHash() {
    var id = location.hash.slice(1);
    var body = id && document.getElementById(id);
    if (body && body.parentNode === grid) setOpen(body, true);
  }
  window.addEventListener("hashchange", openFromHash);
  openFromHash();

  document.body.dataset.ready = "yes";
})();
"#;

#[cfg(test)]
mod tests {
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
        assert!(page.contains("&quot;quoted&quot; &amp; &apos;single&apos;"));
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
}
