//! The token stream as [`SyntaxTree::tokens`] gives it: the tokens the parser stores (text,
//! comments, directives, continuations, heredocs, BOM) with the trivia between them —
//! [`TokenKind::Whitespace`] and [`TokenKind::Newline`] — derived from the gaps, so parsing
//! never stores a token per line ending.
//!
//! A gap is cut into lines at each `\n`. In a line that ends the gap with `\n` (or that
//! ends the input), the trailing run of `\r`/`\n` is the Newline and the blanks before it
//! are Whitespace; the piece before a stored token is all Whitespace (the indentation of
//! an instruction, comment or directive). That is exactly how the parser reads lines: a
//! line's terminator is its trailing `\r`/`\n` run, its indentation is the blanks before
//! its first character, and a line of only blanks is Whitespace then Newline.

use super::tree::{SyntaxTree, Token, TokenKind};
use super::text::TextRange;

/// Iterator over the tokens of a [`SyntaxTree`], in input order; they tile the input.
#[derive(Clone, Debug)]
pub struct Tokens<'t> {
    src: &'t [u8],
    stored: &'t [Token],
    /// The next stored token.
    next: usize,
    /// Where the next token starts.
    pos: usize,
}

impl<'t> Tokens<'t> {
    /// All tokens of `tree`.
    pub(crate) fn new(tree: &'t SyntaxTree) -> Self {
        Tokens { src: tree.source(), stored: &tree.tokens, next: 0, pos: 0 }
    }

    /// The tokens of `tree` from the one that contains `offset` (or the first after it).
    pub(crate) fn from_offset(tree: &'t SyntaxTree, offset: u32) -> Self {
        let (src, stored) = (tree.source(), &tree.tokens[..]);
        let next = stored.partition_point(|t| t.range.end <= offset);
        let gap_start = next.checked_sub(1).map_or(0, |i| stored[i].range.end as usize);
        let offset = (offset as usize).min(src.len());
        let pos = match stored.get(next) {
            Some(t) if t.range.start as usize <= offset => t.range.start as usize,
            // Inside a gap: its lines are independent, so start at the line of `offset`.
            _ => src[gap_start..offset].iter().rposition(|&c| c == b'\n').map_or(gap_start, |i| gap_start + i + 1),
        };
        let mut tokens = Tokens { src, stored, next, pos };
        while tokens.clone().next().is_some_and(|t| t.range.end as usize <= offset) {
            tokens.next();
        }
        tokens
    }

    /// The trivia token at `self.pos` in the gap that ends at `gap_end`.
    fn trivia(&self, gap_end: usize) -> Token {
        let (src, pos) = (self.src, self.pos);
        let piece_end = src[pos..gap_end].iter().position(|&c| c == b'\n').map_or(gap_end, |i| pos + i + 1);
        let ends_line = src[piece_end - 1] == b'\n' || piece_end == src.len();
        let mut blank_end = piece_end;
        if ends_line {
            while blank_end > pos && matches!(src[blank_end - 1], b'\r' | b'\n') {
                blank_end -= 1;
            }
        }
        let (kind, end) = if blank_end > pos { (TokenKind::Whitespace, blank_end) } else { (TokenKind::Newline, piece_end) };
        Token { kind, range: TextRange::new(pos as u32, end as u32) }
    }
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let stored = self.stored.get(self.next).copied();
        let gap_end = stored.map_or(self.src.len(), |t| t.range.start as usize);
        let token = if self.pos < gap_end {
            self.trivia(gap_end)
        } else {
            self.next += 1;
            stored?
        };
        self.pos = token.range.end as usize;
        Some(token)
    }
}
