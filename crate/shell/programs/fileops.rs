//! Programs that change the tree: `mkdir` (`-p -m -v`), `rmdir` (`-p -v`),
//! `touch` (`-c -d -t -r -h`, times from the virtual clock), `rm` (`-r -f -d -i
//! -v`, GNU's refusals for `/`, `.` and `..`), `cp` (`-r -R -a -p -d -P -L -f -n
//! -u -v -t -T`, into directories, merging into existing ones), `mv` (`-f -n -u
//! -v -t -T`), `ln` (`-s -f -n -v -r -t -T`), `install` (`-d -D -m -o -g -t -v`)
//! and `mktemp` (`-d -u -q -p -t --suffix`).
//!
//! Simplifications: hard links (`ln` without `-s`) share one node until a name
//! is written (the vfs copies on write, so the link then ends, where Linux
//! would change every name); permission bits are not enforced (every process
//! may write as root can).

use super::common::{err, ferr, getopt, out, qa, tick, usage_err, Arg, Parsed, Res, Spec};
use super::perms::{Mode, UMASK};
use super::timefmt;
use super::users;
use crate::shell::proc::Ctx;
use crate::vfs::{path as vpath, File, FsErrorKind, Meta, Node, Symlink};
use std::sync::Arc;

/// `dir/base` as GNU shows a path it composed (no doubled slash).
pub fn compose(dir: &str, base: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{base}")
    } else {
        format!("{dir}/{base}")
    }
}

fn last_component(s: &str) -> &str {
    super::basic::base_of(s)
}

// ----- mkdir ---------------------------------------------------------------------

const MKDIR: Spec = Spec {
    short: "m:pvZ",
    long: &[("mode", Arg::Required, 'm'), ("parents", Arg::No, 'p'), ("verbose", Arg::No, 'v'), ("context", Arg::Optional, 'Z')],
    permute: true,
    status: 1,
    usage: "[OPTION]... DIRECTORY...",
};

/// The mode `-m` gives a new directory (symbolic modes start from `a=rwx`).
fn dir_mode(m: &Option<Mode>) -> u32 {
    match m {
        None => 0o777 & !UMASK,
        Some(m) => m.apply(0o777, true, UMASK).0,
    }
}

pub fn mkdir(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "mkdir";
    let p = match getopt(ctx, prog, argv, &MKDIR) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    if p.args.is_empty() {
        return Ok(usage_err(ctx, prog, "missing operand", 1));
    }
    let mode = match p.val('m') {
        Some(m) => match Mode::parse(m) {
            Some(x) => Some(x),
            None => {
                err(ctx, prog, &format!("invalid mode {}", qa(m)));
                return Ok(1);
            }
        },
        None => None,
    };
    let final_mode = dir_mode(&mode);
    let verbose = p.has('v');
    let mut status = 0;
    for d in &p.args {
        tick(ctx, 1)?;
        if p.has('p') {
            // create each missing ancestor, as given
            let mut prefix = String::new();
            let comps: Vec<&str> = d.split('/').collect();
            let mut failed = false;
            for (i, c) in comps.iter().enumerate() {
                if i > 0 {
                    prefix.push('/');
                }
                prefix.push_str(c);
                if c.is_empty() || *c == "." || *c == ".." {
                    continue;
                }
                let last = comps[i + 1..].iter().all(|x| x.is_empty());
                let abs = ctx.abs(&prefix);
                match ctx.fs.stat(&abs) {
                    Ok(st) if st.is_dir() => {
                        if last {
                            break;
                        }
                    }
                    Ok(_) => {
                        let why = if last { "File exists" } else { "Not a directory" };
                        err(ctx, prog, &format!("cannot create directory {}: {why}", qa(&prefix)));
                        failed = true;
                        break;
                    }
                    Err(_) => {
                        let m = if last { final_mode } else { (0o777 & !UMASK) | 0o300 };
                        if let Err(e) = ctx.fs.mkdir(&abs, m) {
                            err(ctx, prog, &format!("cannot create directory {}: {}", qa(&prefix), ferr(&e)));
                            failed = true;
                            break;
                        }
                        set_owner(ctx, &abs);
                        if last && mode.is_some() {
                            let _ = ctx.fs.chmod(&abs, m);
                        }
                        if verbose {
                            out(ctx, format!("mkdir: created directory {}\n", qa(&prefix)).as_bytes())?;
                        }
                        if last {
                            break;
                        }
                    }
                }
            }
            if failed {
                status = 1;
            }
            continue;
        }
        let abs = ctx.abs(d);
        match ctx.fs.mkdir(&abs, final_mode) {
            Ok(()) => {
                set_owner(ctx, &abs);
                if verbose {
                    out(ctx, format!("mkdir: created directory {}\n", qa(d)).as_bytes())?;
                }
            }
            Err(e) => {
                err(ctx, prog, &format!("cannot create directory {}: {}", qa(d), ferr(&e)));
                status = 1;
            }
        }
    }
    Ok(status)
}

/// New nodes belong to the running user.
fn set_owner(ctx: &mut Ctx<'_>, abs: &str) {
    if ctx.uid != 0 || ctx.gid != 0 {
        let _ = ctx.fs.chown(abs, ctx.uid, ctx.gid, false);
    }
}

// ----- rmdir ---------------------------------------------------------------------

const RMDIR: Spec = Spec {
    short: "pv",
    long: &[("parents", Arg::No, 'p'), ("verbose", Arg::No, 'v'), ("ignore-fail-on-non-empty", Arg::No, 'I')],
    permute: true,
    status: 1,
    usage: "[OPTION]... DIRECTORY...",
};

