//! Heredoc detection, as BuildKit does it: the instruction line is split into words by
//! its shell lexer (raw quotes, raw escapes, unset variables kept as written, escape
//! character always `\`), every word that matches `^(\d*)<<(-?)\s*([^<]*)$` names a heredoc,
//! and the name is lexed twice (with and without quotes) to learn whether the body expands.
//!
//! This is a small, self-contained copy of the lexer's behaviour with an empty environment
//! (no substitution happens), including its quirks (a `${...}` inside a word resets the word
//! buffer). Variable *expansion* is not here: see `crate::words`.

use crate::limits::MAX_HEREDOC_LEX_DEPTH;

/// A word found on the instruction line: text and char-based position in the lexed string.
#[derive(Debug)]
pub(crate) struct LexWord {
    pub text: String,
    /// Byte offset (in the lexed string) of the word's first character.
    pub start: usize,
    /// Byte offset one past the word's last character.
    pub end: usize,
}

/// A heredoc marker such as `<<-"EOF"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    /// The terminator word, quotes removed.
    pub name: String,
    /// The file descriptor before `<<` (0 when none).
    pub fd: u64,
    /// `<<-`: leading tabs are stripped.
    pub chomp: bool,
    /// No part of the name is quoted: the body is variable-expanded.
    pub expand: bool,
}

struct Words {
    words: Vec<LexWord>,
    in_word: bool,
    start: usize,
}

struct Lexer<'a> {
    s: &'a str,
    pos: usize,
    raw_quotes: bool,
    raw_escapes: bool,
    /// BuildKit's lexer shares one word buffer between nested `${...}` scans.
    buf: String,
    depth: u32,
}

impl Words {
    fn new() -> Self {
        Words { words: Vec::new(), in_word: false, start: 0 }
    }

    fn add_char(&mut self, buf: &mut String, ch: char, at: usize) {
        if ch.is_whitespace() && self.in_word {
            if !buf.is_empty() {
                self.words.push(LexWord { text: std::mem::take(buf), start: self.start, end: at });
                self.in_word = false;
            }
        } else if !ch.is_whitespace() {
            self.add_raw_char(buf, ch, at);
        }
    }

    fn add_raw_char(&mut self, buf: &mut String, ch: char, at: usize) {
        if buf.is_empty() {
            self.start = at;
        }
        buf.push(ch);
        self.in_word = true;
    }

    fn add_string(&mut self, buf: &mut String, s: &str, at: usize) {
        for ch in s.chars() {
            self.add_char(buf, ch, at);
        }
    }

    fn add_raw_string(&mut self, buf: &mut String, s: &str, at: usize) {
        if buf.is_empty() {
            self.start = at;
        }
        buf.push_str(s);
        self.in_word = true;
    }

    fn finish(mut self, buf: &mut String, end: usize) -> Vec<LexWord> {
        if !buf.is_empty() {
            self.words.push(LexWord { text: std::mem::take(buf), start: self.start, end });
            self.in_word = false;
        }
        self.words
    }
}

impl<'a> Lexer<'a> {
    fn new(s: &'a str, raw_quotes: bool, raw_escapes: bool) -> Self {
        Lexer { s, pos: 0, raw_quotes, raw_escapes, buf: String::new(), depth: 0 }
    }

