//! `ls` (GNU, output not a terminal): one name per line by default; `-l -n -g
//! -o -h -a -A -d -R -1 -C -x -m -F -p -r -t -S -U -L --full-time -s -i -Q`,
//! `total` in 1 KiB blocks of a 4 KiB-block filesystem, owner names from the
//! image's /etc/passwd and /etc/group, dates relative to the virtual clock
//! (`Mon DD HH:MM` within six months, `Mon DD  YYYY` otherwise).

use super::common::{err, ferr, getopt, out, tick, Arg, Res, Spec};
use super::perms::mode_string;
use super::timefmt::strftime;
use super::users;
use crate::shell::proc::Ctx;
use crate::vfs::{FileType, Node, Stat};

const LS: Spec = Spec {
    short: "1aACdFghilLmnopQrRsStUx",
    long: &[
        ("all", Arg::No, 'a'),
        ("almost-all", Arg::No, 'A'),
        ("directory", Arg::No, 'd'),
        ("classify", Arg::Optional, 'F'),
        ("human-readable", Arg::No, 'h'),
        ("inode", Arg::No, 'i'),
        ("dereference", Arg::No, 'L'),
        ("numeric-uid-gid", Arg::No, 'n'),
        ("quote-name", Arg::No, 'Q'),
        ("reverse", Arg::No, 'r'),
        ("recursive", Arg::No, 'R'),
        ("size", Arg::No, 's'),
        ("color", Arg::Optional, '\u{1}'),
        ("full-time", Arg::No, '\u{2}'),
        ("group-directories-first", Arg::No, '\u{3}'),
        ("time-style", Arg::Required, '\u{4}'),
        ("author", Arg::No, '\u{5}'),
        ("indicator-style", Arg::Required, '\u{6}'),
        ("sort", Arg::Required, '\u{7}'),
        ("literal", Arg::No, 'N'),
    ],
    permute: true,
    status: 2,
    usage: "[OPTION]... [FILE]...",
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    One,
    Long,
    Columns,
    Across,
    Commas,
}

struct Opts {
    format: Format,
    all: bool,
    almost_all: bool,
    dir_itself: bool,
    recursive: bool,
    reverse: bool,
    sort_time: bool,
    sort_size: bool,
    unsorted: bool,
    classify: bool,
    slash: bool,
    human: bool,
    numeric: bool,
    show_owner: bool,
    show_group: bool,
    deref: bool,
    full_time: bool,
    blocks: bool,
    inode: bool,
    quote: bool,
    dirs_first: bool,
}

/// One entry to show: its name as shown, the node's stat, and a symlink's
/// target (for `-l`).
struct Entry {
    name: String,
    path: String,
    st: Stat,
    target: Option<String>,
    target_st: Option<Stat>,
}

fn blocks_1k(st: &Stat) -> u64 {
    match st.file_type {
        FileType::Dir => 4,
        FileType::Symlink => 0,
        FileType::File => st.size.div_ceil(4096) * 4,
    }
}

/// GNU's `-h`: powers of 1024, one decimal below 10, rounded up.
pub fn human(n: u64) -> String {
    if n < 1024 {
        return n.to_string();
    }
    let units = ['K', 'M', 'G', 'T', 'P', 'E'];
    let mut v = n as f64;
    let mut u = 0;
    v /= 1024.0;
    while v >= 1024.0 && u < units.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if v < 10.0 {
        let r = (v * 10.0).ceil() / 10.0;
        if r >= 10.0 {
            return format!("{}{}", r.ceil() as u64, units[u]);
        }
        format!("{r:.1}{}", units[u])
    } else {
        let r = v.ceil();
        if r >= 1024.0 && u < units.len() - 1 {
            return format!("1.0{}", units[u + 1]);
        }
        format!("{}{}", r as u64, units[u])
    }
}

/// A stable stand-in inode number for a path (the vfs has none).
fn inode(path: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in path.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    1_000_000 + h % 9_000_000
}

fn nlink(ctx: &Ctx<'_>, path: &str, st: &Stat) -> u64 {
    if st.is_dir() {
        match ctx.fs.read_dir(path) {
            Ok(es) => 2 + es.iter().filter(|(_, n)| matches!(n, Node::Dir(_))).count() as u64,
            Err(_) => 2,
        }
    } else {
        // the vfs marks linked files but does not count their names
        match ctx.fs.get(path, false) {
            Ok(Node::File(f)) if f.hardlinked => 2,
            _ => 1,
        }
    }
}

