//! Word-at-a-time byte scanning: the parser's hot loops read eight bytes per step (plain
//! integer arithmetic on `u64`, no `unsafe`, no SIMD intrinsics, so the same code serves
//! wasm32) to find where a run of ordinary bytes ends.
//!
//! Each mask below sets the high bit of matching bytes; the lowest set bit is always exact
//! (higher ones may be false positives from borrows), which is all a forward scan needs.

use super::text::class;

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The eight bytes at `b[i..i + 8]` as a little-endian word (the caller checks the bound).
#[inline(always)]
fn word(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(w)
}

/// Bytes of `w` equal to `c`.
#[inline(always)]
fn eq_mask(w: u64, c: u8) -> u64 {
    let x = w ^ (LO * u64::from(c));
    x.wrapping_sub(LO) & !x & HI
}

/// Bytes of `w` below `n` (`n <= 0x80`).
#[inline(always)]
fn lt_mask(w: u64, n: u8) -> u64 {
    w.wrapping_sub(LO * u64::from(n)) & !w & HI
}

/// The index of the lowest flagged byte of a non-zero mask.
#[inline(always)]
fn first(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// The first index in `from..hi` whose byte has a class bit in `stop`, or `hi`. `coarse`
/// flags, eight bytes at a time, a superset of those bytes (and may flag others, which are
/// then checked one by one).
#[inline(always)]
fn scan_until(b: &[u8], mut i: usize, hi: usize, stop: u8, coarse: impl Fn(u64) -> u64) -> usize {
    while i + 8 <= hi {
        let m = coarse(word(b, i));
        if m == 0 {
            i += 8;
            continue;
        }
        let k = i + first(m);
        if class::OF[b[k] as usize] & stop != 0 {
            return k;
        }
        i = k + 1;
    }
    while i < hi && class::OF[b[i] as usize] & stop == 0 {
        i += 1;
    }
    i
}

/// The first index in `from..hi` holding BuildKit's `reWhitespace` (`[\t\v\f\r ]`), or `hi`.
#[inline]
pub(crate) fn to_re_ws(b: &[u8], from: usize, hi: usize) -> usize {
    scan_until(b, from, hi, class::RE_WS, |w| lt_mask(w, 0x21))
}

/// The first index in `from..hi` that ends a plain word (ASCII white space, a non-ASCII
/// byte, a quote or the escape character `esc`), or `hi`.
#[inline]
pub(crate) fn to_word_end(b: &[u8], from: usize, hi: usize, esc: u8) -> usize {
    let stop = class::ASCII_WS | class::HIGH | class::QUOTE | class::escape(esc);
    scan_until(b, from, hi, stop, |w| {
        lt_mask(w, 0x21) | (w & HI) | eq_mask(w, b'"') | eq_mask(w, b'\'') | eq_mask(w, esc)
    })
}

/// The first index in `from..hi` holding `x` or `y`, or `hi`.
#[inline]
pub(crate) fn to_either(b: &[u8], mut i: usize, hi: usize, x: u8, y: u8) -> usize {
    while i + 8 <= hi {
        let m = eq_mask(word(b, i), x) | eq_mask(word(b, i), y);
        if m != 0 {
            return i + first(m);
        }
        i += 8;
    }
    while i < hi && b[i] != x && b[i] != y {
        i += 1;
    }
    i
}

/// The first index in `from..hi` holding `c`.
#[inline]
pub(crate) fn find(b: &[u8], from: usize, hi: usize, c: u8) -> Option<usize> {
    let i = to_either(b, from, hi, c, c);
    (i < hi).then_some(i)
}

/// The first index at or after `from` whose byte ends a plain run of a JSON string (`"`,
/// `\\` or a control character below 0x20), or the end.
#[inline]
pub(crate) fn to_json_special(b: &[u8], mut i: usize) -> usize {
    while i + 8 <= b.len() {
        let w = word(b, i);
        let m = eq_mask(w, b'"') | eq_mask(w, b'\\') | lt_mask(w, 0x20);
        if m != 0 {
            return i + first(m);
        }
        i += 8;
    }
    while i < b.len() && !matches!(b[i], b'"' | b'\\' | 0..=0x1F) {
        i += 1;
    }
    i
}

/// The next `\n` at or after `from` (or the end), and whether the bytes before it are ASCII.
#[inline]
pub(crate) fn find_newline(b: &[u8], from: usize) -> (Option<usize>, bool) {
    let mut i = from;
    let mut high = 0u64;
    while i + 8 <= b.len() {
        let w = word(b, i);
        let m = eq_mask(w, b'\n');
        if m != 0 {
            let k = first(m);
            high |= w & ((1u64 << (8 * k)) - 1);
            return (Some(i + k), high & HI == 0);
        }
        high |= w;
        i += 8;
    }
    let mut ascii = high & HI == 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            return (Some(i), ascii);
        }
        ascii &= c < 0x80;
        i += 1;
    }
    (None, ascii)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newlines_and_ascii() {
        let s = b"0123456789abcdefghij\nklmnop\xc3\xa9qrstuvwxyz0123456789ABCDEF\nshort\n\n\xff tail";
        for from in 0..=s.len() {
            let nl = s[from..].iter().position(|&c| c == b'\n').map(|i| from + i);
            let ascii = s[from..nl.unwrap_or(s.len())].is_ascii();
            assert_eq!(find_newline(s, from), (nl, ascii), "from {from}");
        }
    }

    /// The scans agree with a byte-by-byte reference on every start and end.
    #[test]
    fn scans_match_the_byte_loop() {
        let samples: [&[u8]; 5] = [
            b"RUN --mount=type=cache,target=/root/.cache \\ pip\x01install \"a b\" 'c'\t\x0bx\x0cy\rz",
            b"abcdefghijklmnopqrstuvwxyz0123456789 `escaped`  \xc2\xa0tail",
            b"\x00\x1f\x20\x21\x7f\x80\xff--x=y",
            b"",
            b"             ",
        ];
        for s in samples {
            for from in 0..=s.len() {
                let special = (from..s.len()).find(|&i| matches!(s[i], b'"' | b'\\' | 0..=0x1F)).unwrap_or(s.len());
                assert_eq!(to_json_special(s, from), special);
                for hi in from..=s.len() {
                    let reference = |stop: u8| (from..hi).find(|&i| class::OF[s[i] as usize] & stop != 0).unwrap_or(hi);
                    assert_eq!(to_re_ws(s, from, hi), reference(class::RE_WS));
                    let either = (from..hi).find(|&i| s[i] == b'"' || s[i] == b'\\').unwrap_or(hi);
                    assert_eq!(to_either(s, from, hi, b'"', b'\\'), either);
                    for esc in [b'\\', b'`'] {
                        let stop = class::ASCII_WS | class::HIGH | class::QUOTE | class::escape(esc);
                        assert_eq!(to_word_end(s, from, hi, esc), reference(stop));
                    }
                }
            }
        }
    }
}
