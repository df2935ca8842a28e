//! Ownership and permission bits: `chmod` (octal and symbolic modes, `-R -v -c
//! -f`, `--reference`), `chown`/`chgrp` (`user[:group]`, names from the image's
//! /etc/passwd and /etc/group, numeric ids, `-R -h -v -c -f`, `--reference`), and
//! the mode grammar `mkdir -m`/`install -m` share, with GNU's umask rules (the
//! playground's umask is 022).

use super::common::{err, ferr, getopt, out, qa, tick, usage_err, Arg, Res, Spec};
use super::users;
use crate::shell::proc::Ctx;
use crate::vfs::{FileType, Node};

/// The umask every process in the playground has.
pub const UMASK: u32 = 0o022;

/// One clause of a symbolic mode: `who op perms`.
#[derive(Clone, Debug)]
pub struct Clause {
    who: u32,
    op: u8,
    perm: Perm,
}

#[derive(Clone, Debug)]
pub enum Perm {
    Bits { bits: u32, x_if: bool },
    Copy(u32),
}

/// A parsed mode: an absolute octal value or symbolic clauses.
#[derive(Clone, Debug)]
pub enum Mode {
    Octal { value: u32, digits: usize },
    Symbolic(Vec<Clause>),
}

const S_ISUID: u32 = 0o4000;
const S_ISGID: u32 = 0o2000;
const S_ISVTX: u32 = 0o1000;
const WHO_U: u32 = 0o4700;
const WHO_G: u32 = 0o2070;
const WHO_O: u32 = 0o1007;

impl Mode {
    /// Parses `755`, `u+x,go-w`, `a=r`, `+X`, `g=u`, … as GNU chmod does.
    pub fn parse(s: &str) -> Option<Mode> {
        if !s.is_empty() && s.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            let v = u32::from_str_radix(s, 8).ok()?;
            if v > 0o7777 {
                return None;
            }
            return Some(Mode::Octal { value: v, digits: s.len() });
        }
        let mut clauses = Vec::new();
        for part in s.split(',') {
            let b = part.as_bytes();
            let mut i = 0;
            let mut who = 0;
            while i < b.len() {
                match b[i] {
                    b'u' => who |= WHO_U,
                    b'g' => who |= WHO_G,
                    b'o' => who |= WHO_O,
                    b'a' => who |= WHO_U | WHO_G | WHO_O,
                    _ => break,
                }
                i += 1;
            }
            if i >= b.len() {
                return None;
            }
            while i < b.len() {
                let op = b[i];
                if !matches!(op, b'+' | b'-' | b'=') {
                    return None;
                }
                i += 1;
                let perm = match b.get(i) {
                    Some(&c @ (b'u' | b'g' | b'o')) => {
                        i += 1;
                        Perm::Copy(match c {
                            b'u' => 0o700,
                            b'g' => 0o070,
                            _ => 0o007,
                        })
                    }
                    _ => {
                        let mut bits = 0;
                        let mut x_if = false;
                        while i < b.len() {
                            match b[i] {
                                b'r' => bits |= 0o444,
                                b'w' => bits |= 0o222,
                                b'x' => bits |= 0o111,
                                b'X' => x_if = true,
                                b's' => bits |= S_ISUID | S_ISGID,
                                b't' => bits |= S_ISVTX,
                                _ => break,
                            }
                            i += 1;
                        }
                        Perm::Bits { bits, x_if }
                    }
                };
                clauses.push(Clause { who, op, perm });
                if i < b.len() && !matches!(b[i], b'+' | b'-' | b'=') {
                    return None;
                }
            }
        }
        if clauses.is_empty() {
            return None;
        }
        Some(Mode::Symbolic(clauses))
    }

    /// The new permission bits for a node with `old` bits. `umask` applies to
    /// clauses without `who`. Returns (new mode, mode had the umask not applied).
    pub fn apply(&self, old: u32, is_dir: bool, umask: u32) -> (u32, u32) {
        match self {
            Mode::Octal { value, digits } => {
                let mut v = *value;
                if is_dir && *digits < 5 {
                    // GNU keeps a directory's setuid/setgid bits unless told with 5 digits
                    v |= old & (S_ISUID | S_ISGID);
                }
                (v, v)
            }
            Mode::Symbolic(cs) => {
                let mut m = old & 0o7777;
                let mut unmasked = m;
                for c in cs {
                    m = apply_clause(c, m, is_dir, umask);
                    unmasked = apply_clause(c, unmasked, is_dir, 0);
                }
                (m, unmasked)
            }
        }
    }
}

