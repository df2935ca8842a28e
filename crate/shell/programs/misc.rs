//! Smaller coreutils and friends that Dockerfiles and entrypoint scripts use:
//! `expr`, `base64`, `tac`, `paste`, `fold`, `comm`, `cmp`, `groups`, `getent`
//! (`passwd`, `group`, `hosts`), `du`, `df` (the vfs and its playground limit),
//! `truncate`, `dd` (`if= of= bs= count= skip= seek= conv=notrunc status=`),
//! `tty`, `logname`, `sync`, `mkfifo` (refused: the vfs has no FIFOs).

use super::common::{err, ferr, getopt, out, parse_size, qa, qf, read_operand, tick, tick_bytes, usage_err, Arg, Res, Spec};
use super::regex::{Flags, Regex, Syntax};
use super::users;
use crate::shell::proc::Ctx;
use crate::vfs::Node;

// ----- expr --------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Val {
    Int(i128),
    Str(String),
}

impl Val {
    fn text(&self) -> String {
        match self {
            Val::Int(n) => n.to_string(),
            Val::Str(s) => s.clone(),
        }
    }
    fn int(&self) -> Option<i128> {
        match self {
            Val::Int(n) => Some(*n),
            Val::Str(s) => {
                let t = s.strip_prefix('-').unwrap_or(s);
                if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) || t.len() > 30 {
                    return None;
                }
                s.parse().ok()
            }
        }
    }
    fn null(&self) -> bool {
        match self {
            Val::Int(n) => *n == 0,
            Val::Str(s) => s.is_empty() || self.int() == Some(0),
        }
    }
}

struct Expr<'a, 'c, 'x> {
    a: &'a [String],
    i: usize,
    ctx: &'c mut Ctx<'x>,
    depth: usize,
}

type ER = Result<Val, (String, i32)>;

impl Expr<'_, '_, '_> {
    fn peek(&self) -> Option<&str> {
        self.a.get(self.i).map(String::as_str)
    }
    fn syntax(&self) -> (String, i32) {
        match self.a.get(self.i) {
            Some(t) => (format!("syntax error: unexpected argument {}", qa(t)), 2),
            None => (format!("syntax error: missing argument after {}", qa(self.a.get(self.i.wrapping_sub(1)).map(String::as_str).unwrap_or(""))), 2),
        }
    }
    fn or(&mut self) -> ER {
        let mut l = self.and()?;
        while self.peek() == Some("|") {
            self.i += 1;
            let r = self.and()?;
            l = if !l.null() { l } else if !r.null() { r } else { Val::Int(0) };
        }
        Ok(l)
    }
    fn and(&mut self) -> ER {
        let mut l = self.cmp()?;
        while self.peek() == Some("&") {
            self.i += 1;
            let r = self.cmp()?;
            l = if !l.null() && !r.null() { l } else { Val::Int(0) };
        }
        Ok(l)
    }
    fn cmp(&mut self) -> ER {
        let mut l = self.add()?;
        while let Some(op @ ("<" | "<=" | "=" | "==" | "!=" | ">=" | ">")) = self.peek() {
            let op = op.to_string();
            self.i += 1;
            let r = self.add()?;
            let ord = match (l.int(), r.int()) {
                (Some(x), Some(y)) => x.cmp(&y),
                _ => l.text().as_bytes().cmp(r.text().as_bytes()),
            };
            use std::cmp::Ordering::*;
            let t = match op.as_str() {
                "<" => ord == Less,
                "<=" => ord != Greater,
                "=" | "==" => ord == Equal,
                "!=" => ord != Equal,
                ">=" => ord != Less,
                _ => ord == Greater,
            };
            l = Val::Int(t as i128);
        }
        Ok(l)
    }
    fn add(&mut self) -> ER {
        let mut l = self.mul()?;
        while let Some(op @ ("+" | "-")) = self.peek() {
            let plus = op == "+";
            self.i += 1;
            let r = self.mul()?;
            let (Some(x), Some(y)) = (l.int(), r.int()) else {
                return Err(("non-integer argument".into(), 2));
            };
            l = Val::Int(if plus { x + y } else { x - y });
        }
        Ok(l)
    }
    fn mul(&mut self) -> ER {
        let mut l = self.colon()?;
        while let Some(op @ ("*" | "/" | "%")) = self.peek() {
            let op = op.to_string();
            self.i += 1;
            let r = self.colon()?;
            let (Some(x), Some(y)) = (l.int(), r.int()) else {
                return Err(("non-integer argument".into(), 2));
            };
            l = Val::Int(match op.as_str() {
                "*" => x.checked_mul(y).ok_or(("result too large".to_string(), 2))?,
                _ if y == 0 => return Err(("division by zero".into(), 2)),
                "/" => x / y,
                _ => x % y,
            });
        }
        Ok(l)
    }
    fn colon(&mut self) -> ER {
        let mut l = self.prim()?;
        while self.peek() == Some(":") {
            self.i += 1;
            let r = self.prim()?;
            l = self.matches(&l.text(), &r.text())?;
        }
        Ok(l)
    }
    fn matches(&mut self, s: &str, pat: &str) -> ER {
        let mut p = String::from("^");
        p.push_str(pat.strip_prefix('^').unwrap_or(pat));
        let re = Regex::new(p.as_bytes(), Flags::new(Syntax::Basic)).map_err(|e| (e.message().to_string(), 2))?;
        match re.search(s.as_bytes(), 0, false, self.ctx.budget) {
            Ok(Some(c)) => {
                if re.groups() > 0 {
                    Ok(Val::Str(c.get(1).copied().flatten().map(|(a, b)| s[a..b].to_string()).unwrap_or_default()))
                } else {
                    Ok(Val::Int(c[0].map(|(a, b)| (b - a) as i128).unwrap_or(0)))
                }
            }
            Ok(None) => Ok(if re.groups() > 0 { Val::Str(String::new()) } else { Val::Int(0) }),
            Err(_) => Err(("step budget exhausted".into(), 3)),
        }
    }
    fn arg(&mut self) -> Result<String, (String, i32)> {
        match self.a.get(self.i) {
            Some(t) => {
                self.i += 1;
                Ok(t.clone())
            }
            None => Err(self.syntax()),
        }
    }
    fn prim(&mut self) -> ER {
        let Some(t) = self.peek().map(str::to_string) else {
            return Err(self.syntax());
        };
        self.i += 1;
        match t.as_str() {
            "(" => {
                self.depth += 1;
                if self.depth > 500 {
                    return Err(("expression too deeply nested".into(), 2));
                }
                let v = self.or()?;
                self.depth -= 1;
                if self.peek() != Some(")") {
                    return Err(match self.peek() {
                        Some(x) => (format!("syntax error: expecting ')' instead of {}", qa(x)), 2),
                        None => (format!("syntax error: expecting ')' after {}", qa(&self.a[self.i - 1])), 2),
                    });
                }
                self.i += 1;
                Ok(v)
            }
            "+" => Ok(Val::Str(self.arg()?)),
            "length" => Ok(Val::Int(self.arg()?.len() as i128)),
            "match" => {
                let s = self.arg()?;
                let p = self.arg()?;
                self.matches(&s, &p)
            }
            "substr" => {
                let s = self.arg()?;
                let pos = Val::Str(self.arg()?).int();
                let len = Val::Str(self.arg()?).int();
                let (Some(pos), Some(len)) = (pos, len) else { return Ok(Val::Str(String::new())) };
                if pos < 1 || len < 1 || pos as usize > s.len() {
                    return Ok(Val::Str(String::new()));
                }
                let start = pos as usize - 1;
                let end = (start + len as usize).min(s.len());
                Ok(Val::Str(s.get(start..end).unwrap_or("").to_string()))
            }
            "index" => {
                let s = self.arg()?;
                let chars = self.arg()?;
                Ok(Val::Int(s.char_indices().find(|(_, c)| chars.contains(*c)).map(|(i, _)| i as i128 + 1).unwrap_or(0)))
            }
            _ => Ok(Val::Str(t)),
        }
    }
}

