//! dash's `test` / `[`: POSIX's argument-count rules, then a recursive
//! expression grammar (`!`, `-a`, `-o`, parentheses), file tests against the
//! vfs, integer comparisons with `Illegal number: x`, and dash's error texts
//! (`[: missing ]`, `-eq: argument expected`, `a: unexpected operator`).

use crate::shell::interp::{Ex, Shell};
use crate::vfs::{path, FileType};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Unop,
    Binop,
    Not,
    And,
    Or,
    LParen,
    RParen,
}

const OPS: &[(&str, Kind)] = &[
    ("-r", Kind::Unop),
    ("-w", Kind::Unop),
    ("-x", Kind::Unop),
    ("-e", Kind::Unop),
    ("-f", Kind::Unop),
    ("-d", Kind::Unop),
    ("-c", Kind::Unop),
    ("-b", Kind::Unop),
    ("-p", Kind::Unop),
    ("-u", Kind::Unop),
    ("-g", Kind::Unop),
    ("-k", Kind::Unop),
    ("-s", Kind::Unop),
    ("-t", Kind::Unop),
    ("-z", Kind::Unop),
    ("-n", Kind::Unop),
    ("-h", Kind::Unop),
    ("-O", Kind::Unop),
    ("-G", Kind::Unop),
    ("-L", Kind::Unop),
    ("-S", Kind::Unop),
    ("=", Kind::Binop),
    ("!=", Kind::Binop),
    ("<", Kind::Binop),
    (">", Kind::Binop),
    ("-eq", Kind::Binop),
    ("-ne", Kind::Binop),
    ("-ge", Kind::Binop),
    ("-gt", Kind::Binop),
    ("-le", Kind::Binop),
    ("-lt", Kind::Binop),
    ("-nt", Kind::Binop),
    ("-ot", Kind::Binop),
    ("-ef", Kind::Binop),
    ("!", Kind::Not),
    ("-a", Kind::And),
    ("-o", Kind::Or),
    ("(", Kind::LParen),
    (")", Kind::RParen),
];

fn getop(s: &str) -> Option<Kind> {
    OPS.iter().find(|(n, _)| *n == s).map(|(_, k)| *k)
}

/// The token at `i` as dash's `t_lex` classifies it (None = operand / end).
fn lex(w: &[String], i: usize) -> Option<Kind> {
    let s = w.get(i)?;
    let op = getop(s)?;
    if op == Kind::Unop && isoperand(w, i) {
        return None;
    }
    if op == Kind::LParen && w.get(i + 1).is_none() {
        return None;
    }
    Some(op)
}

fn isoperand(w: &[String], i: usize) -> bool {
    let Some(next) = w.get(i + 1) else {
        return true;
    };
    if w.get(i + 2).is_none() {
        return false;
    }
    getop(next) == Some(Kind::Binop)
}

struct T<'s, 'a, 'w> {
    sh: &'s mut Shell<'a>,
    w: &'w [String],
    pos: usize,
}

type R = Result<bool, String>;