    fn peek(&self) -> Option<char> {
        self.s[self.pos..].chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// `processStopOn`: reads until `stop` (or the end); returns the text and the words.
    fn stop_on(&mut self, stop: Option<char>, raw_escapes: bool) -> Result<(String, Vec<LexWord>), String> {
        self.depth += 1;
        if self.depth > MAX_HEREDOC_LEX_DEPTH {
            return Err("too deeply nested ${...}".into());
        }
        let saved = std::mem::replace(&mut self.raw_escapes, raw_escapes);
        let r = self.stop_on_inner(stop);
        self.raw_escapes = saved;
        self.depth -= 1;
        r
    }

    fn stop_on_inner(&mut self, stop: Option<char>) -> Result<(String, Vec<LexWord>), String> {
        let mut result = String::new();
        self.buf.clear();
        let mut words = Words::new();
        while let Some(ch) = self.peek() {
            let at = self.pos;
            if Some(ch) == stop {
                self.next();
                let mut buf = std::mem::take(&mut self.buf);
                let w = words.finish(&mut buf, at);
                self.buf = buf;
                return Ok((result, w));
            }
            match ch {
                '$' => {
                    let tmp = self.dollar()?;
                    result.push_str(&tmp);
                    let mut buf = std::mem::take(&mut self.buf);
                    words.add_string(&mut buf, &tmp, at);
                    self.buf = buf;
                }
                '<' => {
                    let tmp = self.possible_heredoc();
                    result.push_str(&tmp);
                    let mut buf = std::mem::take(&mut self.buf);
                    words.add_raw_string(&mut buf, &tmp, at);
                    self.buf = buf;
                }
                '\'' | '"' => {
                    let tmp = if ch == '\'' { self.single_quote()? } else { self.double_quote()? };
                    result.push_str(&tmp);
                    let mut buf = std::mem::take(&mut self.buf);
                    words.add_raw_string(&mut buf, &tmp, at);
                    self.buf = buf;
                }
                _ => {
                    let mut ch = self.next().unwrap_or('\0');
                    let mut buf = std::mem::take(&mut self.buf);
                    if ch == '\\' {
                        if self.raw_escapes {
                            words.add_raw_char(&mut buf, ch, at);
                            result.push(ch);
                        }
                        match self.next() {
                            None => {
                                self.buf = buf;
                                break;
                            }
                            Some(c) => ch = c,
                        }
                        words.add_raw_char(&mut buf, ch, at);
                    } else {
                        words.add_char(&mut buf, ch, at);
                    }
                    self.buf = buf;
                    result.push(ch);
                }
            }
        }
        if let Some(stop) = stop {
            return Err(format!("unexpected end of statement while looking for matching {stop}"));
        }
        let end = self.pos;
        let mut buf = std::mem::take(&mut self.buf);
        let w = words.finish(&mut buf, end);
        self.buf = buf;
        Ok((result, w))
    }

    fn single_quote(&mut self) -> Result<String, String> {
        let mut out = String::new();
        let q = self.next().unwrap_or('\'');
        if self.raw_quotes {
            out.push(q);
        }
        loop {
            match self.next() {
                None => return Err("unexpected end of statement while looking for matching single-quote".into()),
                Some('\'') => {
                    if self.raw_quotes {
                        out.push('\'');
                    }
                    return Ok(out);
                }
                Some(c) => out.push(c),
            }
        }
    }

    fn double_quote(&mut self) -> Result<String, String> {
        let mut out = String::new();
        let q = self.next().unwrap_or('"');
        if self.raw_quotes {
            out.push(q);
        }
        loop {
            match self.peek() {
                None => return Err("unexpected end of statement while looking for matching double-quote".into()),
                Some('"') => {
                    self.next();
                    if self.raw_quotes {
                        out.push('"');
                    }
                    return Ok(out);
                }
                Some('$') => {
                    let v = self.dollar()?;
                    out.push_str(&v);
                }
                Some(_) => {
                    let mut ch = self.next().unwrap_or('\0');
                    if ch == '\\' {
                        if self.raw_escapes {
                            out.push(ch);
                        }
                        match self.peek() {
                            None => continue,
                            Some('"') | Some('$') | Some('\\') => ch = self.next().unwrap_or('\\'),
                            Some(_) => {}
                        }
                    }
                    out.push(ch);
                }
            }
        }
    }

    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && ch.is_numeric() {
                while let Some(d) = self.peek().filter(|c| c.is_numeric()) {
                    self.next();
                    name.push(d);
                }
                return name;
            }
            if name.is_empty() && matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                return ch.to_string();
            }
            if !ch.is_alphanumeric() && ch != '_' {
                break;
            }
            self.next();
            name.push(ch);
        }
        name
    }

    /// `processDollar` with an empty environment and unset variables kept as written.
    fn dollar(&mut self) -> Result<String, String> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.name();
            return Ok(format!("${name}"));
        }
        self.next();
        match self.peek() {
            None => return Err("syntax error: missing '}'".into()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".into()),
            _ => {}
        }
        let name = self.name();
        let ch = self.next();
        let mut chs = ch.map(String::from).unwrap_or_else(|| "\u{FFFD}".into());
        match ch {
            Some('}') => Ok(format!("${{{name}}}")),
            Some(':' | '+' | '-' | '?' | '#' | '%') => {
                let mut op = ch;
                let null_is_unset = op == Some(':');
                if null_is_unset {
                    op = self.next();
                    chs.push(op.unwrap_or('\u{FFFD}'));
                }
                let raw = matches!(op, Some('#' | '%'));
                if null_is_unset && raw {
                    return Err(format!("unsupported modifier ({chs}) in substitution"));
                }
                let (word, _) = self.stop_on(Some('}'), raw).map_err(|e| {
                    if self.peek().is_none() { "syntax error: missing '}'".to_owned() } else { e }
                })?;
                Ok(format!("${{{name}{chs}{word}}}"))
            }
            Some('/') => {
                if self.peek() == Some('/') {
                    self.next();
                }
                let (pattern, _) = self.stop_on(Some('/'), true).map_err(|e| {
                    if self.peek().is_none() { "syntax error: missing '/' in ${}".to_owned() } else { e }
                })?;
                let (replacement, _) = self.stop_on(Some('}'), true).map_err(|e| {
                    if self.peek().is_none() { "syntax error: missing '}'".to_owned() } else { e }
                })?;
                Ok(format!("${{{name}/{pattern}/{replacement}}}"))
            }
            _ => Err(format!("unsupported modifier ({chs}) in substitution")),
        }
    }

    fn possible_heredoc(&mut self) -> String {
        self.next();
        if self.peek() != Some('<') {
            return "<".into();
        }
        self.next();
        let mut out = String::from("<<");
        while let Some(c) = self.peek().filter(|c| matches!(c, '\t' | '\r' | ' ')) {
            self.next();
            out.push(c);
        }
        out
    }
}

