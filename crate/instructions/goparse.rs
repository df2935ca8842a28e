//! Go's value parsers whose error messages BuildKit passes on verbatim: `time.ParseDuration`,
//! `strconv.ParseInt`/`ParseUint`/`ParseBool`, `units.RAMInBytes`, and BuildKit's
//! `suggest` ("did you mean ...?", Levenshtein distance below 3).

use crate::syntax::{go_lower, go_quote};

/// Go's `time.ParseDuration`: nanoseconds, or Go's error message.
pub fn parse_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", go_quote(orig));
    let mut s = orig.as_bytes();
    let mut neg = false;
    if let Some(&c) = s.first() {
        if c == b'-' || c == b'+' {
            neg = c == b'-';
            s = &s[1..];
        }
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut d: u64 = 0;
    while !s.is_empty() {
        if !(s[0] == b'.' || s[0].is_ascii_digit()) {
            return Err(invalid());
        }
        // Integer part.
        let digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
        let pre = digits > 0;
        let mut v: u64 = 0;
        for &c in &s[..digits] {
            if v > (1u64 << 63) / 10 {
                return Err(invalid());
            }
            v = v * 10 + u64::from(c - b'0');
            if v > 1u64 << 63 {
                return Err(invalid());
            }
        }
        s = &s[digits..];
        // Fraction.
        let mut f: u64 = 0;
        let mut scale: f64 = 1.0;
        let mut post = false;
        if s.first() == Some(&b'.') {
            s = &s[1..];
            let n = s.iter().take_while(|c| c.is_ascii_digit()).count();
            let mut overflow = false;
            for &c in &s[..n] {
                if overflow {
                    continue;
                }
                if f > (i64::MAX as u64) / 10 {
                    overflow = true;
                    continue;
                }
                let y = f * 10 + u64::from(c - b'0');
                if y > 1u64 << 63 {
                    overflow = true;
                    continue;
                }
                f = y;
                scale *= 10.0;
            }
            post = n > 0;
            s = &s[n..];
        }
        if !pre && !post {
            return Err(invalid());
        }
        // Unit.
        let u = s.iter().take_while(|&&c| c != b'.' && !c.is_ascii_digit()).count();
        if u == 0 {
            return Err(format!("time: missing unit in duration {}", go_quote(orig)));
        }
        let unit_text = &s[..u];
        s = &s[u..];
        let unit: u64 = match unit_text {
            b"ns" => 1,
            b"us" | b"\xc2\xb5s" | b"\xce\xbcs" => 1_000,
            b"ms" => 1_000_000,
            b"s" => 1_000_000_000,
            b"m" => 60_000_000_000,
            b"h" => 3_600_000_000_000,
            _ => {
                let shown = String::from_utf8_lossy(unit_text);
                return Err(format!("time: unknown unit {} in duration {}", go_quote(&shown), go_quote(orig)));
            }
        };
        if v > (1u64 << 63) / unit {
            return Err(invalid());
        }
        v *= unit;
        if f > 0 {
            v += (f as f64 * (unit as f64 / scale)) as u64;
            if v > 1u64 << 63 {
                return Err(invalid());
            }
        }
        d += v;
        if d > 1u64 << 63 {
            return Err(invalid());
        }
    }
    if neg {
        return Ok((d as i64).wrapping_neg());
    }
    if d > i64::MAX as u64 {
        return Err(invalid());
    }
    Ok(d as i64)
}

/// Go's `time.Duration.String()` for the few values BuildKit prints (`1ms`).
pub fn duration_string(nanos: i64) -> String {
    match nanos {
        0 => "0s".into(),
        n if n % 1_000_000_000 == 0 => format!("{}s", n / 1_000_000_000),
        n if n % 1_000_000 == 0 => format!("{}ms", n / 1_000_000),
        n if n % 1_000 == 0 => format!("{}µs", n / 1_000),
        n => format!("{n}ns"),
    }
}

fn num_error(func: &str, s: &str, range: bool) -> String {
    let what = if range { "value out of range" } else { "invalid syntax" };
    format!("strconv.{func}: parsing {}: {what}", go_quote(s))
}

/// Go's `strconv.ParseInt(s, 10, bits)`.
pub fn parse_int(s: &str, bits: u32) -> Result<i64, String> {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err(num_error("ParseInt", s, false));
    }
    let max = 1i128 << (bits - 1);
    let mut v: i128 = 0;
    for c in digits.bytes() {
        v = v * 10 + i128::from(c - b'0');
        if v > max {
            return Err(num_error("ParseInt", s, true));
        }
    }
    let v = if neg { -v } else { v };
    if v >= max || v < -max {
        return Err(num_error("ParseInt", s, true));
    }
    Ok(v as i64)
}

