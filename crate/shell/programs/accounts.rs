//! Account management, writing the image's `/etc/passwd`, `/etc/group`,
//! `/etc/shadow` and `/etc/gshadow` (the shadow files only when they exist, as
//! the real tools do) and home directories:
//! - `useradd` / `groupadd` (shadow-utils, Debian defaults: UID_MIN 1000, system
//!   ids counting down from 999, a same-named group, `/bin/sh`, `-m` copies
//!   `/etc/skel`), with their messages and exit statuses;
//! - `adduser` / `addgroup`: busybox's (`-D -S -G -h -s -H -u -g -k`, as in
//!   alpine) when the image is busybox-based, Debian's (`--system --group
//!   --disabled-password --gecos --home --shell --uid --gid --ingroup
//!   --no-create-home`) otherwise. Nothing can prompt for a password in a
//!   build; where the real tool would, a `dfplay:` note says what happened.

use super::common::{err, out, tick, Res};
use super::perms::UMASK;
use super::users;
use crate::shell::proc::Ctx;
use crate::vfs::path as vpath;

fn days(ctx: &Ctx<'_>) -> i64 {
    ctx.clock.now.div_euclid(86_400)
}

fn read_text(ctx: &Ctx<'_>, p: &str) -> Option<String> {
    ctx.fs.read(p).ok().map(|d| String::from_utf8_lossy(&d).into_owned())
}

/// Appends a line to an account file, creating it (0644) if missing unless
/// `only_if_exists`.
fn append_line(ctx: &mut Ctx<'_>, path: &str, line: &str, only_if_exists: bool) -> Result<(), String> {
    let mut text = match read_text(ctx, path) {
        Some(t) => t,
        None if only_if_exists => return Ok(()),
        None => String::new(),
    };
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(line);
    text.push('\n');
    let mode = if path.contains("shadow") { 0o640 } else { 0o644 };
    ctx.fs.write(path, text.into_bytes(), mode).map_err(|e| format!("cannot write {path}: {}", super::common::ferr(&e)))
}

