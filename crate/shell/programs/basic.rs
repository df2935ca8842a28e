//! Small programs with no files to speak of: `true`, `false`, `echo` (GNU
//! `/bin/echo`: escapes only with `-e`; dash's builtin echo is the shell's),
//! `pwd`, `yes`, `seq`, `sleep` (advances the virtual clock), `basename`,
//! `dirname`, `uname` (an x86_64 Linux answer), `hostname`, `arch`, `nproc`,
//! `whoami`, `id`, `printenv`.

use super::common::{err, getopt, out, qa, tick, usage_err, Arg, Res, Spec};
use super::printf::{b_escapes, parse_float};
use super::users;
use crate::shell::proc::Ctx;

pub fn true_(_ctx: &mut Ctx<'_>, _argv: &[String]) -> Res {
    Ok(0)
}

pub fn false_(_ctx: &mut Ctx<'_>, _argv: &[String]) -> Res {
    Ok(1)
}

/// GNU `/bin/echo`: leading `-n`, `-e`, `-E` (also combined, like `-ne`) are
/// options; anything else starts the words.
pub fn echo(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        if a.len() < 2 || !a.starts_with('-') || !a[1..].bytes().all(|b| matches!(b, b'n' | b'e' | b'E')) {
            break;
        }
        for b in a[1..].bytes() {
            match b {
                b'n' => newline = false,
                b'e' => escapes = true,
                _ => escapes = false,
            }
        }
        i += 1;
    }
    let mut o = Vec::new();
    for (k, a) in argv[i..].iter().enumerate() {
        if k > 0 {
            o.push(b' ');
        }
        if escapes {
            if b_escapes(a.as_bytes(), &mut o) {
                return out(ctx, &o).map(|_| 0);
            }
        } else {
            o.extend_from_slice(a.as_bytes());
        }
    }
    if newline {
        o.push(b'\n');
    }
    out(ctx, &o)?;
    Ok(0)
}

const PWD: Spec = Spec { short: "LP", long: &[("logical", Arg::No, 'L'), ("physical", Arg::No, 'P')], permute: true, status: 1, usage: "[OPTION]..." };

/// `/bin/pwd`: physical (`-P`) unless `-L` and `$PWD` names the directory.
pub fn pwd(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let p = match getopt(ctx, "pwd", argv, &PWD) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    if !p.args.is_empty() {
        err(ctx, "pwd", "ignoring non-option arguments");
    }
    let logical = p.opts.last().map(|o| o.0 == 'L').unwrap_or(false);
    let physical = ctx.fs.canonicalize(&ctx.cwd).unwrap_or_else(|_| ctx.cwd.clone());
    let dir = match ctx.getenv("PWD") {
        Some(w) if logical && w.starts_with('/') && ctx.fs.canonicalize(w).ok().as_deref() == Some(physical.as_str()) => w.to_string(),
        _ => physical,
    };
    out(ctx, format!("{dir}\n").as_bytes())?;
    Ok(0)
}

/// `yes [STRING]...`: writes until the reader goes away or a limit stops it.
pub fn yes(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let line = if argv.len() > 1 { argv[1..].join(" ") } else { "y".to_string() };
    let line = format!("{line}\n");
    let mut chunk = Vec::with_capacity(8192);
    while chunk.len() < 8192 {
        chunk.extend_from_slice(line.as_bytes());
    }
    super::common::stream_repeated(ctx, &chunk, None)?;
    Ok(0)
}

const SEQ: Spec = Spec {
    short: "f:s:w",
    long: &[("format", Arg::Required, 'f'), ("separator", Arg::Required, 's'), ("equal-width", Arg::No, 'w')],
    permute: false,
    status: 1,
    usage: "[OPTION]... LAST\n  or:  seq [OPTION]... FIRST LAST\n  or:  seq [OPTION]... FIRST INCREMENT LAST",
};

/// Digits after the point of a number as written, less its exponent.
fn precision(s: &str) -> usize {
    let lower = s.to_ascii_lowercase();
    let (mant, exp) = match lower.find('e') {
        Some(i) => (&lower[..i], lower[i + 1..].parse::<i64>().unwrap_or(0)),
        None => (lower.as_str(), 0),
    };
    let frac = mant.find('.').map(|i| mant.len() - i - 1).unwrap_or(0) as i64;
    (frac - exp).clamp(0, 100) as usize
}

