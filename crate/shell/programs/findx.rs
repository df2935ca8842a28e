//! `find` (GNU findutils) and `xargs`.
//!
//! find: start paths, `-H -L -P`; tests `-name -iname -path -ipath -wholename
//! -regex -iregex -type -empty -newer -mtime -mmin -size -perm -user -group
//! -uid -gid -nouser -nogroup -links -lname -executable -readable -writable
//! -true -false`; actions `-print -print0 -printf -delete -exec/-execdir … ;|+
//! -ok -prune -quit -ls`; operators `! -not -a -and -o -or , ( )`; global
//! options `-maxdepth -mindepth -depth -xdev -mount -noleaf -regextype`. Walks
//! in byte order of names (GNU follows the directory's order, which a real
//! filesystem does not fix).
//!
//! xargs: blanks/quotes/backslashes splitting, `-0 -d -n -L -I -r -t -E -s -x
//! -P -a`, exit statuses 123/124/125/126/127.

use super::common::{err, ferr, out, qa, spawn, tick, usage_err, Res};
use super::glob::fnmatch;
use super::info::dedup_env;
use super::perms::Mode;
use super::regex::{Flags, Regex, Syntax, Wrap};
use super::timefmt::strftime;
use super::users;
use crate::shell::proc::{Ctx, Input};
use crate::vfs::{FileType, Node, Stat};

#[derive(Clone, Copy, Debug)]
enum Cmp {
    Less(i64),
    More(i64),
    Eq(i64),
}

impl Cmp {
    fn parse(s: &str) -> Option<Cmp> {
        let (kind, n) = match s.as_bytes().first()? {
            b'+' => ('+', &s[1..]),
            b'-' => ('-', &s[1..]),
            _ => ('=', s),
        };
        let v: i64 = n.parse().ok()?;
        Some(match kind {
            '+' => Cmp::More(v),
            '-' => Cmp::Less(v),
            _ => Cmp::Eq(v),
        })
    }
    fn test(&self, x: i64) -> bool {
        match *self {
            Cmp::Less(n) => x < n,
            Cmp::More(n) => x > n,
            Cmp::Eq(n) => x == n,
        }
    }
}

#[derive(Debug)]
enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Comma(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    True,
    False,
    Name(String, bool),
    Path(String, bool),
    Lname(String),
    Regex(Box<Regex>),
    Type(Vec<u8>),
    Empty,
    Newer(i64),
    Mtime(Cmp, i64),
    Size(Cmp, u64),
    Perm(u32, u8),
    Uid(Cmp),
    Gid(Cmp),
    NoUser,
    NoGroup,
    Links(Cmp),
    Access(u32),
    Print,
    Print0,
    Printf(String),
    Ls,
    Delete,
    Prune,
    Quit,
    Exec { argv: Vec<String>, batch: Option<usize>, dir: bool, ask: bool },
}

struct Parser<'a> {
    args: &'a [String],
    i: usize,
    depth: usize,
    primaries: usize,
    maxdepth: Option<usize>,
    mindepth: usize,
    depth_first: bool,
    has_action: bool,
    batches: usize,
    now: i64,
    regex_ere: bool,
}