pub fn ls(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "ls";
    let p = match getopt(ctx, prog, argv, &LS) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    let mut o = Opts {
        format: Format::One,
        all: false,
        almost_all: false,
        dir_itself: false,
        recursive: false,
        reverse: false,
        sort_time: false,
        sort_size: false,
        unsorted: false,
        classify: false,
        slash: false,
        human: false,
        numeric: false,
        show_owner: true,
        show_group: true,
        deref: false,
        full_time: false,
        blocks: false,
        inode: false,
        quote: false,
        dirs_first: false,
    };
    for (c, v) in &p.opts {
        match c {
            '1' => o.format = Format::One,
            'l' => o.format = Format::Long,
            'n' => {
                o.format = Format::Long;
                o.numeric = true;
            }
            'g' => {
                o.format = Format::Long;
                o.show_owner = false;
            }
            'o' => {
                o.format = Format::Long;
                o.show_group = false;
            }
            'C' => o.format = Format::Columns,
            'x' => o.format = Format::Across,
            'm' => o.format = Format::Commas,
            'a' => o.all = true,
            'A' => o.almost_all = true,
            'd' => o.dir_itself = true,
            'R' => o.recursive = true,
            'r' => o.reverse = true,
            't' => o.sort_time = true,
            'S' => o.sort_size = true,
            'U' => o.unsorted = true,
            'F' => o.classify = true,
            'p' => o.slash = true,
            'h' => o.human = true,
            'L' => o.deref = true,
            's' => o.blocks = true,
            'i' => o.inode = true,
            'Q' => o.quote = true,
            'N' => o.quote = false,
            '\u{2}' => {
                o.format = Format::Long;
                o.full_time = true;
            }
            '\u{3}' => o.dirs_first = true,
            '\u{7}' => match v.as_deref() {
                Some("time") => o.sort_time = true,
                Some("size") => o.sort_size = true,
                Some("none") => o.unsorted = true,
                _ => {}
            },
            _ => {}
        }
    }
    if o.recursive && o.dir_itself {
        o.recursive = false;
    }
    let operands = if p.args.is_empty() { vec![".".to_string()] } else { p.args.clone() };
    let mut status = 0;
    let mut files: Vec<Entry> = Vec::new();
    let mut dirs: Vec<(String, String)> = Vec::new();
    let follow_cmdline = o.deref || !(o.format == Format::Long || o.dir_itself || o.classify);
    for a in &operands {
        tick(ctx, 1)?;
        let abs = ctx.abs(a);
        let lst = match ctx.fs.lstat(&abs) {
            Ok(s) => s,
            Err(e) => {
                err(ctx, prog, &format!("cannot access {}: {}", super::common::qa(a), ferr(&e)));
                status = 2;
                continue;
            }
        };
        // a trailing slash or -L/-H-like rules: follow a symlink named on the command line
        let follow = follow_cmdline || a.ends_with('/');
        let st = if lst.is_symlink() && follow {
            match ctx.fs.stat(&abs) {
                Ok(s) => s,
                Err(e) if a.ends_with('/') => {
                    err(ctx, prog, &format!("cannot access {}: {}", super::common::qa(a), ferr(&e)));
                    status = 2;
                    continue;
                }
                Err(_) => lst,
            }
        } else {
            lst
        };
        if st.is_dir() && !o.dir_itself {
            dirs.push((a.clone(), abs));
        } else {
            files.push(make_entry(ctx, a.clone(), abs, st, &o));
        }
    }
    sort_entries(&mut files, &o);
    let mut buf: Vec<u8> = Vec::new();
    let mut first_block = true;
    if !files.is_empty() {
        render(ctx, &files, &o, &mut buf, false);
        first_block = false;
    }
    // directories named on the command line, in sort order
    let mut dir_entries: Vec<Entry> = dirs
        .iter()
        .map(|(a, abs)| {
            let st = ctx.fs.stat(abs).unwrap_or_else(|_| Node::new_dir(Default::default()).stat());
            Entry { name: a.clone(), path: abs.clone(), st, target: None, target_st: None }
        })
        .collect();
    sort_entries(&mut dir_entries, &o);
    let show_headers = operands.len() > 1 || o.recursive;
    let mut queue: std::collections::VecDeque<(String, String)> = dir_entries.into_iter().map(|e| (e.name, e.path)).collect();
    while let Some((shown, abs)) = queue.pop_front() {
        tick(ctx, 1)?;
        let mut children = Vec::new();
        match ctx.fs.read_dir(&abs) {
            Ok(es) => {
                if o.all {
                    for dot in [".", ".."] {
                        let dp = if dot == "." { abs.clone() } else { crate::vfs::path::parent(&crate::vfs::path::normalize(&abs)).to_string() };
                        if let Ok(st) = ctx.fs.stat(&dp) {
                            children.push(Entry { name: dot.into(), path: dp, st, target: None, target_st: None });
                        }
                    }
                }
                for (name, node) in es {
                    tick(ctx, 1)?;
                    if name.starts_with('.') && !(o.all || o.almost_all) {
                        continue;
                    }
                    let path = super::fileops::compose(&abs, &name);
                    let st = if o.deref { ctx.fs.stat(&path).unwrap_or_else(|_| node.stat()) } else { node.stat() };
                    children.push(make_entry(ctx, name, path, st, &o));
                }
            }
            Err(e) => {
                err(ctx, prog, &format!("cannot open directory {}: {}", super::common::qa(&shown), ferr(&e)));
                status = 2;
                continue;
            }
        }
        sort_entries(&mut children, &o);
        if !first_block {
            buf.push(b'\n');
        }
        first_block = false;
        if show_headers {
            buf.extend_from_slice(format!("{shown}:\n").as_bytes());
        }
        if o.format == Format::Long || o.blocks {
            let total: u64 = children.iter().map(|e| blocks_1k(&e.st)).sum();
            let t = if o.human { human(total * 1024) } else { total.to_string() };
            buf.extend_from_slice(format!("total {t}\n").as_bytes());
        }
        render(ctx, &children, &o, &mut buf, true);
        if o.recursive {
            let subdirs: Vec<(String, String)> = children
                .iter()
                .filter(|e| e.st.is_dir() && e.name != "." && e.name != ".." && e.target.is_none())
                .map(|e| (super::fileops::compose(&shown, &e.name), e.path.clone()))
                .collect();
            for (i, d) in subdirs.into_iter().enumerate() {
                queue.insert(i, d);
            }
        }
        if buf.len() > 65536 {
            out(ctx, &buf)?;
            buf.clear();
        }
    }
    out(ctx, &buf)?;
    Ok(status)
}

