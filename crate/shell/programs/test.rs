//! `test` and `[` as GNU coreutils' `/usr/bin/test`: POSIX's rules by argument
//! count, then the full `! -a -o ( )` grammar; file tests on the vfs (with the
//! permission bits checked for a non-root user), string and arbitrary-size
//! integer comparisons, `-nt -ot -ef`. Status 0 true, 1 false, 2 error.

use super::common::Res;
use crate::shell::proc::Ctx;
use crate::vfs::Stat;
use std::cmp::Ordering;

struct T<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    args: &'c [String],
    pos: usize,
    depth: usize,
}

type R<T> = Result<T, String>;

pub fn test(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let bracket = argv[0].rsplit('/').next() == Some("[");
    let prog = if bracket { "[" } else { "test" };
    let mut args = &argv[1..];
    if bracket {
        if args.len() == 1 && (args[0] == "--help" || args[0] == "--version") {
            let _ = ctx.out(b"Usage: test EXPRESSION\n  or:  test\n  or:  [ EXPRESSION ]\n  or:  [ ]\n  or:  [ OPTION\n");
            return Ok(0);
        }
        if args.last().map(String::as_str) != Some("]") {
            ctx.err(&format!("{prog}: missing ']'\n"));
            return Ok(2);
        }
        args = &args[..args.len() - 1];
    }
    let mut t = T { ctx, args, pos: 0, depth: 0 };
    let r = if args.is_empty() { Ok(false) } else { t.posix(args.len()) };
    let r = r.and_then(|v| {
        if t.pos < t.args.len() {
            Err(format!("extra argument {}", q(&t.args[t.pos])))
        } else {
            Ok(v)
        }
    });
    match r {
        Ok(v) => Ok(if v { 0 } else { 1 }),
        Err(m) => {
            t.ctx.err(&format!("{prog}: {m}\n"));
            Ok(2)
        }
    }
}

fn q(s: &str) -> String {
    format!("'{s}'")
}