/// The heredoc markers of a line without quotes, escapes, `$` or non-ASCII bytes, found
/// without the lexer (the common `RUN <<EOF`); `None` when the line needs the lexer.
/// Each marker comes with its word's start and end in the line.
pub(crate) fn fast_markers(line: &[u8]) -> Option<Vec<(Marker, usize, usize)>> {
    if line.iter().any(|&c| c >= 0x80 || matches!(c, b'\'' | b'"' | b'\\' | b'$')) {
        return None;
    }
    let mut out = Vec::new();
    let mut word: Option<usize> = None;
    let mut i = 0;
    let finish = |start: usize, end: usize, out: &mut Vec<(Marker, usize, usize)>| {
        let w = &line[start..end];
        let digits = w.iter().take_while(|c| c.is_ascii_digit()).count();
        if !w[digits..].starts_with(b"<<") {
            return;
        }
        let mut j = digits + 2;
        let chomp = w.get(j) == Some(&b'-');
        if chomp {
            j += 1;
        }
        while matches!(w.get(j), Some(b'\t' | b'\n' | 0x0C | b'\r' | b' ')) {
            j += 1;
        }
        let rest = &w[j..];
        if rest.is_empty() || rest.contains(&b'<') {
            return;
        }
        let fd = match digits {
            0 => 0,
            _ => std::str::from_utf8(&w[..digits]).ok().and_then(|d| d.parse().ok()).unwrap_or(0),
        };
        let name = String::from_utf8_lossy(rest).into_owned();
        out.push((Marker { name, fd, chomp, expand: true }, start, end));
    };
    while i < line.len() {
        let c = line[i];
        if c == b'<' {
            word.get_or_insert(i);
            i += 1;
            if line.get(i) == Some(&b'<') {
                i += 1;
                while matches!(line.get(i), Some(b'\t' | b'\r' | b' ')) {
                    i += 1;
                }
            }
            continue;
        }
        if matches!(c, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ') {
            if let Some(start) = word.take() {
                finish(start, i, &mut out);
            }
        } else {
            word.get_or_insert(i);
        }
        i += 1;
    }
    if let Some(start) = word {
        finish(start, line.len(), &mut out);
    }
    Some(out)
}

/// BuildKit's `ProcessWords` with the heredoc-detection settings (raw quotes and escapes).
/// `None` when lexing fails (BuildKit then finds no heredoc on the line).
pub(crate) fn line_words(line: &str) -> Option<Vec<LexWord>> {
    let mut lx = Lexer::new(line, true, true);
    lx.stop_on(None, true).ok().map(|(_, w)| w)
}

