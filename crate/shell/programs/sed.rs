//! `sed` (GNU 4.x): addresses (`N`, `$`, `/re/` and `\cREc` with `I`, `first~step`,
//! ranges with `addr,+N`, `addr,~N`, `0,/re/`, `!`), the commands
//! `{ } = a i c b t T d D g G h H l n N p P q Q r R s w W x y z F : #`,
//! `s///` with `g p N i I m M w` flags, `& \1..\9 \n \L \U \l \u \E` in the
//! replacement, `-n -e -f -i[SUF] -E -r -s -z -l`; GNU's messages
//! (`sed: -e expression #1, char 5: unterminated `s' command`) and exit
//! statuses. Not supported: the `e` command and `s///e` (no subprocesses from
//! sed), the `M` flag's multi-line anchors (accepted, ignored).

use super::common::{err, ferr, out, tick, tick_bytes, Halt, Res};
use super::regex::{Flags, Regex, Syntax};
use crate::shell::proc::Ctx;
use std::rc::Rc;

const USAGE: &str = "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
      --debug
                 annotate program execution
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  --follow-symlinks
                 follow symlinks when processing in place
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -l N, --line-length=N
                 specify the desired line-wrap length for the `l' command
  --posix
                 disable all GNU extensions.
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
                 (for portability use POSIX -E).
  -s, --separate
                 consider files as separate rather than as a single,
                 continuous long stream.
      --sandbox
                 operate in sandbox mode (disable e/r/w commands).
  -u, --unbuffered
                 load minimal amounts of data from the input files and flush
                 the output buffers more often
  -z, --null-data
                 separate lines by NUL characters
      --help     display this help and exit
      --version  output version information and exit

If no -e, --expression, -f, or --file option is given, then the first
non-option argument is taken as the sed script to interpret.  All
remaining arguments are names of input files; if no input files are
specified, then the standard input is read.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
";

#[derive(Clone, Debug)]
enum Addr {
    Line(u64),
    Last,
    /// `None`: the last regex used.
    Re(Option<Rc<Regex>>),
    Step(u64, u64),
    Zero,
}

#[derive(Clone, Debug)]
enum Addr2 {
    Addr(Addr),
    Plus(u64),
    Tilde(u64),
}

#[derive(Clone, Debug)]
enum Repl {
    Lit(Vec<u8>),
    Group(usize),
    Upper,
    Lower,
    OneUpper,
    OneLower,
    End,
}

#[derive(Clone, Debug)]
struct Subst {
    re: Option<Rc<Regex>>,
    repl: Vec<Repl>,
    global: bool,
    nth: usize,
    print: usize,
    write: Option<String>,
}

#[derive(Clone, Debug)]
enum Kind {
    Block(usize),
    EndBlock,
    LineNo,
    Append(Vec<u8>),
    Insert(Vec<u8>),
    Change(Vec<u8>),
    Branch(usize),
    BranchIf(usize),
    BranchUnless(usize),
    Label,
    Delete,
    DeleteFirst,
    Get,
    GetAppend,
    Hold,
    HoldAppend,
    List(Option<usize>),
    Next,
    NextAppend,
    Print,
    PrintFirst,
    Quit(i32),
    QuitSilent(i32),
    ReadFile(String),
    ReadLine(String),
    Subst(Box<Subst>),
    Write(String),
    WriteFirst(String),
    Exchange,
    Translate(Box<[u8; 256]>),
    Zap,
    FileName,
}

#[derive(Clone, Debug)]
struct Cmd {
    a1: Option<Addr>,
    a2: Option<Addr2>,
    negate: bool,
    kind: Kind,
}

/// The offset of an error that names no place in the script.
const NO_LOCATION: usize = usize::MAX;

/// A parse error: message and the absolute script offset it was found at.
struct PErr(String, usize);

struct Script {
    text: Vec<u8>,
    /// (start offset, expression number or file name) of each -e/-f piece.
    pieces: Vec<(usize, Piece)>,
}

#[derive(Clone)]
enum Piece {
    Expr(usize),
    File(String),
}

impl Script {
    fn locate(&self, at: usize) -> String {
        let mut cur = (0usize, Piece::Expr(1));
        for (start, p) in &self.pieces {
            if *start <= at {
                cur = (*start, p.clone());
            }
        }
        match cur.1 {
            Piece::Expr(n) => format!("-e expression #{n}, char {}", at - cur.0),
            Piece::File(f) => {
                let line = self.text[cur.0..at.min(self.text.len())].iter().filter(|b| **b == b'\n').count() + 1;
                format!("file {f} line {line}")
            }
        }
    }
}

struct Parser<'s> {
    s: &'s [u8],
    i: usize,
    ere: bool,
    cmds: Vec<Cmd>,
    labels: Vec<(String, usize)>,
    jumps: Vec<(usize, String, usize)>,
    blocks: Vec<usize>,
    /// Ends of the -e pieces: `a`/`i`/`c` text and labels stop there.
    piece_ends: Vec<usize>,
    /// A regex was compiled before (an empty one reuses the last).
    any_regex: bool,
}

fn perr<T>(msg: &str, at: usize) -> Result<T, PErr> {
    Err(PErr(msg.to_string(), at))
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }

    fn piece_end(&self) -> usize {
        self.piece_ends.iter().copied().find(|e| *e >= self.i).unwrap_or(self.s.len())
    }

    fn parse(&mut self) -> Result<(), PErr> {
        loop {
            while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b';')) {
                self.i += 1;
            }
            if self.peek().is_none() {
                break;
            }
            self.command()?;
        }
        if let Some(&b) = self.blocks.last() {
            let _ = b;
            return perr("unmatched `{'", 0);
        }
        for (ci, label, at) in std::mem::take(&mut self.jumps) {
            match self.labels.iter().find(|(l, _)| *l == label) {
                Some((_, target)) => {
                    let t = *target;
                    self.cmds[ci].kind = match &self.cmds[ci].kind {
                        Kind::Branch(_) => Kind::Branch(t),
                        Kind::BranchIf(_) => Kind::BranchIf(t),
                        _ => Kind::BranchUnless(t),
                    };
                }
                None => {
                    let _ = at;
                    return Err(PErr(format!("can't find label for jump to `{label}'"), NO_LOCATION));
                }
            }
        }
        Ok(())
    }

    fn number(&mut self) -> Option<u64> {
        let st = self.i;
        while self.peek().map(|c| c.is_ascii_digit()).unwrap_or(false) {
            self.i += 1;
        }
        if st == self.i {
            None
        } else {
            Some(std::str::from_utf8(&self.s[st..self.i]).ok()?.parse::<u64>().unwrap_or(u64::MAX))
        }
    }

    /// Reads up to the unescaped `delim`; `\delim` becomes `delim`, `\n` a
    /// newline; other escapes are kept for the regex or replacement parser.
    fn delimited(&mut self, delim: u8, regex: bool) -> Option<Vec<u8>> {
        let mut v = Vec::new();
        loop {
            let c = self.peek()?;
            self.i += 1;
            if c == delim {
                return Some(v);
            }
            if c == b'\n' && regex {
                return None;
            }
            if c == b'\\' {
                let e = self.peek()?;
                self.i += 1;
                if e == delim {
                    v.push(delim);
                } else if e == b'n' && !regex {
                    v.push(b'\n');
                } else if e == b'\n' {
                    v.push(b'\n');
                } else {
                    v.push(b'\\');
                    v.push(e);
                }
                continue;
            }
            // a bracket expression may hold the delimiter
            if c == b'[' && regex {
                v.push(c);
                let mut j = self.i;
                if self.s.get(j) == Some(&b'^') {
                    j += 1;
                }
                if self.s.get(j) == Some(&b']') {
                    j += 1;
                }
                while j < self.s.len() && self.s[j] != b']' && self.s[j] != b'\n' {
                    if self.s[j] == b'[' && matches!(self.s.get(j + 1), Some(b':' | b'.' | b'=')) {
                        let k = self.s[j + 1];
                        let mut e = j + 2;
                        while e + 1 < self.s.len() && !(self.s[e] == k && self.s[e + 1] == b']') {
                            e += 1;
                        }
                        j = e + 2;
                        continue;
                    }
                    j += 1;
                }
                if j < self.s.len() && self.s[j] == b']' {
                    v.extend_from_slice(&self.s[self.i..=j]);
                    self.i = j + 1;
                }
                continue;
            }
            v.push(c);
        }
    }

    fn regex(&mut self, pat: &[u8], icase: bool, at: usize) -> Result<Option<Rc<Regex>>, PErr> {
        if pat.is_empty() {
            if !self.any_regex {
                return perr("no previous regular expression", 0);
            }
            return Ok(None);
        }
        self.any_regex = true;
        let flags = Flags { syntax: if self.ere { Syntax::Extended } else { Syntax::Basic }, icase, sed_escapes: true };
        match Regex::new(pat, flags) {
            Ok(r) => Ok(Some(Rc::new(r))),
            Err(e) => perr(e.message(), at),
        }
    }

    fn address(&mut self) -> Result<Option<Addr>, PErr> {
        match self.peek() {
            Some(b'0'..=b'9') => {
                let n = self.number().unwrap_or(0);
                if self.peek() == Some(b'~') {
                    self.i += 1;
                    let step = self.number().unwrap_or(0);
                    return Ok(Some(Addr::Step(n, step)));
                }
                Ok(Some(if n == 0 { Addr::Zero } else { Addr::Line(n) }))
            }
            Some(b'$') => {
                self.i += 1;
                Ok(Some(Addr::Last))
            }
            Some(c @ (b'/' | b'\\')) => {
                self.i += 1;
                let delim = if c == b'\\' {
                    let d = self.peek().ok_or(PErr("unexpected `,'".into(), self.i))?;
                    self.i += 1;
                    d
                } else {
                    b'/'
                };
                let Some(pat) = self.delimited(delim, true) else {
                    return perr("unterminated address regex", self.i);
                };
                let mut icase = false;
                while let Some(b'I' | b'M') = self.peek() {
                    if self.peek() == Some(b'I') {
                        icase = true;
                    }
                    self.i += 1;
                }
                Ok(Some(Addr::Re(self.regex(&pat, icase, self.i)?)))
            }
            _ => Ok(None),
        }
    }

    fn end_of_command(&mut self) -> Result<(), PErr> {
        self.skip_ws();
        match self.peek() {
            None | Some(b';' | b'\n' | b'#' | b'}') => Ok(()),
            _ => perr("extra characters after command", self.i + 1),
        }
    }

    /// The rest of the line (file names of r/w, labels).
    fn rest_of_line(&mut self, stop_at_semicolon: bool) -> String {
        let end = self.piece_end();
        let st = self.i;
        while self.i < end && self.s[self.i] != b'\n' && !(stop_at_semicolon && self.s[self.i] == b';') {
            self.i += 1;
        }
        String::from_utf8_lossy(&self.s[st..self.i]).into_owned()
    }

    /// Text of `a`, `i`, `c`: one-liner or `\` + newline + lines ending in `\`.
    fn text(&mut self, cmd: u8) -> Result<Vec<u8>, PErr> {
        let end = self.piece_end();
        self.skip_ws();
        if self.i >= end {
            return perr("expected \\ after `a', `c' or `i'", self.i);
        }
        if self.peek() == Some(b'\\') {
            self.i += 1;
            if self.peek() == Some(b'\n') {
                self.i += 1;
            }
        }
        let _ = cmd;
        let mut v = Vec::new();
        while self.i < end {
            let c = self.s[self.i];
            self.i += 1;
            if c == b'\\' {
                if self.i < end {
                    let e = self.s[self.i];
                    self.i += 1;
                    match e {
                        b'n' => v.push(b'\n'),
                        b't' => v.push(b'\t'),
                        other => v.push(other),
                    }
                }
                continue;
            }
            if c == b'\n' {
                break;
            }
            v.push(c);
        }
        v.push(b'\n');
        Ok(v)
    }

    fn command(&mut self) -> Result<(), PErr> {
        let a1 = self.address()?;
        let mut a2 = None;
        if a1.is_some() {
            self.skip_ws();
            if self.peek() == Some(b',') {
                self.i += 1;
                self.skip_ws();
                a2 = match self.peek() {
                    Some(b'+') => {
                        self.i += 1;
                        Some(Addr2::Plus(self.number().unwrap_or(0)))
                    }
                    Some(b'~') => {
                        self.i += 1;
                        Some(Addr2::Tilde(self.number().unwrap_or(0)))
                    }
                    _ => match self.address()? {
                        Some(a) => Some(Addr2::Addr(a)),
                        None => return perr("unexpected `,'", self.i),
                    },
                };
            }
        }
        if let Some(Addr::Zero) = a1 {
            if !matches!(a2, Some(Addr2::Addr(Addr::Re(_)))) {
                return perr("invalid usage of line address 0", self.i + 1);
            }
        }
        self.skip_ws();
        let mut negate = false;
        while self.peek() == Some(b'!') {
            negate = true;
            self.i += 1;
            self.skip_ws();
        }
        let Some(c) = self.peek() else {
            return perr("missing command", self.i);
        };
        self.i += 1;
        let naddr = usize::from(a1.is_some()) + usize::from(a2.is_some());
        let one_addr = |p: &Self| if naddr > 1 { perr::<()>("command only uses one address", p.i) } else { Ok(()) };
        let kind = match c {
            b'{' => {
                self.blocks.push(self.cmds.len());
                Kind::Block(0)
            }
            b'}' => {
                if naddr > 0 {
                    return perr("} doesn't want any addresses", self.i);
                }
                let Some(open) = self.blocks.pop() else {
                    return perr("unexpected `}'", self.i);
                };
                let here = self.cmds.len();
                self.cmds[open].kind = Kind::Block(here);
                self.end_of_command()?;
                Kind::EndBlock
            }
            b'#' => {
                if naddr > 0 {
                    return perr("comments don't accept any addresses", self.i);
                }
                while self.peek().is_some() && self.peek() != Some(b'\n') {
                    self.i += 1;
                }
                return Ok(());
            }
            b':' => {
                if naddr > 0 {
                    return perr(": doesn't want any addresses", self.i);
                }
                self.skip_ws();
                let label = self.rest_of_line(true);
                let label = label.trim_end().to_string();
                if label.is_empty() {
                    return perr("\":\" lacks a label", self.i);
                }
                self.labels.push((label, self.cmds.len()));
                Kind::Label
            }
            b'=' => {
                self.end_of_command()?;
                Kind::LineNo
            }
            b'a' | b'i' | b'c' => {
                let t = self.text(c)?;
                match c {
                    b'a' => Kind::Append(t),
                    b'i' => Kind::Insert(t),
                    _ => Kind::Change(t),
                }
            }
            b'b' | b't' | b'T' => {
                self.skip_ws();
                let label = self.rest_of_line(true).trim_end().to_string();
                let ci = self.cmds.len();
                if !label.is_empty() {
                    self.jumps.push((ci, label, self.i));
                }
                let end = usize::MAX;
                match c {
                    b'b' => Kind::Branch(end),
                    b't' => Kind::BranchIf(end),
                    _ => Kind::BranchUnless(end),
                }
            }
            b'd' => {
                self.end_of_command()?;
                Kind::Delete
            }
            b'D' => {
                self.end_of_command()?;
                Kind::DeleteFirst
            }
            b'g' => {
                self.end_of_command()?;
                Kind::Get
            }
            b'G' => {
                self.end_of_command()?;
                Kind::GetAppend
            }
            b'h' => {
                self.end_of_command()?;
                Kind::Hold
            }
            b'H' => {
                self.end_of_command()?;
                Kind::HoldAppend
            }
            b'l' => {
                self.skip_ws();
                let n = self.number().map(|n| n as usize);
                self.end_of_command()?;
                Kind::List(n)
            }
            b'n' => {
                self.end_of_command()?;
                Kind::Next
            }
            b'N' => {
                self.end_of_command()?;
                Kind::NextAppend
            }
            b'p' => {
                self.end_of_command()?;
                Kind::Print
            }
            b'P' => {
                self.end_of_command()?;
                Kind::PrintFirst
            }
            b'q' | b'Q' => {
                one_addr(self)?;
                self.skip_ws();
                let code = self.number().unwrap_or(0).min(255) as i32;
                self.end_of_command()?;
                if c == b'q' {
                    Kind::Quit(code)
                } else {
                    Kind::QuitSilent(code)
                }
            }
            b'r' | b'R' | b'w' | b'W' => {
                self.skip_ws();
                let f = self.rest_of_line(false);
                match c {
                    b'r' => Kind::ReadFile(f),
                    b'R' => Kind::ReadLine(f),
                    b'w' => Kind::Write(f),
                    _ => Kind::WriteFirst(f),
                }
            }
            b's' => self.subst()?,
            b'y' => {
                let Some(delim) = self.peek() else {
                    return perr("unterminated `y' command", self.i);
                };
                self.i += 1;
                let Some(a) = self.delimited(delim, false) else {
                    return perr("unterminated `y' command", self.i);
                };
                let Some(b) = self.delimited(delim, false) else {
                    return perr("unterminated `y' command", self.i);
                };
                let unesc = |v: Vec<u8>| -> Vec<u8> {
                    let mut o = Vec::new();
                    let mut i = 0;
                    while i < v.len() {
                        if v[i] == b'\\' && i + 1 < v.len() {
                            o.push(match v[i + 1] {
                                b'n' => b'\n',
                                b't' => b'\t',
                                x => x,
                            });
                            i += 2;
                        } else {
                            o.push(v[i]);
                            i += 1;
                        }
                    }
                    o
                };
                let (a, b) = (unesc(a), unesc(b));
                if a.len() != b.len() {
                    return perr("strings for `y' command are different lengths", self.i);
                }
                let mut map: Box<[u8; 256]> = Box::new(std::array::from_fn(|i| i as u8));
                for (x, y) in a.iter().zip(&b) {
                    map[*x as usize] = *y;
                }
                self.end_of_command()?;
                Kind::Translate(map)
            }
            b'x' => {
                self.end_of_command()?;
                Kind::Exchange
            }
            b'z' => {
                self.end_of_command()?;
                Kind::Zap
            }
            b'F' => {
                self.end_of_command()?;
                Kind::FileName
            }
            b'e' => return perr("the `e' command is not available in the playground (no subprocesses from sed)", self.i),
            b'\n' | b';' => return perr("missing command", self.i),
            other => return perr(&format!("unknown command: `{}'", other as char), self.i),
        };
        if matches!(kind, Kind::Insert(_) | Kind::Append(_) | Kind::LineNo | Kind::ReadFile(_)) {
            // GNU accepts two addresses for these as an extension
        }
        self.cmds.push(Cmd { a1, a2, negate, kind });
        Ok(())
    }

    fn subst(&mut self) -> Result<Kind, PErr> {
        let Some(delim) = self.peek() else {
            return perr("unterminated `s' command", self.i);
        };
        if delim == b'\n' || delim == b'\\' {
            return perr("unterminated `s' command", self.i);
        }
        self.i += 1;
        let Some(pat) = self.delimited(delim, true) else {
            return perr("unterminated `s' command", self.i);
        };
        let Some(rep) = self.delimited(delim, false) else {
            return perr("unterminated `s' command", self.i);
        };
        let mut global = false;
        let mut nth = 0usize;
        let mut print = 0;
        let mut icase = false;
        let mut write = None;
        loop {
            match self.peek() {
                Some(b'g') => {
                    global = true;
                    self.i += 1;
                }
                Some(b'p') => {
                    print += 1;
                    self.i += 1;
                }
                Some(b'i' | b'I') => {
                    icase = true;
                    self.i += 1;
                }
                Some(b'm' | b'M') => self.i += 1,
                Some(b'e') => return perr("the `e' flag of `s' is not available in the playground", self.i + 1),
                Some(b'0'..=b'9') => {
                    if nth != 0 {
                        return perr("multiple number options to `s' command", self.i + 1);
                    }
                    let n = self.number().unwrap_or(0);
                    if n == 0 {
                        return perr("number option to `s' command may not be zero", self.i);
                    }
                    nth = n.min(usize::MAX as u64) as usize;
                }
                Some(b'w') => {
                    self.i += 1;
                    self.skip_ws();
                    write = Some(self.rest_of_line(false));
                    break;
                }
                None | Some(b';' | b'\n' | b'}' | b'#' | b' ' | b'\t') => break,
                Some(_) => return perr("unknown option to `s'", self.i + 1),
            }
        }
        let end = self.i;
        self.end_of_command()?;
        let re = self.regex(&pat, icase, end)?;
        let repl = parse_repl(&rep);
        let max_ref = repl.iter().filter_map(|r| if let Repl::Group(g) = r { Some(*g) } else { None }).max().unwrap_or(0);
        if let Some(r) = &re {
            if max_ref > r.groups() {
                return perr(&format!("invalid reference \\{max_ref} on `s' command's RHS"), end);
            }
        }
        Ok(Kind::Subst(Box::new(Subst { re, repl, global, nth: nth.max(1), print, write })))
    }
}