/// Adds `user` to the member list (field `field`) of group `group` in `path`.
fn add_member(ctx: &mut Ctx<'_>, path: &str, group: &str, user: &str, field: usize) -> Result<(), String> {
    let Some(text) = read_text(ctx, path) else { return Ok(()) };
    let mut out = String::new();
    for line in text.lines() {
        let mut f: Vec<String> = line.split(':').map(str::to_string).collect();
        if f.first().map(|n| n == group).unwrap_or(false) {
            while f.len() <= field {
                f.push(String::new());
            }
            let mut members: Vec<&str> = f[field].split(',').filter(|s| !s.is_empty()).collect();
            if !members.contains(&user) {
                members.push(user);
            }
            f[field] = members.join(",");
            out.push_str(&f.join(":"));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    ctx.fs.write(path, out.into_bytes(), if path.contains("shadow") { 0o640 } else { 0o644 }).map_err(|e| super::common::ferr(&e))
}

/// POSIX-ish user names as shadow's `is_valid_user_name` accepts them.
fn valid_name(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= 32
        && !n.starts_with('-')
        && n != "."
        && n != ".."
        && !n.bytes().all(|b| b.is_ascii_digit())
        && n.bytes().enumerate().all(|(i, b)| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-' || (b == b'$' && i == n.len() - 1))
}

/// Creates a home directory owned by the user, copying `skel` into it.
fn make_home(ctx: &mut Ctx<'_>, home: &str, skel: &str, uid: u32, gid: u32, mode: u32) -> Result<bool, String> {
    if ctx.fs.lstat(home).is_ok() {
        return Ok(false);
    }
    let parent = vpath::parent(&vpath::normalize(home)).to_string();
    ctx.fs.mkdir_all(&parent, 0o755).map_err(|e| super::common::ferr(&e))?;
    ctx.fs.mkdir(home, mode).map_err(|e| super::common::ferr(&e))?;
    if let Ok(entries) = ctx.fs.walk(skel) {
        let base = entries.first().map(|e| e.0.len()).unwrap_or(0);
        for (p, n) in entries.into_iter().skip(1) {
            let dst = format!("{}{}", home.trim_end_matches('/'), &p[base..]);
            let _ = ctx.fs.insert(&dst, n);
            let _ = ctx.fs.chown(&dst, uid, gid, false);
        }
    }
    let _ = ctx.fs.chown(home, uid, gid, false);
    let _ = ctx.fs.chmod(home, mode);
    Ok(true)
}

fn next_id(taken: &[u32], system: bool, min: u32, max: u32) -> Option<u32> {
    if system {
        (min..=max).rev().find(|i| !taken.contains(i))
    } else {
        let highest = taken.iter().copied().filter(|i| (min..=max).contains(i)).max();
        match highest {
            Some(h) if h < max => Some(h + 1),
            Some(_) => (min..=max).find(|i| !taken.contains(i)),
            None => Some(min),
        }
    }
}

// ----- shadow-utils ------------------------------------------------------------------

const USERADD_USAGE: &str = "Usage: useradd [options] LOGIN
       useradd -D
       useradd -D [options]

Options:
      --badname                 do not check for bad names
  -b, --base-dir BASE_DIR       base directory for the home directory of the
                                new account
  -c, --comment COMMENT         GECOS field of the new account
  -d, --home-dir HOME_DIR       home directory of the new account
  -D, --defaults                print or change default useradd configuration
  -e, --expiredate EXPIRE_DATE  expiration date of the new account
  -f, --inactive INACTIVE       password inactivity period of the new account
  -g, --gid GROUP               name or ID of the primary group of the new
                                account
  -G, --groups GROUPS           list of supplementary groups of the new
                                account
  -h, --help                    display this help message and exit
  -k, --skel SKEL_DIR           use this alternative skeleton directory
  -K, --key KEY=VALUE           override /etc/login.defs defaults
  -l, --no-log-init             do not add the user to the lastlog and
                                faillog databases
  -m, --create-home             create the user's home directory
  -M, --no-create-home          do not create the user's home directory
  -N, --no-user-group           do not create a group with the same name as
                                the user
  -o, --non-unique              allow to create users with duplicate
                                (non-unique) UID
  -p, --password PASSWORD       encrypted password of the new account
  -r, --system                  create a system account
  -R, --root CHROOT_DIR         directory to chroot into
  -P, --prefix PREFIX_DIR       prefix directory where are located the /etc/* files
  -s, --shell SHELL             login shell of the new account
  -u, --uid UID                 user ID of the new account
  -U, --user-group              create a group with the same name as the user

";

/// Options of useradd/groupadd: (short, long, takes an argument).
const USERADD_OPTS: &[(char, &str, bool)] = &[
    ('b', "base-dir", true),
    ('c', "comment", true),
    ('d', "home-dir", true),
    ('D', "defaults", false),
    ('e', "expiredate", true),
    ('f', "inactive", true),
    ('g', "gid", true),
    ('G', "groups", true),
    ('k', "skel", true),
    ('K', "key", true),
    ('l', "no-log-init", false),
    ('m', "create-home", false),
    ('M', "no-create-home", false),
    ('N', "no-user-group", false),
    ('o', "non-unique", false),
    ('p', "password", true),
    ('r', "system", false),
    ('R', "root", true),
    ('P', "prefix", true),
    ('s', "shell", true),
    ('u', "uid", true),
    ('U', "user-group", false),
    ('f', "force", false),
    ('B', "badname", false),
];

/// The options given: (letter, value).
type Opts = Vec<(char, String)>;

/// [`parse_shadow_opts`], saying what is wrong (and the usage, where the tool prints
/// it) on a bad command line.
fn shadow_args(ctx: &mut Ctx<'_>, prog: &str, argv: &[String], opts: &[(char, &str, bool)], usage: Option<&str>) -> Result<(Opts, Vec<String>), ()> {
    parse_shadow_opts(argv, opts).map_err(|m| {
        err(ctx, prog, &m);
        if let Some(u) = usage {
            ctx.err(u);
        }
    })
}

fn parse_shadow_opts(argv: &[String], opts: &[(char, &str, bool)]) -> Result<(Opts, Vec<String>), String> {
    let mut o = Vec::new();
    let mut args = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        i += 1;
        if a == "--" {
            args.extend(argv[i..].iter().cloned());
            break;
        }
        if let Some(l) = a.strip_prefix("--") {
            let (name, val) = match l.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (l, None),
            };
            let Some(&(c, _, takes)) = opts.iter().find(|(_, n, _)| *n == name) else {
                return Err(format!("unrecognized option '{a}'"));
            };
            let v = if takes {
                match val {
                    Some(v) => v,
                    None if i < argv.len() => {
                        i += 1;
                        argv[i - 1].clone()
                    }
                    None => return Err(format!("option '{a}' requires an argument")),
                }
            } else {
                String::new()
            };
            o.push((c, v));
            continue;
        }
        if a.starts_with('-') && a.len() > 1 {
            let cs: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < cs.len() {
                let c = cs[j];
                j += 1;
                let Some(&(_, _, takes)) = opts.iter().find(|(s, _, _)| *s == c) else {
                    return Err(format!("invalid option -- '{c}'"));
                };
                if takes {
                    let v: String = if j < cs.len() {
                        let v = cs[j..].iter().collect();
                        j = cs.len();
                        v
                    } else if i < argv.len() {
                        i += 1;
                        argv[i - 1].clone()
                    } else {
                        return Err(format!("option requires an argument -- '{c}'"));
                    };
                    o.push((c, v));
                } else {
                    o.push((c, String::new()));
                }
            }
            continue;
        }
        args.push(a.clone());
    }
    Ok((o, args))
}

fn opt(o: &[(char, String)], c: char) -> Option<&str> {
    o.iter().rev().find(|(k, _)| *k == c).map(|(_, v)| v.as_str())
}

fn has(o: &[(char, String)], c: char) -> bool {
    o.iter().any(|(k, _)| *k == c)
}

pub fn useradd(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "useradd";
    let Ok((o, args)) = shadow_args(ctx, prog, argv, USERADD_OPTS, Some(USERADD_USAGE)) else {
        return Ok(2);
    };
    if has(&o, 'D') {
        out(ctx, b"GROUP=100\nHOME=/home\nINACTIVE=-1\nEXPIRE=\nSHELL=/bin/sh\nSKEL=/etc/skel\nCREATE_MAIL_SPOOL=no\nLOG_INIT=yes\n")?;
        return Ok(0);
    }
    if args.len() != 1 {
        ctx.err(USERADD_USAGE);
        return Ok(2);
    }
    if ctx.uid != 0 {
        err(ctx, prog, "Permission denied.");
        err(ctx, prog, "cannot lock /etc/passwd; try again later.");
        return Ok(1);
    }
    tick(ctx, 1)?;
    let name = args[0].clone();
    if !has(&o, 'B') && !valid_name(&name) {
        err(ctx, prog, &format!("invalid user name '{name}': use --badname to ignore"));
        return Ok(3);
    }
    let us = users::users(ctx.fs);
    let gs = users::groups(ctx.fs);
    if us.iter().any(|u| u.name == name) {
        err(ctx, prog, &format!("user '{name}' already exists"));
        return Ok(9);
    }
    let system = has(&o, 'r');
    let uids: Vec<u32> = us.iter().map(|u| u.uid).collect();
    let gids: Vec<u32> = gs.iter().map(|g| g.gid).collect();
    let uid = match opt(&o, 'u') {
        Some(v) => match v.parse::<u32>() {
            Ok(n) => {
                if uids.contains(&n) && !has(&o, 'o') {
                    err(ctx, prog, &format!("UID {n} is not unique"));
                    return Ok(4);
                }
                n
            }
            Err(_) => {
                err(ctx, prog, &format!("invalid user ID '{v}'"));
                return Ok(3);
            }
        },
        None => {
            let r = if system { next_id(&uids, true, 100, 999) } else { next_id(&uids, false, 1000, 60000) };
            match r {
                Some(n) => n,
                None => {
                    err(ctx, prog, "can't get unique UID (no more available UIDs)");
                    return Ok(4);
                }
            }
        }
    };
    // primary group
    let user_group = !has(&o, 'N') && opt(&o, 'g').is_none();
    let (gid, new_group) = match opt(&o, 'g') {
        Some(g) => match users::resolve_gid(ctx.fs, g).filter(|id| gids.contains(id) || g.parse::<u32>().is_ok()) {
            Some(id) => (id, false),
            None => {
                err(ctx, prog, &format!("group '{g}' does not exist"));
                return Ok(6);
            }
        },
        None if user_group => {
            if gs.iter().any(|g| g.name == name) {
                err(ctx, prog, &format!("group {name} exists - if you want to add this user to that group, use -g."));
                return Ok(9);
            }
            let id = if !gids.contains(&uid) { uid } else if system { next_id(&gids, true, 100, 999).unwrap_or(uid) } else { next_id(&gids, false, 1000, 60000).unwrap_or(uid) };
            (id, true)
        }
        None => (100, false),
    };
    let mut extra: Vec<String> = Vec::new();
    if let Some(list) = opt(&o, 'G') {
        for g in list.split(',').filter(|s| !s.is_empty()) {
            match gs.iter().find(|x| x.name == g || x.gid.to_string() == g) {
                Some(x) => extra.push(x.name.clone()),
                None => {
                    err(ctx, prog, &format!("group '{g}' does not exist"));
                    return Ok(6);
                }
            }
        }
    }
    let home = match opt(&o, 'd') {
        Some(d) => d.to_string(),
        None => format!("{}/{name}", opt(&o, 'b').unwrap_or("/home").trim_end_matches('/')),
    };
    let shell = opt(&o, 's').unwrap_or("/bin/sh").to_string();
    let gecos = opt(&o, 'c').unwrap_or("").to_string();
    let shadow_pw = opt(&o, 'p').unwrap_or("!").to_string();
    let line = format!("{name}:x:{uid}:{gid}:{gecos}:{home}:{shell}");
    let mut msgs = Vec::new();
    let r = (|| -> Result<(), String> {
        append_line(ctx, "/etc/passwd", &line, false)?;
        let sh = if system { format!("{name}:{shadow_pw}:{}::::::", days(ctx)) } else { format!("{name}:{shadow_pw}:{}:0:99999:7:::", days(ctx)) };
        append_line(ctx, "/etc/shadow", &sh, true)?;
        if new_group {
            append_line(ctx, "/etc/group", &format!("{name}:x:{gid}:"), false)?;
            append_line(ctx, "/etc/gshadow", &format!("{name}:!::"), true)?;
        }
        for g in &extra {
            add_member(ctx, "/etc/group", g, &name, 3)?;
            add_member(ctx, "/etc/gshadow", g, &name, 3)?;
        }
        Ok(())
    })();
    if let Err(m) = r {
        err(ctx, prog, &m);
        return Ok(1);
    }
    if has(&o, 'm') && !has(&o, 'M') {
        let skel = opt(&o, 'k').unwrap_or("/etc/skel").to_string();
        match make_home(ctx, &home, &skel, uid, gid, 0o777 & !UMASK) {
            Ok(true) => {}
            Ok(false) => msgs.push(format!("warning: the home directory {home} already exists.\nuseradd: Not copying any file from skel directory into it.")),
            Err(m) => msgs.push(format!("cannot create directory {home}: {m}")),
        }
    }
    for m in msgs {
        err(ctx, prog, &m);
    }
    Ok(0)
}

const GROUPADD_OPTS: &[(char, &str, bool)] =
    &[('f', "force", false), ('g', "gid", true), ('K', "key", true), ('o', "non-unique", false), ('p', "password", true), ('r', "system", false), ('R', "root", true), ('P', "prefix", true), ('U', "users", true)];

pub fn groupadd(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "groupadd";
    let usage = "Usage: groupadd [options] GROUP\n\nOptions:\n  -f, --force                   exit successfully if the group already exists,\n                                and cancel -g if the GID is already used\n  -g, --gid GID                 use GID for the new group\n  -h, --help                    display this help message and exit\n  -K, --key KEY=VALUE           override /etc/login.defs defaults\n  -o, --non-unique              allow to create groups with duplicate\n                                (non-unique) GID\n  -p, --password PASSWORD       use this encrypted password for the new group\n  -r, --system                  create a system account\n  -R, --root CHROOT_DIR         directory to chroot into\n  -P, --prefix PREFIX_DIR       directory prefix\n  -U, --users USERS             list of user members of this group\n\n";
    let Ok((o, args)) = shadow_args(ctx, prog, argv, GROUPADD_OPTS, Some(usage)) else {
        return Ok(2);
    };
    if args.len() != 1 {
        ctx.err(usage);
        return Ok(2);
    }
    let name = args[0].clone();
    if !valid_name(&name) {
        err(ctx, prog, &format!("'{name}' is not a valid group name"));
        return Ok(3);
    }
    let gs = users::groups(ctx.fs);
    if gs.iter().any(|g| g.name == name) {
        if has(&o, 'f') {
            return Ok(0);
        }
        err(ctx, prog, &format!("group '{name}' already exists"));
        return Ok(9);
    }
    let gids: Vec<u32> = gs.iter().map(|g| g.gid).collect();
    let system = has(&o, 'r');
    let gid = match opt(&o, 'g') {
        Some(v) => match v.parse::<u32>() {
            Ok(n) if gids.contains(&n) && !has(&o, 'o') => {
                if has(&o, 'f') {
                    next_id(&gids, system, if system { 100 } else { 1000 }, if system { 999 } else { 60000 }).unwrap_or(n)
                } else {
                    err(ctx, prog, &format!("GID '{n}' already exists"));
                    return Ok(4);
                }
            }
            Ok(n) => n,
            Err(_) => {
                err(ctx, prog, &format!("invalid group ID '{v}'"));
                return Ok(3);
            }
        },
        None => match next_id(&gids, system, if system { 100 } else { 1000 }, if system { 999 } else { 60000 }) {
            Some(n) => n,
            None => {
                err(ctx, prog, "Can't get unique GID (no more available GIDs)");
                return Ok(4);
            }
        },
    };
    let members = opt(&o, 'U').unwrap_or("").to_string();
    let r = append_line(ctx, "/etc/group", &format!("{name}:x:{gid}:{members}"), false).and_then(|_| append_line(ctx, "/etc/gshadow", &format!("{name}:!::{members}"), true));
    if let Err(m) = r {
        err(ctx, prog, &m);
        return Ok(10);
    }
    Ok(0)
}

// ----- adduser / addgroup ------------------------------------------------------------

/// Whether `adduser`/`addgroup` are busybox's in this image.
fn busybox_flavour(ctx: &Ctx<'_>) -> bool {
    !ctx.fs.exists("/etc/debian_version") && (ctx.fs.exists("/bin/busybox") || ctx.fs.exists("/etc/alpine-release"))
}

pub fn adduser(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    if busybox_flavour(ctx) {
        bb_adduser(ctx, argv)
    } else {
        deb_adduser(ctx, argv)
    }
}

pub fn addgroup(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    if busybox_flavour(ctx) {
        bb_addgroup(ctx, argv)
    } else {
        deb_addgroup(ctx, argv)
    }
}

const BB_ADDUSER_USAGE: &str = "BusyBox v1.36.1 multi-call binary.

Usage: adduser [OPTIONS] USER [GROUP]

Create new user, or add USER to GROUP

\t-h DIR\t\tHome directory
\t-g GECOS\tGECOS field
\t-s SHELL\tLogin shell
\t-G GRP\t\tGroup
\t-S\t\tCreate a system user
\t-D\t\tDon't assign a password
\t-H\t\tDon't create home directory
\t-u UID\t\tUser id
\t-k SKEL\t\tSkeleton directory (/etc/skel)
";

const BB_ADDUSER_OPTS: &[(char, &str, bool)] = &[
    ('h', "home", true),
    ('g', "gecos", true),
    ('s', "shell", true),
    ('G', "ingroup", true),
    ('D', "disabled-password", false),
    ('D', "empty-password", false),
    ('S', "system", false),
    ('H', "no-create-home", false),
    ('u', "uid", true),
    ('k', "skel", true),
];

fn bb_new_group(ctx: &mut Ctx<'_>, name: &str, gid: Option<u32>, system: bool) -> Result<u32, (String, i32)> {
    let gs = users::groups(ctx.fs);
    if gs.iter().any(|g| g.name == name) {
        return Err((format!("group '{name}' in use"), 1));
    }
    let taken: Vec<u32> = gs.iter().map(|g| g.gid).collect();
    let gid = match gid {
        Some(g) => {
            if taken.contains(&g) {
                return Err((format!("gid '{g}' in use"), 1));
            }
            g
        }
        None => {
            let (lo, hi) = if system { (100, 999) } else { (1000, 60000) };
            match (lo..=hi).find(|g| !taken.contains(g)) {
                Some(g) => g,
                None => return Err(("no gids left".into(), 1)),
            }
        }
    };
    append_line(ctx, "/etc/group", &format!("{name}:x:{gid}:"), false).map_err(|m| (m, 1))?;
    append_line(ctx, "/etc/gshadow", &format!("{name}:!::"), true).map_err(|m| (m, 1))?;
    Ok(gid)
}

fn bb_adduser(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "adduser";
    let Ok((o, args)) = shadow_args(ctx, prog, argv, BB_ADDUSER_OPTS, Some(BB_ADDUSER_USAGE)) else {
        return Ok(1);
    };
    if args.is_empty() || args.len() > 2 {
        ctx.err(BB_ADDUSER_USAGE);
        return Ok(1);
    }
    if ctx.uid != 0 {
        err(ctx, prog, "permission denied (are you root?)");
        return Ok(1);
    }
    tick(ctx, 1)?;
    let name = args[0].clone();
    if o.is_empty() && args.len() == 2 {
        return bb_add_to_group(ctx, "adduser", &name, &args[1]);
    }
    let system = has(&o, 'S');
    let us = users::users(ctx.fs);
    if us.iter().any(|u| u.name == name) {
        err(ctx, prog, &format!("user '{name}' in use"));
        return Ok(1);
    }
    let root_shell = users::user_by_uid(ctx.fs, 0).map(|u| u.shell).filter(|s| !s.is_empty()).unwrap_or_else(|| "/bin/sh".into());
    let shell = match opt(&o, 's') {
        Some(s) => s.to_string(),
        None if system => "/bin/false".into(),
        None => root_shell,
    };
    let usegroup = opt(&o, 'G').map(str::to_string).or_else(|| if system { Some("nogroup".into()) } else { None });
    let mut gid: Option<u32> = match &usegroup {
        Some(g) => match users::resolve_gid(ctx.fs, g) {
            Some(x) => Some(x),
            None => {
                err(ctx, prog, &format!("unknown group {g}"));
                return Ok(1);
            }
        },
        None => None,
    };
    let uids: Vec<u32> = us.iter().map(|u| u.uid).collect();
    let gids: Vec<u32> = users::groups(ctx.fs).iter().map(|g| g.gid).collect();
    let fixed = opt(&o, 'u').and_then(|v| v.parse::<u32>().ok());
    let (mut uid, max) = match fixed {
        Some(u) => (u, 60000),
        None if system => (100, 999),
        None => (1000, 60000),
    };
    while uids.contains(&uid) || (gid.is_none() && gids.contains(&uid)) {
        if fixed.is_some() {
            err(ctx, prog, &format!("uid '{uid}' in use"));
            return Ok(1);
        }
        if uid == max {
            err(ctx, prog, "no uids left");
            return Ok(1);
        }
        uid += 1;
    }
    let make_group = gid.is_none();
    if make_group && users::group_by_name(ctx.fs, &name).is_some() {
        err(ctx, prog, &format!("group '{name}' in use"));
        return Ok(1);
    }
    let g = *gid.get_or_insert(uid);
    let home = opt(&o, 'h').map(str::to_string).unwrap_or_else(|| format!("/home/{name}"));
    let gecos = opt(&o, 'g').unwrap_or("Linux User,,,").to_string();
    let r = append_line(ctx, "/etc/passwd", &format!("{name}:x:{uid}:{g}:{gecos}:{home}:{shell}"), false)
        .and_then(|_| append_line(ctx, "/etc/shadow", &format!("{name}:!:{}:0:99999:7:::", days(ctx)), true));
    if let Err(m) = r {
        err(ctx, prog, &m);
        return Ok(1);
    }
    if make_group {
        if let Err((m, _)) = bb_new_group(ctx, &name, Some(g), system) {
            err(ctx, "addgroup", &m);
        }
    } else if let Some(gname) = &usegroup {
        let gname = users::group_by_gid(ctx.fs, g).map(|x| x.name).unwrap_or_else(|| gname.clone());
        let _ = bb_add_to_group(ctx, "addgroup", &name, &gname);
    }
    if !has(&o, 'H') {
        let skel = opt(&o, 'k').unwrap_or("/etc/skel").to_string();
        if let Err(m) = make_home(ctx, &home, &skel, uid, g, 0o755) {
            err(ctx, prog, &format!("{home}: {m}"));
        }
        // busybox marks the home setgid (chmod 2755)
        if ctx.fs.stat(&home).map(|s| s.is_dir()).unwrap_or(false) {
            let _ = ctx.fs.chmod(&home, 0o2755);
        }
    }
    if !has(&o, 'D') {
        // busybox runs passwd, which finds no terminal in a build
        out(ctx, format!("Changing password for {name}\nNew password: ").as_bytes())?;
        ctx.err("\npasswd: password for ");
        ctx.err(&format!("{name} is unchanged\n"));
        ctx.err("dfplay: adduser asks for a password, and a build has no terminal to type it in; use `adduser -D` as Dockerfiles do\n");
        return Ok(1);
    }
    Ok(0)
}

fn bb_add_to_group(ctx: &mut Ctx<'_>, prog: &str, user: &str, group: &str) -> Res {
    if users::user_by_name(ctx.fs, user).is_none() {
        err(ctx, prog, &format!("unknown user {user}"));
        return Ok(1);
    }
    let Some(g) = users::group_by_name(ctx.fs, group) else {
        err(ctx, prog, &format!("unknown group {group}"));
        return Ok(1);
    };
    if g.members.iter().any(|m| m == user) {
        return Ok(0);
    }
    if let Err(m) = add_member(ctx, "/etc/group", group, user, 3).and_then(|_| add_member(ctx, "/etc/gshadow", group, user, 3)) {
        err(ctx, prog, &m);
        return Ok(1);
    }
    Ok(0)
}

fn bb_addgroup(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "addgroup";
    let usage = "BusyBox v1.36.1 multi-call binary.\n\nUsage: addgroup [-g GID] [-S] [USER] GROUP\n\nAdd a group or add a user to a group\n\n\t-g GID\tGroup id\n\t-S\tCreate a system group\n";
    let Ok((o, args)) = shadow_args(ctx, prog, argv, &[('g', "gid", true), ('S', "system", false)], Some(usage)) else {
        return Ok(1);
    };
    if args.is_empty() || args.len() > 2 || (args.len() == 2 && has(&o, 'g')) {
        ctx.err(usage);
        return Ok(1);
    }
    if ctx.uid != 0 {
        err(ctx, prog, "permission denied (are you root?)");
        return Ok(1);
    }
    if args.len() == 2 {
        return bb_add_to_group(ctx, prog, &args[0], &args[1]);
    }
    let gid = match opt(&o, 'g') {
        Some(v) => match v.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                err(ctx, prog, &format!("invalid number '{v}'"));
                return Ok(1);
            }
        },
        None => None,
    };
    match bb_new_group(ctx, &args[0], gid, has(&o, 'S')) {
        Ok(_) => Ok(0),
        Err((m, s)) => {
            err(ctx, prog, &m);
            Ok(s)
        }
    }
}

const DEB_ADDUSER_OPTS: &[(char, &str, bool)] = &[
    ('s', "system", false),
    ('G', "group", false),
    ('d', "disabled-password", false),
    ('l', "disabled-login", false),
    ('c', "gecos", true),
    ('h', "home", true),
    ('S', "shell", true),
    ('u', "uid", true),
    ('g', "gid", true),
    ('i', "ingroup", true),
    ('H', "no-create-home", false),
    ('q', "quiet", false),
    ('D', "debug", false),
    ('f', "force-badname", false),
    ('k', "firstuid", true),
    ('K', "lastuid", true),
    ('x', "add-extra-groups", false),
    ('X', "add_extra_groups", false),
    ('C', "conf", true),
    ('e', "encrypt-home", false),
];

fn deb_adduser(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "adduser";
    let Ok((o, args)) = shadow_args(ctx, prog, argv, DEB_ADDUSER_OPTS, None) else {
        return Ok(1);
    };
    if ctx.uid != 0 {
        err(ctx, prog, "Only root may add a user or group to the system.");
        return Ok(1);
    }
    let quiet = has(&o, 'q');
    let mut say = String::new();
    if args.len() == 2 && !has(&o, 's') {
        // adduser USER GROUP
        let (user, group) = (&args[0], &args[1]);
        if users::user_by_name(ctx.fs, user).is_none() {
            err(ctx, prog, &format!("The user `{user}' does not exist."));
            return Ok(1);
        }
        if users::group_by_name(ctx.fs, group).is_none() {
            err(ctx, prog, &format!("The group `{group}' does not exist."));
            return Ok(1);
        }
        if let Err(m) = add_member(ctx, "/etc/group", group, user, 3).and_then(|_| add_member(ctx, "/etc/gshadow", group, user, 3)) {
            err(ctx, prog, &m);
            return Ok(1);
        }
        if !quiet {
            out(ctx, format!("Adding user `{user}' to group `{group}' ...\nAdding user {user} to group {group}\nDone.\n").as_bytes())?;
        }
        return Ok(0);
    }
    if args.len() != 1 {
        err(ctx, prog, "Only one or two names allowed.");
        return Ok(1);
    }
    let name = args[0].clone();
    let system = has(&o, 's');
    if has(&o, 'G') && !system {
        // adduser --group NAME is addgroup
        return deb_addgroup(ctx, &[argv[0].clone(), name]);
    }
    if users::user_by_name(ctx.fs, &name).is_some() {
        if system {
            if !quiet {
                out(ctx, format!("The system user `{name}' already exists. Exiting.\n").as_bytes())?;
            }
            return Ok(0);
        }
        err(ctx, prog, &format!("The user `{name}' already exists."));
        return Ok(1);
    }
    if !has(&o, 'f') && !valid_name(&name) {
        err(ctx, prog, "Please enter a username matching the regular expression configured\nvia the NAME_REGEX configuration variable.  Use the `--force-badname'\noption to relax this check or reconfigure NAME_REGEX.");
        return Ok(1);
    }
    let uids: Vec<u32> = users::users(ctx.fs).iter().map(|u| u.uid).collect();
    let gids: Vec<u32> = users::groups(ctx.fs).iter().map(|g| g.gid).collect();
    let free = |u: &u32| !uids.contains(u) && (system || !gids.contains(u));
    let uid = match deb_pick_id(ctx, prog, opt(&o, 'u'), &uids, system, free, ["The UID {} is already in use.", "--uid requires a numeric argument", "No UID is available in the range"]) {
        Ok(u) => u,
        Err(status) => return Ok(status),
    };
    // the primary group
    let (gid, gname, create_group) = if let Some(g) = opt(&o, 'i') {
        match users::group_by_name(ctx.fs, g) {
            Some(x) => (x.gid, x.name, false),
            None => {
                err(ctx, prog, &format!("The group `{g}' does not exist."));
                return Ok(1);
            }
        }
    } else if let Some(g) = opt(&o, 'g') {
        match g.parse::<u32>().ok().and_then(|n| users::group_by_gid(ctx.fs, n)) {
            Some(x) => (x.gid, x.name, false),
            None => {
                err(ctx, prog, &format!("The group with GID `{g}' does not exist."));
                return Ok(1);
            }
        }
    } else if system && !has(&o, 'G') {
        let ng = users::group_by_name(ctx.fs, "nogroup").map(|g| g.gid).unwrap_or(65534);
        (ng, "nogroup".to_string(), false)
    } else {
        let g = if !gids.contains(&uid) { uid } else if system { (100..=999).rev().find(|g| !gids.contains(g)).unwrap_or(uid) } else { (1000..=59999).find(|g| !gids.contains(g)).unwrap_or(uid) };
        (g, name.clone(), true)
    };
    let home = opt(&o, 'h').map(str::to_string).unwrap_or_else(|| format!("/home/{name}"));
    let shell = opt(&o, 'S').map(str::to_string).unwrap_or_else(|| if system { "/usr/sbin/nologin".into() } else { "/bin/bash".into() });
    let gecos = opt(&o, 'c').unwrap_or("").to_string();
    if system {
        say.push_str(&format!("Adding system user `{name}' (UID {uid}) ...\n"));
        if create_group {
            say.push_str(&format!("Adding new group `{name}' (GID {gid}) ...\n"));
        }
        say.push_str(&format!("Adding new user `{name}' (UID {uid}) with group `{gname}' ...\n"));
    } else {
        say.push_str(&format!("Adding user `{name}' ...\n"));
        if create_group {
            say.push_str(&format!("Adding new group `{name}' ({gid}) ...\n"));
        }
        say.push_str(&format!("Adding new user `{name}' ({uid}) with group `{gname}' ...\n"));
    }
    let disabled = has(&o, 'd') || has(&o, 'l') || system;
    let pw = if disabled && has(&o, 'l') { "*" } else { "!" };
    let r = (|| -> Result<(), String> {
        if create_group {
            append_line(ctx, "/etc/group", &format!("{name}:x:{gid}:"), false)?;
            append_line(ctx, "/etc/gshadow", &format!("{name}:!::"), true)?;
        }
        append_line(ctx, "/etc/passwd", &format!("{name}:x:{uid}:{gid}:{gecos}:{home}:{shell}"), false)?;
        let sh = format!("{name}:{pw}:{}:0:99999:7:::", days(ctx));
        append_line(ctx, "/etc/shadow", &sh, true)?;
        Ok(())
    })();
    if let Err(m) = r {
        err(ctx, prog, &m);
        return Ok(1);
    }
    if has(&o, 'H') {
        if system {
            say.push_str(&format!("Not creating home directory `{home}'.\n"));
        }
    } else if ctx.fs.lstat(&home).is_ok() {
        say.push_str(&format!("The home directory `{home}' already exists.  Not copying from `/etc/skel'.\n"));
    } else {
        say.push_str(&format!("Creating home directory `{home}' ...\n"));
        if !system {
            say.push_str("Copying files from `/etc/skel' ...\n");
        }
        let skel = if system { "/nonexistent-skel" } else { "/etc/skel" };
        if let Err(m) = make_home(ctx, &home, skel, uid, gid, 0o755) {
            err(ctx, prog, &format!("{home}: {m}"));
        }
    }
    if !quiet {
        out(ctx, say.as_bytes())?;
    }
    if !disabled {
        ctx.err("dfplay: adduser would now ask for a password and the user's full name, and a build has no terminal; the account was created with a locked password (use --disabled-password --gecos \"\" as Dockerfiles do)\n");
    }
    Ok(0)
}

fn deb_addgroup(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "addgroup";
    let Ok((o, args)) = shadow_args(ctx, prog, argv, &[('s', "system", false), ('g', "gid", true), ('q', "quiet", false), ('f', "force-badname", false), ('C', "conf", true)], None) else {
        return Ok(1);
    };
    if ctx.uid != 0 {
        err(ctx, prog, "Only root may add a user or group to the system.");
        return Ok(1);
    }
    if args.len() == 2 {
        let mut v = vec!["adduser".to_string()];
        v.extend(args.iter().cloned());
        return deb_adduser(ctx, &v);
    }
    if args.len() != 1 {
        err(ctx, prog, "Only one or two names allowed.");
        return Ok(1);
    }
    let name = &args[0];
    let system = has(&o, 's');
    if users::group_by_name(ctx.fs, name).is_some() {
        if system {
            return Ok(0);
        }
        err(ctx, prog, &format!("The group `{name}' already exists."));
        return Ok(1);
    }
    let gids: Vec<u32> = users::groups(ctx.fs).iter().map(|g| g.gid).collect();
    let gid = match deb_pick_id(ctx, prog, opt(&o, 'g'), &gids, system, |g| !gids.contains(g), ["The GID `{}' is already in use.", "--gid requires a numeric argument", "No GID is available in the range"]) {
        Ok(g) => g,
        Err(status) => return Ok(status),
    };
    if let Err(m) = append_line(ctx, "/etc/group", &format!("{name}:x:{gid}:"), false).and_then(|_| append_line(ctx, "/etc/gshadow", &format!("{name}:!::"), true)) {
        err(ctx, prog, &m);
        return Ok(1);
    }
    if !has(&o, 'q') {
        out(ctx, format!("Adding group `{name}' (GID {gid}) ...\nDone.\n").as_bytes())?;
    }
    Ok(0)
}

// ----- changing and removing accounts -----------------------------------------------

/// Rewrites an account file line by line; `f` gets the fields and returns the
/// new fields (`None` drops the line).
fn rewrite(ctx: &mut Ctx<'_>, path: &str, mut f: impl FnMut(Vec<String>) -> Option<Vec<String>>) -> Result<(), String> {
    let Some(text) = read_text(ctx, path) else { return Ok(()) };
    let mut out = String::new();
    for line in text.lines() {
        let fields: Vec<String> = line.split(':').map(str::to_string).collect();
        if line.trim().is_empty() || line.starts_with('#') {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if let Some(nf) = f(fields) {
            out.push_str(&nf.join(":"));
            out.push('\n');
        }
    }
    ctx.fs.write(path, out.into_bytes(), if path.contains("shadow") { 0o640 } else { 0o644 }).map_err(|e| super::common::ferr(&e))
}

fn set_members(ctx: &mut Ctx<'_>, user: &str, add: &[String], keep_others: bool) -> Result<(), String> {
    for (path, field) in [("/etc/group", 3usize), ("/etc/gshadow", 3usize)] {
        rewrite(ctx, path, |mut f| {
            while f.len() <= field {
                f.push(String::new());
            }
            let mut members: Vec<String> = f[field].split(',').filter(|s| !s.is_empty()).map(str::to_string).collect();
            let wanted = add.contains(&f[0]);
            if wanted && !members.iter().any(|m| m == user) {
                members.push(user.to_string());
            } else if !wanted && !keep_others {
                members.retain(|m| m != user);
            }
            f[field] = members.join(",");
            Some(f)
        })?;
    }
    Ok(())
}

const USERMOD_OPTS: &[(char, &str, bool)] = &[
    ('a', "append", false),
    ('c', "comment", true),
    ('d', "home", true),
    ('e', "expiredate", true),
    ('f', "inactive", true),
    ('g', "gid", true),
    ('G', "groups", true),
    ('l', "login", true),
    ('L', "lock", false),
    ('m', "move-home", false),
    ('o', "non-unique", false),
    ('p', "password", true),
    ('R', "root", true),
    ('P', "prefix", true),
    ('s', "shell", true),
    ('u', "uid", true),
    ('U', "unlock", false),
];

pub fn usermod(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "usermod";
    let Ok((o, args)) = shadow_args(ctx, prog, argv, USERMOD_OPTS, Some("Usage: usermod [options] LOGIN\n")) else {
        return Ok(2);
    };
    if args.len() != 1 {
        ctx.err("Usage: usermod [options] LOGIN\n");
        return Ok(2);
    }
    let name = args[0].clone();
    let Some(user) = users::user_by_name(ctx.fs, &name) else {
        err(ctx, prog, &format!("user '{name}' does not exist"));
        return Ok(6);
    };
    let gs = users::groups(ctx.fs);
    let mut new_gid = user.gid;
    if let Some(g) = opt(&o, 'g') {
        match gs.iter().find(|x| x.name == g || x.gid.to_string() == g) {
            Some(x) => new_gid = x.gid,
            None => {
                err(ctx, prog, &format!("group '{g}' does not exist"));
                return Ok(6);
            }
        }
    }
    let mut extra = Vec::new();
    if let Some(list) = opt(&o, 'G') {
        for g in list.split(',').filter(|s| !s.is_empty()) {
            match gs.iter().find(|x| x.name == g || x.gid.to_string() == g) {
                Some(x) => extra.push(x.name.clone()),
                None => {
                    err(ctx, prog, &format!("group '{g}' does not exist"));
                    return Ok(6);
                }
            }
        }
    }
    let mut new_uid = user.uid;
    if let Some(u) = opt(&o, 'u') {
        match u.parse::<u32>() {
            Ok(n) => {
                if n != user.uid && users::user_by_uid(ctx.fs, n).is_some() && !has(&o, 'o') {
                    err(ctx, prog, &format!("UID '{n}' already exists"));
                    return Ok(4);
                }
                new_uid = n;
            }
            Err(_) => {
                err(ctx, prog, &format!("invalid user ID '{u}'"));
                return Ok(3);
            }
        }
    }
    let new_name = opt(&o, 'l').map(str::to_string).unwrap_or_else(|| name.clone());
    if new_name != name && users::user_by_name(ctx.fs, &new_name).is_some() {
        err(ctx, prog, &format!("user '{new_name}' already exists"));
        return Ok(9);
    }
    let home = opt(&o, 'd').map(str::to_string);
    let r = (|| -> Result<(), String> {
        rewrite(ctx, "/etc/passwd", |mut f| {
            if f[0] == name && f.len() >= 7 {
                f[0] = new_name.clone();
                f[2] = new_uid.to_string();
                f[3] = new_gid.to_string();
                if let Some(c) = opt(&o, 'c') {
                    f[4] = c.to_string();
                }
                if let Some(h) = &home {
                    f[5] = h.clone();
                }
                if let Some(s) = opt(&o, 's') {
                    f[6] = s.to_string();
                }
            }
            Some(f)
        })?;
        rewrite(ctx, "/etc/shadow", |mut f| {
            if f[0] == name && f.len() >= 2 {
                f[0] = new_name.clone();
                if let Some(p) = opt(&o, 'p') {
                    f[1] = p.to_string();
                }
                if has(&o, 'L') && !f[1].starts_with('!') {
                    f[1] = format!("!{}", f[1]);
                }
                if has(&o, 'U') && f[1].starts_with('!') && f[1].len() > 1 {
                    f[1] = f[1][1..].to_string();
                }
            }
            Some(f)
        })?;
        if opt(&o, 'G').is_some() {
            set_members(ctx, &name, &extra, has(&o, 'a'))?;
        }
        Ok(())
    })();
    if let Err(m) = r {
        err(ctx, prog, &m);
        return Ok(1);
    }
    if has(&o, 'm') {
        if let Some(h) = &home {
            let _ = ctx.fs.rename(&user.home, h);
        }
    }
    if new_uid != user.uid {
        // like usermod: files in the home directory follow the new uid
        if let Ok(entries) = ctx.fs.walk(&user.home) {
            for (p, n) in entries {
                if n.meta().uid == user.uid {
                    let _ = ctx.fs.chown(&p, new_uid, n.meta().gid, false);
                }
            }
        }
    }
    Ok(0)
}

pub fn userdel(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "userdel";
    let Ok((o, args)) = shadow_args(ctx, prog, argv, &[('f', "force", false), ('r', "remove", false), ('R', "root", true), ('P', "prefix", true)], Some("Usage: userdel [options] LOGIN\n")) else {
        return Ok(2);
    };
    if args.len() != 1 {
        ctx.err("Usage: userdel [options] LOGIN\n");
        return Ok(2);
    }
    remove_user(ctx, prog, &args[0], has(&o, 'r'), 6)
}

fn remove_user(ctx: &mut Ctx<'_>, prog: &str, name: &str, remove_home: bool, missing_status: i32) -> Res {
    let Some(user) = users::user_by_name(ctx.fs, name) else {
        err(ctx, prog, &format!("user '{name}' does not exist"));
        return Ok(missing_status);
    };
    // the user's own group goes too when nobody else uses it
    let own_group = users::group_by_gid(ctx.fs, user.gid).filter(|g| g.name == name && g.members.iter().all(|m| m == name));
    let others_use = users::users(ctx.fs).iter().any(|u| u.name != name && u.gid == user.gid);
    let r = (|| -> Result<(), String> {
        rewrite(ctx, "/etc/passwd", |f| if f[0] == name { None } else { Some(f) })?;
        rewrite(ctx, "/etc/shadow", |f| if f[0] == name { None } else { Some(f) })?;
        set_members(ctx, name, &[], false)?;
        if let Some(g) = &own_group {
            if !others_use {
                rewrite(ctx, "/etc/group", |f| if f[0] == g.name { None } else { Some(f) })?;
                rewrite(ctx, "/etc/gshadow", |f| if f[0] == g.name { None } else { Some(f) })?;
            }
        }
        Ok(())
    })();
    if let Err(m) = r {
        err(ctx, prog, &m);
        return Ok(1);
    }
    if remove_home && !user.home.is_empty() && user.home != "/" && ctx.fs.remove_all(&user.home).is_err() {
        err(ctx, prog, &format!("{} home directory ({}) not found", name, user.home));
    }
    Ok(0)
}

pub fn groupdel(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "groupdel";
    let Ok((_, args)) = shadow_args(ctx, prog, argv, &[('f', "force", false), ('R', "root", true), ('P', "prefix", true)], None) else {
        return Ok(2);
    };
    if args.len() != 1 {
        ctx.err("Usage: groupdel [options] GROUP\n");
        return Ok(2);
    }
    let name = &args[0];
    let Some(g) = users::group_by_name(ctx.fs, name) else {
        err(ctx, prog, &format!("group '{name}' does not exist"));
        return Ok(6);
    };
    if let Some(u) = users::users(ctx.fs).into_iter().find(|u| u.gid == g.gid) {
        err(ctx, prog, &format!("cannot remove the primary group of user '{}'", u.name));
        return Ok(8);
    }
    let r = rewrite(ctx, "/etc/group", |f| if f[0] == *name { None } else { Some(f) }).and_then(|_| rewrite(ctx, "/etc/gshadow", |f| if f[0] == *name { None } else { Some(f) }));
    if let Err(m) = r {
        err(ctx, prog, &m);
        return Ok(10);
    }
    Ok(0)
}

/// `deluser USER [GROUP]` (busybox and Debian: `--remove-home`).
pub fn deluser(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let remove_home = argv.iter().any(|a| a == "--remove-home" || a == "--remove-all-files");
    let args: Vec<String> = argv[1..].iter().filter(|a| !a.starts_with('-')).cloned().collect();
    match args.len() {
        1 => {
            let r = remove_user(ctx, "deluser", &args[0], remove_home, if busybox_flavour(ctx) { 1 } else { 2 })?;
            if r == 0 && !busybox_flavour(ctx) {
                out(ctx, format!("Removing user `{}' ...\nDone.\n", args[0]).as_bytes())?;
            }
            Ok(r)
        }
        2 => {
            let (u, g) = (&args[0], &args[1]);
            let Some(group) = users::group_by_name(ctx.fs, g) else {
                err(ctx, "deluser", &format!("The group `{g}' does not exist."));
                return Ok(1);
            };
            if !group.members.iter().any(|m| m == u) {
                err(ctx, "deluser", &format!("The user `{u}' is not a member of group `{g}'."));
                return Ok(6);
            }
            let others: Vec<String> = users::groups(ctx.fs).into_iter().filter(|x| x.name != *g && x.members.iter().any(|m| m == u)).map(|x| x.name).collect();
            if let Err(m) = set_members(ctx, u, &others, false) {
                err(ctx, "deluser", &m);
                return Ok(1);
            }
            if !busybox_flavour(ctx) {
                out(ctx, format!("Removing user `{u}' from group `{g}' ...\nDone.\n").as_bytes())?;
            }
            Ok(0)
        }
        _ => {
            ctx.err("Usage: deluser [--remove-home] USER [GROUP]\n");
            Ok(1)
        }
    }
}

pub fn delgroup(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let args: Vec<String> = argv[1..].iter().filter(|a| !a.starts_with('-')).cloned().collect();
    if args.len() == 2 {
        return deluser(ctx, argv);
    }
    let mut v = vec!["groupdel".to_string()];
    v.extend(args);
    let r = groupdel(ctx, &v)?;
    if r == 0 && !busybox_flavour(ctx) {
        out(ctx, format!("Removing group `{}' ...\nDone.\n", v.get(1).cloned().unwrap_or_default()).as_bytes())?;
    }
    Ok(r)
}

/// A stand-in for a crypt(3) hash (the playground does not run crypt):
/// `$6$dfplay$` and a digest of the password, marked as simulated.
fn fake_hash(pw: &str) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(pw.as_bytes());
    let b = super::misc::base64_encode(&d);
    format!("$6$dfplay$simulated{}", String::from_utf8_lossy(&b).trim_end_matches('=').replace(['+', '/'], "."))
}

/// `chpasswd`: `user:password` lines on stdin (`-e`: already encrypted).
pub fn chpasswd(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "chpasswd";
    let encrypted = argv.iter().any(|a| a == "-e" || a == "--encrypted");
    let input = String::from_utf8_lossy(ctx.stdin.read_all()).into_owned();
    let mut status = 0;
    for (n, line) in input.lines().enumerate() {
        if line.is_empty() {
            continue;
        }
        let Some((user, pw)) = line.split_once(':') else {
            err(ctx, prog, &format!("line {}: missing new password", n + 1));
            status = 1;
            continue;
        };
        if users::user_by_name(ctx.fs, user).is_none() {
            err(ctx, prog, &format!("(user {user}) pam_chauthtok() failed, error:\nAuthentication token manipulation error"));
            err(ctx, prog, &format!("(line {}, user {user}) password not changed", n + 1));
            status = 1;
            continue;
        }
        let hash = if encrypted { pw.to_string() } else { fake_hash(pw) };
        let today = days(ctx).to_string();
        if let Err(m) = rewrite(ctx, "/etc/shadow", |mut f| {
            if f[0] == user && f.len() >= 3 {
                f[1] = hash.clone();
                f[2] = today.clone();
            }
            Some(f)
        }) {
            err(ctx, prog, &m);
            status = 1;
        }
    }
    Ok(status)
}

/// `passwd`: `-d` (empty), `-l`/`-u` (lock/unlock) work; setting a password
/// needs a terminal, which a build does not have.
pub fn passwd(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "passwd";
    let flags: Vec<&String> = argv[1..].iter().filter(|a| a.starts_with('-')).collect();
    let user = argv[1..].iter().find(|a| !a.starts_with('-')).cloned().or_else(|| users::user_by_uid(ctx.fs, ctx.uid).map(|u| u.name)).unwrap_or_default();
    if users::user_by_name(ctx.fs, &user).is_none() {
        err(ctx, prog, &format!("user '{user}' does not exist"));
        return Ok(1);
    }
    let op = flags.iter().find_map(|f| match f.as_str() {
        "-d" | "--delete" => Some('d'),
        "-l" | "--lock" => Some('l'),
        "-u" | "--unlock" => Some('u'),
        _ => None,
    });
    let Some(op) = op else {
        out(ctx, format!("Changing password for {user}.\nNew password: ").as_bytes())?;
        ctx.err("\npasswd: Authentication token manipulation error\npasswd: password unchanged\n");
        ctx.err("dfplay: passwd asks for the password on a terminal, and a build has none; use `echo 'user:password' | chpasswd` instead\n");
        return Ok(10);
    };
    let r = rewrite(ctx, "/etc/shadow", |mut f| {
        if f[0] == user && f.len() >= 2 {
            match op {
                'd' => f[1].clear(),
                'l' if !f[1].starts_with('!') => f[1] = format!("!{}", f[1]),
                'u' if f[1].starts_with('!') && f[1].len() > 1 => f[1] = f[1][1..].to_string(),
                _ => {}
            }
        }
        Some(f)
    });
    if let Err(m) = r {
        err(ctx, prog, &m);
        return Ok(1);
    }
    out(ctx, b"passwd: password changed.\n")?;
    Ok(0)
}

pub fn nologin(ctx: &mut Ctx<'_>, _argv: &[String]) -> Res {
    out(ctx, b"This account is currently not available.\n")?;
    Ok(1)
}

/// Debian's adduser/addgroup choosing an id: the one asked for (`--uid`/`--gid`) unless
/// taken or not a number, else the first free one of the system (100–999) or user
/// (1000–59999) range. `msgs`: in use (`{}` is the id), not numeric, none free. The
/// error is the exit status, after the message.
fn deb_pick_id(ctx: &mut Ctx<'_>, prog: &str, asked: Option<&str>, taken: &[u32], system: bool, free: impl Fn(&u32) -> bool, msgs: [&str; 3]) -> Result<u32, i32> {
    let fail = |ctx: &mut Ctx<'_>, m: &str| {
        err(ctx, prog, m);
        Err(1)
    };
    match asked.map(str::parse::<u32>) {
        Some(Ok(id)) if taken.contains(&id) => fail(ctx, &msgs[0].replace("{}", &id.to_string())),
        Some(Ok(id)) => Ok(id),
        Some(Err(_)) => fail(ctx, msgs[1]),
        None => match if system { (100..=999).find(&free) } else { (1000..=59999).find(&free) } {
            Some(id) => Ok(id),
            None => fail(ctx, msgs[2]),
        },
    }
}