pub fn expr(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let args: Vec<String> = if argv.get(1).map(|a| a == "--").unwrap_or(false) { argv[2..].to_vec() } else { argv[1..].to_vec() };
    if args.is_empty() {
        return Ok(usage_err(ctx, "expr", "missing operand", 2));
    }
    tick(ctx, args.len() as u64)?;
    let mut e = Expr { a: &args, i: 0, ctx, depth: 0 };
    let r = e.or().and_then(|v| if e.i < args.len() { Err(e.syntax()) } else { Ok(v) });
    match r {
        Ok(v) => {
            out(ctx, format!("{}\n", v.text()).as_bytes())?;
            Ok(if v.null() { 1 } else { 0 })
        }
        Err((m, s)) => {
            err(ctx, "expr", &m);
            Ok(s)
        }
    }
}

// ----- base64 ------------------------------------------------------------------------

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn base64_encode(data: &[u8]) -> Vec<u8> {
    let mut o = Vec::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let b = [c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        o.push(B64[(n >> 18) as usize & 63]);
        o.push(B64[(n >> 12) as usize & 63]);
        o.push(if c.len() > 1 { B64[(n >> 6) as usize & 63] } else { b'=' });
        o.push(if c.len() > 2 { B64[n as usize & 63] } else { b'=' });
    }
    o
}

pub fn base64_decode(data: &[u8], ignore_garbage: bool) -> Result<Vec<u8>, Vec<u8>> {
    let mut o = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    let mut pad = false;
    for &c in data {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                pad = true;
                continue;
            }
            b'\n' | b'\r' => continue,
            _ if ignore_garbage => continue,
            _ => return Err(o),
        };
        if pad {
            return Err(o);
        }
        acc = acc << 6 | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            o.push((acc >> bits) as u8);
        }
    }
    if bits >= 6 {
        return Err(o);
    }
    Ok(o)
}

const BASE64: Spec = Spec {
    short: "diw:",
    long: &[("decode", Arg::No, 'd'), ("ignore-garbage", Arg::No, 'i'), ("wrap", Arg::Required, 'w')],
    permute: true,
    status: 1,
    usage: "[OPTION]... [FILE]",
};