pub fn seq(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "seq";
    // negative numbers are operands, not options
    let mut args: Vec<String> = Vec::new();
    let mut opts_argv = vec![argv[0].clone()];
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        let is_num = a.len() > 1 && a.starts_with('-') && (a.as_bytes()[1].is_ascii_digit() || a.as_bytes()[1] == b'.');
        if is_num || !a.starts_with('-') || a == "-" {
            args.push(a.clone());
        } else if a == "--" {
            args.extend(argv[i + 1..].iter().cloned());
            break;
        } else {
            opts_argv.push(a.clone());
            if (a == "-f" || a == "-s" || a == "--format" || a == "--separator") && i + 1 < argv.len() {
                opts_argv.push(argv[i + 1].clone());
                i += 1;
            }
        }
        i += 1;
    }
    let p = match getopt(ctx, prog, &opts_argv, &SEQ) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    args.extend(p.args.iter().cloned());
    if args.is_empty() {
        return Ok(usage_err(ctx, prog, "missing operand", 1));
    }
    if args.len() > 3 {
        return Ok(usage_err(ctx, prog, &format!("extra operand {}", qa(&args[3])), 1));
    }
    let mut nums = Vec::new();
    for a in &args {
        match parse_float(a) {
            Ok(v) if !v.is_nan() => nums.push(v),
            _ => return Ok(usage_err(ctx, prog, &format!("invalid floating point argument: {}", qa(a)), 1)),
        }
    }
    let (first, step, last, first_s, step_s) = match nums.len() {
        1 => (1.0, 1.0, nums[0], "1", "1"),
        2 => (nums[0], 1.0, nums[1], args[0].as_str(), "1"),
        _ => (nums[0], nums[1], nums[2], args[0].as_str(), args[1].as_str()),
    };
    if step == 0.0 {
        return Ok(usage_err(ctx, prog, &format!("invalid Zero increment value: {}", qa(&args[1])), 1));
    }
    let sep = p.val('s').unwrap_or("\n").to_string();
    let fmt = p.val('f').map(str::to_string);
    if let Some(f) = &fmt {
        if let Err(m) = check_seq_format(f) {
            err(ctx, prog, &m);
            return Ok(1);
        }
    }
    let prec = precision(first_s).max(precision(step_s));
    let render = |v: f64| -> String {
        match &fmt {
            Some(f) => seq_format(f, v),
            None => format!("{v:.prec$}"),
        }
    };
    let width = if p.has('w') && fmt.is_none() {
        let last_shown = if nums.len() == 1 { args[0].as_str() } else { args[args.len() - 1].as_str() };
        let lw = format!("{:.prec$}", parse_float(last_shown).unwrap_or(last)).len();
        render(first).len().max(lw)
    } else {
        0
    };
    let mut n: u64 = 0;
    let mut buf = Vec::new();
    loop {
        let v = first + n as f64 * step;
        if (step > 0.0 && v > last) || (step < 0.0 && v < last) || !v.is_finite() {
            break;
        }
        tick(ctx, 1)?;
        if n > 0 {
            buf.extend_from_slice(sep.as_bytes());
        }
        let mut s = render(if v == 0.0 { 0.0 } else { v });
        if s.len() < width {
            let neg = s.starts_with('-');
            let digits = if neg { s[1..].to_string() } else { s.clone() };
            s = format!("{}{}{}", if neg { "-" } else { "" }, "0".repeat(width - s.len()), digits);
        }
        buf.extend_from_slice(s.as_bytes());
        if buf.len() > 4096 {
            out(ctx, &buf)?;
            buf.clear();
        }
        n += 1;
    }
    if n > 0 {
        buf.push(b'\n');
    }
    out(ctx, &buf)?;
    Ok(0)
}

fn check_seq_format(f: &str) -> Result<(), String> {
    let b = f.as_bytes();
    let mut i = 0;
    let mut count = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if b.get(i + 1) == Some(&b'%') {
                i += 2;
                continue;
            }
            let mut j = i + 1;
            while j < b.len() && matches!(b[j], b'-' | b'+' | b' ' | b'#' | b'0' | b'\'' | b'.' | b'0'..=b'9') {
                j += 1;
            }
            match b.get(j) {
                Some(b'a' | b'e' | b'f' | b'g' | b'A' | b'E' | b'F' | b'G') => count += 1,
                Some(_) => return Err(format!("format {} has unknown %{} directive", qa(f), b[j] as char)),
                None => return Err(format!("format {} ends in %", qa(f))),
            }
            i = j + 1;
        } else {
            i += 1;
        }
    }
    match count {
        0 => Err(format!("format {} has no % directive", qa(f))),
        1 => Ok(()),
        _ => Err(format!("format {} has too many % directives", qa(f))),
    }
}

