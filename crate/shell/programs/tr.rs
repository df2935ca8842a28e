//! `tr` (GNU, bytes): sets with ranges, escapes, `[:class:]`, `[=c=]`, `[c*n]`
//! and `[c*]` repeats; translate, `-d`, `-s`, `-c`/`-C`, `-t`; and `cut`
//! (`-b -c -f -d -s --complement --output-delimiter -z`).

use super::common::{err, getopt, out, qa, read_operand, tick_bytes, usage_err, Arg, Res, Spec};
use crate::shell::proc::Ctx;

/// One element of a parsed set.
#[derive(Clone, Debug, PartialEq)]
enum Elem {
    Bytes(Vec<u8>),
    Class(&'static str, Vec<u8>),
    /// `[c*n]`; `None` count = fill (`[c*]`).
    Repeat(u8, Option<usize>),
}

fn class_bytes(name: &str) -> Option<(&'static str, Vec<u8>)> {
    let f: (&'static str, fn(&u8) -> bool) = match name {
        "alnum" => ("alnum", |c| c.is_ascii_alphanumeric()),
        "alpha" => ("alpha", |c| c.is_ascii_alphabetic()),
        "blank" => ("blank", |c| *c == b' ' || *c == b'\t'),
        "cntrl" => ("cntrl", |c| c.is_ascii_control()),
        "digit" => ("digit", |c| c.is_ascii_digit()),
        "graph" => ("graph", |c| c.is_ascii_graphic()),
        "lower" => ("lower", |c| c.is_ascii_lowercase()),
        "print" => ("print", |c| (0x20..0x7f).contains(c)),
        "punct" => ("punct", |c| c.is_ascii_punctuation()),
        "space" => ("space", |c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 11 | 12)),
        "upper" => ("upper", |c| c.is_ascii_uppercase()),
        "xdigit" => ("xdigit", |c| c.is_ascii_hexdigit()),
        _ => return None,
    };
    Some((f.0, (0u8..=255).filter(|c| (f.1)(c)).collect()))
}

/// Reads one possibly escaped byte at `i`.
fn unescape(s: &[u8], i: &mut usize, warn: &mut bool) -> u8 {
    let c = s[*i];
    *i += 1;
    if c != b'\\' {
        return c;
    }
    let Some(&e) = s.get(*i) else {
        *warn = true;
        return b'\\';
    };
    *i += 1;
    match e {
        b'a' => 7,
        b'b' => 8,
        b'f' => 12,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'v' => 11,
        b'0'..=b'7' => {
            let mut v = (e - b'0') as u32;
            let mut n = 1;
            while n < 3 {
                match s.get(*i) {
                    Some(&d @ b'0'..=b'7') if v * 8 + ((d - b'0') as u32) < 256 => {
                        v = v * 8 + (d - b'0') as u32;
                        *i += 1;
                        n += 1;
                    }
                    _ => break,
                }
            }
            v as u8
        }
        other => other,
    }
}

fn parse_set(s: &str, warn: &mut bool) -> Result<Vec<Elem>, String> {
    let b = s.as_bytes();
    let mut v: Vec<Elem> = Vec::new();
    let mut i = 0;
    let push = |v: &mut Vec<Elem>, c: u8| match v.last_mut() {
        Some(Elem::Bytes(x)) => x.push(c),
        _ => v.push(Elem::Bytes(vec![c])),
    };
    while i < b.len() {
        if b[i] == b'[' {
            // [:class:]
            if b.get(i + 1) == Some(&b':') {
                if let Some(end) = s[i + 2..].find(":]") {
                    let name = &s[i + 2..i + 2 + end];
                    match class_bytes(name) {
                        Some((n, bytes)) => {
                            v.push(Elem::Class(n, bytes));
                            i += 4 + end;
                            continue;
                        }
                        None => return Err(format!("invalid character class {}", qa(name))),
                    }
                }
            }
            // [=c=]
            if b.get(i + 1) == Some(&b'=') && b.get(i + 3) == Some(&b'=') && b.get(i + 4) == Some(&b']') {
                push(&mut v, b[i + 2]);
                i += 5;
                continue;
            }
            // [c*n] / [c*]
            if i + 2 < b.len() {
                let mut j = i + 1;
                let c = unescape(b, &mut j, warn);
                if b.get(j) == Some(&b'*') {
                    if let Some(close) = s[j + 1..].find(']') {
                        let num = &s[j + 1..j + 1 + close];
                        if num.bytes().all(|d| d.is_ascii_digit()) {
                            let count = if num.is_empty() {
                                None
                            } else if num.starts_with('0') {
                                usize::from_str_radix(num, 8).ok()
                            } else {
                                num.parse::<usize>().ok()
                            };
                            let count = match count {
                                Some(0) => None,
                                c => c,
                            };
                            if !num.is_empty() && count.is_none() && !num.trim_start_matches('0').is_empty() {
                                return Err(format!("invalid repeat count {} in [c*n] construct", qa(num)));
                            }
                            v.push(Elem::Repeat(c, count));
                            i = j + 2 + close;
                            continue;
                        }
                    }
                }
            }
        }
        let c = unescape(b, &mut i, warn);
        if b.get(i) == Some(&b'-') && i + 1 < b.len() {
            let mut j = i + 1;
            let hi = unescape(b, &mut j, warn);
            if hi < c {
                let shown = s;
                let _ = shown;
                return Err(format!(
                    "range-endpoints of {} are in reverse collating sequence order",
                    qa(&format!("{}-{}", show_byte(c), show_byte(hi)))
                ));
            }
            for x in c..=hi {
                push(&mut v, x);
            }
            i = j;
            continue;
        }
        push(&mut v, c);
    }
    Ok(v)
}

