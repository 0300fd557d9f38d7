//! The HTML grading report: graded from real submissions of a small course, checked as text
//! (self-contained, escaped, complete), then loaded in real headless Chromium, where its script
//! must run without an error and sort and unfold as an instructor clicks.
//!
//! Chromium is required, not optional: without it the test fails and says how to install it.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;
use support::{checker, fixture};

const SUM: &str = "exercises/01_sum/src/lib.rs";
const COUNT: &str = "exercises/02_count/src/lib.rs";
/// A panic message that tries to close the details and run a script.
const HOSTILE: &str = r#"</pre><script>alert("pwned")</script>"#;
/// A submission folder whose name is an HTML element with a script in an attribute.
const HOSTILE_FOLDER: &str = "eve <img src=x onerror=alert(1)>";

#[test]
fn the_html_report_is_self_contained_escaped_and_works_in_chromium() {
    let chromium = chromium();
    let course = fixture("grading");
    let work = tempfile::Builder::new()
        .prefix("checker-html-report-")
        .tempdir()
        .expect("a temporary folder");
    let subs = work.path().join("submissions");
    let paths = submissions(course.path(), &subs);
    let report = work.path().join("report.html");

    checker(course.path())
        .arg("grade")
        .args(&paths)
        .args(["--format", "html", "--output"])
        .arg(&report)
        .assert()
        .success();
    let html = fs::read_to_string(&report).expect("the report was written");

    assert_self_contained(&html);
    assert_escaped(&html);
    assert_complete(&html);

    // The page as Chromium leaves it once its script has run.
    let dom = dump_dom(&chromium, &report);
    assert!(
        dom.contains("data-ready=\"yes\""),
        "the page's script did not run to its end:\n{dom}"
    );
    assert!(dom.contains("<html lang=\"en\" class=\"js\">"), "{dom}");
    assert!(dom.contains("<table id=\"grid\""), "no grid:\n{dom}");
    assert!(
        dom.contains("<tr class=\"rates\">"),
        "no pass-rate row:\n{dom}"
    );
    assert_eq!(dom.matches("<tbody").count(), 7, "{dom}");
    // The hostile message is text on the page, not an element.
    assert!(
        dom.contains("&lt;/pre&gt;&lt;script&gt;alert(\"pwned\")&lt;/script&gt;"),
        "{dom}"
    );

    // Clicks, as an instructor makes them, by a script added to a copy of the page.
    let clicked = work.path().join("clicked.html");
    fs::write(&clicked, with_clicks(&html)).expect("the copy is written");
    let dom = dump_dom(&chromium, &clicked);
    let result = attribute(&dom, "data-clicks").unwrap_or_else(|| {
        panic!("the clicking script did not finish (see above for its error):\n{dom}")
    });
    assert_eq!(result, "ok", "clicking the page went wrong");
    assert_eq!(
        attribute(&dom, "data-order-score").as_deref(),
        Some("alice|carol|bob|eve|frank|dave|grace"),
        "the first click on Score sorts the best first, ties by name, ungradable last"
    );
    assert_eq!(
        attribute(&dom, "data-order-score-again").as_deref(),
        Some("grace|dave|bob|eve|frank|carol|alice"),
        "the second click on Score reverses the order"
    );
    assert_eq!(
        attribute(&dom, "data-order-name").as_deref(),
        Some("alice|bob|carol|dave|eve|frank|grace")
    );
    assert_eq!(
        attribute(&dom, "data-order-count").as_deref(),
        Some("grace|dave|bob|eve|frank|alice|carol"),
        "the first click on an exercise puts the submissions that do not pass it first"
    );
}