pub fn base64(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "base64";
    let p = match getopt(ctx, prog, argv, &BASE64) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    if p.args.len() > 1 {
        return Ok(usage_err(ctx, prog, &format!("extra operand {}", qa(&p.args[1])), 1));
    }
    let f = p.args.first().cloned().unwrap_or_else(|| "-".into());
    let Some(data) = read_operand(ctx, prog, &f)? else { return Ok(1) };
    if p.has('d') {
        match base64_decode(&data, p.has('i')) {
            Ok(d) => out(ctx, &d)?,
            Err(partial) => {
                out(ctx, &partial)?;
                err(ctx, prog, "invalid input");
                return Ok(1);
            }
        }
        return Ok(0);
    }
    let wrap: usize = match p.val('w').map(|w| w.parse::<usize>()) {
        Some(Ok(w)) => w,
        Some(Err(_)) => {
            err(ctx, prog, &format!("invalid wrap size: {}", qa(p.val('w').unwrap_or(""))));
            return Ok(1);
        }
        None => 76,
    };
    let enc = base64_encode(&data);
    let mut o = Vec::with_capacity(enc.len() + enc.len() / 76 + 1);
    if wrap == 0 {
        o.extend_from_slice(&enc);
    } else {
        for c in enc.chunks(wrap) {
            o.extend_from_slice(c);
            o.push(b'\n');
        }
    }
    if (wrap == 0 || enc.is_empty()) && !enc.is_empty() {
        // no trailing newline with -w 0
    }
    out(ctx, &o)?;
    Ok(0)
}

// ----- tac, paste, fold, comm, cmp ---------------------------------------------------

fn split_lines(d: &[u8]) -> Vec<&[u8]> {
    let mut v: Vec<&[u8]> = d.split(|&b| b == b'\n').collect();
    if d.last() == Some(&b'\n') || d.is_empty() {
        v.pop();
    }
    v
}

pub fn tac(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let files: Vec<String> = if argv.len() > 1 { argv[1..].to_vec() } else { vec!["-".into()] };
    let mut status = 0;
    for f in &files {
        let Some(d) = read_operand(ctx, "tac", f)? else {
            status = 1;
            continue;
        };
        let mut o = Vec::with_capacity(d.len() + 1);
        // like GNU: the separator goes with the line before it
        let ends_nl = d.last() == Some(&b'\n');
        let lines = split_lines(&d);
        for (i, l) in lines.iter().enumerate().rev() {
            o.extend_from_slice(l);
            if i + 1 < lines.len() || ends_nl {
                o.push(b'\n');
            }
        }
        out(ctx, &o)?;
    }
    Ok(status)
}

pub fn paste(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "paste";
    let p = match getopt(ctx, prog, argv, &Spec { short: "d:sz", long: &[("delimiters", Arg::Required, 'd'), ("serial", Arg::No, 's'), ("zero-terminated", Arg::No, 'z')], permute: true, status: 1, usage: "[OPTION]... [FILE]..." }) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    let delims: Vec<u8> = {
        let d = p.val('d').unwrap_or("\t").as_bytes();
        let mut v = Vec::new();
        let mut i = 0;
        while i < d.len() {
            if d[i] == b'\\' && i + 1 < d.len() {
                v.push(match d[i + 1] {
                    b'n' => b'\n',
                    b't' => b'\t',
                    b'0' => 0,
                    x => x,
                });
                i += 2;
            } else {
                v.push(d[i]);
                i += 1;
            }
        }
        v
    };
    let files = if p.args.is_empty() { vec!["-".to_string()] } else { p.args.clone() };
    let mut contents = Vec::new();
    for f in &files {
        match read_operand(ctx, prog, f)? {
            Some(d) => contents.push(d.as_ref().clone()),
            None => return Ok(1),
        }
    }
    let delim = |k: usize| -> Option<u8> { if delims.is_empty() { None } else { Some(delims[k % delims.len()]).filter(|c| *c != 0) } };
    let mut o = Vec::new();
    if p.has('s') {
        for c in &contents {
            for (k, l) in split_lines(c).iter().enumerate() {
                if k > 0 {
                    if let Some(d) = delim(k - 1) {
                        o.push(d);
                    }
                }
                o.extend_from_slice(l);
            }
            o.push(b'\n');
        }
    } else {
        let all: Vec<Vec<&[u8]>> = contents.iter().map(|c| split_lines(c)).collect();
        let rows = all.iter().map(Vec::len).max().unwrap_or(0);
        for r in 0..rows {
            tick(ctx, 1)?;
            for (k, lines) in all.iter().enumerate() {
                if k > 0 {
                    if let Some(d) = delim(k - 1) {
                        o.push(d);
                    }
                }
                if let Some(l) = lines.get(r) {
                    o.extend_from_slice(l);
                }
            }
            o.push(b'\n');
        }
    }
    out(ctx, &o)?;
    Ok(0)
}

