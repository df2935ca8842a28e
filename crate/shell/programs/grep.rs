//! `grep` (GNU 3.x): `-E -F -G -e -f -i -y -v -w -x -c -l -L -q -s -n -b -h -H
//! -o -r -R -m -A -B -C -Z -z -a --include --exclude --exclude-dir --label`,
//! `egrep`/`fgrep`; context separators, binary files ("binary file matches"
//! on stderr), exit status 0/1/2 as GNU.

use super::common::{err, ferr, getopt, out, qf, tick, tick_bytes, usage_err, Arg, Res, Spec};
use super::glob::fnmatch;
use super::regex::{escape_literal, Flags, Regex, Syntax, Wrap};
use crate::shell::proc::Ctx;
use crate::vfs::Node;
use std::sync::Arc;

const GREP: Spec = Spec {
    short: "A:aB:bC:cDd:Ee:Ff:GHhiIlLm:noqRrsTUvwxyZz0123456789",
    long: &[
        ("after-context", Arg::Required, 'A'),
        ("text", Arg::No, 'a'),
        ("before-context", Arg::Required, 'B'),
        ("byte-offset", Arg::No, 'b'),
        ("context", Arg::Required, 'C'),
        ("count", Arg::No, 'c'),
        ("color", Arg::Optional, 'k'),
        ("colour", Arg::Optional, 'k'),
        ("extended-regexp", Arg::No, 'E'),
        ("regexp", Arg::Required, 'e'),
        ("fixed-strings", Arg::No, 'F'),
        ("file", Arg::Required, 'f'),
        ("basic-regexp", Arg::No, 'G'),
        ("with-filename", Arg::No, 'H'),
        ("no-filename", Arg::No, 'h'),
        ("ignore-case", Arg::No, 'i'),
        ("no-ignore-case", Arg::No, 'j'),
        ("files-with-matches", Arg::No, 'l'),
        ("files-without-match", Arg::No, 'L'),
        ("max-count", Arg::Required, 'm'),
        ("line-number", Arg::No, 'n'),
        ("only-matching", Arg::No, 'o'),
        ("quiet", Arg::No, 'q'),
        ("silent", Arg::No, 'q'),
        ("recursive", Arg::No, 'r'),
        ("dereference-recursive", Arg::No, 'R'),
        ("no-messages", Arg::No, 's'),
        ("invert-match", Arg::No, 'v'),
        ("word-regexp", Arg::No, 'w'),
        ("line-regexp", Arg::No, 'x'),
        ("null", Arg::No, 'Z'),
        ("null-data", Arg::No, 'z'),
        ("include", Arg::Required, '\u{1}'),
        ("exclude", Arg::Required, '\u{2}'),
        ("exclude-dir", Arg::Required, '\u{3}'),
        ("label", Arg::Required, '\u{4}'),
        ("binary-files", Arg::Required, '\u{5}'),
        ("line-buffered", Arg::No, '\u{6}'),
        ("initial-tab", Arg::No, 'T'),
    ],
    permute: true,
    status: 2,
    usage: "[OPTION]... PATTERNS [FILE]...",
};

struct Opts {
    invert: bool,
    count: bool,
    list: bool,
    list_missing: bool,
    quiet: bool,
    silent: bool,
    number: bool,
    byte_offset: bool,
    only: bool,
    with_name: bool,
    max: Option<u64>,
    after: usize,
    before: usize,
    null_name: bool,
    eol: u8,
    text: bool,
    label: String,
    include: Vec<String>,
    exclude: Vec<String>,
    exclude_dir: Vec<String>,
}

pub fn egrep(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let mut v = vec!["grep".to_string(), "-E".to_string()];
    v.extend(argv[1..].iter().cloned());
    grep(ctx, &v)
}

pub fn fgrep(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let mut v = vec!["grep".to_string(), "-F".to_string()];
    v.extend(argv[1..].iter().cloned());
    grep(ctx, &v)
}

