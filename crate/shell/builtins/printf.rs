//! dash's `echo` (escapes always interpreted, `-n` only as the first
//! argument, `\c` stops everything) and `printf` (C conversions with flags,
//! width and precision, `%b`, arguments reused until consumed, numeric
//! arguments in any C base or `'c`, dash's warnings for bad numbers).
//!
//! As in dash, a builtin's output is written when it finishes, so its error
//! messages come first.

use crate::shell::interp::{Ex, Shell};

/// `\…` escapes shared by `echo`, `%b` and the format string. Returns the
/// bytes and whether `\c` ended processing (`%b`/`echo` only).
fn escapes(s: &[u8], out: &mut Vec<u8>, in_format: bool) -> bool {
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c != b'\\' {
            out.push(c);
            continue;
        }
        let Some(&ch) = s.get(i) else {
            out.push(b'\\');
            break;
        };
        if !in_format {
            if ch == b'c' {
                return true;
            }
            // %b octals: \0 then up to 3 digits
            if ch == b'0' && s.get(i + 1).is_some_and(|d| (b'0'..=b'7').contains(d)) {
                i += 1;
            }
        }
        let ch = s[i];
        match ch {
            b'0'..=b'7' => {
                let mut v: u32 = 0;
                let mut n = 0;
                while n < 3 && i < s.len() && (b'0'..=b'7').contains(&s[i]) {
                    v = (v << 3) + (s[i] - b'0') as u32;
                    i += 1;
                    n += 1;
                }
                out.push(v as u8);
                continue;
            }
            b'\\' => out.push(b'\\'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'e' => out.push(27),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            _ => {
                out.push(b'\\');
                continue;
            }
        }
        i += 1;
    }
    false
}

/// `echo [-n] args…`
pub(crate) fn echo(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    let mut args = &argv[1..];
    let mut newline = true;
    if args.first().is_some_and(|a| a == "-n") {
        newline = false;
        args = &args[1..];
    }
    let mut out = Vec::with_capacity(64);
    let mut stopped = false;
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        if !a.contains('\\') {
            out.extend_from_slice(a.as_bytes());
        } else if escapes(a.as_bytes(), &mut out, false) {
            stopped = true;
            break;
        }
    }
    if newline && !stopped {
        out.push(b'\n');
    }
    sh.out1(&out)?;
    Ok(0)
}

struct Args<'a> {
    v: &'a [String],
    i: usize,
    status: i32,
    warnings: Vec<String>,
}

impl Args<'_> {
    fn str(&mut self) -> &str {
        match self.v.get(self.i) {
            Some(s) => {
                self.i += 1;
                s
            }
            None => "",
        }
    }

    fn chr(&mut self) -> u8 {
        match self.v.get(self.i) {
            Some(s) => {
                self.i += 1;
                s.as_bytes().first().copied().unwrap_or(0)
            }
            None => 0,
        }
    }

    fn check(&mut self, s: &str, used: usize, range: bool) {
        if used < s.len() {
            if used == 0 {
                self.warnings.push(format!("{s}: expected numeric value"));
            } else {
                self.warnings.push(format!("{s}: not completely converted"));
            }
            self.status = 1;
        } else if range {
            self.warnings.push(format!("{s}: Numerical result out of range"));
            self.status = 1;
        }
    }

    /// A signed (`%d`) or unsigned (`%u %o %x`) integer argument.
    fn int(&mut self, signed: bool) -> i128 {
        let Some(s) = self.v.get(self.i).cloned() else {
            return 0;
        };
        self.i += 1;
        let b = s.as_bytes();
        if b.first().is_some_and(|c| *c == b'"' || *c == b'\'') {
            return b.get(1).copied().unwrap_or(0) as i128;
        }
        let (v, used, range) = strtol(&s, signed);
        self.check(&s, used, range);
        v
    }

    fn float(&mut self) -> f64 {
        let Some(s) = self.v.get(self.i).cloned() else {
            return 0.0;
        };
        self.i += 1;
        let b = s.as_bytes();
        if b.first().is_some_and(|c| *c == b'"' || *c == b'\'') {
            return b.get(1).copied().unwrap_or(0) as f64;
        }
        let (v, used) = strtod(&s);
        self.check(&s, used, false);
        v
    }
}

