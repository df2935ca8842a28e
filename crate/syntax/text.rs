//! Byte-level text helpers with Go's exact semantics: which bytes and characters count as
//! white space (`unicode.IsSpace`, the `[\t\v\f\r ]` class, byte-wise checks), lossy UTF-8
//! decoding one byte at a time, simple case mapping and `strconv.Quote`.
//!
//! BuildKit is written in Go and its parser mixes three notions of "space"; matching it byte
//! for byte needs all three, so they live here with their names.

use serde::Serialize;
use std::fmt;
use std::ops::Range;

/// A byte range `start..end` in the parsed input.
///
/// Offsets are `u32`: inputs are capped by [`crate::limits::MAX_DOCKERFILE_BYTES`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct TextRange {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl TextRange {
    /// The range `start..end`.
    pub const fn new(start: u32, end: u32) -> Self {
        TextRange { start, end }
    }
    /// An empty range at `offset`.
    pub const fn empty(offset: u32) -> Self {
        TextRange { start: offset, end: offset }
    }
    /// Length in bytes.
    pub const fn len(self) -> u32 {
        self.end - self.start
    }
    /// True when the range covers no byte.
    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }
    /// The range as `usize` indices for slicing.
    pub fn to_usize(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
    /// The smallest range covering both.
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
    /// True when `offset` lies in `start..end`.
    pub fn contains(self, offset: u32) -> bool {
        self.start <= offset && offset < self.end
    }
}

impl fmt::Display for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// Byte classes, one table lookup per byte in the parser's scanning loops.
pub(crate) mod class {
    /// `[\t\v\f\r ]` (BuildKit's `reWhitespace`).
    pub const RE_WS: u8 = 1;
    /// `\n`.
    pub const NEWLINE: u8 = 2;
    /// Not ASCII.
    pub const HIGH: u8 = 4;
    /// `'` or `"`.
    pub const QUOTE: u8 = 8;
    /// `\`.
    pub const BACKSLASH: u8 = 16;
    /// `` ` ``.
    pub const BACKTICK: u8 = 32;
    /// ASCII white space (`unicode.IsSpace` on ASCII).
    pub const ASCII_WS: u8 = RE_WS | NEWLINE;

    /// The class bits of each byte.
    pub static OF: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut i = 0;
        while i < 256 {
            t[i] = match i as u8 {
                b'\t' | 0x0B | 0x0C | b'\r' | b' ' => RE_WS,
                b'\n' => NEWLINE,
                b'\'' | b'"' => QUOTE,
                b'\\' => BACKSLASH,
                b'`' => BACKTICK,
                0x80..=0xFF => HIGH,
                _ => 0,
            };
            i += 1;
        }
        t
    };

    /// The class bit of an escape character.
    pub const fn escape(esc: u8) -> u8 {
        if esc == b'`' {
            BACKTICK
        } else {
            BACKSLASH
        }
    }
}

/// `[\t\v\f\r ]`: BuildKit's `reWhitespace`, which splits the instruction name from its
/// arguments and whitespace-delimited arguments from each other. Not `\n`, not Unicode.
#[inline]
pub(crate) fn is_re_ws(b: u8) -> bool {
    class::OF[b as usize] & class::RE_WS != 0
}

/// `unicode.IsSpace(rune(b))` for a single byte read as a rune, as BuildKit's flag and
/// HEALTHCHECK splitters do (so the bytes 0x85 and 0xA0 count, even inside a UTF-8 sequence).
#[inline]
pub(crate) fn is_byte_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' | 0x85 | 0xA0)
}

/// Length of the Unicode white-space character (Go's `unicode.IsSpace`, the White_Space
/// property) that starts at `b[i]`, or 0 when there is none.
#[inline]
pub(crate) fn space_len(b: &[u8], i: usize) -> usize {
    match b[i] {
        b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => 1,
        c if c < 0x80 => 0,
        0xC2 => match b.get(i + 1) {
            Some(0x85) | Some(0xA0) => 2,
            _ => 0,
        },
        0xE1 => (b.get(i + 1) == Some(&0x9A) && b.get(i + 2) == Some(&0x80)) as usize * 3,
        0xE2 => match (b.get(i + 1), b.get(i + 2)) {
            (Some(0x80), Some(&c)) if (0x80..=0x8A).contains(&c) || matches!(c, 0xA8 | 0xA9 | 0xAF) => 3,
            (Some(0x81), Some(0x9F)) => 3,
            _ => 0,
        },
        0xE3 => (b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x80)) as usize * 3,
        _ => 0,
    }
}