fn show_byte(c: u8) -> String {
    if (0x20..0x7f).contains(&c) {
        (c as char).to_string()
    } else {
        format!("\\{c:03o}")
    }
}

/// A set's bytes, with `[c*]` filled to reach `fill_to` bytes.
fn expand(set: &[Elem], fill_to: usize) -> Vec<u8> {
    let fixed: usize = set
        .iter()
        .map(|e| match e {
            Elem::Bytes(b) | Elem::Class(_, b) => b.len(),
            Elem::Repeat(_, Some(n)) => *n,
            Elem::Repeat(_, None) => 0,
        })
        .sum();
    let mut out = Vec::new();
    for e in set {
        match e {
            Elem::Bytes(b) | Elem::Class(_, b) => out.extend_from_slice(b),
            Elem::Repeat(c, Some(n)) => out.extend(std::iter::repeat_n(*c, (*n).min(1 << 20))),
            Elem::Repeat(c, None) => out.extend(std::iter::repeat_n(*c, fill_to.saturating_sub(fixed))),
        }
    }
    out
}

const TR: Spec = Spec {
    short: "cCdst",
    long: &[("complement", Arg::No, 'c'), ("delete", Arg::No, 'd'), ("squeeze-repeats", Arg::No, 's'), ("truncate-set1", Arg::No, 't')],
    permute: true,
    status: 1,
    usage: "[OPTION]... STRING1 [STRING2]",
};

