//! `printf FORMAT [ARGUMENT]...` as GNU coreutils' `/usr/bin/printf`: every
//! conversion (`%s %b %c %d %i %u %o %x %X %e %E %f %F %g %G %a %A %%`) with
//! flags, widths, precisions and `*`, escapes in the format, the format reused
//! while arguments remain, and GNU's warnings for arguments that are not
//! numbers. Floating point is `f64` (GNU uses `long double`: results differ only
//! past 15 significant digits). [`render`] is public so the shell's builtin
//! `printf` can share it.

use super::common::{err, out, tick_bytes, Res};
use crate::shell::proc::Ctx;

/// Widths and precisions above this are clamped (the playground's output cap is
/// far smaller anyway).
const MAX_WIDTH: usize = 1 << 20;

/// What [`render`] produced: the bytes, the messages (without the `prog: `
/// prefix) and the exit status.
#[derive(Debug, Default)]
pub struct Rendered {
    pub out: Vec<u8>,
    pub errors: Vec<String>,
    pub status: i32,
}

/// `/usr/bin/printf` (and `printf` found through PATH).
pub fn printf(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "printf";
    let mut args = &argv[1..];
    if args.first().map(String::as_str) == Some("--") {
        args = &args[1..];
    }
    let Some(fmt) = args.first() else {
        err(ctx, prog, "missing operand");
        ctx.err("Try 'printf --help' for more information.\n");
        return Ok(1);
    };
    let r = render(fmt.as_bytes(), &args[1..]);
    tick_bytes(ctx, r.out.len())?;
    let w = out(ctx, &r.out);
    for e in &r.errors {
        err(ctx, prog, e);
    }
    w?;
    Ok(r.status)
}

/// Formats like GNU printf: the format is applied again while arguments remain
/// (and at least one conversion consumed one).
pub fn render(fmt: &[u8], args: &[String]) -> Rendered {
    let mut r = Rendered::default();
    let mut ai = 0;
    loop {
        let before = ai;
        match render_once(fmt, args, &mut ai, &mut r) {
            Flow::Stop => return r,
            Flow::Fail => {
                r.status = 1;
                return r;
            }
            Flow::Done => {}
        }
        if ai >= args.len() {
            break;
        }
        if ai == before {
            r.errors.push(format!("warning: ignoring excess arguments, starting with {}", quote(&args[ai])));
            break;
        }
    }
    r
}

fn quote(s: &str) -> String {
    format!("'{s}'")
}

enum Flow {
    Done,
    /// `\c`: stop all output, status stays.
    Stop,
    /// An invalid conversion: stop with status 1.
    Fail,
}

