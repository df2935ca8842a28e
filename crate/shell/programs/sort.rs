//! `sort` (GNU, C locale: bytes compare as unsigned): keys (`-k F[.C][opts][,F[.C][opts]]`),
//! `-t`, `-b -d -f -i -n -g -h -M -V -r`, `-u -s -c -C -m -o -z`, the last-resort
//! whole-line comparison; and `uniq` (`-c -d -D -u -i -f -s -w -z`).

use super::common::{err, ferr, getopt, out, qa, qf, read_operand, tick, usage_err, Arg, Res, Spec};
use crate::shell::proc::Ctx;
use std::cmp::Ordering;

#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
struct KeyOpts {
    skip_start_blanks: bool,
    skip_end_blanks: bool,
    dictionary: bool,
    fold: bool,
    ignore_nonprinting: bool,
    numeric: bool,
    general: bool,
    human: bool,
    month: bool,
    version: bool,
    random: bool,
    reverse: bool,
}

impl KeyOpts {
    fn any(&self) -> bool {
        *self != KeyOpts::default()
    }
    /// Applies option letters; false on a letter that is not one.
    fn set(&mut self, c: u8, start: bool) -> bool {
        match c {
            b'b' => {
                if start {
                    self.skip_start_blanks = true
                } else {
                    self.skip_end_blanks = true
                }
            }
            b'd' => self.dictionary = true,
            b'f' => self.fold = true,
            b'i' => self.ignore_nonprinting = true,
            b'n' => self.numeric = true,
            b'g' => self.general = true,
            b'h' => self.human = true,
            b'M' => self.month = true,
            b'V' => self.version = true,
            b'R' => self.random = true,
            b'r' => self.reverse = true,
            _ => return false,
        }
        true
    }
}

#[derive(Clone, Debug)]
struct Key {
    sword: usize,
    schar: usize,
    /// `None`: to the end of the line.
    eword: Option<usize>,
    echar: usize,
    opts: KeyOpts,
}

const SORT: Spec = Spec {
    short: "bcCdfghik:mMno:rRsS:t:T:uVz",
    long: &[
        ("ignore-leading-blanks", Arg::No, 'b'),
        ("check", Arg::Optional, 'c'),
        ("dictionary-order", Arg::No, 'd'),
        ("ignore-case", Arg::No, 'f'),
        ("general-numeric-sort", Arg::No, 'g'),
        ("human-numeric-sort", Arg::No, 'h'),
        ("ignore-nonprinting", Arg::No, 'i'),
        ("key", Arg::Required, 'k'),
        ("merge", Arg::No, 'm'),
        ("month-sort", Arg::No, 'M'),
        ("numeric-sort", Arg::No, 'n'),
        ("output", Arg::Required, 'o'),
        ("reverse", Arg::No, 'r'),
        ("random-sort", Arg::No, 'R'),
        ("stable", Arg::No, 's'),
        ("buffer-size", Arg::Required, 'S'),
        ("field-separator", Arg::Required, 't'),
        ("temporary-directory", Arg::Required, 'T'),
        ("unique", Arg::No, 'u'),
        ("version-sort", Arg::No, 'V'),
        ("zero-terminated", Arg::No, 'z'),
        ("parallel", Arg::Required, 'P'),
        ("sort", Arg::Required, 'W'),
    ],
    permute: true,
    status: 2,
    usage: "[OPTION]... [FILE]...",
};

fn parse_num(s: &[u8]) -> Option<(usize, &[u8])> {
    let n = s.iter().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 {
        return None;
    }
    let v = std::str::from_utf8(&s[..n]).ok()?.parse::<usize>().unwrap_or(usize::MAX);
    Some((v, &s[n..]))
}

