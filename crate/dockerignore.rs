//! `.dockerignore` exactly as Docker reads and matches it (moby's `ignorefile` and
//! `patternmatcher`): comments, trimming, `!` re-includes with later lines winning,
//! leading `/` dropped, paths cleaned, `*` and `?` never crossing `/`, `**` crossing
//! any number of directories, `[...]` classes, `\` escapes, and a pattern that
//! matches a directory excluding everything below it.

use crate::vfs::path;

/// One pattern line after Docker's normalisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// The cleaned pattern text, without the `!`.
    pub text: String,
    /// A `!` line: re-includes what earlier lines excluded.
    pub exclusion: bool,
    /// 1-based line in the file.
    pub line: usize,
}

/// The patterns of a `.dockerignore`, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dockerignore {
    pub patterns: Vec<Pattern>,
}

/// A pattern Docker would reject.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(".dockerignore:{line}: {message}")]
pub struct IgnoreError {
    pub line: usize,
    pub message: String,
}

/// Most patterns read from one file (a bound on matching work).
const MAX_PATTERNS: usize = 10_000;

/// Go's `filepath.Clean` (`path.Clean`) for slash paths.
pub(crate) fn go_clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|l| *l != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            c => out.push(c),
        }
    }
    let body = out.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

impl Dockerignore {
    /// Reads a `.dockerignore` as moby's `ignorefile.ReadAll` does.
    pub fn parse(text: &str) -> Result<Dockerignore, IgnoreError> {
        let mut patterns = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let raw = if i == 0 { raw.trim_start_matches('\u{feff}') } else { raw };
            if raw.starts_with('#') {
                continue;
            }
            let mut p = raw.trim();
            if p.is_empty() {
                continue;
            }
            let exclusion = p.starts_with('!');
            if exclusion {
                p = p[1..].trim();
                if p.is_empty() {
                    return Err(IgnoreError { line, message: "illegal exclusion pattern: \"!\"".into() });
                }
            }
            let mut text = go_clean(p);
            if text.len() > 1 && text.starts_with('/') {
                text = text[1..].to_string();
            }
            check_syntax(&text).map_err(|message| IgnoreError { line, message })?;
            patterns.push(Pattern { text, exclusion, line });
            if patterns.len() > MAX_PATTERNS {
                return Err(IgnoreError { line, message: format!("too many patterns (the playground reads at most {MAX_PATTERNS})") });
            }
        }
        Ok(Dockerignore { patterns })
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether `rel` (a path relative to the context root, `/`-separated, without
    /// a leading `/`) is excluded, as `MatchesOrParentMatches` decides: a pattern
    /// also matches when it matches one of the path's parent directories.
    pub fn excludes(&self, rel: &str) -> bool {
        self.matches_or_parent_matches(&go_clean(rel.trim_start_matches('/')))
    }

    /// moby's `PatternMatcher.MatchesOrParentMatches` for an already cleaned `file`
    /// (which may be rooted): later patterns win, `!` patterns re-include, and a pattern
    /// also matches when it matches one of the file's parent directories.
    pub(crate) fn matches_or_parent_matches(&self, file: &str) -> bool {
        let parent = match file.rfind('/') {
            Some(0) => "/",
            Some(i) => &file[..i],
            None => ".",
        };
        let mut matched = false;
        for p in &self.patterns {
            if p.exclusion != matched {
                continue;
            }
            // `parent`, then each of its prefixes ending before a `/` (moby joins
            // `strings.Split(parent, "/")[:i+1]`, which is the same list).
            let m = pattern_match(&p.text, file)
                || (parent != "."
                    && (parent.char_indices().any(|(i, c)| c == '/' && pattern_match(&p.text, &parent[..i]))
                        || pattern_match(&p.text, parent)));
            if m {
                matched = !p.exclusion;
            }
        }
        matched
    }

    /// The pattern that decides `rel`'s fate, if any (for showing why a file is excluded).
    pub fn deciding_pattern(&self, rel: &str) -> Option<&Pattern> {
        let excluded = self.excludes(rel);
        self.patterns.iter().rev().find(|p| p.exclusion != excluded && (pattern_match(&p.text, rel) || parents(rel).any(|d| pattern_match(&p.text, d))))
    }
}

fn parents(rel: &str) -> impl Iterator<Item = &str> {
    rel.char_indices().filter(|(_, c)| *c == '/').map(move |(i, _)| &rel[..i])
}

/// Rejects what Go's `filepath.Match` rejects: an unclosed `[` class or a
/// trailing escape inside one.
fn check_syntax(p: &str) -> Result<(), String> {
    let b = p.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'[' => {
                let mut j = i + 1;
                if j < b.len() && b[j] == b'^' {
                    j += 1;
                }
                let mut closed = false;
                let mut first = true;
                while j < b.len() {
                    if b[j] == b'\\' {
                        j += 2;
                        first = false;
                        continue;
                    }
                    if b[j] == b']' && !first {
                        closed = true;
                        break;
                    }
                    first = false;
                    j += 1;
                }
                if !closed {
                    return Err("syntax error in pattern".into());
                }
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    Ok(())
}

/// One element of a compiled pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Lit(char),
    /// `?`: any character but `/`.
    Any,
    /// `*`: any run without `/`.
    Star,
    /// `**` not at the end: moby's `(.*/)?` — nothing, or anything ending in `/`.
    Dirs,
    /// `**` at the end of the pattern: anything.
    Rest,
    /// `[...]`: ranges, negated with `^`.
    Class { negate: bool, ranges: Vec<(char, char)> },
}

fn compile(pattern: &str) -> Vec<Tok> {
    let p: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            '*' if i + 1 < p.len() && p[i + 1] == '*' => {
                i += 2;
                if i < p.len() && p[i] == '/' {
                    i += 1;
                }
                out.push(if i >= p.len() { Tok::Rest } else { Tok::Dirs });
                continue;
            }
            '*' => out.push(Tok::Star),
            '?' => out.push(Tok::Any),
            '\\' if i + 1 < p.len() => {
                i += 1;
                out.push(Tok::Lit(p[i]));
            }
            '[' => {
                let mut j = i + 1;
                let negate = j < p.len() && p[j] == '^';
                if negate {
                    j += 1;
                }
                let mut ranges = Vec::new();
                let mut first = true;
                while j < p.len() && (p[j] != ']' || first) {
                    first = false;
                    let mut lo = p[j];
                    if lo == '\\' && j + 1 < p.len() {
                        j += 1;
                        lo = p[j];
                    }
                    let mut hi = lo;
                    if j + 2 < p.len() && p[j + 1] == '-' && p[j + 2] != ']' {
                        j += 2;
                        hi = p[j];
                        if hi == '\\' && j + 1 < p.len() {
                            j += 1;
                            hi = p[j];
                        }
                    }
                    ranges.push((lo, hi));
                    j += 1;
                }
                if j >= p.len() {
                    out.push(Tok::Lit('['));
                } else {
                    out.push(Tok::Class { negate, ranges });
                    i = j;
                }
            }
            c => out.push(Tok::Lit(c)),
        }
        i += 1;
    }
    out
}