pub fn rmdir(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "rmdir";
    let p = match getopt(ctx, prog, argv, &RMDIR) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    if p.args.is_empty() {
        return Ok(usage_err(ctx, prog, "missing operand", 1));
    }
    let mut status = 0;
    for d in &p.args {
        let mut cur = d.trim_end_matches('/').to_string();
        if cur.is_empty() {
            cur = "/".into();
        }
        loop {
            tick(ctx, 1)?;
            if p.has('v') {
                out(ctx, format!("rmdir: removing directory, {}\n", qa(&cur)).as_bytes())?;
            }
            let abs = ctx.abs(&cur);
            let r = match ctx.fs.lstat(&abs) {
                Ok(st) if st.is_symlink() => Err(crate::vfs::FsError::new(FsErrorKind::NotADirectory, &abs)),
                _ => ctx.fs.remove_dir(&abs),
            };
            if let Err(e) = r {
                if !(p.has('I') && e.kind == FsErrorKind::DirectoryNotEmpty) {
                    err(ctx, prog, &format!("failed to remove {}: {}", qa(&cur), ferr(&e)));
                    status = 1;
                }
                break;
            }
            if !p.has('p') {
                break;
            }
            match cur.rfind('/') {
                Some(i) if i > 0 => cur = cur[..i].trim_end_matches('/').to_string(),
                _ => break,
            }
            if cur.is_empty() {
                break;
            }
        }
    }
    Ok(status)
}

// ----- touch ---------------------------------------------------------------------

const TOUCH: Spec = Spec {
    short: "acd:fhmr:t:",
    long: &[
        ("no-create", Arg::No, 'c'),
        ("date", Arg::Required, 'd'),
        ("no-dereference", Arg::No, 'h'),
        ("reference", Arg::Required, 'r'),
        ("time", Arg::Required, 'T'),
    ],
    permute: true,
    status: 1,
    usage: "[OPTION]... FILE...",
};

pub fn touch(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "touch";
    let p = match getopt(ctx, prog, argv, &TOUCH) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    if p.args.is_empty() {
        return Ok(usage_err(ctx, prog, "missing file operand", 1));
    }
    let now = ctx.fs.now;
    let mut t = now;
    if let Some(r) = p.val('r') {
        match ctx.fs.stat(&ctx.abs(r)) {
            Ok(st) => t = st.meta.mtime,
            Err(e) => {
                err(ctx, prog, &format!("failed to get attributes of {}: {}", qa(r), ferr(&e)));
                return Ok(1);
            }
        }
    }
    if let Some(d) = p.val('d') {
        match timefmt::parse_date(d, now) {
            Some(x) => t = x,
            None => {
                err(ctx, prog, &format!("invalid date format {}", qa(d)));
                return Ok(1);
            }
        }
    }
    if let Some(s) = p.val('t') {
        match timefmt::parse_touch_stamp(s, now) {
            Some(x) => t = x,
            None => {
                err(ctx, prog, &format!("invalid date format {}", qa(s)));
                return Ok(1);
            }
        }
    }
    let follow = !p.has('h');
    let mut status = 0;
    for f in &p.args {
        tick(ctx, 1)?;
        if f == "-" {
            continue;
        }
        let abs = ctx.abs(f);
        let exists = if follow { ctx.fs.stat(&abs).is_ok() } else { ctx.fs.lstat(&abs).is_ok() };
        if !exists {
            if p.has('c') {
                continue;
            }
            if let Err(e) = ctx.fs.write(&abs, Vec::new(), 0o666 & !UMASK) {
                err(ctx, prog, &format!("cannot touch {}: {}", qa(f), ferr(&e)));
                status = 1;
                continue;
            }
            set_owner(ctx, &abs);
        }
        if let Err(e) = ctx.fs.set_mtime(&abs, t, follow) {
            err(ctx, prog, &format!("setting times of {}: {}", qa(f), ferr(&e)));
            status = 1;
        }
    }
    Ok(status)
}

// ----- rm ------------------------------------------------------------------------

const RM: Spec = Spec {
    short: "dfiIrRv",
    long: &[
        ("dir", Arg::No, 'd'),
        ("force", Arg::No, 'f'),
        ("interactive", Arg::Optional, 'i'),
        ("recursive", Arg::No, 'r'),
        ("verbose", Arg::No, 'v'),
        ("no-preserve-root", Arg::No, 'N'),
        ("preserve-root", Arg::Optional, 'P'),
        ("one-file-system", Arg::No, 'x'),
    ],
    permute: true,
    status: 1,
    usage: "[OPTION]... [FILE]...",
};

struct RmOpts {
    force: bool,
    interactive: bool,
    recursive: bool,
    dirs: bool,
    verbose: bool,
}

pub fn rm(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "rm";
    let p = match getopt(ctx, prog, argv, &RM) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    // the last of -f / -i wins
    let last_fi = p.opts.iter().rev().find(|(c, _)| *c == 'f' || *c == 'i').map(|(c, _)| *c);
    let o = RmOpts {
        force: last_fi == Some('f'),
        interactive: last_fi == Some('i'),
        recursive: p.has('r') || p.has('R'),
        dirs: p.has('d'),
        verbose: p.has('v'),
    };
    if p.args.is_empty() {
        if o.force {
            return Ok(0);
        }
        return Ok(usage_err(ctx, prog, "missing operand", 1));
    }
    let mut status = 0;
    for f in &p.args {
        tick(ctx, 1)?;
        let base = last_component(f);
        if o.recursive && (base == "." || base == ".." || f.ends_with("/.") || f.ends_with("/..")) && f != "/" {
            err(ctx, prog, &format!("refusing to remove '.' or '..' directory: skipping {}", qa(f)));
            status = 1;
            continue;
        }
        let abs = ctx.abs(f);
        let st = match ctx.fs.lstat(&abs) {
            Ok(s) => s,
            Err(e) => {
                if !(o.force && e.kind == FsErrorKind::NotFound) {
                    err(ctx, prog, &format!("cannot remove {}: {}", qa(f), ferr(&e)));
                    status = 1;
                }
                continue;
            }
        };
        // a trailing slash on a symlink to a directory means the directory
        let st = if f.ends_with('/') { ctx.fs.stat(&abs).unwrap_or(st) } else { st };
        if st.is_dir() {
            if o.recursive && ctx.fs.canonicalize(&abs).map(|c| c == "/").unwrap_or(false) && !p.has('N') {
                err(ctx, prog, &format!("it is dangerous to operate recursively on {}", qa(f)));
                err(ctx, prog, "use --no-preserve-root to override this failsafe");
                status = 1;
                continue;
            }
            if !o.recursive && !o.dirs {
                err(ctx, prog, &format!("cannot remove {}: Is a directory", qa(f)));
                status = 1;
                continue;
            }
            if !remove_tree(ctx, &abs, f, &o)? {
                status = 1;
            }
        } else {
            if o.interactive && !confirm(ctx, &format!("rm: remove {} {}? ", kind_word(&st), qa(f))) {
                continue;
            }
            match ctx.fs.remove_file(&abs) {
                Ok(()) => {
                    if o.verbose {
                        out(ctx, format!("removed {}\n", qa(f)).as_bytes())?;
                    }
                }
                Err(e) => {
                    err(ctx, prog, &format!("cannot remove {}: {}", qa(f), ferr(&e)));
                    status = 1;
                }
            }
        }
    }
    Ok(status)
}

