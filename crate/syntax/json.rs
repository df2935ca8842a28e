//! The exec (JSON) form: decides, as BuildKit's `parseJSON` does with Go's
//! `json.Unmarshal` into `[]any`, whether an instruction's arguments are a JSON array of
//! strings, something to read as shell form, or an error.
//!
//! The validator is iterative (no recursion, so no stack overflow on `[[[[...`) and follows
//! Go's decoder: JSON white space only, nesting deeper than 10 000 levels is a syntax error,
//! a number that overflows `float64` is an unmarshal error (so shell form), invalid UTF-8
//! inside strings becomes U+FFFD, lone surrogates in `\u` escapes become U+FFFD.

use super::scan;

/// Go's `encoding/json` maximum nesting depth; deeper input is a syntax error.
const GO_JSON_MAX_DEPTH: usize = 10_000;

/// What BuildKit makes of text that may be a JSON array.
#[derive(Debug)]
pub(crate) enum JsonOutcome {
    /// A JSON array of strings: the exec form. `end` is one past the closing `]`.
    Strings { end: usize },
    /// Not a JSON array (or malformed): BuildKit falls back to the shell form.
    NotJson,
    /// A valid JSON array with a non-string element: BuildKit's hard error.
    NotStringArray,
}

#[inline]
fn is_json_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

struct Scan<'a> {
    s: &'a [u8],
    i: usize,
    overflow: bool,
}

impl Scan<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && is_json_ws(self.s[self.i]) {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    /// Scans a string starting at the opening quote; returns (inner start, inner end, has escapes).
    fn string(&mut self) -> Option<(usize, usize, bool)> {
        self.i += 1;
        let start = self.i;
        let mut escapes = false;
        loop {
            self.i = scan::to_json_special(self.s, self.i);
            let b = *self.s.get(self.i)?;
            match b {
                b'"' => {
                    let end = self.i;
                    self.i += 1;
                    return Some((start, end, escapes));
                }
                b'\\' => {
                    escapes = true;
                    let e = *self.s.get(self.i + 1)?;
                    match e {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.i += 2,
                        b'u' => {
                            let hex = self.s.get(self.i + 2..self.i + 6)?;
                            if !hex.iter().all(u8::is_ascii_hexdigit) {
                                return None;
                            }
                            self.i += 6;
                        }
                        _ => return None,
                    }
                }
                0..=0x1F => return None,
                _ => self.i += 1,
            }
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.s[self.i..].starts_with(word) {
            self.i += word.len();
            Some(())
        } else {
            None
        }
    }

    fn number(&mut self) -> Option<()> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => {
                while matches!(self.peek(), Some(b'0'..=b'9')) {
                    self.i += 1;
                }
            }
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return None;
            }
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.i += 1;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return None;
            }
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.i += 1;
            }
        }
        // Go decodes numbers into float64; an overflow is an unmarshal error.
        let text = std::str::from_utf8(&self.s[start..self.i]).ok()?;
        if text.parse::<f64>().map(f64::is_infinite).unwrap_or(true) {
            self.overflow = true;
        }
        Some(())
    }
}

/// Reads `s` (already trimmed of leading white space) as BuildKit's `parseJSON` would.
/// Each top-level string is given to `on_string(start, end, decoded)` as it is met
/// (`start..end` excludes the quotes; `decoded` is set when the value differs from the
/// bytes); they count only when the outcome is [`JsonOutcome::Strings`].
/// `utf8`: `s` is known to be valid UTF-8 (saves checking each string).
pub(crate) fn parse_array(s: &[u8], utf8: bool, mut on_string: impl FnMut(usize, usize, Option<String>)) -> JsonOutcome {
    if s.first() != Some(&b'[') {
        return JsonOutcome::NotJson;
    }
    let mut scan = Scan { s, i: 0, overflow: false };
    let mut non_string = false;
    let mut strings = |start: usize, end: usize, escapes: bool| {
        let decoded = if escapes || (!utf8 && std::str::from_utf8(&s[start..end]).is_err()) {
            Some(decode(&s[start..end]))
        } else {
            None
        };
        on_string(start, end, decoded);
    };
    if let Some(end) = flat_strings(s, &mut strings) {
        return JsonOutcome::Strings { end };
    }
    match validate(&mut scan, &mut strings, &mut non_string) {
        Some(end) if !scan.overflow => {
            if non_string {
                JsonOutcome::NotStringArray
            } else {
                JsonOutcome::Strings { end }
            }
        }
        _ => JsonOutcome::NotJson,
    }
}

