//! JUnit XML, written by `quick-junit` (cargo-nextest's writer): one testsuite per submission,
//! one testcase per exercise. Timeouts and crashes are typed, so CI dashboards can tell a
//! deadlock from a wrong answer. The writer escapes every value and leaves out what XML does
//! not allow (a terminal's escape sequences, control characters).

use crate::pipeline::grade::Submission;
use crate::platform::sandbox::Status;
use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

pub fn junit(submissions: &[Submission], sandbox: &Status) -> String {
    let mut report = Report::new("grades");
    for s in submissions {
        let mut suite = TestSuite::new(s.label.as_str());
        // Each testsuite says whether its code ran in the sandbox, as a property.
        suite.add_property(Property::new("sandbox", sandbox.summary()));
        match &s.outcome {
            Err(reason) => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
                status.set_type("unreadable").set_message(reason.as_str());
                let mut case = TestCase::new("submission", status);
                case.set_classname(s.label.as_str());
                suite.add_test_case(case);
            }
            Ok(graded) => {
                for c in &graded.checked {
                    let status = if c.verdict.is_passed() {
                        TestCaseStatus::success()
                    } else {
                        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                        status
                            .set_type(c.verdict.key())
                            .set_message(c.verdict.reason())
                            .set_description(c.verdict.details());
                        status
                    };
                    let mut case = TestCase::new(c.exercise.name.as_str(), status);
                    case.set_classname(s.label.as_str());
                    suite.add_test_case(case);
                }
                let warnings = graded.warnings();
                if !warnings.is_empty() {
                    suite.set_system_err(format!("warning: {}", warnings.join("\nwarning: ")));
                }
            }
        }
        report.add_test_suite(suite);
    }
    report.to_string().expect("a JUnit report serialises")
}

#[cfg(test)]
#[path = "junit_tests.rs"]
mod tests;
