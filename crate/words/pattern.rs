//! The shell patterns of `${V#p}`, `${V##p}`, `${V%p}`, `${V%%p}`, `${V/p/r}` and
//! `${V//p/r}`, matched as BuildKit matches them.
//!
//! BuildKit turns the pattern into a Go regular expression (`*` → `.*?` or `.*`,
//! `?` → `.`, `\*` `\?` `\\` literal, `\}` `\/` drop the backslash, no bracket
//! expressions) and uses Go's leftmost-first matching; `%` reverses pattern and value to
//! reuse the prefix search. This module reproduces that result without a regex engine:
//! a pattern is a list of items, and a dynamic programme computes, for every start
//! position, the end of the match a backtracking engine would report first. Time and
//! memory are linear in items × characters, bounded by
//! [`limits::MAX_PATTERN_MATCH_CELLS`](crate::limits::MAX_PATTERN_MATCH_CELLS).
//!
//! As in Go, `.` (so also `*`) does not match a newline.

use crate::limits;

/// Why a pattern could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PatternError {
    /// `\` followed by something other than `*`, `?`, `\`, `}` or `/`; the character
    /// after the backslash (`�` at the end of the pattern, as Go prints EOF).
    InvalidEscape(char),
    /// Matching would examine more than the limit of cells.
    TooLarge,
    /// The result would grow past the word size limit.
    TooLong,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Lit(char),
    /// `?`: any character but a newline.
    Any,
    /// `*`: any run of characters without a newline; greedy or lazy per pattern.
    Star,
}

struct Pattern {
    items: Vec<Item>,
    greedy: bool,
}

/// Sentinel for "no match from here".
const NONE: u32 = u32::MAX;

/// BuildKit's `convertShellPatternToRegex`, producing items instead of regex text.
fn compile(pattern: &str, greedy: bool) -> Result<Pattern, PatternError> {
    let mut chars = pattern.chars().peekable();
    // Go's text/scanner skips a byte order mark at the very start.
    if chars.peek() == Some(&'\u{feff}') {
        chars.next();
    }
    let mut items = Vec::new();
    while let Some(tok) = chars.next() {
        match tok {
            '*' => items.push(Item::Star),
            '?' => items.push(Item::Any),
            '\\' => {
                // `}` and `/` had to be escaped inside `${}`; the escape is not part of
                // the pattern, and the next round takes them as literals.
                if matches!(chars.peek(), Some('}') | Some('/')) {
                    continue;
                }
                match chars.next() {
                    Some(c @ ('*' | '?' | '\\')) => items.push(Item::Lit(c)),
                    Some(c) => return Err(PatternError::InvalidEscape(c)),
                    None => return Err(PatternError::InvalidEscape('\u{fffd}')),
                }
            }
            c => items.push(Item::Lit(c)),
        }
    }
    Ok(Pattern { items, greedy })
}

/// For every start position `p` (in characters), the end of the first match a
/// leftmost-first backtracking engine finds from `p`, or [`NONE`].
fn first_match_ends(pat: &Pattern, text: &[char]) -> Result<Vec<u32>, PatternError> {
    let n = text.len();
    let cells = (pat.items.len() + 1).saturating_mul(n + 1);
    if cells > limits::MAX_PATTERN_MATCH_CELLS || n >= NONE as usize {
        return Err(PatternError::TooLarge);
    }
    // next[p]: result for the items after the current one.
    let mut next: Vec<u32> = (0..=n as u32).collect();
    let mut cur = vec![NONE; n + 1];
    for item in pat.items.iter().rev() {
        for p in (0..=n).rev() {
            let here = text.get(p).copied();
            cur[p] = match *item {
                Item::Lit(c) => {
                    if here == Some(c) {
                        next[p + 1]
                    } else {
                        NONE
                    }
                }
                Item::Any => {
                    if here.is_some_and(|c| c != '\n') {
                        next[p + 1]
                    } else {
                        NONE
                    }
                }
                Item::Star => {
                    let consume = if here.is_some_and(|c| c != '\n') { cur[p + 1] } else { NONE };
                    if pat.greedy {
                        if consume != NONE {
                            consume
                        } else {
                            next[p]
                        }
                    } else if next[p] != NONE {
                        next[p]
                    } else {
                        consume
                    }
                }
            };
        }
        std::mem::swap(&mut next, &mut cur);
    }
    Ok(next)
}

/// Characters of `s` with the byte offset of each, plus the total length.
fn chars_with_offsets(s: &str) -> (Vec<char>, Vec<usize>) {
    let mut chars = Vec::with_capacity(s.len());
    let mut offsets = Vec::with_capacity(s.len() + 1);
    for (i, c) in s.char_indices() {
        chars.push(c);
        offsets.push(i);
    }
    offsets.push(s.len());
    (chars, offsets)
}