pub fn fold(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "fold";
    let argv: Vec<String> = argv.iter().map(|a| if a.len() > 1 && a.starts_with('-') && a[1..].bytes().all(|b| b.is_ascii_digit()) { format!("-w{}", &a[1..]) } else { a.clone() }).collect();
    let p = match getopt(ctx, prog, &argv, &Spec { short: "bsw:", long: &[("bytes", Arg::No, 'b'), ("spaces", Arg::No, 's'), ("width", Arg::Required, 'w')], permute: true, status: 1, usage: "[OPTION]... [FILE]..." }) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    let width: usize = match p.val('w').map(|w| w.parse::<usize>()) {
        Some(Ok(w)) if w > 0 => w,
        Some(_) => {
            err(ctx, prog, &format!("invalid number of columns: {}", qa(p.val('w').unwrap_or(""))));
            return Ok(1);
        }
        None => 80,
    };
    let files = if p.args.is_empty() { vec!["-".to_string()] } else { p.args.clone() };
    let mut status = 0;
    for f in &files {
        let Some(d) = read_operand(ctx, prog, f)? else {
            status = 1;
            continue;
        };
        let mut o = Vec::new();
        let mut line: Vec<u8> = Vec::new();
        let mut col = 0usize;
        for &b in d.iter() {
            if b == b'\n' {
                o.extend_from_slice(&line);
                o.push(b'\n');
                line.clear();
                col = 0;
                continue;
            }
            let w = if p.has('b') {
                1
            } else {
                match b {
                    b'\t' => 8 - col % 8,
                    8 => 0,
                    b'\r' => 0,
                    _ => 1,
                }
            };
            if col + w > width && !line.is_empty() {
                if p.has('s') {
                    if let Some(sp) = line.iter().rposition(|c| *c == b' ' || *c == b'\t') {
                        let rest = line.split_off(sp + 1);
                        o.extend_from_slice(&line);
                        o.push(b'\n');
                        line = rest;
                        col = line.len();
                    } else {
                        o.extend_from_slice(&line);
                        o.push(b'\n');
                        line.clear();
                        col = 0;
                    }
                } else {
                    o.extend_from_slice(&line);
                    o.push(b'\n');
                    line.clear();
                    col = 0;
                }
            }
            line.push(b);
            col += w;
        }
        o.extend_from_slice(&line);
        out(ctx, &o)?;
    }
    Ok(status)
}

pub fn comm(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "comm";
    let p = match getopt(ctx, prog, argv, &Spec { short: "123", long: &[("output-delimiter", Arg::Required, 'd')], permute: true, status: 1, usage: "[OPTION]... FILE1 FILE2" }) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    if p.args.len() < 2 {
        let m = if p.args.is_empty() { "missing operand".to_string() } else { format!("missing operand after {}", qa(&p.args[0])) };
        return Ok(usage_err(ctx, prog, &m, 1));
    }
    let Some(a) = read_operand(ctx, prog, &p.args[0])? else { return Ok(1) };
    let Some(b) = read_operand(ctx, prog, &p.args[1])? else { return Ok(1) };
    let (la, lb) = (split_lines(&a), split_lines(&b));
    let d = p.val('d').unwrap_or("\t").to_string();
    let show = [!p.has('1'), !p.has('2'), !p.has('3')];
    let prefix = |col: usize| -> String { (0..col).filter(|k| show[*k]).map(|_| d.clone()).collect() };
    let (mut i, mut j) = (0, 0);
    let mut o = Vec::new();
    while i < la.len() || j < lb.len() {
        tick(ctx, 1)?;
        let (col, line) = match (la.get(i), lb.get(j)) {
            (Some(x), Some(y)) if x < y => {
                i += 1;
                (0, *x)
            }
            (Some(x), Some(y)) if x > y => {
                j += 1;
                (1, *y)
            }
            (Some(x), Some(_)) => {
                i += 1;
                j += 1;
                (2, *x)
            }
            (Some(x), None) => {
                i += 1;
                (0, *x)
            }
            (None, Some(y)) => {
                j += 1;
                (1, *y)
            }
            (None, None) => break,
        };
        if show[col] {
            o.extend_from_slice(prefix(col).as_bytes());
            o.extend_from_slice(line);
            o.push(b'\n');
        }
    }
    out(ctx, &o)?;
    Ok(0)
}

pub fn cmp(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "cmp";
    let p = match getopt(ctx, prog, argv, &Spec { short: "blsn:i:", long: &[("silent", Arg::No, 's'), ("quiet", Arg::No, 's'), ("verbose", Arg::No, 'l'), ("print-bytes", Arg::No, 'b')], permute: true, status: 2, usage: "[OPTION]... FILE1 [FILE2 [SKIP1 [SKIP2]]]" }) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    if p.args.is_empty() {
        return Ok(usage_err(ctx, prog, "missing operand after 'cmp'", 2));
    }
    let names = [p.args[0].clone(), p.args.get(1).cloned().unwrap_or_else(|| "-".into())];
    let mut data = Vec::new();
    for n in &names {
        let r = super::common::read_path(ctx, n);
        match r {
            Ok(d) => data.push(d),
            Err(e) => {
                err(ctx, prog, &format!("{}: {}", qf(n), ferr(&e)));
                return Ok(2);
            }
        }
    }
    let (a, b) = (&data[0], &data[1]);
    tick_bytes(ctx, a.len() + b.len())?;
    let n = a.len().min(b.len());
    let mut line = 1;
    for i in 0..n {
        if a[i] != b[i] {
            if !p.has('s') {
                out(ctx, format!("{} {} differ: char {}, line {line}\n", names[0], names[1], i + 1).as_bytes())?;
            }
            return Ok(1);
        }
        if a[i] == b'\n' {
            line += 1;
        }
    }
    if a.len() != b.len() {
        if !p.has('s') {
            let short = if a.len() < b.len() { &names[0] } else { &names[1] };
            let nl = a[..n].iter().filter(|c| **c == b'\n').count();
            let (what, at) = if n == 0 { ("EOF on", format!("{short} which is empty")) } else { ("EOF on", format!("{short} after byte {n}, line {}", nl + usize::from(a[n - 1] != b'\n'))) };
            err(ctx, prog, &format!("{what} {at}"));
        }
        return Ok(1);
    }
    Ok(0)
}