fn parse_repl(r: &[u8]) -> Vec<Repl> {
    let mut v: Vec<Repl> = Vec::new();
    let mut lit = Vec::new();
    let mut i = 0;
    let flush = |v: &mut Vec<Repl>, lit: &mut Vec<u8>| {
        if !lit.is_empty() {
            v.push(Repl::Lit(std::mem::take(lit)));
        }
    };
    while i < r.len() {
        let c = r[i];
        i += 1;
        match c {
            b'&' => {
                flush(&mut v, &mut lit);
                v.push(Repl::Group(0));
            }
            b'\\' if i < r.len() => {
                let e = r[i];
                i += 1;
                match e {
                    b'0'..=b'9' => {
                        flush(&mut v, &mut lit);
                        v.push(Repl::Group((e - b'0') as usize));
                    }
                    b'n' => lit.push(b'\n'),
                    b't' => lit.push(b'\t'),
                    b'r' => lit.push(b'\r'),
                    b'a' => lit.push(7),
                    b'f' => lit.push(12),
                    b'v' => lit.push(11),
                    b'L' | b'U' | b'l' | b'u' | b'E' => {
                        flush(&mut v, &mut lit);
                        v.push(match e {
                            b'L' => Repl::Lower,
                            b'U' => Repl::Upper,
                            b'l' => Repl::OneLower,
                            b'u' => Repl::OneUpper,
                            _ => Repl::End,
                        });
                    }
                    other => lit.push(other),
                }
            }
            other => lit.push(other),
        }
    }
    flush(&mut v, &mut lit);
    v
}