fn seq_format(f: &str, v: f64) -> String {
    let r = super::printf::render(f.as_bytes(), &[format!("{v:e}")]);
    String::from_utf8_lossy(&r.out).into_owned()
}

/// `sleep NUMBER[smhd]...`: adds the total to the virtual clock (rounded up to
/// whole seconds); nothing waits. `infinity` returns at once.
pub fn sleep(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "sleep";
    let args = &argv[1..];
    if args.is_empty() {
        return Ok(usage_err(ctx, prog, "missing operand", 1));
    }
    let mut total = 0.0f64;
    let mut bad = false;
    for a in args {
        let (num, mult) = match a.as_bytes().last() {
            Some(b's') => (&a[..a.len() - 1], 1.0),
            Some(b'm') => (&a[..a.len() - 1], 60.0),
            Some(b'h') => (&a[..a.len() - 1], 3600.0),
            Some(b'd') => (&a[..a.len() - 1], 86400.0),
            _ => (a.as_str(), 1.0),
        };
        match parse_float(num) {
            Ok(v) if v >= 0.0 && !v.is_nan() => total += v * mult,
            _ => {
                err(ctx, prog, &format!("invalid time interval {}", qa(a)));
                bad = true;
            }
        }
    }
    if bad {
        ctx.err("Try 'sleep --help' for more information.\n");
        return Ok(1);
    }
    tick(ctx, 1)?;
    if total.is_finite() {
        let secs = total.ceil().min(1e12) as i64;
        let before = ctx.clock.now;
        ctx.clock.now = ctx.clock.now.saturating_add(secs);
        if ctx.fs.now == before {
            ctx.fs.now = ctx.clock.now;
        }
    }
    Ok(0)
}

const BASENAME: Spec = Spec {
    short: "as:z",
    long: &[("multiple", Arg::No, 'a'), ("suffix", Arg::Required, 's'), ("zero", Arg::No, 'z')],
    permute: true,
    status: 1,
    usage: "NAME [SUFFIX]\n  or:  basename OPTION... NAME...",
};

/// The last component of `s` as `basename(1)` prints it.
pub fn base_of(s: &str) -> &str {
    let t = s.trim_end_matches('/');
    if t.is_empty() {
        return if s.is_empty() { "" } else { "/" };
    }
    match t.rfind('/') {
        Some(i) => &t[i + 1..],
        None => t,
    }
}

pub fn basename(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "basename";
    let p = match getopt(ctx, prog, argv, &BASENAME) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    if p.args.is_empty() {
        return Ok(usage_err(ctx, prog, "missing operand", 1));
    }
    let multiple = p.has('a') || p.has('s');
    let end = if p.has('z') { "\0" } else { "\n" };
    let (names, suffix): (Vec<&String>, Option<&str>) = if multiple {
        (p.args.iter().collect(), p.val('s'))
    } else {
        if p.args.len() > 2 {
            return Ok(usage_err(ctx, prog, &format!("extra operand {}", qa(&p.args[2])), 1));
        }
        (vec![&p.args[0]], p.args.get(1).map(String::as_str))
    };
    let mut o = String::new();
    for n in names {
        let mut b = base_of(n);
        if let Some(suf) = suffix {
            if !suf.is_empty() && b.len() > suf.len() && b.ends_with(suf) {
                b = &b[..b.len() - suf.len()];
            }
        }
        o.push_str(b);
        o.push_str(end);
    }
    out(ctx, o.as_bytes())?;
    Ok(0)
}

/// The directory part of `s` as `dirname(1)` prints it.
pub fn dir_of(s: &str) -> &str {
    let b = s.as_bytes();
    if b.is_empty() {
        return ".";
    }
    let prefix = usize::from(b[0] == b'/');
    let mut len = b.len();
    while len > prefix && b[len - 1] == b'/' {
        len -= 1;
    }
    while len > prefix && b[len - 1] != b'/' {
        len -= 1;
    }
    while len > prefix && b[len - 1] == b'/' {
        len -= 1;
    }
    if len == 0 {
        "."
    } else {
        &s[..len]
    }
}