/// Matches a whole path against a pattern with moby's semantics: `*` and `?` stop
/// at `/`, `**/` (or `**` inside a pattern) matches zero or more whole directories,
/// a trailing `**` matches anything, a leading `**` before only literal text
/// matches any path ending in that text, `[...]` classes, `\x` a literal `x`.
/// Linear in pattern length times path length; no recursion.
pub fn pattern_match(pattern: &str, name: &str) -> bool {
    let toks = compile(pattern);
    if let [Tok::Dirs, rest @ ..] = toks.as_slice() {
        if rest.iter().all(|t| matches!(t, Tok::Lit(_))) {
            // moby's suffixMatch: `**foo` or `**/foo`
            let suffix: String = pattern.trim_start_matches('*').to_string();
            return name.ends_with(&suffix) || suffix.strip_prefix('/').is_some_and(|s| name == s);
        }
    }
    let s: Vec<char> = name.chars().collect();
    let n = s.len();
    // next[si]: does toks[ti+1..] match s[si..]?  Computed from the end.
    let mut next = vec![false; n + 1];
    next[n] = true;
    let mut cur = vec![false; n + 1];
    for tok in toks.iter().rev() {
        let mut any_after_slash = false; // for Dirs: some k >= si with s[k] == '/' and next[k+1]
        for si in (0..=n).rev() {
            let c = s.get(si).copied();
            cur[si] = match tok {
                Tok::Lit(l) => c == Some(*l) && next[si + 1],
                Tok::Any => c.is_some_and(|c| c != '/') && next[si + 1],
                Tok::Class { negate, ranges } => {
                    c.is_some_and(|c| ranges.iter().any(|(lo, hi)| *lo <= c && c <= *hi) != *negate) && next[si + 1]
                }
                Tok::Star => next[si] || (c.is_some_and(|c| c != '/') && cur[si + 1]),
                Tok::Rest => true,
                Tok::Dirs => {
                    if c == Some('/') && next[si + 1] {
                        any_after_slash = true;
                    }
                    next[si] || any_after_slash
                }
            };
        }
        std::mem::swap(&mut cur, &mut next);
    }
    next[0]
}