/// The common exec form in one pass: a flat array of at most 16 strings without escapes,
/// `["a", "b"]`. Reports the strings and returns one past the `]`, or `None` (reporting
/// nothing) for anything else, which [`validate`] then reads.
fn flat_strings(s: &[u8], strings: &mut impl FnMut(usize, usize, bool)) -> Option<usize> {
    let ws = |mut i: usize| {
        while i < s.len() && is_json_ws(s[i]) {
            i += 1;
        }
        i
    };
    let mut found = [(0usize, 0usize); 16];
    let mut n = 0;
    let mut i = ws(1);
    if s.get(i) != Some(&b']') {
        loop {
            if s.get(i) != Some(&b'"') || n == found.len() {
                return None;
            }
            let end = scan::to_json_special(s, i + 1);
            if s.get(end) != Some(&b'"') {
                return None;
            }
            found[n] = (i + 1, end);
            n += 1;
            i = ws(end + 1);
            match s.get(i) {
                Some(b',') => i = ws(i + 1),
                Some(b']') => break,
                _ => return None,
            }
        }
    }
    let end = i + 1;
    if ws(end) != s.len() {
        return None;
    }
    for &(a, b) in &found[..n] {
        strings(a, b, false);
    }
    Some(end)
}

/// A stack of open containers, one bit each (`[` or `{`): no allocation below 256 levels.
struct Stack {
    inline: [u64; 4],
    spill: Vec<u64>,
    len: usize,
}

impl Stack {
    fn bit(&self, i: usize) -> bool {
        let word = if i < 256 { self.inline[i / 64] } else { self.spill[(i - 256) / 64] };
        word >> (i % 64) & 1 == 1
    }
    fn push(&mut self, object: bool) {
        let i = self.len;
        if i >= 256 && (i - 256) / 64 >= self.spill.len() {
            self.spill.push(0);
        }
        let word = if i < 256 { &mut self.inline[i / 64] } else { &mut self.spill[(i - 256) / 64] };
        *word = (*word & !(1 << (i % 64))) | (u64::from(object) << (i % 64));
        self.len += 1;
    }
    fn pop(&mut self) {
        self.len -= 1;
    }
    /// `Some(true)` for an object on top, `Some(false)` for an array.
    fn top(&self) -> Option<bool> {
        (self.len > 0).then(|| self.bit(self.len - 1))
    }
}

/// Validates one JSON document that starts with `[`; reports the top-level strings.
/// Returns one past the closing `]` of the top-level array.
fn validate(scan: &mut Scan<'_>, strings: &mut impl FnMut(usize, usize, bool), non_string: &mut bool) -> Option<usize> {
    let mut stack = Stack { inline: [0; 4], spill: Vec::new(), len: 0 };
    let mut array_end = 0;
    'value: loop {
        scan.ws();
        let top_level_element = stack.len == 1;
        match scan.peek()? {
            open @ (b'[' | b'{') => {
                if top_level_element {
                    *non_string = true;
                }
                stack.push(open == b'{');
                if stack.len > GO_JSON_MAX_DEPTH {
                    return None;
                }
                scan.i += 1;
                scan.ws();
                let close = if open == b'[' { b']' } else { b'}' };
                if scan.peek() == Some(close) {
                    scan.i += 1;
                    stack.pop();
                    if stack.len == 0 {
                        array_end = scan.i;
                    }
                } else if open == b'{' {
                    object_key(scan)?;
                    continue 'value;
                } else {
                    continue 'value;
                }
            }
            b'"' => {
                let (start, end, escapes) = scan.string()?;
                if top_level_element {
                    strings(start, end, escapes);
                }
            }
            b't' => {
                scan.literal(b"true")?;
                *non_string |= top_level_element;
            }
            b'f' => {
                scan.literal(b"false")?;
                *non_string |= top_level_element;
            }
            b'n' => {
                scan.literal(b"null")?;
                *non_string |= top_level_element;
            }
            b'-' | b'0'..=b'9' => {
                scan.number()?;
                *non_string |= top_level_element;
            }
            _ => return None,
        }
        // After a value: commas, closers, or the end of the document.
        loop {
            let Some(object) = stack.top() else {
                scan.ws();
                return if scan.i == scan.s.len() { Some(array_end) } else { None };
            };
            scan.ws();
            match scan.peek()? {
                b',' => {
                    scan.i += 1;
                    if object {
                        object_key(scan)?;
                    }
                    continue 'value;
                }
                b']' if !object => {
                    scan.i += 1;
                    stack.pop();
                    if stack.len == 0 {
                        array_end = scan.i;
                    }
                }
                b'}' if object => {
                    scan.i += 1;
                    stack.pop();
                }
                _ => return None,
            }
        }
    }
}