fn make_entry(ctx: &Ctx<'_>, name: String, path: String, st: Stat, _o: &Opts) -> Entry {
    let (target, target_st) = if st.is_symlink() {
        (ctx.fs.read_link(&path).ok(), ctx.fs.stat(&path).ok())
    } else {
        (None, None)
    };
    Entry { name, path, st, target, target_st }
}

fn sort_entries(v: &mut [Entry], o: &Opts) {
    if o.unsorted {
        return;
    }
    v.sort_by(|a, b| {
        let primary = if o.sort_size {
            b.st.size.cmp(&a.st.size)
        } else if o.sort_time {
            b.st.meta.mtime.cmp(&a.st.meta.mtime)
        } else {
            std::cmp::Ordering::Equal
        };
        primary.then_with(|| a.name.as_bytes().cmp(b.name.as_bytes()))
    });
    if o.reverse {
        v.reverse();
    }
    if o.dirs_first {
        v.sort_by_key(|e| !e.st.is_dir());
    }
}

fn indicator(e: &Entry, o: &Opts) -> &'static str {
    if o.classify {
        match e.st.file_type {
            FileType::Dir => "/",
            FileType::Symlink => "@",
            FileType::File if e.st.meta.mode & 0o111 != 0 => "*",
            FileType::File => "",
        }
    } else if o.slash && e.st.is_dir() {
        "/"
    } else {
        ""
    }
}

