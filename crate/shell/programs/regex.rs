//! A POSIX regular-expression engine for `grep`, `sed` (and `find -regex`,
//! `expr`): basic (BRE) and extended (ERE) syntax with the GNU extensions
//! (`\+ \? \|` in BRE, back-references in ERE, `\w \W \s \S \b \B \< \> \` \'`),
//! bracket expressions with classes, case folding, on bytes (the C locale).
//!
//! Matching is backtracking over a small compiled program and finds the POSIX
//! leftmost-longest match (all paths from the leftmost start are explored and
//! the longest end kept; groups come from the highest-priority path that
//! reaches it). Without back-references a visited-state bitmap makes it
//! O(pattern × text); with them the work is charged to the step budget, so a
//! pathological pattern ends with the budget, never a hang.

use super::common::{Halt, REGEX_STEPS_PER_STEP};
use crate::shell::proc::Budget;

/// Which syntax a pattern is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Basic,
    Extended,
}

/// How to compile a pattern.
#[derive(Clone, Copy, Debug)]
pub struct Flags {
    pub syntax: Syntax,
    pub icase: bool,
    /// `\n` and `\t` mean newline and tab (sed), also inside brackets.
    pub sed_escapes: bool,
}

impl Flags {
    pub fn new(syntax: Syntax) -> Self {
        Flags { syntax, icase: false, sed_escapes: false }
    }
}

/// Why a pattern does not compile, worded as glibc's `regerror`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RegexError {
    UnmatchedBracket,
    UnmatchedParen,
    UnmatchedCloseParen,
    UnmatchedBrace,
    BadBraceContent,
    BadRangeEnd,
    BadClass,
    TrailingBackslash,
    BadBackref,
    BadPreceding,
    TooBig,
}

impl RegexError {
    pub fn message(&self) -> &'static str {
        match self {
            RegexError::UnmatchedBracket => "Unmatched [, [^, [:, [., or [=",
            RegexError::UnmatchedParen => "Unmatched ( or \\(",
            RegexError::UnmatchedCloseParen => "Unmatched ) or \\)",
            RegexError::UnmatchedBrace => "Unmatched \\{",
            RegexError::BadBraceContent => "Invalid content of \\{\\}",
            RegexError::BadRangeEnd => "Invalid range end",
            RegexError::BadClass => "Invalid character class name",
            RegexError::TrailingBackslash => "Trailing backslash",
            RegexError::BadBackref => "Invalid back reference",
            RegexError::BadPreceding => "Invalid preceding regular expression",
            RegexError::TooBig => "Regular expression too big",
        }
    }
}

type Set = Box<[bool; 256]>;

#[derive(Clone, Debug)]
enum Node {
    Empty,
    Byte(u8),
    Set(Set),
    Any,
    Bol,
    Eol,
    WordB,
    NotWordB,
    WordStart,
    WordEnd,
    BufStart,
    BufEnd,
    /// `grep -w`: no word byte before / after.
    NoWordBefore,
    NoWordAfter,
    Backref(usize),
    Group(Box<Node>, usize),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat(Box<Node>, u32, Option<u32>),
}

#[derive(Clone, Copy, Debug)]
enum Inst {
    Byte(u8),
    Set(usize),
    Any,
    Split(usize, usize),
    Jmp(usize),
    Save(usize),
    Bol,
    Eol,
    WordB,
    NotWordB,
    WordStart,
    WordEnd,
    BufStart,
    BufEnd,
    NoWordBefore,
    NoWordAfter,
    Backref(usize),
    RepStart(usize),
    RepCheck(usize),
    Match,
}

/// The instruction of a zero-width assertion node (`^`, `$`, `\b`, `\<`, …).
fn assertion(node: &Node) -> Option<Inst> {
    Some(match node {
        Node::Bol => Inst::Bol,
        Node::Eol => Inst::Eol,
        Node::WordB => Inst::WordB,
        Node::NotWordB => Inst::NotWordB,
        Node::WordStart => Inst::WordStart,
        Node::WordEnd => Inst::WordEnd,
        Node::BufStart => Inst::BufStart,
        Node::BufEnd => Inst::BufEnd,
        Node::NoWordBefore => Inst::NoWordBefore,
        Node::NoWordAfter => Inst::NoWordAfter,
        _ => return None,
    })
}

/// Most instructions a compiled pattern may have.
const MAX_PROG: usize = 100_000;
/// Deepest group nesting and longest run of repetition operators on one atom
/// (the parser and compiler recurse over them).
const MAX_NESTING: usize = 200;
/// Largest `{m,n}` count (glibc's RE_DUP_MAX).
const DUP_MAX: u32 = 32_767;

/// What a match must additionally satisfy (`grep -w`, `grep -x`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrap {
    None,
    /// Not preceded or followed by a word byte.
    Word,
    /// The whole text.
    Line,
}