/// Where sed writes: remembers whether the last line lacked its newline.
struct Output {
    buf: Vec<u8>,
    missing_newline: bool,
}

impl Output {
    fn line(&mut self, data: &[u8], newline: bool, eol: u8) {
        if self.missing_newline {
            self.buf.push(eol);
        }
        self.buf.extend_from_slice(data);
        if newline {
            self.buf.push(eol);
        }
        self.missing_newline = !newline;
    }
    fn raw(&mut self, data: &[u8], eol: u8) {
        if self.missing_newline {
            self.buf.push(eol);
            self.missing_newline = false;
        }
        self.buf.extend_from_slice(data);
    }
}

/// The input: every line of every file (or of one file with -s/-i).
struct Input {
    lines: Vec<(Vec<u8>, bool)>,
    pos: usize,
    /// Line index where each file starts, with its name (for `F`).
    files: Vec<(usize, String)>,
}

impl Input {
    fn next(&mut self) -> Option<(Vec<u8>, bool)> {
        let l = self.lines.get(self.pos).cloned();
        if l.is_some() {
            self.pos += 1;
        }
        l
    }
    fn is_last(&self) -> bool {
        self.pos >= self.lines.len()
    }
    fn file_name(&self) -> String {
        let mut name = "-".to_string();
        for (start, n) in &self.files {
            if *start < self.pos {
                name = n.clone();
            }
        }
        name
    }
}

