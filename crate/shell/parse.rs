//! The shell parser: source text to [`ast::Cmd`], one complete command at a
//! time, as dash reads its input (so `echo a; fi` on line 2 runs line 1 first).
//!
//! The grammar, the token rules (keywords only where a command may start,
//! `2>` only when the digit touches the operator, here-documents read at the
//! next newline) and the syntax error texts (`"fi" unexpected (expecting
//! "then")`, `Unterminated quoted string`, `Missing '}'`) follow dash.
//!
//! Invariant: the parser never panics and never recurses without bound: nesting
//! deeper than [`MAX_DEPTH`] is a syntax error.

use super::ast::*;
use std::cell::RefCell;
use std::rc::Rc;

/// Which double-quote-like text [`Parser::quoted_text`] reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum DqMode {
    /// `"…"`.
    Plain,
    /// An unquoted here-document body: ends at the end of input, `\"` stays.
    Heredoc,
    /// `"…"` inside an unquoted `${x-…}`: `\}` loses its backslash too.
    InParam,
}
/// Deepest nesting of commands, quotes and substitutions accepted.
pub const MAX_DEPTH: u32 = 200;

/// A syntax error: the line dash reports and the text after `Syntax error: `
/// (or the whole message when `bare` is set, as for `Bad substitution`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: u32,
    pub msg: String,
}

type PResult<T> = Result<T, SyntaxError>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kw {
    Bang,
    Case,
    Do,
    Done,
    Elif,
    Else,
    Esac,
    Fi,
    For,
    If,
    In,
    Then,
    Until,
    While,
    Begin,
    End,
}

const KEYWORDS: &[(&str, Kw)] = &[
    ("!", Kw::Bang),
    ("case", Kw::Case),
    ("do", Kw::Do),
    ("done", Kw::Done),
    ("elif", Kw::Elif),
    ("else", Kw::Else),
    ("esac", Kw::Esac),
    ("fi", Kw::Fi),
    ("for", Kw::For),
    ("if", Kw::If),
    ("in", Kw::In),
    ("then", Kw::Then),
    ("until", Kw::Until),
    ("while", Kw::While),
    ("{", Kw::Begin),
    ("}", Kw::End),
];

#[derive(Debug, Clone)]
enum Tok {
    Eof,
    Newline,
    Semi,
    Amp,
    AndIf,
    OrIf,
    Pipe,
    LParen,
    RParen,
    DSemi,
    Redir(u32, RedirOp, bool),
    Word(Word),
    Kw(Kw),
}

impl Tok {
    fn name(&self) -> &'static str {
        match self {
            Tok::Eof => "end of file",
            Tok::Newline => "newline",
            Tok::Semi => "\";\"",
            Tok::Amp => "\"&\"",
            Tok::AndIf => "\"&&\"",
            Tok::OrIf => "\"||\"",
            Tok::Pipe => "\"|\"",
            Tok::LParen => "\"(\"",
            Tok::RParen => "\")\"",
            Tok::DSemi => "\";;\"",
            Tok::Redir(..) => "redirection",
            Tok::Word(_) => "word",
            Tok::Kw(k) => kw_name(*k),
        }
    }
    /// dash's `tokendlist`: tokens that end a list.
    fn ends_list(&self) -> bool {
        matches!(
            self,
            Tok::Eof
                | Tok::RParen
                | Tok::DSemi
                | Tok::Kw(Kw::Do | Kw::Done | Kw::Elif | Kw::Else | Kw::Esac | Kw::Fi | Kw::Then | Kw::End)
        )
    }
}

fn kw_name(k: Kw) -> &'static str {
    match k {
        Kw::Bang => "\"!\"",
        Kw::Case => "\"case\"",
        Kw::Do => "\"do\"",
        Kw::Done => "\"done\"",
        Kw::Elif => "\"elif\"",
        Kw::Else => "\"else\"",
        Kw::Esac => "\"esac\"",
        Kw::Fi => "\"fi\"",
        Kw::For => "\"for\"",
        Kw::If => "\"if\"",
        Kw::In => "\"in\"",
        Kw::Then => "\"then\"",
        Kw::Until => "\"until\"",
        Kw::While => "\"while\"",
        Kw::Begin => "\"{\"",
        Kw::End => "\"}\"",
    }
}

/// What a token may be: dash's `checkkwd` bits.
const CHKNL: u8 = 1;
const CHKKWD: u8 = 2;

/// Expected-token names for `(expecting …)`.
#[derive(Clone, Copy)]
enum Expect {
    Any,
    Tok(&'static str),
}

pub fn is_name_start(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphabetic()
}
pub fn is_name_char(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphanumeric()
}
/// A valid variable name.
pub fn is_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && is_name_start(b[0]) && b[1..].iter().all(|&c| is_name_char(c))
}
fn is_special_param(c: u8) -> bool {
    matches!(c, b'!' | b'#' | b'$' | b'*' | b'-' | b'?' | b'@') || c.is_ascii_digit()
}

/// Builds a word's parts, merging adjacent text of the same kind.
#[derive(Default)]
struct PartsBuf {
    parts: Vec<Part>,
    lit: Vec<u8>,
    quoted: Vec<u8>,
}

impl PartsBuf {
    fn flush_lit(&mut self) {
        if !self.lit.is_empty() {
            let v = std::mem::take(&mut self.lit);
            self.parts.push(Part::Lit(bytes_to_string(v)));
        }
    }
    fn flush_quoted(&mut self) {
        if !self.quoted.is_empty() {
            let v = std::mem::take(&mut self.quoted);
            self.parts.push(Part::Quoted(bytes_to_string(v)));
        }
    }
    fn lit(&mut self, c: u8) {
        self.flush_quoted();
        self.lit.push(c);
    }
    fn quoted(&mut self, c: u8) {
        self.flush_lit();
        self.quoted.push(c);
    }
    fn quoted_str(&mut self, s: &[u8]) {
        self.flush_lit();
        self.quoted.extend_from_slice(s);
    }
    /// An empty quoted string still makes the word quoted (`""`).
    fn quoted_empty(&mut self) {
        self.flush_lit();
        self.flush_quoted();
        self.parts.push(Part::Quoted(String::new()));
    }
    fn push(&mut self, p: Part) {
        self.flush_lit();
        self.flush_quoted();
        self.parts.push(p);
    }
    fn is_empty(&self) -> bool {
        self.parts.is_empty() && self.lit.is_empty() && self.quoted.is_empty()
    }
    fn finish(mut self) -> Vec<Part> {
        self.flush_lit();
        self.flush_quoted();
        // merge adjacent Quoted parts (from `'a'"b"` the Double stays separate)
        let mut out: Vec<Part> = Vec::with_capacity(self.parts.len());
        for p in self.parts {
            match (out.last_mut(), p) {
                (Some(Part::Quoted(a)), Part::Quoted(b)) if !a.is_empty() && !b.is_empty() => a.push_str(&b),
                (Some(Part::Lit(a)), Part::Lit(b)) => a.push_str(&b),
                (_, p) => out.push(p),
            }
        }
        out
    }
}

