//! Programs that report on the process and files or start another command:
//! `date` (virtual clock, UTC; `+FORMAT -d -u -R -I -r`; setting the clock is
//! refused as in an unprivileged container), `env` (`-i -u -0 -C`, `NAME=VALUE…
//! CMD`), `which` (`-a`), `readlink` (`-f -e -m -n`), `realpath` (`-e -m -s
//! --relative-to`), `stat` (default layout, `-c`/`--printf`, `-L`, `-t`), and the
//! wrappers `nice`, `nohup`, `timeout` (which run the command; nothing here
//! waits or times out, the budget bounds every run).

use super::common::{err, ferr, getopt, out, qa, spawn, tick, usage_err, Arg, Res, Spec};
use super::perms::perm_string;
use super::timefmt::{parse_date, strftime};
use super::users;
use crate::shell::proc::Ctx;
use crate::vfs::{path as vpath, FileType, Stat};

const DATE: Spec = Spec {
    short: "d:f:I::r:Rs:u",
    long: &[
        ("date", Arg::Required, 'd'),
        ("file", Arg::Required, 'f'),
        ("iso-8601", Arg::Optional, 'I'),
        ("reference", Arg::Required, 'r'),
        ("rfc-email", Arg::No, 'R'),
        ("rfc-2822", Arg::No, 'R'),
        ("rfc-3339", Arg::Required, 'T'),
        ("set", Arg::Required, 's'),
        ("utc", Arg::No, 'u'),
        ("universal", Arg::No, 'u'),
    ],
    permute: true,
    status: 1,
    usage: "[OPTION]... [+FORMAT]",
};

pub fn date(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "date";
    // -I takes an optional attached argument only
    let argv: Vec<String> = argv.iter().map(|a| if a == "-I" { "--iso-8601".to_string() } else { a.clone() }).collect();
    let argv: Vec<String> = argv
        .iter()
        .map(|a| match a.strip_prefix("-I") {
            Some(rest) if !rest.is_empty() && !a.starts_with("--") => format!("--iso-8601={rest}"),
            _ => a.clone(),
        })
        .collect();
    let p = match getopt(ctx, prog, &argv, &DATE) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    if p.has('s') {
        err(ctx, prog, "cannot set date: Operation not permitted");
        let t = p.val('s').and_then(|s| parse_date(s, ctx.clock.now));
        if let Some(t) = t {
            out(ctx, format!("{}\n", strftime("%a %b %e %H:%M:%S %Z %Y", t)).as_bytes())?;
        }
        return Ok(1);
    }
    let mut t = ctx.clock.now;
    let mut explicit = false;
    if let Some(d) = p.val('d') {
        explicit = true;
        match parse_date(d, ctx.clock.now) {
            Some(x) => t = x,
            None => {
                err(ctx, prog, &format!("invalid date {}", qa(d)));
                return Ok(1);
            }
        }
    }
    if let Some(r) = p.val('r') {
        explicit = true;
        match ctx.fs.stat(&ctx.abs(r)) {
            Ok(st) => t = st.meta.mtime,
            Err(e) => {
                err(ctx, prog, &format!("{r}: {}", ferr(&e)));
                return Ok(1);
            }
        }
    }
    let mut fmt = "%a %b %e %H:%M:%S %Z %Y".to_string();
    if p.has('R') {
        fmt = "%a, %d %b %Y %H:%M:%S %z".into();
    }
    if p.has('I') {
        fmt = match p.val('I').unwrap_or("date") {
            "h" | "hours" => "%Y-%m-%dT%H%:z",
            "m" | "minutes" => "%Y-%m-%dT%H:%M%:z",
            "s" | "seconds" => "%Y-%m-%dT%H:%M:%S%:z",
            "ns" => "%Y-%m-%dT%H:%M:%S,%N%:z",
            _ => "%Y-%m-%d",
        }
        .into();
    }
    if let Some(k) = p.val('T') {
        fmt = match k {
            "date" => "%Y-%m-%d",
            "ns" => "%Y-%m-%d %H:%M:%S.%N%:z",
            _ => "%Y-%m-%d %H:%M:%S%:z",
        }
        .into();
    }
    for a in &p.args {
        if let Some(f) = a.strip_prefix('+') {
            fmt = f.to_string();
        } else if explicit {
            err(ctx, prog, &format!("the argument {} lacks a leading '+';", qa(a)));
            ctx.err("when using an option to specify date(s), any non-option\nargument must be a format string beginning with '+'\n");
            return Ok(usage_err(ctx, prog, "", 1));
        } else {
            err(ctx, prog, &format!("invalid date {}", qa(a)));
            return Ok(1);
        }
    }
    if p.args.len() > 1 {
        return Ok(usage_err(ctx, prog, &format!("extra operand {}", qa(&p.args[1])), 1));
    }
    out(ctx, format!("{}\n", strftime(&fmt, t)).as_bytes())?;
    Ok(0)
}