struct Run<'c> {
    cmds: &'c [Cmd],
    quiet: bool,
    eol: u8,
    line_wrap: usize,
    /// Per command: the range is active (and, for `addr,+N`, its end line).
    active: Vec<Option<u64>>,
    last_re: Option<Rc<Regex>>,
    hold: Vec<u8>,
    lineno: u64,
    out: Output,
    append: Vec<Vec<u8>>,
    writes: Vec<(String, Vec<u8>)>,
    read_lines: Vec<(String, usize)>,
    exit: Option<i32>,
}

enum Flow {
    /// End the cycle (auto-print unless `deleted`).
    EndCycle { deleted: bool },
    /// `D` with a newline: restart without reading.
    Restart,
    Quit { print: bool, code: i32 },
}

impl Run<'_> {
    fn re<'a>(&'a mut self, r: &'a Option<Rc<Regex>>) -> Result<Rc<Regex>, String> {
        match r {
            Some(r) => {
                self.last_re = Some(r.clone());
                Ok(r.clone())
            }
            None => self.last_re.clone().ok_or_else(|| "no previous regular expression".to_string()),
        }
    }

    fn matches1(&mut self, ctx: &mut Ctx<'_>, a: &Addr, ps: &[u8], last: bool) -> Result<bool, SedErr> {
        Ok(match a {
            Addr::Line(n) => self.lineno == *n,
            Addr::Last => last,
            Addr::Zero => false,
            Addr::Step(first, step) => {
                if *step == 0 {
                    self.lineno == *first
                } else {
                    self.lineno >= *first && (self.lineno - first).is_multiple_of(*step)
                }
            }
            Addr::Re(r) => {
                let re = self.re(r).map_err(SedErr::Msg)?;
                re.is_match(ps, ctx.budget).map_err(SedErr::Halt)?
            }
        })
    }

    fn selected(&mut self, ctx: &mut Ctx<'_>, ci: usize, ps: &[u8], last: bool) -> Result<bool, SedErr> {
        let c = &self.cmds[ci];
        let (a1, a2) = (c.a1.clone(), c.a2.clone());
        let r = match (&a1, &a2) {
            (None, _) => true,
            (Some(a), None) => self.matches1(ctx, a, ps, last)?,
            (Some(a1), Some(a2)) => {
                // `0,/re/` is already open before line 1
                if matches!(a1, Addr::Zero) && self.lineno == 1 && self.active[ci].is_none() {
                    self.active[ci] = Some(0);
                }
                if let Some(end) = self.active[ci] {
                    let closes = match a2 {
                        Addr2::Addr(Addr::Line(n)) => self.lineno >= *n,
                        Addr2::Plus(_) => self.lineno >= end,
                        Addr2::Tilde(n) => *n == 0 || self.lineno.is_multiple_of(*n),
                        Addr2::Addr(a) => self.matches1(ctx, a, ps, last)?,
                    };
                    if closes {
                        self.active[ci] = None;
                    }
                    true
                } else if self.matches1(ctx, a1, ps, last)? {
                    let one_line = match a2 {
                        Addr2::Addr(Addr::Line(n)) => self.lineno >= *n,
                        Addr2::Plus(n) => *n == 0,
                        Addr2::Tilde(n) => *n == 0 || self.lineno.is_multiple_of(*n),
                        Addr2::Addr(_) => false,
                    };
                    if !one_line {
                        let end = match a2 {
                            Addr2::Plus(n) => self.lineno.saturating_add(*n),
                            _ => 0,
                        };
                        self.active[ci] = Some(end);
                    }
                    true
                } else {
                    false
                }
            }
        };
        Ok(r != self.cmds[ci].negate)
    }
}