// ----- accounts, system ---------------------------------------------------------------

pub fn groups(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let names: Vec<String> = if argv.len() > 1 { argv[1..].to_vec() } else { Vec::new() };
    let list = |ctx: &Ctx<'_>, name: Option<&str>, gid: u32| -> String {
        let mut v = vec![users::gname_or_id(ctx.fs, gid)];
        if let Some(n) = name {
            for g in users::groups(ctx.fs) {
                if g.members.iter().any(|m| m == n) && g.gid != gid {
                    v.push(g.name);
                }
            }
        }
        v.join(" ")
    };
    if names.is_empty() {
        let me = users::user_by_uid(ctx.fs, ctx.uid).map(|u| u.name);
        let s = list(ctx, me.as_deref(), ctx.gid);
        out(ctx, format!("{s}\n").as_bytes())?;
        return Ok(0);
    }
    let mut status = 0;
    for n in &names {
        match users::user_by_name(ctx.fs, n) {
            Some(u) => {
                let s = list(ctx, Some(n), u.gid);
                out(ctx, format!("{n} : {s}\n").as_bytes())?;
            }
            None => {
                err(ctx, "groups", &format!("{}: no such user", qa(n)));
                status = 1;
            }
        }
    }
    Ok(status)
}

pub fn getent(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let Some(db) = argv.get(1) else {
        ctx.err("getent: wrong number of arguments\nTry `getent --help' or `getent --usage' for more information.\n");
        return Ok(1);
    };
    let keys = &argv[2..];
    let (file, by_id_field) = match db.as_str() {
        "passwd" => ("/etc/passwd", 2),
        "group" => ("/etc/group", 2),
        "shadow" => ("/etc/shadow", usize::MAX),
        "gshadow" => ("/etc/gshadow", usize::MAX),
        "hosts" | "ahosts" | "ahostsv4" => {
            let text = ctx.fs.read("/etc/hosts").map(|d| String::from_utf8_lossy(&d).into_owned()).unwrap_or_else(|_| "127.0.0.1\tlocalhost\n".into());
            let mut status = if keys.is_empty() { 0 } else { 2 };
            let mut o = String::new();
            for l in text.lines().filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty()) {
                let f: Vec<&str> = l.split_whitespace().collect();
                if keys.is_empty() || keys.iter().any(|k| f.iter().skip(1).any(|n| n == k) || f.first() == Some(&k.as_str())) {
                    o.push_str(&format!("{:<15} {}\n", f[0], f[1..].join(" ")));
                    status = 0;
                }
            }
            out(ctx, o.as_bytes())?;
            return Ok(status);
        }
        other => {
            err(ctx, "getent", &format!("Unknown database: {other}"));
            return Ok(1);
        }
    };
    let text = ctx.fs.read(file).map(|d| String::from_utf8_lossy(&d).into_owned()).unwrap_or_default();
    let mut o = String::new();
    let mut status = 0;
    if keys.is_empty() {
        o = text.clone();
    } else {
        for k in keys {
            let hit = text.lines().find(|l| {
                let f: Vec<&str> = l.split(':').collect();
                f.first() == Some(&k.as_str()) || f.get(by_id_field) == Some(&k.as_str())
            });
            match hit {
                Some(l) => {
                    o.push_str(l);
                    o.push('\n');
                }
                None => status = 2,
            }
        }
    }
    out(ctx, o.as_bytes())?;
    Ok(status)
}

/// 1 KiB blocks a node occupies on a 4 KiB-block filesystem.
fn blocks(n: &Node) -> u64 {
    match n {
        Node::Dir(_) => 4,
        Node::Symlink(_) => 0,
        Node::File(f) => (f.data.len() as u64).div_ceil(4096) * 4,
    }
}