fn kind_word(st: &crate::vfs::Stat) -> &'static str {
    match st.file_type {
        crate::vfs::FileType::Dir => "directory",
        crate::vfs::FileType::Symlink => "symbolic link",
        crate::vfs::FileType::File if st.size == 0 => "regular empty file",
        crate::vfs::FileType::File => "regular file",
    }
}

/// Asks on stderr, reads the answer from stdin (as `rm -i` does without a tty).
fn confirm(ctx: &mut Ctx<'_>, question: &str) -> bool {
    ctx.err(question);
    match ctx.stdin.read_line() {
        Some((l, _)) => matches!(l.first(), Some(b'y' | b'Y')),
        None => false,
    }
}

/// Removes a directory (recursively with `-r`), children first; false on an error.
fn remove_tree(ctx: &mut Ctx<'_>, abs: &str, shown: &str, o: &RmOpts) -> Res<bool> {
    let node = match ctx.fs.get(abs, true) {
        Ok(n) => n,
        Err(_) => return Ok(false),
    };
    let usage = node.usage();
    if !o.recursive {
        // -d: only an empty directory
        return match ctx.fs.remove_dir(abs) {
            Ok(()) => {
                if o.verbose {
                    out(ctx, format!("removed directory {}\n", qa(shown)).as_bytes())?;
                }
                Ok(true)
            }
            Err(e) => {
                err(ctx, "rm", &format!("cannot remove {}: {}", qa(shown), ferr(&e)));
                Ok(false)
            }
        };
    }
    tick(ctx, usage.nodes)?;
    if !o.verbose && !o.interactive {
        return match ctx.fs.remove_all(abs) {
            Ok(()) => Ok(true),
            Err(e) => {
                err(ctx, "rm", &format!("cannot remove {}: {}", qa(shown), ferr(&e)));
                Ok(false)
            }
        };
    }
    if o.interactive && !confirm(ctx, &format!("rm: descend into directory {}? ", qa(shown))) {
        return Ok(true);
    }
    let mut ok = true;
    if let Node::Dir(d) = &node {
        let children: Vec<(String, Node)> = d.entries.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        for (name, child) in children {
            let cabs = compose(abs, &name);
            let cshown = compose(shown, &name);
            if let Node::Dir(_) = child {
                ok &= remove_tree(ctx, &cabs, &cshown, o)?;
            } else {
                let st = child.stat();
                if o.interactive && !confirm(ctx, &format!("rm: remove {} {}? ", kind_word(&st), qa(&cshown))) {
                    ok = false;
                    continue;
                }
                match ctx.fs.remove_file(&cabs) {
                    Ok(()) => {
                        if o.verbose {
                            out(ctx, format!("removed {}\n", qa(&cshown)).as_bytes())?;
                        }
                    }
                    Err(e) => {
                        err(ctx, "rm", &format!("cannot remove {}: {}", qa(&cshown), ferr(&e)));
                        ok = false;
                    }
                }
            }
        }
    }
    if o.interactive && !confirm(ctx, &format!("rm: remove directory {}? ", qa(shown))) {
        return Ok(ok);
    }
    match ctx.fs.remove_dir(abs) {
        Ok(()) => {
            if o.verbose {
                out(ctx, format!("removed directory {}\n", qa(shown)).as_bytes())?;
            }
        }
        Err(e) => {
            if ok {
                err(ctx, "rm", &format!("cannot remove {}: {}", qa(shown), ferr(&e)));
            }
            ok = false;
        }
    }
    Ok(ok)
}

// ----- cp ------------------------------------------------------------------------

const CP: Spec = Spec {
    short: "adfHilLnPprRsS:t:Tuvx",
    long: &[
        ("archive", Arg::No, 'a'),
        ("force", Arg::No, 'f'),
        ("interactive", Arg::No, 'i'),
        ("link", Arg::No, 'l'),
        ("dereference", Arg::No, 'L'),
        ("no-clobber", Arg::No, 'n'),
        ("no-dereference", Arg::No, 'P'),
        ("preserve", Arg::Optional, 'K'),
        ("no-preserve", Arg::Required, 'k'),
        ("parents", Arg::No, 'E'),
        ("recursive", Arg::No, 'R'),
        ("remove-destination", Arg::No, 'D'),
        ("symbolic-link", Arg::No, 's'),
        ("target-directory", Arg::Required, 't'),
        ("no-target-directory", Arg::No, 'T'),
        ("update", Arg::Optional, 'u'),
        ("verbose", Arg::No, 'v'),
        ("one-file-system", Arg::No, 'x'),
    ],
    permute: true,
    status: 1,
    usage: "[OPTION]... [-T] SOURCE DEST\n  or:  cp [OPTION]... SOURCE... DIRECTORY\n  or:  cp [OPTION]... -t DIRECTORY SOURCE...",
};

struct CpOpts {
    recursive: bool,
    /// Copy symlinks as symlinks (below the command line).
    no_deref: bool,
    /// Follow symlinks named on the command line.
    deref_top: bool,
    preserve_mode: bool,
    preserve_owner: bool,
    preserve_time: bool,
    no_clobber: bool,
    update: bool,
    verbose: bool,
    interactive: bool,
    symlink: bool,
}

