//! Compression and archives: `gzip`/`gunzip`/`zcat` (`-c -d -k -f -n -N -l -t
//! -v -1..-9 -q`, multi-member input; deflate from `miniz_oxide`, so the
//! compressed bytes differ from GNU gzip's while the contents round-trip) and
//! `tar` (`c x t`, `-f -C -v -z` (also detected when reading), `-O -k -m -o -p
//! --strip-components --exclude --numeric-owner --owner --group`, old-style
//! bundled options like `tar xzf f.tgz`). Archives are written in GNU format
//! (`././@LongLink` for long names). Extraction refuses member names with
//! `..` and strips a leading `/`, as GNU tar does; bzip2 and xz are not
//! available in the playground.

use super::common::{err, ferr, out, qa, tick, tick_bytes, usage_err, Halt, Res};
use super::glob::fnmatch;
use super::users;
use crate::shell::proc::Ctx;
use crate::vfs::{path as vpath, File, Meta, Node, Symlink};
use std::io::Read;
use std::sync::Arc;

// ----- gzip ------------------------------------------------------------------------

/// CRC-32 (IEEE), as gzip's trailer holds it.
pub use crate::layer::gzip::crc32;

/// A gzip member of `data` (name and mtime in the header when given).
pub fn gzip_bytes(data: &[u8], level: u8, name: Option<&str>, mtime: u32) -> Vec<u8> {
    let mut o = vec![0x1f, 0x8b, 8, if name.is_some() { 8 } else { 0 }];
    o.extend_from_slice(&mtime.to_le_bytes());
    o.push(match level {
        9 => 2,
        1 => 4,
        _ => 0,
    });
    o.push(3);
    if let Some(n) = name {
        o.extend_from_slice(n.as_bytes());
        o.push(0);
    }
    o.extend_from_slice(&miniz_oxide::deflate::compress_to_vec(data, level.clamp(1, 9)));
    o.extend_from_slice(&crc32(data).to_le_bytes());
    o.extend_from_slice(&(data.len() as u32).to_le_bytes());
    o
}

/// Why gzip data could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum GunzipError {
    NotGzip,
    Corrupt,
    Crc,
    TooBig,
    Budget,
}

/// The decompressed contents of every member of `data` (at most `max` bytes).
pub fn gunzip_bytes(ctx: &mut Ctx<'_>, data: &[u8], max: usize) -> Result<Vec<u8>, GunzipError> {
    use miniz_oxide::inflate::stream::{inflate, InflateState};
    use miniz_oxide::{DataFormat, MZFlush, MZStatus};
    let mut outv = Vec::new();
    let mut pos = 0;
    let mut first = true;
    while pos < data.len() {
        let d = &data[pos..];
        if d.len() < 18 || d[0] != 0x1f || d[1] != 0x8b {
            if first {
                return Err(GunzipError::NotGzip);
            }
            // trailing garbage: gzip warns and ignores it; zeros are fine
            break;
        }
        if d[2] != 8 {
            return Err(GunzipError::Corrupt);
        }
        let flags = d[3];
        let mut i = 10;
        if flags & 4 != 0 {
            let xlen = u16::from_le_bytes([*d.get(10).ok_or(GunzipError::Corrupt)?, *d.get(11).ok_or(GunzipError::Corrupt)?]) as usize;
            i += 2 + xlen;
        }
        for bit in [8u8, 16] {
            if flags & bit != 0 {
                while *d.get(i).ok_or(GunzipError::Corrupt)? != 0 {
                    i += 1;
                }
                i += 1;
            }
        }
        if flags & 2 != 0 {
            i += 2;
        }
        if i > d.len() {
            return Err(GunzipError::Corrupt);
        }
        let mut state = InflateState::new_boxed(DataFormat::Raw);
        let start = outv.len();
        let mut input = &d[i..];
        let mut consumed = i;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let r = inflate(&mut state, input, &mut buf, MZFlush::None);
            outv.extend_from_slice(&buf[..r.bytes_written]);
            input = &input[r.bytes_consumed..];
            consumed += r.bytes_consumed;
            if outv.len() > max {
                return Err(GunzipError::TooBig);
            }
            if !ctx.budget.charge(1 + (r.bytes_written as u64 + r.bytes_consumed as u64) / super::common::BYTES_PER_STEP) {
                return Err(GunzipError::Budget);
            }
            match r.status {
                Ok(MZStatus::StreamEnd) => break,
                Ok(_) => {
                    if r.bytes_consumed == 0 && r.bytes_written == 0 {
                        return Err(GunzipError::Corrupt);
                    }
                }
                Err(_) => return Err(GunzipError::Corrupt),
            }
        }
        let trailer = d.get(consumed..consumed + 8).ok_or(GunzipError::Corrupt)?;
        let crc = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
        if crc != crc32(&outv[start..]) {
            return Err(GunzipError::Crc);
        }
        pos += consumed + 8;
        first = false;
    }
    Ok(outv)
}