type PResult<T> = Result<T, String>;

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.args.get(self.i).map(String::as_str)
    }

    fn arg(&mut self, pred: &str) -> PResult<String> {
        match self.args.get(self.i) {
            Some(a) => {
                self.i += 1;
                Ok(a.clone())
            }
            None => Err(format!("missing argument to `{pred}'")),
        }
    }

    fn or(&mut self, ctx: &mut Ctx<'_>) -> PResult<Expr> {
        let mut e = self.and(ctx)?;
        loop {
            match self.peek() {
                Some("-o" | "-or") => {
                    self.i += 1;
                    let r = self.and(ctx)?;
                    e = Expr::Or(Box::new(e), Box::new(r));
                }
                Some(",") => {
                    self.i += 1;
                    let r = self.and(ctx)?;
                    e = Expr::Comma(Box::new(e), Box::new(r));
                }
                _ => return Ok(e),
            }
        }
    }

    fn and(&mut self, ctx: &mut Ctx<'_>) -> PResult<Expr> {
        let mut e = self.not(ctx)?;
        loop {
            match self.peek() {
                Some("-a" | "-and") => {
                    self.i += 1;
                    let r = self.not(ctx)?;
                    e = Expr::And(Box::new(e), Box::new(r));
                }
                None | Some("-o" | "-or" | ")" | ",") => return Ok(e),
                Some(_) => {
                    let r = self.not(ctx)?;
                    e = Expr::And(Box::new(e), Box::new(r));
                }
            }
        }
    }

    fn not(&mut self, ctx: &mut Ctx<'_>) -> PResult<Expr> {
        self.depth += 1;
        if self.depth > 500 {
            return Err("expression too deeply nested".into());
        }
        let r = self.not_inner(ctx);
        self.depth -= 1;
        r
    }

    fn not_inner(&mut self, ctx: &mut Ctx<'_>) -> PResult<Expr> {
        match self.peek() {
            Some("!" | "-not") => {
                self.i += 1;
                if self.peek().is_none() {
                    return Err("expected an expression after '!'".into());
                }
                Ok(Expr::Not(Box::new(self.not(ctx)?)))
            }
            _ => self.primary(ctx),
        }
    }

    fn primary(&mut self, ctx: &mut Ctx<'_>) -> PResult<Expr> {
        self.primaries += 1;
        if self.primaries > 2000 {
            return Err("expression too long for the playground (2000 tests and actions at most)".into());
        }
        let Some(tok) = self.peek().map(str::to_string) else {
            return Err("expected an expression".into());
        };
        self.i += 1;
        let t = tok.as_str();
        Ok(match t {
            "(" => {
                if self.peek() == Some(")") {
                    return Err("invalid expression; empty parentheses are not allowed.".into());
                }
                let e = self.or(ctx)?;
                if self.peek() != Some(")") {
                    return Err("invalid expression; I was expecting to find a ')' somewhere but did not see one.".into());
                }
                self.i += 1;
                e
            }
            ")" => return Err("you have too many ')'".into()),
            "-true" => Expr::True,
            "-false" => Expr::False,
            "-name" | "-iname" => Expr::Name(self.arg(t)?, t == "-iname"),
            "-path" | "-ipath" | "-wholename" | "-iwholename" => Expr::Path(self.arg(t)?, t.starts_with("-i")),
            "-lname" | "-ilname" => Expr::Lname(self.arg(t)?),
            "-regex" | "-iregex" => {
                let p = self.arg(t)?;
                let flags = Flags { syntax: if self.regex_ere { Syntax::Extended } else { Syntax::Basic }, icase: t == "-iregex", sed_escapes: false };
                match Regex::wrapped(p.as_bytes(), flags, Wrap::Line) {
                    Ok(r) => Expr::Regex(Box::new(r)),
                    Err(e) => return Err(e.message().to_string()),
                }
            }
            "-regextype" => {
                let v = self.arg(t)?;
                self.regex_ere = matches!(v.as_str(), "posix-extended" | "egrep" | "posix-egrep" | "awk" | "gnu-awk" | "findutils-default" | "emacs")
                    && !matches!(v.as_str(), "posix-basic" | "grep" | "ed" | "sed");
                Expr::True
            }
            "-type" | "-xtype" => {
                let v = self.arg(t)?;
                let mut kinds = Vec::new();
                for part in v.split(',') {
                    if part.len() != 1 || !"fdlbcpsD".contains(part) {
                        return Err(format!("Unknown argument to {t}: {part}"));
                    }
                    kinds.push(part.as_bytes()[0]);
                }
                Expr::Type(kinds)
            }
            "-empty" => Expr::Empty,
            "-newer" | "-anewer" | "-cnewer" => {
                let f = self.arg(t)?;
                match ctx.fs.stat(&ctx.abs(&f)) {
                    Ok(st) => Expr::Newer(st.meta.mtime),
                    Err(e) => return Err(format!("'{f}': {}", ferr(&e))),
                }
            }
            "-mtime" | "-atime" | "-ctime" | "-mmin" | "-amin" | "-cmin" => {
                let v = self.arg(t)?;
                let c = Cmp::parse(&v).ok_or_else(|| format!("invalid argument `{v}' to `{t}'"))?;
                Expr::Mtime(c, if t.ends_with("min") { 60 } else { 86_400 })
            }
            "-size" => {
                let v = self.arg(t)?;
                let (num, unit) = match v.chars().last() {
                    Some(c) if c.is_ascii_alphabetic() => (&v[..v.len() - 1], c),
                    _ => (v.as_str(), 'b'),
                };
                let mult: u64 = match unit {
                    'c' => 1,
                    'w' => 2,
                    'b' => 512,
                    'k' => 1024,
                    'M' => 1 << 20,
                    'G' => 1 << 30,
                    _ => return Err(format!("invalid -size type `{unit}'")),
                };
                let c = Cmp::parse(num).ok_or_else(|| format!("invalid argument `{v}' to `-size'"))?;
                Expr::Size(c, mult)
            }
            "-perm" => {
                let v = self.arg(t)?;
                let (kind, m) = match v.as_bytes().first() {
                    Some(b'-') => (b'-', &v[1..]),
                    Some(b'/') => (b'/', &v[1..]),
                    _ => (b'=', v.as_str()),
                };
                let mode = Mode::parse(m).ok_or_else(|| format!("invalid mode `{v}'"))?;
                Expr::Perm(mode.apply(0, false, 0).0, kind)
            }
            "-user" | "-group" => {
                let v = self.arg(t)?;
                let id = if t == "-user" { users::resolve_uid(ctx.fs, &v) } else { users::resolve_gid(ctx.fs, &v) };
                match id {
                    Some(n) if t == "-user" => Expr::Uid(Cmp::Eq(n as i64)),
                    Some(n) => Expr::Gid(Cmp::Eq(n as i64)),
                    None => return Err(format!("'{v}' is not the name of a known {}", if t == "-user" { "user" } else { "group" })),
                }
            }
            "-uid" | "-gid" | "-links" => {
                let v = self.arg(t)?;
                let c = Cmp::parse(&v).ok_or_else(|| format!("invalid argument `{v}' to `{t}'"))?;
                match t {
                    "-uid" => Expr::Uid(c),
                    "-gid" => Expr::Gid(c),
                    _ => Expr::Links(c),
                }
            }
            "-nouser" => Expr::NoUser,
            "-nogroup" => Expr::NoGroup,
            "-executable" => Expr::Access(1),
            "-readable" => Expr::Access(4),
            "-writable" => Expr::Access(2),
            "-print" => {
                self.has_action = true;
                Expr::Print
            }
            "-print0" => {
                self.has_action = true;
                Expr::Print0
            }
            "-printf" => {
                self.has_action = true;
                Expr::Printf(self.arg(t)?)
            }
            "-ls" => {
                self.has_action = true;
                Expr::Ls
            }
            "-fprint" | "-fprint0" | "-fprintf" | "-fls" => return Err(format!("{t} is not supported in the playground")),
            "-delete" => {
                self.has_action = true;
                self.depth_first = true;
                Expr::Delete
            }
            "-prune" => Expr::Prune,
            "-quit" => Expr::Quit,
            "-exec" | "-execdir" | "-ok" | "-okdir" => {
                self.has_action = true;
                let mut argv = Vec::new();
                let mut batch = None;
                loop {
                    let Some(a) = self.peek().map(str::to_string) else {
                        return Err(format!("missing argument to `{t}'"));
                    };
                    self.i += 1;
                    if a == ";" {
                        break;
                    }
                    if a == "+" && argv.last().map(|l: &String| l == "{}").unwrap_or(false) && !t.starts_with("-ok") {
                        argv.pop();
                        batch = Some(self.batches);
                        self.batches += 1;
                        break;
                    }
                    argv.push(a);
                }
                if argv.is_empty() {
                    return Err(format!("missing argument to `{t}'"));
                }
                Expr::Exec { argv, batch, dir: t.ends_with("dir"), ask: t.starts_with("-ok") }
            }
            "-maxdepth" | "-mindepth" => {
                let v = self.arg(t)?;
                let n: usize = v.parse().map_err(|_| format!("Expected a positive decimal integer argument to {t}, but got `{v}'"))?;
                if t == "-maxdepth" {
                    self.maxdepth = Some(n);
                } else {
                    self.mindepth = n;
                }
                Expr::True
            }
            "-depth" | "-d" => {
                self.depth_first = true;
                Expr::True
            }
            "-xdev" | "-mount" | "-noleaf" | "-ignore_readdir_race" | "-noignore_readdir_race" | "-daystart" | "-follow" | "-nowarn" | "-warn" => Expr::True,
            other if other.starts_with('-') && other.len() > 1 => return Err(format!("unknown predicate `{other}'")),
            other => {
                return Err(format!("paths must precede expression: `{other}'"));
            }
        })
    }
}