fn render_once(fmt: &[u8], args: &[String], ai: &mut usize, r: &mut Rendered) -> Flow {
    let mut i = 0;
    while i < fmt.len() {
        let c = fmt[i];
        if c == b'\\' {
            i += 1;
            match format_escape(fmt, &mut i, &mut r.out) {
                Ok(true) => {}
                Ok(false) => return Flow::Stop,
                Err(msg) => {
                    r.errors.push(msg);
                    return Flow::Fail;
                }
            }
            continue;
        }
        if c != b'%' {
            r.out.push(c);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        if fmt.get(i) == Some(&b'%') {
            r.out.push(b'%');
            i += 1;
            continue;
        }
        let mut flags = Flags::default();
        while let Some(&f) = fmt.get(i) {
            match f {
                b'-' => flags.left = true,
                b'+' => flags.plus = true,
                b' ' => flags.space = true,
                b'#' => flags.alt = true,
                b'0' => flags.zero = true,
                b'\'' => {}
                _ => break,
            }
            i += 1;
        }
        let mut width: Option<usize> = None;
        if fmt.get(i) == Some(&b'*') {
            i += 1;
            let v = next_int(args, ai, r);
            if v < 0 {
                flags.left = true;
            }
            width = Some((v.unsigned_abs() as usize).min(MAX_WIDTH));
        } else {
            while let Some(&d) = fmt.get(i).filter(|d| d.is_ascii_digit()) {
                width = Some((width.unwrap_or(0) * 10 + (d - b'0') as usize).min(MAX_WIDTH));
                i += 1;
            }
        }
        let mut prec: Option<usize> = None;
        if fmt.get(i) == Some(&b'.') {
            i += 1;
            if fmt.get(i) == Some(&b'*') {
                i += 1;
                let v = next_int(args, ai, r);
                prec = if v < 0 { None } else { Some((v as usize).min(MAX_WIDTH)) };
            } else {
                let mut p = 0usize;
                while let Some(&d) = fmt.get(i).filter(|d| d.is_ascii_digit()) {
                    p = (p * 10 + (d - b'0') as usize).min(MAX_WIDTH);
                    i += 1;
                }
                prec = Some(p);
            }
        }
        while let Some(b'h' | b'l' | b'L' | b'j' | b'z' | b't') = fmt.get(i) {
            i += 1;
        }
        let Some(&conv) = fmt.get(i) else {
            r.errors.push(format!("{}: invalid conversion specification", String::from_utf8_lossy(&fmt[start..])));
            return Flow::Fail;
        };
        i += 1;
        let spec = Conv { flags, width, prec };
        match conv {
            b's' => {
                let a = next_arg(args, ai);
                let mut s = a.as_bytes().to_vec();
                if let Some(p) = prec {
                    s.truncate(p);
                }
                pad(&mut r.out, &s, &spec, false);
            }
            b'b' => {
                let a = next_arg(args, ai);
                let mut s = Vec::new();
                let stop = b_escapes(a.as_bytes(), &mut s);
                if let Some(p) = prec {
                    s.truncate(p);
                }
                pad(&mut r.out, &s, &spec, false);
                if stop {
                    return Flow::Stop;
                }
            }
            b'q' => {
                let a = next_arg(args, ai);
                let s = super::common::qf(a);
                pad(&mut r.out, s.as_bytes(), &spec, false);
            }
            b'c' => {
                let a = next_arg(args, ai);
                let s = vec![a.as_bytes().first().copied().unwrap_or(0)];
                pad(&mut r.out, &s, &spec, false);
            }
            b'd' | b'i' => {
                let v = next_int(args, ai, r);
                let s = fmt_signed(v, &spec);
                pad(&mut r.out, s.as_bytes(), &spec, spec.prec.is_none());
            }
            b'u' | b'o' | b'x' | b'X' => {
                let v = next_int(args, ai, r) as u64;
                let s = fmt_unsigned(v, conv, &spec);
                pad(&mut r.out, s.as_bytes(), &spec, spec.prec.is_none());
            }
            b'f' | b'F' | b'e' | b'E' | b'g' | b'G' | b'a' | b'A' => {
                let v = next_float(args, ai, r);
                let s = fmt_float(v, conv, &spec);
                pad(&mut r.out, s.as_bytes(), &spec, v.is_finite());
            }
            _ => {
                r.errors.push(format!("{}: invalid conversion specification", String::from_utf8_lossy(&fmt[start..i])));
                return Flow::Fail;
            }
        }
    }
    Flow::Done
}

#[derive(Default, Clone, Copy)]
struct Flags {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
}

struct Conv {
    flags: Flags,
    width: Option<usize>,
    prec: Option<usize>,
}

/// Pads `s` to the width; `zero_ok` when the `0` flag applies (numbers), the
/// zeros going after a sign or `0x` prefix.
fn pad(o: &mut Vec<u8>, s: &[u8], c: &Conv, zero_ok: bool) {
    let w = c.width.unwrap_or(0);
    if s.len() >= w {
        o.extend_from_slice(s);
        return;
    }
    let fill = w - s.len();
    if c.flags.left {
        o.extend_from_slice(s);
        o.extend(std::iter::repeat_n(b' ', fill));
    } else if c.flags.zero && zero_ok {
        let mut pre = 0;
        if matches!(s.first(), Some(b'-' | b'+' | b' ')) {
            pre = 1;
        }
        if s.len() >= pre + 2 && s[pre] == b'0' && matches!(s[pre + 1], b'x' | b'X') {
            pre += 2;
        }
        o.extend_from_slice(&s[..pre]);
        o.extend(std::iter::repeat_n(b'0', fill));
        o.extend_from_slice(&s[pre..]);
    } else {
        o.extend(std::iter::repeat_n(b' ', fill));
        o.extend_from_slice(s);
    }
}

fn fmt_signed(v: i64, c: &Conv) -> String {
    let mut digits = v.unsigned_abs().to_string();
    if let Some(p) = c.prec {
        if p == 0 && v == 0 {
            digits.clear();
        }
        while digits.len() < p {
            digits.insert(0, '0');
        }
    }
    let sign = if v < 0 {
        "-"
    } else if c.flags.plus {
        "+"
    } else if c.flags.space {
        " "
    } else {
        ""
    };
    format!("{sign}{digits}")
}

fn fmt_unsigned(v: u64, conv: u8, c: &Conv) -> String {
    let mut digits = match conv {
        b'o' => format!("{v:o}"),
        b'x' => format!("{v:x}"),
        b'X' => format!("{v:X}"),
        _ => v.to_string(),
    };
    if let Some(p) = c.prec {
        if p == 0 && v == 0 {
            digits.clear();
        }
        while digits.len() < p {
            digits.insert(0, '0');
        }
    }
    if c.flags.alt {
        match conv {
            b'o' if !digits.starts_with('0') => digits.insert(0, '0'),
            b'x' if v != 0 => digits.insert_str(0, "0x"),
            b'X' if v != 0 => digits.insert_str(0, "0X"),
            _ => {}
        }
    }
    digits
}

/// C's `%e`/`%f`/`%g`/`%a` of an `f64`.
fn fmt_float(v: f64, conv: u8, c: &Conv) -> String {
    let upper = conv.is_ascii_uppercase();
    let sign = if v.is_sign_negative() && !(v.is_nan()) {
        "-"
    } else if c.flags.plus {
        "+"
    } else if c.flags.space {
        " "
    } else {
        ""
    };
    let a = v.abs();
    let body = if a.is_nan() {
        "nan".to_string()
    } else if a.is_infinite() {
        "inf".to_string()
    } else {
        let p = c.prec.unwrap_or(6);
        match conv.to_ascii_lowercase() {
            b'f' => {
                let mut s = format!("{a:.p$}");
                if c.flags.alt && p == 0 {
                    s.push('.');
                }
                s
            }
            b'e' => fmt_exp(a, p, c.flags.alt),
            b'g' => fmt_general(a, p, c.flags.alt),
            _ => fmt_hex(a, c.prec),
        }
    };
    let s = format!("{sign}{body}");
    if upper {
        s.to_uppercase()
    } else {
        s
    }
}

fn fmt_exp(a: f64, p: usize, alt: bool) -> String {
    let s = format!("{a:.p$e}");
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = exp.parse().unwrap_or(0);
    let mut m = mant.to_string();
    if alt && p == 0 {
        m.push('.');
    }
    format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
}

fn fmt_general(a: f64, p: usize, alt: bool) -> String {
    let p = if p == 0 { 1 } else { p };
    let e = if a == 0.0 {
        0
    } else {
        let s = format!("{:.*e}", p - 1, a);
        s.split_once('e').and_then(|(_, x)| x.parse::<i64>().ok()).unwrap_or(0)
    };
    let mut s = if (e as i128) < p as i128 && e >= -4 {
        let fp = (p as i64 - 1 - e).max(0) as usize;
        format!("{a:.fp$}")
    } else {
        fmt_exp(a, p - 1, alt)
    };
    if !alt {
        let (mant, exp) = match s.find('e') {
            Some(i) => (s[..i].to_string(), s[i..].to_string()),
            None => (s.clone(), String::new()),
        };
        let mant = if mant.contains('.') { mant.trim_end_matches('0').trim_end_matches('.').to_string() } else { mant };
        s = format!("{mant}{exp}");
    } else if !s.contains('.') {
        match s.find('e') {
            Some(i) => s.insert(i, '.'),
            None => s.push('.'),
        }
    }
    s
}

fn fmt_hex(a: f64, prec: Option<usize>) -> String {
    if a == 0.0 {
        return match prec {
            Some(p) if p > 0 => format!("0x0.{}p+0", "0".repeat(p)),
            _ => "0x0p+0".into(),
        };
    }
    let bits = a.to_bits();
    let mut exp = ((bits >> 52) & 0x7ff) as i64;
    let mut frac = bits & ((1u64 << 52) - 1);
    let lead = if exp == 0 {
        // subnormal: normalise
        exp = -1022;
        0
    } else {
        exp -= 1023;
        1
    };
    let mut digits = format!("{frac:013x}");
    if let Some(p) = prec {
        if p < 13 {
            let shift = (13 - p) * 4;
            let round = (frac >> (shift - 1)) & 1;
            frac = (frac >> shift) + round;
            digits = if p == 0 { String::new() } else { format!("{frac:0p$x}") };
        } else {
            digits.push_str(&"0".repeat(p - 13));
        }
    } else {
        digits = digits.trim_end_matches('0').to_string();
    }
    let dot = if digits.is_empty() { "" } else { "." };
    format!("0x{lead}{dot}{digits}p{}{}", if exp < 0 { '-' } else { '+' }, exp.abs())
}

fn next_arg<'a>(args: &'a [String], ai: &mut usize) -> &'a str {
    let a = args.get(*ai).map(String::as_str).unwrap_or("");
    if *ai < args.len() {
        *ai += 1;
    }
    a
}