fn shown_name(e: &Entry, o: &Opts) -> String {
    if o.quote {
        format!("\"{}\"", e.name.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        e.name.clone()
    }
}

fn render(ctx: &Ctx<'_>, v: &[Entry], o: &Opts, buf: &mut Vec<u8>, _in_dir: bool) {
    let prefix = |e: &Entry| -> String {
        let mut s = String::new();
        if o.inode {
            s.push_str(&format!("{} ", inode(&e.path)));
        }
        if o.blocks {
            s.push_str(&format!("{} ", blocks_1k(&e.st)));
        }
        s
    };
    match o.format {
        Format::Long => {
            let now = ctx.clock.now;
            let rows: Vec<[String; 6]> = v
                .iter()
                .map(|e| {
                    let m = e.st.meta;
                    let owner = if o.numeric { m.uid.to_string() } else { users::uname_or_id(ctx.fs, m.uid) };
                    let group = if o.numeric { m.gid.to_string() } else { users::gname_or_id(ctx.fs, m.gid) };
                    let size = if o.human { human(e.st.size) } else { e.st.size.to_string() };
                    let date = if o.full_time {
                        strftime("%Y-%m-%d %H:%M:%S.000000000 +0000", m.mtime)
                    } else if m.mtime <= now && now - m.mtime < 15_778_476 {
                        strftime("%b %e %H:%M", m.mtime)
                    } else {
                        strftime("%b %e  %Y", m.mtime)
                    };
                    [mode_string(e.st.file_type, m.mode), nlink(ctx, &e.path, &e.st).to_string(), owner, group, size, date]
                })
                .collect();
            let w = |i: usize| rows.iter().map(|r| r[i].len()).max().unwrap_or(0);
            let (w1, w2, w3, w4) = (w(1), w(2), w(3), w(4));
            let bw = v.iter().map(|e| blocks_1k(&e.st).to_string().len()).max().unwrap_or(0);
            for (e, r) in v.iter().zip(&rows) {
                let mut line = String::new();
                if o.inode {
                    line.push_str(&format!("{} ", inode(&e.path)));
                }
                if o.blocks {
                    line.push_str(&format!("{:>bw$} ", blocks_1k(&e.st)));
                }
                line.push_str(&format!("{} {:>w1$} ", r[0], r[1]));
                if o.show_owner {
                    line.push_str(&format!("{:<w2$} ", r[2]));
                }
                if o.show_group {
                    line.push_str(&format!("{:<w3$} ", r[3]));
                }
                line.push_str(&format!("{:>w4$} {} {}", r[4], r[5], shown_name(e, o)));
                if let Some(t) = &e.target {
                    line.push_str(" -> ");
                    line.push_str(t);
                    if o.classify {
                        if let Some(ts) = &e.target_st {
                            let te = Entry { name: String::new(), path: String::new(), st: *ts, target: None, target_st: None };
                            line.push_str(indicator(&te, o));
                        }
                    }
                } else {
                    line.push_str(indicator(e, o));
                }
                line.push('\n');
                buf.extend_from_slice(line.as_bytes());
            }
        }
        Format::One => {
            for e in v {
                buf.extend_from_slice(format!("{}{}{}\n", prefix(e), shown_name(e, o), indicator(e, o)).as_bytes());
            }
        }
        Format::Commas => {
            let names: Vec<String> = v.iter().map(|e| format!("{}{}{}", prefix(e), shown_name(e, o), indicator(e, o))).collect();
            // wrap at 80 columns like GNU
            let mut col = 0;
            let mut line = String::new();
            for (i, n) in names.iter().enumerate() {
                let piece = if i + 1 < names.len() { format!("{n},") } else { n.clone() };
                if col > 0 && col + 1 + piece.len() > 80 {
                    line.push('\n');
                    col = 0;
                } else if col > 0 {
                    line.push(' ');
                    col += 1;
                }
                line.push_str(&piece);
                col += piece.len();
            }
            if !names.is_empty() {
                line.push('\n');
            }
            buf.extend_from_slice(line.as_bytes());
        }
        Format::Columns | Format::Across => {
            let names: Vec<String> = v.iter().map(|e| format!("{}{}{}", prefix(e), shown_name(e, o), indicator(e, o))).collect();
            columns(&names, o.format == Format::Across, buf);
        }
    }
}

/// GNU's column layout for 80 columns with 8-column tabs: the fewest rows whose
/// columns (each as wide as its longest name plus two) fit.
fn columns(names: &[String], across: bool, buf: &mut Vec<u8>) {
    let n = names.len();
    if n == 0 {
        return;
    }
    let width = 80;
    let mut layout = (n, vec![names.iter().map(|s| s.len()).max().unwrap_or(0)]);
    for cols in (1..=n).rev() {
        let rows = n.div_ceil(cols);
        let cols = n.div_ceil(rows);
        let mut widths = vec![0usize; cols];
        for (i, name) in names.iter().enumerate() {
            let c = if across { i % cols } else { i / rows };
            widths[c] = widths[c].max(name.len() + if c + 1 < cols { 2 } else { 0 });
        }
        if widths.iter().sum::<usize>() < width {
            layout = (rows, widths);
            break;
        }
    }
    let (rows, widths) = layout;
    let cols = widths.len();
    for r in 0..rows {
        let mut line = String::new();
        let mut pos = 0usize;
        for (c, w) in widths.iter().enumerate() {
            let i = if across { r * cols + c } else { c * rows + r };
            let Some(name) = names.get(i) else { break };
            let last = if across { c + 1 == cols || r * cols + c + 1 >= n } else { (c + 1) * rows + r >= n };
            line.push_str(name);
            if last {
                break;
            }
            let target = pos + w;
            let mut cur = pos + name.len();
            // pad with tabs then spaces, as GNU does with tab size 8
            while cur < target {
                if target / 8 > (cur + 1) / 8 {
                    line.push('\t');
                    cur += 8 - cur % 8;
                } else {
                    line.push(' ');
                    cur += 1;
                }
            }
            pos = target;
        }
        line.push('\n');
        buf.extend_from_slice(line.as_bytes());
    }
}