/// The most bytes one decompression may produce (the vfs cap is the real limit).
const MAX_INFLATE: usize = 256 << 20;

pub fn gunzip(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let mut v = vec!["gzip".to_string(), "-d".to_string()];
    v.extend(argv[1..].iter().cloned());
    gzip(ctx, &v)
}

pub fn zcat(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let mut v = vec!["gzip".to_string(), "-dc".to_string()];
    v.extend(argv[1..].iter().cloned());
    gzip(ctx, &v)
}

pub fn gzip(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "gzip";
    let mut decompress = false;
    let mut stdout = false;
    let mut keep = false;
    let mut force = false;
    let mut name = true;
    let mut list = false;
    let mut test = false;
    let mut verbose = false;
    let mut quiet = false;
    let mut level = 6u8;
    let mut suffix = ".gz".to_string();
    let mut files = Vec::new();
    let mut i = 1;
    let mut only_files = false;
    while i < argv.len() {
        let a = argv[i].clone();
        i += 1;
        if only_files || !a.starts_with('-') || a == "-" {
            files.push(a);
            continue;
        }
        if a == "--" {
            only_files = true;
            continue;
        }
        if let Some(l) = a.strip_prefix("--") {
            match l {
                "decompress" | "uncompress" => decompress = true,
                "stdout" | "to-stdout" => stdout = true,
                "keep" => keep = true,
                "force" => force = true,
                "no-name" => name = false,
                "name" => name = true,
                "list" => list = true,
                "test" => test = true,
                "verbose" => verbose = true,
                "quiet" | "silent" => quiet = true,
                "fast" => level = 1,
                "best" => level = 9,
                s if s.starts_with("suffix=") => suffix = s[7..].to_string(),
                _ => return Ok(usage_err(ctx, prog, &format!("unrecognized option '{a}'"), 1)),
            }
            continue;
        }
        let b = a.as_bytes();
        let mut j = 1;
        while j < b.len() {
            match b[j] {
                b'd' => decompress = true,
                b'c' => stdout = true,
                b'k' => keep = true,
                b'f' => force = true,
                b'n' => name = false,
                b'N' => name = true,
                b'l' => list = true,
                b't' => test = true,
                b'v' => verbose = true,
                b'q' => quiet = true,
                b'r' => {}
                b'S' => {
                    if j + 1 < b.len() {
                        suffix = a[j + 1..].to_string();
                    } else if i < argv.len() {
                        suffix = argv[i].clone();
                        i += 1;
                    }
                    break;
                }
                c @ b'1'..=b'9' => level = c - b'0',
                c => {
                    err(ctx, prog, &format!("invalid option -- '{}'", c as char));
                    ctx.err("Try `gzip --help' for more information.\n");
                    return Ok(1);
                }
            }
            j += 1;
        }
    }
    let _ = quiet;
    if files.is_empty() {
        files.push("-".into());
    }
    let mut status = 0;
    for f in &files {
        tick(ctx, 1)?;
        let from_stdin = f == "-";
        let (data, meta) = if from_stdin {
            (ctx.stdin.read_all().to_vec(), None)
        } else {
            let abs = ctx.abs(f);
            match ctx.fs.get(&abs, true) {
                Ok(Node::File(fl)) => (fl.data.as_ref().clone(), Some(fl.meta)),
                Ok(Node::Dir(_)) => {
                    err(ctx, prog, &format!("{f} is a directory -- ignored"));
                    status = status.max(2);
                    continue;
                }
                Ok(Node::Symlink(_)) | Err(_) => {
                    let e = ctx.fs.stat(&abs).err().map(|e| ferr(&e)).unwrap_or_else(|| "No such file or directory".into());
                    err(ctx, prog, &format!("{f}: {e}"));
                    status = 1;
                    continue;
                }
            }
        };
        tick_bytes(ctx, data.len())?;
        let shown = if from_stdin { "stdin".to_string() } else { f.clone() };
        if decompress || list || test {
            if !from_stdin && !stdout && !list && !test && !f.ends_with(&suffix) && !f.ends_with(".tgz") && !f.ends_with(".z") {
                err(ctx, prog, &format!("{f}: unknown suffix -- ignored"));
                status = status.max(2);
                continue;
            }
            let plain = match gunzip_bytes(ctx, &data, MAX_INFLATE) {
                Ok(p) => p,
                Err(GunzipError::Budget) => return Err(Halt::Budget),
                Err(GunzipError::TooBig) => {
                    err(ctx, prog, &format!("{shown}: too large for the playground (limit {} MiB)", MAX_INFLATE >> 20));
                    status = 1;
                    continue;
                }
                Err(GunzipError::NotGzip) => {
                    ctx.err("\n");
                    err(ctx, prog, &format!("{shown}: not in gzip format"));
                    status = 1;
                    continue;
                }
                Err(_) => {
                    ctx.err("\n");
                    err(ctx, prog, &format!("{shown}: invalid compressed data--crc error"));
                    status = 1;
                    continue;
                }
            };
            if test {
                continue;
            }
            if list {
                let ratio = if plain.is_empty() { 0.0 } else { (plain.len() as f64 - data.len() as f64) / plain.len() as f64 * 100.0 };
                let uname = f.strip_suffix(&suffix).unwrap_or(f);
                out(
                    ctx,
                    format!("         compressed        uncompressed  ratio uncompressed_name\n{:>19} {:>19} {:>5.1}% {}\n", data.len(), plain.len(), ratio, uname).as_bytes(),
                )?;
                continue;
            }
            if stdout || from_stdin {
                out(ctx, &plain)?;
                continue;
            }
            let target = f.strip_suffix(&suffix).map(str::to_string).unwrap_or_else(|| f.trim_end_matches(".tgz").to_string() + ".tar");
            if !write_result(ctx, prog, f, &target, plain, meta, keep, force, verbose, data.len())? {
                status = status.max(2);
            }
        } else {
            let mtime = if name { meta.map(|m| m.mtime.clamp(0, u32::MAX as i64) as u32).unwrap_or(0) } else { 0 };
            let base = if name && !from_stdin { Some(super::basic::base_of(f).to_string()) } else { None };
            let packed = gzip_bytes(&data, level, base.as_deref(), mtime);
            if stdout || from_stdin {
                out(ctx, &packed)?;
                continue;
            }
            if f.ends_with(&suffix) && !force {
                err(ctx, prog, &format!("{f} already has {suffix} suffix -- unchanged"));
                status = status.max(2);
                continue;
            }
            let target = format!("{f}{suffix}");
            if !write_result(ctx, prog, f, &target, packed, meta, keep, force, verbose, data.len())? {
                status = status.max(2);
            }
        }
    }
    Ok(status)
}