/// Splits the operands of cp/mv/ln/install into sources and the destination
/// (or target directory), with GNU's checks. `Err(status)` after a message.
fn sources_and_target(ctx: &mut Ctx<'_>, prog: &str, p: &Parsed, min_one: bool) -> Result<(Vec<String>, String, bool), i32> {
    let mut args = p.args.clone();
    if let Some(t) = p.val('t') {
        if args.is_empty() && min_one {
            return Err(usage_err(ctx, prog, "missing file operand", 1));
        }
        match ctx.fs.stat(&ctx.abs(t)) {
            Ok(st) if st.is_dir() => {}
            Ok(_) => {
                err(ctx, prog, &format!("target directory {}: Not a directory", qa(t)));
                return Err(1);
            }
            Err(e) => {
                err(ctx, prog, &format!("target directory {}: {}", qa(t), ferr(&e)));
                return Err(1);
            }
        }
        return Ok((args, t.to_string(), true));
    }
    if args.is_empty() {
        return Err(usage_err(ctx, prog, "missing file operand", 1));
    }
    if args.len() == 1 {
        return Err(usage_err(ctx, prog, &format!("missing destination file operand after {}", qa(&args[0])), 1));
    }
    let dest = args.pop().unwrap_or_default();
    if p.has('T') {
        if args.len() > 1 {
            return Err(usage_err(ctx, prog, &format!("extra operand {}", qa(&dest)), 1));
        }
        return Ok((args, dest, false));
    }
    let dest_is_dir = ctx.fs.stat(&ctx.abs(&dest)).map(|s| s.is_dir()).unwrap_or(false);
    if args.len() > 1 && !dest_is_dir {
        match ctx.fs.stat(&ctx.abs(&dest)) {
            Ok(_) => err(ctx, prog, &format!("target {} is not a directory", qa(&dest))),
            Err(e) => err(ctx, prog, &format!("target {}: {}", qa(&dest), ferr(&e))),
        }
        return Err(1);
    }
    Ok((args, dest, dest_is_dir))
}

pub fn cp(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "cp";
    let p = match getopt(ctx, prog, argv, &CP) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    let archive = p.has('a');
    let recursive = archive || p.has('r') || p.has('R');
    let mut preserve_all = archive || p.has('p');
    if let Some(list) = p.val('K') {
        if list.split(',').any(|x| matches!(x, "all" | "mode" | "ownership" | "timestamps")) {
            preserve_all = true;
        }
    } else if p.has('K') {
        preserve_all = true;
    }
    let last_deref = p.opts.iter().rev().find(|(c, _)| matches!(c, 'L' | 'P' | 'd' | 'H' | 'a')).map(|(c, _)| *c);
    let no_deref = match last_deref {
        Some('L') => false,
        Some('P' | 'd' | 'a' | 'H') => true,
        _ => recursive,
    };
    let deref_top = match last_deref {
        Some('L' | 'H') => true,
        Some(_) => false,
        None => !recursive,
    };
    let o = CpOpts {
        recursive,
        no_deref,
        deref_top,
        preserve_mode: preserve_all,
        preserve_owner: preserve_all,
        preserve_time: preserve_all,
        no_clobber: p.has('n'),
        update: p.has('u'),
        verbose: p.has('v'),
        interactive: p.has('i'),
        symlink: p.has('s'),
    };
    let (sources, dest, into) = match sources_and_target(ctx, prog, &p, true) {
        Ok(x) => x,
        Err(s) => return Ok(s),
    };
    let mut status = 0;
    for s in &sources {
        tick(ctx, 1)?;
        let sabs = ctx.abs(s);
        let node = match ctx.fs.get(&sabs, o.deref_top) {
            Ok(n) => n,
            Err(e) => {
                err(ctx, prog, &format!("cannot stat {}: {}", qa(s), ferr(&e)));
                status = 1;
                continue;
            }
        };
        let target = if into { compose(&dest, last_component(s)) } else { dest.clone() };
        if matches!(node, Node::Dir(_)) && !o.recursive {
            err(ctx, prog, &format!("-r not specified; omitting directory {}", qa(s)));
            status = 1;
            continue;
        }
        if o.symlink {
            let tabs = ctx.abs(&target);
            if let Err(e) = ctx.fs.symlink(s, &tabs) {
                err(ctx, prog, &format!("cannot create symbolic link {} to {}: {}", qa(&target), qa(s), ferr(&e)));
                status = 1;
            }
            continue;
        }
        if matches!(node, Node::Dir(_)) {
            // into itself?
            let src_real = ctx.fs.canonicalize(&sabs).unwrap_or(sabs.clone());
            let tabs = ctx.abs(&target);
            let dst_real = ctx.fs.canonicalize(&tabs).unwrap_or(tabs.clone());
            if dst_real == src_real || dst_real.starts_with(&format!("{}/", src_real.trim_end_matches('/'))) || src_real == "/" {
                // GNU reports it, yet copies what the directory held before the copy began
                err(ctx, prog, &format!("cannot copy a directory, {}, into itself, {}", qa(s), qa(&target)));
                status = 1;
                let snapshot = ctx.fs.get(&sabs, true).ok();
                if let Some(n) = snapshot {
                    if ctx.fs.lstat(&tabs).is_err() {
                        let fresh = rebuild(ctx, &n, &o)?;
                        let _ = ctx.fs.insert(&tabs, fresh);
                    } else {
                        copy_node(ctx, &n, s, &target, &o, true)?;
                    }
                }
                continue;
            }
        }
        if !copy_node(ctx, &node, s, &target, &o, true)? {
            status = 1;
        }
    }
    Ok(status)
}

/// The metadata a copy gets: the source's with `-p`, else the source mode less
/// the umask, the running user, and now.
fn copied_meta(ctx: &Ctx<'_>, m: &Meta, o: &CpOpts) -> Meta {
    Meta {
        mode: if o.preserve_mode { m.mode } else { m.mode & !UMASK & 0o777 },
        uid: if o.preserve_owner { m.uid } else { ctx.uid },
        gid: if o.preserve_owner { m.gid } else { ctx.gid },
        mtime: if o.preserve_time { m.mtime } else { ctx.fs.now },
    }
}