fn apply_clause(c: &Clause, m: u32, is_dir: bool, umask: u32) -> u32 {
    let who = if c.who == 0 { WHO_U | WHO_G | WHO_O } else { c.who };
    let mut value = match &c.perm {
        Perm::Copy(from) => {
            let bits = m & from;
            let rwx = match *from {
                0o700 => bits >> 6,
                0o070 => bits >> 3,
                _ => bits,
            };
            rwx * 0o111
        }
        Perm::Bits { bits, x_if } => {
            let mut b = *bits;
            if *x_if && (is_dir || m & 0o111 != 0) {
                b |= 0o111;
            }
            b
        }
    };
    value &= who;
    if c.who == 0 {
        value &= !umask;
    }
    match c.op {
        b'+' => m | value,
        b'-' => m & !value,
        _ => {
            // `=`: the affected bits are replaced; a directory keeps setuid/setgid
            // unless they are mentioned
            let mut clear = who & 0o0777;
            if c.who == 0 || c.who & WHO_O != 0 {
                clear |= S_ISVTX & who;
            }
            if !is_dir {
                clear |= who & (S_ISUID | S_ISGID);
            }
            (m & !clear) | value
        }
    }
}

/// `ls -l` style rendering of permission bits for a type char.
pub fn mode_string(ft: FileType, mode: u32) -> String {
    let mut s = String::with_capacity(10);
    s.push(match ft {
        FileType::Dir => 'd',
        FileType::Symlink => 'l',
        FileType::File => '-',
    });
    s.push_str(&perm_string(mode));
    s
}

/// `rwxr-xr-x` (with `sStT`).
pub fn perm_string(mode: u32) -> String {
    let mut s = String::with_capacity(9);
    let bit = |m: u32, c: char| if mode & m != 0 { c } else { '-' };
    let special = |x: u32, sp: u32, on: char, off: char| match (mode & x != 0, mode & sp != 0) {
        (true, true) => on,
        (false, true) => off,
        (true, false) => 'x',
        (false, false) => '-',
    };
    s.push(bit(0o400, 'r'));
    s.push(bit(0o200, 'w'));
    s.push(special(0o100, S_ISUID, 's', 'S'));
    s.push(bit(0o040, 'r'));
    s.push(bit(0o020, 'w'));
    s.push(special(0o010, S_ISGID, 's', 'S'));
    s.push(bit(0o004, 'r'));
    s.push(bit(0o002, 'w'));
    s.push(special(0o001, S_ISVTX, 't', 'T'));
    s
}

const CHMOD: Spec = Spec {
    short: "RcfvrwxXstugoa=+-01234567",
    long: &[
        ("recursive", Arg::No, 'R'),
        ("changes", Arg::No, 'c'),
        ("silent", Arg::No, 'f'),
        ("quiet", Arg::No, 'f'),
        ("verbose", Arg::No, 'v'),
        ("reference", Arg::Required, 'F'),
        ("no-preserve-root", Arg::No, 'N'),
        ("preserve-root", Arg::No, 'P'),
    ],
    permute: true,
    status: 1,
    usage: "[OPTION]... MODE[,MODE]... FILE...\n  or:  chmod [OPTION]... OCTAL-MODE FILE...\n  or:  chmod [OPTION]... --reference=RFILE FILE...",
};

/// Every path under `top` (itself first) for `-R`, without following symlinks
/// below it.
fn tree(ctx: &mut Ctx<'_>, top: &str, shown: &str) -> Res<Vec<(String, String, Node)>> {
    let abs = ctx.abs(top);
    let Ok(entries) = ctx.fs.walk(&abs) else { return Ok(Vec::new()) };
    let base = entries.first().map(|e| e.0.clone()).unwrap_or_default();
    let mut v = Vec::with_capacity(entries.len());
    for (p, n) in entries {
        tick(ctx, 1)?;
        let rel = &p[base.len()..];
        let shown_p = if rel.is_empty() { shown.to_string() } else { format!("{}{}", shown.trim_end_matches('/'), rel) };
        v.push((p, shown_p, n));
    }
    Ok(v)
}