#[allow(clippy::too_many_arguments)]
fn write_result(ctx: &mut Ctx<'_>, prog: &str, src: &str, target: &str, data: Vec<u8>, meta: Option<Meta>, keep: bool, force: bool, verbose: bool, in_len: usize) -> Res<bool> {
    let tabs = ctx.abs(target);
    if ctx.fs.lstat(&tabs).is_ok() {
        if !force {
            err(ctx, prog, &format!("{target} already exists;\tnot overwritten"));
            return Ok(false);
        }
        let _ = ctx.fs.remove_file(&tabs);
    }
    let out_len = data.len();
    let meta = meta.unwrap_or(Meta::new(0o644, ctx.fs.now));
    if let Err(e) = ctx.fs.insert(&tabs, Node::File(Arc::new(File { meta, data: Arc::new(data), hardlinked: false }))) {
        err(ctx, prog, &format!("{target}: {}", ferr(&e)));
        return Ok(false);
    }
    if !keep {
        let _ = ctx.fs.remove_file(&ctx.abs(src));
    }
    if verbose {
        let (big, small) = if target.len() > src.len() { (in_len, out_len) } else { (out_len, in_len) };
        let ratio = if big == 0 { 0.0 } else { (big as f64 - small as f64) / big as f64 * 100.0 };
        ctx.err(&format!("{src}:\t{ratio:.1}% -- replaced with {target}\n"));
    }
    Ok(true)
}

// ----- tar -------------------------------------------------------------------------

#[derive(Default)]
struct TarOpts {
    mode: Option<char>,
    file: Option<String>,
    dir: Option<String>,
    verbose: u8,
    gzip: bool,
    to_stdout: bool,
    keep_old: bool,
    no_mtime: bool,
    same_owner: Option<bool>,
    strip: usize,
    excludes: Vec<String>,
    numeric: bool,
    owner: Option<String>,
    group: Option<String>,
    files: Vec<String>,
}

fn tar_usage(ctx: &mut Ctx<'_>, msg: &str) -> i32 {
    err(ctx, "tar", msg);
    ctx.err("Try 'tar --help' or 'tar --usage' for more information.\n");
    2
}