/// Looks `name` up as `execvp` would in the vfs: a path with a slash as given,
/// else the first executable regular file in `$PATH`.
pub fn find_in_path(ctx: &Ctx<'_>, name: &str, all: bool) -> Vec<String> {
    let executable = |ctx: &Ctx<'_>, p: &str| match ctx.fs.stat(p) {
        Ok(st) => st.is_file() && st.meta.mode & 0o111 != 0,
        Err(_) => false,
    };
    if name.contains('/') {
        let abs = ctx.abs(name);
        return if executable(ctx, &abs) { vec![name.to_string()] } else { Vec::new() };
    }
    let path = ctx.getenv("PATH").unwrap_or("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").to_string();
    let mut found = Vec::new();
    for dir in path.split(':') {
        let dir = if dir.is_empty() { "." } else { dir };
        let cand = super::fileops::compose(dir, name);
        if executable(ctx, &ctx.abs(&cand)) {
            found.push(cand);
            if !all {
                break;
            }
        }
    }
    found
}

/// Runs `cmd` for a wrapper (`env`, `nice`, …) as `execvp` would: GNU's
/// message and 127 when it is not found (126 when not executable).
fn exec_like(ctx: &mut Ctx<'_>, prog: &str, cmd: &[String], env: &[(String, String)]) -> Res {
    // with no PATH at all, execvp searches its default path (/bin:/usr/bin)
    let mut cmd = cmd.to_vec();
    if !env.iter().any(|(k, _)| k == "PATH") && !cmd[0].contains('/') {
        for dir in ["/bin", "/usr/bin"] {
            let p = format!("{dir}/{}", cmd[0]);
            if ctx.fs.stat(&p).map(|st| st.is_file() && st.meta.mode & 0o111 != 0).unwrap_or(false) {
                cmd[0] = p;
                break;
            }
        }
    }
    let cmd = &cmd[..];
    match spawn(ctx, cmd, env, None) {
        Ok(s) => {
            if ctx.budget.exhausted {
                return Err(super::common::Halt::Budget);
            }
            Ok(s)
        }
        Err(e) => {
            err(ctx, prog, &format!("{}: {}", qa(&cmd[0]), e.message()));
            Ok(e.status())
        }
    }
}

pub fn env(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "env";
    let mut i = 1;
    let mut clear = false;
    let mut unset: Vec<String> = Vec::new();
    let mut zero = false;
    let mut chdir: Option<String> = None;
    while i < argv.len() {
        let a = &argv[i];
        if a == "-" || a == "-i" || a == "--ignore-environment" {
            clear = true;
        } else if a == "-0" || a == "--null" {
            zero = true;
        } else if a == "-u" || a == "--unset" || a == "-C" || a == "--chdir" {
            let Some(v) = argv.get(i + 1) else {
                let c = if a.starts_with("--") { a.to_string() } else { a[1..].to_string() };
                let msg = if a.starts_with("--") { format!("option '{c}' requires an argument") } else { format!("option requires an argument -- '{c}'") };
                return Ok(usage_err(ctx, prog, &msg, 125));
            };
            if a == "-u" || a == "--unset" {
                unset.push(v.clone());
            } else {
                chdir = Some(v.clone());
            }
            i += 1;
        } else if let Some(v) = a.strip_prefix("-u").filter(|v| !v.is_empty() && !a.starts_with("--")) {
            unset.push(v.to_string());
        } else if let Some(v) = a.strip_prefix("--unset=") {
            unset.push(v.to_string());
        } else if a == "--" {
            i += 1;
            break;
        } else if a.starts_with('-') && a.len() > 1 {
            let c = a.chars().nth(1).unwrap_or('-');
            let msg = if a.starts_with("--") { format!("unrecognized option '{a}'") } else { format!("invalid option -- '{c}'") };
            return Ok(usage_err(ctx, prog, &msg, 125));
        } else {
            break;
        }
        i += 1;
    }
    let mut vars: Vec<(String, String)> = if clear { Vec::new() } else { dedup_env(&ctx.env) };
    vars.retain(|(k, _)| !unset.contains(k));
    while i < argv.len() {
        match argv[i].split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                vars.retain(|(x, _)| x != k);
                vars.push((k.to_string(), v.to_string()));
                i += 1;
            }
            _ => break,
        }
    }
    if i >= argv.len() {
        let end = if zero { "\0" } else { "\n" };
        let mut o = String::new();
        for (k, v) in &vars {
            o.push_str(&format!("{k}={v}{end}"));
        }
        out(ctx, o.as_bytes())?;
        return Ok(0);
    }
    let saved_cwd = ctx.cwd.clone();
    if let Some(d) = &chdir {
        let abs = ctx.abs(d);
        match ctx.fs.stat(&abs) {
            Ok(st) if st.is_dir() => ctx.cwd = vpath::normalize(&abs),
            Ok(_) => {
                err(ctx, prog, &format!("cannot change directory to {}: Not a directory", qa(d)));
                return Ok(125);
            }
            Err(e) => {
                err(ctx, prog, &format!("cannot change directory to {}: {}", qa(d), ferr(&e)));
                return Ok(125);
            }
        }
    }
    // the child sees exactly `vars`: look the command up with that PATH
    let saved_env = std::mem::replace(&mut ctx.env, vars.clone());
    let r = exec_like(ctx, prog, &argv[i..], &vars);
    ctx.env = saved_env;
    ctx.cwd = saved_cwd;
    r
}