fn parse_key(spec: &str) -> Result<Key, String> {
    let bad = |why: &str| Err(format!("{why}: invalid field specification {}", qa(spec)));
    let s = spec.as_bytes();
    let Some((sword, mut rest)) = parse_num(s) else {
        return bad("invalid number at field start");
    };
    if sword == 0 {
        return bad("field number is zero");
    }
    let mut schar = 0;
    if rest.first() == Some(&b'.') {
        let Some((c, r)) = parse_num(&rest[1..]) else {
            return bad("invalid number after '.'");
        };
        if c == 0 {
            return bad("character offset is zero");
        }
        schar = c - 1;
        rest = r;
    }
    let mut opts = KeyOpts::default();
    while let Some(&c) = rest.first() {
        if c == b',' {
            break;
        }
        if !opts.set(c, true) {
            return Err(format!("stray character in field spec: invalid field specification {}", qa(spec)));
        }
        rest = &rest[1..];
    }
    let mut key = Key { sword: sword - 1, schar, eword: None, echar: 0, opts };
    if rest.first() == Some(&b',') {
        let Some((ew, mut r)) = parse_num(&rest[1..]) else {
            return bad("invalid number after ','");
        };
        if ew == 0 {
            return bad("field number is zero");
        }
        let mut echar = 0;
        if r.first() == Some(&b'.') {
            let Some((c, r2)) = parse_num(&r[1..]) else {
                return bad("invalid number after '.'");
            };
            echar = c;
            r = r2;
        }
        while let Some(&c) = r.first() {
            if !key.opts.set(c, false) {
                return Err(format!("stray character in field spec: invalid field specification {}", qa(spec)));
            }
            r = &r[1..];
        }
        key.eword = Some(ew - 1);
        key.echar = echar;
    }
    Ok(key)
}

fn blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// The bytes of `line` a key covers (GNU's begfield/limfield).
fn key_slice<'l>(line: &'l [u8], k: &Key, tab: Option<u8>) -> &'l [u8] {
    let lim = line.len();
    let mut p = 0;
    let mut sword = k.sword;
    while p < lim && sword > 0 {
        sword -= 1;
        match tab {
            Some(t) => {
                while p < lim && line[p] != t {
                    p += 1;
                }
                if p < lim {
                    p += 1;
                }
            }
            None => {
                while p < lim && blank(line[p]) {
                    p += 1;
                }
                while p < lim && !blank(line[p]) {
                    p += 1;
                }
            }
        }
    }
    if k.opts.skip_start_blanks {
        while p < lim && blank(line[p]) {
            p += 1;
        }
    }
    let beg = (p + k.schar).min(lim);
    let end = match k.eword {
        None => lim,
        Some(ew) => {
            let mut eword = if k.echar == 0 { ew + 1 } else { ew };
            let mut q = 0;
            while q < lim && eword > 0 {
                eword -= 1;
                match tab {
                    Some(t) => {
                        while q < lim && line[q] != t {
                            q += 1;
                        }
                        if q < lim && (eword > 0 || k.echar > 0) {
                            q += 1;
                        }
                    }
                    None => {
                        while q < lim && blank(line[q]) {
                            q += 1;
                        }
                        while q < lim && !blank(line[q]) {
                            q += 1;
                        }
                    }
                }
            }
            if k.echar > 0 {
                if k.opts.skip_end_blanks {
                    while q < lim && blank(line[q]) {
                        q += 1;
                    }
                }
                q = (q + k.echar).min(lim);
            }
            q
        }
    };
    if end <= beg {
        &line[beg..beg]
    } else {
        &line[beg..end]
    }
}

/// A `-n` number as (negative, integer digits, fraction digits), normalised.
fn numeric_parts(s: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut i = 0;
    while i < s.len() && blank(s[i]) {
        i += 1;
    }
    let neg = s.get(i) == Some(&b'-');
    if neg {
        i += 1;
    }
    let start = i;
    while i < s.len() && s[i].is_ascii_digit() {
        i += 1;
    }
    let mut int = &s[start..i];
    while int.first() == Some(&b'0') {
        int = &int[1..];
    }
    let mut frac: &[u8] = &[];
    if s.get(i) == Some(&b'.') {
        let fs = i + 1;
        let mut j = fs;
        while j < s.len() && s[j].is_ascii_digit() {
            j += 1;
        }
        frac = &s[fs..j];
        while frac.last() == Some(&b'0') {
            frac = &frac[..frac.len() - 1];
        }
    }
    let zero = int.is_empty() && frac.is_empty();
    (neg && !zero, int, frac)
}

