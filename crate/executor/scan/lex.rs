//! A forgiving tokenizer for Go, JavaScript, Python, Java and C sources: names,
//! numbers, string literals (decoded, with the pieces of template literals and
//! f-strings), punctuation and line ends, each with its line, column and the
//! indentation of its line. Comments are dropped. Malformed input (an unclosed
//! string, a stray byte) still gives tokens; the count is bounded.

/// The languages the scanner reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Go,
    Js,
    Python,
    Java,
    C,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Ident,
    Str,
    Num,
    Punct,
    Newline,
}

/// A piece of a template literal or f-string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Lit(String),
    Code(String),
}

#[derive(Clone, Debug)]
pub struct Tok {
    pub kind: Kind,
    /// Identifier, number or punctuation text; a string's decoded value.
    pub text: String,
    /// Template literal / f-string pieces (`None` for a plain string).
    pub pieces: Option<Vec<Piece>>,
    pub start: usize,
    pub end: usize,
    /// 1-based line and byte column.
    pub line: u32,
    pub col: u32,
    /// Indentation (columns) of the line the token starts on.
    pub indent: u32,
}

impl Tok {
    pub fn is(&self, p: &str) -> bool {
        matches!(self.kind, Kind::Punct | Kind::Ident) && self.text == p
    }
    pub fn is_ident(&self) -> bool {
        self.kind == Kind::Ident
    }
}

/// Most tokens read from one source.
pub const MAX_TOKENS: usize = 200_000;

const PUNCT3: &[&str] = &["===", "!==", "...", "**=", "<<=", ">>=", "&^="];
const PUNCT2: &[&str] = &[
    ":=", "==", "!=", "<=", ">=", "&&", "||", "??", "=>", "->", "++", "--", "+=", "-=", "*=", "/=", "::", "<<", ">>", "**", "&^", "<-", "|=", "&=",
];

/// Tokenizes `src`.
pub fn lex(lang: Lang, src: &str) -> Vec<Tok> {
    let b = src.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    let mut line = 1u32;
    let mut line_start = 0usize;
    let mut indent = 0u32;
    let mut at_line_start = true;
    while i < b.len() && toks.len() < MAX_TOKENS {
        let c = b[i];
        if at_line_start {
            let mut j = i;
            let mut w = 0u32;
            while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
                w += if b[j] == b'\t' { 8 - w % 8 } else { 1 };
                j += 1;
            }
            indent = w;
            at_line_start = false;
            i = j;
            continue;
        }
        let col = (i - line_start) as u32 + 1;
        let mk = |kind: Kind, text: String, start: usize, end: usize| Tok { kind, text, pieces: None, start, end, line, col, indent };
        match c {
            b'\n' => {
                toks.push(mk(Kind::Newline, "\n".into(), i, i + 1));
                i += 1;
                line += 1;
                line_start = i;
                at_line_start = true;
            }
            b' ' | b'\t' | b'\r' | 0x0c => i += 1,
            b'\\' if lang == Lang::Python && b.get(i + 1) == Some(&b'\n') => {
                i += 2;
                line += 1;
                line_start = i;
            }
            b'#' if lang == Lang::Python || (lang == Lang::C && src[line_start..i].trim().is_empty()) => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'/') && lang != Lang::Python => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') && lang != Lang::Python => {
                i += 2;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    if b[i] == b'\n' {
                        line += 1;
                        line_start = i + 1;
                    }
                    i += 1;
                }
                i = (i + 2).min(b.len());
            }
            b'"' | b'\'' | b'`' => {
                let start = i;
                let (tok, next, lines) = string(lang, src, i, None);
                let mut t = mk(tok.0, tok.1, start, next);
                t.pieces = tok.2;
                toks.push(t);
                if lines > 0 {
                    line += lines;
                    line_start = src[..next].rfind('\n').map(|p| p + 1).unwrap_or(line_start);
                }
                i = next;
            }
            c if c.is_ascii_alphabetic() || c == b'_' || c == b'$' || c >= 0x80 => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$' || b[i] >= 0x80) {
                    i += 1;
                }
                // Python string prefixes: f"…", rb'…'
                if lang == Lang::Python && i - start <= 2 && i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let prefix = src[start..i].to_ascii_lowercase();
                    if prefix.chars().all(|c| "rbuf".contains(c)) {
                        let (tok, next, lines) = string(lang, src, i, Some(&prefix));
                        let mut t = mk(tok.0, tok.1, start, next);
                        t.pieces = tok.2;
                        toks.push(t);
                        if lines > 0 {
                            line += lines;
                            line_start = src[..next].rfind('\n').map(|p| p + 1).unwrap_or(line_start);
                        }
                        i = next;
                        continue;
                    }
                }
                // identifiers are ASCII-boundary safe: non-ASCII bytes are whole code points here
                while i < b.len() && !src.is_char_boundary(i) {
                    i += 1;
                }
                toks.push(mk(Kind::Ident, src[start..i].to_string(), start, i));
            }
            c if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.' || b[i] == b'_') {
                    i += 1;
                }
                toks.push(mk(Kind::Num, src[start..i].to_string(), start, i));
            }
            _ => {
                let start = i;
                let rest = &src[i..];
                let p = PUNCT3
                    .iter()
                    .chain(PUNCT2.iter())
                    .find(|p| rest.starts_with(**p))
                    .map(|p| p.len())
                    .unwrap_or_else(|| rest.chars().next().map(char::len_utf8).unwrap_or(1));
                i += p;
                toks.push(mk(Kind::Punct, src[start..i].to_string(), start, i));
            }
        }
    }
    toks
}