fn uses(e: &Expr, f: &dyn Fn(&Expr) -> bool) -> bool {
    if f(e) {
        return true;
    }
    match e {
        Expr::And(a, b) | Expr::Or(a, b) | Expr::Comma(a, b) => uses(a, f) || uses(b, f),
        Expr::Not(a) => uses(a, f),
        _ => false,
    }
}

struct Visit<'p> {
    path: &'p str,
    shown: &'p str,
    st: Stat,
    depth: usize,
    start: &'p str,
}

struct State {
    prune: bool,
    quit: bool,
    status: i32,
    batches: Vec<Vec<String>>,
    out: Vec<u8>,
}

fn eval(ctx: &mut Ctx<'_>, e: &Expr, v: &Visit<'_>, s: &mut State) -> Res<bool> {
    Ok(match e {
        Expr::And(a, b) => eval(ctx, a, v, s)? && !s.quit && eval(ctx, b, v, s)?,
        Expr::Or(a, b) => eval(ctx, a, v, s)? || (!s.quit && eval(ctx, b, v, s)?),
        Expr::Comma(a, b) => {
            eval(ctx, a, v, s)?;
            !s.quit && eval(ctx, b, v, s)?
        }
        Expr::Not(a) => !eval(ctx, a, v, s)?,
        Expr::True => true,
        Expr::False => false,
        Expr::Name(p, icase) => {
            let t = v.shown.trim_end_matches('/');
            let base = if t.is_empty() { "/" } else { t.rsplit('/').next().unwrap_or(t) };
            fnmatch(p.as_bytes(), base.as_bytes(), false, *icase)
        }
        Expr::Path(p, icase) => fnmatch(p.as_bytes(), v.shown.as_bytes(), false, *icase),
        Expr::Lname(p) => match ctx.fs.read_link(v.path) {
            Ok(t) => fnmatch(p.as_bytes(), t.as_bytes(), false, false),
            Err(_) => false,
        },
        Expr::Regex(r) => r.is_match(v.shown.as_bytes(), ctx.budget)?,
        Expr::Type(kinds) => {
            let c = match v.st.file_type {
                FileType::File => b'f',
                FileType::Dir => b'd',
                FileType::Symlink => b'l',
            };
            kinds.contains(&c)
        }
        Expr::Empty => match v.st.file_type {
            FileType::File => v.st.size == 0,
            FileType::Dir => ctx.fs.read_dir(v.path).map(|e| e.is_empty()).unwrap_or(false),
            FileType::Symlink => false,
        },
        Expr::Newer(t) => v.st.meta.mtime > *t,
        Expr::Mtime(c, unit) => {
            let age = ctx.clock.now - v.st.meta.mtime;
            c.test(age.div_euclid(*unit))
        }
        Expr::Size(c, mult) => {
            let units = v.st.size.div_ceil(*mult) as i64;
            c.test(units)
        }
        Expr::Perm(m, kind) => {
            let mode = v.st.meta.mode & 0o7777;
            match kind {
                b'-' => mode & m == *m,
                b'/' => *m == 0 || mode & m != 0,
                _ => mode == *m,
            }
        }
        Expr::Uid(c) => c.test(v.st.meta.uid as i64),
        Expr::Gid(c) => c.test(v.st.meta.gid as i64),
        Expr::NoUser => users::user_by_uid(ctx.fs, v.st.meta.uid).is_none(),
        Expr::NoGroup => users::group_by_gid(ctx.fs, v.st.meta.gid).is_none(),
        Expr::Links(c) => {
            let n = if v.st.is_dir() {
                2 + ctx.fs.read_dir(v.path).map(|es| es.iter().filter(|(_, n)| matches!(n, Node::Dir(_))).count()).unwrap_or(0)
            } else {
                1
            };
            c.test(n as i64)
        }
        Expr::Access(bit) => {
            let st = ctx.fs.stat(v.path).unwrap_or(v.st);
            if ctx.uid == 0 {
                *bit != 1 || st.meta.mode & 0o111 != 0 || st.is_dir()
            } else if st.meta.uid == ctx.uid {
                st.meta.mode & (bit << 6) != 0
            } else if st.meta.gid == ctx.gid {
                st.meta.mode & (bit << 3) != 0
            } else {
                st.meta.mode & bit != 0
            }
        }
        Expr::Print => {
            s.out.extend_from_slice(v.shown.as_bytes());
            s.out.push(b'\n');
            true
        }
        Expr::Print0 => {
            s.out.extend_from_slice(v.shown.as_bytes());
            s.out.push(0);
            true
        }
        Expr::Printf(f) => {
            let text = printf(ctx, f, v);
            s.out.extend_from_slice(&text);
            true
        }
        Expr::Ls => {
            let m = v.st.meta;
            let line = format!(
                "{:>9} {:>6} {} {:>3} {:<8} {:<8} {:>8} {} {}\n",
                inode(v.path),
                v.st.size.div_ceil(1024) * if v.st.is_dir() { 4 } else { 1 },
                super::perms::mode_string(v.st.file_type, m.mode),
                1,
                users::uname_or_id(ctx.fs, m.uid),
                users::gname_or_id(ctx.fs, m.gid),
                v.st.size,
                strftime("%b %e %H:%M", m.mtime),
                v.shown
            );
            s.out.extend_from_slice(line.as_bytes());
            true
        }
        Expr::Delete => {
            let r = if v.st.is_dir() { ctx.fs.remove_dir(v.path) } else { ctx.fs.remove_file(v.path) };
            match r {
                Ok(()) => true,
                Err(e) => {
                    flush(ctx, s)?;
                    err(ctx, "find", &format!("cannot delete {}: {}", qa(v.shown), ferr(&e)));
                    s.status = 1;
                    false
                }
            }
        }
        Expr::Prune => {
            s.prune = true;
            true
        }
        Expr::Quit => {
            s.quit = true;
            true
        }
        Expr::Exec { argv, batch, dir, ask } => {
            let (shown, cwd) = if *dir {
                let base = v.shown.trim_end_matches('/').rsplit('/').next().unwrap_or(v.shown);
                (format!("./{base}"), Some(crate::vfs::path::parent(&crate::vfs::path::normalize(v.path)).to_string()))
            } else {
                (v.shown.to_string(), None)
            };
            if let Some(b) = batch {
                s.batches[*b].push(shown);
                if s.batches[*b].len() >= 4096 {
                    run_batch(ctx, argv, s, *b)?;
                }
                return Ok(true);
            }
            let cmd: Vec<String> = argv.iter().map(|a| a.replace("{}", &shown)).collect();
            if *ask {
                flush(ctx, s)?;
                ctx.err(&format!("< {} ... {} > ? ", cmd[0], shown));
                let yes = matches!(ctx.stdin.read_line(), Some((l, _)) if matches!(l.first(), Some(b'y' | b'Y')));
                if !yes {
                    return Ok(false);
                }
            }
            flush(ctx, s)?;
            let saved = ctx.cwd.clone();
            if let Some(c) = cwd {
                ctx.cwd = c;
            }
            let r = run_cmd(ctx, &cmd);
            ctx.cwd = saved;
            r? == 0
        }
    })
}