const UNARY: &[&str] = &["-b", "-c", "-d", "-e", "-f", "-g", "-G", "-h", "-k", "-L", "-N", "-O", "-p", "-r", "-s", "-S", "-t", "-u", "-w", "-x", "-z", "-n"];
const BINARY: &[&str] = &["=", "==", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef"];

impl T<'_, '_> {
    fn arg(&self, i: usize) -> &str {
        self.args.get(i).map(String::as_str).unwrap_or("")
    }

    fn advance(&mut self, need_more: bool) -> R<()> {
        self.pos += 1;
        if need_more && self.pos >= self.args.len() {
            return Err(self.beyond());
        }
        Ok(())
    }

    fn beyond(&self) -> String {
        format!("missing argument after {}", q(self.arg(self.args.len().saturating_sub(1))))
    }

    /// POSIX's rules for 1 to 4 arguments starting at `pos`, else the grammar.
    fn posix(&mut self, n: usize) -> R<bool> {
        match n {
            1 => self.one(),
            2 => self.two(),
            3 => self.three(),
            4 => {
                if self.arg(self.pos) == "!" {
                    self.advance(true)?;
                    Ok(!self.three()?)
                } else if self.arg(self.pos) == "(" && self.arg(self.pos + 3) == ")" {
                    self.advance(false)?;
                    let v = self.two()?;
                    self.advance(false)?;
                    Ok(v)
                } else {
                    self.expr()
                }
            }
            _ => self.expr(),
        }
    }

    fn one(&mut self) -> R<bool> {
        let v = !self.arg(self.pos).is_empty();
        self.advance(false)?;
        Ok(v)
    }

    fn two(&mut self) -> R<bool> {
        let a = self.arg(self.pos).to_string();
        if a == "!" {
            self.advance(true)?;
            return Ok(!self.one()?);
        }
        if a.len() == 2 && a.starts_with('-') {
            if UNARY.contains(&a.as_str()) {
                return self.unary();
            }
            return Err(format!("{}: unary operator expected", q(&a)));
        }
        Err(self.beyond())
    }

    fn three(&mut self) -> R<bool> {
        let op = self.arg(self.pos + 1).to_string();
        if BINARY.contains(&op.as_str()) {
            return self.binary();
        }
        if self.arg(self.pos) == "!" {
            self.advance(true)?;
            return Ok(!self.two()?);
        }
        if self.arg(self.pos) == "(" && self.arg(self.pos + 2) == ")" {
            self.advance(false)?;
            let v = self.one()?;
            self.advance(false)?;
            return Ok(v);
        }
        if op == "-a" || op == "-o" {
            return self.expr();
        }
        Err(format!("{}: binary operator expected", q(&op)))
    }

    fn expr(&mut self) -> R<bool> {
        if self.pos >= self.args.len() {
            return Err(self.beyond());
        }
        let mut v = self.and()?;
        while self.pos < self.args.len() && self.arg(self.pos) == "-o" {
            self.advance(true)?;
            let r = self.and()?;
            v = v || r;
        }
        Ok(v)
    }

    fn and(&mut self) -> R<bool> {
        let mut v = self.term()?;
        while self.pos < self.args.len() && self.arg(self.pos) == "-a" {
            self.advance(true)?;
            let r = self.term()?;
            v = v && r;
        }
        Ok(v)
    }

    fn term(&mut self) -> R<bool> {
        if self.pos >= self.args.len() {
            return Err(self.beyond());
        }
        let mut negate = false;
        while self.pos < self.args.len() && self.arg(self.pos) == "!" {
            self.advance(true)?;
            negate = !negate;
        }
        if self.pos >= self.args.len() {
            return Err(self.beyond());
        }
        let v = if self.arg(self.pos) == "(" {
            self.depth += 1;
            if self.depth > 500 {
                return Err("expression too deeply nested".into());
            }
            self.advance(true)?;
            let mut n = 1;
            while self.pos + n < self.args.len() && self.arg(self.pos + n) != ")" {
                if n == 4 {
                    n = self.args.len() - self.pos;
                    break;
                }
                n += 1;
            }
            let v = self.posix(n)?;
            if self.pos >= self.args.len() {
                return Err("')' expected".into());
            }
            if self.arg(self.pos) != ")" {
                return Err(format!("')' expected, found {}", q(self.arg(self.pos))));
            }
            self.advance(false)?;
            self.depth -= 1;
            v
        } else if self.pos + 3 <= self.args.len() && BINARY.contains(&self.arg(self.pos + 1)) {
            self.binary()?
        } else if UNARY.contains(&self.arg(self.pos)) {
            if self.pos + 1 >= self.args.len() {
                return Err(self.beyond());
            }
            self.unary()?
        } else {
            let v = !self.arg(self.pos).is_empty();
            self.advance(false)?;
            v
        };
        Ok(v != negate)
    }

    fn stat(&mut self, p: &str, follow: bool) -> Option<Stat> {
        if p.is_empty() {
            return None;
        }
        let abs = self.ctx.abs(p);
        if follow {
            self.ctx.fs.stat(&abs).ok()
        } else {
            self.ctx.fs.lstat(&abs).ok()
        }
    }

    fn may(&self, st: &Stat, bit: u32) -> bool {
        let m = st.meta.mode;
        if self.ctx.uid == 0 {
            // root reads and writes anything, executes when any x bit is set
            return bit != 1 || m & 0o111 != 0 || st.is_dir();
        }
        if st.meta.uid == self.ctx.uid {
            m & (bit << 6) != 0
        } else if st.meta.gid == self.ctx.gid {
            m & (bit << 3) != 0
        } else {
            m & bit != 0
        }
    }

    fn unary(&mut self) -> R<bool> {
        let op = self.arg(self.pos).to_string();
        self.advance(true)?;
        let a = self.arg(self.pos).to_string();
        self.advance(false)?;
        let st = |t: &mut Self| t.stat(&a, true);
        Ok(match op.as_str() {
            "-z" => a.is_empty(),
            "-n" => !a.is_empty(),
            "-e" => st(self).is_some(),
            "-f" => st(self).map(|s| s.is_file()).unwrap_or(false),
            "-d" => st(self).map(|s| s.is_dir()).unwrap_or(false),
            "-h" | "-L" => self.stat(&a, false).map(|s| s.is_symlink()).unwrap_or(false),
            "-s" => st(self).map(|s| s.is_file() && s.size > 0 || s.is_dir()).unwrap_or(false),
            "-r" => st(self).map(|s| self.may(&s, 4)).unwrap_or(false),
            "-w" => st(self).map(|s| self.may(&s, 2)).unwrap_or(false),
            "-x" => st(self).map(|s| self.may(&s, 1)).unwrap_or(false),
            "-u" => st(self).map(|s| s.meta.mode & 0o4000 != 0).unwrap_or(false),
            "-g" => st(self).map(|s| s.meta.mode & 0o2000 != 0).unwrap_or(false),
            "-k" => st(self).map(|s| s.meta.mode & 0o1000 != 0).unwrap_or(false),
            "-O" => st(self).map(|s| s.meta.uid == self.ctx.uid).unwrap_or(false),
            "-G" => st(self).map(|s| s.meta.gid == self.ctx.gid).unwrap_or(false),
            "-N" => false,
            "-t" => {
                integer(&a)?;
                false
            }
            // no block or character devices, pipes or sockets in the vfs
            _ => false,
        })
    }

    fn binary(&mut self) -> R<bool> {
        let a = self.arg(self.pos).to_string();
        let op = self.arg(self.pos + 1).to_string();
        let b = self.arg(self.pos + 2).to_string();
        self.pos += 3;
        Ok(match op.as_str() {
            "=" | "==" => a == b,
            "!=" => a != b,
            "-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge" => {
                let o = cmp_int(&integer(&a)?, &integer(&b)?);
                match op.as_str() {
                    "-eq" => o == Ordering::Equal,
                    "-ne" => o != Ordering::Equal,
                    "-lt" => o == Ordering::Less,
                    "-le" => o != Ordering::Greater,
                    "-gt" => o == Ordering::Greater,
                    _ => o != Ordering::Less,
                }
            }
            "-nt" | "-ot" => {
                let ta = self.stat(&a, true).map(|s| s.meta.mtime);
                let tb = self.stat(&b, true).map(|s| s.meta.mtime);
                let (x, y) = if op == "-nt" { (ta, tb) } else { (tb, ta) };
                match (x, y) {
                    (Some(x), Some(y)) => x > y,
                    (Some(_), None) => true,
                    _ => false,
                }
            }
            _ => {
                // -ef: the same file
                match (self.stat(&a, true), self.stat(&b, true)) {
                    (Some(_), Some(_)) => {
                        let ca = self.ctx.fs.canonicalize(&self.ctx.abs(&a)).ok();
                        let cb = self.ctx.fs.canonicalize(&self.ctx.abs(&b)).ok();
                        ca.is_some() && ca == cb
                    }
                    _ => false,
                }
            }
        })
    }
}

/// An integer operand: blanks around, an optional sign, digits. Returned
/// normalised (sign, digits without leading zeros) for exact comparison.
fn integer(s: &str) -> R<(bool, String)> {
    let t = s.trim_matches(|c: char| c == ' ' || c == '\t' || c == '\n');
    let (neg, d) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if d.is_empty() || !d.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("invalid integer {}", q(s)));
    }
    let d = d.trim_start_matches('0');
    let d = if d.is_empty() { "0" } else { d };
    Ok((neg && d != "0", d.to_string()))
}

fn cmp_int(a: &(bool, String), b: &(bool, String)) -> Ordering {
    let mag = |x: &String, y: &String| x.len().cmp(&y.len()).then_with(|| x.cmp(y));
    match (a.0, b.0) {
        (false, false) => mag(&a.1, &b.1),
        (true, true) => mag(&b.1, &a.1),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
    }
}