/// A fresh subtree for a copy into a place where nothing exists yet.
fn rebuild(ctx: &mut Ctx<'_>, n: &Node, o: &CpOpts) -> Res<Node> {
    tick(ctx, 1)?;
    Ok(match n {
        Node::File(f) => {
            if f.data.len() > 4096 {
                tick(ctx, f.data.len() as u64 / super::common::BYTES_PER_STEP)?;
            }
            Node::File(Arc::new(File { meta: copied_meta(ctx, &f.meta, o), data: f.data.clone(), hardlinked: false }))
        }
        Node::Symlink(s) => {
            Node::Symlink(Arc::new(Symlink { meta: Meta { mode: 0o777, ..copied_meta(ctx, &s.meta, o) }, target: s.target.clone() }))
        }
        Node::Dir(d) => {
            let mut nd = crate::vfs::Dir { meta: copied_meta(ctx, &d.meta, o), entries: Default::default() };
            for (k, c) in &d.entries {
                nd.entries.insert(k.clone(), rebuild(ctx, c, o)?);
            }
            Node::Dir(Arc::new(nd))
        }
    })
}

/// Copies `node` (found at `src`) to `dst`; false after printing an error.
fn copy_node(ctx: &mut Ctx<'_>, node: &Node, src: &str, dst: &str, o: &CpOpts, top: bool) -> Res<bool> {
    tick(ctx, 1)?;
    let prog = "cp";
    let dabs = ctx.abs(dst);
    let existing = ctx.fs.get(&dabs, true).ok();
    let existing_l = ctx.fs.get(&dabs, false).ok();
    // a symlink below the command line, followed with -L
    let node = match node {
        Node::Symlink(_) if !o.no_deref && !top => match ctx.fs.get(&ctx.abs(src), true) {
            Ok(n) => n,
            Err(e) => {
                err(ctx, prog, &format!("cannot stat {}: {}", qa(src), ferr(&e)));
                return Ok(false);
            }
        },
        n => n.clone(),
    };
    match &node {
        Node::Dir(d) => {
            match &existing {
                Some(Node::Dir(_)) => {}
                Some(_) => {
                    err(ctx, prog, &format!("cannot overwrite non-directory {} with directory {}", qa(dst), qa(src)));
                    return Ok(false);
                }
                None => {
                    if !o.verbose && o.no_deref {
                        let fresh = rebuild(ctx, &node, o)?;
                        return match ctx.fs.insert(&dabs, fresh) {
                            Ok(()) => Ok(true),
                            Err(e) => {
                                err(ctx, prog, &format!("cannot create directory {}: {}", qa(dst), ferr(&e)));
                                Ok(false)
                            }
                        };
                    }
                    let meta = copied_meta(ctx, &d.meta, o);
                    if let Err(e) = ctx.fs.mkdir(&dabs, meta.mode | 0o700) {
                        err(ctx, prog, &format!("cannot create directory {}: {}", qa(dst), ferr(&e)));
                        return Ok(false);
                    }
                    out(ctx, format!("{} -> {}\n", qa(src), qa(dst)).as_bytes())?;
                    let mut ok = true;
                    for (k, c) in &d.entries {
                        ok &= copy_node(ctx, c, &compose(src, k), &compose(dst, k), o, false)?;
                    }
                    let _ = ctx.fs.set_meta(&dabs, meta);
                    return Ok(ok);
                }
            }
            // merge into the existing directory
            let mut ok = true;
            for (k, c) in &d.entries {
                ok &= copy_node(ctx, c, &compose(src, k), &compose(dst, k), o, false)?;
            }
            if o.preserve_mode || o.preserve_time || o.preserve_owner {
                let meta = copied_meta(ctx, &d.meta, o);
                let _ = ctx.fs.set_meta(&ctx.fs.canonicalize(&dabs).unwrap_or(dabs.clone()), meta);
            }
            Ok(ok)
        }
        Node::File(f) => {
            if let Some(ex) = &existing {
                if let Node::Dir(_) = ex {
                    err(ctx, prog, &format!("cannot overwrite directory {} with non-directory", qa(dst)));
                    return Ok(false);
                }
                let same = ctx.fs.canonicalize(&dabs).ok() == ctx.fs.canonicalize(&ctx.abs(src)).ok();
                if same {
                    err(ctx, prog, &format!("{} and {} are the same file", qa(src), qa(dst)));
                    return Ok(false);
                }
                if o.no_clobber {
                    return Ok(true);
                }
                if o.update && ex.meta().mtime >= f.meta.mtime {
                    return Ok(true);
                }
                if o.interactive && !confirm(ctx, &format!("cp: overwrite {}? ", qa(dst))) {
                    return Ok(true);
                }
            }
            if f.data.len() > 4096 {
                tick(ctx, f.data.len() as u64 / super::common::BYTES_PER_STEP)?;
            }
            let r = match &existing {
                Some(_) if !o.preserve_mode && !o.preserve_owner => ctx.fs.write(&dabs, f.data.as_ref().clone(), 0o644),
                _ => {
                    let meta = copied_meta(ctx, &f.meta, o);
                    let target = if existing.is_some() { ctx.fs.canonicalize(&dabs).unwrap_or(dabs.clone()) } else { dabs.clone() };
                    if existing_l.is_none() && dst.ends_with('/') {
                        Err(crate::vfs::FsError::new(FsErrorKind::NotADirectory, &dabs))
                    } else {
                        ctx.fs.insert(&target, Node::File(Arc::new(File { meta, data: f.data.clone(), hardlinked: false })))
                    }
                }
            };
            if let Err(e) = r {
                err(ctx, prog, &format!("cannot create regular file {}: {}", qa(dst), ferr(&e)));
                return Ok(false);
            }
            if o.preserve_time {
                let _ = ctx.fs.set_mtime(&dabs, f.meta.mtime, true);
            }
            if o.verbose {
                out(ctx, format!("{} -> {}\n", qa(src), qa(dst)).as_bytes())?;
            }
            Ok(true)
        }
        Node::Symlink(s) => {
            if let Some(ex) = &existing_l {
                if let Node::Dir(_) = ex {
                    err(ctx, prog, &format!("cannot overwrite directory {} with non-directory", qa(dst)));
                    return Ok(false);
                }
                if o.no_clobber {
                    return Ok(true);
                }
                let _ = ctx.fs.remove_file(&dabs);
            }
            let meta = Meta { mode: 0o777, ..copied_meta(ctx, &s.meta, o) };
            if let Err(e) = ctx.fs.insert(&dabs, Node::Symlink(Arc::new(Symlink { meta, target: s.target.clone() }))) {
                err(ctx, prog, &format!("cannot create symbolic link {}: {}", qa(dst), ferr(&e)));
                return Ok(false);
            }
            if o.verbose {
                out(ctx, format!("{} -> {}\n", qa(src), qa(dst)).as_bytes())?;
            }
            Ok(true)
        }
    }
}