type StrTok = (Kind, String, Option<Vec<Piece>>);

/// Reads a string literal starting at the quote `b[i]`; returns the token, the
/// index after it and how many newlines it spans.
fn string(lang: Lang, src: &str, i: usize, prefix: Option<&str>) -> (StrTok, usize, u32) {
    let b = src.as_bytes();
    let q = b[i];
    let raw = (lang == Lang::Go && q == b'`') || prefix.is_some_and(|p| p.contains('r'));
    let fstring = prefix.is_some_and(|p| p.contains('f'));
    let template = lang == Lang::Js && q == b'`';
    let triple = matches!(lang, Lang::Python | Lang::Java) && b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q);
    let mut j = if triple { i + 3 } else { i + 1 };
    let multiline = triple || q == b'`';
    let mut value = String::new();
    let mut pieces: Vec<Piece> = Vec::new();
    let mut lines = 0u32;
    loop {
        if j >= b.len() {
            break;
        }
        let c = b[j];
        if c == q && (!triple || (b.get(j + 1) == Some(&q) && b.get(j + 2) == Some(&q))) {
            j += if triple { 3 } else { 1 };
            break;
        }
        if c == b'\n' {
            if !multiline {
                break; // unterminated: stop at the line end
            }
            lines += 1;
        }
        if c == b'\\' && !raw && j + 1 < b.len() {
            let (s, n) = escape(&src[j + 1..]);
            value.push_str(&s);
            j += 1 + n;
            continue;
        }
        if (template && c == b'$' && b.get(j + 1) == Some(&b'{')) || (fstring && c == b'{') {
            if fstring && b.get(j + 1) == Some(&b'{') {
                value.push('{');
                j += 2;
                continue;
            }
            let open = if template { j + 2 } else { j + 1 };
            let mut depth = 1;
            let mut k = open;
            while k < b.len() && depth > 0 {
                match b[k] {
                    b'{' => depth += 1,
                    b'}' => depth -= 1,
                    b'\n' => lines += 1,
                    _ => {}
                }
                if depth > 0 {
                    k += 1;
                }
            }
            let mut code = src.get(open..k.min(b.len())).unwrap_or("").to_string();
            if fstring {
                // drop a format spec / conversion: {x:>10}, {x!r}, {x=}
                if let Some(p) = code.find(|c| c == ':' || c == '!') {
                    code.truncate(p);
                }
                code = code.trim_end_matches('=').to_string();
            }
            if !value.is_empty() {
                pieces.push(Piece::Lit(std::mem::take(&mut value)));
            }
            pieces.push(Piece::Code(code));
            j = (k + 1).min(b.len());
            continue;
        }
        if fstring && c == b'}' && b.get(j + 1) == Some(&b'}') {
            value.push('}');
            j += 2;
            continue;
        }
        let ch_len = src[j..].chars().next().map(char::len_utf8).unwrap_or(1);
        value.push_str(&src[j..j + ch_len]);
        j += ch_len;
    }
    let kind = if q == b'\'' && matches!(lang, Lang::Go | Lang::Java | Lang::C) { Kind::Num } else { Kind::Str };
    if template || fstring {
        if !value.is_empty() || pieces.is_empty() {
            pieces.push(Piece::Lit(value));
        }
        let flat: String = pieces.iter().map(|p| if let Piece::Lit(s) = p { s.as_str() } else { "" }).collect();
        return ((kind, flat, Some(pieces)), j, lines);
    }
    ((kind, value, None), j, lines)
}