/// The environment with each name once (its last value), in first-definition order.
pub fn dedup_env(env: &[(String, String)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = Vec::new();
    for (k, val) in env {
        match v.iter_mut().find(|(x, _)| x == k) {
            Some(e) => e.1 = val.clone(),
            None => v.push((k.clone(), val.clone())),
        }
    }
    v
}

pub fn nice(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let mut i = 1;
    if argv.get(1).map(|a| a == "-n").unwrap_or(false) {
        i = 3;
    } else if argv.get(1).map(|a| a.starts_with("-n") || (a.starts_with('-') && a[1..].parse::<i32>().is_ok())).unwrap_or(false) {
        i = 2;
    } else if argv.get(1).map(|a| a.starts_with("--adjustment")).unwrap_or(false) {
        i = if argv[1].contains('=') { 2 } else { 3 };
    }
    if argv.get(i).map(|a| a == "--").unwrap_or(false) {
        i += 1;
    }
    if i >= argv.len() {
        out(ctx, b"0\n")?;
        return Ok(0);
    }
    let env = dedup_env(&ctx.env);
    exec_like(ctx, "nice", &argv[i..], &env)
}

pub fn nohup(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let mut i = 1;
    if argv.get(1).map(|a| a == "--").unwrap_or(false) {
        i = 2;
    }
    if i >= argv.len() {
        return Ok(usage_err(ctx, "nohup", "missing operand", 125));
    }
    let env = dedup_env(&ctx.env);
    exec_like(ctx, "nohup", &argv[i..], &env)
}

/// `timeout DURATION CMD…`: runs the command (the playground's budget, not a
/// timer, bounds it).
pub fn timeout(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "timeout";
    let mut i = 1;
    while i < argv.len() && argv[i].starts_with('-') && argv[i] != "-" {
        let a = &argv[i];
        if a == "--" {
            i += 1;
            break;
        }
        if a == "-s" || a == "-k" || a == "--signal" || a == "--kill-after" {
            i += 1;
        }
        i += 1;
    }
    if i >= argv.len() {
        return Ok(usage_err(ctx, prog, "missing operand", 125));
    }
    let d = &argv[i];
    let num = d.trim_end_matches(['s', 'm', 'h', 'd']);
    if super::printf::parse_float(num).is_err() {
        return Ok(usage_err(ctx, prog, &format!("invalid time interval {}", qa(d)), 125));
    }
    if i + 1 >= argv.len() {
        return Ok(usage_err(ctx, prog, &format!("missing operand after {}", qa(d)), 125));
    }
    let env = dedup_env(&ctx.env);
    exec_like(ctx, prog, &argv[i + 1..], &env)
}

pub fn which(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let mut all = false;
    let mut status = 0;
    let mut names = Vec::new();
    for a in &argv[1..] {
        if a == "-a" {
            all = true;
        } else if a.starts_with('-') && names.is_empty() {
            // Debian's which knows only -a (and -s in busybox): ignore others
        } else {
            names.push(a.clone());
        }
    }
    if names.is_empty() {
        return Ok(1);
    }
    let mut o = String::new();
    for n in &names {
        tick(ctx, 1)?;
        let found = find_in_path(ctx, n, all);
        if found.is_empty() {
            status = 1;
        }
        for f in found {
            o.push_str(&f);
            o.push('\n');
        }
    }
    out(ctx, o.as_bytes())?;
    Ok(status)
}

/// How strictly `readlink -f/-e/-m` and `realpath` want the path to exist.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Canon {
    /// Every component but the last must exist (`-f`, realpath's default).
    AllButLast,
    Existing,
    Missing,
}