enum SedErr {
    Msg(String),
    Halt(Halt),
}

fn escape_l(ps: &[u8], width: usize) -> Vec<u8> {
    let mut pieces: Vec<Vec<u8>> = Vec::new();
    for &b in ps {
        let s: Vec<u8> = match b {
            b'\\' => b"\\\\".to_vec(),
            7 => b"\\a".to_vec(),
            8 => b"\\b".to_vec(),
            12 => b"\\f".to_vec(),
            b'\n' => b"\\n".to_vec(),
            b'\r' => b"\\r".to_vec(),
            b'\t' => b"\\t".to_vec(),
            11 => b"\\v".to_vec(),
            b if (0x20..0x7f).contains(&b) => vec![b],
            b => format!("\\{b:03o}").into_bytes(),
        };
        pieces.push(s);
    }
    let mut o = Vec::new();
    let mut col = 0;
    for p in pieces {
        if width > 1 && col + p.len() > width - 1 {
            o.extend_from_slice(b"\\\n");
            col = 0;
        }
        col += p.len();
        o.extend_from_slice(&p);
    }
    o.extend_from_slice(b"$\n");
    o
}

fn apply_case(out: &mut Vec<u8>, text: &[u8], mode: u8, one: &mut u8) {
    for &b in text {
        let mut c = match mode {
            b'U' => b.to_ascii_uppercase(),
            b'L' => b.to_ascii_lowercase(),
            _ => b,
        };
        if *one == b'u' {
            c = c.to_ascii_uppercase();
            *one = 0;
        } else if *one == b'l' {
            c = c.to_ascii_lowercase();
            *one = 0;
        }
        out.push(c);
    }
}

/// Performs `s`; true when a substitution was made.
fn substitute(ctx: &mut Ctx<'_>, run: &mut Run<'_>, s: &Subst, ps: &mut Vec<u8>) -> Result<bool, SedErr> {
    let re = run.re(&s.re).map_err(SedErr::Msg)?;
    if let Some(max) = s.repl.iter().filter_map(|r| if let Repl::Group(g) = r { Some(*g) } else { None }).max() {
        if max > re.groups() {
            return Err(SedErr::Msg(format!("invalid reference \\{max} on `s' command's RHS")));
        }
    }
    let text = std::mem::take(ps);
    let mut o = Vec::with_capacity(text.len());
    let mut pos = 0;
    let mut count = 0usize;
    let mut did = false;
    let mut last_end: Option<usize> = None;
    while pos <= text.len() {
        let Some(caps) = re.search(&text, pos, false, ctx.budget).map_err(SedErr::Halt)? else { break };
        let Some((ms, me)) = caps[0] else { break };
        // an empty match right after the previous match does not count
        if ms == me && last_end == Some(ms) {
            if ms < text.len() {
                o.push(text[ms]);
            }
            pos = ms + 1;
            if pos > text.len() {
                break;
            }
            continue;
        }
        count += 1;
        o.extend_from_slice(&text[pos..ms]);
        if count >= s.nth {
            did = true;
            let mut mode = 0u8;
            let mut one = 0u8;
            for r in &s.repl {
                match r {
                    Repl::Lit(l) => apply_case(&mut o, l, mode, &mut one),
                    Repl::Group(g) => {
                        if let Some(Some((a, b))) = caps.get(*g) {
                            apply_case(&mut o, &text[*a..*b], mode, &mut one);
                        }
                    }
                    Repl::Upper => mode = b'U',
                    Repl::Lower => mode = b'L',
                    Repl::OneUpper => one = b'u',
                    Repl::OneLower => one = b'l',
                    Repl::End => {
                        mode = 0;
                        one = 0;
                    }
                }
            }
        } else {
            o.extend_from_slice(&text[ms..me]);
        }
        last_end = Some(me);
        if me == ms {
            if ms < text.len() {
                o.push(text[ms]);
            }
            pos = me + 1;
        } else {
            pos = me;
        }
        if did && !s.global {
            break;
        }
        if o.len() > 64 << 20 {
            return Err(SedErr::Halt(Halt::Limit));
        }
    }
    if pos < text.len() {
        o.extend_from_slice(&text[pos..]);
    }
    *ps = if did { o } else { text };
    Ok(did)
}