// ----- mv ------------------------------------------------------------------------

const MV: Spec = Spec {
    short: "bfinS:t:Tuv",
    long: &[
        ("force", Arg::No, 'f'),
        ("interactive", Arg::No, 'i'),
        ("no-clobber", Arg::No, 'n'),
        ("target-directory", Arg::Required, 't'),
        ("no-target-directory", Arg::No, 'T'),
        ("update", Arg::Optional, 'u'),
        ("verbose", Arg::No, 'v'),
        ("backup", Arg::Optional, 'b'),
        ("suffix", Arg::Required, 'S'),
    ],
    permute: true,
    status: 1,
    usage: "[OPTION]... [-T] SOURCE DEST\n  or:  mv [OPTION]... SOURCE... DIRECTORY\n  or:  mv [OPTION]... -t DIRECTORY SOURCE...",
};

pub fn mv(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "mv";
    let p = match getopt(ctx, prog, argv, &MV) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    let (sources, dest, into) = match sources_and_target(ctx, prog, &p, true) {
        Ok(x) => x,
        Err(s) => return Ok(s),
    };
    let last_fin = p.opts.iter().rev().find(|(c, _)| matches!(c, 'f' | 'i' | 'n')).map(|(c, _)| *c);
    let mut status = 0;
    for s in &sources {
        tick(ctx, 1)?;
        let sabs = ctx.abs(s);
        let sst = match ctx.fs.lstat(&sabs) {
            Ok(x) => x,
            Err(e) => {
                err(ctx, prog, &format!("cannot stat {}: {}", qa(s), ferr(&e)));
                status = 1;
                continue;
            }
        };
        let target = if into { compose(&dest, last_component(s)) } else { dest.clone() };
        let tabs = ctx.abs(&target);
        if let Ok(tst) = ctx.fs.lstat(&tabs) {
            let same = ctx.fs.canonicalize(&tabs).ok() == ctx.fs.canonicalize(&sabs).ok() && !sst.is_symlink();
            if same {
                err(ctx, prog, &format!("{} and {} are the same file", qa(s), qa(&target)));
                status = 1;
                continue;
            }
            match last_fin {
                Some('n') => continue,
                Some('i') if !confirm(ctx, &format!("mv: overwrite {}? ", qa(&target))) => continue,
                _ => {}
            }
            if p.has('u') && tst.meta.mtime >= sst.meta.mtime && !tst.is_dir() {
                continue;
            }
        }
        match ctx.fs.rename(&sabs, &tabs) {
            Ok(()) => {
                if p.has('v') {
                    out(ctx, format!("renamed {} -> {}\n", qa(s), qa(&target)).as_bytes())?;
                }
            }
            Err(e) => {
                let msg = match e.kind {
                    FsErrorKind::InvalidArgument => format!("cannot move {} to a subdirectory of itself, {}", qa(s), qa(&target)),
                    FsErrorKind::NotADirectory if sst.is_dir() && ctx.fs.lstat(&tabs).is_ok() => {
                        format!("cannot overwrite non-directory {} with directory {}", qa(&target), qa(s))
                    }
                    FsErrorKind::IsADirectory => format!("cannot overwrite directory {} with non-directory", qa(&target)),
                    _ => format!("cannot move {} to {}: {}", qa(s), qa(&target), ferr(&e)),
                };
                err(ctx, prog, &msg);
                status = 1;
            }
        }
    }
    Ok(status)
}

// ----- ln ------------------------------------------------------------------------

const LN: Spec = Spec {
    short: "bdfFinLPrsS:t:Tv",
    long: &[
        ("force", Arg::No, 'f'),
        ("interactive", Arg::No, 'i'),
        ("logical", Arg::No, 'L'),
        ("no-dereference", Arg::No, 'n'),
        ("physical", Arg::No, 'P'),
        ("relative", Arg::No, 'r'),
        ("symbolic", Arg::No, 's'),
        ("target-directory", Arg::Required, 't'),
        ("no-target-directory", Arg::No, 'T'),
        ("verbose", Arg::No, 'v'),
        ("backup", Arg::Optional, 'b'),
        ("suffix", Arg::Required, 'S'),
    ],
    permute: true,
    status: 1,
    usage: "[OPTION]... [-T] TARGET LINK_NAME\n  or:  ln [OPTION]... TARGET\n  or:  ln [OPTION]... TARGET... DIRECTORY\n  or:  ln [OPTION]... -t DIRECTORY TARGET...",
};