fn canonicalize(ctx: &Ctx<'_>, p: &str, mode: Canon) -> Result<String, crate::vfs::FsError> {
    let abs = ctx.abs(p);
    match mode {
        Canon::Existing => {
            ctx.fs.stat(&abs)?;
            ctx.fs.canonicalize(&abs)
        }
        Canon::AllButLast => {
            let c = ctx.fs.canonicalize(&abs)?;
            // the parent of the result must exist as a directory
            let parent = vpath::parent(&c).to_string();
            match ctx.fs.stat(&parent) {
                Ok(st) if st.is_dir() => Ok(c),
                Ok(_) => Err(crate::vfs::FsError::new(crate::vfs::FsErrorKind::NotADirectory, p)),
                Err(e) => Err(e),
            }
        }
        Canon::Missing => match ctx.fs.canonicalize(&abs) {
            Ok(c) => Ok(c),
            Err(_) => {
                // resolve the longest existing prefix, then add the rest lexically
                let norm = vpath::normalize(&abs);
                let comps: Vec<&str> = vpath::components(&norm).collect();
                let mut base = "/".to_string();
                let mut k = 0;
                while k < comps.len() {
                    let next = vpath::join(&base, comps[k]);
                    match ctx.fs.canonicalize(&next) {
                        Ok(c) if ctx.fs.lstat(&next).is_ok() => {
                            base = c;
                            k += 1;
                        }
                        _ => break,
                    }
                }
                let mut s = base;
                for c in &comps[k..] {
                    s = vpath::join(&s, c);
                }
                Ok(vpath::normalize(&s))
            }
        },
    }
}

const READLINK: Spec = Spec {
    short: "efmnqsvz",
    long: &[
        ("canonicalize", Arg::No, 'f'),
        ("canonicalize-existing", Arg::No, 'e'),
        ("canonicalize-missing", Arg::No, 'm'),
        ("no-newline", Arg::No, 'n'),
        ("quiet", Arg::No, 'q'),
        ("silent", Arg::No, 's'),
        ("verbose", Arg::No, 'v'),
        ("zero", Arg::No, 'z'),
    ],
    permute: true,
    status: 1,
    usage: "[OPTION]... FILE...",
};

pub fn readlink(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "readlink";
    let p = match getopt(ctx, prog, argv, &READLINK) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    if p.args.is_empty() {
        return Ok(usage_err(ctx, prog, "missing operand", 1));
    }
    let mode = p.opts.iter().rev().find_map(|(c, _)| match c {
        'f' => Some(Canon::AllButLast),
        'e' => Some(Canon::Existing),
        'm' => Some(Canon::Missing),
        _ => None,
    });
    let verbose = p.has('v');
    let end = if p.has('z') { "\0" } else { "\n" };
    let no_newline = p.has('n') && p.args.len() == 1;
    let mut status = 0;
    let mut o = String::new();
    for f in &p.args {
        let r = match mode {
            Some(m) => canonicalize(ctx, f, m),
            None => ctx.fs.read_link(&ctx.abs(f)),
        };
        match r {
            Ok(s) => {
                o.push_str(&s);
                if !no_newline {
                    o.push_str(end);
                }
            }
            Err(e) => {
                if verbose {
                    err(ctx, prog, &format!("{f}: {}", ferr(&e)));
                }
                status = 1;
            }
        }
    }
    out(ctx, o.as_bytes())?;
    Ok(status)
}

const REALPATH: Spec = Spec {
    short: "eLmPqsz",
    long: &[
        ("canonicalize-existing", Arg::No, 'e'),
        ("canonicalize-missing", Arg::No, 'm'),
        ("logical", Arg::No, 'L'),
        ("physical", Arg::No, 'P'),
        ("quiet", Arg::No, 'q'),
        ("strip", Arg::No, 's'),
        ("no-symlinks", Arg::No, 's'),
        ("zero", Arg::No, 'z'),
        ("relative-to", Arg::Required, 'R'),
        ("relative-base", Arg::Required, 'B'),
    ],
    permute: true,
    status: 1,
    usage: "[OPTION]... FILE...",
};