pub fn du(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "du";
    let p = match getopt(ctx, prog, argv, &Spec {
        short: "abcd:hkmsx",
        long: &[("all", Arg::No, 'a'), ("bytes", Arg::No, 'b'), ("total", Arg::No, 'c'), ("max-depth", Arg::Required, 'd'), ("human-readable", Arg::No, 'h'), ("summarize", Arg::No, 's'), ("apparent-size", Arg::No, 'A')],
        permute: true,
        status: 1,
        usage: "[OPTION]... [FILE]...",
    }) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    let files = if p.args.is_empty() { vec![".".to_string()] } else { p.args.clone() };
    let max_depth: Option<usize> = if p.has('s') { Some(0) } else { p.val('d').and_then(|d| d.parse().ok()) };
    let bytes = p.has('b');
    let show = |n: u64| -> String {
        if p.has('h') {
            super::ls::human(if bytes { n } else { n * 1024 })
        } else if bytes {
            n.to_string()
        } else if p.has('m') {
            n.div_ceil(1024).to_string()
        } else {
            n.to_string()
        }
    };
    let mut o = String::new();
    let mut total = 0u64;
    let mut status = 0;
    for f in &files {
        let abs = ctx.abs(f);
        let entries = match ctx.fs.walk(&abs) {
            Ok(e) => e,
            Err(e) => {
                err(ctx, prog, &format!("cannot access {}: {}", qa(f), ferr(&e)));
                status = 1;
                continue;
            }
        };
        tick(ctx, entries.len() as u64)?;
        let base = entries.first().map(|e| e.0.len()).unwrap_or(0);
        // sizes of directories: sum of everything below
        let mut sizes: Vec<(String, u64, usize, bool)> = Vec::new();
        for (path, n) in &entries {
            let rel = &path[base..];
            let depth = rel.matches('/').count();
            let own = if bytes { if let Node::File(fl) = n { fl.data.len() as u64 } else { 0 } } else { blocks(n) };
            sizes.push((rel.to_string(), own, depth, matches!(n, Node::Dir(_))));
        }
        // accumulate bottom-up
        let mut acc = vec![0u64; sizes.len()];
        for i in (0..sizes.len()).rev() {
            acc[i] += sizes[i].1;
            let (rel, _, _, _) = &sizes[i];
            if let Some(parent) = (0..i).rev().find(|&j| sizes[j].3 && (rel.starts_with(&format!("{}/", sizes[j].0)) || (sizes[j].0.is_empty() && !rel.is_empty()))) {
                let a = acc[i];
                acc[parent] += a;
            }
        }
        for (i, (rel, _, depth, is_dir)) in sizes.iter().enumerate().rev() {
            let within = max_depth.map(|m| *depth <= m).unwrap_or(true);
            if within && (*is_dir || p.has('a') || i == 0) {
                let shown = if rel.is_empty() { f.clone() } else { format!("{}{}", f.trim_end_matches('/'), rel) };
                o.push_str(&format!("{}\t{}\n", show(acc[i]), shown));
            }
        }
        total += acc.first().copied().unwrap_or(0);
    }
    if p.has('c') {
        o.push_str(&format!("{}\ttotal\n", show(total)));
    }
    out(ctx, o.as_bytes())?;
    Ok(status)
}

pub fn df(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let human = argv.iter().any(|a| a == "-h" || a == "--human-readable");
    let lim = ctx.fs.limits();
    let used = ctx.fs.usage().bytes;
    let size_k = lim.max_bytes / 1024;
    let used_k = used.div_ceil(1024);
    let avail_k = size_k.saturating_sub(used_k);
    let pct = if size_k == 0 { 0 } else { (used_k * 100).div_ceil(size_k) };
    let f = |k: u64| if human { super::ls::human(k * 1024) } else { k.to_string() };
    let head = if human { "Filesystem      Size  Used Avail Use% Mounted on\n" } else { "Filesystem     1K-blocks  Used Available Use% Mounted on\n" };
    let line = if human {
        format!("overlay         {:>4}  {:>4}  {:>4} {:>3}% /\n", f(size_k), f(used_k), f(avail_k), pct)
    } else {
        format!("overlay        {:>9} {:>5} {:>9} {:>3}% /\n", size_k, used_k, avail_k, pct)
    };
    out(ctx, format!("{head}{line}").as_bytes())?;
    Ok(0)
}

pub fn truncate(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "truncate";
    let p = match getopt(ctx, prog, argv, &Spec { short: "cos:r:", long: &[("no-create", Arg::No, 'c'), ("size", Arg::Required, 's'), ("reference", Arg::Required, 'r')], permute: true, status: 1, usage: "OPTION... FILE..." }) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    let Some(spec) = p.val('s').map(str::to_string) else {
        return Ok(usage_err(ctx, prog, "you must specify either '--size' or '--reference'", 1));
    };
    if p.args.is_empty() {
        return Ok(usage_err(ctx, prog, "missing file operand", 1));
    }
    let (op, num) = match spec.as_bytes().first() {
        Some(c @ (b'+' | b'-' | b'<' | b'>' | b'/' | b'%')) => (*c, &spec[1..]),
        _ => (b'=', spec.as_str()),
    };
    let Some(n) = parse_size(num) else {
        err(ctx, prog, &format!("Invalid number: {}", qa(&spec)));
        return Ok(1);
    };
    let mut status = 0;
    for f in &p.args {
        let abs = ctx.abs(f);
        let cur = match ctx.fs.read(&abs) {
            Ok(d) => d.as_ref().clone(),
            Err(_) if p.has('c') => continue,
            Err(_) => Vec::new(),
        };
        let len = cur.len() as u64;
        let new = match op {
            b'+' => len.saturating_add(n),
            b'-' => len.saturating_sub(n),
            b'<' => len.min(n),
            b'>' => len.max(n),
            b'/' if n > 0 => len / n * n,
            b'%' if n > 0 => len.div_ceil(n) * n,
            _ => n,
        };
        if new > ctx.fs.limits().max_bytes {
            err(ctx, prog, &format!("cannot change size of {}: No space left on device (playground limit)", qa(f)));
            status = 1;
            continue;
        }
        tick_bytes(ctx, new as usize)?;
        let mut d = cur;
        d.resize(new as usize, 0);
        if let Err(e) = ctx.fs.write(&abs, d, 0o644) {
            err(ctx, prog, &format!("cannot open {} for writing: {}", qa(f), ferr(&e)));
            status = 1;
        }
    }
    Ok(status)
}

