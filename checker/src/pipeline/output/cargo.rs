//! What cargo prints with `--message-format=json`, read: each line an [`Event`], and a
//! compiler error as the learner is shown it ([`CompileError`]).

use serde_derive::{Deserialize, Serialize};
use std::path::PathBuf;

/// The first compiler error of an exercise, with what a learner needs to find it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompileError {
    /// `E0373`, when rustc gives one.
    pub code: Option<String>,
    pub message: String,
    /// Relative to the workspace root, as rustc prints it.
    pub file: Option<String>,
    pub line: Option<usize>,
    /// The source line the error points at.
    pub source_line: Option<String>,
    /// rustc's full message, as it would print it.
    pub rendered: String,
}

/// One line of cargo's JSON stream, with only what the build step uses.
#[derive(Deserialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Event {
    CompilerArtifact {
        manifest_path: PathBuf,
        target: Target,
        profile: Profile,
        executable: Option<PathBuf>,
    },
    CompilerMessage {
        manifest_path: PathBuf,
        message: Diagnostic,
    },
    BuildFinished {},
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
pub struct Target {
    pub name: String,
}

#[derive(Deserialize)]
pub struct Profile {
    pub test: bool,
}

#[derive(Deserialize)]
pub struct Diagnostic {
    message: String,
    code: Option<DiagnosticCode>,
    level: String,
    spans: Vec<Span>,
    rendered: Option<String>,
}

#[derive(Deserialize)]
struct DiagnosticCode {
    code: String,
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
    line_start: usize,
    is_primary: bool,
    text: Vec<SpanText>,
}

#[derive(Deserialize)]
struct SpanText {
    text: String,
}

/// Turns a diagnostic into a [`CompileError`] if it is a real error (not the closing
/// "aborting due to ..." summary).
pub fn first_error(diagnostic: Diagnostic) -> Option<CompileError> {
    if diagnostic.level != "error" || diagnostic.spans.is_empty() {
        return None;
    }
    let primary = diagnostic
        .spans
        .iter()
        .find(|s| s.is_primary)
        .or(diagnostic.spans.first());
    Some(CompileError {
        code: diagnostic.code.map(|c| c.code),
        message: diagnostic.message,
        file: primary.map(|s| s.file_name.clone()),
        line: primary.map(|s| s.line_start),
        source_line: primary.and_then(|s| s.text.first().map(|t| t.text.trim_end().to_string())),
        rendered: diagnostic.rendered.unwrap_or_default(),
    })
}