/// A compiled pattern.
#[derive(Clone, Debug)]
pub struct Regex {
    prog: Vec<Inst>,
    sets: Vec<Set>,
    ngroups: usize,
    nreps: usize,
    has_backrefs: bool,
    icase: bool,
    /// Bytes a match can start with (`None`: any, or it can be empty).
    first: Option<Set>,
    /// Every match starts at the beginning of the text.
    anchored: bool,
}

/// Group spans of a match: index 0 is the whole match.
pub type Captures = Vec<Option<(usize, usize)>>;

struct Parser<'p> {
    s: &'p [u8],
    i: usize,
    f: Flags,
    ngroups: usize,
    /// Groups closed so far (a back-reference must name one).
    closed: Vec<bool>,
    has_backrefs: bool,
}

fn set_of(pred: impl Fn(u8) -> bool) -> Set {
    let mut s = Box::new([false; 256]);
    for b in 0..=255u8 {
        s[b as usize] = pred(b);
    }
    s
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn class(name: &[u8]) -> Option<fn(u8) -> bool> {
    Some(match name {
        b"alnum" => |c: u8| c.is_ascii_alphanumeric(),
        b"alpha" => |c: u8| c.is_ascii_alphabetic(),
        b"blank" => |c: u8| c == b' ' || c == b'\t',
        b"cntrl" => |c: u8| c.is_ascii_control(),
        b"digit" => |c: u8| c.is_ascii_digit(),
        b"graph" => |c: u8| c.is_ascii_graphic(),
        b"lower" => |c: u8| c.is_ascii_lowercase(),
        b"print" => |c: u8| (0x20..0x7f).contains(&c),
        b"punct" => |c: u8| c.is_ascii_punctuation(),
        b"space" => |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 11 | 12),
        b"upper" => |c: u8| c.is_ascii_uppercase(),
        b"xdigit" => |c: u8| c.is_ascii_hexdigit(),
        _ => return None,
    })
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn peek2(&self) -> Option<u8> {
        self.s.get(self.i + 1).copied()
    }
    fn ere(&self) -> bool {
        self.f.syntax == Syntax::Extended
    }

    fn at_alt(&self) -> bool {
        if self.ere() {
            self.peek() == Some(b'|')
        } else {
            self.peek() == Some(b'\\') && self.peek2() == Some(b'|')
        }
    }

    fn at_close(&self) -> bool {
        if self.ere() {
            self.peek() == Some(b')')
        } else {
            self.peek() == Some(b'\\') && self.peek2() == Some(b')')
        }
    }

    fn parse_alt(&mut self, depth: usize) -> Result<Node, RegexError> {
        if depth > MAX_NESTING {
            return Err(RegexError::TooBig);
        }
        let mut alts = vec![self.parse_seq(depth)?];
        while self.at_alt() {
            self.i += if self.ere() { 1 } else { 2 };
            alts.push(self.parse_seq(depth)?);
        }
        Ok(if alts.len() == 1 { alts.pop().unwrap_or(Node::Empty) } else { Node::Alt(alts) })
    }

    fn parse_seq(&mut self, depth: usize) -> Result<Node, RegexError> {
        let mut items: Vec<Node> = Vec::new();
        // true while nothing but anchors has been read (a `*` here is literal in BRE)
        let mut at_start = true;
        loop {
            let Some(c) = self.peek() else { break };
            if self.at_alt() {
                break;
            }
            if self.at_close() {
                if depth > 0 {
                    break;
                }
                if self.ere() {
                    // an unmatched `)` is an ordinary character in GNU ERE
                    self.i += 1;
                    items.push(Node::Byte(b')'));
                    at_start = false;
                    self.postfix(&mut items)?;
                    continue;
                }
                return Err(RegexError::UnmatchedCloseParen);
            }
            let atom = match c {
                b'^' => {
                    self.i += 1;
                    if self.ere() || at_start {
                        items.push(Node::Bol);
                        continue;
                    }
                    Node::Byte(b'^')
                }
                b'$' => {
                    self.i += 1;
                    let at_end = self.peek().is_none() || self.at_close() || self.at_alt();
                    if self.ere() || at_end {
                        items.push(Node::Eol);
                        continue;
                    }
                    Node::Byte(b'$')
                }
                b'*' if at_start => {
                    self.i += 1;
                    Node::Byte(b'*')
                }
                b'+' | b'?' if self.ere() && at_start => {
                    self.i += 1;
                    Node::Byte(c)
                }
                b'{' if self.ere() && at_start => {
                    self.i += 1;
                    Node::Byte(b'{')
                }
                b'.' => {
                    self.i += 1;
                    Node::Any
                }
                b'[' => {
                    self.i += 1;
                    self.bracket()?
                }
                b'(' if self.ere() => {
                    self.i += 1;
                    self.group(depth)?
                }
                b'\\' => {
                    self.i += 1;
                    let Some(e) = self.peek() else {
                        return Err(RegexError::TrailingBackslash);
                    };
                    self.i += 1;
                    match e {
                        b'(' if !self.ere() => self.group(depth)?,
                        b'{' if !self.ere() => {
                            if at_start {
                                return Err(RegexError::BadPreceding);
                            }
                            Node::Byte(b'{')
                        }
                        b'1'..=b'9' => {
                            let n = (e - b'0') as usize;
                            if n > self.ngroups || !self.closed.get(n).copied().unwrap_or(false) {
                                return Err(RegexError::BadBackref);
                            }
                            self.has_backrefs = true;
                            Node::Backref(n)
                        }
                        b'w' => Node::Set(set_of(is_word)),
                        b'W' => Node::Set(set_of(|b| !is_word(b))),
                        b's' => Node::Set(set_of(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 11 | 12))),
                        b'S' => Node::Set(set_of(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 11 | 12))),
                        // zero-width assertions: pushed as they are, past the atom handling below
                        b'b' | b'B' | b'<' | b'>' | b'`' | b'\'' => {
                            items.push(match e {
                                b'b' => Node::WordB,
                                b'B' => Node::NotWordB,
                                b'<' => Node::WordStart,
                                b'>' => Node::WordEnd,
                                b'`' => Node::BufStart,
                                _ => Node::BufEnd,
                            });
                            continue;
                        }
                        b'n' if self.f.sed_escapes => Node::Byte(b'\n'),
                        b't' if self.f.sed_escapes => Node::Byte(b'\t'),
                        other => Node::Byte(other),
                    }
                }
                other => {
                    self.i += 1;
                    Node::Byte(other)
                }
            };
            items.push(atom);
            at_start = false;
            self.postfix(&mut items)?;
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(items),
        })
    }

    /// Applies `*`, `+`, `?`, `{m,n}` (and BRE's `\+ \? \{m,n\}`) to the last item.
    fn postfix(&mut self, items: &mut Vec<Node>) -> Result<(), RegexError> {
        let mut ops = 0;
        loop {
            ops += 1;
            if ops > MAX_NESTING {
                return Err(RegexError::TooBig);
            }
            let (min, max) = match (self.peek(), self.peek2()) {
                (Some(b'*'), _) => {
                    self.i += 1;
                    (0, None)
                }
                (Some(b'+'), _) if self.ere() => {
                    self.i += 1;
                    (1, None)
                }
                (Some(b'?'), _) if self.ere() => {
                    self.i += 1;
                    (0, Some(1))
                }
                (Some(b'\\'), Some(b'+')) if !self.ere() => {
                    self.i += 2;
                    (1, None)
                }
                (Some(b'\\'), Some(b'?')) if !self.ere() => {
                    self.i += 2;
                    (0, Some(1))
                }
                (Some(b'{'), _) if self.ere() => {
                    let save = self.i;
                    self.i += 1;
                    match self.interval()? {
                        Some(x) => x,
                        None => {
                            // not an interval: a literal `{` (GNU)
                            self.i = save;
                            return Ok(());
                        }
                    }
                }
                (Some(b'\\'), Some(b'{')) if !self.ere() => {
                    self.i += 2;
                    match self.interval()? {
                        Some(x) => x,
                        None => return Err(RegexError::BadBraceContent),
                    }
                }
                _ => return Ok(()),
            };
            let last = items.pop().unwrap_or(Node::Empty);
            items.push(Node::Repeat(Box::new(last), min, max));
        }
    }

    /// `m}`, `m,}`, `m,n}`, `,n}` after the `{` (BRE: `\}`). `None` when it is
    /// not an interval at all (ERE then takes `{` literally).
    fn interval(&mut self) -> Result<Option<(u32, Option<u32>)>, RegexError> {
        let num = |p: &mut Self| -> Option<u32> {
            let st = p.i;
            while p.peek().map(|c| c.is_ascii_digit()).unwrap_or(false) {
                p.i += 1;
            }
            if p.i == st {
                None
            } else {
                Some(std::str::from_utf8(&p.s[st..p.i]).ok()?.parse::<u32>().unwrap_or(u32::MAX))
            }
        };
        let min = num(self);
        let max = if self.peek() == Some(b',') {
            self.i += 1;
            num(self)
        } else {
            Some(min.unwrap_or(0))
        };
        let close_ok = if self.ere() {
            if self.peek() == Some(b'}') {
                self.i += 1;
                true
            } else {
                false
            }
        } else if self.peek() == Some(b'\\') && self.peek2() == Some(b'}') {
            self.i += 2;
            true
        } else {
            false
        };
        if !close_ok {
            if self.ere() {
                return Ok(None);
            }
            if self.peek().is_none() || !self.s[self.i..].windows(2).any(|w| w == b"\\}") {
                return Err(RegexError::UnmatchedBrace);
            }
            return Err(RegexError::BadBraceContent);
        }
        if min.is_none() && max.is_none() && self.ere() {
            return Ok(None);
        }
        let min = min.unwrap_or(0);
        if min > DUP_MAX || max.map(|m| m > DUP_MAX).unwrap_or(false) {
            return Err(RegexError::TooBig);
        }
        if let Some(m) = max {
            if m < min {
                return Err(RegexError::BadBraceContent);
            }
        }
        Ok(Some((min, max)))
    }

    fn group(&mut self, depth: usize) -> Result<Node, RegexError> {
        self.ngroups += 1;
        let n = self.ngroups;
        self.closed.resize(n + 1, false);
        let inner = self.parse_alt(depth + 1)?;
        if !self.at_close() {
            return Err(RegexError::UnmatchedParen);
        }
        self.i += if self.ere() { 1 } else { 2 };
        self.closed[n] = true;
        Ok(Node::Group(Box::new(inner), n))
    }

    /// A bracket expression after its `[`.
    fn bracket(&mut self) -> Result<Node, RegexError> {
        let mut set = Box::new([false; 256]);
        let negate = self.peek() == Some(b'^');
        if negate {
            self.i += 1;
        }
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err(RegexError::UnmatchedBracket);
            };
            if c == b']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            // the start of an item: a byte, or a [: :], [= =], [. .] construct
            let lo: u8;
            if c == b'[' && matches!(self.peek2(), Some(b':' | b'=' | b'.')) {
                let kind = self.peek2().unwrap_or(b':');
                let start = self.i + 2;
                let mut j = start;
                while j + 1 < self.s.len() && !(self.s[j] == kind && self.s[j + 1] == b']') {
                    j += 1;
                }
                if j + 1 >= self.s.len() {
                    return Err(RegexError::UnmatchedBracket);
                }
                let name = &self.s[start..j];
                self.i = j + 2;
                match kind {
                    b':' => {
                        let f = class(name).ok_or(RegexError::BadClass)?;
                        for b in 0..=255u8 {
                            if f(b) {
                                set[b as usize] = true;
                            }
                        }
                        continue;
                    }
                    _ => {
                        if name.len() != 1 {
                            return Err(RegexError::UnmatchedBracket);
                        }
                        lo = name[0];
                    }
                }
            } else if c == b'\\' && self.f.sed_escapes && matches!(self.peek2(), Some(b'n' | b't' | b'\\' | b']')) {
                lo = match self.peek2() {
                    Some(b'n') => b'\n',
                    Some(b't') => b'\t',
                    Some(b']') => {
                        // GNU sed: `\]` is a backslash then the end of the bracket
                        set[b'\\' as usize] = true;
                        self.i += 1;
                        continue;
                    }
                    _ => b'\\',
                };
                self.i += 2;
            } else {
                lo = c;
                self.i += 1;
            }
            // a range?
            if self.peek() == Some(b'-') && self.peek2().map(|x| x != b']').unwrap_or(false) {
                self.i += 1;
                let hc = self.peek().ok_or(RegexError::UnmatchedBracket)?;
                let hi = if hc == b'[' && self.peek2() == Some(b'.') {
                    let start = self.i + 2;
                    let mut j = start;
                    while j + 1 < self.s.len() && !(self.s[j] == b'.' && self.s[j + 1] == b']') {
                        j += 1;
                    }
                    if j + 1 >= self.s.len() || j != start + 1 {
                        return Err(RegexError::UnmatchedBracket);
                    }
                    self.i = j + 2;
                    self.s[start]
                } else {
                    self.i += 1;
                    hc
                };
                if hi < lo {
                    return Err(RegexError::BadRangeEnd);
                }
                for b in lo..=hi {
                    set[b as usize] = true;
                }
            } else {
                set[lo as usize] = true;
            }
        }
        if negate {
            for v in set.iter_mut() {
                *v = !*v;
            }
        }
        Ok(Node::Set(set))
    }
}