fn cmp_numeric(a: &[u8], b: &[u8]) -> Ordering {
    let (na, ia, fa) = numeric_parts(a);
    let (nb, ib, fb) = numeric_parts(b);
    let mag = ia.len().cmp(&ib.len()).then_with(|| ia.cmp(ib)).then_with(|| fa.cmp(fb));
    match (na, nb) {
        (false, false) => mag,
        (true, true) => mag.reverse(),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
    }
}

fn general_value(s: &[u8]) -> Option<f64> {
    let t = String::from_utf8_lossy(s);
    let t = t.trim_start();
    // longest prefix that parses
    let mut best = None;
    for end in (1..=t.len().min(64)).rev() {
        if !t.is_char_boundary(end) {
            continue;
        }
        if let Ok(v) = t[..end].parse::<f64>() {
            let lower = t[..end].to_ascii_lowercase();
            if lower.contains("inf") || lower.contains("nan") || lower.bytes().any(|b| b.is_ascii_digit()) {
                best = Some(v);
                break;
            }
        }
    }
    best
}

fn cmp_general(a: &[u8], b: &[u8]) -> Ordering {
    match (general_value(a), general_value(b)) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => match (x.is_nan(), y.is_nan()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            _ => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        },
    }
}

fn human_suffix(s: &[u8]) -> usize {
    let (_, int, frac) = numeric_parts(s);
    let _ = (int, frac);
    let mut i = 0;
    while i < s.len() && blank(s[i]) {
        i += 1;
    }
    if s.get(i) == Some(&b'-') {
        i += 1;
    }
    while i < s.len() && (s[i].is_ascii_digit() || s[i] == b'.') {
        i += 1;
    }
    match s.get(i) {
        Some(b'k' | b'K') => 1,
        Some(b'M') => 2,
        Some(b'G') => 3,
        Some(b'T') => 4,
        Some(b'P') => 5,
        Some(b'E') => 6,
        Some(b'Z') => 7,
        Some(b'Y') => 8,
        _ => 0,
    }
}

fn cmp_human(a: &[u8], b: &[u8]) -> Ordering {
    let (na, _, _) = numeric_parts(a);
    let (nb, _, _) = numeric_parts(b);
    let sa = human_suffix(a) as i64 * if na { -1 } else { 1 };
    let sb = human_suffix(b) as i64 * if nb { -1 } else { 1 };
    sa.cmp(&sb).then_with(|| cmp_numeric(a, b))
}

fn month(s: &[u8]) -> usize {
    let t: Vec<u8> = s.iter().skip_while(|b| blank(**b)).take(3).map(|b| b.to_ascii_uppercase()).collect();
    const M: [&[u8]; 12] = [b"JAN", b"FEB", b"MAR", b"APR", b"MAY", b"JUN", b"JUL", b"AUG", b"SEP", b"OCT", b"NOV", b"DEC"];
    M.iter().position(|m| *m == t.as_slice()).map(|i| i + 1).unwrap_or(0)
}

