//! `fnmatch(3)` for the programs that match names against shell patterns:
//! `find -name/-path`, `grep --include/--exclude`, `tar --exclude`. Bytes,
//! `* ? [...]` with ranges, `!`/`^` negation and `[:class:]`, backslash escapes;
//! `pathname`: `*`, `?` and brackets do not match `/`.

/// Whether `name` matches `pat`. Iterative with one backtrack point per `*`
/// (linear-time in practice, no recursion).
pub fn fnmatch(pat: &[u8], name: &[u8], pathname: bool, icase: bool) -> bool {
    let eq = |a: u8, b: u8| if icase { a.eq_ignore_ascii_case(&b) } else { a == b };
    let (mut p, mut n) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if p < pat.len() {
            match pat[p] {
                b'*' => {
                    while p < pat.len() && pat[p] == b'*' {
                        p += 1;
                    }
                    star = Some((p, n));
                    continue;
                }
                b'?' if n < name.len() && !(pathname && name[n] == b'/') => {
                    p += 1;
                    n += 1;
                    continue;
                }
                b'[' if n < name.len() => {
                    if let Some((matched, len)) = bracket(&pat[p..], name[n], icase) {
                        if matched && !(pathname && name[n] == b'/') {
                            p += len;
                            n += 1;
                            continue;
                        }
                    } else if eq(b'[', name[n]) {
                        // an unterminated bracket is an ordinary `[`
                        p += 1;
                        n += 1;
                        continue;
                    }
                }
                b'\\' if p + 1 < pat.len() && n < name.len() && eq(pat[p + 1], name[n]) => {
                    p += 2;
                    n += 1;
                    continue;
                }
                c if c != b'?' && c != b'[' && c != b'\\' && n < name.len() && eq(c, name[n]) => {
                    p += 1;
                    n += 1;
                    continue;
                }
                b'\\' if p + 1 == pat.len() && n < name.len() && name[n] == b'\\' => {
                    p += 1;
                    n += 1;
                    continue;
                }
                _ => {}
            }
        } else if n == name.len() {
            return true;
        }
        // mismatch: let the last `*` swallow one more byte
        match star {
            Some((sp, sn)) if sn < name.len() && !(pathname && name[sn] == b'/') => {
                star = Some((sp, sn + 1));
                p = sp;
                n = sn + 1;
            }
            _ => return false,
        }
    }
}

/// Matches one byte against the bracket expression at the start of `pat`;
/// `None` when the bracket is not terminated. Returns (matched, length).
fn bracket(pat: &[u8], c: u8, icase: bool) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(pat.get(i), Some(b'!' | b'^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    let test = |lo: u8, hi: u8| {
        if icase {
            let l = c.to_ascii_lowercase();
            let u = c.to_ascii_uppercase();
            (lo <= l && l <= hi) || (lo <= u && u <= hi)
        } else {
            lo <= c && c <= hi
        }
    };
    loop {
        let b = *pat.get(i)?;
        if b == b']' && !first {
            i += 1;
            break;
        }
        first = false;
        if b == b'[' && pat.get(i + 1) == Some(&b':') {
            let rest = &pat[i + 2..];
            if let Some(end) = rest.windows(2).position(|w| w == b":]") {
                let name = &rest[..end];
                let f: fn(u8) -> bool = match name {
                    b"alnum" => |x| x.is_ascii_alphanumeric(),
                    b"alpha" => |x| x.is_ascii_alphabetic(),
                    b"digit" => |x| x.is_ascii_digit(),
                    b"lower" => |x| x.is_ascii_lowercase(),
                    b"upper" => |x| x.is_ascii_uppercase(),
                    b"space" => |x| matches!(x, b' ' | b'\t' | b'\n' | b'\r' | 11 | 12),
                    b"blank" => |x| x == b' ' || x == b'\t',
                    b"punct" => |x| x.is_ascii_punctuation(),
                    b"xdigit" => |x| x.is_ascii_hexdigit(),
                    b"cntrl" => |x| x.is_ascii_control(),
                    b"print" => |x| (0x20..0x7f).contains(&x),
                    b"graph" => |x| x.is_ascii_graphic(),
                    _ => |_| false,
                };
                if f(c) {
                    matched = true;
                }
                i += end + 4;
                continue;
            }
        }
        let mut lo = b;
        if b == b'\\' {
            lo = *pat.get(i + 1)?;
            i += 1;
        }
        i += 1;
        if pat.get(i) == Some(&b'-') && pat.get(i + 1).map(|x| *x != b']').unwrap_or(false) {
            let mut hi = *pat.get(i + 1)?;
            i += 2;
            if hi == b'\\' {
                hi = *pat.get(i)?;
                i += 1;
            }
            if test(lo, hi) {
                matched = true;
            }
        } else if test(lo, lo) {
            matched = true;
        }
    }
    Some((matched != negate, i))
}

#[cfg(test)]
mod tests {
    use super::fnmatch;

    #[test]
    fn matches_like_fnmatch() {
        let m = |p: &str, n: &str| fnmatch(p.as_bytes(), n.as_bytes(), false, false);
        assert!(m("*.txt", "a.txt"));
        assert!(!m("*.txt", "a.txt.gz"));
        assert!(m("a?c", "abc"));
        assert!(m("[a-c]x", "bx"));
        assert!(!m("[!a-c]x", "bx"));
        assert!(m("[[:digit:]]*", "9lives"));
        assert!(m("\\*", "*"));
        assert!(m("*", ""));
        assert!(m("[", "["));
        assert!(m("a*b*c", "aXXbYYc"));
        assert!(!m("a*b*c", "aXXbYY"));
        assert!(!fnmatch(b"*", b"a/b", true, false));
        assert!(fnmatch(b"*.TXT", b"a.txt", false, true));
    }
}
