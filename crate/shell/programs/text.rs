//! Programs that pass bytes through: `cat` (`-n -b -s -v -E -T -A -e -t`),
//! `head` and `tail` (`-n`, `-c`, negative and `+K` counts, `-q -v`, the
//! obsolete `-5`/`+5` forms; `tail -f` prints and returns, as nothing else can
//! write while it waits), `wc` (`-l -w -c -m -L`, GNU's column widths), `tee`
//! (`-a`).

use super::common::{err, ferr, getopt, out, parse_size, qa, qf, read_operand, tick, tick_bytes, Arg, Res, Spec};
use crate::shell::proc::Ctx;
use std::sync::Arc;

const CAT: Spec = Spec {
    short: "AbeEnstTuv",
    long: &[
        ("show-all", Arg::No, 'A'),
        ("number-nonblank", Arg::No, 'b'),
        ("show-ends", Arg::No, 'E'),
        ("number", Arg::No, 'n'),
        ("squeeze-blank", Arg::No, 's'),
        ("show-tabs", Arg::No, 'T'),
        ("show-nonprinting", Arg::No, 'v'),
    ],
    permute: true,
    status: 1,
    usage: "[OPTION]... [FILE]...",
};

pub fn cat(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "cat";
    let p = match getopt(ctx, prog, argv, &CAT) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    let (mut v, mut e, mut t) = (false, false, false);
    for (c, _) in &p.opts {
        match c {
            'A' => (v, e, t) = (true, true, true),
            'e' => (v, e) = (true, true),
            't' => (v, t) = (true, true),
            'v' => v = true,
            'E' => e = true,
            'T' => t = true,
            _ => {}
        }
    }
    let number_nonblank = p.has('b');
    let number = p.has('n') || number_nonblank;
    let squeeze = p.has('s');
    let plain = !(v || e || t || number || squeeze);
    let files = if p.args.is_empty() { vec!["-".to_string()] } else { p.args.clone() };
    let mut status = 0;
    let mut lineno = 0u64;
    let mut blank_run = 0u32;
    let mut at_line_start = true;
    for f in &files {
        if let (true, Some(zero)) = (plain, super::common::endless_device(ctx, f)) {
            super::common::stream_device(ctx, zero, None)?;
            continue;
        }
        let Some(data) = read_operand(ctx, prog, f)? else {
            status = 1;
            continue;
        };
        if plain {
            out(ctx, &data)?;
            continue;
        }
        let mut o = Vec::with_capacity(data.len() + data.len() / 8);
        let mut i = 0;
        while i < data.len() {
            let end = data[i..].iter().position(|&b| b == b'\n').map(|k| i + k);
            let line = &data[i..end.unwrap_or(data.len())];
            if at_line_start {
                let blank = line.is_empty() && end.is_some();
                if blank {
                    blank_run += 1;
                } else {
                    blank_run = 0;
                }
                if squeeze && blank_run > 1 {
                    i = end.map(|x| x + 1).unwrap_or(data.len());
                    continue;
                }
                if number && !(number_nonblank && blank) {
                    lineno += 1;
                    o.extend_from_slice(format!("{lineno:>6}\t").as_bytes());
                }
            }
            for &b in line {
                if t && b == b'\t' {
                    o.extend_from_slice(b"^I");
                } else if v {
                    show_nonprinting(b, &mut o);
                } else {
                    o.push(b);
                }
            }
            match end {
                Some(x) => {
                    if e {
                        o.push(b'$');
                    }
                    o.push(b'\n');
                    at_line_start = true;
                    i = x + 1;
                }
                None => {
                    at_line_start = false;
                    i = data.len();
                }
            }
            if o.len() > 65536 {
                tick_bytes(ctx, o.len())?;
                out(ctx, &o)?;
                o.clear();
            }
        }
        out(ctx, &o)?;
    }
    Ok(status)
}

/// `cat -v` notation: `^X`, `^?`, `M-x`.
fn show_nonprinting(b: u8, o: &mut Vec<u8>) {
    let (meta, c) = if b >= 128 { (true, b - 128) } else { (false, b) };
    if meta {
        o.extend_from_slice(b"M-");
    }
    if (c == b'\t' || c == b'\n') && !meta {
        o.push(c);
    } else if c < 32 {
        o.push(b'^');
        o.push(c + 64);
    } else if c == 127 {
        o.extend_from_slice(b"^?");
    } else {
        o.push(c);
    }
}