fn inode(path: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in path.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    1_000_000 + h % 9_000_000
}

/// Runs a command for -exec: GNU's message when it cannot be found.
fn run_cmd(ctx: &mut Ctx<'_>, cmd: &[String]) -> Res<i32> {
    let env = dedup_env(&ctx.env);
    match spawn(ctx, cmd, &env, None) {
        Ok(status) => {
            if ctx.budget.exhausted {
                return Err(super::common::Halt::Budget);
            }
            Ok(status)
        }
        Err(e) => {
            err(ctx, "find", &format!("{}: {}", qa(&cmd[0]), e.message()));
            Ok(e.status())
        }
    }
}

fn run_batch(ctx: &mut Ctx<'_>, argv: &[String], s: &mut State, b: usize) -> Res<()> {
    let files = std::mem::take(&mut s.batches[b]);
    if files.is_empty() {
        return Ok(());
    }
    flush(ctx, s)?;
    let mut cmd = argv.to_vec();
    cmd.extend(files);
    if run_cmd(ctx, &cmd)? != 0 {
        s.status = 1;
    }
    Ok(())
}

fn flush(ctx: &mut Ctx<'_>, s: &mut State) -> Res<()> {
    if !s.out.is_empty() {
        out(ctx, &s.out)?;
        s.out.clear();
    }
    Ok(())
}