/// BuildKit's `ParseHeredoc`: `Ok(None)` when `word` is not a heredoc marker.
pub(crate) fn parse_marker(word: &str) -> Result<Option<Marker>, String> {
    let b = word.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if !b[digits..].starts_with(b"<<") {
        return Ok(None);
    }
    let mut i = digits + 2;
    let chomp = b.get(i) == Some(&b'-');
    if chomp {
        i += 1;
    }
    while matches!(b.get(i), Some(b'\t' | b'\n' | 0x0C | b'\r' | b' ')) {
        i += 1;
    }
    let rest = &word[i..];
    if rest.contains('<') || rest.is_empty() {
        return Ok(None);
    }
    let fd = word[..digits].parse::<u64>().unwrap_or(0);
    let mut plain = Lexer::new(rest, false, false);
    let (_, words) = plain.stop_on(None, false)?;
    if words.len() != 1 {
        return Ok(None);
    }
    let mut raw = Lexer::new(rest, true, false);
    let (_, raw_words) = raw.stop_on(None, false)?;
    if raw_words.len() != words.len() {
        return Err(format!("internal lexing of heredoc produced inconsistent results: {rest}"));
    }
    let quotes = |s: &str| s.chars().filter(|&c| c == '\'' || c == '"').count();
    let name = words.into_iter().next().map(|w| w.text).unwrap_or_default();
    let expand = quotes(&name) == quotes(&raw_words[0].text);
    Ok(Some(Marker { name, fd, chomp, expand }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(line: &str) -> Vec<(String, bool, bool)> {
        line_words(line)
            .unwrap_or_default()
            .iter()
            .filter_map(|w| parse_marker(&w.text).ok().flatten())
            .map(|m| (m.name, m.chomp, m.expand))
            .collect()
    }

    #[test]
    fn fast_path_agrees_with_the_lexer() {
        for line in [
            "RUN <<EOF", "COPY <<FILE1 <<FILE2 /dest", "RUN <<-EOT bash -e", "RUN 3<<EOF cat <&3", "RUN <<  EOF  > foo",
            "RUN <<<EOF", "RUN x<<EOF", "RUN cat <<EOF>file", "RUN <<EOF sh", "RUN <<- X", "RUN a<b <<c", "RUN <<",
        ] {
            let slow: Vec<_> = line_words(line)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|w| parse_marker(&w.text).ok().flatten().map(|m| (m, w.start, w.end)))
                .collect();
            let fast = fast_markers(line.as_bytes()).expect("fast path applies");
            assert_eq!(fast, slow, "{line}");
        }
        assert!(fast_markers(b"RUN <<'EOF'").is_none());
    }

    #[test]
    fn markers() {
        assert_eq!(names("RUN <<EOF"), vec![("EOF".into(), false, true)]);
        assert_eq!(names("COPY <<FILE1 <<FILE2 /dest").len(), 2);
        assert_eq!(names(r#"RUN "<<NOHEREDOC""#), vec![]);
        assert_eq!(names("RUN <<-'NOEXPAND'"), vec![("NOEXPAND".into(), true, false)]);
        assert_eq!(names("RUN <<eo'f'"), vec![("eof".into(), false, false)]);
        assert_eq!(names(r"RUN <<eo\'f"), vec![("eo'f".into(), false, true)]);
        assert_eq!(names(r"RUN <<'e'o\'f"), vec![("eo'f".into(), false, false)]);
        assert_eq!(names("RUN <<'one two'"), vec![("one two".into(), false, false)]);
        assert_eq!(names("RUN <<$EOF"), vec![("$EOF".into(), false, true)]);
        assert_eq!(names("RUN <<  EOF  > foo"), vec![("EOF".into(), false, true)]);
        assert_eq!(names("RUN <<COMPLEX python3"), vec![("COMPLEX".into(), false, true)]);
        assert_eq!(names("RUN 3<<EMPTY2")[0].0, "EMPTY2");
        assert_eq!(names("RUN <<'EOF"), vec![]);
        for not in ["", "EOF", "<<", "<<-", "<EOF", "<<<EOF", "<<EOF sh"] {
            assert_eq!(parse_marker(not), Ok(None), "{not}");
        }
        for bad in ["<<'EOF", "<<\"EOF", "<<EOF'", "<<EOF\""] {
            assert!(parse_marker(bad).is_err(), "{bad}");
        }
    }
}