pub fn chmod(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "chmod";
    // a mode like -x or -w is an operand, not options: pull it out first
    let mut args = vec![argv[0].clone()];
    let mut mode_arg: Option<String> = None;
    let mut after_dd = false;
    for a in &argv[1..] {
        if !after_dd && a == "--" {
            after_dd = true;
            args.push(a.clone());
            continue;
        }
        if !after_dd && mode_arg.is_none() && a.len() > 1 && a.starts_with('-') && !a.starts_with("--") && Mode::parse(a).is_some() {
            mode_arg = Some(a.clone());
            continue;
        }
        args.push(a.clone());
    }
    let p = match getopt(ctx, prog, &args, &CHMOD) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    let mut operands = p.args.clone();
    let reference = p.val('F').map(str::to_string);
    let mode_text = match (&reference, mode_arg) {
        (Some(_), _) => String::new(),
        (None, Some(m)) => m,
        (None, None) => {
            if operands.is_empty() {
                return Ok(usage_err(ctx, prog, "missing operand", 1));
            }
            operands.remove(0)
        }
    };
    if operands.is_empty() {
        let msg = if mode_text.is_empty() { "missing operand".to_string() } else { format!("missing operand after {}", qa(&mode_text)) };
        return Ok(usage_err(ctx, prog, &msg, 1));
    }
    let mode = match &reference {
        Some(r) => match ctx.fs.stat(&ctx.abs(r)) {
            Ok(st) => Mode::Octal { value: st.meta.mode, digits: 5 },
            Err(e) => {
                err(ctx, prog, &format!("failed to get attributes of {}: {}", qa(r), ferr(&e)));
                return Ok(1);
            }
        },
        None => match Mode::parse(&mode_text) {
            Some(m) => m,
            None => return Ok(usage_err(ctx, prog, &format!("invalid mode: {}", qa(&mode_text)), 1)),
        },
    };
    let verbose = p.has('v');
    let changes = p.has('c');
    let quiet = p.has('f');
    let mut status = 0;
    for f in &operands {
        let abs = ctx.abs(f);
        let st = match ctx.fs.stat(&abs) {
            Ok(s) => s,
            Err(e) => {
                if !quiet {
                    err(ctx, prog, &format!("cannot access {}: {}", qa(f), ferr(&e)));
                }
                status = 1;
                continue;
            }
        };
        let targets = if p.has('R') && st.is_dir() { tree(ctx, f, f)? } else { vec![(abs.clone(), f.clone(), ctx.fs.get(&abs, true).map_err(|_| super::common::Halt::Budget)?)] };
        for (i, (path, shown, node)) in targets.iter().enumerate() {
            if i > 0 && matches!(node, Node::Symlink(_)) {
                continue;
            }
            let st = if i == 0 { st } else { node.stat() };
            let old = st.meta.mode;
            let (new, unmasked) = mode.apply(old, st.is_dir(), UMASK);
            tick(ctx, 1)?;
            if let Err(e) = ctx.fs.chmod(path, new) {
                if !quiet {
                    err(ctx, prog, &format!("changing permissions of {}: {}", qa(shown), ferr(&e)));
                }
                status = 1;
                continue;
            }
            if verbose || (changes && new != old) {
                let msg = if new != old {
                    format!(
                        "mode of {} changed from {:04o} ({}) to {:04o} ({})\n",
                        qa(shown),
                        old,
                        perm_string(old),
                        new,
                        perm_string(new)
                    )
                } else {
                    format!("mode of {} retained as {:04o} ({})\n", qa(shown), new, perm_string(new))
                };
                out(ctx, msg.as_bytes())?;
            }
            if new & !unmasked != 0 && !quiet {
                err(ctx, prog, &format!("{}: new permissions are {}, not {}", shown, perm_string(new), perm_string(unmasked)));
                status = 1;
            }
        }
    }
    Ok(status)
}