fn printf(ctx: &Ctx<'_>, f: &str, v: &Visit<'_>) -> Vec<u8> {
    let mut o = Vec::new();
    let b = f.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        i += 1;
        if c == b'\\' && i < b.len() {
            let e = b[i];
            i += 1;
            match e {
                b'n' => o.push(b'\n'),
                b't' => o.push(b'\t'),
                b'0' => o.push(0),
                b'\\' => o.push(b'\\'),
                b'a' => o.push(7),
                b'r' => o.push(b'\r'),
                b'c' => return o,
                other => {
                    o.push(b'\\');
                    o.push(other);
                }
            }
            continue;
        }
        if c != b'%' || i >= b.len() {
            o.push(c);
            continue;
        }
        let mut spec = String::new();
        while i < b.len() && (b[i] == b'-' || b[i].is_ascii_digit() || b[i] == b'.') {
            spec.push(b[i] as char);
            i += 1;
        }
        let Some(&k) = b.get(i) else { break };
        i += 1;
        let m = v.st.meta;
        let t = v.shown.trim_end_matches('/');
        let val: String = match k {
            b'%' => "%".into(),
            b'p' => v.shown.into(),
            b'P' => {
                let rest = &v.shown[v.start.len().min(v.shown.len())..];
                rest.trim_start_matches('/').into()
            }
            b'f' => {
                if t.is_empty() {
                    "/".into()
                } else {
                    t.rsplit('/').next().unwrap_or(t).into()
                }
            }
            b'h' => match t.rfind('/') {
                Some(0) => "/".into(),
                Some(k) => t[..k].into(),
                None => ".".into(),
            },
            b'H' => v.start.into(),
            b'd' => v.depth.to_string(),
            b's' => v.st.size.to_string(),
            b'k' => (v.st.size.div_ceil(4096) * 4).to_string(),
            b'b' => (v.st.size.div_ceil(4096) * 8).to_string(),
            b'm' => format!("{:o}", m.mode),
            b'M' => super::perms::mode_string(v.st.file_type, m.mode),
            b'u' => users::uname_or_id(ctx.fs, m.uid),
            b'U' => m.uid.to_string(),
            b'g' => users::gname_or_id(ctx.fs, m.gid),
            b'G' => m.gid.to_string(),
            b'n' => "1".into(),
            b'i' => inode(v.path).to_string(),
            b'y' | b'Y' => match v.st.file_type {
                FileType::File => "f",
                FileType::Dir => "d",
                FileType::Symlink => "l",
            }
            .into(),
            b'l' => ctx.fs.read_link(v.path).unwrap_or_default(),
            b't' | b'a' | b'c' => strftime("%a %b %e %H:%M:%S.0000000000 %Y", m.mtime),
            b'T' | b'A' | b'C' => {
                let Some(&f) = b.get(i) else { break };
                i += 1;
                if f == b'@' {
                    format!("{}.0000000000", m.mtime)
                } else {
                    strftime(&format!("%{}", f as char), m.mtime)
                }
            }
            other => format!("%{}", other as char),
        };
        if spec.is_empty() {
            o.extend_from_slice(val.as_bytes());
        } else {
            let left = spec.starts_with('-');
            let w: usize = spec.trim_start_matches('-').split('.').next().unwrap_or("").parse().unwrap_or(0);
            let s = if left { format!("{val:<w$}") } else { format!("{val:>w$}") };
            o.extend_from_slice(s.as_bytes());
        }
    }
    o
}