fn parse_tar_args(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<TarOpts, i32> {
    let mut o = TarOpts::default();
    let mut args: Vec<String> = argv[1..].to_vec();
    // old style: the first word is a bundle of letters
    if let Some(first) = args.first() {
        if !first.starts_with('-') && !first.is_empty() && first.chars().all(|c| c.is_ascii_alphabetic()) {
            let first = args.remove(0);
            let mut rest = args;
            let mut new = Vec::new();
            for c in first.chars() {
                new.push(format!("-{c}"));
                if matches!(c, 'f' | 'C' | 'T' | 'X' | 'b' | 'N') {
                    if rest.is_empty() {
                        return Err(tar_usage(ctx, &format!("Old option '{c}' requires an argument.")));
                    }
                    new.push(rest.remove(0));
                }
            }
            new.extend(rest);
            args = new;
        }
    }
    let mut i = 0;
    let set_mode = |o: &mut TarOpts, ctx: &mut Ctx<'_>, m: char| -> Result<(), i32> {
        if let Some(prev) = o.mode {
            if prev != m {
                return Err(tar_usage(ctx, "You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option"));
            }
        }
        o.mode = Some(m);
        Ok(())
    };
    while i < args.len() {
        let a = args[i].clone();
        i += 1;
        if a == "--" {
            o.files.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(l) = a.strip_prefix("--") {
            let (name, val) = match l.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (l, None),
            };
            let need = |i: &mut usize| -> Option<String> {
                if val.is_some() {
                    return val.clone();
                }
                let v = args.get(*i).cloned();
                *i += 1;
                v
            };
            match name {
                "create" => set_mode(&mut o, ctx, 'c')?,
                "extract" | "get" => set_mode(&mut o, ctx, 'x')?,
                "list" => set_mode(&mut o, ctx, 't')?,
                "file" => o.file = need(&mut i),
                "directory" => o.dir = need(&mut i),
                "verbose" => o.verbose += 1,
                "gzip" | "gunzip" | "ungzip" => o.gzip = true,
                "to-stdout" => o.to_stdout = true,
                "keep-old-files" | "skip-old-files" => o.keep_old = true,
                "overwrite" | "overwrite-dir" | "unlink-first" | "recursive-unlink" | "no-recursion" | "totals" | "wildcards" | "anchored" | "sort" | "format" | "warning" | "delay-directory-restore" | "no-overwrite-dir" => {
                    if name == "sort" || name == "format" || name == "warning" {
                        need(&mut i);
                    }
                }
                "touch" => o.no_mtime = true,
                "no-same-owner" => o.same_owner = Some(false),
                "same-owner" => o.same_owner = Some(true),
                "same-permissions" | "preserve-permissions" | "preserve" | "no-same-permissions" => {}
                "strip-components" => match need(&mut i).and_then(|v| v.parse().ok()) {
                    Some(n) => o.strip = n,
                    None => return Err(tar_usage(ctx, "Invalid number of elements")),
                },
                "exclude" => {
                    if let Some(v) = need(&mut i) {
                        o.excludes.push(v);
                    }
                }
                "numeric-owner" => o.numeric = true,
                "owner" => o.owner = need(&mut i),
                "group" => o.group = need(&mut i),
                "mtime" | "mode" => {
                    need(&mut i);
                }
                "bzip2" | "xz" | "lzma" | "zstd" | "lzip" => {
                    err(ctx, "tar", &format!("{name} compression is not available in the playground (dfplay has gzip only)"));
                    return Err(2);
                }
                _ => return Err(tar_usage(ctx, &format!("unrecognized option '{a}'"))),
            }
            continue;
        }
        if a.starts_with('-') && a.len() > 1 {
            let cs: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < cs.len() {
                let c = cs[j];
                j += 1;
                let mut take = |i: &mut usize| -> Option<String> {
                    if j < cs.len() {
                        let v: String = cs[j..].iter().collect();
                        j = cs.len();
                        Some(v)
                    } else {
                        let v = args.get(*i).cloned();
                        *i += 1;
                        v
                    }
                };
                match c {
                    'c' | 'x' | 't' => set_mode(&mut o, ctx, c)?,
                    'f' => match take(&mut i) {
                        Some(v) => o.file = Some(v),
                        None => return Err(tar_usage(ctx, "option requires an argument -- 'f'")),
                    },
                    'C' => match take(&mut i) {
                        Some(v) => o.dir = Some(v),
                        None => return Err(tar_usage(ctx, "option requires an argument -- 'C'")),
                    },
                    'v' => o.verbose += 1,
                    'z' => o.gzip = true,
                    'O' => o.to_stdout = true,
                    'k' => o.keep_old = true,
                    'm' => o.no_mtime = true,
                    'o' => o.same_owner = Some(false),
                    'p' | 'P' | 'h' | 'S' | 'U' | 'W' | 'a' | 'l' => {}
                    'j' | 'J' | 'Z' => {
                        let n = match c {
                            'j' => "bzip2",
                            'J' => "xz",
                            _ => "compress",
                        };
                        err(ctx, "tar", &format!("{n} compression is not available in the playground (dfplay has gzip only)"));
                        return Err(2);
                    }
                    'X' | 'T' | 'b' | 'N' | 'g' | 'V' => {
                        take(&mut i);
                    }
                    other => return Err(tar_usage(ctx, &format!("invalid option -- '{other}'"))),
                }
            }
            continue;
        }
        o.files.push(a);
    }
    if o.mode.is_none() {
        return Err(tar_usage(ctx, "You must specify one of the '-Acdtrux', '--delete' or '--test-label' options"));
    }
    Ok(o)
}

fn octal(field: &mut [u8], v: u64) {
    let w = field.len() - 1;
    let s = format!("{v:0w$o}");
    let s = if s.len() > w { "7".repeat(w) } else { s };
    field[..w].copy_from_slice(s.as_bytes());
    field[w] = 0;
}

struct TarHeader<'a> {
    name: &'a [u8],
    mode: u32,
    uid: u32,
    gid: u32,
    size: u64,
    mtime: i64,
    kind: u8,
    link: &'a [u8],
    uname: &'a str,
    gname: &'a str,
}