/// Decodes one escape after a backslash; returns the text and the bytes consumed.
fn escape(rest: &str) -> (String, usize) {
    let mut it = rest.chars();
    let Some(c) = it.next() else { return ("\\".into(), 0) };
    let simple = match c {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        '0' if !rest[1..].starts_with(|c: char| c.is_ascii_digit()) => Some('\0'),
        'a' => Some('\x07'),
        'b' => Some('\x08'),
        'f' => Some('\x0c'),
        'v' => Some('\x0b'),
        '\\' | '\'' | '"' | '`' | '$' | '{' | '}' => Some(c),
        '\n' => return (String::new(), 1),
        _ => None,
    };
    if let Some(s) = simple {
        return (s.to_string(), c.len_utf8());
    }
    let hex = |s: &str, n: usize| -> Option<(char, usize)> {
        let h = s.get(..n)?;
        let v = u32::from_str_radix(h, 16).ok()?;
        Some((char::from_u32(v).unwrap_or('\u{fffd}'), n))
    };
    match c {
        'x' => hex(&rest[1..], 2).map(|(ch, n)| (ch.to_string(), 1 + n)).unwrap_or(("x".into(), 1)),
        'u' if rest[1..].starts_with('{') => {
            let end = rest[2..].find('}').map(|e| e + 2);
            match end.and_then(|e| u32::from_str_radix(&rest[2..e], 16).ok().map(|v| (v, e))) {
                Some((v, e)) => (char::from_u32(v).unwrap_or('\u{fffd}').to_string(), e + 1),
                None => ("u".into(), 1),
            }
        }
        'u' => hex(&rest[1..], 4).map(|(ch, n)| (ch.to_string(), 1 + n)).unwrap_or(("u".into(), 1)),
        'U' => hex(&rest[1..], 8).map(|(ch, n)| (ch.to_string(), 1 + n)).unwrap_or(("U".into(), 1)),
        _ => (format!("\\{c}"), c.len_utf8()),
    }
}

/// For each opening bracket the index of its closing one (and back), `None` when unmatched.
pub fn match_brackets(toks: &[Tok]) -> Vec<Option<usize>> {
    let mut m = vec![None; toks.len()];
    let mut stack: Vec<(usize, char)> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.kind != Kind::Punct {
            continue;
        }
        let close_for = match t.text.as_str() {
            "(" | "[" | "{" => {
                stack.push((i, t.text.chars().next().unwrap_or('(')));
                continue;
            }
            ")" => '(',
            "]" => '[',
            "}" => '{',
            _ => continue,
        };
        // pop to the matching opener, leaving mismatched ones unmatched
        if let Some(pos) = stack.iter().rposition(|(_, c)| *c == close_for) {
            let (o, _) = stack[pos];
            stack.truncate(pos);
            m[o] = Some(i);
            m[i] = Some(o);
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lang: Lang, s: &str) -> Vec<String> {
        lex(lang, s).into_iter().filter(|t| t.kind != Kind::Newline).map(|t| t.text).collect()
    }

    #[test]
    fn strings_decode() {
        assert_eq!(texts(Lang::Go, r#"fmt.Println("a\tb\n", `raw\n`) // c"#), ["fmt", ".", "Println", "(", "a\tb\n", ",", "raw\\n", ")"]);
        let t = lex(Lang::Js, "`hi ${name}!`");
        assert_eq!(t[0].pieces, Some(vec![Piece::Lit("hi ".into()), Piece::Code("name".into()), Piece::Lit("!".into())]));
        let t = lex(Lang::Python, "f'{x:>3} {{y}}'");
        assert_eq!(t[0].pieces, Some(vec![Piece::Code("x".into()), Piece::Lit(" {y}".into())]));
        assert_eq!(texts(Lang::Python, "'''a\nb''' # c"), ["a\nb"]);
        assert_eq!(texts(Lang::Js, "a => b === c"), ["a", "=>", "b", "===", "c"]);
    }

    #[test]
    fn unterminated_and_odd_input_still_lexes() {
        for s in ["\"abc", "`abc ${", "f'{", "/* x", "'\\", "\\u{zz", "\u{feff}é", "\"\\x\"", "'''"] {
            for l in [Lang::Go, Lang::Js, Lang::Python, Lang::Java, Lang::C] {
                let _ = lex(l, s);
            }
        }
    }

    #[test]
    fn brackets_match() {
        let t = lex(Lang::Go, "f(a[1], {b})");
        let m = match_brackets(&t);
        assert_eq!(m[1], Some(t.len() - 1));
        let t = lex(Lang::Go, "f(]");
        let m = match_brackets(&t);
        assert_eq!(m[1], None);
    }
}