pub fn realpath(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "realpath";
    let p = match getopt(ctx, prog, argv, &REALPATH) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    if p.args.is_empty() {
        return Ok(usage_err(ctx, prog, "missing operand", 1));
    }
    let mode = if p.has('e') {
        Canon::Existing
    } else if p.has('m') {
        Canon::Missing
    } else {
        Canon::AllButLast
    };
    let rel_to = match p.val('R') {
        Some(r) => match canonicalize(ctx, r, mode) {
            Ok(c) => Some(c),
            Err(e) => {
                err(ctx, prog, &format!("{r}: {}", ferr(&e)));
                return Ok(1);
            }
        },
        None => None,
    };
    let end = if p.has('z') { "\0" } else { "\n" };
    let mut status = 0;
    let mut o = String::new();
    for f in &p.args {
        let r = if p.has('s') { Ok(vpath::normalize(&ctx.abs(f))) } else { canonicalize(ctx, f, mode) };
        match r {
            Ok(s) => {
                let s = match &rel_to {
                    Some(base) => relative_path(base, &s),
                    None => s,
                };
                o.push_str(&s);
                o.push_str(end);
            }
            Err(e) => {
                if !p.has('q') {
                    err(ctx, prog, &format!("{f}: {}", ferr(&e)));
                }
                status = 1;
            }
        }
    }
    out(ctx, o.as_bytes())?;
    Ok(status)
}

fn relative_path(from_dir: &str, to: &str) -> String {
    let a: Vec<&str> = vpath::components(from_dir).collect();
    let b: Vec<&str> = vpath::components(to).collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<&str> = std::iter::repeat_n("..", a.len() - common).collect();
    parts.extend(&b[common..]);
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

const STAT: Spec = Spec {
    short: "c:fLt",
    long: &[
        ("format", Arg::Required, 'c'),
        ("printf", Arg::Required, 'p'),
        ("dereference", Arg::No, 'L'),
        ("file-system", Arg::No, 'f'),
        ("terse", Arg::No, 't'),
        ("cached", Arg::Required, 'C'),
    ],
    permute: true,
    status: 1,
    usage: "[OPTION]... FILE...",
};

fn type_name(st: &Stat) -> &'static str {
    match st.file_type {
        FileType::Dir => "directory",
        FileType::Symlink => "symbolic link",
        FileType::File if st.size == 0 => "regular empty file",
        FileType::File => "regular file",
    }
}

fn stat_time(t: i64) -> String {
    strftime("%Y-%m-%d %H:%M:%S.000000000 +0000", t)
}

fn raw_mode(st: &Stat) -> u32 {
    let t = match st.file_type {
        FileType::Dir => 0o040000,
        FileType::Symlink => 0o120000,
        FileType::File => 0o100000,
    };
    t | st.meta.mode
}

