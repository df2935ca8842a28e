//! Diagnostics: every error or warning the parser and the instruction lowering find, with
//! BuildKit's wording, a byte range and a 1-based line and column.

use super::text::TextRange;
use super::tree::{Position, SyntaxTree};
use serde::Serialize;
use std::fmt;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// BuildKit would refuse the Dockerfile.
    Error,
    /// Worth knowing; BuildKit goes on.
    Warning,
}

/// What a diagnostic is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// The file is empty or holds no instruction.
    NoInstructions,
    /// A parser directive is repeated or has a bad value.
    Directive,
    /// BuildKit's parser rejects an instruction's arguments (ENV/LABEL form, JSON array).
    Arguments,
    /// A heredoc is unterminated or its marker cannot be read.
    Heredoc,
    /// The input is not valid UTF-8.
    Encoding,
    /// A limit on untrusted input was reached (file size, line length, nesting).
    Limit,
    /// An instruction name BuildKit does not know.
    UnknownInstruction,
    /// A flag that is unknown, repeated, or has a bad value.
    Flag,
    /// An instruction's arguments are wrong for it (count, names, values).
    Instruction,
    /// An instruction before the first FROM, or no FROM at all.
    NoStage,
    /// An error BuildKit reports only when it builds the instruction (e.g. a `--mount`
    /// spec), found early.
    Dispatch,
}

/// A problem found in a Dockerfile.
///
/// `message` is BuildKit's message; [`Diagnostic::buildkit_message`] (and `Display`) add
/// the `dockerfile parse error on line N: ` prefix BuildKit puts on instruction errors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// What it is about.
    pub kind: DiagnosticKind,
    /// Error or warning.
    pub severity: Severity,
    /// BuildKit's message, without the location prefix.
    pub message: String,
    /// The bytes it is about.
    pub range: TextRange,
    /// 1-based line of `range.start`.
    pub line: u32,
    /// 1-based column (characters) of `range.start`.
    pub col: u32,
    /// 1-based line of `range.end`.
    pub end_line: u32,
    /// 1-based column of `range.end`.
    pub end_col: u32,
    /// For instruction errors: the instruction's first line, which BuildKit prints as
    /// `dockerfile parse error on line N: `.
    pub instruction_line: Option<u32>,
}

impl Diagnostic {
    /// A diagnostic over `range` of `tree`.
    pub fn new(tree: &SyntaxTree, kind: DiagnosticKind, severity: Severity, message: impl Into<String>, range: TextRange) -> Self {
        let Position { line, col } = tree.position(range.start);
        let end = tree.position(range.end);
        Diagnostic {
            kind,
            severity,
            message: message.into(),
            range,
            line,
            col,
            end_line: end.line,
            end_col: end.col,
            instruction_line: None,
        }
    }

    /// An error over `range`.
    pub fn error(tree: &SyntaxTree, kind: DiagnosticKind, message: impl Into<String>, range: TextRange) -> Self {
        Self::new(tree, kind, Severity::Error, message, range)
    }

    /// Marks it as an error of the instruction that starts on `line` (BuildKit's prefix).
    pub fn in_instruction(mut self, line: u32) -> Self {
        self.instruction_line = Some(line);
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The text BuildKit prints after `ERROR: failed to solve: `.
    pub fn buildkit_message(&self) -> String {
        match self.instruction_line {
            Some(n) => format!("dockerfile parse error on line {n}: {}", self.message),
            None => self.message.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.buildkit_message())
    }
}

impl std::error::Error for Diagnostic {}