/// A count for `head`/`tail`: how many, and whether it counts from the end
/// (`head -n -K`) or from the start (`tail -n +K`).
#[derive(Clone, Copy)]
struct Count {
    n: u64,
    /// `-K` for head, `+K` for tail.
    flipped: bool,
    bytes: bool,
}

/// Rewrites the obsolete `head -5` / `tail -5` / `tail +5` forms.
fn obsolete_count(argv: &[String], tail: bool) -> Vec<String> {
    let mut v = argv.to_vec();
    if let Some(a) = argv.get(1) {
        let (sign, rest) = if let Some(r) = a.strip_prefix('-') {
            ('-', r)
        } else if let Some(r) = a.strip_prefix('+').filter(|_| tail) {
            ('+', r)
        } else {
            return v;
        };
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let suffix = &rest[digits..];
        if (digits > 0 || (sign == '+' && rest.is_empty())) && matches!(suffix, "" | "l" | "c" | "b" | "k" | "m") && (sign == '+' || digits > 0)
        {
            let num = if digits == 0 { "1" } else { &rest[..digits] };
            let flag = if suffix == "c" { "-c" } else { "-n" };
            let val = if sign == '+' { format!("+{num}") } else { num.to_string() };
            v.splice(1..2, [flag.to_string(), val]);
        }
    }
    v
}

fn parse_count(ctx: &mut Ctx<'_>, prog: &str, s: &str, bytes: bool, tail: bool) -> Result<Count, i32> {
    let (flipped, body) = if tail {
        match s.strip_prefix('+') {
            Some(b) => (true, b),
            None => (false, s.strip_prefix('-').unwrap_or(s)),
        }
    } else {
        match s.strip_prefix('-') {
            Some(b) => (true, b),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        }
    };
    match parse_size(body) {
        Some(n) => Ok(Count { n, flipped, bytes }),
        None => {
            let what = if bytes { "bytes" } else { "lines" };
            err(ctx, prog, &format!("invalid number of {what}: {}", qa(s)));
            Err(1)
        }
    }
}

const HEAD: Spec = Spec {
    short: "c:n:qvz",
    long: &[
        ("bytes", Arg::Required, 'c'),
        ("lines", Arg::Required, 'n'),
        ("quiet", Arg::No, 'q'),
        ("silent", Arg::No, 'q'),
        ("verbose", Arg::No, 'v'),
        ("zero-terminated", Arg::No, 'z'),
    ],
    permute: true,
    status: 1,
    usage: "[OPTION]... [FILE]...",
};

const TAIL: Spec = Spec {
    short: "c:n:qvzfFs:",
    long: &[
        ("bytes", Arg::Required, 'c'),
        ("lines", Arg::Required, 'n'),
        ("quiet", Arg::No, 'q'),
        ("silent", Arg::No, 'q'),
        ("verbose", Arg::No, 'v'),
        ("zero-terminated", Arg::No, 'z'),
        ("follow", Arg::Optional, 'f'),
        ("retry", Arg::No, 'r'),
        ("sleep-interval", Arg::Required, 's'),
        ("pid", Arg::Required, 'p'),
    ],
    permute: true,
    status: 1,
    usage: "[OPTION]... [FILE]...",
};

pub fn head(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    head_tail(ctx, argv, false)
}

pub fn tail(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    head_tail(ctx, argv, true)
}