fn bytes_to_string(v: Vec<u8>) -> String {
    match String::from_utf8(v) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// The parser over one source text.
pub struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    /// The line the reader is on (dash's `plinno`).
    pub line: u32,
    pushback: Option<Tok>,
    last: Tok,
    /// The text of the last word token, for dash's stale-`wordtext` messages.
    last_word: Word,
    heredocs: Vec<Rc<HereDoc>>,
    depth: u32,
    /// Reading a here-document delimiter: `$` and `` ` `` are not special.
    eofmark_mode: bool,
    /// bash's looser rules (any word as a function name).
    pub bash: bool,
}

impl<'a> Parser<'a> {
    pub fn new(src: &'a str) -> Self {
        Self::with_line(src, 1)
    }

    pub fn with_line(src: &'a str, line: u32) -> Self {
        Parser {
            s: src.as_bytes(),
            pos: 0,
            line,
            pushback: None,
            last: Tok::Eof,
            last_word: Word::default(),
            heredocs: Vec::new(),
            depth: 0,
            eofmark_mode: false,
            bash: false,
        }
    }

    /// The next complete command (up to a newline at top level), `Ok(None)` at
    /// end of input. A blank line gives `Some(Cmd::Empty)`.
    pub fn next_command(&mut self) -> PResult<Option<Cmd>> {
        self.pushback = None;
        self.heredocs.clear();
        let (cmd, eof) = self.list(1)?;
        match cmd {
            None if eof => Ok(None),
            None => Ok(Some(Cmd::Empty)),
            Some(c) => Ok(Some(c)),
        }
    }

    /// A string parsed as an unquoted here-document body (for PS4 and the
    /// like); None when it does not parse.
    pub fn heredoc_word(&mut self, text: &str) -> Option<Word> {
        let mut sub = Parser::new(text);
        sub.double_quoted(true).ok().map(|parts| Word { parts })
    }

    /// Parses everything (for `$(…)` bodies given as text, and tests).
    pub fn parse_all(&mut self) -> PResult<Cmd> {
        let mut v = Vec::new();
        while let Some(c) = self.next_command()? {
            if !matches!(c, Cmd::Empty) {
                v.push(c);
            }
        }
        Ok(seq(v))
    }

    // ----- errors --------------------------------------------------------------

    fn err<T>(&self, msg: impl Into<String>) -> PResult<T> {
        Err(SyntaxError { line: self.line, msg: msg.into() })
    }

    fn expect_err<T>(&self, e: Expect) -> PResult<T> {
        match e {
            Expect::Any => self.err(format!("{} unexpected", self.last.name())),
            Expect::Tok(t) => self.err(format!("{} unexpected (expecting {})", self.last.name(), t)),
        }
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err(format!("nesting deeper than {MAX_DEPTH} levels (playground limit)"));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    // ----- characters -----------------------------------------------------------

    fn peek_raw(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    /// Skips backslash-newline pairs (line continuations).
    fn eat_bnl(&mut self) {
        while self.s.get(self.pos) == Some(&b'\\') && self.s.get(self.pos + 1) == Some(&b'\n') {
            self.pos += 2;
            self.line += 1;
        }
    }

    /// The next character after line continuations, not consumed.
    fn peek(&mut self) -> Option<u8> {
        self.eat_bnl();
        self.peek_raw()
    }

    fn bump(&mut self) -> Option<u8> {
        let c = self.s.get(self.pos).copied();
        if let Some(c) = c {
            self.pos += 1;
            if c == b'\n' {
                self.line += 1;
            }
        }
        c
    }

    /// Consumes `c` (after line continuations) if it is next.
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            if c == b'\n' {
                self.line += 1;
            }
            true
        } else {
            false
        }
    }

    // ----- tokens ---------------------------------------------------------------

    fn unread(&mut self) {
        self.pushback = Some(self.last.clone());
    }

    /// dash's `readtoken`: pushed-back words are looked at again for keywords.
    fn token(&mut self, chk: u8) -> PResult<Tok> {
        let mut t = self.raw_token()?;
        if chk & CHKNL != 0 {
            while matches!(t, Tok::Newline) {
                self.read_heredocs()?;
                t = self.raw_token()?;
            }
        }
        if chk & CHKKWD != 0 {
            if let Tok::Word(w) = &t {
                if let Some(text) = w.as_plain() {
                    if let Some((_, k)) = KEYWORDS.iter().find(|(s, _)| *s == text) {
                        t = Tok::Kw(*k);
                    }
                }
            }
        }
        self.last = t.clone();
        Ok(t)
    }