/// `${V#p}` (`greedy` false) and `${V##p}` (`greedy` true): `value` without the
/// shortest/longest prefix matching `pattern`.
pub(crate) fn trim_prefix(pattern: &str, value: &str, greedy: bool) -> Result<String, PatternError> {
    let pat = compile(pattern, greedy)?;
    let (chars, offsets) = chars_with_offsets(value);
    let ends = first_match_ends(&pat, &chars)?;
    match ends[0] {
        NONE => Ok(value.to_string()),
        e => Ok(value[offsets[e as usize]..].to_string()),
    }
}

/// `${V%p}` and `${V%%p}`: BuildKit reverses pattern and value and trims a prefix.
/// On an invalid pattern the error names the reversed pattern, as BuildKit's does;
/// [`reverse_pattern`] gives it.
pub(crate) fn trim_suffix(pattern: &str, value: &str, greedy: bool) -> Result<String, PatternError> {
    let reversed_pattern = reverse_pattern(pattern);
    let reversed_value: String = value.chars().rev().collect();
    let trimmed = trim_prefix(&reversed_pattern, &reversed_value, greedy)?;
    Ok(trimmed.chars().rev().collect())
}

/// BuildKit's `reversePattern`: reverses characters but keeps each `\x` pair in order.
pub(crate) fn reverse_pattern(pattern: &str) -> String {
    let runes: Vec<char> = pattern.chars().collect();
    let len = runes.len();
    let mut out = vec!['\0'; len];
    let mut i = 0;
    while i < len {
        let tok = runes[i];
        let out_idx = len - 1 - i;
        if tok == '\\' && i != len - 1 {
            out[out_idx - 1] = tok;
            out[out_idx] = runes[i + 1];
            i += 2;
        } else {
            out[out_idx] = tok;
            i += 1;
        }
    }
    out.into_iter().collect()
}

/// `${V/p/r}` (`all` false: the first match, replacement taken literally) and
/// `${V//p/r}` (`all` true: Go's `ReplaceAllString`, where `$0`/`${0}` in the
/// replacement stand for the match, `$$` for `$`, other `$name` for nothing).
pub(crate) fn replace(value: &str, pattern: &str, replacement: &str, all: bool) -> Result<String, PatternError> {
    let pat = compile(pattern, true)?;
    let (chars, offsets) = chars_with_offsets(value);
    let ends = first_match_ends(&pat, &chars)?;
    let n = chars.len();
    let find_from = |from: usize| (from..=n).find(|&s| ends[s] != NONE).map(|s| (s, ends[s] as usize));
    if !all {
        return Ok(match find_from(0) {
            Some((s, e)) => {
                let mut out = String::with_capacity(value.len() + replacement.len());
                out.push_str(&value[..offsets[s]]);
                out.push_str(replacement);
                out.push_str(&value[offsets[e]..]);
                out
            }
            None => value.to_string(),
        });
    }
    // Go's regexp.replaceAll, in character positions.
    let mut out = String::with_capacity(value.len());
    let mut last_match_end = 0usize;
    let mut search_pos = 0usize;
    while search_pos <= n {
        let Some((a0, a1)) = find_from(search_pos) else { break };
        out.push_str(&value[offsets[last_match_end]..offsets[a0]]);
        if a1 > last_match_end || a0 == 0 {
            expand_template(&mut out, replacement, &value[offsets[a0]..offsets[a1]]);
        }
        if out.len() > limits::MAX_EXPANDED_WORD_BYTES {
            return Err(PatternError::TooLong);
        }
        last_match_end = a1;
        search_pos = if a1 <= search_pos { search_pos + 1 } else { a1 };
    }
    out.push_str(&value[offsets[last_match_end.min(n)]..]);
    Ok(out)
}

/// Go's `Regexp.Expand` for a pattern without capture groups: `$0`, `${0}` are the
/// match, `$$` is `$`, other well-formed references expand to nothing, a malformed
/// one leaves its `$` as text.
fn expand_template(out: &mut String, template: &str, matched: &str) {
    let mut rest = template;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix('$') {
            out.push('$');
            rest = r;
            continue;
        }
        match extract_reference(rest) {
            Some((name, after)) => {
                if name == "0" {
                    out.push_str(matched);
                }
                rest = after;
            }
            None => out.push('$'),
        }
    }
    out.push_str(rest);
}