/// `to` relative to the directory `from_dir` (both absolute, normalised).
fn relative(from_dir: &str, to: &str) -> String {
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

pub fn ln(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "ln";
    let p = match getopt(ctx, prog, argv, &LN) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    let symbolic = p.has('s');
    let no_deref = p.has('n');
    let (targets, dest, into) = if p.val('t').is_none() && p.args.len() == 1 {
        (p.args.clone(), ".".to_string(), true)
    } else {
        match sources_and_target(ctx, prog, &p, true) {
            Ok((s, d, i)) => {
                // -n: a symlink to a directory as the destination is replaced, not entered
                let i = if i && no_deref && s.len() == 1 && p.val('t').is_none() {
                    !ctx.fs.lstat(&ctx.abs(&d)).map(|st| st.is_symlink()).unwrap_or(false)
                } else {
                    i
                };
                (s, d, i)
            }
            Err(s) => return Ok(s),
        }
    };
    let mut status = 0;
    for t in &targets {
        tick(ctx, 1)?;
        let link = if into { if dest == "." { last_component(t).to_string() } else { compose(&dest, last_component(t)) } } else { dest.clone() };
        let shown_link = if into && dest == "." { compose(".", last_component(t)) } else { link.clone() };
        let labs = ctx.abs(&link);
        let what = if symbolic { "symbolic link" } else { "hard link" };
        if !symbolic {
            match ctx.fs.stat(&ctx.abs(t)) {
                Ok(st) if st.is_dir() => {
                    err(ctx, prog, &format!("{}: hard link not allowed for directory", t));
                    status = 1;
                    continue;
                }
                Ok(_) => {}
                Err(e) => {
                    err(ctx, prog, &format!("failed to access {}: {}", qa(t), ferr(&e)));
                    status = 1;
                    continue;
                }
            }
        }
        if let Ok(existing) = ctx.fs.lstat(&labs) {
            if !symbolic && ctx.fs.canonicalize(&labs).ok() == ctx.fs.canonicalize(&ctx.abs(t)).ok() && p.has('f') {
                err(ctx, prog, &format!("{} and {} are the same file", qa(t), qa(&link)));
                status = 1;
                continue;
            }
            if p.has('f') {
                if existing.is_dir() {
                    err(ctx, prog, &format!("{}: cannot overwrite directory", qa(&link)));
                    status = 1;
                    continue;
                }
                let _ = ctx.fs.remove_file(&labs);
            } else if p.has('i') && confirm(ctx, &format!("ln: replace {}? ", qa(&link))) {
                let _ = ctx.fs.remove_file(&labs);
            } else {
                err(ctx, prog, &format!("failed to create {what} {}: File exists", qa(&shown_link)));
                status = 1;
                continue;
            }
        }
        let r = if symbolic {
            let target = if p.has('r') {
                let tabs = vpath::normalize(&ctx.abs(t));
                let dir = vpath::parent(&vpath::normalize(&labs)).to_string();
                relative(&dir, &tabs)
            } else {
                t.clone()
            };
            ctx.fs.symlink(&target, &labs).map(|_| target)
        } else {
            // -L: link what a symlink points to (Linux's default is -P)
            let src = if p.has('L') { ctx.fs.canonicalize(&ctx.abs(t)).unwrap_or_else(|_| ctx.abs(t)) } else { ctx.abs(t) };
            ctx.fs.hard_link(&src, &labs).map(|_| t.clone())
        };
        match r {
            Ok(target) => {
                set_owner_l(ctx, &labs);
                if p.has('v') {
                    let arrow = if symbolic { "->" } else { "=>" };
                    out(ctx, format!("{} {arrow} {}\n", qa(&link), qa(&target)).as_bytes())?;
                }
            }
            Err(e) => {
                err(ctx, prog, &format!("failed to create {what} {}: {}", qa(&link), ferr(&e)));
                status = 1;
            }
        }
    }
    Ok(status)
}

fn set_owner_l(ctx: &mut Ctx<'_>, abs: &str) {
    if ctx.uid != 0 || ctx.gid != 0 {
        if let Ok(st) = ctx.fs.lstat(abs) {
            if st.is_symlink() {
                let _ = ctx.fs.chown(abs, ctx.uid, ctx.gid, false);
            }
        }
    }
}

// ----- install -------------------------------------------------------------------

const INSTALL: Spec = Spec {
    short: "bcCdDg:m:o:psS:t:TvZ",
    long: &[
        ("directory", Arg::No, 'd'),
        ("group", Arg::Required, 'g'),
        ("mode", Arg::Required, 'm'),
        ("owner", Arg::Required, 'o'),
        ("preserve-timestamps", Arg::No, 'p'),
        ("strip", Arg::No, 's'),
        ("target-directory", Arg::Required, 't'),
        ("no-target-directory", Arg::No, 'T'),
        ("verbose", Arg::No, 'v'),
        ("compare", Arg::No, 'C'),
    ],
    permute: true,
    status: 1,
    usage: "[OPTION]... [-T] SOURCE DEST\n  or:  install [OPTION]... SOURCE... DIRECTORY\n  or:  install [OPTION]... -t DIRECTORY SOURCE...\n  or:  install [OPTION]... -d DIRECTORY...",
};

pub fn install(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "install";
    let p = match getopt(ctx, prog, argv, &INSTALL) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    let mode = match p.val('m') {
        Some(m) => match Mode::parse(m) {
            Some(x) => Some(x.apply(0o755, false, 0).0),
            None => {
                err(ctx, prog, &format!("invalid mode {}", qa(m)));
                return Ok(1);
            }
        },
        None => None,
    };
    let uid = match p.val('o') {
        Some(o) => match users::resolve_uid(ctx.fs, o) {
            Some(u) => Some(u),
            None => {
                err(ctx, prog, &format!("invalid user {}", qa(o)));
                return Ok(1);
            }
        },
        None => None,
    };
    let gid = match p.val('g') {
        Some(g) => match users::resolve_gid(ctx.fs, g) {
            Some(x) => Some(x),
            None => {
                err(ctx, prog, &format!("invalid group {}", qa(g)));
                return Ok(1);
            }
        },
        None => None,
    };
    let verbose = p.has('v');
    let mut status = 0;
    let make_dirs = |ctx: &mut Ctx<'_>, d: &str, last_mode: u32, verbose: bool| -> Res<bool> {
        let mut prefix = String::new();
        let comps: Vec<&str> = d.split('/').collect();
        for (i, c) in comps.iter().enumerate() {
            if i > 0 {
                prefix.push('/');
            }
            prefix.push_str(c);
            if c.is_empty() || *c == "." {
                continue;
            }
            let abs = ctx.abs(&prefix);
            match ctx.fs.stat(&abs) {
                Ok(st) if st.is_dir() => {}
                Ok(_) => {
                    err(ctx, "install", &format!("cannot create directory {}: File exists", qa(&prefix)));
                    return Ok(false);
                }
                Err(_) => {
                    if verbose {
                        out(ctx, format!("install: creating directory {}\n", qa(&prefix)).as_bytes())?;
                    }
                    let last = comps[i + 1..].iter().all(|x| x.is_empty());
                    if let Err(e) = ctx.fs.mkdir(&abs, if last { last_mode } else { 0o755 }) {
                        err(ctx, "install", &format!("cannot create directory {}: {}", qa(&prefix), ferr(&e)));
                        return Ok(false);
                    }
                }
            }
        }
        Ok(true)
    };
    if p.has('d') {
        if p.args.is_empty() {
            return Ok(usage_err(ctx, prog, "missing file operand", 1));
        }
        for d in &p.args {
            tick(ctx, 1)?;
            if !make_dirs(ctx, d, mode.unwrap_or(0o755), verbose)? {
                status = 1;
                continue;
            }
            let abs = ctx.abs(d);
            if let Some(m) = mode {
                let _ = ctx.fs.chmod(&abs, m);
            }
            if uid.is_some() || gid.is_some() {
                let st = ctx.fs.stat(&abs).map(|s| s.meta).unwrap_or_default();
                let _ = ctx.fs.chown(&abs, uid.unwrap_or(st.uid), gid.unwrap_or(st.gid), true);
            }
        }
        return Ok(status);
    }
    if p.has('D') {
        // create the destination's leading directories first
        let dir_of_dest = match p.val('t') {
            Some(t) => Some(t.to_string()),
            None => p.args.last().map(|d| super::basic::dir_of(d).to_string()),
        };
        if let Some(d) = dir_of_dest {
            if p.args.len() >= 2 || p.val('t').is_some() {
                make_dirs(ctx, &d, 0o755, verbose)?;
            }
        }
    }
    let (sources, dest, into) = match sources_and_target(ctx, prog, &p, true) {
        Ok(x) => x,
        Err(s) => return Ok(s),
    };
    for s in &sources {
        tick(ctx, 1)?;
        let data = match ctx.fs.get(&ctx.abs(s), true) {
            Ok(Node::File(f)) => f.data.clone(),
            Ok(Node::Dir(_)) => {
                err(ctx, prog, &format!("omitting directory {}", qa(s)));
                status = 1;
                continue;
            }
            Ok(Node::Symlink(_)) | Err(_) => {
                let e = ctx.fs.stat(&ctx.abs(s)).err().map(|e| ferr(&e)).unwrap_or_else(|| "No such file or directory".into());
                err(ctx, prog, &format!("cannot stat {}: {}", qa(s), e));
                status = 1;
                continue;
            }
        };
        let target = if into { compose(&dest, last_component(s)) } else { dest.clone() };
        let tabs = ctx.abs(&target);
        if ctx.fs.stat(&tabs).map(|st| st.is_dir()).unwrap_or(false) {
            err(ctx, prog, &format!("cannot overwrite directory {} with non-directory", qa(&target)));
            status = 1;
            continue;
        }
        let meta = Meta { mode: mode.unwrap_or(0o755), uid: uid.unwrap_or(ctx.uid), gid: gid.unwrap_or(ctx.gid), mtime: ctx.fs.now };
        let _ = ctx.fs.remove_file(&tabs);
        if let Err(e) = ctx.fs.insert(&tabs, Node::File(Arc::new(File { meta, data, hardlinked: false }))) {
            err(ctx, prog, &format!("cannot create regular file {}: {}", qa(&target), ferr(&e)));
            status = 1;
            continue;
        }
        if verbose {
            out(ctx, format!("{} -> {}\n", qa(s), qa(&target)).as_bytes())?;
        }
    }
    Ok(status)
}

