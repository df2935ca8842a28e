//! Which rules run: BuildKit's check options (`skip=…;experimental=…;error=…`) as the
//! `# check=` parser directive, the `BUILDKIT_DOCKERFILE_CHECK` build arg and a `# check=`
//! comment above one instruction give them, read with BuildKit's exact rules
//! (`linter.ParseLintOptions`, `parser.ParseDirective`, `WithMergedConfigFromComments`).
//!
//! ```
//! use dfplay::lint::CheckConfig;
//! let c = CheckConfig::parse("skip=JSONArgsRecommended, StageNameCasing;error=true").unwrap();
//! assert_eq!(c.skip, ["JSONArgsRecommended", "StageNameCasing"]);
//! assert!(c.error);
//! assert_eq!(CheckConfig::parse("skip").unwrap_err(), r#"invalid check option "skip""#);
//! ```

use super::rules::RuleInfo;
use crate::syntax::go_quote;
use serde::Serialize;
use std::borrow::Cow;

/// BuildKit's `linter.Config`: which rules to skip or enable, and whether warnings fail.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CheckConfig {
    /// `skip=all`: no (non-experimental) rule runs.
    pub skip_all: bool,
    /// `skip=A,B`: these rules do not run.
    pub skip: Vec<String>,
    /// `experimental=all`: every experimental rule runs.
    pub experimental_all: bool,
    /// `experimental=A,B`: these experimental rules run.
    pub experimental: Vec<String>,
    /// `error=true`: a warning fails the build (and `dfplay lint`).
    pub error: bool,
}

/// Go's `strings.TrimSpace` (Unicode white space, as Rust's `trim`).
fn trim_space(s: &str) -> &str {
    s.trim()
}

/// Go's `strconv.ParseBool`.
fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

fn list(v: &str) -> Vec<String> {
    v.split(',').map(|r| trim_space(r).to_owned()).collect()
}

impl CheckConfig {
    /// BuildKit's `ParseLintOptions`: `skip=<rules|all>;experimental=<rules|all>;error=<bool>`
    /// (at most three parts). Errors are BuildKit's messages.
    pub fn parse(s: &str) -> Result<CheckConfig, String> {
        let s = trim_space(s);
        let mut c = CheckConfig::default();
        if s.is_empty() {
            return Ok(c);
        }
        for part in s.splitn(3, ';') {
            let Some((k, v)) = part.split_once('=') else {
                return Err(format!("invalid check option {}", go_quote(part)));
            };
            match trim_space(k) {
                "skip" => {
                    let v = trim_space(v);
                    if v == "all" {
                        c.skip_all = true;
                    } else {
                        c.skip = list(v);
                    }
                }
                "experimental" => {
                    let v = trim_space(v);
                    if v == "all" {
                        c.experimental_all = true;
                    } else {
                        c.experimental = list(v);
                    }
                }
                "error" => {
                    let v = trim_space(v);
                    c.error = parse_bool(v).ok_or_else(|| {
                        format!(
                            "failed to parse check option {}: strconv.ParseBool: parsing {}: invalid syntax",
                            go_quote(part),
                            go_quote(v)
                        )
                    })?;
                }
                k => return Err(format!("invalid check option {}", go_quote(k))),
            }
        }
        Ok(c)
    }

    /// BuildKit's `WithMergedConfig`: skips and experimental rules add up; `error` stays.
    pub fn merged(&self, other: &CheckConfig) -> CheckConfig {
        let mut c = self.clone();
        c.skip_all |= other.skip_all;
        c.experimental_all |= other.experimental_all;
        c.skip.extend(other.skip.iter().cloned());
        c.experimental.extend(other.experimental.iter().cloned());
        c
    }

    /// Whether `rule` runs under this configuration (BuildKit's `Linter.Run` test).
    pub fn runs(&self, rule: &RuleInfo) -> bool {
        if rule.experimental {
            self.experimental_all || self.experimental.iter().any(|r| r == rule.name)
        } else {
            !self.skip_all && !self.skip.iter().any(|r| r == rule.name)
        }
    }

    /// The configuration for one instruction: BuildKit's `WithMergedConfigFromComments`
    /// over the comment lines just above it (as `PrevComment` holds them: text after
    /// the `#`, trimmed). The first `check=` comment is merged; an invalid one is ignored.
    pub fn for_comments<'c, S: AsRef<str>>(&'c self, comments: &[S]) -> Cow<'c, CheckConfig> {
        for comment in comments {
            let Some((name, value)) = directive(comment.as_ref().as_bytes()) else { continue };
            if name != "check" {
                continue;
            }
            let first = value.split(' ').next().unwrap_or("");
            return match CheckConfig::parse(first) {
                Ok(other) => Cow::Owned(self.merged(&other)),
                Err(_) => Cow::Borrowed(self),
            };
        }
        Cow::Borrowed(self)
    }
}

/// Where the configuration of a check came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Directive {
    /// The value's first space-separated word (what BuildKit parses).
    pub value: String,
    /// 1-based line of the directive.
    pub line: u32,
}