/// C's strtoimax/strtoumax with base 0: the value, bytes used, and overflow.
fn strtol(s: &str, signed: bool) -> (i128, usize, bool) {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
        i += 1;
    }
    let mut neg = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        neg = b[i] == b'-';
        i += 1;
    }
    let (base, start) = if b.len() > i + 1 && b[i] == b'0' && (b[i + 1] == b'x' || b[i + 1] == b'X') && b.get(i + 2).is_some_and(|c| c.is_ascii_hexdigit()) {
        (16u32, i + 2)
    } else if i < b.len() && b[i] == b'0' {
        (8, i)
    } else {
        (10, i)
    };
    let mut v: i128 = 0;
    let mut j = start;
    let mut over = false;
    while j < b.len() {
        match (b[j] as char).to_digit(base) {
            Some(d) => {
                v = v * base as i128 + d as i128;
                if v > u64::MAX as i128 {
                    over = true;
                    v = u64::MAX as i128;
                }
            }
            None => break,
        }
        j += 1;
    }
    if j == start && base != 8 {
        return (0, 0, false);
    }
    let v = if neg { -v } else { v };
    if signed {
        if v > i64::MAX as i128 {
            return (i64::MAX as i128, j, true);
        }
        if v < i64::MIN as i128 {
            return (i64::MIN as i128, j, true);
        }
        (v, j, over)
    } else {
        if over {
            return (u64::MAX as i128, j, true);
        }
        // negative values wrap as strtoumax does
        let w = if v < 0 { (v as i64) as u64 as i128 } else { v };
        (w, j, false)
    }
}

/// C's strtod on the longest number prefix.
fn strtod(s: &str) -> (f64, usize) {
    let t = s.trim_start();
    let lead = s.len() - t.len();
    let lower = t.to_ascii_lowercase();
    for (word, val) in [("infinity", f64::INFINITY), ("inf", f64::INFINITY), ("nan", f64::NAN)] {
        for (sign, mul) in [("", 1.0), ("+", 1.0), ("-", -1.0)] {
            let w = format!("{sign}{word}");
            if lower.starts_with(&w) {
                return (val * mul, lead + w.len());
            }
        }
    }
    let b = t.as_bytes();
    let mut end = 0;
    let mut best = None;
    // grow the prefix while it parses
    while end < b.len() {
        end += 1;
        let p = &t[..end];
        if let Ok(v) = p.parse::<f64>() {
            if !p.ends_with(['e', 'E', '+', '-']) {
                best = Some((v, end));
            }
        }
    }
    match best {
        Some((v, n)) => (v, lead + n),
        None => (0.0, 0),
    }
}

#[derive(Default, Clone, Copy)]
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

fn pad(spec: &Spec, body: Vec<u8>, numeric_zero_ok: bool, sign_len: usize) -> Vec<u8> {
    let w = spec.width.unwrap_or(0);
    if body.len() >= w {
        return body;
    }
    let fill = w - body.len();
    if spec.left {
        let mut v = body;
        v.extend(std::iter::repeat_n(b' ', fill));
        v
    } else if spec.zero && numeric_zero_ok {
        let mut v = body[..sign_len].to_vec();
        v.extend(std::iter::repeat_n(b'0', fill));
        v.extend_from_slice(&body[sign_len..]);
        v
    } else {
        let mut v: Vec<u8> = std::iter::repeat_n(b' ', fill).collect();
        v.extend(body);
        v
    }
}

fn fmt_int(spec: &Spec, conv: u8, v: i128) -> Vec<u8> {
    let (neg, mag): (bool, u128) = match conv {
        b'd' | b'i' => (v < 0, v.unsigned_abs()),
        _ => (false, (v as i64 as u64) as u128),
    };
    let mut digits = match conv {
        b'o' => format!("{mag:o}"),
        b'x' => format!("{mag:x}"),
        b'X' => format!("{mag:X}"),
        _ => mag.to_string(),
    };
    if let Some(p) = spec.prec {
        if p == 0 && mag == 0 {
            digits.clear();
        }
        while digits.len() < p {
            digits.insert(0, '0');
        }
    }
    let mut prefix = String::new();
    if neg {
        prefix.push('-');
    } else if matches!(conv, b'd' | b'i') {
        if spec.plus {
            prefix.push('+');
        } else if spec.space {
            prefix.push(' ');
        }
    }
    if spec.alt {
        match conv {
            b'o' if !digits.starts_with('0') => digits.insert(0, '0'),
            b'x' if mag != 0 => prefix.push_str("0x"),
            b'X' if mag != 0 => prefix.push_str("0X"),
            _ => {}
        }
    }
    let sign_len = prefix.len();
    let mut body = prefix.into_bytes();
    body.extend_from_slice(digits.as_bytes());
    pad(spec, body, spec.prec.is_none(), sign_len)
}