fn header_block(h: &TarHeader<'_>) -> [u8; 512] {
    let mut b = [0u8; 512];
    let n = h.name.len().min(100);
    b[..n].copy_from_slice(&h.name[..n]);
    octal(&mut b[100..108], h.mode as u64);
    octal(&mut b[108..116], h.uid as u64);
    octal(&mut b[116..124], h.gid as u64);
    octal(&mut b[124..136], h.size);
    octal(&mut b[136..148], h.mtime.max(0) as u64);
    b[156] = h.kind;
    let l = h.link.len().min(100);
    b[157..157 + l].copy_from_slice(&h.link[..l]);
    b[257..263].copy_from_slice(b"ustar ");
    b[263..265].copy_from_slice(b" \0");
    let u = h.uname.len().min(31);
    b[265..265 + u].copy_from_slice(&h.uname.as_bytes()[..u]);
    let g = h.gname.len().min(31);
    b[297..297 + g].copy_from_slice(&h.gname.as_bytes()[..g]);
    b[148..156].copy_from_slice(b"        ");
    let sum: u32 = b.iter().map(|x| *x as u32).sum();
    let s = format!("{sum:06o}\0 ");
    b[148..156].copy_from_slice(s.as_bytes());
    b
}

/// Appends one member (with GNU long-name records when needed).
fn push_member(o: &mut Vec<u8>, h: &TarHeader<'_>, data: &[u8]) {
    for (kind, long) in [(b'K', h.link), (b'L', h.name)] {
        if long.len() > 100 {
            let lh = TarHeader { name: b"././@LongLink", mode: 0o644, uid: 0, gid: 0, size: long.len() as u64 + 1, mtime: 0, kind, link: b"", uname: "root", gname: "root" };
            o.extend_from_slice(&header_block(&lh));
            let mut d = long.to_vec();
            d.push(0);
            o.extend_from_slice(&d);
            o.resize(o.len().div_ceil(512) * 512, 0);
        }
    }
    o.extend_from_slice(&header_block(h));
    o.extend_from_slice(data);
    o.resize(o.len().div_ceil(512) * 512, 0);
}

fn tar_list_line(ctx: &Ctx<'_>, mode: u32, kind: u8, uid: u32, gid: u32, uname: &str, gname: &str, size: u64, mtime: i64, name: &str, link: &str, numeric: bool) -> String {
    let ft = match kind {
        b'5' => 'd',
        b'2' => 'l',
        b'1' => 'h',
        _ => '-',
    };
    let perms = super::perms::perm_string(mode);
    let u = if numeric || uname.is_empty() { users::user_by_uid(ctx.fs, uid).map(|x| x.name).filter(|_| !numeric).unwrap_or(uid.to_string()) } else { uname.to_string() };
    let g = if numeric || gname.is_empty() { users::group_by_gid(ctx.fs, gid).map(|x| x.name).filter(|_| !numeric).unwrap_or(gid.to_string()) } else { gname.to_string() };
    let ug = format!("{u}/{g}");
    let sz = size.to_string();
    let pad = 19usize.saturating_sub(ug.len() + sz.len()).max(1);
    let date = super::timefmt::strftime("%Y-%m-%d %H:%M", mtime);
    let t = if ft == 'h' { '-' } else { ft };
    let mut line = format!("{t}{perms} {ug}{}{sz} {date} {name}", " ".repeat(pad));
    match kind {
        b'2' => line.push_str(&format!(" -> {link}")),
        b'1' => line.push_str(&format!(" link to {link}")),
        _ => {}
    }
    line.push('\n');
    line
}

pub fn tar(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let o = match parse_tar_args(ctx, argv) {
        Ok(o) => o,
        Err(s) => return Ok(s),
    };
    match o.mode {
        Some('c') => tar_create(ctx, &o),
        _ => tar_read(ctx, &o),
    }
}