fn next_int(args: &[String], ai: &mut usize, r: &mut Rendered) -> i64 {
    next_number(args, ai, r, parse_int)
}

fn next_float(args: &[String], ai: &mut usize, r: &mut Rendered) -> f64 {
    next_number(args, ai, r, parse_float)
}

/// The next argument as a number (0 when there is none); a bad one is reported as
/// printf reports it (`'x': expected a numeric value`), with the value read so far.
fn next_number<T: Default>(args: &[String], ai: &mut usize, r: &mut Rendered, parse: impl Fn(&str) -> Result<T, (T, &'static str)>) -> T {
    if *ai >= args.len() {
        return T::default();
    }
    let a = next_arg(args, ai);
    match parse(a) {
        Ok(v) => v,
        Err((v, msg)) => {
            r.errors.push(format!("{}: {msg}", quote(a)));
            r.status = 1;
            v
        }
    }
}

/// A numeric argument as `strtoimax` with base detection reads it, or the value
/// GNU uses with the message it prints.
pub fn parse_int(a: &str) -> Result<i64, (i64, &'static str)> {
    if let Some(rest) = a.strip_prefix(['\'', '"']) {
        return match rest.chars().next() {
            Some(ch) => Ok(ch as i64),
            None => Err((0, "expected a numeric value")),
        };
    }
    let t = a.trim_start();
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (base, digits) = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        (16, h)
    } else if t.len() > 1 && t.starts_with('0') {
        (8, &t[1..])
    } else {
        (10, t)
    };
    let n = digits.bytes().take_while(|b| (*b as char).is_digit(base)).count();
    if n == 0 && (base != 8) {
        return Err((0, "expected a numeric value"));
    }
    let mut v: i128 = 0;
    let mut overflow = false;
    for b in digits[..n].bytes() {
        v = v * base as i128 + (b as char).to_digit(base).unwrap_or(0) as i128;
        if v > i64::MAX as i128 + 1 {
            overflow = true;
            v = i64::MAX as i128 + 1;
        }
    }
    let v = if neg { -v } else { v };
    if overflow || v > i64::MAX as i128 || v < i64::MIN as i128 {
        let c = if neg { i64::MIN } else { i64::MAX };
        return Err((c, "Numerical result out of range"));
    }
    if n < digits.len() {
        return Err((v as i64, "value not completely converted"));
    }
    Ok(v as i64)
}