/// C `%e` digits: `d.ddde±XX`.
fn c_exp(v: f64, prec: usize, upper: bool, alt: bool) -> String {
    let s = format!("{:.*e}", prec, v);
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut m = mant.to_string();
    if alt && prec == 0 {
        m.push('.');
    }
    let e = format!("{}{}{:02}", if upper { 'E' } else { 'e' }, if exp < 0 { '-' } else { '+' }, exp.abs());
    m + &e
}

fn fmt_float(spec: &Spec, conv: u8, v: f64) -> Vec<u8> {
    let upper = conv.is_ascii_uppercase();
    let mut body = if v.is_nan() || v.is_infinite() {
        let s = if v.is_nan() { "nan" } else { "inf" };
        let s = if upper { s.to_ascii_uppercase() } else { s.to_string() };
        if v.is_sign_negative() && !v.is_nan() {
            format!("-{s}")
        } else {
            s
        }
    } else {
        let prec = spec.prec.unwrap_or(6);
        let a = v.abs();
        let s = match conv.to_ascii_lowercase() {
            b'f' => {
                let mut s = format!("{:.*}", prec, a);
                if spec.alt && prec == 0 {
                    s.push('.');
                }
                s
            }
            b'e' | b'a' => c_exp(a, prec, upper, spec.alt),
            _ => {
                // %g
                let p = if prec == 0 { 1 } else { prec };
                let exp = if a == 0.0 {
                    0
                } else {
                    let s = format!("{:.*e}", p - 1, a);
                    s.split_once('e').and_then(|(_, e)| e.parse::<i32>().ok()).unwrap_or(0)
                };
                let mut s = if exp < -4 || exp >= p as i32 {
                    c_exp(a, p - 1, upper, spec.alt)
                } else {
                    format!("{:.*}", (p as i32 - 1 - exp).max(0) as usize, a)
                };
                if !spec.alt {
                    // strip trailing zeros of the fraction
                    let (m, e) = match s.find(['e', 'E']) {
                        Some(i) => (s[..i].to_string(), s[i..].to_string()),
                        None => (s.clone(), String::new()),
                    };
                    let m = if m.contains('.') { m.trim_end_matches('0').trim_end_matches('.').to_string() } else { m };
                    s = m + &e;
                }
                s
            }
        };
        if v.is_sign_negative() {
            format!("-{s}")
        } else {
            s
        }
    };
    if !body.starts_with('-') {
        if spec.plus {
            body.insert(0, '+');
        } else if spec.space {
            body.insert(0, ' ');
        }
    }
    let sign_len = usize::from(body.starts_with(['-', '+', ' ']));
    let finite = v.is_finite();
    pad(spec, body.into_bytes(), finite, sign_len)
}