/// The path relative to the context root for an absolute context path.
pub fn relative(abs: &str) -> &str {
    let r = abs.trim_start_matches('/');
    if r.is_empty() {
        "."
    } else {
        r
    }
}

/// Normalises a path the way the matcher does (exposed for callers that key maps by it).
pub fn normalize(rel: &str) -> String {
    go_clean(&path::normalize(rel)).trim_start_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_004_rules() {
        let d = Dockerignore::parse("# comments are ignored\ntest2.html\ntest.htm?\n*/*.html\n!docs/a.html\n").unwrap();
        for (p, ex) in [
            ("keep.txt", false),
            ("index.htm", false),
            ("Dockerfile.note", false),
            ("docs/a.html", false),
            ("site/pages/c.html", false),
            ("test2.html", true),
            ("test.htm1", true),
            ("test.htmx", true),
            ("site/b.html", true),
            ("test.html", true),
        ] {
            assert_eq!(d.excludes(p), ex, "{p}");
        }
    }

    #[test]
    fn directories_and_double_star() {
        let d = Dockerignore::parse("node_modules\n**/*.log\n/build/\n!build/keep\n").unwrap();
        assert!(d.excludes("node_modules/x/y.js"));
        assert!(d.excludes("a/b/c.log"));
        assert!(d.excludes("c.log"));
        assert!(d.excludes("build/out.o"));
        assert!(!d.excludes("build/keep"));
        assert!(!d.excludes("src/main.rs"));
        let d = Dockerignore::parse("*\n!src\n").unwrap();
        assert!(d.excludes("Dockerfile"));
        assert!(!d.excludes("src"));
        assert!(!d.excludes("src/a.rs"));
        assert!(Dockerignore::parse("!\n").is_err());
        assert!(Dockerignore::parse("[a\n").is_err());
        assert!(pattern_match("[a-c]x", "bx"));
        assert!(!pattern_match("[^a-c]x", "bx"));
        assert!(pattern_match("a/**/b", "a/b"));
        assert!(pattern_match("a/**/b", "a/x/y/b"));
        assert!(pattern_match("**/foo", "foo") && pattern_match("**/foo", "a/foo") && !pattern_match("**/foo", "afoo"));
        assert!(pattern_match("abc/**", "abc/x/y"));
        assert!(pattern_match("a**b", "a/x/b") && !pattern_match("a**b", "axb"));
        assert!(pattern_match("\\*", "*"));
    }

    #[test]
    fn bounded_on_hostile_patterns() {
        let p = "*a".repeat(200);
        let s = "a".repeat(5000) + "b";
        assert!(!pattern_match(&p, &s));
        let p = "**".repeat(100) + "x";
        assert!(!pattern_match(&p, &"y/".repeat(1000)));
    }
}