/// A floating-point argument as `strtod` reads it.
pub fn parse_float(a: &str) -> Result<f64, (f64, &'static str)> {
    if let Some(rest) = a.strip_prefix(['\'', '"']) {
        return match rest.chars().next() {
            Some(ch) => Ok(ch as u32 as f64),
            None => Err((0.0, "expected a numeric value")),
        };
    }
    let t = a.trim_start();
    let b = t.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let neg = b.first() == Some(&b'-');
    let lower = t[i..].to_ascii_lowercase();
    for (word, val) in [("infinity", f64::INFINITY), ("inf", f64::INFINITY), ("nan", f64::NAN)] {
        if lower.starts_with(word) {
            let v = if neg { -val } else { val };
            return if lower.len() == word.len() { Ok(v) } else { Err((v, "value not completely converted")) };
        }
    }
    if lower.starts_with("0x") {
        return match parse_int(a) {
            Ok(v) => Ok(v as f64),
            Err((v, m)) => Err((v as f64, m)),
        };
    }
    let start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i == start || (i == start + 1 && b[start] == b'.') {
        return Err((0.0, "expected a numeric value"));
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        let ds = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > ds {
            i = j;
        }
    }
    let v: f64 = t[..i].parse().unwrap_or(0.0);
    if i < b.len() {
        return Err((v, "value not completely converted"));
    }
    Ok(v)
}