pub fn tr(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "tr";
    let p = match getopt(ctx, prog, argv, &TR) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    let complement = p.has('c') || p.has('C');
    let delete = p.has('d');
    let squeeze = p.has('s');
    let n = p.args.len();
    if n == 0 {
        return Ok(usage_err(ctx, prog, "missing operand", 1));
    }
    let translating = !delete && n >= 2;
    if !delete && !squeeze && n == 1 {
        err(ctx, prog, &format!("missing operand after {}", qa(&p.args[0])));
        ctx.err("Two strings must be given when translating.\n");
        return Ok(usage_err(ctx, prog, "", 1));
    }
    if delete && squeeze && n == 1 {
        err(ctx, prog, &format!("missing operand after {}", qa(&p.args[0])));
        ctx.err("Two strings must be given when both deleting and squeezing repeats.\n");
        return Ok(usage_err(ctx, prog, "", 1));
    }
    if delete && !squeeze && n >= 2 {
        err(ctx, prog, &format!("extra operand {}", qa(&p.args[1])));
        ctx.err("Only one string may be given when deleting without squeezing repeats.\n");
        return Ok(usage_err(ctx, prog, "", 1));
    }
    if n > 2 {
        return Ok(usage_err(ctx, prog, &format!("extra operand {}", qa(&p.args[2])), 1));
    }
    let mut warn = false;
    let set1 = match parse_set(&p.args[0], &mut warn) {
        Ok(s) => s,
        Err(m) => {
            err(ctx, prog, &m);
            return Ok(1);
        }
    };
    let set2 = match p.args.get(1).map(|s| parse_set(s, &mut warn)).transpose() {
        Ok(s) => s,
        Err(m) => {
            err(ctx, prog, &m);
            return Ok(1);
        }
    };
    if warn {
        err(ctx, prog, "warning: an unescaped backslash at end of string is not portable");
    }
    if set1.iter().any(|e| matches!(e, Elem::Repeat(_, None))) {
        err(ctx, prog, "the [c*] repeat construct may not appear in string1");
        return Ok(1);
    }
    let mut s1 = expand(&set1, 0);
    if complement {
        let mut inset = [false; 256];
        for &c in &s1 {
            inset[c as usize] = true;
        }
        s1 = (0u8..=255).filter(|c| !inset[*c as usize]).collect();
    }
    let mut map: [u8; 256] = std::array::from_fn(|i| i as u8);
    let mut s2 = Vec::new();
    if let Some(set2) = &set2 {
        if translating {
            if let Some(Elem::Class(name, _)) = set2.iter().find(|e| matches!(e, Elem::Class(n, _) if *n != "upper" && *n != "lower")) {
                let _ = name;
                err(ctx, prog, "when translating, the only character classes that may appear in\nstring2 are 'upper' and 'lower'");
                return Ok(1);
            }
            // [:upper:]/[:lower:] in string2 must face the other case in string1
            let pos1 = positions(&set1);
            for (idx, e) in positions(set2) {
                if let Elem::Class(name, _) = e {
                    let partner = if *name == "upper" { "lower" } else { "upper" };
                    let ok = pos1.iter().any(|(i, x)| *i == idx && matches!(x, Elem::Class(n, _) if *n == partner || *n == *name));
                    if !ok || complement {
                        err(ctx, prog, "misaligned [:upper:] and/or [:lower:] construct");
                        return Ok(1);
                    }
                }
            }
        }
        s2 = expand(set2, s1.len());
        if translating {
            if s2.is_empty() && !s1.is_empty() {
                if p.has('t') {
                    s1.clear();
                } else {
                    err(ctx, prog, "when not truncating set1, string2 must be non-empty");
                    return Ok(1);
                }
            }
            if p.has('t') {
                s1.truncate(s2.len());
            } else if let Some(&last) = s2.last() {
                while s2.len() < s1.len() {
                    s2.push(last);
                }
            }
            for (a, b) in s1.iter().zip(&s2) {
                map[*a as usize] = *b;
            }
        }
    }
    let mut del = [false; 256];
    if delete {
        for &c in &s1 {
            del[c as usize] = true;
        }
    }
    let mut sq = [false; 256];
    if squeeze {
        let src: &[u8] = if n == 2 { &s2 } else { &s1 };
        for &c in src {
            sq[c as usize] = true;
        }
    }
    let data = ctx.stdin.read_all().to_vec();
    tick_bytes(ctx, data.len())?;
    let mut o = Vec::with_capacity(data.len());
    let mut last: Option<u8> = None;
    for &c in &data {
        if del[c as usize] {
            continue;
        }
        let t = if translating { map[c as usize] } else { c };
        if squeeze && sq[t as usize] && last == Some(t) {
            continue;
        }
        o.push(t);
        last = Some(t);
    }
    out(ctx, &o)?;
    Ok(0)
}

/// Each element with the index of its first byte in the expanded set.
fn positions(set: &[Elem]) -> Vec<(usize, &Elem)> {
    let mut i = 0;
    let mut v = Vec::new();
    for e in set {
        v.push((i, e));
        i += match e {
            Elem::Bytes(b) | Elem::Class(_, b) => b.len(),
            Elem::Repeat(_, Some(n)) => *n,
            Elem::Repeat(_, None) => 0,
        };
    }
    v
}

// ----- cut -----------------------------------------------------------------------

const CUT: Spec = Spec {
    short: "b:c:d:f:nsz",
    long: &[
        ("bytes", Arg::Required, 'b'),
        ("characters", Arg::Required, 'c'),
        ("delimiter", Arg::Required, 'd'),
        ("fields", Arg::Required, 'f'),
        ("only-delimited", Arg::No, 's'),
        ("zero-terminated", Arg::No, 'z'),
        ("complement", Arg::No, 'C'),
        ("output-delimiter", Arg::Required, 'O'),
    ],
    permute: true,
    status: 1,
    usage: "OPTION... [FILE]...",
};