/// Go's `\s` in RE2: `[\t\n\f\r ]`.
fn re_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// BuildKit's directive regexp `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` on one line
/// (after the comment prefix and leading white space): the lower-cased name of a known
/// directive and its value.
fn directive(line: &[u8]) -> Option<(String, String)> {
    let line = trim_left_unicode_space(line);
    let name_len = line.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    if name_len == 0 || !line[0].is_ascii_alphabetic() {
        return None;
    }
    let mut i = name_len;
    while i < line.len() && re_space(line[i]) {
        i += 1;
    }
    if line.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    let rest = &line[i..];
    if rest.contains(&b'\n') || rest.is_empty() {
        return None;
    }
    // `\s*(.+?)\s*$`: the value is `rest` trimmed of `\s`, but at least one byte.
    let start = rest.iter().position(|&b| !re_space(b));
    let value: &[u8] = match start {
        Some(s) => {
            let end = rest.iter().rposition(|&b| !re_space(b)).map_or(rest.len(), |e| e + 1);
            &rest[s..end]
        }
        None => &rest[rest.len() - 1..],
    };
    let name = String::from_utf8_lossy(&line[..name_len]).to_ascii_lowercase();
    if !matches!(name.as_str(), "syntax" | "escape" | "check") {
        return None;
    }
    Some((name, String::from_utf8_lossy(value).into_owned()))
}

/// `bytes.TrimLeftFunc(line, unicode.IsSpace)`.
fn trim_left_unicode_space(line: &[u8]) -> &[u8] {
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        let s = match std::str::from_utf8(&rest[..rest.len().min(4)]) {
            Ok(s) => s,
            Err(e) if e.valid_up_to() > 0 => std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap_or(""),
            Err(_) => "",
        };
        match s.chars().next() {
            Some(c) if c.is_whitespace() => i += c.len_utf8(),
            _ => break,
        }
    }
    &line[i..]
}

/// BuildKit's `parser.ParseDirective("check", dt)`: the `# check=` directive among the
/// parser directives at the top (after a BOM and a `#!` line), its value cut at the
/// first space. A repeated directive ends the search (the first one counts).
pub(crate) fn check_directive(dt: &[u8]) -> Option<Directive> {
    let mut dt = dt.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(dt);
    let mut line_no = 0u32;
    if dt.starts_with(b"#!") {
        dt = match dt.iter().position(|&b| b == b'\n') {
            Some(i) => &dt[i + 1..],
            None => &[],
        };
        line_no += 1;
    }
    let mut seen: Vec<String> = Vec::new();
    let mut rest = dt;
    while !rest.is_empty() {
        let (mut line, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &[][..]),
        };
        // bufio.Scanner gives up on a line over 64 KiB.
        if line.len() >= 64 * 1024 {
            return None;
        }
        if let Some(l) = line.strip_suffix(b"\r") {
            line = l;
        }
        rest = next;
        line_no += 1;
        let body = line.strip_prefix(b"#")?;
        let (name, value) = directive(body)?;
        if seen.contains(&name) {
            return None;
        }
        if name == "check" {
            let value = value.split(' ').next().unwrap_or("").to_owned();
            return Some(Directive { value, line: line_no });
        }
        seen.push(name);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_like_buildkit() {
        assert_eq!(CheckConfig::parse("").unwrap(), CheckConfig::default());
        let c = CheckConfig::parse(" skip = all ; error = 1 ").unwrap();
        assert!(c.skip_all && c.error);
        assert_eq!(
            CheckConfig::parse("error=yes").unwrap_err(),
            r#"failed to parse check option "error=yes": strconv.ParseBool: parsing "yes": invalid syntax"#
        );
        assert_eq!(CheckConfig::parse("nope=1").unwrap_err(), r#"invalid check option "nope""#);
        // SplitN(…, 3): the third part keeps its semicolons.
        assert_eq!(
            CheckConfig::parse("skip=A;error=false;experimental=B;x").unwrap().experimental,
            ["B;x"]
        );
    }

    #[test]
    fn directive_reading() {
        let d = check_directive(b"# syntax=docker/dockerfile:1\n#check = skip=all  error=true\nFROM x\n").unwrap();
        assert_eq!(d, Directive { value: "skip=all".into(), line: 2 });
        assert!(check_directive(b"FROM x\n# check=skip=all\n").is_none());
        assert!(check_directive(b"# hello\n# check=skip=all\n").is_none());
        assert_eq!(check_directive(b"#!/usr/bin/env x\n# check=error=true\n").unwrap().line, 2);
        assert_eq!(check_directive(b"\xEF\xBB\xBF# check=error=true\r\n").unwrap().value, "error=true");
    }

    #[test]
    fn comments_merge() {
        let base = CheckConfig::default();
        let c = base.for_comments(&["a comment", "check=skip=UndefinedVar", "check=skip=all"]);
        assert_eq!(c.skip, ["UndefinedVar"]);
        assert_eq!(*base.for_comments(&["check=bogus"]), base);
        assert_eq!(*base.for_comments(&["# check=skip=all"]), base);
    }
}