const DIRNAME: Spec = Spec { short: "z", long: &[("zero", Arg::No, 'z')], permute: true, status: 1, usage: "[OPTION] NAME..." };

pub fn dirname(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let p = match getopt(ctx, "dirname", argv, &DIRNAME) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    if p.args.is_empty() {
        return Ok(usage_err(ctx, "dirname", "missing operand", 1));
    }
    let end = if p.has('z') { "\0" } else { "\n" };
    let mut o = String::new();
    for a in &p.args {
        o.push_str(dir_of(a));
        o.push_str(end);
    }
    out(ctx, o.as_bytes())?;
    Ok(0)
}

/// The kernel the playground reports (Docker Desktop's LinuxKit kernel style).
pub const KERNEL_RELEASE: &str = "6.6.32-linuxkit";
pub const KERNEL_VERSION: &str = "#1 SMP PREEMPT_DYNAMIC Thu Jun 13 14:14:43 UTC 2024";
pub const MACHINE: &str = "x86_64";

/// The host name: `$HOSTNAME`, else `/etc/hostname`, else BuildKit's
/// `buildkitsandbox`.
pub fn host_name(ctx: &Ctx<'_>) -> String {
    if let Some(h) = ctx.getenv("HOSTNAME").filter(|h| !h.is_empty()) {
        return h.to_string();
    }
    if let Ok(d) = ctx.fs.read("/etc/hostname") {
        let s = String::from_utf8_lossy(&d).trim().to_string();
        if !s.is_empty() {
            return s;
        }
    }
    "buildkitsandbox".into()
}

const UNAME: Spec = Spec {
    short: "asnrvmpio",
    long: &[
        ("all", Arg::No, 'a'),
        ("kernel-name", Arg::No, 's'),
        ("nodename", Arg::No, 'n'),
        ("kernel-release", Arg::No, 'r'),
        ("kernel-version", Arg::No, 'v'),
        ("machine", Arg::No, 'm'),
        ("processor", Arg::No, 'p'),
        ("hardware-platform", Arg::No, 'i'),
        ("operating-system", Arg::No, 'o'),
    ],
    permute: true,
    status: 1,
    usage: "[OPTION]...",
};

pub fn uname(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "uname";
    let p = match getopt(ctx, prog, argv, &UNAME) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    if let Some(a) = p.args.first() {
        return Ok(usage_err(ctx, prog, &format!("extra operand {}", qa(a)), 1));
    }
    let all = p.has('a');
    let want = |c: char| all || p.has(c);
    let mut parts: Vec<String> = Vec::new();
    let none = p.opts.is_empty();
    if want('s') || none {
        parts.push("Linux".into());
    }
    if want('n') {
        parts.push(host_name(ctx));
    }
    if want('r') {
        parts.push(KERNEL_RELEASE.into());
    }
    if want('v') {
        parts.push(KERNEL_VERSION.into());
    }
    if want('m') {
        parts.push(MACHINE.into());
    }
    if p.has('p') {
        parts.push("unknown".into());
    }
    if p.has('i') {
        parts.push("unknown".into());
    }
    if want('o') {
        parts.push("GNU/Linux".into());
    }
    out(ctx, format!("{}\n", parts.join(" ")).as_bytes())?;
    Ok(0)
}

pub fn hostname(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    if argv.len() > 1 && !argv[1].starts_with('-') {
        err(ctx, "hostname", "you must be root to change the host name");
        return Ok(1);
    }
    let h = host_name(ctx);
    let h = if argv.get(1).map(String::as_str) == Some("-s") { h.split('.').next().unwrap_or("").to_string() } else { h };
    out(ctx, format!("{h}\n").as_bytes())?;
    Ok(0)
}

pub fn arch(ctx: &mut Ctx<'_>, _argv: &[String]) -> Res {
    out(ctx, format!("{MACHINE}\n").as_bytes())?;
    Ok(0)
}

/// Processors the playground reports.
pub const NPROC: u32 = 2;

pub fn nproc(ctx: &mut Ctx<'_>, _argv: &[String]) -> Res {
    out(ctx, format!("{NPROC}\n").as_bytes())?;
    Ok(0)
}