fn tar_create(ctx: &mut Ctx<'_>, o: &TarOpts) -> Res {
    let prog = "tar";
    if o.files.is_empty() {
        err(ctx, prog, "Cowardly refusing to create an empty archive");
        ctx.err("Try 'tar --help' or 'tar --usage' for more information.\n");
        return Ok(2);
    }
    let base = match &o.dir {
        Some(d) => {
            let abs = ctx.abs(d);
            match ctx.fs.stat(&abs) {
                Ok(st) if st.is_dir() => vpath::normalize(&abs),
                _ => {
                    err(ctx, prog, &format!("{d}: Cannot open: No such file or directory"));
                    err(ctx, prog, "Error is not recoverable: exiting now");
                    return Ok(2);
                }
            }
        }
        None => ctx.cwd.clone(),
    };
    let to_stdout = o.file.as_deref().map(|f| f == "-").unwrap_or(true);
    let mut arch = Vec::new();
    let mut listing = String::new();
    let mut failed = false;
    let mut warned_abs = false;
    for f in &o.files {
        let abs = vpath::join(&base, f);
        let top = match ctx.fs.get(&abs, false) {
            Ok(n) => n,
            Err(e) => {
                err(ctx, prog, &format!("{f}: Cannot stat: {}", ferr(&e)));
                failed = true;
                continue;
            }
        };
        let mut stored_root = f.clone();
        if stored_root.starts_with('/') {
            if !warned_abs {
                err(ctx, prog, "Removing leading `/' from member names");
                warned_abs = true;
            }
            stored_root = stored_root.trim_start_matches('/').to_string();
        }
        let mut todo: Vec<(String, Node)> = Vec::new();
        match &top {
            Node::Dir(_) => {
                let entries = ctx.fs.walk(&abs).unwrap_or_default();
                let root_len = entries.first().map(|e| e.0.len()).unwrap_or(0);
                for (p, n) in entries {
                    let rel = &p[root_len..];
                    let name = if rel.is_empty() { stored_root.trim_end_matches('/').to_string() } else { format!("{}{}", stored_root.trim_end_matches('/'), rel) };
                    let name = if name.is_empty() { ".".to_string() } else { name };
                    todo.push((name, n));
                }
            }
            n => todo.push((stored_root.clone(), n.clone())),
        }
        for (name, node) in todo {
            tick(ctx, 1)?;
            let leaf = name.rsplit('/').next().unwrap_or(&name);
            if o.excludes.iter().any(|g| fnmatch(g.as_bytes(), leaf.as_bytes(), false, false) || fnmatch(g.as_bytes(), name.as_bytes(), false, false)) {
                continue;
            }
            let m = *node.meta();
            let uname = o.owner.clone().unwrap_or_else(|| users::user_by_uid(ctx.fs, m.uid).map(|u| u.name).unwrap_or_default());
            let gname = o.group.clone().unwrap_or_else(|| users::group_by_gid(ctx.fs, m.gid).map(|g| g.name).unwrap_or_default());
            let (kind, data, link, stored): (u8, Vec<u8>, String, String) = match &node {
                Node::Dir(_) => (b'5', Vec::new(), String::new(), format!("{}/", name.trim_end_matches('/'))),
                Node::File(fl) => (b'0', fl.data.as_ref().clone(), String::new(), name.clone()),
                Node::Symlink(s) => (b'2', Vec::new(), s.target.clone(), name.clone()),
            };
            tick_bytes(ctx, data.len())?;
            let h = TarHeader {
                name: stored.as_bytes(),
                mode: m.mode,
                uid: m.uid,
                gid: m.gid,
                size: data.len() as u64,
                mtime: m.mtime,
                kind,
                link: link.as_bytes(),
                uname: &uname,
                gname: &gname,
            };
            push_member(&mut arch, &h, &data);
            if o.verbose > 1 {
                listing.push_str(&tar_list_line(ctx, m.mode, kind, m.uid, m.gid, &uname, &gname, data.len() as u64, m.mtime, &stored, &link, o.numeric));
            } else if o.verbose == 1 {
                listing.push_str(&format!("{stored}\n"));
            }
            if arch.len() > 300 << 20 {
                err(ctx, prog, "archive too large for the playground");
                return Ok(2);
            }
        }
    }
    arch.extend_from_slice(&[0u8; 1024]);
    arch.resize(arch.len().div_ceil(10240) * 10240, 0);
    let arch = if o.gzip { gzip_bytes(&arch, 6, None, 0) } else { arch };
    if to_stdout {
        if !listing.is_empty() {
            ctx.err(&listing);
        }
        out(ctx, &arch)?;
    } else {
        let f = o.file.clone().unwrap_or_default();
        out(ctx, listing.as_bytes())?;
        let abs = ctx.abs(&f);
        if let Err(e) = ctx.fs.write(&abs, arch, 0o644) {
            err(ctx, prog, &format!("{f}: Cannot open: {}", ferr(&e)));
            err(ctx, prog, "Error is not recoverable: exiting now");
            return Ok(2);
        }
    }
    if failed {
        err(ctx, prog, "Exiting with failure status due to previous errors");
        return Ok(2);
    }
    Ok(0)
}

/// A member name with `strip` leading components removed (None: nothing left).
fn strip_components(name: &str, strip: usize) -> Option<String> {
    if strip == 0 {
        return Some(name.to_string());
    }
    let parts: Vec<&str> = name.split('/').filter(|p| !p.is_empty()).collect();
    if parts.len() <= strip {
        return None;
    }
    let mut s = parts[strip..].join("/");
    if name.ends_with('/') {
        s.push('/');
    }
    Some(s)
}