/// Version order (Debian's rules that GNU `filevercmp` follows, without the
/// file-suffix special case): non-digit runs compare with `~` lowest, then
/// letters before other bytes; digit runs compare as numbers.
pub fn cmp_version(a: &[u8], b: &[u8]) -> Ordering {
    fn order(c: Option<&u8>) -> i32 {
        match c {
            None => 0,
            Some(b'~') => -1,
            Some(c) if c.is_ascii_digit() => 0,
            Some(c) if c.is_ascii_alphabetic() => *c as i32,
            Some(c) => *c as i32 + 256,
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let mut first_diff = 0;
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let ac = order(a.get(i).filter(|c| !c.is_ascii_digit()));
            let bc = order(b.get(j).filter(|c| !c.is_ascii_digit()));
            if ac != bc {
                return ac.cmp(&bc);
            }
            if i < a.len() && !a[i].is_ascii_digit() {
                i += 1;
            }
            if j < b.len() && !b[j].is_ascii_digit() {
                j += 1;
            }
        }
        while i < a.len() && a[i] == b'0' {
            i += 1;
        }
        while j < b.len() && b[j] == b'0' {
            j += 1;
        }
        while i < a.len() && a[i].is_ascii_digit() && j < b.len() && b[j].is_ascii_digit() {
            if first_diff == 0 {
                first_diff = a[i] as i32 - b[j] as i32;
            }
            i += 1;
            j += 1;
        }
        if i < a.len() && a[i].is_ascii_digit() {
            return Ordering::Greater;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            return Ordering::Less;
        }
        if first_diff != 0 {
            return first_diff.cmp(&0);
        }
    }
    Ordering::Equal
}