const CHOWN: Spec = Spec {
    short: "RcfvhHLP",
    long: &[
        ("recursive", Arg::No, 'R'),
        ("changes", Arg::No, 'c'),
        ("silent", Arg::No, 'f'),
        ("quiet", Arg::No, 'f'),
        ("verbose", Arg::No, 'v'),
        ("no-dereference", Arg::No, 'h'),
        ("dereference", Arg::No, 'D'),
        ("reference", Arg::Required, 'F'),
        ("from", Arg::Required, 'O'),
        ("no-preserve-root", Arg::No, 'N'),
        ("preserve-root", Arg::No, 'p'),
    ],
    permute: true,
    status: 1,
    usage: "[OPTION]... [OWNER][:[GROUP]] FILE...\n  or:  chown [OPTION]... --reference=RFILE FILE...",
};

pub fn chown(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    chown_like(ctx, argv, false)
}

pub fn chgrp(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    chown_like(ctx, argv, true)
}

fn chown_like(ctx: &mut Ctx<'_>, argv: &[String], group_only: bool) -> Res {
    let prog = if group_only { "chgrp" } else { "chown" };
    let p = match getopt(ctx, prog, argv, &CHOWN) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    let mut operands = p.args.clone();
    let (uid, gid): (Option<u32>, Option<u32>) = if let Some(r) = p.val('F') {
        match ctx.fs.stat(&ctx.abs(r)) {
            Ok(st) => (if group_only { None } else { Some(st.meta.uid) }, Some(st.meta.gid)),
            Err(e) => {
                err(ctx, prog, &format!("failed to get attributes of {}: {}", qa(r), ferr(&e)));
                return Ok(1);
            }
        }
    } else {
        if operands.is_empty() {
            return Ok(usage_err(ctx, prog, "missing operand", 1));
        }
        let spec = operands.remove(0);
        if operands.is_empty() {
            return Ok(usage_err(ctx, prog, &format!("missing operand after {}", qa(&spec)), 1));
        }
        if group_only {
            match users::resolve_gid(ctx.fs, &spec) {
                Some(g) => (None, Some(g)),
                None => {
                    err(ctx, prog, &format!("invalid group: {}", qa(&spec)));
                    return Ok(1);
                }
            }
        } else {
            match parse_owner(ctx, &spec) {
                Ok(x) => x,
                Err(msg) => {
                    err(ctx, prog, &msg);
                    return Ok(1);
                }
            }
        }
    };
    let verbose = p.has('v');
    let changes = p.has('c');
    let quiet = p.has('f');
    let recursive = p.has('R');
    let follow_top = !p.has('h') && !recursive;
    let mut status = 0;
    for f in &operands {
        let abs = ctx.abs(f);
        let top = if follow_top { ctx.fs.get(&abs, true) } else { ctx.fs.get(&abs, false) };
        let top = match top {
            Ok(n) => n,
            Err(e) => {
                if !quiet {
                    err(ctx, prog, &format!("cannot access {}: {}", qa(f), ferr(&e)));
                }
                status = 1;
                continue;
            }
        };
        let targets = if recursive && matches!(top, Node::Dir(_)) { tree(ctx, f, f)? } else { vec![(abs.clone(), f.clone(), top)] };
        for (i, (path, shown, node)) in targets.iter().enumerate() {
            tick(ctx, 1)?;
            let m = *node.meta();
            let nu = uid.unwrap_or(m.uid);
            let ng = gid.unwrap_or(m.gid);
            let follow = i == 0 && follow_top;
            if let Err(e) = ctx.fs.chown(path, nu, ng, follow) {
                if !quiet {
                    err(ctx, prog, &format!("changing ownership of {}: {}", qa(shown), ferr(&e)));
                }
                status = 1;
                continue;
            }
            // the kernel clears setuid (and setgid with group execute) of a file on chown
            if let Ok(Node::File(f)) = ctx.fs.get(path, follow) {
                let mut mode = f.meta.mode & !0o4000;
                if mode & 0o010 != 0 {
                    mode &= !0o2000;
                }
                if mode != f.meta.mode {
                    let _ = ctx.fs.chmod(path, mode);
                }
            }
            let changed = nu != m.uid || ng != m.gid;
            if verbose || (changes && changed) {
                let names = |ctx: &Ctx<'_>, u: u32, g: u32| {
                    if group_only {
                        users::gname_or_id(ctx.fs, g)
                    } else {
                        format!("{}:{}", users::uname_or_id(ctx.fs, u), users::gname_or_id(ctx.fs, g))
                    }
                };
                let what = if group_only { "group" } else { "ownership" };
                let msg = if changed {
                    format!("changed {what} of {} from {} to {}\n", qa(shown), names(ctx, m.uid, m.gid), names(ctx, nu, ng))
                } else {
                    format!("{what} of {} retained as {}\n", qa(shown), names(ctx, nu, ng))
                };
                out(ctx, msg.as_bytes())?;
            }
        }
    }
    Ok(status)
}