pub fn whoami(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    if let Some(a) = argv.get(1) {
        return Ok(usage_err(ctx, "whoami", &format!("extra operand {}", qa(a)), 1));
    }
    match users::user_by_uid(ctx.fs, ctx.uid) {
        Some(u) => {
            out(ctx, format!("{}\n", u.name).as_bytes())?;
            Ok(0)
        }
        None => {
            err(ctx, "whoami", &format!("cannot find name for user ID {}", ctx.uid));
            Ok(1)
        }
    }
}

const ID: Spec = Spec {
    short: "ugGnrz",
    long: &[("user", Arg::No, 'u'), ("group", Arg::No, 'g'), ("groups", Arg::No, 'G'), ("name", Arg::No, 'n'), ("real", Arg::No, 'r'), ("zero", Arg::No, 'z')],
    permute: true,
    status: 1,
    usage: "[OPTION]... [USER]...",
};

/// `id [-u|-g|-G] [-n] [USER]`, groups from `/etc/group` memberships.
pub fn id(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "id";
    let p = match getopt(ctx, prog, argv, &ID) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    let (uid, gid, name) = match p.args.first() {
        Some(u) => match users::user_by_name(ctx.fs, u).or_else(|| u.parse().ok().and_then(|n| users::user_by_uid(ctx.fs, n))) {
            Some(x) => (x.uid, x.gid, Some(x.name)),
            None => {
                err(ctx, prog, &format!("{}: no such user", qa(u)));
                return Ok(1);
            }
        },
        None => {
            let name = users::user_by_uid(ctx.fs, ctx.uid).map(|u| u.name);
            (ctx.uid, ctx.gid, name)
        }
    };
    let modes = ['u', 'g', 'G'].iter().filter(|c| p.has(**c)).count();
    if modes > 1 {
        err(ctx, prog, "cannot print \"only\" of more than one choice");
        return Ok(1);
    }
    if modes == 0 && (p.has('n') || p.has('r')) {
        err(ctx, prog, "cannot print only names or real IDs in default format");
        return Ok(1);
    }
    let mut gids = vec![gid];
    if let Some(n) = &name {
        for g in users::groups(ctx.fs) {
            if g.members.iter().any(|m| m == n) && !gids.contains(&g.gid) {
                gids.push(g.gid);
            }
        }
    }
    let gname = |ctx: &Ctx<'_>, g: u32| users::group_by_gid(ctx.fs, g).map(|x| x.name);
    let line = if p.has('u') {
        if p.has('n') {
            name.clone().unwrap_or_else(|| uid.to_string())
        } else {
            uid.to_string()
        }
    } else if p.has('g') {
        if p.has('n') {
            gname(ctx, gid).unwrap_or_else(|| gid.to_string())
        } else {
            gid.to_string()
        }
    } else if p.has('G') {
        let v: Vec<String> =
            gids.iter().map(|g| if p.has('n') { gname(ctx, *g).unwrap_or_else(|| g.to_string()) } else { g.to_string() }).collect();
        v.join(" ")
    } else {
        let with = |n: u32, s: Option<String>| match s {
            Some(s) => format!("{n}({s})"),
            None => n.to_string(),
        };
        let gs: Vec<String> = gids.iter().map(|g| with(*g, gname(ctx, *g))).collect();
        format!("uid={} gid={} groups={}", with(uid, name.clone()), with(gid, gname(ctx, gid)), gs.join(","))
    };
    out(ctx, format!("{line}\n").as_bytes())?;
    Ok(0)
}

pub fn printenv(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let zero = argv.get(1).map(|a| a == "-0" || a == "--null").unwrap_or(false);
    let names: Vec<&String> = argv[1..].iter().filter(|a| !a.starts_with('-')).collect();
    let end = if zero { "\0" } else { "\n" };
    let mut o = String::new();
    let mut status = 0;
    if names.is_empty() {
        for (k, v) in &ctx.env {
            o.push_str(&format!("{k}={v}{end}"));
        }
    } else {
        for n in names {
            match ctx.getenv(n) {
                Some(v) => o.push_str(&format!("{v}{end}")),
                None => status = 1,
            }
        }
    }
    out(ctx, o.as_bytes())?;
    Ok(status)
}