pub fn find(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "find";
    let mut i = 1;
    let mut follow = false;
    let mut follow_top = false;
    while i < argv.len() {
        match argv[i].as_str() {
            "-H" => follow_top = true,
            "-L" => follow = true,
            "-P" => {
                follow = false;
                follow_top = false;
            }
            "--" => {
                i += 1;
                break;
            }
            _ => break,
        }
        i += 1;
    }
    let mut starts = Vec::new();
    while i < argv.len() {
        let a = &argv[i];
        if (a.starts_with('-') && a.len() > 1) || a == "(" || a == "!" || a == ")" || a == "," {
            break;
        }
        starts.push(a.clone());
        i += 1;
    }
    if starts.is_empty() {
        starts.push(".".into());
    }
    let mut p = Parser { args: &argv[i..], i: 0, depth: 0, primaries: 0, maxdepth: None, mindepth: 0, depth_first: false, has_action: false, batches: 0, now: ctx.clock.now, regex_ere: false };
    let _ = p.now;
    let expr = if p.args.is_empty() {
        Ok(Expr::True)
    } else {
        match p.or(ctx) {
            Ok(_) if p.i < p.args.len() => {
                if p.args[p.i] == ")" {
                    Err("you have too many ')'".to_string())
                } else {
                    Err(format!("paths must precede expression: `{}'", p.args[p.i]))
                }
            }
            r => r,
        }
    };
    let expr = match expr {
        Ok(e) => e,
        Err(m) => {
            err(ctx, prog, &m);
            return Ok(1);
        }
    };
    let expr = if p.has_action { expr } else { Expr::And(Box::new(expr), Box::new(Expr::Print)) };
    let has_prune = uses(&expr, &|e| matches!(e, Expr::Prune));
    let mut s = State { prune: false, quit: false, status: 0, batches: vec![Vec::new(); p.batches], out: Vec::new() };
    for start in &starts {
        let abs = ctx.abs(start);
        let st = if follow || follow_top { ctx.fs.stat(&abs).or_else(|_| ctx.fs.lstat(&abs)) } else { ctx.fs.lstat(&abs) };
        let st = match st {
            Ok(x) => x,
            Err(e) => {
                flush(ctx, &mut s)?;
                err(ctx, prog, &format!("{}: {}", qa(start), ferr(&e)));
                s.status = 1;
                continue;
            }
        };
        walk(ctx, &expr, &p, start, &abs, start, st, 0, follow, has_prune, &mut s)?;
        if s.quit {
            break;
        }
    }
    for b in 0..s.batches.len() {
        if let Some(argv) = batch_argv(&expr, b) {
            run_batch(ctx, &argv, &mut s, b)?;
        }
    }
    flush(ctx, &mut s)?;
    Ok(s.status)
}

fn batch_argv(e: &Expr, b: usize) -> Option<Vec<String>> {
    match e {
        Expr::Exec { argv, batch: Some(x), .. } if *x == b => Some(argv.clone()),
        Expr::And(x, y) | Expr::Or(x, y) | Expr::Comma(x, y) => batch_argv(x, b).or_else(|| batch_argv(y, b)),
        Expr::Not(x) => batch_argv(x, b),
        _ => None,
    }
}

#[allow(clippy::too_many_arguments)]
fn walk(ctx: &mut Ctx<'_>, expr: &Expr, p: &Parser<'_>, start: &str, path: &str, shown: &str, st: Stat, depth: usize, follow: bool, has_prune: bool, s: &mut State) -> Res<()> {
    tick(ctx, 1)?;
    if s.quit {
        return Ok(());
    }
    let descend = st.is_dir() && p.maxdepth.map(|m| depth < m).unwrap_or(true);
    let visit = Visit { path, shown, st, depth, start };
    if !p.depth_first && depth >= p.mindepth {
        s.prune = false;
        eval(ctx, expr, &visit, s)?;
        if has_prune && s.prune {
            return Ok(());
        }
    }
    if descend && !s.quit {
        let children = ctx.fs.read_dir(path).unwrap_or_default();
        for (name, node) in children {
            let cpath = super::fileops::compose(path, &name);
            let cshown = super::fileops::compose(shown, &name);
            let cst = if follow { ctx.fs.stat(&cpath).unwrap_or_else(|_| node.stat()) } else { node.stat() };
            walk(ctx, expr, p, start, &cpath, &cshown, cst, depth + 1, follow, has_prune, s)?;
            if s.quit {
                break;
            }
        }
        if s.out.len() > 65536 {
            flush(ctx, s)?;
        }
    }
    if p.depth_first && depth >= p.mindepth && !s.quit {
        let st = if follow { ctx.fs.stat(path) } else { ctx.fs.lstat(path) };
        if let Ok(st) = st {
            let visit = Visit { path, shown, st, depth, start };
            eval(ctx, expr, &visit, s)?;
        }
    }
    Ok(())
}

// ----- xargs ---------------------------------------------------------------------