/// Parses a cut list into sorted, merged 1-based inclusive ranges.
fn parse_list(s: &str, fields: bool) -> Result<Vec<(usize, usize)>, String> {
    let what_from = if fields { "fields are numbered from 1" } else { "byte/character positions are numbered from 1" };
    let bad_value = |v: &str| if fields { format!("invalid field value {}", qa(v)) } else { format!("invalid byte/character position {}", qa(v)) };
    let bad_range = if fields { "invalid field range" } else { "invalid byte or character range" };
    let mut v = Vec::new();
    for part in s.split([',', ' ']) {
        if part.is_empty() {
            return Err(if fields { "fields are numbered from 1".into() } else { what_from.into() });
        }
        let num = |x: &str| -> Result<usize, String> {
            if x.is_empty() || !x.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad_value(part));
            }
            let n = x.parse::<usize>().unwrap_or(usize::MAX);
            if n == 0 {
                return Err(what_from.into());
            }
            Ok(n)
        };
        match part.split_once('-') {
            None => {
                let n = num(part)?;
                v.push((n, n));
            }
            Some((a, b)) => {
                if b.contains('-') {
                    return Err(bad_range.into());
                }
                let lo = if a.is_empty() { 1 } else { num(a)? };
                let hi = if b.is_empty() { usize::MAX } else { num(b)? };
                if a.is_empty() && b.is_empty() {
                    return Err("invalid range with no endpoint: -".to_string());
                }
                if hi < lo {
                    return Err("invalid decreasing range".into());
                }
                v.push((lo, hi));
            }
        }
    }
    v.sort();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (a, b) in v {
        match merged.last_mut() {
            Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    Ok(merged)
}

fn selected(ranges: &[(usize, usize)], i: usize, complement: bool) -> bool {
    ranges.iter().any(|(a, b)| *a <= i && i <= *b) != complement
}

pub fn cut(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "cut";
    let p = match getopt(ctx, prog, argv, &CUT) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    let lists: Vec<&(char, Option<String>)> = p.opts.iter().filter(|(c, _)| matches!(c, 'b' | 'c' | 'f')).collect();
    if lists.is_empty() {
        return Ok(usage_err(ctx, prog, "you must specify a list of bytes, characters, or fields", 1));
    }
    if lists.len() > 1 {
        return Ok(usage_err(ctx, prog, "only one list may be specified", 1));
    }
    let fields = lists[0].0 == 'f';
    let delim = match p.val('d') {
        Some(d) if d.len() == 1 => d.as_bytes()[0],
        Some("") => 0,
        Some(_) => return Ok(usage_err(ctx, prog, "the delimiter must be a single character", 1)),
        None => b'\t',
    };
    if !fields && p.has('d') {
        return Ok(usage_err(ctx, prog, "an input delimiter may be specified only when operating on fields", 1));
    }
    if !fields && p.has('s') {
        return Ok(usage_err(ctx, prog, "suppressing non-delimited lines makes sense\n\tonly when operating on fields", 1));
    }
    let ranges = match parse_list(lists[0].1.as_deref().unwrap_or(""), fields) {
        Ok(r) => r,
        Err(m) => return Ok(usage_err(ctx, prog, &m, 1)),
    };
    let complement = p.has('C');
    let out_delim: Option<Vec<u8>> = p.val('O').map(|s| s.as_bytes().to_vec());
    let eol = if p.has('z') { 0u8 } else { b'\n' };
    let files = if p.args.is_empty() { vec!["-".to_string()] } else { p.args.clone() };
    let mut status = 0;
    for f in &files {
        let Some(data) = read_operand(ctx, prog, f)? else {
            status = 1;
            continue;
        };
        let mut o = Vec::with_capacity(data.len());
        let mut lines: Vec<&[u8]> = data.split(|&b| b == eol).collect();
        if data.last() == Some(&eol) || data.is_empty() {
            lines.pop();
        }
        for line in lines {
            if fields {
                if !line.contains(&delim) {
                    if !p.has('s') {
                        o.extend_from_slice(line);
                        o.push(eol);
                    }
                    continue;
                }
                let od = out_delim.clone().unwrap_or_else(|| vec![delim]);
                let mut first = true;
                for (i, field) in line.split(|&b| b == delim).enumerate() {
                    if selected(&ranges, i + 1, complement) {
                        if !first {
                            o.extend_from_slice(&od);
                        }
                        o.extend_from_slice(field);
                        first = false;
                    }
                }
                o.push(eol);
            } else {
                let mut prev_sel = false;
                let mut any = false;
                for (i, &b) in line.iter().enumerate() {
                    let sel = selected(&ranges, i + 1, complement);
                    if sel {
                        if let Some(od) = &out_delim {
                            if any && !prev_sel {
                                o.extend_from_slice(od);
                            }
                        }
                        o.push(b);
                        any = true;
                    }
                    prev_sel = sel;
                }
                o.push(eol);
            }
        }
        out(ctx, &o)?;
    }
    Ok(status)
}