/// Length of the Unicode white-space character that ends just before `b[end]`, or 0.
#[inline]
pub(crate) fn space_len_before(b: &[u8], start: usize, end: usize) -> usize {
    if end <= start {
        return 0;
    }
    let last = b[end - 1];
    if last < 0x80 {
        return space_len(b, end - 1);
    }
    if end - start >= 2 && space_len(b, end - 2) == 2 {
        return 2;
    }
    if end - start >= 3 && space_len(b, end - 3) == 3 {
        return 3;
    }
    0
}

/// `strings.TrimLeftFunc(s, unicode.IsSpace)` on `b[start..end]`: the new start.
#[inline(always)]
pub(crate) fn trim_start(b: &[u8], mut start: usize, end: usize) -> usize {
    while start < end && class::OF[b[start] as usize] & class::ASCII_WS != 0 {
        start += 1;
    }
    if start == end || b[start] < 0x80 {
        return start;
    }
    trim_start_unicode(b, start, end)
}

#[cold]
fn trim_start_unicode(b: &[u8], mut start: usize, end: usize) -> usize {
    while start < end {
        let n = space_len(b, start);
        if n == 0 || start + n > end {
            break;
        }
        start += n;
    }
    start
}

/// `strings.TrimRightFunc(s, unicode.IsSpace)` on `b[start..end]`: the new end.
#[inline(always)]
pub(crate) fn trim_end(b: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && class::OF[b[end - 1] as usize] & class::ASCII_WS != 0 {
        end -= 1;
    }
    if end == start || b[end - 1] < 0x80 {
        return end;
    }
    trim_end_unicode(b, start, end)
}

#[cold]
fn trim_end_unicode(b: &[u8], start: usize, mut end: usize) -> usize {
    while end > start {
        let n = space_len_before(b, start, end);
        if n == 0 {
            break;
        }
        end -= n;
    }
    end
}

/// The width Go's `utf8.DecodeRune` gives the character at `b[i]`: its length when it is
/// a valid UTF-8 sequence, 1 for an invalid byte.
#[inline]
pub(crate) fn utf8_width(b: &[u8], i: usize) -> usize {
    let c = b[i];
    if c < 0x80 {
        return 1;
    }
    let (n, lo, hi) = match c {
        0xC2..=0xDF => (2, 0x80, 0xBF),
        0xE0 => (3, 0xA0, 0xBF),
        0xE1..=0xEC | 0xEE..=0xEF => (3, 0x80, 0xBF),
        0xED => (3, 0x80, 0x9F),
        0xF0 => (4, 0x90, 0xBF),
        0xF1..=0xF3 => (4, 0x80, 0xBF),
        0xF4 => (4, 0x80, 0x8F),
        _ => return 1,
    };
    if i + n > b.len() {
        return 1;
    }
    let second = b[i + 1];
    if second < lo || second > hi {
        return 1;
    }
    if b[i + 2..i + n].iter().all(|&x| (0x80..=0xBF).contains(&x)) {
        n
    } else {
        1
    }
}

/// Go's lossy decoding: valid UTF-8 is kept, every byte that does not start a valid
/// sequence becomes U+FFFD (one per byte, as `utf8.DecodeRune` reads them).
pub(crate) fn go_lossy(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) => s.to_owned(),
        Err(_) => {
            let mut out = String::with_capacity(b.len() + 8);
            let mut rest = b;
            while !rest.is_empty() {
                match std::str::from_utf8(rest) {
                    Ok(s) => {
                        out.push_str(s);
                        break;
                    }
                    Err(e) => {
                        let good = e.valid_up_to();
                        // valid_up_to() bytes are valid UTF-8 by definition.
                        out.push_str(std::str::from_utf8(&rest[..good]).unwrap_or_default());
                        out.push('\u{FFFD}');
                        rest = &rest[good + 1..];
                    }
                }
            }
            out
        }
    }
}

/// Go's `unicode.ToLower` applied per character (simple case mapping: `İ` becomes `i`,
/// `K` (Kelvin) becomes `k`; a character whose full mapping has several characters keeps
/// its simple mapping or itself).
pub fn go_lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.chars()
        .map(|c| {
            if c == '\u{130}' {
                return 'i';
            }
            let mut it = c.to_lowercase();
            match (it.next(), it.next()) {
                (Some(l), None) => l,
                _ => c,
            }
        })
        .collect()
}

/// Go's `unicode.ToUpper` applied per character (simple case mapping; `ß` stays `ß`).
pub fn go_upper(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_uppercase();
    }
    s.chars()
        .map(|c| {
            let mut it = c.to_uppercase();
            match (it.next(), it.next()) {
                (Some(u), None) => u,
                _ => c,
            }
        })
        .collect()
}