pub fn grep(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "grep";
    // -NUM means -C NUM
    let argv: Vec<String> = argv
        .iter()
        .enumerate()
        .map(|(i, a)| if i > 0 && a.len() > 1 && a.starts_with('-') && a[1..].bytes().all(|b| b.is_ascii_digit()) { format!("-C{}", &a[1..]) } else { a.clone() })
        .collect();
    let p = match getopt(ctx, prog, &argv, &GREP) {
        Ok(p) => p,
        Err(2) => return Ok(2),
        Err(s) => return Ok(s),
    };
    let mut syntax = Syntax::Basic;
    let mut fixed = false;
    let mut patterns: Vec<Vec<u8>> = Vec::new();
    let mut have_pattern = false;
    let mut icase = false;
    for (c, v) in &p.opts {
        match c {
            'E' => {
                syntax = Syntax::Extended;
                fixed = false;
            }
            'F' => fixed = true,
            'G' => {
                syntax = Syntax::Basic;
                fixed = false;
            }
            'i' | 'y' => icase = true,
            'j' => icase = false,
            'e' => {
                have_pattern = true;
                patterns.extend(v.as_deref().unwrap_or("").as_bytes().split(|&b| b == b'\n').map(<[u8]>::to_vec));
            }
            'f' => {
                have_pattern = true;
                let f = v.as_deref().unwrap_or("");
                let data = if f == "-" {
                    Arc::new(ctx.stdin.read_all().to_vec())
                } else {
                    match ctx.fs.read(&ctx.abs(f)) {
                        Ok(d) => d,
                        Err(e) => {
                            err(ctx, prog, &format!("{}: {}", qf(f), ferr(&e)));
                            return Ok(2);
                        }
                    }
                };
                let mut lines: Vec<Vec<u8>> = data.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
                if data.last() == Some(&b'\n') || data.is_empty() {
                    lines.pop();
                }
                patterns.extend(lines);
            }
            _ => {}
        }
    }
    let mut operands = p.args.clone();
    if !have_pattern {
        if operands.is_empty() {
            ctx.err("Usage: grep [OPTION]... PATTERNS [FILE]...\n");
            return Ok(usage_err(ctx, prog, "", 2));
        }
        let pat = operands.remove(0);
        patterns.extend(pat.as_bytes().split(|&b| b == b'\n').map(<[u8]>::to_vec));
    }
    let wrap = if p.has('x') {
        Wrap::Line
    } else if p.has('w') {
        Wrap::Word
    } else {
        Wrap::None
    };
    let mut res = Vec::new();
    for pat in &patterns {
        if !fixed && bare_class(pat) {
            err(ctx, prog, "character class syntax is [[:space:]], not [:space:]");
            return Ok(2);
        }
        let src = if fixed { escape_literal(pat, Syntax::Basic) } else { pat.clone() };
        let flags = Flags { syntax: if fixed { Syntax::Basic } else { syntax }, icase, sed_escapes: false };
        match Regex::wrapped(&src, flags, wrap) {
            Ok(r) => res.push(r),
            Err(e) => {
                let msg = match &e {
                    super::regex::RegexError::UnmatchedBracket if pat.ends_with(b"[") || pat.ends_with(b"[^") => "Invalid regular expression",
                    other => other.message(),
                };
                err(ctx, prog, msg);
                return Ok(2);
            }
        }
    }
    let recursive = p.has('r') || p.has('R');
    let num = |c: char| -> Option<usize> { p.val(c).and_then(|v| v.parse::<usize>().ok()) };
    let ctx_n = num('C').unwrap_or(0);
    for c in ['A', 'B', 'C', 'm'] {
        if let Some(v) = p.val(c) {
            if v.parse::<u64>().is_err() {
                if c == 'm' {
                    err(ctx, prog, "invalid max count");
                } else {
                    err(ctx, prog, &format!("{v}: invalid context length argument"));
                }
                return Ok(2);
            }
        }
    }
    if operands.is_empty() {
        operands.push(if recursive { ".".into() } else { "-".into() });
    }
    let implicit_dot = recursive && p.args.len() == usize::from(!have_pattern);
    let last_h = p.opts.iter().rev().find(|(c, _)| *c == 'h' || *c == 'H').map(|(c, _)| *c);
    let o = Opts {
        invert: p.has('v'),
        count: p.has('c'),
        list: p.has('l'),
        list_missing: p.has('L'),
        quiet: p.has('q'),
        silent: p.has('s'),
        number: p.has('n'),
        byte_offset: p.has('b'),
        only: p.has('o'),
        with_name: match last_h {
            Some('h') => false,
            Some(_) => true,
            None => operands.len() > 1 || recursive,
        },
        max: p.val('m').and_then(|v| v.parse().ok()),
        after: num('A').unwrap_or(ctx_n),
        before: num('B').unwrap_or(ctx_n),
        null_name: p.has('Z'),
        eol: if p.has('z') { 0 } else { b'\n' },
        text: p.has('a') || p.val('\u{5}') == Some("text"),
        label: p.val('\u{4}').unwrap_or("(standard input)").to_string(),
        include: p.vals('\u{1}').iter().map(|s| s.to_string()).collect(),
        exclude: p.vals('\u{2}').iter().map(|s| s.to_string()).collect(),
        exclude_dir: p.vals('\u{3}').iter().map(|s| s.to_string()).collect(),
    };
    let mut any_selected = false;
    let mut error = false;
    for f in &operands {
        if f == "-" {
            let data = ctx.stdin.read_all().to_vec();
            let label = o.label.clone();
            any_selected |= grep_data(ctx, &res, &o, &label, &data)?;
        } else if f.starts_with("/dev/") || f.starts_with("/proc/self/fd/") {
            match super::common::read_path(ctx, f) {
                Ok(d) => any_selected |= grep_data(ctx, &res, &o, f, &d)?,
                Err(e) => {
                    if !o.silent {
                        err(ctx, prog, &format!("{}: {}", f, ferr(&e)));
                    }
                    error = true;
                }
            }
        } else {
            let abs = ctx.abs(f);
            let node = match ctx.fs.get(&abs, true) {
                Ok(n) => n,
                Err(e) => {
                    if !o.silent {
                        err(ctx, prog, &format!("{}: {}", f, ferr(&e)));
                    }
                    error = true;
                    continue;
                }
            };
            match node {
                Node::Dir(_) if recursive => {
                    let entries = match ctx.fs.walk(&abs) {
                        Ok(e) => e,
                        Err(_) => continue,
                    };
                    let base_len = entries.first().map(|e| e.0.len()).unwrap_or(0);
                    let mut skip_prefix: Option<String> = None;
                    for (path, n) in entries.into_iter().skip(1) {
                        tick(ctx, 1)?;
                        if let Some(sp) = &skip_prefix {
                            if path.starts_with(sp.as_str()) {
                                continue;
                            }
                            skip_prefix = None;
                        }
                        let rel = &path[base_len..];
                        let rel = rel.trim_start_matches('/');
                        let shown = if implicit_dot { rel.to_string() } else { super::fileops::compose(f, rel) };
                        let name = path.rsplit('/').next().unwrap_or("");
                        match &n {
                            Node::Dir(_) => {
                                if o.exclude_dir.iter().any(|g| fnmatch(g.as_bytes(), name.as_bytes(), false, false)) {
                                    skip_prefix = Some(format!("{path}/"));
                                }
                            }
                            Node::Symlink(_) if !p.has('R') => {}
                            _ => {
                                if !o.include.is_empty() && !o.include.iter().any(|g| fnmatch(g.as_bytes(), name.as_bytes(), false, false)) {
                                    continue;
                                }
                                if o.exclude.iter().any(|g| fnmatch(g.as_bytes(), name.as_bytes(), false, false)) {
                                    continue;
                                }
                                match ctx.fs.read(&path) {
                                    Ok(d) => any_selected |= grep_data(ctx, &res, &o, &shown, &d)?,
                                    Err(e) => {
                                        if matches!(n, Node::Symlink(_)) && e.kind == crate::vfs::FsErrorKind::IsADirectory {
                                            continue;
                                        }
                                        if !o.silent {
                                            err(ctx, prog, &format!("{shown}: {}", ferr(&e)));
                                        }
                                        error = true;
                                    }
                                }
                            }
                        }
                        if o.quiet && any_selected {
                            return Ok(0);
                        }
                    }
                }
                Node::Dir(_) => {
                    if !o.silent {
                        err(ctx, prog, &format!("{f}: Is a directory"));
                    }
                    error = true;
                }
                Node::File(d) => {
                    if !o.include.is_empty() || !o.exclude.is_empty() {
                        let name = super::basic::base_of(f);
                        if (!o.include.is_empty() && !o.include.iter().any(|g| fnmatch(g.as_bytes(), name.as_bytes(), false, false)))
                            || o.exclude.iter().any(|g| fnmatch(g.as_bytes(), name.as_bytes(), false, false))
                        {
                            continue;
                        }
                    }
                    any_selected |= grep_data(ctx, &res, &o, f, &d.data)?;
                }
                Node::Symlink(_) => {}
            }
        }
        if o.quiet && any_selected {
            return Ok(0);
        }
    }
    Ok(if error && !(o.quiet && any_selected) {
        2
    } else if any_selected {
        0
    } else {
        1
    })
}