/// Up to `max` digits of `radix` from `s[*i..]` after the value `start`: the value and
/// how many digits were read.
fn digits(s: &[u8], i: &mut usize, radix: u32, max: usize, start: u32) -> (u32, usize) {
    let (mut v, mut n) = (start, 0);
    while n < max {
        let Some(d) = s.get(*i).and_then(|d| (*d as char).to_digit(radix)) else { break };
        v = v * radix + d;
        *i += 1;
        n += 1;
    }
    (v, n)
}

/// An escape in the format after its `\`; false for `\c` (stop output).
fn format_escape(fmt: &[u8], i: &mut usize, o: &mut Vec<u8>) -> Result<bool, String> {
    let Some(&c) = fmt.get(*i) else {
        o.push(b'\\');
        return Ok(true);
    };
    *i += 1;
    match c {
        b'0'..=b'7' => o.push(digits(fmt, i, 8, 2, (c - b'0') as u32).0 as u8),
        b'x' => {
            let (v, n) = digits(fmt, i, 16, 2, 0);
            if n == 0 {
                return Err("missing hexadecimal number in escape".into());
            }
            o.push(v as u8);
        }
        b'u' | b'U' => {
            let want = if c == b'u' { 4 } else { 8 };
            let mut v = 0u32;
            for _ in 0..want {
                match fmt.get(*i).and_then(|d| (*d as char).to_digit(16)) {
                    Some(d) => {
                        v = v.wrapping_mul(16).wrapping_add(d);
                        *i += 1;
                    }
                    None => return Err("missing hexadecimal number in escape".into()),
                }
            }
            let ch = char::from_u32(v).ok_or_else(|| format!("invalid universal character name \\{}{v:0want$X}", c as char))?;
            let mut buf = [0u8; 4];
            o.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
        }
        b'c' => return Ok(false),
        _ => match simple_escape(c) {
            Some(b) => o.push(b),
            None => {
                o.push(b'\\');
                o.push(c);
            }
        },
    }
    Ok(true)
}

fn simple_escape(c: u8) -> Option<u8> {
    Some(match c {
        b'\\' => b'\\',
        b'"' => b'"',
        b'\'' => b'\'',
        b'?' => b'?',
        b'a' => 7,
        b'b' => 8,
        b'e' => 27,
        b'f' => 12,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'v' => 11,
        _ => return None,
    })
}