/// `dd` with the operands Dockerfiles use; `/dev/zero` and `/dev/urandom`
/// read as endless (deterministic pseudo-random) bytes, bounded by `count`.
pub fn dd(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "dd";
    let mut ifile: Option<String> = None;
    let mut ofile: Option<String> = None;
    let (mut ibs, mut obs) = (512u64, 512u64);
    let mut count: Option<u64> = None;
    let (mut skip, mut seek) = (0u64, 0u64);
    let mut notrunc = false;
    let mut status_none = false;
    for a in &argv[1..] {
        let Some((k, v)) = a.split_once('=') else {
            err(ctx, prog, &format!("unrecognized operand {}", qa(a)));
            return Ok(1);
        };
        let num = || parse_size(v.trim_end_matches('B'));
        let bad = |ctx: &mut Ctx<'_>| {
            err(ctx, prog, &format!("invalid number: {}", qa(v)));
            1
        };
        match k {
            "if" => ifile = Some(v.to_string()),
            "of" => ofile = Some(v.to_string()),
            "bs" => match num() {
                Some(n) if n > 0 => {
                    ibs = n;
                    obs = n;
                }
                _ => return Ok(bad(ctx)),
            },
            "ibs" => match num() {
                Some(n) if n > 0 => ibs = n,
                _ => return Ok(bad(ctx)),
            },
            "obs" => match num() {
                Some(n) if n > 0 => obs = n,
                _ => return Ok(bad(ctx)),
            },
            "count" => match num() {
                Some(n) => count = Some(n),
                None => return Ok(bad(ctx)),
            },
            "skip" => match num() {
                Some(n) => skip = n,
                None => return Ok(bad(ctx)),
            },
            "seek" => match num() {
                Some(n) => seek = n,
                None => return Ok(bad(ctx)),
            },
            "conv" => notrunc = v.split(',').any(|c| c == "notrunc"),
            "status" => status_none = v == "none",
            "iflag" | "oflag" => {}
            _ => {
                err(ctx, prog, &format!("unrecognized operand {}", qa(a)));
                return Ok(1);
            }
        }
    }
    let _ = obs;
    let limit = ctx.fs.limits().max_bytes;
    let want = count.map(|c| c.saturating_mul(ibs));
    let data: Vec<u8> = match ifile.as_deref() {
        Some("/dev/zero") | Some("/dev/urandom") | Some("/dev/random") => {
            let Some(n) = want else {
                err(ctx, prog, &format!("reading {} without count= would never end (playground)", ifile.as_deref().unwrap_or("")));
                return Ok(1);
            };
            if n > limit {
                err(ctx, prog, "error writing: No space left on device (playground limit)");
                return Ok(1);
            }
            tick_bytes(ctx, n as usize)?;
            if ifile.as_deref() == Some("/dev/zero") {
                vec![0u8; n as usize]
            } else {
                let mut s = (ctx.clock.now as u64) ^ 0x2545_F491_4F6C_DD1D;
                (0..n)
                    .map(|_| {
                        s ^= s << 13;
                        s ^= s >> 7;
                        s ^= s << 17;
                        (s >> 24) as u8
                    })
                    .collect()
            }
        }
        Some(f) => match read_operand(ctx, prog, f)? {
            Some(d) => {
                let start = (skip.saturating_mul(ibs) as usize).min(d.len());
                let end = want.map(|w| (start as u64 + w).min(d.len() as u64) as usize).unwrap_or(d.len());
                d[start..end].to_vec()
            }
            None => return Ok(1),
        },
        None => {
            let d = ctx.stdin.read_all().to_vec();
            let start = (skip.saturating_mul(ibs) as usize).min(d.len());
            let end = want.map(|w| (start as u64 + w).min(d.len() as u64) as usize).unwrap_or(d.len());
            d[start..end].to_vec()
        }
    };
    let n = data.len() as u64;
    match ofile.as_deref() {
        None | Some("/dev/stdout") => out(ctx, &data)?,
        Some("/dev/null") => {}
        Some(f) => {
            let abs = ctx.abs(f);
            let mut cur = if notrunc || seek > 0 { ctx.fs.read(&abs).map(|d| d.as_ref().clone()).unwrap_or_default() } else { Vec::new() };
            let off = (seek.saturating_mul(obs)) as usize;
            if !notrunc {
                cur.truncate(off);
            }
            if cur.len() < off {
                cur.resize(off, 0);
            }
            let end = off + data.len();
            if cur.len() < end {
                cur.resize(end, 0);
            }
            cur[off..end].copy_from_slice(&data);
            if let Err(e) = ctx.fs.write(&abs, cur, 0o644) {
                err(ctx, prog, &format!("failed to open {}: {}", qa(f), ferr(&e)));
                return Ok(1);
            }
        }
    }
    if !status_none {
        let full = n / ibs;
        let part = u64::from(!n.is_multiple_of(ibs));
        let human = if n >= 1000 { format!(" ({}, {})", si(n), super::ls::human(n).replace('K', " KiB").replace('M', " MiB").replace('G', " GiB")) } else { String::new() };
        ctx.err(&format!("{full}+{part} records in\n{full}+{part} records out\n{n} bytes{human} copied, 0.001 s, (simulated) speed\n"));
    }
    Ok(0)
}