/// The class: every verdict, an edited test, a missing file, a hostile name and message, and
/// a folder that is no copy of the course. Returns the paths in order.
fn submissions(course: &Path, subs: &Path) -> Vec<PathBuf> {
    let solution = |exercise: &str| {
        fs::read_to_string(course.join("solutions").join(exercise).join("src/lib.rs"))
            .expect("the fixture has solutions")
    };
    let (sum, count) = (solution("01_sum"), solution("02_count"));
    let submission = |name: &str, files: &[(&str, &str)]| {
        let path = subs.join(name);
        copy_course(course, &path);
        for (file, text) in files {
            fs::write(path.join(file), text).expect("a learner file");
        }
        path
    };
    let alice = submission("alice", &[(SUM, &sum), (COUNT, &count)]);
    let bob = submission("bob", &[(SUM, &sum)]);
    let carol = submission(
        "carol",
        &[
            (
                SUM,
                "pub fn total(values: &[u64]) -> u64 {\n    values.iter().sum::<u64>() + \"1\"\n}\n",
            ),
            (COUNT, &count),
        ],
    );
    let dave = submission(
        "dave",
        &[
            (
                SUM,
                "pub fn total(_: &[u64]) -> u64 {\n    loop {\n        std::thread::park();\n    }\n}\n",
            ),
            (
                COUNT,
                "pub fn evens(_: &[u64]) -> usize {\n    std::process::abort()\n}\n",
            ),
        ],
    );
    // Only the first exercise handed in.
    let eve = subs.join(HOSTILE_FOLDER);
    fs::create_dir_all(eve.join("exercises/01_sum/src")).expect("a folder");
    fs::write(eve.join(SUM), &sum).expect("a learner file");
    let hostile = format!("pub fn evens(_: &[u64]) -> usize {{\n    panic!({HOSTILE:?})\n}}\n");
    let frank = submission("frank", &[(SUM, &sum), (COUNT, &hostile)]);
    let test = frank.join("exercises/01_sum/tests/sum.rs");
    let edited = fs::read_to_string(&test).expect("the test") + "// made to pass\n";
    fs::write(&test, edited).expect("an edited test");
    let grace = subs.join("grace");
    fs::create_dir_all(&grace).expect("a folder");
    fs::write(grace.join("README.txt"), "my homework").expect("a file");
    vec![alice, bob, carol, dave, eve, frank, grace]
}

fn copy_course(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("a folder");
    for entry in fs::read_dir(from).expect("the course") {
        let entry = entry.expect("an entry");
        let name = entry.file_name();
        if name == "target" || name == ".checker" {
            continue;
        }
        let target = to.join(&name);
        if entry.path().is_dir() {
            copy_course(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("a copy");
        }
    }
}

/// Nothing is loaded from anywhere: no external reference in any tag, style or script, and a
/// policy that would block one anyway.
fn assert_self_contained(html: &str) {
    assert!(
        html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"),
        "no Content-Security-Policy"
    );
    for scheme in ["http://", "https://"] {
        assert!(!html.contains(scheme), "the page refers to {scheme}");
    }
    let (markup, styles) = split_out(html, "<style", "</style>");
    let (markup, scripts) = split_out(&markup, "<script", "</script>");
    for tag in markup.split('<').skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        let name: String = tag
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        assert!(
            ![
                "img", "link", "iframe", "object", "embed", "video", "audio", "source", "base",
                "form"
            ]
            .contains(&name.to_ascii_lowercase().as_str()),
            "a <{tag}> in the page"
        );
        for (attribute, value) in attributes(&tag[name.len()..]) {
            let attribute = attribute.to_ascii_lowercase();
            assert!(
                !matches!(attribute.as_str(), "src" | "srcset" | "data" | "action")
                    && !attribute.starts_with("on"),
                "<{tag}> has a {attribute} attribute"
            );
            assert!(
                attribute != "href" || value.starts_with('#'),
                "a link out of the page: <{tag}>"
            );
            assert!(!value.contains("url("), "<{tag}> loads something");
        }
    }
    for style in styles {
        assert!(
            !style.contains("url(") && !style.contains("@import"),
            "{style}"
        );
    }
    assert_eq!(scripts.len(), 1, "one script, the page's own");
    for forbidden in [
        "src=",
        "fetch(",
        "XMLHttpRequest",
        "import(",
        "eval(",
        "innerHTML",
    ] {
        assert!(
            !scripts[0].contains(forbidden),
            "the script uses {forbidden}"
        );
    }
}

/// The attributes of a tag (after its name), as HTML reads them: names, and values with their
/// quotes taken off.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut chars = tag.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == '/').is_some() {}
        let mut name = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && !matches!(c, '=' | '/')) {
            name.push(c);
        }
        if name.is_empty() {
            return found;
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'=').is_some() {
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
            match chars.next_if(|c| matches!(c, '"' | '\'')) {
                Some(quote) => value.extend(chars.by_ref().take_while(|c| *c != quote)),
                None => {
                    while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                        value.push(c);
                    }
                }
            }
        }
        found.push((name, value));
    }
}