/// Splits xargs input the default way: blanks separate, quotes and backslash
/// group; `eof` ends the input.
fn split_default(data: &[u8], eof: Option<&str>) -> Result<Vec<(String, usize)>, String> {
    let mut items = Vec::new();
    let mut cur = Vec::new();
    let mut have = false;
    let mut i = 0;
    let mut line = 0usize;
    while i < data.len() {
        let c = data[i];
        i += 1;
        match c {
            b' ' | b'\t' | b'\n' => {
                if have {
                    let s = String::from_utf8_lossy(&cur).into_owned();
                    if eof.map(|e| e == s).unwrap_or(false) {
                        return Ok(items);
                    }
                    items.push((s, line));
                    cur.clear();
                    have = false;
                }
                if c == b'\n' {
                    line += 1;
                }
            }
            b'\'' | b'"' => {
                have = true;
                loop {
                    let Some(&d) = data.get(i) else {
                        let q = if c == b'\'' { "single" } else { "double" };
                        return Err(format!("unmatched {q} quote; by default quotes are special to xargs unless you use the -0 option"));
                    };
                    i += 1;
                    if d == c {
                        break;
                    }
                    if d == b'\n' {
                        let q = if c == b'\'' { "single" } else { "double" };
                        return Err(format!("unmatched {q} quote; by default quotes are special to xargs unless you use the -0 option"));
                    }
                    cur.push(d);
                }
            }
            b'\\' => {
                have = true;
                if let Some(&d) = data.get(i) {
                    cur.push(d);
                    i += 1;
                }
            }
            _ => {
                have = true;
                cur.push(c);
            }
        }
    }
    if have {
        let s = String::from_utf8_lossy(&cur).into_owned();
        if !eof.map(|e| e == s).unwrap_or(false) {
            items.push((s, line));
        }
    }
    Ok(items)
}