fn si(n: u64) -> String {
    let units = ["kB", "MB", "GB", "TB"];
    let mut v = n as f64 / 1000.0;
    let mut u = 0;
    while v >= 1000.0 && u < units.len() - 1 {
        v /= 1000.0;
        u += 1;
    }
    if v < 10.0 {
        format!("{:.1} {}", v, units[u])
    } else {
        format!("{:.0} {}", v, units[u])
    }
}

pub fn tty(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    if !argv.iter().any(|a| a == "-s" || a == "--silent" || a == "--quiet") {
        out(ctx, b"not a tty\n")?;
    }
    Ok(1)
}

pub fn logname(ctx: &mut Ctx<'_>, _argv: &[String]) -> Res {
    err(ctx, "logname", "no login name");
    Ok(1)
}

pub fn sync(_ctx: &mut Ctx<'_>, _argv: &[String]) -> Res {
    Ok(0)
}

pub fn mkfifo(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let names: Vec<&String> = argv[1..].iter().filter(|a| !a.starts_with('-')).collect();
    if names.is_empty() {
        return Ok(usage_err(ctx, "mkfifo", "missing operand", 1));
    }
    for n in names {
        err(ctx, "mkfifo", &format!("cannot create fifo {}: Operation not supported (the playground's filesystem has no FIFOs)", qa(n)));
    }
    Ok(1)
}

/// `getconf NAME` for the values build scripts ask.
pub fn getconf(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let Some(name) = argv.get(1) else {
        ctx.err("Usage: getconf [-v specification] variable_name [pathname]\n       getconf -a [pathname]\n");
        return Ok(2);
    };
    let v = match name.as_str() {
        "LONG_BIT" => "64".to_string(),
        "_NPROCESSORS_ONLN" | "_NPROCESSORS_CONF" => super::basic::NPROC.to_string(),
        "PAGESIZE" | "PAGE_SIZE" => "4096".into(),
        "ARG_MAX" => "2097152".into(),
        "PATH_MAX" => "4096".into(),
        "NAME_MAX" => "255".into(),
        "CLK_TCK" => "100".into(),
        "OPEN_MAX" => "1048576".into(),
        "GNU_LIBC_VERSION" => "glibc 2.36".into(),
        "PATH" => "/bin:/usr/bin".into(),
        other => {
            err(ctx, "getconf", &format!("Unrecognized variable `{other}'"));
            return Ok(2);
        }
    };
    out(ctx, format!("{v}\n").as_bytes())?;
    Ok(0)
}

/// `locale`: the locale variables as the environment sets them (POSIX when unset).
pub fn locale(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    if argv.iter().any(|a| a == "-a") {
        out(ctx, b"C\nC.utf8\nPOSIX\n")?;
        return Ok(0);
    }
    let lang = ctx.getenv("LANG").unwrap_or("").to_string();
    let all = ctx.getenv("LC_ALL").unwrap_or("").to_string();
    let mut o = format!("LANG={lang}\nLANGUAGE={}\n", ctx.getenv("LANGUAGE").unwrap_or(""));
    for cat in ["LC_CTYPE", "LC_NUMERIC", "LC_TIME", "LC_COLLATE", "LC_MONETARY", "LC_MESSAGES", "LC_PAPER", "LC_NAME", "LC_ADDRESS", "LC_TELEPHONE", "LC_MEASUREMENT", "LC_IDENTIFICATION"] {
        let own = ctx.getenv(cat).unwrap_or("").to_string();
        let v = if !all.is_empty() {
            format!("\"{all}\"")
        } else if !own.is_empty() {
            own
        } else if !lang.is_empty() {
            format!("\"{lang}\"")
        } else {
            "\"POSIX\"".into()
        };
        o.push_str(&format!("{cat}={v}\n"));
    }
    o.push_str(&format!("LC_ALL={all}\n"));
    out(ctx, o.as_bytes())?;
    Ok(0)
}

/// `stdbuf -oL CMD…` and friends: buffering does not exist here; runs CMD.
pub fn stdbuf(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let mut i = 1;
    while i < argv.len() && argv[i].starts_with('-') {
        if matches!(argv[i].as_str(), "-i" | "-o" | "-e") {
            i += 1;
        }
        i += 1;
    }
    if i >= argv.len() {
        return Ok(usage_err(ctx, "stdbuf", "missing operand", 125));
    }
    let env = super::info::dedup_env(&ctx.env);
    match super::common::spawn(ctx, &argv[i..], &env, None) {
        Ok(s) => Ok(s),
        Err(e) => {
            err(ctx, "stdbuf", &format!("failed to run command {}: {}", qa(&argv[i]), e.message()));
            Ok(e.status())
        }
    }
}

/// `users` and `who`: nobody is logged in to a build.
pub fn nobody_logged_in(_ctx: &mut Ctx<'_>, _argv: &[String]) -> Res {
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for s in [&b""[..], b"a", b"ab", b"abc", b"hello\n", &[0xff, 0, 1]] {
            let e = base64_encode(s);
            assert_eq!(base64_decode(&e, false).unwrap(), s);
        }
        assert_eq!(base64_encode(b"hello\n"), b"aGVsbG8K");
        assert!(base64_decode(b"!!", false).is_err());
    }
}