/// What the submissions wrote is text, never markup.
fn assert_escaped(html: &str) {
    for raw in [
        HOSTILE,
        "<script>alert",
        "</pre><script>",
        HOSTILE_FOLDER,
        "<img",
    ] {
        assert!(!html.contains(raw), "{raw} is in the page unescaped");
    }
    assert!(
        html.contains("&lt;/pre&gt;&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;"),
        "the hostile message is not shown escaped"
    );
    assert!(
        html.contains("eve &lt;img src=x onerror=alert(1)&gt;"),
        "the hostile folder name is not shown escaped"
    );
}

/// The grid, the pass rates, the summary and the details are all there.
fn assert_complete(html: &str) {
    let has = |text: &str| assert!(html.contains(text), "the page lacks {text:?}");
    has("<title>Grades</title>");
    has("<table id=\"grid\"");
    has(">01</span> sum<");
    has(">02</span> count<");
    has("title=\"01 sum: Sum (10 points)\"");
    has("<strong>7</strong> submissions");
    has("mean score <strong>11.7</strong> / 25");
    has("<strong>1</strong> fully solved");
    has("<strong>1</strong> could not be graded");
    has("Where the class struggles: <strong>02 count</strong> (33% pass)");
    let cells = |verdict: &str| {
        html.matches(&format!("class=\"v {verdict}\" data-ex"))
            .count()
    };
    assert_eq!(cells("passed"), 6);
    assert_eq!(cells("failed"), 3);
    assert_eq!(cells("compile_error"), 1);
    assert_eq!(cells("timed_out"), 1);
    assert_eq!(cells("crashed"), 1);
    has("could not be graded: not a copy of the course");
    // The pass-rate row, the weakest exercise highlighted.
    has("<tr class=\"rates\">");
    has("<td class=\"rate fair\" title=\"01 sum: 4 of 6 graded submissions pass\">67%");
    has("<td class=\"rate poor lowest\" title=\"02 count: 2 of 6 graded submissions pass\">33%");
    // The details.
    has("E0277");
    has("count the even values only");
    has("changed: exercises/01_sum/tests/sum.rs");
    has("Missing files</strong> (1,");
    has("exercises/02_count/src/lib.rs</code>");
}

/// Cuts the contents of every `open...close` element out of `html`: the rest, and the cuts.
fn split_out(html: &str, open: &str, close: &str) -> (String, Vec<String>) {
    let mut rest = String::new();
    let mut cuts = Vec::new();
    let mut text = html;
    while let Some(start) = text.find(open) {
        let body = start + text[start..].find('>').expect("a whole tag") + 1;
        let end = body + text[body..].find(close).expect("a closed element");
        rest.push_str(&text[..body]);
        cuts.push(text[body..end].to_string());
        text = &text[end..];
    }
    rest.push_str(text);
    (rest, cuts)
}