impl T<'_, '_, '_> {
    fn at_end(&self) -> bool {
        self.pos >= self.w.len()
    }

    fn oexpr(&mut self) -> R {
        let mut res = false;
        loop {
            res |= self.aexpr()?;
            if self.at_end() {
                break;
            }
            if lex(self.w, self.pos + 1) != Some(Kind::Or) {
                break;
            }
            self.pos += 2;
        }
        Ok(res)
    }

    fn aexpr(&mut self) -> R {
        let mut res = true;
        loop {
            if !self.nexpr()? {
                res = false;
            }
            if self.at_end() {
                break;
            }
            if lex(self.w, self.pos + 1) != Some(Kind::And) {
                break;
            }
            self.pos += 2;
        }
        Ok(res)
    }

    fn nexpr(&mut self) -> R {
        if lex(self.w, self.pos) != Some(Kind::Not) {
            return self.primary();
        }
        if self.w.get(self.pos + 1).is_some() {
            self.pos += 1;
        } else {
            // `!` alone at the end: dash evaluates the missing expression (false)
            self.pos += 1;
            return Ok(true);
        }
        self.sh.step(1).map_err(|_| String::new())?;
        Ok(!self.nexpr()?)
    }

    fn primary(&mut self) -> R {
        let n = lex(self.w, self.pos);
        if self.at_end() {
            return Ok(false);
        }
        if n == Some(Kind::LParen) {
            self.pos += 1;
            if lex(self.w, self.pos) == Some(Kind::RParen) {
                return Ok(false);
            }
            let r = self.oexpr()?;
            self.pos += 1;
            if lex(self.w, self.pos) != Some(Kind::RParen) {
                return Err("closing paren expected".into());
            }
            return Ok(r);
        }
        if n == Some(Kind::Unop) {
            let w = self.w;
            let op = &w[self.pos];
            self.pos += 1;
            let Some(arg) = w.get(self.pos) else {
                return Err(format!("{op}: argument expected"));
            };
            return self.unary(op, arg);
        }
        if lex(self.w, self.pos + 1) == Some(Kind::Binop) {
            return self.binop();
        }
        Ok(!self.w[self.pos].is_empty())
    }

    fn binop(&mut self) -> R {
        let w = self.w;
        let a = &w[self.pos];
        self.pos += 1;
        let op = &w[self.pos];
        self.pos += 1;
        let Some(b) = w.get(self.pos) else {
            return Err(format!("{op}: argument expected"));
        };
        let (a, b) = (a.as_str(), b.as_str());
        Ok(match op.as_str() {
            "=" => a == b,
            "!=" => a != b,
            "<" => a.as_bytes() < b.as_bytes(),
            ">" => a.as_bytes() > b.as_bytes(),
            "-eq" => getn(a)? == getn(b)?,
            "-ne" => getn(a)? != getn(b)?,
            "-ge" => getn(a)? >= getn(b)?,
            "-gt" => getn(a)? > getn(b)?,
            "-le" => getn(a)? <= getn(b)?,
            "-lt" => getn(a)? < getn(b)?,
            "-nt" => matches!((self.mtime(a), self.mtime(b)), (Some(x), Some(y)) if x > y),
            "-ot" => matches!((self.mtime(a), self.mtime(b)), (Some(x), Some(y)) if x < y),
            "-ef" => {
                let pa = self.abs(a);
                let pb = self.abs(b);
                match (self.sh.fs.canonicalize(&pa), self.sh.fs.canonicalize(&pb)) {
                    (Ok(x), Ok(y)) => x == y && self.sh.fs.exists(&pa),
                    _ => false,
                }
            }
            _ => false,
        })
    }

    fn abs(&self, p: &str) -> String {
        path::join(&self.sh.st.cwd, p)
    }

    fn mtime(&self, p: &str) -> Option<i64> {
        self.sh.fs.stat(&self.abs(p)).ok().map(|s| s.meta.mtime)
    }

    fn unary(&mut self, op: &str, arg: &str) -> R {
        match op {
            "-z" => return Ok(arg.is_empty()),
            "-n" => return Ok(!arg.is_empty()),
            "-t" => {
                getn(arg)?;
                return Ok(false);
            }
            _ => {}
        }
        if arg.is_empty() {
            return Ok(false);
        }
        let p = self.abs(arg);
        let st = if op == "-h" || op == "-L" { self.sh.fs.lstat(&p) } else { self.sh.fs.stat(&p) };
        let Ok(st) = st else {
            return Ok(false);
        };
        let mode = st.meta.mode;
        Ok(match op {
            "-e" => true,
            "-f" => st.file_type == FileType::File,
            "-d" => st.file_type == FileType::Dir,
            "-h" | "-L" => st.file_type == FileType::Symlink,
            "-c" | "-b" | "-p" | "-S" => false,
            "-u" => mode & 0o4000 != 0,
            "-g" => mode & 0o2000 != 0,
            "-k" => mode & 0o1000 != 0,
            "-s" => st.size > 0,
            "-O" => st.meta.uid == self.sh.uid,
            "-G" => st.meta.gid == self.sh.gid,
            "-r" => self.sh.may(&p, 4),
            "-w" => self.sh.may(&p, 2),
            "-x" => self.sh.may(&p, 1),
            _ => false,
        })
    }
}

/// dash's `atomax10`: blanks around a decimal integer; anything else (or an
/// overflow) is `Illegal number`.
fn getn(s: &str) -> Result<i64, String> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (neg, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let end = body.find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len());
    if end == 0 || !body[end..].trim_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']).is_empty() {
        return Err(format!("Illegal number: {s}"));
    }
    let v: i128 = body[..end].parse().map_err(|_| format!("Illegal number: {s}"))?;
    let v = if neg { -v } else { v };
    if v > i64::MAX as i128 || v < i64::MIN as i128 {
        return Err(format!("Illegal number: {s}"));
    }
    Ok(v as i64)
}

/// `test expr` / `[ expr ]`
pub(crate) fn test(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    let name = argv[0].as_str();
    let mut w: &[String] = &argv[1..];
    if name == "[" {
        if w.last().map(String::as_str) != Some("]") {
            sh.warn(Some(name), "missing ]")?;
            return Ok(2);
        }
        w = &w[..w.len() - 1];
    }
    // dash's `res`: 1 unless an odd number of leading `!` were taken off
    let mut negate = false;
    let mut forced_binop = false;
    loop {
        match w.len() {
            0 => return Ok(if negate { 0 } else { 1 }),
            3 if getop(&w[1]) == Some(Kind::Binop) => {
                forced_binop = true;
            }
            3 | 4 => {
                if w[0] == "(" && w[w.len() - 1] == ")" {
                    w = &w[1..w.len() - 1];
                } else if w[0] == "!" {
                    negate = !negate;
                    w = &w[1..];
                    continue;
                }
            }
            _ => {}
        }
        break;
    }
    let mut t = T { sh, w, pos: 0 };
    let r = if forced_binop { t.binop() } else { t.oexpr() };
    let (pos, len) = (t.pos, t.w.len());
    let at = t.w.get(pos).map(String::as_str).unwrap_or("");
    let sh = t.sh;
    match r {
        Ok(b) => {
            if pos + 1 < len {
                let m = if at.is_empty() { "unexpected operator".to_string() } else { format!("{at}: unexpected operator") };
                sh.warn(Some(name), &m)?;
                return Ok(2);
            }
            let truth = b != negate;
            Ok(if truth { 0 } else { 1 })
        }
        Err(msg) => {
            if msg.is_empty() {
                return Err(sh.limit(crate::shell::LimitKind::Steps));
            }
            sh.warn(Some(name), &msg)?;
            Ok(2)
        }
    }
}