fn head_tail(ctx: &mut Ctx<'_>, argv: &[String], is_tail: bool) -> Res {
    let prog = if is_tail { "tail" } else { "head" };
    let argv = obsolete_count(argv, is_tail);
    let p = match getopt(ctx, prog, &argv, if is_tail { &TAIL } else { &HEAD }) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    let mut count = Count { n: 10, flipped: false, bytes: false };
    for (c, v) in &p.opts {
        if *c == 'n' || *c == 'c' {
            match parse_count(ctx, prog, v.as_deref().unwrap_or(""), *c == 'c', is_tail) {
                Ok(k) => count = k,
                Err(s) => return Ok(s),
            }
        }
    }
    let delim = if p.has('z') { 0u8 } else { b'\n' };
    let files = if p.args.is_empty() { vec!["-".to_string()] } else { p.args.clone() };
    let headers = p.opts.iter().rev().find(|(c, _)| *c == 'q' || *c == 'v').map(|(c, _)| *c == 'v').unwrap_or(files.len() > 1);
    let mut status = 0;
    let mut first = true;
    for f in &files {
        if let (false, true, false, false, Some(zero)) = (is_tail, count.bytes, count.flipped, headers, super::common::endless_device(ctx, f)) {
            super::common::stream_device(ctx, zero, Some(count.n))?;
            continue;
        }
        let data: Arc<Vec<u8>> = {
            match super::common::read_path(ctx, f) {
                Ok(d) => d,
                Err(e) => {
                    let msg = if e.kind == crate::vfs::FsErrorKind::IsADirectory {
                        format!("error reading {}: {}", qa(f), ferr(&e))
                    } else {
                        format!("cannot open {} for reading: {}", qa(f), ferr(&e))
                    };
                    err(ctx, prog, &msg);
                    status = 1;
                    continue;
                }
            }
        };
        tick_bytes(ctx, data.len())?;
        if headers {
            let name = if f == "-" { "standard input" } else { f.as_str() };
            let h = format!("{}==> {name} <==\n", if first { "" } else { "\n" });
            out(ctx, h.as_bytes())?;
        }
        first = false;
        let slice = select(&data, count, is_tail, delim);
        out(ctx, slice)?;
    }
    Ok(status)
}

/// The part of `data` that head/tail print.
fn select(data: &[u8], c: Count, is_tail: bool, delim: u8) -> &[u8] {
    let len = data.len();
    let n = usize::try_from(c.n).unwrap_or(usize::MAX);
    if c.bytes {
        return match (is_tail, c.flipped) {
            (false, false) => &data[..n.min(len)],
            (false, true) => &data[..len.saturating_sub(n)],
            (true, false) => &data[len.saturating_sub(n)..],
            (true, true) => &data[n.saturating_sub(1).min(len)..],
        };
    }
    // offsets just after each delimiter
    let ends = || data.iter().enumerate().filter(|(_, &b)| b == delim).map(|(i, _)| i + 1);
    // the first k lines (all of them when there are fewer)
    let first = |k: usize| match k.checked_sub(1).map(|k| ends().nth(k)) {
        None => &data[..0],
        Some(Some(e)) => &data[..e],
        Some(None) => data,
    };
    match (is_tail, c.flipped) {
        (false, false) => first(n),
        (false, true) => {
            // all but the last n lines
            let total = ends().count() + usize::from(len > 0 && data[len - 1] != delim);
            first(total.saturating_sub(n))
        }
        (true, false) => {
            if n == 0 {
                return &data[len..];
            }
            // the start of the n-th line from the end
            let mut seen = 0;
            let mut i = len;
            if i > 0 && data[i - 1] == delim {
                i -= 1;
            }
            while i > 0 {
                if data[i - 1] == delim {
                    seen += 1;
                    if seen == n {
                        return &data[i..];
                    }
                }
                i -= 1;
            }
            data
        }
        (true, true) => {
            if n <= 1 {
                return data;
            }
            match ends().nth(n - 2) {
                Some(e) => &data[e..],
                None => &data[len..],
            }
        }
    }
}

const WC: Spec = Spec {
    short: "clLmw",
    long: &[
        ("bytes", Arg::No, 'c'),
        ("chars", Arg::No, 'm'),
        ("lines", Arg::No, 'l'),
        ("max-line-length", Arg::No, 'L'),
        ("words", Arg::No, 'w'),
        ("files0-from", Arg::Required, '0'),
        ("total", Arg::Required, 't'),
    ],
    permute: true,
    status: 1,
    usage: "[OPTION]... [FILE]...",
};

#[derive(Default, Clone, Copy)]
struct Counts {
    lines: u64,
    words: u64,
    chars: u64,
    bytes: u64,
    max_len: u64,
}

fn count(data: &[u8]) -> Counts {
    let mut c = Counts { bytes: data.len() as u64, ..Counts::default() };
    let mut in_word = false;
    let mut col = 0u64;
    for &b in data {
        if b & 0xC0 != 0x80 {
            c.chars += 1;
        }
        match b {
            b'\n' => {
                c.lines += 1;
                c.max_len = c.max_len.max(col);
                col = 0;
            }
            b'\t' => col = (col / 8 + 1) * 8,
            b'\r' | 12 => col = 0,
            b if b & 0xC0 == 0x80 => {}
            b if b >= 0x20 && b != 0x7f => col += 1,
            _ => {}
        }
        let space = matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 11 | 12);
        if space {
            in_word = false;
        } else if !in_word && (!(9..=0x20).contains(&b) || (b > 13 && b < 0x20)) {
            in_word = true;
            c.words += 1;
        }
    }
    c.max_len = c.max_len.max(col);
    c
}

