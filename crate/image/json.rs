//! JSON exactly as Go's `encoding/json` writes it, so configs, manifests and
//! indexes have the bytes (and so the digests) Docker and BuildKit would give
//! them: compact, fields in struct order, map keys sorted (use `BTreeMap`),
//! and Go's HTML-safe escaping of `<`, `>`, `&`, U+2028 and U+2029.
//! Also the indented form `docker inspect` prints.

use serde::Serialize;

/// Compact JSON with Go's escaping.
pub fn to_go_vec<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    // Serialising plain data structures cannot fail (no maps with non-string keys here).
    let raw = serde_json::to_vec(value).unwrap_or_default();
    go_escape(raw)
}

/// `json.Indent` with four spaces, as `docker inspect` prints (Go's escaping kept).
pub fn to_go_pretty<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    if value.serialize(&mut ser).is_err() {
        return String::new();
    }
    String::from_utf8(go_escape(out)).unwrap_or_default()
}

/// Rewrites `<`, `>`, `&`, U+2028 and U+2029 as `\u` escapes. These bytes only
/// occur inside strings in JSON text, so a byte-level pass is exact.
fn go_escape(raw: Vec<u8>) -> Vec<u8> {
    if !raw.iter().any(|&b| matches!(b, b'<' | b'>' | b'&' | 0xe2)) {
        return raw;
    }
    let mut out = Vec::with_capacity(raw.len() + 16);
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'<' => out.extend_from_slice(b"\\u003c"),
            b'>' => out.extend_from_slice(b"\\u003e"),
            b'&' => out.extend_from_slice(b"\\u0026"),
            0xe2 if raw.get(i + 1) == Some(&0x80) && matches!(raw.get(i + 2), Some(0xa8 | 0xa9)) => {
                out.extend_from_slice(if raw[i + 2] == 0xa8 { b"\\u2028" } else { b"\\u2029" });
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_go() {
        let v = serde_json::json!({"b": "a > b && c < d\u{2028}", "a": [1, 2]});
        assert_eq!(
            String::from_utf8(to_go_vec(&v)).unwrap(),
            r#"{"a":[1,2],"b":"a \u003e b \u0026\u0026 c \u003c d\u2028"}"#
        );
        assert_eq!(to_go_pretty(&v), "{\n    \"a\": [\n        1,\n        2\n    ],\n    \"b\": \"a \\u003e b \\u0026\\u0026 c \\u003c d\\u2028\"\n}");
    }
}