/// `user`, `user:group`, `user:`, `:group`, `user.group` (with GNU's warning).
fn parse_owner(ctx: &mut Ctx<'_>, spec: &str) -> Result<(Option<u32>, Option<u32>), String> {
    let (user, group, sep) = if let Some((u, g)) = spec.split_once(':') {
        (u, Some(g), true)
    } else if let Some((u, g)) = spec.split_once('.').filter(|(u, _)| users::user_by_name(ctx.fs, spec).is_none() && !u.is_empty()) {
        err(ctx, "chown", &format!("warning: '.' should be ':': {}", qa(spec)));
        (u, Some(g), true)
    } else {
        (spec, None, false)
    };
    let mut uid = None;
    let mut login_gid = None;
    if !user.is_empty() {
        match users::user_by_name(ctx.fs, user) {
            Some(u) => {
                uid = Some(u.uid);
                login_gid = Some(u.gid);
            }
            None => match user.parse::<u32>() {
                Ok(n) => uid = Some(n),
                Err(_) => return Err(format!("invalid user: {}", qa(spec))),
            },
        }
    }
    let gid = match group {
        Some("") if sep && !user.is_empty() => match login_gid {
            Some(g) => Some(g),
            None => return Err(format!("invalid spec: {}", qa(spec))),
        },
        Some("") => None,
        Some(g) => match users::resolve_gid(ctx.fs, g) {
            Some(x) => Some(x),
            None => return Err(format!("invalid group: {}", qa(spec))),
        },
        None => None,
    };
    Ok((uid, gid))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sym(s: &str, old: u32, dir: bool) -> u32 {
        Mode::parse(s).unwrap().apply(old, dir, UMASK).0
    }

    #[test]
    fn symbolic_modes_follow_gnu() {
        assert_eq!(sym("a=,u=rw", 0o644, false), 0o600);
        assert_eq!(sym("go+u", 0o600, false), 0o666);
        assert_eq!(sym("u+x-w", 0o666, false), 0o566);
        assert_eq!(sym("u=rw,+x", 0o566, false), 0o777);
        assert_eq!(sym("=x", 0o644, false), 0o111);
        assert_eq!(sym("+w", 0o111, false), 0o311);
        assert_eq!(sym("-w", 0o7666, false), 0o7466);
        assert_eq!(sym("a+X", 0o644, true), 0o755);
        assert_eq!(sym("a+X", 0o644, false), 0o644);
        assert_eq!(sym("+t", 0o700, true), 0o1700);
        assert_eq!(sym("u+s,g+s", 0o700, true), 0o6700);
        assert_eq!(sym("g=u", 0o744, false), 0o774);
        assert_eq!(Mode::parse("755").unwrap().apply(0o6700, true, UMASK).0, 0o6755);
        assert_eq!(Mode::parse("00755").unwrap().apply(0o6700, true, UMASK).0, 0o755);
        assert!(Mode::parse("u=go").is_none());
        assert!(Mode::parse(",").is_none());
        assert!(Mode::parse("").is_none());
        assert!(Mode::parse("17777").is_none());
        assert!(Mode::parse("u+q").is_none());
    }

    #[test]
    fn renders_permissions() {
        assert_eq!(perm_string(0o7466), "r-SrwSrwT");
        assert_eq!(perm_string(0o4755), "rwsr-xr-x");
        assert_eq!(perm_string(0o1777), "rwxrwxrwt");
    }
}