fn can_be_empty(n: &Node) -> bool {
    match n {
        Node::Empty | Node::Bol | Node::Eol | Node::WordB | Node::NotWordB | Node::WordStart | Node::WordEnd => true,
        Node::BufStart | Node::BufEnd | Node::Backref(_) | Node::NoWordBefore | Node::NoWordAfter => true,
        Node::Byte(_) | Node::Set(_) | Node::Any => false,
        Node::Group(x, _) => can_be_empty(x),
        Node::Concat(v) => v.iter().all(can_be_empty),
        Node::Alt(v) => v.iter().any(can_be_empty),
        Node::Repeat(x, min, _) => *min == 0 || can_be_empty(x),
    }
}

struct Compiler {
    prog: Vec<Inst>,
    sets: Vec<Set>,
    nreps: usize,
    icase: bool,
}

impl Compiler {
    fn emit(&mut self, i: Inst) -> Result<usize, RegexError> {
        if self.prog.len() >= MAX_PROG {
            return Err(RegexError::TooBig);
        }
        self.prog.push(i);
        Ok(self.prog.len() - 1)
    }

    fn set(&mut self, mut s: Set) -> Inst {
        if self.icase {
            for b in b'a'..=b'z' {
                let u = b.to_ascii_uppercase();
                if s[b as usize] || s[u as usize] {
                    s[b as usize] = true;
                    s[u as usize] = true;
                }
            }
        }
        self.sets.push(s);
        Inst::Set(self.sets.len() - 1)
    }