pub fn sed(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "sed";
    // options by hand: -i takes an optional attached suffix, -n may be bundled
    let mut script = Script { text: Vec::new(), pieces: Vec::new() };
    let mut have_script = false;
    let mut quiet = false;
    let mut ere = false;
    let mut in_place: Option<String> = None;
    let mut separate = false;
    let mut zero = false;
    let mut line_wrap = 70usize;
    let mut files: Vec<String> = Vec::new();
    let mut nexpr = 0;
    let mut i = 1;
    let add_piece = |script: &mut Script, text: &[u8], piece: Piece| {
        if !script.text.is_empty() {
            script.text.push(b'\n');
        }
        script.pieces.push((script.text.len(), piece));
        script.text.extend_from_slice(text);
    };
    let mut only_files = false;
    while i < argv.len() {
        let a = argv[i].clone();
        i += 1;
        if only_files || a == "-" || !a.starts_with('-') {
            files.push(a);
            continue;
        }
        if a == "--" {
            only_files = true;
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, val) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let need = |i: &mut usize| -> Option<String> {
                if let Some(v) = &val {
                    return Some(v.clone());
                }
                let v = argv.get(*i).cloned();
                *i += 1;
                v
            };
            match name {
                "quiet" | "silent" => quiet = true,
                "regexp-extended" => ere = true,
                "separate" => separate = true,
                "null-data" => zero = true,
                "posix" | "unbuffered" | "debug" | "sandbox" | "follow-symlinks" => {}
                "in-place" => in_place = Some(val.clone().unwrap_or_default()),
                "expression" => {
                    let Some(e) = need(&mut i) else {
                        err(ctx, prog, "option '--expression' requires an argument");
                        ctx.err(USAGE);
                        return Ok(1);
                    };
                    nexpr += 1;
                    add_piece(&mut script, e.as_bytes(), Piece::Expr(nexpr));
                    have_script = true;
                }
                "file" => {
                    let Some(f) = need(&mut i) else {
                        ctx.err(USAGE);
                        return Ok(1);
                    };
                    match read_script_file(ctx, &f) {
                        Ok(t) => add_piece(&mut script, &t, Piece::File(f)),
                        Err(s) => return Ok(s),
                    }
                    have_script = true;
                }
                "line-length" => line_wrap = need(&mut i).and_then(|v| v.parse().ok()).unwrap_or(70),
                "help" => {
                    out(ctx, USAGE.as_bytes())?;
                    return Ok(0);
                }
                "version" => {
                    out(ctx, b"sed (GNU sed) 4.9 (dfplay builtin)\n")?;
                    return Ok(0);
                }
                _ => {
                    err(ctx, prog, &format!("unrecognized option '{a}'"));
                    ctx.err(USAGE);
                    return Ok(1);
                }
            }
            continue;
        }
        let b = a.as_bytes();
        let mut j = 1;
        while j < b.len() {
            let c = b[j];
            j += 1;
            match c {
                b'n' => quiet = true,
                b'E' | b'r' => ere = true,
                b's' => separate = true,
                b'z' => zero = true,
                b'u' => {}
                b'i' => {
                    in_place = Some(String::from_utf8_lossy(&b[j..]).into_owned());
                    break;
                }
                b'e' | b'f' | b'l' => {
                    let val = if j < b.len() {
                        let v = String::from_utf8_lossy(&b[j..]).into_owned();
                        j = b.len();
                        v
                    } else if i < argv.len() {
                        i += 1;
                        argv[i - 1].clone()
                    } else {
                        err(ctx, prog, &format!("option requires an argument -- '{}'", c as char));
                        ctx.err(USAGE);
                        return Ok(1);
                    };
                    match c {
                        b'e' => {
                            nexpr += 1;
                            add_piece(&mut script, val.as_bytes(), Piece::Expr(nexpr));
                            have_script = true;
                        }
                        b'f' => {
                            match read_script_file(ctx, &val) {
                                Ok(t) => add_piece(&mut script, &t, Piece::File(val.clone())),
                                Err(s) => return Ok(s),
                            }
                            have_script = true;
                        }
                        _ => line_wrap = val.parse().unwrap_or(70),
                    }
                }
                other => {
                    err(ctx, prog, &format!("invalid option -- '{}'", other as char));
                    ctx.err(USAGE);
                    return Ok(1);
                }
            }
        }
    }
    if !have_script {
        if files.is_empty() {
            ctx.err(USAGE);
            return Ok(1);
        }
        let s = files.remove(0);
        nexpr += 1;
        add_piece(&mut script, s.as_bytes(), Piece::Expr(nexpr));
    }
    if script.text.starts_with(b"#n\n") || script.text == b"#n" {
        quiet = true;
    }
    let piece_ends: Vec<usize> = {
        let mut v: Vec<usize> = script.pieces.iter().skip(1).map(|(s, _)| s - 1).collect();
        v.push(script.text.len());
        v
    };
    let mut p = Parser { s: &script.text, i: 0, ere, cmds: Vec::new(), labels: Vec::new(), jumps: Vec::new(), blocks: Vec::new(), piece_ends, any_regex: false };
    if let Err(PErr(msg, at)) = p.parse() {
        if at == NO_LOCATION {
            err(ctx, prog, &msg);
            return Ok(4);
        } else {
            let loc = script.locate(at.min(script.text.len()));
            err(ctx, prog, &format!("{loc}: {msg}"));
        }
        return Ok(1);
    }
    let cmds = std::mem::take(&mut p.cmds);
    let eol = if zero { 0u8 } else { b'\n' };
    let mut run = Run {
        cmds: &cmds,
        quiet,
        eol,
        line_wrap,
        active: vec![None; cmds.len()],
        last_re: None,
        hold: Vec::new(),
        lineno: 0,
        out: Output { buf: Vec::new(), missing_newline: false },
        append: Vec::new(),
        writes: Vec::new(),
        read_lines: Vec::new(),
        exit: None,
    };
    // files for `w` start empty
    for c in &cmds {
        let f = match &c.kind {
            Kind::Write(f) | Kind::WriteFirst(f) => Some(f.clone()),
            Kind::Subst(s) => s.write.clone(),
            _ => None,
        };
        if let Some(f) = f {
            if f != "/dev/stdout" && f != "/dev/stderr" && !run.writes.iter().any(|(n, _)| *n == f) {
                run.writes.push((f, Vec::new()));
            }
        }
    }
    if in_place.is_some() && files.is_empty() {
        err(ctx, prog, "no input files");
        return Ok(4);
    }
    if files.is_empty() {
        files.push("-".into());
    }
    let mut status = 0;
    let groups: Vec<Vec<String>> = if in_place.is_some() || separate { files.iter().map(|f| vec![f.clone()]).collect() } else { vec![files.clone()] };
    for group in groups {
        let mut input = Input { lines: Vec::new(), pos: 0, files: Vec::new() };
        for f in &group {
            let data = if f == "-" {
                ctx.stdin.read_all().to_vec()
            } else {
                let abs = ctx.abs(f);
                match ctx.fs.read(&abs) {
                    Ok(d) => d.as_ref().clone(),
                    Err(e) => {
                        if e.kind == crate::vfs::FsErrorKind::IsADirectory {
                            if in_place.is_some() {
                                err(ctx, prog, &format!("couldn't edit {f}: not a regular file"));
                            } else {
                                err(ctx, prog, &format!("read error on {f}: {}", ferr(&e)));
                            }
                            status = 4;
                        } else {
                            err(ctx, prog, &format!("can't read {f}: {}", ferr(&e)));
                            status = 2;
                        }
                        continue;
                    }
                }
            };
            tick_bytes(ctx, data.len())?;
            input.files.push((input.lines.len(), f.clone()));
            let mut start = 0;
            while start < data.len() {
                match data[start..].iter().position(|&b| b == eol) {
                    Some(k) => {
                        input.lines.push((data[start..start + k].to_vec(), true));
                        start += k + 1;
                    }
                    None => {
                        input.lines.push((data[start..].to_vec(), false));
                        start = data.len();
                    }
                }
            }
        }
        if in_place.is_some() && input.files.is_empty() {
            continue;
        }
        if in_place.is_some() {
            run.lineno = 0;
            run.active = vec![None; cmds.len()];
        }
        match execute(ctx, &mut run, &mut input) {
            Ok(()) => {}
            Err(SedErr::Halt(h)) => return Err(h),
            Err(SedErr::Msg(m)) => {
                let _ = out(ctx, &run.out.buf);
                err(ctx, prog, &m);
                return Ok(4);
            }
        }
        let produced = std::mem::take(&mut run.out.buf);
        run.out.missing_newline = false;
        if let Some(suffix) = &in_place {
            let f = &group[0];
            let abs = ctx.abs(f);
            if !suffix.is_empty() {
                let base = super::basic::base_of(f).to_string();
                let backup = if suffix.contains('*') { suffix.replace('*', &base) } else { format!("{f}{suffix}") };
                let babs = if suffix.contains('/') { ctx.abs(&backup) } else { ctx.abs(&backup) };
                if let Ok(node) = ctx.fs.get(&abs, true) {
                    let _ = ctx.fs.insert(&babs, node);
                }
            }
            if let Err(e) = ctx.fs.write(&abs, produced, 0o644) {
                err(ctx, prog, &format!("couldn't open file {f}: {}", ferr(&e)));
                return Ok(4);
            }
        } else {
            out(ctx, &produced)?;
        }
        if run.exit.is_some() {
            break;
        }
    }
    for (f, data) in std::mem::take(&mut run.writes) {
        let abs = ctx.abs(&f);
        if let Err(e) = ctx.fs.write(&abs, data, 0o644) {
            err(ctx, prog, &format!("couldn't open file {f}: {}", ferr(&e)));
            status = 4;
        }
    }
    Ok(run.exit.unwrap_or(status))
}

