//! Dockerfile text to a lossless syntax tree with byte spans; parser directives, heredocs, continuations.
//!
//! [`parse`] reads bytes exactly as BuildKit's `frontend/dockerfile/parser` does and never
//! fails: it returns a [`SyntaxTree`] and the [`Diagnostic`]s (rust-analyzer style), so an
//! editor always has something to show.
//!
//! ```
//! use dfplay::syntax::{parse, dump, Form};
//!
//! let parsed = parse(b"FROM alpine AS build\nRUN [\"echo\", \"hi\"]\n");
//! assert!(parsed.diagnostics.is_empty());
//! let tree = &parsed.tree;
//! assert_eq!(tree.text(), b"FROM alpine AS build\nRUN [\"echo\", \"hi\"]\n");
//! let run = &tree.instructions()[1];
//! assert!(matches!(run.form, Form::Json { .. }));
//! assert_eq!(dump(tree), "(from \"alpine\" \"AS\" \"build\")\n(run \"echo\" \"hi\")\n");
//! ```
//!
//! # Guarantees
//!
//! - **Lossless**: the [`Token`]s tile the input, so [`SyntaxTree::text`] equals the input
//!   byte for byte — also for invalid UTF-8 (then a warning; values read invalid bytes as
//!   U+FFFD, one per byte as Go does).
//! - **Spans**: every instruction, keyword, flag, argument, heredoc, comment and directive
//!   has a byte [`TextRange`]; [`SyntaxTree::position`] turns an offset into a 1-based line
//!   and column (columns count characters).
//! - **BuildKit's reading**: directives only at the top (`# syntax=`, `# escape=`,
//!   `# check=`, any case), comments, continuations with the escape character (comment and
//!   blank lines inside do not end them), heredocs on RUN/COPY/ADD, JSON (exec) form with
//!   BuildKit's fallback to shell form, flags, BOM, CRLF. The values are BuildKit's node
//!   values, raw: no variable is expanded here (see `crate::words`).
//! - **Bounded**: linear time; inputs over [`crate::limits::MAX_DOCKERFILE_BYTES`] are not
//!   parsed (one `Unparsed` token and an error); lines over BuildKit's 64 KiB limit are
//!   reported with BuildKit's message; ONBUILD nesting stops at
//!   [`crate::limits::MAX_ONBUILD_DEPTH`].
//!
//! Known differences from BuildKit, all on input BuildKit mangles: values that BuildKit keeps
//! as raw invalid UTF-8 bytes are shown with U+FFFD; `Node.Dump()`'s printability test for
//! unassigned code points is approximated; a duplicate directive is reported on its own line
//! (BuildKit says the line before).

mod args;
mod diagnostic;
mod dump;
mod heredoc;
mod json;
mod parser;
mod scan;
mod text;
mod tree;
mod trivia;

pub use diagnostic::{Diagnostic, DiagnosticKind, Severity};
pub use dump::{dump, dump_instruction};
pub use parser::parse;
pub use text::{go_lower, go_quote, go_quote_rune, go_upper, TextRange};
pub use tree::{
    Arg, Comment, Directive, DirectiveKind, Flag, Form, Heredoc, Instruction, Keyword, Position, SyntaxTree, Token,
    TokenKind,
};
pub use trivia::Tokens;

/// A heredoc marker word such as `<<-"EOF"`, read as BuildKit's `ParseHeredoc` does.
pub use heredoc::Marker as HeredocMarker;

/// BuildKit's `MustParseHeredoc`: the marker when `word` (one whitespace-separated word,
/// such as a COPY source) is `<<NAME`, `<<-NAME`, `3<<"NAME"`, ...
pub fn heredoc_marker(word: &str) -> Option<HeredocMarker> {
    heredoc::parse_marker(word).ok().flatten()
}

/// What [`parse`] returns: the tree and what is wrong with it.
#[derive(Clone, Debug)]
pub struct Parsed {
    /// The lossless tree.
    pub tree: SyntaxTree,
    /// Parser errors and warnings, in input order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    /// True when BuildKit's parser would reject the input.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}