/// Go's `strconv.Quote` (the `%q` verb), which BuildKit uses to quote words in its
/// errors (`failed to process "${A": …`), `Node.Dump()` arguments and image history:
/// a double-quoted string with Go escapes (`\"`, `\\`, `\n`, `\x00`, `\u00a0`, ...),
/// printable characters kept (so Korean text stays readable). Printability follows Go's
/// `unicode.IsPrint` for control, space, format, private-use and noncharacters;
/// unassigned code points are printed as they are.
///
/// ```
/// use dfplay::syntax::go_quote;
/// assert_eq!(go_quote("a\"b\\c\n한"), r#""a\"b\\c\n한""#);
/// assert_eq!(go_quote("\u{7f}\u{a0}"), r#""\x7f\u00a0""#);
/// ```
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    go_quote_into(&mut out, s);
    out
}

/// [`go_quote`] appending to `out`.
pub fn go_quote_into(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        go_quote_char_into(out, c, '"');
    }
    out.push('"');
}

/// Go's `strconv.QuoteRune`: `'A'`, `'\x00'`, `'\''`.
pub fn go_quote_rune(c: char) -> String {
    let mut out = String::from("'");
    go_quote_char_into(&mut out, c, '\'');
    out.push('\'');
    out
}

/// One character inside a Go quoted literal delimited by `quote`.
fn go_quote_char_into(out: &mut String, c: char, quote: char) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match c {
        '\\' => out.push_str("\\\\"),
        c if c == quote => {
            out.push('\\');
            out.push(c);
        }
        ' '..='~' => out.push(c),
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        c if (c as u32) < 0x20 || c as u32 == 0x7F => {
            out.push_str("\\x");
            out.push(HEX[(c as usize) >> 4] as char);
            out.push(HEX[(c as usize) & 15] as char);
        }
        c if go_is_print(c) => out.push(c),
        c => {
            let v = c as u32;
            if v < 0x10000 {
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(HEX[((v >> shift) & 15) as usize] as char);
                }
            } else {
                out.push_str("\\U");
                for shift in [28, 24, 20, 16, 12, 8, 4, 0] {
                    out.push(HEX[((v >> shift) & 15) as usize] as char);
                }
            }
        }
    }
}

/// An approximation of Go's `unicode.IsPrint` for non-ASCII characters without Unicode
/// tables: control, white-space, format, private-use and noncharacters are not printable.
fn go_is_print(c: char) -> bool {
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let v = c as u32;
    let format = matches!(v,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890..=0x891 | 0x8E2 | 0x180E
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF
        | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F);
    let private = matches!(v, 0xE000..=0xF8FF | 0xF0000..=0x10FFFF);
    let nonchar = (0xFDD0..=0xFDEF).contains(&v) || (v & 0xFFFE) == 0xFFFE;
    !(format || private || nonchar)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_like_go() {
        assert_eq!(go_quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(go_quote("\u{0}\t\n♥"), r#""\x00\t\n♥""#);
        assert_eq!(go_quote("\u{a0}\u{feff}\u{200b}"), r#""\u00a0\ufeff\u200b""#);
        assert_eq!(go_quote("\u{10FFFD}"), r#""\U0010fffd""#);
        assert_eq!(go_quote(""), "\"\"");
        assert_eq!(go_quote("${PATH%ab\\}"), "\"${PATH%ab\\\\}\"");
        assert_eq!(go_quote("\0\u{1b}\t"), "\"\\x00\\x1b\\t\"");
        assert_eq!(go_quote("안녕 ü 'x'"), "\"안녕 ü 'x'\"");
        assert_eq!(go_quote_rune('\0'), r"'\x00'");
        assert_eq!(go_quote_rune('A'), "'A'");
        assert_eq!(go_quote_rune('\''), r"'\''");
        assert_eq!(go_quote_rune('"'), "'\"'");
    }

    #[test]
    fn spaces() {
        let s = "\u{a0}x\u{3000}".as_bytes();
        assert_eq!(space_len(s, 0), 2);
        assert_eq!(trim_start(s, 0, s.len()), 2);
        assert_eq!(trim_end(s, 0, s.len()), 3);
        assert_eq!(utf8_width(b"\xe2\x22", 0), 1);
        assert_eq!(go_lossy(b"a\xe2\x82b"), "a\u{FFFD}\u{FFFD}b");
        assert_eq!(go_lower("WORKDİR"), "workdir");
        assert_eq!(go_upper("straße"), "STRAßE");
    }
}