fn tar_read(ctx: &mut Ctx<'_>, o: &TarOpts) -> Res {
    let prog = "tar";
    let raw: Vec<u8> = match o.file.as_deref() {
        None | Some("-") => ctx.stdin.read_all().to_vec(),
        Some(f) => match ctx.fs.read(&ctx.abs(f)) {
            Ok(d) => d.as_ref().clone(),
            Err(e) => {
                err(ctx, prog, &format!("{f}: Cannot open: {}", ferr(&e)));
                err(ctx, prog, "Error is not recoverable: exiting now");
                return Ok(2);
            }
        },
    };
    tick_bytes(ctx, raw.len())?;
    let is_gz = raw.len() >= 2 && raw[0] == 0x1f && raw[1] == 0x8b;
    if o.gzip && !is_gz {
        ctx.err("\ngzip: stdin: not in gzip format\n");
        err(ctx, prog, "Child returned status 1");
        err(ctx, prog, "Error is not recoverable: exiting now");
        return Ok(2);
    }
    if raw.starts_with(b"BZh") || raw.starts_with(&[0xfd, b'7', b'z', b'X', b'Z']) {
        err(ctx, prog, "bzip2 and xz archives are not available in the playground (dfplay has gzip only)");
        return Ok(2);
    }
    let data = if is_gz {
        match gunzip_bytes(ctx, &raw, MAX_INFLATE) {
            Ok(d) => d,
            Err(GunzipError::Budget) => return Err(Halt::Budget),
            Err(_) => {
                ctx.err("\ngzip: stdin: invalid compressed data--format violated\n");
                err(ctx, prog, "Child returned status 1");
                err(ctx, prog, "Error is not recoverable: exiting now");
                return Ok(2);
            }
        }
    } else {
        raw
    };
    let dest = match &o.dir {
        Some(d) => {
            let abs = ctx.abs(d);
            match ctx.fs.stat(&abs) {
                Ok(st) if st.is_dir() => vpath::normalize(&abs),
                Ok(_) => {
                    err(ctx, prog, &format!("{d}: Cannot open: Not a directory"));
                    err(ctx, prog, "Error is not recoverable: exiting now");
                    return Ok(2);
                }
                Err(e) => {
                    err(ctx, prog, &format!("{d}: Cannot open: {}", ferr(&e)));
                    err(ctx, prog, "Error is not recoverable: exiting now");
                    return Ok(2);
                }
            }
        }
        None => ctx.cwd.clone(),
    };
    let same_owner = o.same_owner.unwrap_or(ctx.uid == 0);
    let mut archive = tar::Archive::new(&data[..]);
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(_) => {
            err(ctx, prog, "This does not look like a tar archive");
            err(ctx, prog, "Exiting with failure status due to previous errors");
            return Ok(2);
        }
    };
    let mut failed = false;
    let mut warned_abs = false;
    let mut matched = vec![false; o.files.len()];
    let mut listing = String::new();
    let mut any = false;
    for entry in entries {
        tick(ctx, 1)?;
        let mut e = match entry {
            Ok(e) => e,
            Err(_) => {
                if !any {
                    err(ctx, prog, "This does not look like a tar archive");
                } else {
                    err(ctx, prog, "Unexpected EOF in archive");
                }
                err(ctx, prog, "Exiting with failure status due to previous errors");
                return Ok(2);
            }
        };
        any = true;
        let name = String::from_utf8_lossy(&e.path_bytes()).into_owned();
        let h = e.header().clone();
        let kind = h.entry_type().as_byte();
        let link = e.link_name_bytes().map(|l| String::from_utf8_lossy(&l).into_owned()).unwrap_or_default();
        let mode = h.mode().unwrap_or(0o644) & 0o7777;
        let uid = h.uid().unwrap_or(0) as u32;
        let gid = h.gid().unwrap_or(0) as u32;
        let mtime = h.mtime().unwrap_or(0) as i64;
        let size = h.size().unwrap_or(0);
        let uname = h.username().ok().flatten().unwrap_or("").to_string();
        let gname = h.groupname().ok().flatten().unwrap_or("").to_string();
        if matches!(kind, b'g' | b'x' | b'L' | b'K') {
            continue;
        }
        // selection by operands
        if !o.files.is_empty() {
            let trimmed = name.trim_end_matches('/');
            let hit = o.files.iter().position(|f| {
                let f = f.trim_end_matches('/');
                trimmed == f || trimmed.starts_with(&format!("{f}/")) || fnmatch(f.as_bytes(), trimmed.as_bytes(), false, false)
            });
            match hit {
                Some(k) => matched[k] = true,
                None => continue,
            }
        }
        let leaf = name.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        if o.excludes.iter().any(|g| fnmatch(g.as_bytes(), leaf.as_bytes(), false, false) || fnmatch(g.as_bytes(), name.as_bytes(), false, false)) {
            continue;
        }
        if o.mode == Some('t') {
            if o.verbose > 0 {
                listing.push_str(&tar_list_line(ctx, mode, kind, uid, gid, &uname, &gname, size, mtime, &name, &link, o.numeric));
            } else {
                listing.push_str(&format!("{name}\n"));
            }
            if listing.len() > 65536 {
                out(ctx, listing.as_bytes())?;
                listing.clear();
            }
            continue;
        }
        // extraction: the member's path inside the destination
        let mut rel = name.clone();
        if rel.starts_with('/') {
            if !warned_abs {
                err(ctx, prog, "Removing leading `/' from member names");
                warned_abs = true;
            }
            rel = rel.trim_start_matches('/').to_string();
        }
        if rel.split('/').any(|c| c == "..") {
            err(ctx, prog, &format!("{name}: Member name contains '..'"));
            failed = true;
            continue;
        }
        let Some(rel) = strip_components(&rel, o.strip) else { continue };
        if rel.is_empty() || rel == "./" || rel == "." {
            if kind == b'5' {
                // the destination itself: adopt its metadata like GNU tar
                if same_owner {
                    let _ = ctx.fs.chown(&dest, uid, gid, true);
                }
                let _ = ctx.fs.chmod(&dest, mode);
            }
            continue;
        }
        if o.verbose > 0 {
            let line = if o.verbose > 1 { tar_list_line(ctx, mode, kind, uid, gid, &uname, &gname, size, mtime, &name, &link, o.numeric) } else { format!("{name}\n") };
            listing.push_str(&line);
        }
        let mut content = Vec::new();
        if matches!(kind, b'0' | b'\0' | b'7') {
            if size > MAX_INFLATE as u64 {
                err(ctx, prog, &format!("{name}: too large for the playground"));
                failed = true;
                continue;
            }
            if e.read_to_end(&mut content).is_err() {
                err(ctx, prog, "Unexpected EOF in archive");
                failed = true;
                break;
            }
            tick_bytes(ctx, content.len())?;
        }
        if o.to_stdout {
            if matches!(kind, b'0' | b'\0' | b'7') {
                out(ctx, listing.as_bytes())?;
                listing.clear();
                out(ctx, &content)?;
            }
            continue;
        }
        let target = vpath::join(&dest, &rel);
        // parents as needed
        let parent = vpath::parent(&vpath::normalize(&target)).to_string();
        if ctx.fs.stat(&parent).map(|s| !s.is_dir()).unwrap_or(true) {
            if let Err(err_) = ctx.fs.mkdir_all(&parent, 0o755) {
                err(ctx, prog, &format!("{rel}: Cannot open: {}", ferr(&err_)));
                failed = true;
                continue;
            }
        }
        let meta = Meta {
            mode: if same_owner { mode } else { mode & !super::perms::UMASK },
            uid: if same_owner { uid } else { ctx.uid },
            gid: if same_owner { gid } else { ctx.gid },
            mtime: if o.no_mtime { ctx.fs.now } else { mtime },
        };
        let existing = ctx.fs.lstat(&target).ok();
        if o.keep_old && existing.is_some() && kind != b'5' {
            err(ctx, prog, &format!("{rel}: Cannot open: File exists"));
            failed = true;
            continue;
        }
        let r = match kind {
            b'5' => match existing {
                Some(st) if st.is_dir() => ctx.fs.set_meta(&target, meta),
                Some(_) => ctx.fs.remove_file(&target).and_then(|_| ctx.fs.insert(&target, Node::new_dir(meta))),
                None => ctx.fs.insert(&target, Node::new_dir(meta)),
            },
            b'2' => {
                if existing.map(|s| !s.is_dir()).unwrap_or(false) {
                    let _ = ctx.fs.remove_file(&target);
                }
                ctx.fs.insert(&target, Node::Symlink(Arc::new(Symlink { meta: Meta { mode: 0o777, ..meta }, target: link.clone() })))
            }
            b'1' => {
                // a hard link to a member extracted before
                let src = strip_components(link.trim_start_matches('/'), o.strip).map(|l| vpath::join(&dest, &l));
                match src {
                    Some(s) => {
                        if existing.map(|s| !s.is_dir()).unwrap_or(false) {
                            let _ = ctx.fs.remove_file(&target);
                        }
                        ctx.fs.hard_link(&s, &target)
                    }
                    None => Err(crate::vfs::FsError::new(crate::vfs::FsErrorKind::NotFound, &target)),
                }
            }
            b'0' | b'\0' | b'7' => {
                if existing.map(|s| !s.is_dir()).unwrap_or(false) {
                    let _ = ctx.fs.remove_file(&target);
                }
                ctx.fs.insert(&target, Node::File(Arc::new(File { meta, data: Arc::new(content), hardlinked: false })))
            }
            _ => {
                err(ctx, prog, &format!("{name}: Unknown file type '{}', extracted as normal file", kind as char));
                ctx.fs.insert(&target, Node::File(Arc::new(File { meta, data: Arc::new(Vec::new()), hardlinked: false })))
            }
        };
        if let Err(e2) = r {
            let what = if kind == b'5' { "Cannot mkdir" } else { "Cannot open" };
            err(ctx, prog, &format!("{rel}: {what}: {}", ferr(&e2)));
            failed = true;
        }
    }
    out(ctx, listing.as_bytes())?;
    for (k, m) in matched.iter().enumerate() {
        if !m {
            err(ctx, prog, &format!("{}: Not found in archive", o.files[k]));
            failed = true;
        }
    }
    if failed {
        err(ctx, prog, "Exiting with failure status due to previous errors");
        return Ok(2);
    }
    let _ = qa;
    Ok(0)
}