pub fn wc(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "wc";
    let p = match getopt(ctx, prog, argv, &WC) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    let mut want = [p.has('l'), p.has('w'), p.has('m'), p.has('c'), p.has('L')];
    if !want.iter().any(|w| *w) {
        want = [true, true, false, true, false];
    }
    let nwant = want.iter().filter(|w| **w).count();
    let files = if p.args.is_empty() { vec!["-".to_string()] } else { p.args.clone() };
    // GNU's column width: digits of the regular files' total size, at least 7
    // when an input is not a regular file; 1 for one count of one input.
    let mut width = 1;
    if !(files.len() == 1 && nwant == 1) {
        let mut total = 0u64;
        let mut min = 1;
        for (i, f) in files.iter().enumerate() {
            if f == "-" {
                min = 7;
                continue;
            }
            match ctx.fs.stat(&ctx.abs(f)) {
                Ok(st) if st.is_file() => total += st.size,
                Ok(_) => min = 7,
                Err(_) if i == 0 => {
                    total = 0;
                    min = 1;
                    break;
                }
                Err(_) => {}
            }
        }
        width = total.to_string().len().max(min);
    }
    let mut sum = Counts::default();
    let mut status = 0;
    let mut rows = 0;
    for f in &files {
        let data = if f == "-" {
            Some(Arc::new(ctx.stdin.read_all().to_vec()))
        } else if ctx.fs.stat(&ctx.abs(f)).map(|s| s.is_dir()).unwrap_or(false) {
            err(ctx, prog, &format!("{}: Is a directory", qf(f)));
            status = 1;
            rows += 1;
            emit_counts(ctx, &Counts::default(), want, width, Some(f))?;
            continue;
        } else {
            read_operand(ctx, prog, f)?
        };
        let Some(data) = data else {
            status = 1;
            continue;
        };
        tick_bytes(ctx, data.len())?;
        let c = count(&data);
        sum.lines += c.lines;
        sum.words += c.words;
        sum.chars += c.chars;
        sum.bytes += c.bytes;
        sum.max_len = sum.max_len.max(c.max_len);
        rows += 1;
        emit_counts(ctx, &c, want, width, if f == "-" && p.args.is_empty() { None } else { Some(f) })?;
    }
    let _ = rows;
    if files.len() > 1 {
        emit_counts(ctx, &sum, want, width, Some("total"))?;
    }
    Ok(status)
}

fn emit_counts(ctx: &mut Ctx<'_>, c: &Counts, want: [bool; 5], width: usize, name: Option<&str>) -> Res<()> {
    let vals = [c.lines, c.words, c.chars, c.bytes, c.max_len];
    let mut parts: Vec<String> = Vec::new();
    for (v, w) in vals.iter().zip(want) {
        if w {
            parts.push(format!("{v:>width$}"));
        }
    }
    let mut line = parts.join(" ");
    if let Some(n) = name {
        line.push(' ');
        line.push_str(n);
    }
    line.push('\n');
    out(ctx, line.as_bytes())
}

const TEE: Spec = Spec {
    short: "aip",
    long: &[("append", Arg::No, 'a'), ("ignore-interrupts", Arg::No, 'i'), ("output-error", Arg::Optional, 'p')],
    permute: true,
    status: 1,
    usage: "[OPTION]... [FILE]...",
};

pub fn tee(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "tee";
    let p = match getopt(ctx, prog, argv, &TEE) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    let data = ctx.stdin.read_all().to_vec();
    tick_bytes(ctx, data.len())?;
    let mut status = 0;
    for f in &p.args {
        tick(ctx, 1)?;
        if let Err(e) = super::common::write_path(ctx, f, &data, p.has('a'))? {
            err(ctx, prog, &format!("{}: {}", qf(f), ferr(&e)));
            status = 1;
        }
    }
    let w = out(ctx, &data);
    if let Err(super::common::Halt::Pipe) = w {
        // GNU tee keeps writing the files when stdout goes away; they are written.
        return Ok(if status == 0 { 141 } else { status });
    }
    w?;
    Ok(status)
}