pub fn xargs(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "xargs";
    let mut i = 1;
    let mut zero = false;
    let mut delim: Option<u8> = None;
    let mut max_args: Option<usize> = None;
    let mut max_lines: Option<usize> = None;
    let mut replace: Option<String> = None;
    let mut no_empty = false;
    let mut trace = false;
    let mut eof: Option<String> = None;
    let mut max_chars: Option<usize> = None;
    let mut exit_on_size = false;
    let mut arg_file: Option<String> = None;
    // options end at the first operand (the command)
    while i < argv.len() {
        let a = argv[i].clone();
        if !a.starts_with('-') || a == "-" {
            break;
        }
        i += 1;
        if a == "--" {
            break;
        }
        let (flag, attached) = if a.starts_with("--") {
            match a.split_once('=') {
                Some((f, v)) => (f.to_string(), Some(v.to_string())),
                None => (a.clone(), None),
            }
        } else {
            let f = a[..2].to_string();
            let rest = &a[2..];
            (f, if rest.is_empty() { None } else { Some(rest.to_string()) })
        };
        let takes = matches!(flag.as_str(), "-n" | "-L" | "-I" | "-d" | "-s" | "-E" | "-P" | "-a" | "--max-args" | "--max-lines" | "--delimiter" | "--max-chars" | "--eof" | "--max-procs" | "--arg-file" | "--replace" | "-i" | "-l" | "-e");
        let optional = matches!(flag.as_str(), "-i" | "-l" | "-e" | "--replace");
        let val = if takes {
            match attached {
                Some(v) => Some(v),
                None if optional => None,
                None => {
                    if i < argv.len() {
                        i += 1;
                        Some(argv[i - 1].clone())
                    } else {
                        return Ok(usage_err(ctx, prog, &format!("option requires an argument -- '{}'", &flag[1..]), 1));
                    }
                }
            }
        } else {
            if let (Some(rest), false) = (&attached, flag.starts_with("--")) {
                // bundled flags like -0r
                let mut v = vec![flag.clone()];
                v.extend(rest.chars().map(|c| format!("-{c}")));
                for f in v {
                    match f.as_str() {
                        "-0" => zero = true,
                        "-r" => no_empty = true,
                        "-t" => trace = true,
                        "-x" => exit_on_size = true,
                        "-p" => {}
                        other => return Ok(usage_err(ctx, prog, &format!("invalid option -- '{}'", &other[1..]), 1)),
                    }
                }
                continue;
            }
            None
        };
        let num = |ctx: &mut Ctx<'_>, v: &Option<String>, opt: &str| -> Result<usize, i32> {
            match v.as_deref().unwrap_or("1").parse::<usize>() {
                Ok(0) => {
                    err(ctx, prog, &format!("value 0 for -{opt} option should be >= 1"));
                    Err(usage_err(ctx, prog, "", 1))
                }
                Ok(n) => Ok(n),
                Err(_) => {
                    err(ctx, prog, &format!("invalid number \"{}\" for -{opt} option", v.as_deref().unwrap_or("")));
                    Err(usage_err(ctx, prog, "", 1))
                }
            }
        };
        match flag.as_str() {
            "-0" | "--null" => zero = true,
            "-r" | "--no-run-if-empty" => no_empty = true,
            "-t" | "--verbose" => trace = true,
            "-x" | "--exit" => exit_on_size = true,
            "-p" | "--interactive" | "--open-tty" | "-o" => {}
            "-n" | "--max-args" => match num(ctx, &val, "n") {
                Ok(n) => max_args = Some(n),
                Err(s) => return Ok(s),
            },
            "-L" | "--max-lines" | "-l" => match num(ctx, &val, "L") {
                Ok(n) => max_lines = Some(n),
                Err(s) => return Ok(s),
            },
            "-I" | "-i" | "--replace" => replace = Some(val.unwrap_or_else(|| "{}".into())),
            "-d" | "--delimiter" => {
                let v = val.unwrap_or_default();
                let b = match v.as_str() {
                    "\\n" => b'\n',
                    "\\t" => b'\t',
                    "\\0" => 0,
                    s if s.len() == 1 => s.as_bytes()[0],
                    _ => {
                        err(ctx, prog, &format!("invalid input delimiter specification {v}: the delimiter must be either a single character or an escape sequence starting with \\."));
                        return Ok(1);
                    }
                };
                delim = Some(b);
            }
            "-s" | "--max-chars" => max_chars = val.and_then(|v| v.parse().ok()),
            "-E" | "-e" | "--eof" => eof = val.filter(|v| !v.is_empty()),
            "-P" | "--max-procs" => {}
            "-a" | "--arg-file" => arg_file = val,
            other => {
                let m = if other.starts_with("--") { format!("unrecognized option '{other}'") } else { format!("invalid option -- '{}'", &other[1..]) };
                return Ok(usage_err(ctx, prog, &m, 1));
            }
        }
    }
    let cmd: Vec<String> = if i < argv.len() { argv[i..].to_vec() } else { vec!["echo".into()] };
    let data = match &arg_file {
        Some(f) => match ctx.fs.read(&ctx.abs(f)) {
            Ok(d) => d.as_ref().clone(),
            Err(e) => {
                err(ctx, prog, &format!("{f}: {}", ferr(&e)));
                return Ok(1);
            }
        },
        None => ctx.stdin.read_all().to_vec(),
    };
    super::common::tick_bytes(ctx, data.len())?;
    // items with the input line they end on (for -L)
    let items: Vec<(String, usize)> = if zero || delim.is_some() {
        let d = if zero { 0 } else { delim.unwrap_or(b'\n') };
        let mut v: Vec<(String, usize)> = data.split(|&b| b == d).enumerate().map(|(k, s)| (String::from_utf8_lossy(s).into_owned(), k)).collect();
        if data.last() == Some(&d) || data.is_empty() {
            v.pop();
        }
        v
    } else if replace.is_some() {
        // -I: one item per line, leading blanks removed
        let mut v = Vec::new();
        for (k, l) in data.split(|&b| b == b'\n').enumerate() {
            let s = String::from_utf8_lossy(l);
            let s = s.trim_start_matches([' ', '\t']).to_string();
            if s.is_empty() {
                continue;
            }
            if eof.as_deref() == Some(s.as_str()) {
                break;
            }
            v.push((s, k));
        }
        v
    } else {
        match split_default(&data, eof.as_deref()) {
            Ok(v) => v,
            Err(m) => {
                err(ctx, prog, &m);
                return Ok(1);
            }
        }
    };
    let env = dedup_env(&ctx.env);
    let mut status = 0;
    let mut groups: Vec<Vec<String>> = Vec::new();
    if let Some(r) = &replace {
        for (it, _) in &items {
            groups.push(cmd.iter().map(|a| a.replace(r.as_str(), it)).collect());
        }
    } else {
        let per = max_args.unwrap_or(usize::MAX);
        let mut cur: Vec<String> = Vec::new();
        let mut lines_in = 0;
        let mut last_line = None;
        for (it, line) in &items {
            if max_lines.is_some() && last_line != Some(*line) {
                if lines_in == max_lines.unwrap_or(1) {
                    groups.push(std::mem::take(&mut cur));
                    lines_in = 0;
                }
                lines_in += 1;
                last_line = Some(*line);
            }
            cur.push(it.clone());
            if cur.len() >= per {
                groups.push(std::mem::take(&mut cur));
                lines_in = 0;
                last_line = None;
            }
        }
        if !cur.is_empty() {
            groups.push(cur);
        }
        groups = groups
            .into_iter()
            .map(|g| {
                let mut c = cmd.clone();
                c.extend(g);
                c
            })
            .collect();
        if groups.is_empty() && !no_empty {
            groups.push(cmd.clone());
        }
    }
    for g in groups {
        tick(ctx, 1)?;
        if let Some(limit) = max_chars {
            let len: usize = g.iter().map(|a| a.len() + 1).sum();
            if len > limit {
                err(ctx, prog, "argument line too long");
                return Ok(1);
            }
        }
        let _ = exit_on_size;
        if trace {
            ctx.err(&format!("{}\n", g.join(" ")));
        }
        let mut empty = Input::empty();
        let st = match spawn(ctx, &g, &env, Some(&mut empty)) {
            Ok(s) => s,
            Err(e) => {
                err(ctx, prog, &format!("{}: {}", g[0], e.message()));
                return Ok(e.status());
            }
        };
        if ctx.budget.exhausted {
            return Err(super::common::Halt::Budget);
        }
        match st {
            0 => {}
            255 => {
                err(ctx, prog, &format!("{}: exited with status 255; aborting", g[0]));
                return Ok(124);
            }
            126 | 127 => return Ok(st),
            s if s > 128 => {
                err(ctx, prog, &format!("{}: terminated by signal {}", g[0], s - 128));
                return Ok(125);
            }
            _ => status = 123,
        }
    }
    Ok(status)
}