fn read_script_file(ctx: &mut Ctx<'_>, f: &str) -> Result<Vec<u8>, i32> {
    let r = if f == "-" { Ok(std::sync::Arc::new(ctx.stdin.read_all().to_vec())) } else { ctx.fs.read(&ctx.abs(f)) };
    match r {
        Ok(d) => {
            let mut v = d.as_ref().clone();
            if v.last() == Some(&b'\n') {
                v.pop();
            }
            Ok(v)
        }
        Err(e) => {
            err(ctx, "sed", &format!("couldn't open file {f}: {}", ferr(&e)));
            Err(1)
        }
    }
}

fn write_to(ctx: &mut Ctx<'_>, run: &mut Run<'_>, f: &str, data: &[u8]) {
    match f {
        "/dev/stdout" => run.out.raw(data, run.eol),
        "/dev/stderr" => ctx.err(&String::from_utf8_lossy(data)),
        _ => {
            if let Some((_, buf)) = run.writes.iter_mut().find(|(n, _)| n == f) {
                buf.extend_from_slice(data);
            }
        }
    }
}

fn flush_append(ctx: &mut Ctx<'_>, run: &mut Run<'_>) {
    let _ = ctx;
    for a in std::mem::take(&mut run.append) {
        run.out.raw(&a, run.eol);
    }
}

