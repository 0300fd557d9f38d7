//! The GitHub Classroom autograding result of one submission (a student's repository grading
//! itself in CI).

use crate::pipeline::grade::Submission;
use base64::Engine;
use serde_derive::Serialize;

#[derive(Serialize)]
struct Classroom {
    version: u32,
    status: &'static str,
    max_score: u32,
    tests: Vec<ClassroomTest>,
}

#[derive(Serialize)]
struct ClassroomTest {
    name: String,
    status: &'static str,
    score: u32,
    max_score: u32,
    message: String,
    test_code: String,
    filename: String,
    line_no: u32,
    duration: u32,
}

/// The GitHub Classroom autograding result for ONE submission (a student's repository grading
/// itself), base64-encoded as `autograding-grading-reporter` expects it. Partial credit is per
/// exercise.
pub fn classroom(submission: &Submission) -> String {
    let (status, max, tests) = match &submission.outcome {
        Err(reason) => (
            "error",
            0,
            vec![ClassroomTest {
                name: "submission".into(),
                status: "error",
                score: 0,
                max_score: 0,
                message: reason.clone(),
                test_code: "cargo run -p checker -- grade".into(),
                filename: String::new(),
                line_no: 0,
                duration: 0,
            }],
        ),
        Ok(graded) => {
            let tests: Vec<_> = graded
                .checked
                .iter()
                .map(|c| ClassroomTest {
                    name: format!("{:02} {}", c.exercise.number, c.exercise.name),
                    status: if c.verdict.is_passed() {
                        "pass"
                    } else {
                        "fail"
                    },
                    score: c.points(),
                    max_score: c.exercise.points,
                    message: c.verdict.reason(),
                    test_code: format!("cargo run -p checker -- check {}", c.exercise.name),
                    filename: c.exercise.dir.join("src/lib.rs").display().to_string(),
                    line_no: 0,
                    duration: 0,
                })
                .collect();
            let all_pass = tests.iter().all(|t| t.status == "pass");
            let max = tests.iter().map(|t| t.max_score).sum();
            (if all_pass { "pass" } else { "fail" }, max, tests)
        }
    };
    let result = Classroom {
        version: 1,
        status,
        max_score: max,
        tests,
    };
    let json = serde_json::to_string(&result).expect("the result serialises");
    base64::engine::general_purpose::STANDARD.encode(json)
}