/// Go's `extract`: a leading `name` or `{name}` of letters, digits and `_`.
fn extract_reference(s: &str) -> Option<(&str, &str)> {
    let (body, brace) = match s.strip_prefix('{') {
        Some(b) => (b, true),
        None => (s, false),
    };
    let end = body
        .char_indices()
        .find(|&(_, c)| !(super::unicode::is_letter(c) || super::unicode::is_digit(c) || c == '_'))
        .map_or(body.len(), |(i, _)| i);
    if end == 0 {
        return None;
    }
    let name = &body[..end];
    let after = &body[end..];
    if brace {
        let after = after.strip_prefix('}')?;
        return Some((name, after));
    }
    Some((name, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reverse_pattern_keeps_escapes() {
        assert_eq!(reverse_pattern("a\\*c"), "c\\*a");
        assert_eq!(reverse_pattern("\\\\\\ab"), "b\\a\\\\");
        assert_eq!(reverse_pattern("ab\\"), "\\ba");
        assert_eq!(reverse_pattern("👽\\🚀🖖"), "🖖\\🚀👽");
        assert_eq!(reverse_pattern("\\\\b"), "b\\\\");
        assert_eq!(reverse_pattern(""), "");
    }

    #[test]
    fn invalid_escapes() {
        for p in ["\\", "\\x", "\\\\\\"] {
            assert!(matches!(compile(p, true), Err(PatternError::InvalidEscape(_))), "{p}");
        }
        assert_eq!(compile("\\", true).err(), Some(PatternError::InvalidEscape('\u{fffd}')));
    }

    #[test]
    fn prefix_and_suffix() {
        assert_eq!(trim_prefix("*x*y", "xxyy", false).unwrap(), "y");
        assert_eq!(trim_prefix("*", "xxyy", false).unwrap(), "xxyy");
        assert_eq!(trim_prefix("*x", "xxyy", true).unwrap(), "yy");
        assert_eq!(trim_prefix("?\\?", "???y", false).unwrap(), "?y");
        assert_eq!(trim_suffix("\\**", "xx**", true).unwrap(), "xx");
        assert_eq!(trim_suffix("\\**\\*", "a***yy*", true).unwrap(), "a");
        assert_eq!(trim_suffix("x", "xxyy", false).unwrap(), "xxyy");
        assert_eq!(trim_suffix("/*", "/usr/local/bin", false).unwrap(), "/usr/local");
        assert_eq!(trim_suffix("/*", "/usr/local/bin", true).unwrap(), "");
        assert_eq!(trim_prefix("*/", "/usr/local/bin", true).unwrap(), "bin");
        // `*` does not cross a newline, as Go's `.` does not.
        assert_eq!(trim_prefix("*x", "a\nx", false).unwrap(), "a\nx");
    }

    #[test]
    fn replace_first_and_all() {
        assert_eq!(replace("/foo*/*/*.txt", "\\*/", ".", false).unwrap(), "/foo.*/*.txt");
        assert_eq!(replace("/foo*/*/*.txt", "\\*/", ".", true).unwrap(), "/foo..*.txt");
        assert_eq!(replace("/tmp/tmp/bar.txt", "/tmp", "", true).unwrap(), "/bar.txt");
        assert_eq!(replace("/a/foo/b/c.txt", "/?/", "/", true).unwrap(), "/foo/c.txt");
        assert_eq!(replace("xxyy", "", "ww", false).unwrap(), "wwxxyy");
        assert_eq!(replace("xxyy", "", "", true).unwrap(), "xxyy");
        // Go's ReplaceAll: an empty match right after a match is skipped.
        assert_eq!(replace("ab", "", "-", true).unwrap(), "-a-b-");
        assert_eq!(replace("abc", "*", "-", true).unwrap(), "-");
        assert_eq!(replace("abc", "b*", "-", true).unwrap(), "a-");
        assert_eq!(replace("a\nb", "*", "-", true).unwrap(), "-\n-");
        // Template references only in the "all" form.
        assert_eq!(replace("abc", "b", "[$0]", true).unwrap(), "a[b]c");
        assert_eq!(replace("abc", "b", "[$0]", false).unwrap(), "a[$0]c");
        assert_eq!(replace("abc", "b", "$$-${0}-$1-$x.", true).unwrap(), "a$-b--.c");
        assert_eq!(replace("abc", "b", "$", true).unwrap(), "a$c");
        assert_eq!(replace("abc", "b", "${0", true).unwrap(), "a${0c");
    }

    #[test]
    fn big_inputs_are_bounded() {
        let value = "a".repeat(1 << 20);
        let pattern = "*".repeat(200);
        assert_eq!(trim_prefix(&pattern, &value, true).err(), Some(PatternError::TooLarge));
        assert_eq!(trim_prefix("*a*b", &value, false).unwrap().len(), 1 << 20);
    }
}