// ----- mktemp --------------------------------------------------------------------

const MKTEMP: Spec = Spec {
    short: "dp:qtu",
    long: &[
        ("directory", Arg::No, 'd'),
        ("dry-run", Arg::No, 'u'),
        ("quiet", Arg::No, 'q'),
        ("suffix", Arg::Required, 'S'),
        ("tmpdir", Arg::Optional, 'p'),
    ],
    permute: true,
    status: 1,
    usage: "[OPTION]... [TEMPLATE]",
};

pub fn mktemp(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "mktemp";
    let p = match getopt(ctx, prog, argv, &MKTEMP) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    if p.args.len() > 1 {
        return Ok(usage_err(ctx, prog, "too many templates", 1));
    }
    let quiet = p.has('q');
    let default = p.args.is_empty();
    let mut template = p.args.first().cloned().unwrap_or_else(|| "tmp.XXXXXXXXXX".into());
    let mut suffix = p.val('S').unwrap_or("").to_string();
    if suffix.contains('/') {
        err(ctx, prog, &format!("invalid suffix {}, contains directory separator", qa(&suffix)));
        return Ok(1);
    }
    if p.val('S').is_none() && !template.ends_with('X') {
        if let Some(i) = template.rfind('X') {
            suffix = template[i + 1..].to_string();
            template.truncate(i + 1);
            if suffix.contains('/') {
                err(ctx, prog, &format!("invalid suffix {}, contains directory separator", qa(&suffix)));
                return Ok(1);
            }
        }
    }
    let xs = template.bytes().rev().take_while(|b| *b == b'X').count();
    if xs < 3 {
        if !quiet {
            err(ctx, prog, &format!("too few X's in template {}", qa(&format!("{template}{suffix}"))));
        }
        return Ok(1);
    }
    let tmpdir = || ctx.getenv("TMPDIR").filter(|t| !t.is_empty()).unwrap_or("/tmp").to_string();
    let dir: Option<String> = if let Some(d) = p.val('p') {
        Some(if d.is_empty() { tmpdir() } else { d.to_string() })
    } else if p.has('p') || p.has('t') || default {
        Some(tmpdir())
    } else {
        None
    };
    let full_template = match &dir {
        Some(d) => compose(d, &template),
        None => template.clone(),
    };
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut seed = (ctx.clock.now as u64) ^ ctx.budget.steps_left.rotate_left(17) ^ 0x9E37_79B9_7F4A_7C15;
    for _attempt in 0..100 {
        tick(ctx, 1)?;
        let mut name = full_template[..full_template.len() - xs].to_string();
        for _ in 0..xs {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            name.push(CHARS[(seed % CHARS.len() as u64) as usize] as char);
        }
        name.push_str(&suffix);
        let abs = ctx.abs(&name);
        if ctx.fs.lstat(&abs).is_ok() {
            continue;
        }
        if !p.has('u') {
            let r = if p.has('d') { ctx.fs.mkdir(&abs, 0o700) } else { ctx.fs.write(&abs, Vec::new(), 0o600) };
            if let Err(e) = r {
                if !quiet {
                    let what = if p.has('d') { "directory" } else { "file" };
                    err(ctx, prog, &format!("failed to create {what} via template {}: {}", qa(&format!("{full_template}{suffix}")), ferr(&e)));
                }
                return Ok(1);
            }
            set_owner(ctx, &abs);
        }
        out(ctx, format!("{name}\n").as_bytes())?;
        return Ok(0);
    }
    err(ctx, prog, &format!("failed to create file via template {}: File exists", qa(&full_template)));
    Ok(1)
}