/// `"key" :` inside an object.
fn object_key(scan: &mut Scan<'_>) -> Option<()> {
    scan.ws();
    if scan.peek()? != b'"' {
        return None;
    }
    scan.string()?;
    scan.ws();
    if scan.peek()? != b':' {
        return None;
    }
    scan.i += 1;
    Some(())
}

fn hex4(b: &[u8]) -> Option<u32> {
    let s = std::str::from_utf8(b.get(..4)?).ok()?;
    u32::from_str_radix(s, 16).ok()
}

/// Decodes the inside of a validated JSON string as Go's `unquote` does.
fn decode(raw: &[u8]) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    let mut plain = 0;
    while i < raw.len() {
        if raw[i] != b'\\' {
            i += 1;
            continue;
        }
        out.push_str(&crate::syntax::text::go_lossy(&raw[plain..i]));
        let e = raw[i + 1];
        i += 2;
        match e {
            b'b' => out.push('\u{8}'),
            b'f' => out.push('\u{c}'),
            b'n' => out.push('\n'),
            b'r' => out.push('\r'),
            b't' => out.push('\t'),
            b'u' => {
                let r = hex4(&raw[i..]).unwrap_or(0xFFFD);
                i += 4;
                if (0xD800..0xE000).contains(&r) {
                    // A surrogate: valid only as a high one followed by a low one.
                    let low = if raw.get(i) == Some(&b'\\') && raw.get(i + 1) == Some(&b'u') {
                        hex4(&raw[i + 2..])
                    } else {
                        None
                    };
                    match low {
                        Some(lo) if r < 0xDC00 && (0xDC00..0xE000).contains(&lo) => {
                            let c = 0x10000 + ((r - 0xD800) << 10) + (lo - 0xDC00);
                            out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                            i += 6;
                        }
                        _ => out.push('\u{FFFD}'),
                    }
                } else {
                    out.push(char::from_u32(r).unwrap_or('\u{FFFD}'));
                }
            }
            other => out.push(other as char),
        }
        plain = i;
    }
    out.push_str(&crate::syntax::text::go_lossy(&raw[plain..]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(s: &str) -> Option<Vec<String>> {
        let mut out = Vec::new();
        match parse_array(s.as_bytes(), true, |a, b, d| out.push(d.unwrap_or_else(|| s[a..b].to_owned()))) {
            JsonOutcome::Strings { .. } => Some(out),
            _ => None,
        }
    }

    fn outcome(s: &[u8]) -> JsonOutcome {
        parse_array(s, false, |_, _, _| {})
    }

    #[test]
    fn arrays() {
        assert_eq!(strings("[]"), Some(vec![]));
        assert_eq!(strings(r#"[ "a", "b" ]"#), Some(vec!["a".into(), "b".into()]));
        assert_eq!(strings(r#"["\" \\ \/ \b \f \n \r \t \u0000"]"#), Some(vec!["\" \\ / \u{8} \u{c} \n \r \t \u{0}".into()]));
        assert_eq!(strings(r#"["\ud83d\ude00", "\ud800x"]"#), Some(vec!["😀".into(), "\u{FFFD}x".into()]));
        assert!(matches!(outcome(br#"["a", 1]"#), JsonOutcome::NotStringArray));
        assert!(matches!(outcome(br#"[ "echo", [ "nested json" ] ]"#), JsonOutcome::NotStringArray));
        assert!(matches!(outcome(br#"["a", 1e999]"#), JsonOutcome::NotJson));
        assert!(matches!(outcome(br#"['a']"#), JsonOutcome::NotJson));
        assert!(matches!(outcome(br#"["a"] x"#), JsonOutcome::NotJson));
        assert!(matches!(outcome(b"[\x0b\"a\"]"), JsonOutcome::NotJson));
        assert!(matches!(outcome(br#"["a",]"#), JsonOutcome::NotJson));
        assert!(matches!(outcome(br#"["a", {"k": [1, {"x": null}]}]"#), JsonOutcome::NotStringArray));
        let deep = "[".repeat(GO_JSON_MAX_DEPTH) + &"]".repeat(GO_JSON_MAX_DEPTH);
        assert!(matches!(outcome(deep.as_bytes()), JsonOutcome::NotStringArray));
        let deeper = "[".repeat(GO_JSON_MAX_DEPTH + 1) + &"]".repeat(GO_JSON_MAX_DEPTH + 1);
        assert!(matches!(outcome(deeper.as_bytes()), JsonOutcome::NotJson));
    }
}