    fn raw_token(&mut self) -> PResult<Tok> {
        if let Some(t) = self.pushback.take() {
            return Ok(t);
        }
        loop {
            let c = match self.peek() {
                None => return Ok(Tok::Eof),
                Some(c) => c,
            };
            match c {
                b' ' | b'\t' => {
                    self.pos += 1;
                }
                b'#' => {
                    while let Some(c) = self.peek_raw() {
                        if c == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                b'\n' => {
                    self.bump();
                    return Ok(Tok::Newline);
                }
                b'&' => {
                    self.pos += 1;
                    return Ok(if self.eat(b'&') { Tok::AndIf } else { Tok::Amp });
                }
                b'|' => {
                    self.pos += 1;
                    return Ok(if self.eat(b'|') { Tok::OrIf } else { Tok::Pipe });
                }
                b';' => {
                    self.pos += 1;
                    return Ok(if self.eat(b';') { Tok::DSemi } else { Tok::Semi });
                }
                b'(' => {
                    self.pos += 1;
                    return Ok(Tok::LParen);
                }
                b')' => {
                    self.pos += 1;
                    return Ok(Tok::RParen);
                }
                _ => return self.word_or_redir(),
            }
        }
    }

    fn word_or_redir(&mut self) -> PResult<Tok> {
        let (parts, quoted) = self.read_word()?;
        let c = self.peek();
        if matches!(c, Some(b'<') | Some(b'>')) && !quoted {
            let fd = match parts.as_slice() {
                [] => Some(None),
                [Part::Lit(s)] if s.len() == 1 && s.as_bytes()[0].is_ascii_digit() => Some(Some((s.as_bytes()[0] - b'0') as u32)),
                _ => None,
            };
            if let Some(fd) = fd {
                return Ok(self.redir_op(fd));
            }
        }
        let w = Word { parts };
        self.last_word = w.clone();
        Ok(Tok::Word(w))
    }

    fn redir_op(&mut self, fd: Option<u32>) -> Tok {
        let c = self.bump();
        if c == Some(b'>') {
            let fd = fd.unwrap_or(1);
            let op = match self.peek() {
                Some(b'>') => RedirOp::Append,
                Some(b'|') => RedirOp::Clobber,
                Some(b'&') => RedirOp::DupOut,
                _ => return Tok::Redir(fd, RedirOp::Out, false),
            };
            self.pos += 1;
            Tok::Redir(fd, op, false)
        } else {
            let fd = fd.unwrap_or(0);
            match self.peek() {
                Some(b'<') => {
                    self.pos += 1;
                    let strip = self.eat(b'-');
                    Tok::Redir(fd, RedirOp::HereDoc, strip)
                }
                Some(b'&') => {
                    self.pos += 1;
                    Tok::Redir(fd, RedirOp::DupIn, false)
                }
                Some(b'>') => {
                    self.pos += 1;
                    Tok::Redir(fd, RedirOp::ReadWrite, false)
                }
                _ => Tok::Redir(fd, RedirOp::In, false),
            }
        }
    }

    // ----- words ----------------------------------------------------------------

    /// A word at top level: ends at an unquoted blank or operator character.
    /// Returns the parts and whether any part was quoted.
    fn read_word(&mut self) -> PResult<(Vec<Part>, bool)> {
        let mut b = PartsBuf::default();
        let mut quoted = false;
        loop {
            let c = match self.peek() {
                None => break,
                Some(c) => c,
            };
            match c {
                b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => break,
                b'\\' => {
                    self.pos += 1;
                    quoted = true;
                    match self.bump() {
                        None => b.quoted(b'\\'),
                        Some(c) => b.quoted(c),
                    }
                }
                b'\'' => {
                    self.pos += 1;
                    quoted = true;
                    self.single_quoted(&mut b)?;
                }
                b'"' => {
                    self.pos += 1;
                    quoted = true;
                    let inner = self.double_quoted(false)?;
                    b.push(Part::Double(inner));
                }
                b'$' if !self.eofmark_mode => {
                    self.pos += 1;
                    self.dollar(&mut b, false)?;
                }
                b'`' if !self.eofmark_mode => {
                    self.pos += 1;
                    let cmd = self.backquote(false)?;
                    b.push(Part::Command(Rc::new(cmd)));
                }
                _ => {
                    self.pos += 1;
                    b.lit(c);
                }
            }
        }
        Ok((b.finish(), quoted))
    }

    fn single_quoted(&mut self, b: &mut PartsBuf) -> PResult<()> {
        let start = self.pos;
        loop {
            match self.s.get(self.pos) {
                None => return self.err("Unterminated quoted string"),
                Some(b'\'') => break,
                Some(b'\n') => {
                    self.line += 1;
                    self.pos += 1;
                }
                Some(_) => self.pos += 1,
            }
        }
        let text = &self.s[start..self.pos];
        self.pos += 1;
        if text.is_empty() {
            b.quoted_empty();
        } else {
            b.quoted_str(text);
        }
        Ok(())
    }

    /// Inside `"…"` (or an unquoted here-document body when `heredoc`).
    fn double_quoted(&mut self, heredoc: bool) -> PResult<Vec<Part>> {
        self.quoted_text(if heredoc { DqMode::Heredoc } else { DqMode::Plain })
    }

    /// One byte (already consumed) of double-quoted text: a backslash keeps its
    /// meaning only before a byte `escapes` accepts; `$` and backquotes expand.
    fn quoted_byte(&mut self, b: &mut PartsBuf, c: u8, escapes: impl Fn(u8) -> bool) -> PResult<()> {
        match c {
            b'\\' => match self.s.get(self.pos).copied() {
                None => b.quoted(b'\\'),
                Some(n) => {
                    self.bump();
                    if !escapes(n) {
                        b.quoted(b'\\');
                    }
                    b.quoted(n);
                }
            },
            b'$' => self.dollar(b, true)?,
            b'`' => {
                let cmd = self.backquote(true)?;
                b.push(Part::Command(Rc::new(cmd)));
            }
            b'\n' => {
                self.line += 1;
                b.quoted(c);
            }
            _ => b.quoted(c),
        }
        Ok(())
    }

    /// The body of double quotes, a here-document or a quoted `${x-…}` word: what ends
    /// it and which characters a backslash escapes depend on `mode`.
    fn quoted_text(&mut self, mode: DqMode) -> PResult<Vec<Part>> {
        let heredoc = mode == DqMode::Heredoc;
        self.enter()?;
        let mut b = PartsBuf::default();
        loop {
            let c = match self.peek() {
                None if heredoc => break,
                None => return self.err("Unterminated quoted string"),
                Some(c) => c,
            };
            self.pos += 1;
            match c {
                b'"' if !heredoc => break,
                _ => self.quoted_byte(&mut b, c, |n| matches!(n, b'\\' | b'`' | b'$') || (n == b'"' && !heredoc) || (n == b'}' && mode == DqMode::InParam))?,
            }
        }
        if b.is_empty() {
            b.quoted_empty();
        }
        self.leave();
        Ok(b.finish())
    }

    /// After `$`: a parameter, `$(…)`, `$((…))` or a literal `$`.
    fn dollar(&mut self, b: &mut PartsBuf, in_dq: bool) -> PResult<()> {
        let c = self.peek();
        match c {
            Some(b'(') => {
                self.pos += 1;
                if self.peek() == Some(b'(') {
                    self.pos += 1;
                    let w = self.arith()?;
                    b.push(Part::Arith(Rc::new(ArithWord { word: w, cached: Default::default() })));
                } else {
                    let cmd = self.command_subst()?;
                    b.push(Part::Command(Rc::new(cmd)));
                }
            }
            Some(b'{') => {
                self.pos += 1;
                let p = self.braced_param(in_dq)?;
                b.push(Part::Param(Box::new(p)));
            }
            Some(c) if is_name_start(c) => {
                let start = self.pos;
                while self.peek().is_some_and(is_name_char) {
                    self.pos += 1;
                }
                let name = bytes_to_string(self.s[start..self.pos].to_vec());
                b.push(Part::Param(Box::new(plain_param(ParamName::Var(name), in_dq))));
            }
            Some(c) if c.is_ascii_digit() => {
                self.pos += 1;
                let n = (c - b'0') as usize;
                let name = if n == 0 { ParamName::Special('0') } else { ParamName::Positional(n) };
                b.push(Part::Param(Box::new(plain_param(name, in_dq))));
            }
            Some(c) if is_special_param(c) => {
                self.pos += 1;
                b.push(Part::Param(Box::new(plain_param(ParamName::Special(c as char), in_dq))));
            }
            _ => {
                if in_dq {
                    b.quoted(b'$');
                } else {
                    b.lit(b'$');
                }
            }
        }
        Ok(())
    }

    /// `${…}` after the brace (dash's `parsesub`, including its quirks:
    /// `${#}` is `$#`, `${#?}` the length of `$?`, `${#-x}` is `$#` or x).
    fn braced_param(&mut self, in_dq: bool) -> PResult<Param> {
        self.enter()?;
        let mut length = false;
        let name: ParamName;
        let mut c0 = self.peek();
        if c0 == Some(b'#') {
            // a length, or `$#` itself
            self.pos += 1;
            let c = self.peek();
            if c.is_some_and(|n| n == b'_' || n.is_ascii_alphanumeric()) {
                length = true;
                c0 = c;
            } else {
                let cc2 = c;
                if cc2.is_some() {
                    self.pos += 1;
                }
                let c3 = self.peek();
                if cc2 == Some(b'}') || c3 != Some(b'}') || cc2.is_none() {
                    if cc2.is_some() {
                        self.pos -= 1;
                    }
                    c0 = None;
                } else {
                    let cc = cc2.unwrap_or(b'#');
                    if !is_special_param(cc) {
                        return self.bad_subst(in_dq);
                    }
                    return self.after_name(special_name(cc), true, in_dq);
                }
            }
            if c0.is_none() {
                return self.after_name(ParamName::Special('#'), false, in_dq);
            }
        }
        match c0 {
            Some(x) if is_name_start(x) => {
                let start = self.pos;
                while self.peek().is_some_and(is_name_char) {
                    self.pos += 1;
                }
                name = ParamName::Var(bytes_to_string(self.s[start..self.pos].to_vec()));
            }
            Some(x) if x.is_ascii_digit() => {
                let start = self.pos;
                while self.peek().is_some_and(|d| d.is_ascii_digit()) {
                    self.pos += 1;
                }
                let digits = &self.s[start..self.pos];
                let n = std::str::from_utf8(digits).ok().and_then(|d| d.parse::<usize>().ok()).unwrap_or(usize::MAX);
                name = if digits == b"0" { ParamName::Special('0') } else { ParamName::Positional(n) };
            }
            Some(x) if x != b'}' && is_special_param(x) => {
                self.pos += 1;
                name = special_name(x);
            }
            Some(x) if x != b'}' => {
                self.pos += 1;
                return self.bad_subst(in_dq);
            }
            _ => return self.bad_subst(in_dq),
        }
        self.after_name(name, length, in_dq)
    }

    /// The rest of `${name…}`: `}` or an operator and its word.
    fn after_name(&mut self, name: ParamName, length: bool, in_dq: bool) -> PResult<Param> {
        if length {
            if self.eat(b'}') {
                self.leave();
                return Ok(Param { name, op: ParamOp::Length, colon: false, word: Word::default(), quoted: in_dq });
            }
            return self.bad_subst(in_dq);
        }
        let c = self.peek();
        let (op, colon) = match c {
            Some(b'}') => {
                self.pos += 1;
                self.leave();
                return Ok(Param { name, op: ParamOp::Plain, colon: false, word: Word::default(), quoted: in_dq });
            }
            Some(b':') => {
                self.pos += 1;
                match self.peek() {
                    Some(b'-') => (ParamOp::Default, true),
                    Some(b'=') => (ParamOp::Assign, true),
                    Some(b'?') => (ParamOp::Error, true),
                    Some(b'+') => (ParamOp::Alternative, true),
                    Some(b'}') => {
                        // dash takes the brace as the operator: the expansion goes on
                        self.pos += 1;
                        let _ = self.param_word(in_dq, false)?;
                        self.leave();
                        return Ok(bad_param(in_dq));
                    }
                    _ => return self.bad_subst(in_dq),
                }
            }
            Some(b'-') => (ParamOp::Default, false),
            Some(b'=') => (ParamOp::Assign, false),
            Some(b'?') => (ParamOp::Error, false),
            Some(b'+') => (ParamOp::Alternative, false),
            Some(b'%') => {
                self.pos += 1;
                let op = if self.eat(b'%') { ParamOp::TrimLongSuffix } else { ParamOp::TrimSuffix };
                let word = self.param_word(false, true)?;
                self.leave();
                return Ok(Param { name, op, colon: false, word, quoted: in_dq });
            }
            Some(b'#') => {
                self.pos += 1;
                let op = if self.eat(b'#') { ParamOp::TrimLongPrefix } else { ParamOp::TrimPrefix };
                let word = self.param_word(false, true)?;
                self.leave();
                return Ok(Param { name, op, colon: false, word, quoted: in_dq });
            }
            Some(_) => {
                // dash drops the character and reads on to the brace
                self.pos += 1;
                let _ = self.param_word(in_dq, false)?;
                self.leave();
                return Ok(bad_param(in_dq));
            }
            None => return self.err("Missing '}'"),
        };
        self.pos += 1;
        let word = self.param_word(in_dq, false)?;
        self.leave();
        Ok(Param { name, op, colon, word, quoted: in_dq })
    }

    fn bad_subst(&mut self, in_dq: bool) -> PResult<Param> {
        let _ = self.param_word(in_dq, false)?;
        self.leave();
        Ok(bad_param(in_dq))
    }

    /// The word of `${x-word}` up to the closing brace. `dq` when the expansion
    /// sits inside double quotes (and is not a pattern): single quotes are then
    /// literal and everything is quoted.
    fn param_word(&mut self, dq: bool, _pattern: bool) -> PResult<Word> {
        let mut b = PartsBuf::default();
        let mut inner_dq = false;
        loop {
            let c = match self.peek() {
                None => return self.err("Missing '}'"),
                Some(c) => c,
            };
            if dq {
                self.pos += 1;
                match c {
                    b'}' if !inner_dq => break,
                    b'"' => inner_dq = !inner_dq,
                    _ => self.quoted_byte(&mut b, c, |n| matches!(n, b'\\' | b'`' | b'$' | b'"' | b'}'))?,
                }
            } else {
                match c {
                    b'}' => {
                        self.pos += 1;
                        break;
                    }
                    b'\\' => {
                        self.pos += 1;
                        match self.bump() {
                            None => b.quoted(b'\\'),
                            Some(n) => b.quoted(n),
                        }
                    }
                    b'\'' => {
                        self.pos += 1;
                        self.single_quoted(&mut b)?;
                    }
                    b'"' => {
                        self.pos += 1;
                        let inner = self.double_quoted_in_param()?;
                        b.push(Part::Double(inner));
                    }
                    b'$' => {
                        self.pos += 1;
                        self.dollar(&mut b, false)?;
                    }
                    b'`' => {
                        self.pos += 1;
                        let cmd = self.backquote(false)?;
                        b.push(Part::Command(Rc::new(cmd)));
                    }
                    b'\n' => {
                        self.bump();
                        b.lit(c);
                    }
                    _ => {
                        self.pos += 1;
                        b.lit(c);
                    }
                }
            }
        }
        Ok(Word { parts: b.finish() })
    }

    /// `"…"` inside an unquoted `${x-…}`: like any double quotes, except that
    /// `\}` loses its backslash.
    fn double_quoted_in_param(&mut self) -> PResult<Vec<Part>> {
        self.quoted_text(DqMode::InParam)
    }

    /// `$((…))` after the two parentheses: the text up to the matching `))`.
    fn arith(&mut self) -> PResult<Word> {
        self.enter()?;
        let mut b = PartsBuf::default();
        let mut level = 0u32;
        loop {
            let c = match self.peek() {
                None => return self.err("Missing '))'"),
                Some(c) => c,
            };
            self.pos += 1;
            match c {
                b'(' => {
                    level += 1;
                    b.lit(c);
                }
                b')' => {
                    if level > 0 {
                        level -= 1;
                        b.lit(c);
                    } else if self.eat(b')') {
                        break;
                    } else {
                        b.lit(c);
                    }
                }
                b'\\' => match self.s.get(self.pos).copied() {
                    None => b.lit(b'\\'),
                    Some(n) => {
                        self.bump();
                        if matches!(n, b'\\' | b'`' | b'$' | b'"') {
                            b.lit(n);
                        } else {
                            b.lit(b'\\');
                            b.lit(n);
                        }
                    }
                },
                b'$' => self.dollar(&mut b, true)?,
                b'`' => {
                    let cmd = self.backquote(true)?;
                    b.push(Part::Command(Rc::new(cmd)));
                }
                b'\n' => {
                    self.line += 1;
                    b.lit(c);
                }
                _ => b.lit(c),
            }
        }
        self.leave();
        Ok(Word { parts: b.finish() })
    }

    /// `$(…)` after the parenthesis.
    fn command_subst(&mut self) -> PResult<Cmd> {
        self.enter()?;
        let saved = std::mem::take(&mut self.heredocs);
        let saved_pb = self.pushback.take();
        let (cmd, _) = self.list(2)?;
        let t = self.token(0)?;
        if !matches!(t, Tok::RParen) {
            return self.expect_err(Expect::Tok("\")\""));
        }
        self.read_heredocs()?;
        self.heredocs = saved;
        self.pushback = saved_pb;
        self.leave();
        Ok(cmd.unwrap_or(Cmd::Empty))
    }

    /// `` `…` `` after the opening backquote: the text is unescaped, then parsed.
    fn backquote(&mut self, in_dq: bool) -> PResult<Cmd> {
        self.enter()?;
        let start_line = self.line;
        let mut text: Vec<u8> = Vec::new();
        loop {
            let c = match self.peek() {
                None => return self.err("EOF in backquote substitution"),
                Some(c) => c,
            };
            self.pos += 1;
            match c {
                b'`' => break,
                b'\\' => match self.s.get(self.pos).copied() {
                    None => return self.err("EOF in backquote substitution"),
                    Some(n) => {
                        self.bump();
                        if !(n == b'\\' || n == b'`' || n == b'$' || (in_dq && n == b'"')) {
                            text.push(b'\\');
                        }
                        text.push(n);
                    }
                },
                b'\n' => {
                    self.line += 1;
                    text.push(c);
                }
                _ => text.push(c),
            }
        }
        let src = bytes_to_string(text);
        let mut sub = Parser::with_line(&src, start_line);
        sub.depth = self.depth;
        let (cmd, _) = sub.list(2)?;
        // anything left over (`\`echo )\``) is an error, as dash finds it
        let t = sub.token(0)?;
        if !matches!(t, Tok::Eof) {
            return sub.expect_err(Expect::Any);
        }
        self.leave();
        Ok(cmd.unwrap_or(Cmd::Empty))
    }

    // ----- here-documents ----------------------------------------------------------

    fn read_heredocs(&mut self) -> PResult<()> {
        let pending = std::mem::take(&mut self.heredocs);
        for h in pending {
            self.read_heredoc(&h)?;
        }
        Ok(())
    }

    fn read_heredoc(&mut self, h: &HereDoc) -> PResult<()> {
        let start_line = self.line;
        let mut body: Vec<u8> = Vec::new();
        let mut continued = false;
        loop {
            if self.pos >= self.s.len() {
                break;
            }
            // one line
            let mut i = self.pos;
            if h.strip_tabs && !continued {
                while self.s.get(i) == Some(&b'\t') {
                    i += 1;
                }
            }
            let line_start = i;
            while i < self.s.len() && self.s[i] != b'\n' {
                i += 1;
            }
            let line = &self.s[line_start..i];
            let has_nl = i < self.s.len();
            self.pos = if has_nl { i + 1 } else { i };
            self.line += 1;
            if !continued && line == h.delimiter.as_bytes() {
                break;
            }
            body.extend_from_slice(line);
            if has_nl {
                body.push(b'\n');
            }
            // an odd number of trailing backslashes continues the line (unquoted only)
            continued = !h.quoted && has_nl && line.iter().rev().take_while(|&&c| c == b'\\').count() % 2 == 1;
        }
        let word = if h.quoted {
            Word { parts: vec![Part::Quoted(bytes_to_string(body))] }
        } else {
            let src = bytes_to_string(body);
            let mut sub = Parser::with_line(&src, start_line);
            sub.depth = self.depth;
            Word { parts: sub.double_quoted(true)? }
        };
        *h.body.borrow_mut() = word;
        Ok(())
    }

    // ----- grammar ------------------------------------------------------------------

    /// dash's `list(nlflag)`: 1 = a top-level complete command (ends at a
    /// newline), 0 = a compound's body, 2 = a body that may be empty (`$( )`,
    /// case arms). Returns the list and whether it ended at end of file.
    fn list(&mut self, nlflag: u8) -> PResult<(Option<Cmd>, bool)> {
        self.enter()?;
        let chknl = if nlflag & 1 != 0 { 0 } else { CHKNL };
        let mut nlflag = nlflag;
        let mut items: Vec<Cmd> = Vec::new();
        loop {
            let tok = self.token(chknl | CHKKWD)?;
            match tok {
                Tok::Newline => {
                    self.read_heredocs()?;
                    self.leave();
                    return Ok((seq_opt(items), false));
                }
                Tok::Eof => {
                    self.read_heredocs()?;
                    self.unread();
                    self.leave();
                    return Ok((seq_opt(items), true));
                }
                _ => {}
            }
            self.unread();
            if nlflag == 2 && tok.ends_list() {
                self.leave();
                return Ok((seq_opt(items), false));
            }
            nlflag |= 2;
            let mut n = self.and_or()?;
            let tok = self.token(0)?;
            if matches!(tok, Tok::Amp) {
                n = Cmd::Background(Box::new(n));
            }
            items.push(n);
            match tok {
                Tok::Eof => {
                    self.read_heredocs()?;
                    self.unread();
                    self.leave();
                    return Ok((seq_opt(items), true));
                }
                Tok::Newline => self.unread(),
                Tok::Amp | Tok::Semi => {}
                _ => {
                    if chknl == 0 {
                        return self.expect_err(Expect::Any);
                    }
                    self.unread();
                    self.leave();
                    return Ok((seq_opt(items), false));
                }
            }
        }
    }

    fn and_or(&mut self) -> PResult<Cmd> {
        let mut left = self.pipeline(CHKNL | CHKKWD)?;
        loop {
            match self.token(0)? {
                Tok::AndIf => {
                    let right = self.pipeline(CHKNL | CHKKWD)?;
                    left = Cmd::And(Box::new(left), Box::new(right));
                }
                Tok::OrIf => {
                    let right = self.pipeline(CHKNL | CHKKWD)?;
                    left = Cmd::Or(Box::new(left), Box::new(right));
                }
                _ => {
                    self.unread();
                    return Ok(left);
                }
            }
        }
    }

    fn pipeline(&mut self, chk: u8) -> PResult<Cmd> {
        let negate;
        let first_chk;
        if matches!(self.token(chk)?, Tok::Kw(Kw::Bang)) {
            negate = true;
            first_chk = CHKKWD;
        } else {
            self.unread();
            negate = false;
            first_chk = chk;
        }
        let first = self.command(first_chk)?;
        let mut stages = vec![first];
        while matches!(self.token(0)?, Tok::Pipe) {
            stages.push(self.command(CHKNL | CHKKWD)?);
        }
        self.unread();
        let p = if stages.len() == 1 { stages.pop().unwrap_or(Cmd::Empty) } else { Cmd::Pipe(stages) };
        Ok(if negate { Cmd::Not(Box::new(p)) } else { p })
    }

    fn command(&mut self, chk: u8) -> PResult<Cmd> {
        self.enter()?;
        let line = self.line;
        let tok = self.token(chk)?;
        let cmd = match tok {
            Tok::Kw(Kw::If) => {
                let cond = self.body_list()?;
                if !matches!(self.token(0)?, Tok::Kw(Kw::Then)) {
                    return self.expect_err(Expect::Tok("\"then\""));
                }
                let then = self.body_list()?;
                let mut elifs: Vec<(Cmd, Cmd)> = Vec::new();
                let mut otherwise = None;
                loop {
                    match self.token(0)? {
                        Tok::Kw(Kw::Elif) => {
                            let c = self.body_list()?;
                            if !matches!(self.token(0)?, Tok::Kw(Kw::Then)) {
                                return self.expect_err(Expect::Tok("\"then\""));
                            }
                            let t = self.body_list()?;
                            elifs.push((c, t));
                        }
                        Tok::Kw(Kw::Else) => {
                            otherwise = Some(Box::new(self.body_list()?));
                            break;
                        }
                        _ => {
                            self.unread();
                            break;
                        }
                    }
                }
                if !matches!(self.token(0)?, Tok::Kw(Kw::Fi)) {
                    return self.expect_err(Expect::Tok("\"fi\""));
                }
                for (c, t) in elifs.into_iter().rev() {
                    otherwise = Some(Box::new(Cmd::If { cond: Box::new(c), then: Box::new(t), otherwise }));
                }
                Cmd::If { cond: Box::new(cond), then: Box::new(then), otherwise }
            }
            Tok::Kw(k @ (Kw::While | Kw::Until)) => {
                let cond = self.body_list()?;
                if !matches!(self.token(0)?, Tok::Kw(Kw::Do)) {
                    return self.expect_err(Expect::Tok("\"do\""));
                }
                let body = self.body_list()?;
                if !matches!(self.token(0)?, Tok::Kw(Kw::Done)) {
                    return self.expect_err(Expect::Tok("\"done\""));
                }
                Cmd::Loop { cond: Box::new(cond), body: Box::new(body), until: k == Kw::Until }
            }
            Tok::Kw(Kw::For) => {
                let var = match self.token(0)? {
                    Tok::Word(w) => match w.as_plain() {
                        Some(n) if is_name(n) => n.to_string(),
                        _ => return self.err("Bad for loop variable"),
                    },
                    _ => return self.err("Bad for loop variable"),
                };
                let words = if matches!(self.token(CHKNL | CHKKWD)?, Tok::Kw(Kw::In)) {
                    let mut ws = Vec::new();
                    loop {
                        match self.token(0)? {
                            Tok::Word(w) => ws.push(w),
                            Tok::Newline => {
                                self.read_heredocs()?;
                                break;
                            }
                            Tok::Semi => break,
                            _ => return self.expect_err(Expect::Any),
                        }
                    }
                    Some(ws)
                } else {
                    if !matches!(self.last, Tok::Semi) {
                        self.unread();
                    }
                    None
                };
                if !matches!(self.token(CHKNL | CHKKWD)?, Tok::Kw(Kw::Do)) {
                    return self.expect_err(Expect::Tok("\"do\""));
                }
                let body = self.body_list()?;
                if !matches!(self.token(0)?, Tok::Kw(Kw::Done)) {
                    return self.expect_err(Expect::Tok("\"done\""));
                }
                Cmd::For { var, words, body: Box::new(body), line }
            }
            Tok::Kw(Kw::Case) => {
                let word = match self.token(0)? {
                    Tok::Word(w) => w,
                    _ => return self.expect_err(Expect::Tok("word")),
                };
                if !matches!(self.token(CHKNL | CHKKWD)?, Tok::Kw(Kw::In)) {
                    return self.expect_err(Expect::Tok("\"in\""));
                }
                let mut arms = Vec::new();
                let mut t = self.token(CHKNL | CHKKWD)?;
                while !matches!(t, Tok::Kw(Kw::Esac)) {
                    if matches!(t, Tok::LParen) {
                        t = self.token(0)?;
                    }
                    let mut patterns = Vec::new();
                    loop {
                        let w = match &t {
                            Tok::Word(w) => w.clone(),
                            Tok::Kw(k) => Word::literal(kw_name(*k).trim_matches('"')),
                            _ => self.last_word.clone(),
                        };
                        patterns.push(w);
                        if !matches!(self.token(0)?, Tok::Pipe) {
                            break;
                        }
                        t = self.token(0)?;
                    }
                    if !matches!(self.last, Tok::RParen) {
                        return self.expect_err(Expect::Tok("\")\""));
                    }
                    let (body, _) = self.list(2)?;
                    arms.push(CaseArm { patterns, body });
                    t = self.token(CHKNL | CHKKWD)?;
                    if !matches!(t, Tok::Kw(Kw::Esac)) {
                        if !matches!(t, Tok::DSemi) {
                            return self.expect_err(Expect::Tok("\";;\""));
                        }
                        t = self.token(CHKNL | CHKKWD)?;
                    }
                }
                let c = Cmd::Case { word, arms, line };
                return self.finish_compound(c, line);
            }
            Tok::LParen => {
                let (body, _) = self.list(0)?;
                if !matches!(self.token(0)?, Tok::RParen) {
                    return self.expect_err(Expect::Tok("\")\""));
                }
                Cmd::Subshell(Box::new(body.unwrap_or(Cmd::Empty)), line)
            }
            Tok::Kw(Kw::Begin) => {
                let (body, _) = self.list(0)?;
                if !matches!(self.token(0)?, Tok::Kw(Kw::End)) {
                    return self.expect_err(Expect::Tok("\"}\""));
                }
                Cmd::Group(Box::new(body.unwrap_or(Cmd::Empty)))
            }
            Tok::Word(_) | Tok::Redir(..) => {
                self.unread();
                let c = self.simple()?;
                self.leave();
                return Ok(c);
            }
            _ => return self.expect_err(Expect::Any),
        };
        self.finish_compound(cmd, line)
    }

    fn body_list(&mut self) -> PResult<Cmd> {
        Ok(self.list(0)?.0.unwrap_or(Cmd::Empty))
    }

    /// Redirections after a compound command.
    fn finish_compound(&mut self, cmd: Cmd, line: u32) -> PResult<Cmd> {
        let mut redirs = Vec::new();
        loop {
            match self.token(CHKKWD)? {
                Tok::Redir(fd, op, strip) => redirs.push(self.redir_target(fd, op, strip)?),
                _ => {
                    self.unread();
                    break;
                }
            }
        }
        self.leave();
        if redirs.is_empty() {
            Ok(cmd)
        } else {
            Ok(Cmd::Redirected(Box::new(cmd), redirs.into(), line))
        }
    }

    fn simple(&mut self) -> PResult<Cmd> {
        let line = self.line;
        let mut assigns: Vec<Assign> = Vec::new();
        let mut words: Vec<Word> = Vec::new();
        let mut redirs: Vec<Redir> = Vec::new();
        let mut assigning = true;
        loop {
            match self.token(0)? {
                Tok::Word(w) => {
                    if assigning {
                        if let Some(a) = as_assignment(&w) {
                            assigns.push(a);
                            continue;
                        }
                    }
                    assigning = false;
                    words.push(w);
                }
                Tok::Redir(fd, op, strip) => redirs.push(self.redir_target(fd, op, strip)?),
                Tok::LParen if words.len() == 1 && assigns.is_empty() && redirs.is_empty() => {
                    if !matches!(self.token(0)?, Tok::RParen) {
                        return self.expect_err(Expect::Tok("\")\""));
                    }
                    let name = match words[0].as_plain() {
                        Some(n) if is_name(n) && !super::builtins::is_special(n) => n.to_string(),
                        // bash takes any word (`:(){ …; }`)
                        Some(n) if self.bash && !n.is_empty() => n.to_string(),
                        _ => return self.err("Bad function name"),
                    };
                    let fline = self.line;
                    let body = self.command(CHKNL | CHKKWD)?;
                    return Ok(Cmd::FuncDef { name, body: Rc::new(body), line: fline });
                }
                _ => {
                    self.unread();
                    break;
                }
            }
        }
        Ok(Cmd::Simple(Rc::new(Simple { line, assigns, words, redirs })))
    }

    fn redir_target(&mut self, fd: u32, op: RedirOp, strip: bool) -> PResult<Redir> {
        if op == RedirOp::HereDoc {
            self.eofmark_mode = true;
            let t = self.token(0);
            self.eofmark_mode = false;
            let w = match t? {
                Tok::Word(w) => w,
                _ => return self.expect_err(Expect::Any),
            };
            let quoted = w.has_quotes();
            let delimiter = unquote_plain(&w);
            let h = Rc::new(HereDoc { quoted, strip_tabs: strip, delimiter, body: RefCell::new(Word::default()) });
            self.heredocs.push(h.clone());
            return Ok(Redir { fd, op, target: Word::default(), heredoc: Some(h) });
        }
        let w = match self.token(0)? {
            Tok::Word(w) => w,
            _ => return self.expect_err(Expect::Any),
        };
        if matches!(op, RedirOp::DupIn | RedirOp::DupOut) {
            let text = unquote_plain(&w);
            let plain = w.parts.iter().all(|p| matches!(p, Part::Lit(_) | Part::Quoted(_)) || is_plain_double(p));
            // with expansions it is checked when expanded
            let ok = !plain || text == "-" || (text.len() == 1 && text.as_bytes()[0].is_ascii_digit());
            if !ok {
                return self.err("Bad fd number");
            }
        }
        Ok(Redir { fd, op, target: w, heredoc: None })
    }
}

fn is_plain_double(p: &Part) -> bool {
    match p {
        Part::Double(inner) => inner.iter().all(|p| matches!(p, Part::Quoted(_))),
        _ => false,
    }
}

/// The text of a word with quotes removed, expansions kept as written (`$x`).
fn unquote_plain(w: &Word) -> String {
    let mut s = String::new();
    fn walk(parts: &[Part], s: &mut String) {
        for p in parts {
            match p {
                Part::Lit(t) | Part::Quoted(t) => s.push_str(t),
                Part::Double(inner) => walk(inner, s),
                Part::Param(p) => {
                    s.push('$');
                    match &p.name {
                        ParamName::Var(n) => s.push_str(n),
                        ParamName::Positional(n) => s.push_str(&n.to_string()),
                        ParamName::Special(c) => s.push(*c),
                    }
                }
                Part::Command(_) => s.push_str("$(…)"),
                Part::Arith(_) => s.push_str("$((…))"),
            }
        }
    }
    walk(&w.parts, &mut s);
    s
}

fn special_name(c: u8) -> ParamName {
    if c.is_ascii_digit() {
        match c - b'0' {
            0 => ParamName::Special('0'),
            n => ParamName::Positional(n as usize),
        }
    } else {
        ParamName::Special(c as char)
    }
}

fn plain_param(name: ParamName, quoted: bool) -> Param {
    Param { name, op: ParamOp::Plain, colon: false, word: Word::default(), quoted }
}

fn bad_param(quoted: bool) -> Param {
    Param { name: ParamName::Special('?'), op: ParamOp::Bad, colon: false, word: Word::default(), quoted }
}

/// `name=value` when the word starts with an unquoted name and `=`.
fn as_assignment(w: &Word) -> Option<Assign> {
    let first = match w.parts.first() {
        Some(Part::Lit(s)) => s,
        _ => return None,
    };
    let eq = first.find('=')?;
    let name = &first[..eq];
    if !is_name(name) {
        return None;
    }
    let mut parts = Vec::with_capacity(w.parts.len());
    let rest = &first[eq + 1..];
    if !rest.is_empty() {
        parts.push(Part::Lit(rest.to_string()));
    }
    parts.extend(w.parts[1..].iter().cloned());
    Some(Assign { name: name.to_string(), value: Word { parts } })
}

fn seq(mut v: Vec<Cmd>) -> Cmd {
    match v.len() {
        0 => Cmd::Empty,
        1 => v.pop().unwrap_or(Cmd::Empty),
        _ => Cmd::Seq(v),
    }
}

fn seq_opt(v: Vec<Cmd>) -> Option<Cmd> {
    if v.is_empty() {
        None
    } else {
        Some(seq(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_err(src: &str) -> Option<SyntaxError> {
        let mut p = Parser::new(src);
        loop {
            match p.next_command() {
                Ok(None) => return None,
                Ok(Some(_)) => {}
                Err(e) => return Some(e),
            }
        }
    }

    #[test]
    fn syntax_errors_read_like_dash() {
        let cases = [
            ("fi", "\"fi\" unexpected"),
            ("if true; fi", "\"fi\" unexpected (expecting \"then\")"),
            ("{ echo", "end of file unexpected (expecting \"}\")"),
            ("echo )", "\")\" unexpected"),
            ("()", "\")\" unexpected"),
            ("echo ;;", "\";;\" unexpected"),
            ("echo |", "end of file unexpected"),
            ("echo \"abc", "Unterminated quoted string"),
            ("echo ${x", "Missing '}'"),
            ("echo $((1+2)", "Missing '))'"),
            ("for 1 in a; do :; done", "Bad for loop variable"),
            ("case x in a) echo", "end of file unexpected (expecting \";;\")"),
            ("case", "end of file unexpected (expecting word)"),
            ("x=1 y=2 f() { :; }", "\"(\" unexpected"),
            ("foo <<< bar", "redirection unexpected"),
            ("echo a >&x", "Bad fd number"),
            ("{ }", "\"}\" unexpected"),
            ("! !", "\"!\" unexpected"),
            ("echo `echo", "EOF in backquote substitution"),
            ("while :; do; done", "\";\" unexpected"),
        ];
        for (src, want) in cases {
            let e = first_err(src).unwrap_or_else(|| panic!("no error for {src:?}"));
            assert_eq!(e.msg, want, "for {src:?}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = "(".repeat(10_000);
        assert!(first_err(&src).is_some());
        let src = "$(".repeat(10_000);
        assert!(first_err(&format!("echo {src}")).is_some());
        let src = "\"$(".repeat(10_000);
        assert!(first_err(&format!("echo {src}")).is_some());
    }
}
