//! Go's `strconv.Quote` (the `%q` verb), which BuildKit uses to quote words in its
//! errors (`failed to process "${A": …`) and arguments in `Node.Dump()`.

use super::unicode::is_print;
use std::fmt::Write;

/// Quotes `s` as Go's `strconv.Quote` does: `"` and `\` escaped, printable characters
/// kept (so Korean text stays readable), `\a \b \f \n \r \t \v`, `\xNN` for other ASCII
/// controls, `\uNNNN` / `\UNNNNNNNN` for other unprintable characters.
///
/// ```
/// use dfplay::words::go_quote;
/// assert_eq!(go_quote("a\"b\\c\n한"), r#""a\"b\\c\n한""#);
/// assert_eq!(go_quote("\u{7f}\u{a0}"), r#""\x7f\u00a0""#);
/// ```
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if is_print(c) => out.push(c),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::go_quote;

    #[test]
    fn quotes_as_go_does() {
        assert_eq!(go_quote(""), "\"\"");
        assert_eq!(go_quote("\"abc"), "\"\\\"abc\"");
        assert_eq!(go_quote("${PATH%ab\\}"), "\"${PATH%ab\\\\}\"");
        assert_eq!(go_quote("\0\u{1b}\t"), "\"\\x00\\x1b\\t\"");
        assert_eq!(go_quote("\u{feff}\u{10ffff}"), "\"\\ufeff\\U0010ffff\"");
        assert_eq!(go_quote("안녕 ü"), "\"안녕 ü\"");
    }
}