/// A bracket expression written `[:name:]` (GNU grep refuses it).
fn bare_class(pat: &[u8]) -> bool {
    let mut i = 0;
    while i < pat.len() {
        match pat[i] {
            b'\\' => i += 2,
            b'[' => {
                let mut j = i + 1;
                if pat.get(j) == Some(&b'^') {
                    j += 1;
                }
                if pat.get(j) == Some(&b']') {
                    j += 1;
                }
                let start = j;
                while j < pat.len() && pat[j] != b']' {
                    if pat[j] == b'[' && matches!(pat.get(j + 1), Some(b':' | b'.' | b'=')) {
                        let kind = pat[j + 1];
                        j += 2;
                        while j + 1 < pat.len() && !(pat[j] == kind && pat[j + 1] == b']') {
                            j += 1;
                        }
                        j += 2;
                        continue;
                    }
                    j += 1;
                }
                let body = &pat[start.min(pat.len())..j.min(pat.len())];
                if body.len() >= 2 && body[0] == b':' && body[body.len() - 1] == b':' {
                    return true;
                }
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    false
}

/// The leftmost-longest match among the patterns, at or after `from`.
fn find(ctx: &mut Ctx<'_>, res: &[Regex], line: &[u8], from: usize) -> Res<Option<(usize, usize)>> {
    let mut best: Option<(usize, usize)> = None;
    for r in res {
        if let Some(c) = r.search(line, from, false, ctx.budget)? {
            if let Some((s, e)) = c[0] {
                best = match best {
                    Some((bs, be)) if bs < s || (bs == s && be >= e) => Some((bs, be)),
                    _ => Some((s, e)),
                };
            }
        }
    }
    Ok(best)
}

/// Greps one input; true when a line was selected.
fn grep_data(ctx: &mut Ctx<'_>, res: &[Regex], o: &Opts, name: &str, data: &[u8]) -> Res<bool> {
    tick_bytes(ctx, data.len())?;
    let binary = !o.text && data.contains(&0) && o.eol != 0;
    let mut lines: Vec<&[u8]> = data.split(|&b| b == o.eol).collect();
    if data.last() == Some(&o.eol) || data.is_empty() {
        lines.pop();
    }
    let mut offsets = Vec::with_capacity(lines.len());
    let mut off = 0usize;
    for l in &lines {
        offsets.push(off);
        off += l.len() + 1;
    }
    let mut count: u64 = 0;
    let mut buf: Vec<u8> = Vec::new();
    let sep_name = if o.null_name { "\0".to_string() } else { ":".to_string() };
    let prefix = |buf: &mut Vec<u8>, i: usize, byte: usize, sep: char| {
        if o.with_name {
            buf.extend_from_slice(name.as_bytes());
            if o.null_name {
                buf.push(0);
            } else {
                buf.push(sep as u8);
            }
        }
        if o.number {
            buf.extend_from_slice(format!("{}{sep}", i + 1).as_bytes());
        }
        if o.byte_offset {
            buf.extend_from_slice(format!("{byte}{sep}").as_bytes());
        }
    };
    let _ = sep_name;
    let output_lines = !(o.count || o.list || o.list_missing || o.quiet);
    let mut last_printed: Option<usize> = None;
    let mut after_left = 0usize;
    let mut binary_reported = false;
    for (i, line) in lines.iter().enumerate() {
        // a line of trailing context after a match, if one is still owed
        let mut trailing = |buf: &mut Vec<u8>| {
            if after_left > 0 && output_lines && !binary {
                prefix(buf, i, offsets[i], '-');
                buf.extend_from_slice(line);
                buf.push(o.eol);
                last_printed = Some(i);
                after_left -= 1;
                return true;
            }
            false
        };
        if o.max.map(|m| count >= m).unwrap_or(false) {
            // GNU still prints trailing context after the last counted match
            if trailing(&mut buf) {
                continue;
            }
            break;
        }
        tick(ctx, 1 + line.len() as u64 / 256)?;
        let matched = find(ctx, res, line, 0)?.is_some();
        let selected = matched != o.invert;
        if !selected {
            trailing(&mut buf);
            continue;
        }
        count += 1;
        if o.quiet {
            return Ok(true);
        }
        if o.list || o.list_missing {
            break;
        }
        if !output_lines {
            continue;
        }
        if binary {
            if !binary_reported {
                flush(ctx, &mut buf)?;
                err(ctx, "grep", &format!("{name}: binary file matches"));
                binary_reported = true;
            }
            continue;
        }
        // before-context and the group separator
        if o.before > 0 || o.after > 0 {
            let start = i.saturating_sub(o.before);
            let from = match last_printed {
                Some(lp) if lp + 1 >= start => lp + 1,
                Some(_) => {
                    buf.extend_from_slice(b"--\n");
                    start
                }
                None => start,
            };
            for (j, l) in lines.iter().enumerate().take(i).skip(from) {
                prefix(&mut buf, j, offsets[j], '-');
                buf.extend_from_slice(l);
                buf.push(o.eol);
            }
        }
        if o.only {
            if !o.invert {
                let mut from = 0;
                while from <= line.len() {
                    let Some((s, e)) = find(ctx, res, line, from)? else { break };
                    if e == s {
                        from = s + 1;
                        continue;
                    }
                    prefix(&mut buf, i, offsets[i] + s, ':');
                    buf.extend_from_slice(&line[s..e]);
                    buf.push(o.eol);
                    from = e;
                }
            }
        } else {
            prefix(&mut buf, i, offsets[i], ':');
            buf.extend_from_slice(line);
            buf.push(o.eol);
        }
        last_printed = Some(i);
        after_left = o.after;
        if buf.len() > 65536 {
            flush(ctx, &mut buf)?;
        }
    }
    if o.count {
        if o.with_name {
            buf.extend_from_slice(name.as_bytes());
            buf.push(if o.null_name { 0 } else { b':' });
        }
        buf.extend_from_slice(format!("{count}\n").as_bytes());
    }
    if (o.list && count > 0) || (o.list_missing && count == 0) {
        buf.extend_from_slice(name.as_bytes());
        buf.push(if o.null_name { 0 } else { b'\n' });
    }
    flush(ctx, &mut buf)?;
    Ok(count > 0)
}

fn flush(ctx: &mut Ctx<'_>, buf: &mut Vec<u8>) -> Res<()> {
    if !buf.is_empty() {
        out(ctx, buf)?;
        buf.clear();
    }
    Ok(())
}