/// Go's `strconv.ParseUint(s, base, bits)` for base 8 or 10.
pub fn parse_uint(s: &str, base: u32, bits: u32) -> Result<u64, String> {
    if s.is_empty() || !s.chars().all(|c| c.is_digit(base)) {
        return Err(num_error("ParseUint", s, false));
    }
    let max = (1u128 << bits) - 1;
    let mut v: u128 = 0;
    for c in s.chars() {
        v = v * u128::from(base) + u128::from(c.to_digit(base).unwrap_or(0));
        if v > max {
            return Err(num_error("ParseUint", s, true));
        }
    }
    Ok(v as u64)
}

/// Go's `strconv.ParseBool`.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// docker/go-units `RAMInBytes`: `64m`, `1.5g`, `100`, `2GiB` (binary multiples).
pub fn ram_in_bytes(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let mut i = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if i == 0 {
        return None;
    }
    while b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    let number = &s[..i];
    if b.get(i) == Some(&b' ') {
        i += 1;
    }
    let mul: f64 = match b.get(i).map(u8::to_ascii_lowercase) {
        Some(u @ (b'k' | b'm' | b'g' | b't' | b'p')) => {
            i += 1;
            let p = match u {
                b'k' => 1,
                b'm' => 2,
                b'g' => 3,
                b't' => 4,
                _ => 5,
            };
            1024f64.powi(p)
        }
        _ => 1.0,
    };
    if matches!(b.get(i), Some(b'i' | b'I')) {
        i += 1;
    }
    if matches!(b.get(i), Some(b'b' | b'B')) {
        i += 1;
    }
    if i != b.len() {
        return None;
    }
    let v: f64 = number.parse().ok()?;
    Some((v * mul) as i64)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// BuildKit's `suggest.Search`: the closest option at distance < 3, `None` on an exact
/// match. Without case sensitivity the answer takes the value's casing when it is all
/// lower or all upper case.
pub fn suggest(val: &str, options: &[&str], case_sensitive: bool) -> Option<String> {
    let v = if case_sensitive { val.to_owned() } else { go_lower(val) };
    let mut best = None;
    let mut min = 3;
    for opt in options {
        let o = if case_sensitive { (*opt).to_owned() } else { go_lower(opt) };
        if v == o {
            return None;
        }
        let d = levenshtein(&v, &o);
        if d < min {
            min = d;
            best = Some(if case_sensitive {
                o
            } else if val == go_lower(val) {
                o
            } else if val == crate::syntax::go_upper(val) {
                crate::syntax::go_upper(&o)
            } else {
                o
            });
        }
    }
    best
}

/// `message` with BuildKit's ` (did you mean X?)` when a suggestion exists.
pub fn with_suggestion(message: String, val: &str, options: &[&str], case_sensitive: bool) -> String {
    match suggest(val, options, case_sensitive) {
        Some(s) => format!("{message} (did you mean {s}?)"),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("5s"), Ok(5_000_000_000));
        assert_eq!(parse_duration("1h2m3.5s"), Ok(3_723_500_000_000));
        assert_eq!(parse_duration("-1.5ms"), Ok(-1_500_000));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("1").unwrap_err(), r#"time: missing unit in duration "1""#);
        assert_eq!(parse_duration("1q").unwrap_err(), r#"time: unknown unit "q" in duration "1q""#);
        assert_eq!(parse_duration("x").unwrap_err(), r#"time: invalid duration "x""#);
        assert_eq!(parse_duration("99999999999h").unwrap_err(), r#"time: invalid duration "99999999999h""#);
        assert_eq!(duration_string(1_000_000), "1ms");
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_int("3", 32), Ok(3));
        assert_eq!(parse_int("-3", 32), Ok(-3));
        assert_eq!(parse_int("x", 32).unwrap_err(), r#"strconv.ParseInt: parsing "x": invalid syntax"#);
        assert_eq!(parse_int("2147483648", 32).unwrap_err(), r#"strconv.ParseInt: parsing "2147483648": value out of range"#);
        assert_eq!(parse_int("-2147483648", 32), Ok(-2147483648));
        assert_eq!(parse_uint("0755", 8, 32), Ok(0o755));
        assert!(parse_uint("0789", 8, 32).is_err());
        assert_eq!(ram_in_bytes("64m"), Some(64 << 20));
        assert_eq!(ram_in_bytes("1.5 GiB"), Some(3 << 29));
        assert_eq!(ram_in_bytes("foo"), None);
    }

    #[test]
    fn suggestions() {
        let names: Vec<&str> = crate::syntax::Keyword::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(suggest("FOOO", &names, false).as_deref(), Some("FROM"));
        assert_eq!(suggest("runn", &names, false).as_deref(), Some("run"));
        assert_eq!(suggest("Runn", &names, false).as_deref(), Some("run"));
        assert_eq!(suggest("RUN", &names, false), None);
        assert_eq!(suggest("foo", &["from", "chown"], true).as_deref(), Some("from"));
    }
}
