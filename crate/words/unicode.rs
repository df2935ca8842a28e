//! Go's `unicode.IsLetter`, `unicode.IsDigit` and `unicode.IsSpace`, which BuildKit's
//! lexer uses to read variable names and split words (`IsPrint`, for quoting, is
//! `syntax::go_quote`'s).
//!
//! Exact for ASCII and Latin-1 (the tables Go special-cases) and for every script a
//! Dockerfile is likely to hold (Hangul, CJK, Cyrillic, …). Beyond Latin-1, Rust's std
//! knows Unicode properties but not general categories, so `IsLetter` (category L) is
//! approximated by the Alphabetic property without combining marks, and `IsDigit`
//! (category Nd) by the Numeric property without the few number forms listed here.

/// `unicode.IsSpace`: Go and Rust both use the Unicode White_Space property.
pub fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// `unicode.IsDigit`: a decimal digit (general category Nd).
pub fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    if (c as u32) <= 0xFF {
        // Latin-1 has no Nd besides ASCII digits (², ³, ¹, ¼… are No).
        return false;
    }
    c.is_numeric() && !is_number_form(c)
}

/// `unicode.IsLetter`: a letter (general category L).
pub fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    let u = c as u32;
    if u <= 0xFF {
        // Latin-1 letters: ª µ º À–Ö Ø–ö ø–ÿ.
        return matches!(u, 0xAA | 0xB5 | 0xBA | 0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0xFF);
    }
    c.is_alphabetic() && !is_combining_mark(c) && !is_letter_number(c)
}

/// Combining marks (Mn/Mc/Me) in the blocks where they are common; the Alphabetic
/// property counts many of them, Go's `IsLetter` does not.
fn is_combining_mark(c: char) -> bool {
    let u = c as u32;
    matches!(u,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x05BF | 0x05C1..=0x05C2
        | 0x05C4..=0x05C5 | 0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670
        | 0x06D6..=0x06DC | 0x06DF..=0x06E4 | 0x06E7..=0x06E8 | 0x06EA..=0x06ED
        | 0x0900..=0x0903 | 0x093A..=0x093C | 0x093E..=0x094F | 0x0951..=0x0957
        | 0x0962..=0x0963 | 0x0981..=0x0983 | 0x09BC | 0x09BE..=0x09CD | 0x09D7
        | 0x0A01..=0x0A03 | 0x0A3C..=0x0A51 | 0x0A70..=0x0A71 | 0x0A75 | 0x0A81..=0x0A83
        | 0x0ABC | 0x0ABE..=0x0ACD | 0x0B01..=0x0B03 | 0x0B3C | 0x0B3E..=0x0B57
        | 0x0B82 | 0x0BBE..=0x0BCD | 0x0BD7 | 0x0C00..=0x0C04 | 0x0C3C | 0x0C3E..=0x0C56
        | 0x0C81..=0x0C83 | 0x0CBC | 0x0CBE..=0x0CD6 | 0x0D00..=0x0D03 | 0x0D3B..=0x0D3C
        | 0x0D3E..=0x0D4D | 0x0D57 | 0x0D81..=0x0D83 | 0x0DCA..=0x0DDF | 0x0DF2..=0x0DF3
        | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E | 0x0EB1 | 0x0EB4..=0x0EBC
        | 0x0EC8..=0x0ECE | 0x0F18..=0x0F19 | 0x0F35 | 0x0F37 | 0x0F39 | 0x0F3E..=0x0F3F
        | 0x0F71..=0x0F84 | 0x0F86..=0x0F87 | 0x0F8D..=0x0FBC | 0x102B..=0x103E
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0x302A..=0x302F
        | 0x3099..=0x309A | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F)
}

/// Letter numbers (Nl): Alphabetic and Numeric in Rust, neither letter nor digit in Go.
fn is_letter_number(c: char) -> bool {
    matches!(c as u32, 0x16EE..=0x16F0 | 0x2160..=0x2188 | 0x3007 | 0x3021..=0x3029
        | 0x3038..=0x303A | 0xA6E6..=0xA6EF | 0x10140..=0x10174 | 0x12400..=0x1246E)
}

/// Numeric characters that are not decimal digits (No, Nl) outside Latin-1.
fn is_number_form(c: char) -> bool {
    is_letter_number(c)
        || matches!(c as u32,
            0x2070..=0x2079 | 0x2080..=0x2089 | 0x2150..=0x215F | 0x2189 | 0x2460..=0x249B
            | 0x24EA..=0x24FF | 0x2776..=0x2793 | 0x2CFD | 0x3192..=0x3195 | 0x3220..=0x3229
            | 0x3248..=0x324F | 0x3251..=0x325F | 0x3280..=0x3289 | 0x32B1..=0x32BF
            | 0x09F4..=0x09F9 | 0x0BF0..=0x0BF2 | 0x0F2A..=0x0F33 | 0x1369..=0x137C
            | 0x17F0..=0x17F9 | 0x19DA)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_as_go_reads_them() {
        assert!(is_letter('한') && is_letter('é') && is_letter('ж') && !is_letter('_'));
        assert!(!is_letter('²') && !is_digit('²') && !is_letter('\u{0301}'));
        assert!(is_digit('٣') && is_digit('7') && !is_digit('Ⅻ') && !is_letter('Ⅻ'));
        assert!(is_space('\u{a0}') && is_space('\u{85}') && !is_space('\u{1c}'));
    }
}
