//! The one error type of word processing, worded as BuildKit words it:
//! `failed to process "<word>": <reason>`.

use crate::syntax::go_quote;
use crate::limits;
use std::fmt;
use std::ops::Range;

/// Why a word could not be processed. Each kind's [`message`](WordErrorKind::message)
/// is BuildKit's text (frontend/dockerfile/shell/lex.go), except the `…Limit` kinds,
/// which are dfplay's bounds on untrusted input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WordErrorKind {
    /// `'abc` — "unexpected end of statement while looking for matching single-quote"
    UnterminatedSingleQuote,
    /// `"abc` — "unexpected end of statement while looking for matching double-quote"
    UnterminatedDoubleQuote,
    /// The word ended inside `${…}` — "syntax error: missing '}'"
    MissingBrace,
    /// `${V/pattern` without the second `/` — "syntax error: missing '/' in ${}"
    MissingSlash,
    /// `${}`, `${:…}`, `${{…}` — "syntax error: bad substitution"
    BadSubstitution,
    /// `${V:=x}`, `${V.}`, `${V` — "unsupported modifier (:=) in substitution". The
    /// modifier is the text after the name; the end of the word shows as `�`, as in Go.
    UnsupportedModifier(String),
    /// `${V?msg}` / `${V:?msg}` — "V: msg"; without a message BuildKit says
    /// "is not allowed to be unset" or "is not allowed to be empty".
    Required { name: String, message: String },
    /// `${V#\x}` — "invalid pattern (\x) in substitution: invalid escape '\x'".
    /// For `%`/`%%` the pattern is shown reversed, as BuildKit shows it.
    InvalidPattern { pattern: String, escaped: char },
    /// An internal stop character was not found (BuildKit's generic
    /// "unexpected end of statement while looking for matching X").
    UnexpectedEnd(char),
    /// More than [`limits::MAX_SUBSTITUTION_DEPTH`] nested `${…}`.
    DepthLimit,
    /// The result grew past [`limits::MAX_EXPANDED_WORD_BYTES`].
    SizeLimit,
    /// A `#`/`%`/`/` pattern match needed more than [`limits::MAX_PATTERN_MATCH_CELLS`].
    PatternLimit,
}

impl WordErrorKind {
    /// The reason alone, as BuildKit prints it after `failed to process "…": `.
    pub fn message(&self) -> String {
        match self {
            WordErrorKind::UnterminatedSingleQuote => {
                "unexpected end of statement while looking for matching single-quote".into()
            }
            WordErrorKind::UnterminatedDoubleQuote => {
                "unexpected end of statement while looking for matching double-quote".into()
            }
            WordErrorKind::MissingBrace => "syntax error: missing '}'".into(),
            WordErrorKind::MissingSlash => "syntax error: missing '/' in ${}".into(),
            WordErrorKind::BadSubstitution => "syntax error: bad substitution".into(),
            WordErrorKind::UnsupportedModifier(m) => format!("unsupported modifier ({m}) in substitution"),
            WordErrorKind::Required { name, message } => format!("{name}: {message}"),
            WordErrorKind::InvalidPattern { pattern, escaped } => {
                format!("invalid pattern ({pattern}) in substitution: invalid escape '\\{escaped}'")
            }
            WordErrorKind::UnexpectedEnd(c) => {
                format!("unexpected end of statement while looking for matching {c}")
            }
            WordErrorKind::DepthLimit => format!(
                "variable substitutions nested more than {} deep (a dfplay limit)",
                limits::MAX_SUBSTITUTION_DEPTH
            ),
            WordErrorKind::SizeLimit => format!(
                "expanded word is longer than {} MiB (a dfplay limit)",
                limits::MAX_EXPANDED_WORD_BYTES >> 20
            ),
            WordErrorKind::PatternLimit => {
                "pattern match in substitution is too large (a dfplay limit)".to_string()
            }
        }
    }
}

/// A word that could not be processed: what went wrong, the word, and where.
///
/// `Display` gives BuildKit's full text, e.g.
/// `failed to process "${B": unsupported modifier (�) in substitution`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordError {
    pub kind: WordErrorKind,
    /// The word as it was given to the lexer.
    pub word: String,
    /// Byte range in `word` where the problem was found: the `$`, quote or pattern
    /// that starts the offending part, up to where reading stopped.
    pub span: Range<usize>,
}

impl WordError {
    /// The reason alone (BuildKit's inner error text).
    pub fn message(&self) -> String {
        self.kind.message()
    }
}

impl fmt::Display for WordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = if self.word.chars().count() > limits::MAX_ERROR_WORD_CHARS {
            let cut: String = self.word.chars().take(limits::MAX_ERROR_WORD_CHARS).collect();
            format!("{}…", go_quote(&cut))
        } else {
            go_quote(&self.word)
        };
        write!(f, "failed to process {shown}: {}", self.kind.message())
    }
}

impl std::error::Error for WordError {}