    fn node(&mut self, n: &Node) -> Result<(), RegexError> {
        match n {
            Node::Empty => {}
            Node::Byte(b) => {
                if self.icase && b.is_ascii_alphabetic() {
                    let mut s = Box::new([false; 256]);
                    s[*b as usize] = true;
                    let i = self.set(s);
                    self.emit(i)?;
                } else {
                    self.emit(Inst::Byte(*b))?;
                }
            }
            Node::Set(s) => {
                let i = self.set(s.clone());
                self.emit(i)?;
            }
            Node::Any => {
                self.emit(Inst::Any)?;
            }
            Node::Bol | Node::Eol | Node::WordB | Node::NotWordB | Node::WordStart | Node::WordEnd | Node::BufStart | Node::BufEnd | Node::NoWordBefore | Node::NoWordAfter => {
                if let Some(i) = assertion(n) {
                    self.emit(i)?;
                }
            }
            Node::Backref(k) => {
                self.emit(Inst::Backref(*k))?;
            }
            Node::Group(x, k) => {
                self.emit(Inst::Save(2 * k))?;
                self.node(x)?;
                self.emit(Inst::Save(2 * k + 1))?;
            }
            Node::Concat(v) => {
                for x in v {
                    self.node(x)?;
                }
            }
            Node::Alt(v) => {
                let mut jumps = Vec::new();
                for (i, x) in v.iter().enumerate() {
                    if i + 1 < v.len() {
                        let split = self.emit(Inst::Split(0, 0))?;
                        self.node(x)?;
                        jumps.push(self.emit(Inst::Jmp(0))?);
                        let next = self.prog.len();
                        self.prog[split] = Inst::Split(split + 1, next);
                    } else {
                        self.node(x)?;
                    }
                }
                let end = self.prog.len();
                for j in jumps {
                    self.prog[j] = Inst::Jmp(end);
                }
            }
            Node::Repeat(x, min, max) => {
                for _ in 0..*min {
                    self.node(x)?;
                }
                match max {
                    None => {
                        let empty = can_be_empty(x);
                        let l = self.emit(Inst::Split(0, 0))?;
                        let rep = self.nreps;
                        if empty {
                            self.nreps += 1;
                            self.emit(Inst::RepStart(rep))?;
                        }
                        self.node(x)?;
                        if empty {
                            self.emit(Inst::RepCheck(rep))?;
                        }
                        self.emit(Inst::Jmp(l))?;
                        let end = self.prog.len();
                        self.prog[l] = Inst::Split(l + 1, end);
                    }
                    Some(m) => {
                        let mut splits = Vec::new();
                        for _ in *min..*m {
                            splits.push(self.emit(Inst::Split(0, 0))?);
                            self.node(x)?;
                        }
                        let end = self.prog.len();
                        for s in splits {
                            self.prog[s] = Inst::Split(s + 1, end);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

impl Regex {
    /// Compiles `pattern`.
    pub fn new(pattern: &[u8], flags: Flags) -> Result<Regex, RegexError> {
        Regex::wrapped(pattern, flags, Wrap::None)
    }

    /// Compiles `pattern` with a [`Wrap`] condition around it.
    pub fn wrapped(pattern: &[u8], flags: Flags, wrap: Wrap) -> Result<Regex, RegexError> {
        let mut p = Parser { s: pattern, i: 0, f: flags, ngroups: 0, closed: vec![false], has_backrefs: false };
        let ast = p.parse_alt(0)?;
        if p.i < pattern.len() {
            return Err(RegexError::UnmatchedCloseParen);
        }
        let ast = match wrap {
            Wrap::None => ast,
            Wrap::Word => Node::Concat(vec![Node::NoWordBefore, ast, Node::NoWordAfter]),
            Wrap::Line => Node::Concat(vec![Node::Bol, ast, Node::Eol]),
        };
        let mut c = Compiler { prog: Vec::new(), sets: Vec::new(), nreps: 0, icase: flags.icase };
        c.emit(Inst::Save(0))?;
        c.node(&ast)?;
        c.emit(Inst::Save(1))?;
        c.emit(Inst::Match)?;
        let mut re = Regex {
            prog: c.prog,
            sets: c.sets,
            ngroups: p.ngroups,
            nreps: c.nreps,
            has_backrefs: p.has_backrefs,
            icase: flags.icase,
            first: None,
            anchored: false,
        };
        re.first = re.first_bytes();
        re.anchored = re.starts_anchored();
        Ok(re)
    }

    /// Number of groups (`\(…\)` or `(…)`).
    pub fn groups(&self) -> usize {
        self.ngroups
    }

    fn first_bytes(&self) -> Option<Set> {
        let mut set = Box::new([false; 256]);
        let mut seen = vec![false; self.prog.len()];
        let mut todo = vec![0usize];
        while let Some(pc) = todo.pop() {
            if pc >= self.prog.len() || seen[pc] {
                continue;
            }
            seen[pc] = true;
            match self.prog[pc] {
                Inst::Byte(b) => set[b as usize] = true,
                Inst::Set(i) => {
                    for (k, v) in self.sets[i].iter().enumerate() {
                        if *v {
                            set[k] = true;
                        }
                    }
                }
                Inst::Any | Inst::Match | Inst::Backref(_) => return None,
                Inst::Split(a, b) => {
                    todo.push(a);
                    todo.push(b);
                }
                Inst::Jmp(a) => todo.push(a),
                _ => todo.push(pc + 1),
            }
        }
        Some(set)
    }

    fn starts_anchored(&self) -> bool {
        let mut pc = 0;
        while let Some(Inst::Save(_)) = self.prog.get(pc) {
            pc += 1;
        }
        matches!(self.prog.get(pc), Some(Inst::Bol | Inst::BufStart))
    }

    /// The leftmost-longest match in `text` starting at or after `from`.
    /// `not_bol`: `^` does not match at offset 0 (a later piece of a line).
    pub fn search(&self, text: &[u8], from: usize, not_bol: bool, budget: &mut Budget) -> Result<Option<Captures>, Halt> {
        let n = text.len();
        if from > n {
            return Ok(None);
        }
        if self.anchored && from > 0 {
            return Ok(None);
        }
        let mut m = Machine::new(self, text, not_bol, budget);
        let mut s = from;
        while s <= n {
            if let Some(f) = &self.first {
                while s < n && !f[text[s] as usize] {
                    s += 1;
                }
                if s >= n {
                    break;
                }
            }
            if let Some(c) = m.run(s)? {
                return Ok(Some(c));
            }
            if self.anchored {
                break;
            }
            s += 1;
        }
        Ok(None)
    }

    /// Whether `text` has a match.
    pub fn is_match(&self, text: &[u8], budget: &mut Budget) -> Result<bool, Halt> {
        Ok(self.search(text, 0, false, budget)?.is_some())
    }
}

enum Frame {
    Alt(usize, usize),
    Cap(usize, usize),
    Rep(usize, usize),
}

const NONE: usize = usize::MAX;
/// Visited-state bitmaps larger than this many bits are not used.
const MAX_MEMO_BITS: usize = 64 << 20;

struct Machine<'r, 't, 'b> {
    re: &'r Regex,
    text: &'t [u8],
    not_bol: bool,
    budget: &'b mut Budget,
    memo: Option<Vec<u64>>,
    steps: u64,
}

impl<'r, 't, 'b> Machine<'r, 't, 'b> {
    fn new(re: &'r Regex, text: &'t [u8], not_bol: bool, budget: &'b mut Budget) -> Self {
        let bits = re.prog.len().saturating_mul(text.len() + 1);
        let memo = if !re.has_backrefs && bits <= MAX_MEMO_BITS { Some(vec![0u64; bits / 64 + 1]) } else { None };
        Machine { re, text, not_bol, budget, memo, steps: 0 }
    }

    fn word_at(&self, i: usize) -> bool {
        i < self.text.len() && is_word(self.text[i])
    }

    fn word_before(&self, i: usize) -> bool {
        i > 0 && is_word(self.text[i - 1])
    }

    fn run(&mut self, start: usize) -> Result<Option<Captures>, Halt> {
        let re = self.re;
        let n = self.text.len();
        let mut caps = vec![NONE; 2 * (re.ngroups + 1)];
        let mut reps = vec![NONE; re.nreps];
        let mut best: Option<Vec<usize>> = None;
        let mut stack: Vec<Frame> = vec![Frame::Alt(0, start)];
        'outer: while let Some(fr) = stack.pop() {
            let (mut pc, mut pos) = match fr {
                Frame::Cap(slot, old) => {
                    caps[slot] = old;
                    continue;
                }
                Frame::Rep(slot, old) => {
                    reps[slot] = old;
                    continue;
                }
                Frame::Alt(pc, pos) => (pc, pos),
            };
            loop {
                self.steps += 1;
                if self.steps >= 1024 {
                    self.steps = 0;
                    if !self.budget.charge(1024 / REGEX_STEPS_PER_STEP) {
                        return Err(Halt::Budget);
                    }
                }
                if let Some(memo) = &mut self.memo {
                    let bit = pc * (n + 1) + pos;
                    let (w, b) = (bit / 64, 1u64 << (bit % 64));
                    if memo[w] & b != 0 {
                        continue 'outer;
                    }
                    memo[w] |= b;
                }
                match re.prog[pc] {
                    Inst::Byte(c) => {
                        if pos < n && self.text[pos] == c {
                            pc += 1;
                            pos += 1;
                        } else {
                            continue 'outer;
                        }
                    }
                    Inst::Set(i) => {
                        if pos < n && re.sets[i][self.text[pos] as usize] {
                            pc += 1;
                            pos += 1;
                        } else {
                            continue 'outer;
                        }
                    }
                    Inst::Any => {
                        if pos < n {
                            pc += 1;
                            pos += 1;
                        } else {
                            continue 'outer;
                        }
                    }
                    Inst::Split(a, b) => {
                        stack.push(Frame::Alt(b, pos));
                        pc = a;
                    }
                    Inst::Jmp(a) => pc = a,
                    Inst::Save(k) => {
                        stack.push(Frame::Cap(k, caps[k]));
                        caps[k] = pos;
                        pc += 1;
                    }
                    Inst::Bol | Inst::BufStart => {
                        if pos == 0 && !self.not_bol {
                            pc += 1;
                        } else {
                            continue 'outer;
                        }
                    }
                    Inst::Eol | Inst::BufEnd => {
                        if pos == n {
                            pc += 1;
                        } else {
                            continue 'outer;
                        }
                    }
                    Inst::WordB => {
                        if self.word_before(pos) != self.word_at(pos) {
                            pc += 1;
                        } else {
                            continue 'outer;
                        }
                    }
                    Inst::NotWordB => {
                        if self.word_before(pos) == self.word_at(pos) {
                            pc += 1;
                        } else {
                            continue 'outer;
                        }
                    }
                    Inst::WordStart => {
                        if !self.word_before(pos) && self.word_at(pos) {
                            pc += 1;
                        } else {
                            continue 'outer;
                        }
                    }
                    Inst::WordEnd => {
                        if self.word_before(pos) && !self.word_at(pos) {
                            pc += 1;
                        } else {
                            continue 'outer;
                        }
                    }
                    Inst::NoWordBefore => {
                        if !self.word_before(pos) {
                            pc += 1;
                        } else {
                            continue 'outer;
                        }
                    }
                    Inst::NoWordAfter => {
                        if !self.word_at(pos) {
                            pc += 1;
                        } else {
                            continue 'outer;
                        }
                    }
                    Inst::Backref(k) => {
                        let (s, e) = (caps[2 * k], caps[2 * k + 1]);
                        if s == NONE || e == NONE || e < s {
                            continue 'outer;
                        }
                        let len = e - s;
                        if pos + len > n {
                            continue 'outer;
                        }
                        let same = if re.icase {
                            self.text[s..e].eq_ignore_ascii_case(&self.text[pos..pos + len])
                        } else {
                            self.text[s..e] == self.text[pos..pos + len]
                        };
                        if !same {
                            continue 'outer;
                        }
                        self.steps += len as u64;
                        pos += len;
                        pc += 1;
                    }
                    Inst::RepStart(k) => {
                        stack.push(Frame::Rep(k, reps[k]));
                        reps[k] = pos;
                        pc += 1;
                    }
                    Inst::RepCheck(k) => {
                        if reps[k] == pos {
                            continue 'outer;
                        }
                        pc += 1;
                    }
                    Inst::Match => {
                        let better = match &best {
                            None => true,
                            Some(b) => pos > b[1],
                        };
                        if better {
                            let mut c = caps.clone();
                            c[1] = pos;
                            best = Some(c);
                        }
                        if pos == n {
                            break 'outer;
                        }
                        continue 'outer;
                    }
                }
            }
        }
        Ok(best.map(|c| {
            (0..=re.ngroups)
                .map(|g| {
                    let (s, e) = (c[2 * g], c[2 * g + 1]);
                    if s == NONE || e == NONE || e < s {
                        None
                    } else {
                        Some((s, e))
                    }
                })
                .collect()
        }))
    }
}

/// `s` as a pattern that matches it literally (for `grep -F`).
pub fn escape_literal(s: &[u8], syntax: Syntax) -> Vec<u8> {
    let mut o = Vec::with_capacity(s.len() * 2);
    for &c in s {
        let special = match syntax {
            Syntax::Basic => matches!(c, b'.' | b'[' | b'\\' | b'*' | b'^' | b'$'),
            Syntax::Extended => matches!(c, b'.' | b'[' | b'\\' | b'*' | b'^' | b'$' | b'(' | b')' | b'|' | b'+' | b'?' | b'{'),
        };
        if special {
            o.push(b'\\');
        }
        o.push(c);
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(p: &str, ere: bool, t: &str) -> Option<(usize, usize)> {
        let re = Regex::new(p.as_bytes(), Flags::new(if ere { Syntax::Extended } else { Syntax::Basic })).unwrap();
        let mut b = Budget::new(1_000_000);
        re.search(t.as_bytes(), 0, false, &mut b).unwrap().and_then(|c| c[0])
    }

    fn groups(p: &str, ere: bool, t: &str) -> Vec<Option<(usize, usize)>> {
        let re = Regex::new(p.as_bytes(), Flags::new(if ere { Syntax::Extended } else { Syntax::Basic })).unwrap();
        let mut b = Budget::new(1_000_000);
        re.search(t.as_bytes(), 0, false, &mut b).unwrap().unwrap()
    }

    fn error(p: &str, ere: bool) -> RegexError {
        Regex::new(p.as_bytes(), Flags::new(if ere { Syntax::Extended } else { Syntax::Basic })).unwrap_err()
    }

    #[test]
    fn basics() {
        assert_eq!(find("b", false, "abc"), Some((1, 2)));
        assert_eq!(find("a*", false, "baaa"), Some((0, 0)));
        assert_eq!(find("a\\+", false, "baaa"), Some((1, 4)));
        assert_eq!(find("^a", false, "ba"), None);
        assert_eq!(find("a$", false, "ba"), Some((1, 2)));
        assert_eq!(find("a^b", false, "a^b"), Some((0, 3)));
        assert_eq!(find("a$b", false, "a$b"), Some((0, 3)));
        assert_eq!(find("*a", false, "x*a"), Some((1, 3)));
        assert_eq!(find("[[:digit:]]\\{2,3\\}", false, "a12345"), Some((1, 4)));
        assert_eq!(find("x\\{2\\}", false, "xxx"), Some((0, 2)));
        assert_eq!(find("[]a]*", false, "]a]b"), Some((0, 3)));
        assert_eq!(find("[^a-c]", false, "abcd"), Some((3, 4)));
        assert_eq!(find("\\<foo\\>", false, "afoo foo"), Some((5, 8)));
        assert_eq!(find("\\bo", false, "foo o"), Some((4, 5)));
        assert_eq!(find("a{", true, "a{"), Some((0, 2)));
        assert_eq!(find("a{,2}", true, "aaa"), Some((0, 2)));
        assert_eq!(find("x)", true, "x)"), Some((0, 2)));
    }

    #[test]
    fn leftmost_longest() {
        assert_eq!(find("a|ab", true, "abcd"), Some((0, 2)));
        assert_eq!(groups("(a|ab)(c|bcd)", true, "abcd"), vec![Some((0, 4)), Some((0, 1)), Some((1, 4))]);
        assert_eq!(groups("\\(a*\\)\\(a*\\)", false, "aaa"), vec![Some((0, 3)), Some((0, 3)), Some((3, 3))]);
        assert_eq!(find("(a*)*b", true, "aaab"), Some((0, 4)));
        assert_eq!(find("(a|)*b", true, "aab"), Some((0, 3)));
    }

    #[test]
    fn backrefs() {
        assert_eq!(find("\\(ab\\)\\1", false, "xababy"), Some((1, 5)));
        assert_eq!(find("(a+)b\\1", true, "aaabaa"), Some((1, 6)));
        assert_eq!(error("\\(a\\)\\2", false), RegexError::BadBackref);
    }

    #[test]
    fn errors() {
        assert_eq!(error("[", false), RegexError::UnmatchedBracket);
        assert_eq!(error("\\(", false), RegexError::UnmatchedParen);
        assert_eq!(error("(", true), RegexError::UnmatchedParen);
        assert_eq!(error("\\)", false), RegexError::UnmatchedCloseParen);
        assert_eq!(error("a\\{1", false), RegexError::UnmatchedBrace);
        assert_eq!(error("a\\{x\\}", false), RegexError::BadBraceContent);
        assert_eq!(error("a\\{2,1\\}", false), RegexError::BadBraceContent);
        assert_eq!(error("[[:foo:]]", false), RegexError::BadClass);
        assert_eq!(error("a\\", false), RegexError::TrailingBackslash);
        assert_eq!(error("[z-a]", false), RegexError::BadRangeEnd);
    }

    #[test]
    fn pathological_patterns_end_with_the_budget() {
        let re = Regex::new(b"\\(a*\\)*\\1b", Flags::new(Syntax::Basic)).unwrap();
        let text = vec![b'a'; 40];
        let mut b = Budget::new(100_000);
        assert_eq!(re.search(&text, 0, false, &mut b), Err(Halt::Budget));
        // without back-references the memo keeps it linear
        let re = Regex::new(b"(a*)*(a|aa)*c", Flags::new(Syntax::Extended)).unwrap();
        let text = vec![b'a'; 2000];
        let mut b = Budget::new(10_000_000);
        assert_eq!(re.search(&text, 0, false, &mut b), Ok(None));
    }
}
