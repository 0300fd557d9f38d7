//! JUnit XML, written by quick-xml: one testsuite per submission, one testcase per exercise.
//! Timeouts and crashes are typed, so CI dashboards can tell a deadlock from a wrong answer.
//!
//! The writer escapes every value; [`printable`] first takes out what XML 1.0 does not allow
//! even escaped: a terminal's escape sequences go, other control characters become `?`.

use crate::pipeline::grade::Submission;
use crate::platform::sandbox::Status;
use crate::report::printable;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::io;

pub fn junit(submissions: &[Submission], sandbox: &Status) -> String {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    write(&mut writer, submissions, sandbox).expect("writing to memory does not fail");
    let mut xml = String::from_utf8(writer.into_inner()).expect("the writer writes UTF-8");
    xml.push('\n');
    xml
}

fn write(
    writer: &mut Writer<Vec<u8>>,
    submissions: &[Submission],
    sandbox: &Status,
) -> io::Result<()> {
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let sandbox = printable(&sandbox.summary());
    writer
        .create_element("testsuites")
        .write_inner_content(|w| {
            for s in submissions {
                let label = printable(&s.label);
                let (tests, failures, errors) = match &s.outcome {
                    Err(_) => (1, 0, 1),
                    Ok(graded) => (
                        graded.checked.len(),
                        graded
                            .checked
                            .iter()
                            .filter(|c| !c.verdict.is_passed())
                            .count(),
                        0,
                    ),
                };
                w.create_element("testsuite")
                    .with_attribute(("name", label.as_str()))
                    .with_attribute(("tests", tests.to_string().as_str()))
                    .with_attribute(("failures", failures.to_string().as_str()))
                    .with_attribute(("errors", errors.to_string().as_str()))
                    .write_inner_content(|w| {
                        // Each testsuite says whether its code ran in the sandbox, as a property.
                        w.create_element("properties").write_inner_content(|w| {
                            w.create_element("property")
                                .with_attribute(("name", "sandbox"))
                                .with_attribute(("value", sandbox.as_str()))
                                .write_empty()?;
                            Ok(())
                        })?;
                        match &s.outcome {
                            Err(reason) => {
                                w.create_element("testcase")
                                    .with_attribute(("classname", label.as_str()))
                                    .with_attribute(("name", "submission"))
                                    .write_inner_content(|w| {
                                        w.create_element("error")
                                            .with_attribute(("type", "unreadable"))
                                            .with_attribute(("message", printable(reason).as_str()))
                                            .write_empty()?;
                                        Ok(())
                                    })?;
                            }
                            Ok(graded) => {
                                for c in &graded.checked {
                                    let case = w
                                        .create_element("testcase")
                                        .with_attribute(("classname", label.as_str()))
                                        .with_attribute((
                                            "name",
                                            printable(&c.exercise.name).as_str(),
                                        ));
                                    if c.verdict.is_passed() {
                                        case.write_empty()?;
                                        continue;
                                    }
                                    case.write_inner_content(|w| {
                                        w.create_element("failure")
                                            .with_attribute(("type", c.verdict.key()))
                                            .with_attribute((
                                                "message",
                                                printable(&c.verdict.reason()).as_str(),
                                            ))
                                            .write_text_content(BytesText::new(&printable(
                                                &c.verdict.details(),
                                            )))?;
                                        Ok(())
                                    })?;
                                }
                                let warnings = graded.warnings();
                                if !warnings.is_empty() {
                                    let text = format!("warning: {}", warnings.join("\nwarning: "));
                                    w.create_element("system-err")
                                        .write_text_content(BytesText::new(&printable(&text)))?;
                                }
                            }
                        }
                        Ok(())
                    })?;
            }
            Ok(())
        })?;
    Ok(())
}

#[cfg(test)]
#[path = "junit_tests.rs"]
mod tests;