fn hash(s: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s {
        h ^= b as u64;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

fn cmp_text(a: &[u8], b: &[u8], o: &KeyOpts) -> Ordering {
    if !(o.dictionary || o.fold || o.ignore_nonprinting) {
        return a.cmp(b);
    }
    let keep = |c: &u8| {
        !(o.dictionary && !(c.is_ascii_alphanumeric() || blank(*c))) && !(o.ignore_nonprinting && !(0x20..0x7f).contains(c))
    };
    let tr = |c: &u8| if o.fold { c.to_ascii_uppercase() } else { *c };
    let x = a.iter().filter(|c| keep(c)).map(tr);
    let y = b.iter().filter(|c| keep(c)).map(tr);
    x.cmp(y)
}

fn cmp_key(a: &[u8], b: &[u8], o: &KeyOpts) -> Ordering {
    let r = if o.numeric {
        cmp_numeric(a, b)
    } else if o.general {
        cmp_general(a, b)
    } else if o.human {
        cmp_human(a, b)
    } else if o.month {
        month(a).cmp(&month(b))
    } else if o.version {
        cmp_version(a, b)
    } else if o.random {
        hash(a).cmp(&hash(b))
    } else {
        cmp_text(a, b, o)
    };
    if o.reverse {
        r.reverse()
    } else {
        r
    }
}

struct Sorter {
    keys: Vec<Key>,
    tab: Option<u8>,
    global: KeyOpts,
    last_resort: bool,
}

impl Sorter {
    fn cmp(&self, a: &[u8], b: &[u8], with_last_resort: bool) -> Ordering {
        if self.keys.is_empty() {
            let r = cmp_key(a, b, &self.global);
            if r != Ordering::Equal || !with_last_resort || !self.global.any() {
                return r;
            }
        } else {
            for k in &self.keys {
                let r = cmp_key(key_slice(a, k, self.tab), key_slice(b, k, self.tab), &k.opts);
                if r != Ordering::Equal {
                    return r;
                }
            }
        }
        if with_last_resort && self.last_resort {
            let r = a.cmp(b);
            if self.global.reverse {
                r.reverse()
            } else {
                r
            }
        } else {
            Ordering::Equal
        }
    }
}

pub fn sort(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "sort";
    let p = match getopt(ctx, prog, argv, &SORT) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    let mut global = KeyOpts::default();
    let mut keys = Vec::new();
    let mut tab: Option<u8> = None;
    for (c, v) in &p.opts {
        match c {
            'k' => match parse_key(v.as_deref().unwrap_or("")) {
                Ok(k) => keys.push(k),
                Err(m) => {
                    err(ctx, prog, &m);
                    return Ok(2);
                }
            },
            't' => {
                let t = v.as_deref().unwrap_or("");
                let b = t.as_bytes();
                if b.is_empty() {
                    err(ctx, prog, "empty tab");
                    return Ok(2);
                }
                if b.len() > 1 && t != "\\0" {
                    err(ctx, prog, &format!("multi-character tab {}", qa(t)));
                    return Ok(2);
                }
                let nt = if t == "\\0" { 0 } else { b[0] };
                if tab.is_some() && tab != Some(nt) {
                    err(ctx, prog, "incompatible tabs");
                    return Ok(2);
                }
                tab = Some(nt);
            }
            c if c.is_ascii() && "bdfgiMhnRrV".contains(*c) => {
                global.set(*c as u8, true);
                if *c == 'b' {
                    global.skip_end_blanks = true;
                }
            }
            _ => {}
        }
    }
    let kinds: String = [('g', global.general), ('h', global.human), ('M', global.month), ('n', global.numeric), ('R', global.random), ('V', global.version)]
        .iter()
        .filter(|x| x.1)
        .map(|x| x.0)
        .collect();
    if kinds.len() > 1 {
        err(ctx, prog, &format!("options '-{kinds}' are incompatible"));
        return Ok(2);
    }
    for k in keys.iter_mut() {
        if !k.opts.any() {
            k.opts = global;
        }
    }
    if keys.is_empty() && global.any() {
        keys.push(Key { sword: 0, schar: 0, eword: None, echar: 0, opts: global });
    }
    let unique = p.has('u');
    let sorter = Sorter { keys, tab, global, last_resort: !(unique || p.has('s')) };
    let delim = if p.has('z') { 0u8 } else { b'\n' };
    let files = if p.args.is_empty() { vec!["-".to_string()] } else { p.args.clone() };
    let mut data: Vec<u8> = Vec::new();
    for f in &files {
        let d = match super::common::read_path(ctx, f) {
            Ok(d) => Some(d),
            Err(e) => {
                err(ctx, prog, &format!("cannot read: {}: {}", qf(f), ferr(&e)));
                return Ok(2);
            }
        };
        if let Some(d) = d {
            super::common::tick_bytes(ctx, d.len())?;
            data.extend_from_slice(&d);
            if !data.is_empty() && *data.last().unwrap_or(&delim) != delim {
                data.push(delim);
            }
        }
    }
    let mut lines: Vec<&[u8]> = data.split(|&b| b == delim).collect();
    if data.last() == Some(&delim) || data.is_empty() {
        lines.pop();
    }
    if p.has('c') || p.has('C') {
        for i in 1..lines.len() {
            tick(ctx, 1)?;
            let o = sorter.cmp(lines[i - 1], lines[i], true);
            if o == Ordering::Greater || (unique && o == Ordering::Equal && sorter.cmp(lines[i - 1], lines[i], false) == Ordering::Equal) {
                if p.has('c') {
                    let name = if files[0] == "-" { "-" } else { files[0].as_str() };
                    err(ctx, prog, &format!("{name}:{}: disorder: {}", i + 1, String::from_utf8_lossy(lines[i])));
                }
                return Ok(1);
            }
        }
        return Ok(0);
    }
    let n = lines.len() as u64;
    tick(ctx, n * (64 - n.leading_zeros() as u64).max(1) / 4 + 1)?;
    lines.sort_by(|a, b| sorter.cmp(a, b, true));
    if unique {
        lines.dedup_by(|b, a| sorter.cmp(a, b, false) == Ordering::Equal);
    }
    let mut o = Vec::with_capacity(data.len());
    for l in &lines {
        o.extend_from_slice(l);
        o.push(delim);
    }
    if let Some(f) = p.val('o') {
        let path = ctx.abs(f);
        if let Err(e) = ctx.fs.write(&path, o, 0o644) {
            err(ctx, prog, &format!("open failed: {}: {}", f, ferr(&e)));
            return Ok(2);
        }
        return Ok(0);
    }
    out(ctx, &o)?;
    Ok(0)
}

const UNIQ: Spec = Spec {
    short: "cdDf:is:uw:z",
    long: &[
        ("count", Arg::No, 'c'),
        ("repeated", Arg::No, 'd'),
        ("all-repeated", Arg::Optional, 'D'),
        ("skip-fields", Arg::Required, 'f'),
        ("ignore-case", Arg::No, 'i'),
        ("skip-chars", Arg::Required, 's'),
        ("unique", Arg::No, 'u'),
        ("check-chars", Arg::Required, 'w'),
        ("zero-terminated", Arg::No, 'z'),
        ("group", Arg::Optional, 'G'),
    ],
    permute: true,
    status: 1,
    usage: "[OPTION]... [INPUT [OUTPUT]]",
};

pub fn uniq(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "uniq";
    let p = match getopt(ctx, prog, argv, &UNIQ) {
        Ok(p) => p,
        Err(s) => return Ok(s),
    };
    let num = |ctx: &mut Ctx<'_>, c: char, what: &str| -> Result<usize, i32> {
        match p.val(c) {
            None => Ok(if c == 'w' { usize::MAX } else { 0 }),
            Some(v) => match v.parse::<u64>() {
                Ok(n) => Ok(usize::try_from(n).unwrap_or(usize::MAX)),
                Err(_) => {
                    err(ctx, prog, &format!("{v}: {what}"));
                    Err(1)
                }
            },
        }
    };
    let skip_fields = match num(ctx, 'f', "invalid number of fields to skip") {
        Ok(n) => n,
        Err(s) => return Ok(s),
    };
    let skip_chars = match num(ctx, 's', "invalid number of bytes to skip") {
        Ok(n) => n,
        Err(s) => return Ok(s),
    };
    let check = match num(ctx, 'w', "invalid number of bytes to compare") {
        Ok(n) => n,
        Err(s) => return Ok(s),
    };
    if p.args.len() > 2 {
        return Ok(usage_err(ctx, prog, &format!("extra operand {}", qa(&p.args[2])), 1));
    }
    let input = p.args.first().cloned().unwrap_or_else(|| "-".into());
    let Some(data) = read_operand(ctx, prog, &input)? else {
        return Ok(1);
    };
    let delim = if p.has('z') { 0u8 } else { b'\n' };
    let mut lines: Vec<&[u8]> = data.split(|&b| b == delim).collect();
    if data.last() == Some(&delim) || data.is_empty() {
        lines.pop();
    }
    let key = |l: &[u8]| -> Vec<u8> {
        let mut i = 0;
        for _ in 0..skip_fields {
            while i < l.len() && blank(l[i]) {
                i += 1;
            }
            while i < l.len() && !blank(l[i]) {
                i += 1;
            }
        }
        i = (i + skip_chars).min(l.len());
        let end = i.saturating_add(check).min(l.len());
        let k = &l[i..end];
        if p.has('i') {
            k.to_ascii_lowercase()
        } else {
            k.to_vec()
        }
    };
    let all_repeated = p.has('D');
    let mut o = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        tick(ctx, 1)?;
        let k = key(lines[i]);
        let mut j = i + 1;
        while j < lines.len() && key(lines[j]) == k {
            j += 1;
        }
        let count = j - i;
        let show = (!p.has('d') || count > 1) && (!p.has('u') || count == 1) && (!all_repeated || count > 1);
        if show {
            let group: &[&[u8]] = if all_repeated { &lines[i..j] } else { &lines[i..i + 1] };
            for l in group {
                if p.has('c') {
                    o.extend_from_slice(format!("{count:>7} ").as_bytes());
                }
                o.extend_from_slice(l);
                o.push(delim);
            }
        }
        i = j;
    }
    if let Some(f) = p.args.get(1) {
        let path = ctx.abs(f);
        if let Err(e) = ctx.fs.write(&path, o, 0o644) {
            err(ctx, prog, &format!("{}: {}", qf(f), ferr(&e)));
            return Ok(1);
        }
        return Ok(0);
    }
    out(ctx, &o)?;
    Ok(0)
}