fn stat_format(ctx: &Ctx<'_>, fmt: &str, name: &str, path: &str, st: &Stat, printf: bool) -> String {
    let mut o = String::new();
    let cs: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    let blocks = match st.file_type {
        FileType::Dir => 8,
        FileType::Symlink => 0,
        FileType::File => st.size.div_ceil(4096) * 8,
    };
    while i < cs.len() {
        let c = cs[i];
        i += 1;
        if printf && c == '\\' && i < cs.len() {
            let e = cs[i];
            i += 1;
            match e {
                'n' => o.push('\n'),
                't' => o.push('\t'),
                '\\' => o.push('\\'),
                '"' => o.push('"'),
                'a' => o.push('\x07'),
                'e' => o.push('\x1b'),
                other => {
                    o.push('\\');
                    o.push(other);
                }
            }
            continue;
        }
        if c != '%' || i >= cs.len() {
            o.push(c);
            continue;
        }
        // flags and width
        let mut spec = String::new();
        while i < cs.len() && (cs[i] == '-' || cs[i] == '0' || cs[i] == '#' || cs[i] == '+' || cs[i] == ' ' || cs[i].is_ascii_digit() || cs[i] == '.') {
            spec.push(cs[i]);
            i += 1;
        }
        let Some(&k) = cs.get(i) else {
            o.push('%');
            o.push_str(&spec);
            break;
        };
        i += 1;
        let m = st.meta;
        let v: String = match k {
            '%' => "%".into(),
            'a' => format!("{:o}", m.mode),
            'A' => super::perms::mode_string(st.file_type, m.mode).to_string(),
            'b' => blocks.to_string(),
            'B' => "512".into(),
            'd' => "54".into(),
            'D' => "36".into(),
            'f' => format!("{:x}", raw_mode(st)),
            'F' => type_name(st).into(),
            'g' => m.gid.to_string(),
            'G' => users::gname_or_id(ctx.fs, m.gid),
            'h' => {
                if st.is_dir() {
                    match ctx.fs.read_dir(path) {
                        Ok(es) => (2 + es.iter().filter(|(_, n)| matches!(n, crate::vfs::Node::Dir(_))).count()).to_string(),
                        Err(_) => "2".into(),
                    }
                } else {
                    "1".into()
                }
            }
            'i' => inode_of(path).to_string(),
            'm' => "/".into(),
            'n' => name.into(),
            'N' => match (st.is_symlink(), ctx.fs.read_link(path)) {
                (true, Ok(t)) => format!("{} -> {}", qa(name), qa(&t)),
                _ => qa(name),
            },
            'o' => "4096".into(),
            's' => st.size.to_string(),
            't' | 'T' => "0".into(),
            'u' => m.uid.to_string(),
            'U' => users::uname_or_id(ctx.fs, m.uid),
            'w' => "-".into(),
            'W' => "0".into(),
            'x' | 'y' | 'z' => stat_time(m.mtime),
            'X' | 'Y' | 'Z' => m.mtime.to_string(),
            other => format!("?{other}"),
        };
        if spec.is_empty() {
            o.push_str(&v);
        } else {
            let left = spec.starts_with('-');
            let zero = spec.starts_with('0');
            let w: usize = spec.trim_start_matches(['-', '0', '#', '+', ' ']).split('.').next().unwrap_or("").parse().unwrap_or(0);
            if v.len() >= w {
                o.push_str(&v);
            } else if left {
                o.push_str(&format!("{v:<w$}"));
            } else if zero {
                o.push_str(&format!("{v:0>w$}"));
            } else {
                o.push_str(&format!("{v:>w$}"));
            }
        }
    }
    o
}

fn inode_of(path: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in path.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    1_000_000 + h % 9_000_000
}

pub fn stat(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "stat";
    let p = match getopt(ctx, prog, argv, &STAT) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    if p.args.is_empty() {
        return Ok(usage_err(ctx, prog, "missing operand", 1));
    }
    let follow = p.has('L');
    let mut status = 0;
    let mut o = String::new();
    for f in &p.args {
        tick(ctx, 1)?;
        let abs = ctx.abs(f);
        let st = if follow { ctx.fs.stat(&abs) } else { ctx.fs.lstat(&abs) };
        let st = match st {
            Ok(s) => s,
            Err(e) => {
                err(ctx, prog, &format!("cannot statx {}: {}", qa(f), ferr(&e)));
                status = 1;
                continue;
            }
        };
        if let Some(fmt) = p.val('c') {
            o.push_str(&stat_format(ctx, fmt, f, &abs, &st, false));
            o.push('\n');
        } else if let Some(fmt) = p.val('p') {
            o.push_str(&stat_format(ctx, fmt, f, &abs, &st, true));
        } else if p.has('t') {
            o.push_str(&stat_format(ctx, "%n %s %b %f %u %g 0 %i %h 0 0 %X %Y %Z %W 4096", f, &abs, &st, false));
            o.push('\n');
        } else {
            let file_line = if st.is_symlink() { "  File: %N\n".replace("%N", &format!("{} -> {}", f, ctx.fs.read_link(&abs).unwrap_or_default())) } else { format!("  File: {f}\n") };
            o.push_str(&file_line);
            o.push_str(&stat_format(ctx, "  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n", f, &abs, &st, false));
            o.push_str(&stat_format(ctx, "Device: 0,36\tInode: %-11i Links: %h\n", f, &abs, &st, false));
            o.push_str(&format!(
                "Access: ({:04o}/{})  Uid: ({:>5}/{:>8})   Gid: ({:>5}/{:>8})\n",
                st.meta.mode,
                super::perms::mode_string(st.file_type, st.meta.mode),
                st.meta.uid,
                users::uname_or_id(ctx.fs, st.meta.uid),
                st.meta.gid,
                users::gname_or_id(ctx.fs, st.meta.gid)
            ));
            let t = stat_time(st.meta.mtime);
            o.push_str(&format!("Access: {t}\nModify: {t}\nChange: {t}\n Birth: -\n"));
        }
    }
    out(ctx, o.as_bytes())?;
    let _ = perm_string;
    Ok(status)
}
