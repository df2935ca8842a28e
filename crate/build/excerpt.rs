//! The Dockerfile excerpt BuildKit prints under an error:
//!
//! ```text
//! Dockerfile:3
//! --------------------
//!    2 |     RUN echo one
//!    3 | >>> RUN echo start && \
//!    4 | >>>     exit 3
//!    5 |     RUN echo never
//! --------------------
//! ```
//!
//! Same padding rule as BuildKit's `errdefs.Source.Print`: four lines of context
//! around a one-line range, two around a longer one.

/// Renders the excerpt of `text` for the 1-based inclusive line range.
pub fn render(filename: &str, text: &str, start: usize, end: usize) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    if start < 1 || start > lines.len() {
        return String::new();
    }
    let end = end.clamp(start, lines.len());
    let pad = if end == start { 4 } else { 2 };
    let (mut s, mut e, mut p) = (start, end, 0);
    while p < pad {
        if s > 1 {
            s -= 1;
            p += 1;
        }
        if e != lines.len() {
            e += 1;
            p += 1;
        }
        p += 1;
    }
    let mut out = format!("{filename}:{start}\n--------------------\n");
    for i in s..=e {
        let pfx = if i >= start && i <= end { ">>>" } else { "   " };
        out.push_str(&format!(" {i:>3} | {pfx} {}\n", lines[i - 1].trim_end_matches('\r')));
    }
    out.push_str("--------------------\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_buildkit() {
        let df = "FROM alpine\nRUN echo one\nRUN echo start && \\\n    exit 3\nRUN echo never\n";
        assert_eq!(
            render("Dockerfile", df, 3, 4),
            "Dockerfile:3\n--------------------\n   2 |     RUN echo one\n   3 | >>> RUN echo start && \\\n   4 | >>>     exit 3\n   5 |     RUN echo never\n--------------------\n"
        );
        assert_eq!(
            render("Dockerfile", "FROM alpine\nCOPY missing.txt /x\n", 2, 2),
            "Dockerfile:2\n--------------------\n   1 |     FROM alpine\n   2 | >>> COPY missing.txt /x\n   3 |     \n--------------------\n"
        );
        assert_eq!(render("Dockerfile", "x", 5, 5), "");
    }
}