/// The escapes of `%b` (and `echo -e`): `\0NNN` and `\NNN` octal, `\xHH`, the
/// letters; true when `\c` asked to stop all output.
pub fn b_escapes(s: &[u8], o: &mut Vec<u8>) -> bool {
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c != b'\\' || i >= s.len() {
            o.push(c);
            continue;
        }
        let e = s[i];
        i += 1;
        match e {
            b'0'..=b'7' => o.push(digits(s, &mut i, 8, if e == b'0' { 3 } else { 2 }, (e - b'0') as u32).0 as u8),
            b'x' => {
                let (v, n) = digits(s, &mut i, 16, 2, 0);
                if n == 0 {
                    o.extend_from_slice(b"\\x");
                } else {
                    o.push(v as u8);
                }
            }
            b'c' => return true,
            b'"' | b'\'' | b'?' => {
                o.push(b'\\');
                o.push(e);
            }
            _ => match simple_escape(e) {
                Some(b) => o.push(b),
                None => {
                    o.push(b'\\');
                    o.push(e);
                }
            },
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(fmt: &str, args: &[&str]) -> String {
        let a: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        String::from_utf8_lossy(&render(fmt.as_bytes(), &a).out).into_owned()
    }

    #[test]
    fn matches_gnu_printf() {
        assert_eq!(
            r("%d|%i|%5.2f|%-5s|%x|%X|%o|%c|%e|%g|%G|%E\n", &["42", "-7", "3.14159", "ab", "255", "255", "8", "hello", "12345.678", "0.0001", "1e20", "0.5"]),
            "42|-7| 3.14|ab   |ff|FF|10|h|1.234568e+04|0.0001|1E+20|5.000000E-01\n"
        );
        assert_eq!(r("%s\n", &["a", "b"]), "a\nb\n");
        assert_eq!(r("%#x %#o %+d % d %05d %-5d| %.3d\n", &["255", "8", "5", "5", "-42", "7", "7"]), "0xff 010 +5  5 -0042 7    | 007\n");
        assert_eq!(r("%.0f %.0f %.0f %g %g %g %g\n", &["0.5", "1.5", "2.5", "100000", "1000000", "1e-5", "123.456"]), "0 2 2 100000 1e+06 1e-05 123.456\n");
        assert_eq!(r("%u %x\n", &["-1", "-1"]), "18446744073709551615 ffffffffffffffff\n");
        assert_eq!(r("\\101\\x41\\u00e9\n", &[]), "AAé\n");
        assert_eq!(r("%*d|%-*d|%.*f\n", &["5", "1", "4", "2", "2", "3.14159"]), "    1|2   |3.14\n");
        assert_eq!(r("%.3e %10.4g|%-10g|%#g %#.3g %g %g\n", &["0", "3.14159", "2.5", "1", "1", "1e100", "-0.0"]), "0.000e+00      3.142|2.5       |1.00000 1.00 1e+100 -0\n");
        assert_eq!(r("%b|%s\n", &["a\\tb\\0101\\c", "z"]), "a\tbA");
        assert_eq!(r("%d %d %d\n", &["0x1F", "010", "'A"]), "31 8 65\n");
        assert_eq!(r("%.2s|%10.3s|%5.1s|\n", &["abcdef", "abcdef", "xyz"]), "ab|       abc|    x|\n");
        assert_eq!(r("%f %e %g\n", &["inf", "nan", "-inf"]), "inf nan -inf\n");
        assert_eq!(r("%q %q %q\n", &["x", "a b", "it's"]), "x 'a b' \"it's\"\n");
        let x = render(b"%d\n", &["12x".to_string()]);
        assert_eq!((x.out.as_slice(), x.status), (&b"12\n"[..], 1));
        assert_eq!(x.errors, vec!["'12x': value not completely converted".to_string()]);
        let x = render(b"%z\\n", &[]);
        assert_eq!(x.status, 1);
        assert_eq!(x.errors, vec!["%z\\: invalid conversion specification".to_string()]);
    }
}
