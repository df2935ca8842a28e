//! Shell pattern matching (`case`, `${x#pat}`, pathname expansion) as dash's
//! `pmatch` does it: `*`, `?`, bracket expressions with `!`, ranges and
//! `[:class:]` (C locale), a `[` without its `]` taken literally. Quoted
//! characters never act as pattern characters.
//!
//! Invariant: matching is linear-ish (one backtracking point for `*`), so a
//! hostile pattern cannot take exponential time.

/// One pattern character: `lit` when it was quoted (or backslash-escaped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PChar {
    pub c: char,
    pub lit: bool,
}

/// A compiled pattern.
#[derive(Debug, Clone, Default)]
pub struct Pattern {
    toks: Vec<Tok>,
}

#[derive(Debug, Clone)]
enum Tok {
    Char(char),
    Any,
    Star,
    Class { invert: bool, items: Vec<ClassItem> },
}

#[derive(Debug, Clone)]
enum ClassItem {
    Char(char),
    Range(char, char),
    Named(fn(char) -> bool),
}

fn named_class(name: &str) -> Option<fn(char) -> bool> {
    Some(match name {
        "alnum" => |c: char| c.is_ascii_alphanumeric(),
        "cntrl" => |c: char| c.is_ascii_control(),
        "lower" => |c: char| c.is_ascii_lowercase(),
        "space" => |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c'),
        "alpha" => |c: char| c.is_ascii_alphabetic(),
        "digit" => |c: char| c.is_ascii_digit(),
        "print" => |c: char| (' '..='~').contains(&c),
        "upper" => |c: char| c.is_ascii_uppercase(),
        "blank" => |c: char| c == ' ' || c == '\t',
        "graph" => |c: char| ('!'..='~').contains(&c),
        "punct" => |c: char| c.is_ascii_punctuation(),
        "xdigit" => |c: char| c.is_ascii_hexdigit(),
        _ => return None,
    })
}

impl Pattern {
    /// Compiles pattern characters. In unquoted text a backslash escapes the
    /// next character (as it does in a variable's value used as a pattern).
    pub fn new(chars: &[PChar]) -> Pattern {
        let mut toks = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let pc = chars[i];
            i += 1;
            if pc.lit {
                toks.push(Tok::Char(pc.c));
                continue;
            }
            match pc.c {
                '\\' => {
                    if i < chars.len() {
                        toks.push(Tok::Char(chars[i].c));
                        i += 1;
                    } else {
                        toks.push(Tok::Char('\\'));
                    }
                }
                '?' => toks.push(Tok::Any),
                '*' => {
                    if !matches!(toks.last(), Some(Tok::Star)) {
                        toks.push(Tok::Star);
                    }
                }
                '[' => match parse_class(chars, i) {
                    Some((tok, next)) => {
                        toks.push(tok);
                        i = next;
                    }
                    None => toks.push(Tok::Char('[')),
                },
                c => toks.push(Tok::Char(c)),
            }
        }
        Pattern { toks }
    }

    /// A pattern of unquoted text.
    pub fn parse(s: &str) -> Pattern {
        let v: Vec<PChar> = s.chars().map(|c| PChar { c, lit: false }).collect();
        Pattern::new(&v)
    }

    /// True when the pattern has `*`, `?` or a bracket expression.
    pub fn is_magic(&self) -> bool {
        self.toks.iter().any(|t| !matches!(t, Tok::Char(_)))
    }

    /// The literal text when the pattern has no magic.
    pub fn literal(&self) -> Option<String> {
        let mut s = String::new();
        for t in &self.toks {
            match t {
                Tok::Char(c) => s.push(*c),
                _ => return None,
            }
        }
        Some(s)
    }

    /// Whether the whole of `s` matches.
    pub fn matches(&self, s: &str) -> bool {
        let chars: Vec<char> = s.chars().collect();
        self.matches_chars(&chars)
    }

    pub fn matches_chars(&self, s: &[char]) -> bool {
        let p = &self.toks;
        let (mut pi, mut si) = (0usize, 0usize);
        let mut star: Option<(usize, usize)> = None;
        loop {
            if pi < p.len() {
                match &p[pi] {
                    Tok::Star => {
                        star = Some((pi, si));
                        pi += 1;
                        continue;
                    }
                    t => {
                        if si < s.len() && tok_matches(t, s[si]) {
                            pi += 1;
                            si += 1;
                            continue;
                        }
                    }
                }
            } else if si == s.len() {
                return true;
            }
            match star {
                Some((sp, ss)) if ss < s.len() => {
                    star = Some((sp, ss + 1));
                    pi = sp + 1;
                    si = ss + 1;
                }
                _ => return false,
            }
        }
    }

    /// Whether the first character of a name may be a `.` (pathname expansion
    /// matches a leading dot only when the pattern starts with one).
    pub fn starts_with_dot(&self) -> bool {
        matches!(self.toks.first(), Some(Tok::Char('.')))
    }
}