/// `printf format [args…]`
pub(crate) fn printf(sh: &mut Shell<'_>, argv: &[String]) -> Ex<i32> {
    let mut rest = &argv[1..];
    if rest.first().is_some_and(|a| a == "--") {
        rest = &rest[1..];
    }
    let Some(format) = rest.first() else {
        sh.warn(Some("printf"), "usage: printf format [arg ...]")?;
        return Ok(2);
    };
    let fmt = format.as_bytes();
    let mut args = Args { v: &rest[1..], i: 0, status: 0, warnings: Vec::new() };
    let mut out: Vec<u8> = Vec::new();
    let mut error: Option<String> = None;
    'outer: loop {
        let start_i = args.i;
        let mut k = 0;
        while k < fmt.len() {
            sh.step(1)?;
            let c = fmt[k];
            k += 1;
            if c == b'\\' {
                let mut end = k;
                // find the extent of one escape
                if end < fmt.len() {
                    if (b'0'..=b'7').contains(&fmt[end]) {
                        let mut n = 0;
                        while n < 3 && end < fmt.len() && (b'0'..=b'7').contains(&fmt[end]) {
                            end += 1;
                            n += 1;
                        }
                    } else {
                        end += 1;
                    }
                }
                escapes(&fmt[k - 1..end], &mut out, true);
                k = end;
                continue;
            }
            if c != b'%' {
                out.push(c);
                continue;
            }
            if fmt.get(k) == Some(&b'%') {
                out.push(b'%');
                k += 1;
                continue;
            }
            let spec_start = k - 1;
            let mut spec = Spec::default();
            while k < fmt.len() && b"#-+ 0".contains(&fmt[k]) {
                match fmt[k] {
                    b'#' => spec.alt = true,
                    b'-' => spec.left = true,
                    b'+' => spec.plus = true,
                    b' ' => spec.space = true,
                    _ => spec.zero = true,
                }
                k += 1;
            }
            if fmt.get(k) == Some(&b'*') {
                k += 1;
                let w = args.int(true);
                if w < 0 {
                    spec.left = true;
                }
                spec.width = Some(w.unsigned_abs().min(1 << 20) as usize);
            } else {
                let s = k;
                while k < fmt.len() && fmt[k].is_ascii_digit() {
                    k += 1;
                }
                if k > s {
                    spec.width = std::str::from_utf8(&fmt[s..k]).ok().and_then(|d| d.parse::<usize>().ok()).map(|w| w.min(1 << 20));
                }
            }
            if fmt.get(k) == Some(&b'.') {
                k += 1;
                if fmt.get(k) == Some(&b'*') {
                    k += 1;
                    let p = args.int(true);
                    spec.prec = if p < 0 { None } else { Some(p.min(1 << 20) as usize) };
                } else {
                    let s = k;
                    while k < fmt.len() && fmt[k].is_ascii_digit() {
                        k += 1;
                    }
                    spec.prec = Some(std::str::from_utf8(&fmt[s..k]).ok().and_then(|d| d.parse::<usize>().ok()).unwrap_or(0).min(1 << 20));
                }
            }
            let Some(&conv) = fmt.get(k) else {
                error = Some("missing format character".into());
                break 'outer;
            };
            k += 1;
            match conv {
                b'b' => {
                    let a = args.str().to_string();
                    let mut v = Vec::new();
                    let stop = escapes(a.as_bytes(), &mut v, false);
                    if let Some(p) = spec.prec {
                        v.truncate(p);
                    }
                    out.extend(pad(&spec, v, false, 0));
                    if stop {
                        break 'outer;
                    }
                }
                b'c' => {
                    let ch = args.chr();
                    out.extend(pad(&spec, vec![ch], false, 0));
                }
                b's' => {
                    let mut v = args.str().as_bytes().to_vec();
                    if let Some(p) = spec.prec {
                        v.truncate(p);
                    }
                    out.extend(pad(&spec, v, false, 0));
                }
                b'd' | b'i' => {
                    let v = args.int(true);
                    out.extend(fmt_int(&spec, conv, v));
                }
                b'o' | b'u' | b'x' | b'X' => {
                    let v = args.int(false);
                    out.extend(fmt_int(&spec, conv, v));
                }
                b'a' | b'A' | b'e' | b'E' | b'f' | b'F' | b'g' | b'G' => {
                    let v = args.float();
                    out.extend(fmt_float(&spec, conv, v));
                }
                _ => {
                    let directive = String::from_utf8_lossy(&fmt[spec_start..k]).into_owned();
                    error = Some(format!("{directive}: invalid directive"));
                    break 'outer;
                }
            }
            if out.len() > sh.limits.output_bytes {
                break 'outer;
            }
        }
        if args.i == start_i || args.i >= args.v.len() {
            break;
        }
    }
    for w in std::mem::take(&mut args.warnings) {
        sh.warn(Some("printf"), &w)?;
    }
    if let Some(e) = error {
        sh.warn(Some("printf"), &e)?;
        sh.out1(&out)?;
        return Ok(2);
    }
    sh.out1(&out)?;
    Ok(args.status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_like_c() {
        let s = Spec::default();
        assert_eq!(String::from_utf8(fmt_float(&s, b'e', 12345.678)).unwrap(), "1.234568e+04");
        assert_eq!(String::from_utf8(fmt_float(&s, b'g', 100000.0)).unwrap(), "100000");
        assert_eq!(String::from_utf8(fmt_float(&s, b'G', 1000000.0)).unwrap(), "1E+06");
        assert_eq!(String::from_utf8(fmt_float(&s, b'g', 0.0001)).unwrap(), "0.0001");
        assert_eq!(String::from_utf8(fmt_float(&s, b'g', 1e-5)).unwrap(), "1e-05");
        assert_eq!(String::from_utf8(fmt_float(&s, b'g', 123456789.0)).unwrap(), "1.23457e+08");
        let p = Spec { prec: Some(0), ..Spec::default() };
        assert_eq!(String::from_utf8(fmt_float(&p, b'f', 2.5)).unwrap(), "2");
    }

    #[test]
    fn ints_like_c() {
        let s = Spec { alt: true, ..Spec::default() };
        assert_eq!(String::from_utf8(fmt_int(&s, b'x', 255)).unwrap(), "0xff");
        assert_eq!(String::from_utf8(fmt_int(&s, b'o', 8)).unwrap(), "010");
        let z = Spec { zero: true, width: Some(5), ..Spec::default() };
        assert_eq!(String::from_utf8(fmt_int(&z, b'd', -7)).unwrap(), "-0007");
        assert_eq!(strtol("0x1f", true).0, 31);
        assert_eq!(strtol("-3", false).0, u64::MAX as i128 - 2);
    }
}