fn execute(ctx: &mut Ctx<'_>, run: &mut Run<'_>, input: &mut Input) -> Result<(), SedErr> {
    let eol = run.eol;
    let Some((mut ps, mut had_nl)) = input.next() else { return Ok(()) };
    run.lineno += 1;
    let mut tflag = false;
    'cycle: loop {
        tick(ctx, 1 + ps.len() as u64 / 256).map_err(SedErr::Halt)?;
        let mut pc = 0;
        let flow = loop {
            if pc >= run.cmds.len() {
                break Flow::EndCycle { deleted: false };
            }
            tick(ctx, 1).map_err(SedErr::Halt)?;
            let last = input.is_last();
            if !run.selected(ctx, pc, &ps, last)? {
                if let Kind::Block(end) = run.cmds[pc].kind {
                    pc = end + 1;
                } else {
                    pc += 1;
                }
                continue;
            }
            let kind = run.cmds[pc].kind.clone();
            pc += 1;
            match kind {
                Kind::Block(_) | Kind::EndBlock | Kind::Label => {}
                Kind::LineNo => run.out.raw(format!("{}\n", run.lineno).as_bytes(), eol),
                Kind::Append(t) => run.append.push(t),
                Kind::Insert(t) => run.out.raw(&t, eol),
                Kind::Change(t) => {
                    // in a range, the text replaces the whole range (printed at its end)
                    let ci = pc - 1;
                    let in_range = run.cmds[ci].a2.is_some() && !run.cmds[ci].negate;
                    if !in_range || run.active[ci].is_none() {
                        run.out.raw(&t, eol);
                    }
                    break Flow::EndCycle { deleted: true };
                }
                Kind::Branch(t) => pc = t,
                Kind::BranchIf(t) => {
                    if tflag {
                        tflag = false;
                        pc = t;
                    }
                }
                Kind::BranchUnless(t) => {
                    if !tflag {
                        pc = t;
                    } else {
                        tflag = false;
                    }
                }
                Kind::Delete => break Flow::EndCycle { deleted: true },
                Kind::DeleteFirst => match ps.iter().position(|&b| b == b'\n') {
                    Some(k) => {
                        ps.drain(..=k);
                        break Flow::Restart;
                    }
                    None => break Flow::EndCycle { deleted: true },
                },
                Kind::Get => ps = run.hold.clone(),
                Kind::GetAppend => {
                    ps.push(b'\n');
                    ps.extend_from_slice(&run.hold);
                }
                Kind::Hold => run.hold = ps.clone(),
                Kind::HoldAppend => {
                    run.hold.push(b'\n');
                    run.hold.extend_from_slice(&ps);
                }
                Kind::List(n) => {
                    let w = n.unwrap_or(run.line_wrap);
                    let s = escape_l(&ps, w);
                    run.out.raw(&s, eol);
                }
                Kind::Next => {
                    if input.is_last() {
                        break Flow::Quit { print: true, code: 0 };
                    }
                    if !run.quiet {
                        run.out.line(&ps, had_nl, eol);
                    }
                    flush_append(ctx, run);
                    if let Some((l, nl)) = input.next() {
                        ps = l;
                        had_nl = nl;
                        run.lineno += 1;
                    }
                }
                Kind::NextAppend => {
                    if input.is_last() {
                        break Flow::Quit { print: true, code: 0 };
                    }
                    flush_append(ctx, run);
                    if let Some((l, nl)) = input.next() {
                        ps.push(b'\n');
                        ps.extend_from_slice(&l);
                        had_nl = nl;
                        run.lineno += 1;
                    }
                }
                Kind::Print => run.out.line(&ps, true, eol),
                Kind::PrintFirst => {
                    let k = ps.iter().position(|&b| b == b'\n').unwrap_or(ps.len());
                    run.out.line(&ps[..k], true, eol);
                }
                Kind::Quit(code) => break Flow::Quit { print: true, code },
                Kind::QuitSilent(code) => break Flow::Quit { print: false, code },
                Kind::ReadFile(f) => {
                    if let Ok(d) = ctx.fs.read(&ctx.abs(&f)) {
                        let mut d = d.as_ref().clone();
                        if !d.is_empty() && d.last() != Some(&b'\n') {
                            d.push(b'\n');
                        }
                        run.append.push(d);
                    }
                }
                Kind::ReadLine(f) => {
                    if let Ok(d) = ctx.fs.read(&ctx.abs(&f)) {
                        let idx = run.read_lines.iter().position(|(n, _)| *n == f);
                        let line_no = match idx {
                            Some(i) => run.read_lines[i].1,
                            None => {
                                run.read_lines.push((f.clone(), 0));
                                0
                            }
                        };
                        if let Some(l) = d.split(|&b| b == b'\n').nth(line_no) {
                            if !(l.is_empty() && line_no >= d.split(|&b| b == b'\n').count() - 1) {
                                let mut v = l.to_vec();
                                v.push(b'\n');
                                run.append.push(v);
                            }
                        }
                        if let Some(e) = run.read_lines.iter_mut().find(|(n, _)| *n == f) {
                            e.1 += 1;
                        }
                    }
                }
                Kind::Subst(s) => {
                    if substitute(ctx, run, &s, &mut ps)? {
                        tflag = true;
                        for _ in 0..s.print {
                            run.out.line(&ps, true, eol);
                        }
                        if let Some(f) = &s.write {
                            let mut d = ps.clone();
                            d.push(b'\n');
                            write_to(ctx, run, f, &d);
                        }
                    }
                }
                Kind::Write(f) => {
                    let mut d = ps.clone();
                    d.push(b'\n');
                    write_to(ctx, run, &f, &d);
                }
                Kind::WriteFirst(f) => {
                    let k = ps.iter().position(|&b| b == b'\n').unwrap_or(ps.len());
                    let mut d = ps[..k].to_vec();
                    d.push(b'\n');
                    write_to(ctx, run, &f, &d);
                }
                Kind::Exchange => std::mem::swap(&mut ps, &mut run.hold),
                Kind::Translate(map) => {
                    for b in ps.iter_mut() {
                        *b = map[*b as usize];
                    }
                }
                Kind::Zap => ps.clear(),
                Kind::FileName => {
                    let n = input.file_name();
                    run.out.raw(format!("{n}\n").as_bytes(), eol);
                }
            }
        };
        match flow {
            Flow::Restart => {
                flush_append(ctx, run);
                if ps.is_empty() {
                    // nothing left: read the next line as a new cycle
                } else {
                    tflag = false;
                    continue 'cycle;
                }
            }
            Flow::EndCycle { deleted } => {
                if !deleted && !run.quiet {
                    run.out.line(&ps, had_nl, eol);
                }
                flush_append(ctx, run);
            }
            Flow::Quit { print, code } => {
                if print && !run.quiet {
                    run.out.line(&ps, had_nl, eol);
                }
                flush_append(ctx, run);
                run.exit = Some(code);
                return Ok(());
            }
        }
        match input.next() {
            Some((l, nl)) => {
                ps = l;
                had_nl = nl;
                run.lineno += 1;
                tflag = false;
            }
            None => return Ok(()),
        }
    }
}