/// A copy of the page with a script that clicks as an instructor would and leaves what it saw
/// in `data-*` attributes of the body. It carries the page's nonce, as only the page's own
/// script may run.
fn with_clicks(html: &str) -> String {
    let nonce = html
        .split("script-src 'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the page's policy");
    let script = r##"
(function () {
  var body = document.body, grid = document.getElementById("grid"), problems = [];
  function check(ok, what) { if (!ok) problems.push(what); }
  function shown(element) { return !!element && getComputedStyle(element).display !== "none"; }
  function order() {
    return Array.prototype.map.call(grid.tBodies, function (b) {
      return b.getAttribute("data-name").split(" ")[0];
    }).join("|");
  }
  function sort(key) { grid.querySelector('thead [data-sort="' + key + '"]').click(); }

  check(body.dataset.ready === "yes", "the page's script did not finish");
  check(document.scripts.length === 2, "a script that is not the page's: " + document.scripts.length);
  check(document.images.length === 0, "an image in the page");
  check(grid.querySelector("#s5 .msg").textContent.indexOf("<script>alert(") >= 0, "the hostile message is not shown as text");

  var details = document.getElementById("d1");
  check(!shown(details), "details are shown before any click");
  grid.querySelector("#s1 td.score").click();
  check(shown(details), "a click on a row does not show its details");
  check(grid.querySelector("#s1 .toggle").getAttribute("aria-expanded") === "true", "aria-expanded stays false");
  var output = grid.querySelector("#d1 details.output");
  check(!!output && !output.open, "bob's full output is not there, folded");
  grid.querySelector("#s1 .toggle").click();
  check(!shown(details), "a second click does not fold the details");

  grid.querySelector('#s2 td[data-ex="0"]').click();
  output = grid.querySelector('#d2 [data-ex="0"] details.output');
  check(!!output && output.open, "a click on a compile error does not unfold its output");

  grid.querySelector('#s3 td[data-ex="1"]').click();
  check(shown(document.getElementById("d3")), "a click on a cell does not show the details");
  check(!!grid.querySelector('#d3 .item.focus[data-ex="1"]'), "the clicked exercise is not marked in the details");
  grid.querySelector('#s3 td[data-ex="0"]').click();
  check(shown(document.getElementById("d3")), "a click on another cell of an open row folds it");
  check(!!grid.querySelector('#d3 .item.focus[data-ex="0"]') && !grid.querySelector('#d3 .item.focus[data-ex="1"]'), "the mark does not move");

  sort("score");
  body.setAttribute("data-order-score", order());
  check(grid.querySelector("th.score").getAttribute("aria-sort") === "descending", "aria-sort not set");
  check(grid.tFoot === grid.lastElementChild, "the pass-rate row is no longer last");
  sort("score");
  body.setAttribute("data-order-score-again", order());
  sort("name");
  body.setAttribute("data-order-name", order());
  check(grid.querySelector("th.score").getAttribute("aria-sort") === null, "the old aria-sort stays");
  sort("e1");
  body.setAttribute("data-order-count", order());
  check(shown(document.getElementById("d3")), "sorting folds open details");
  body.setAttribute("data-clicks", problems.length ? problems.join("; ") : "ok");
})();
"##;
    let tag = format!("<script nonce=\"{nonce}\">{script}</script>\n</body>");
    html.replacen("</body>", &tag, 1)
}

/// `name="value"` of the first element that has it, unescaped enough for plain words.
fn attribute(dom: &str, name: &str) -> Option<String> {
    let start = dom.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = start + dom[start..].find('"')?;
    Some(dom[start..end].replace("&amp;", "&"))
}

/// Chromium, as Debian packages it, or `$CHROMIUM`.
fn chromium() -> PathBuf {
    let candidates: Vec<PathBuf> = match std::env::var_os("CHROMIUM") {
        Some(path) => vec![PathBuf::from(path)],
        None => std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .flat_map(|folder| ["chromium", "chromium-browser"].map(|name| folder.join(name)))
            .collect(),
    };
    if let Some(found) = candidates.into_iter().find(|c| c.is_file()) {
        return found;
    }
    panic!(
        "this test loads the HTML report in headless Chromium, which is not installed.\n\
         Install it with: apt-get update && apt-get install -y chromium\n\
         (or set CHROMIUM to a Chromium or Chrome binary)"
    );
}

/// The DOM of `page` once loaded and its scripts run. Fails on any script error or blocked
/// content that Chromium logs.
fn dump_dom(chromium: &Path, page: &Path) -> String {
    let profile = tempfile::Builder::new()
        .prefix("checker-chromium-")
        .tempdir()
        .expect("a profile folder");
    let url = format!(
        "file://{}",
        page.display()
            .to_string()
            .replace('%', "%25")
            .replace(' ', "%20")
    );
    let output = assert_cmd::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(&url)
        .timeout(Duration::from_secs(120))
        .output()
        .expect("Chromium starts");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "Chromium failed ({}):\n{stderr}",
        output.status
    );
    let console: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .collect();
    for line in &console {
        assert!(
            !line.contains("Uncaught")
                && !line.contains("Content Security Policy")
                && !line.contains("Refused to"),
            "the page logged an error in Chromium:\n{}",
            console.join("\n")
        );
    }
    String::from_utf8(output.stdout).expect("the DOM is UTF-8")
}