fn tok_matches(t: &Tok, c: char) -> bool {
    match t {
        Tok::Char(x) => *x == c,
        Tok::Any => true,
        Tok::Star => true,
        Tok::Class { invert, items } => {
            let found = items.iter().any(|it| match it {
                ClassItem::Char(x) => *x == c,
                ClassItem::Range(a, b) => *a <= c && c <= *b,
                ClassItem::Named(f) => f(c),
            });
            found != *invert
        }
    }
}

/// A bracket expression starting after `[` at `i`; None when it has no `]`.
fn parse_class(chars: &[PChar], mut i: usize) -> Option<(Tok, usize)> {
    let mut invert = false;
    if i < chars.len() && !chars[i].lit && chars[i].c == '!' {
        invert = true;
        i += 1;
    }
    let mut items = Vec::new();
    let mut first = true;
    loop {
        let pc = *chars.get(i)?;
        i += 1;
        if !first && !pc.lit && pc.c == ']' {
            break;
        }
        first = false;
        let mut c = pc.c;
        if !pc.lit && c == '[' && chars.get(i).is_some_and(|n| !n.lit && n.c == ':') {
            // [:name:]
            let mut j = i + 1;
            let mut name = String::new();
            while j < chars.len() && chars[j].c != ':' && name.len() < 10 {
                name.push(chars[j].c);
                j += 1;
            }
            if chars.get(j).is_some_and(|x| x.c == ':') && chars.get(j + 1).is_some_and(|x| x.c == ']') {
                if let Some(f) = named_class(&name) {
                    items.push(ClassItem::Named(f));
                    i = j + 2;
                    continue;
                }
            }
        }
        if !pc.lit && c == '\\' {
            let n = *chars.get(i)?;
            i += 1;
            c = n.c;
        }
        // a range?
        if chars.get(i).is_some_and(|m| !m.lit && m.c == '-') && chars.get(i + 1).is_some_and(|e| !(e.c == ']' && !e.lit)) {
            let mut e = *chars.get(i + 1)?;
            i += 2;
            if !e.lit && e.c == '\\' {
                e = *chars.get(i)?;
                i += 1;
            }
            items.push(ClassItem::Range(c, e.c));
        } else {
            items.push(ClassItem::Char(c));
        }
    }
    Some((Tok::Class { invert, items }, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        Pattern::parse(p).matches(s)
    }

    #[test]
    fn matches_like_dash() {
        assert!(m("*", ""));
        assert!(m("a*b", "axxb"));
        assert!(!m("a*b", "axxc"));
        assert!(m("?", "x"));
        assert!(!m("?", ""));
        assert!(m("[abc]", "b"));
        assert!(m("[!abc]", "d"));
        assert!(!m("[^b]", "a"));
        assert!(m("[^b]", "^"));
        assert!(m("[a]]", "a]"));
        assert!(m("[]]", "]"));
        assert!(m("[a-]", "-"));
        assert!(m("[[:alpha:]]", "q"));
        assert!(m("[", "["));
        assert!(m("a[", "a["));
        assert!(m("\\*", "*"));
        assert!(!m("\\*", "a"));
        assert!(m("*a*a*a*a*a*a*b", &format!("{}b", "a".repeat(200))));
        assert!(!m("*a*a*a*a*a*a*b", &"a".repeat(5000)));
    }

    #[test]
    fn quoted_characters_are_literal() {
        let p = Pattern::new(&[PChar { c: '*', lit: true }]);
        assert!(p.matches("*"));
        assert!(!p.matches("a"));
    }
}
