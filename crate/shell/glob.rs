//! Pathname expansion against the vfs, as dash's `expmeta` does it: component
//! by component, a leading `.` matched only explicitly (and then `.` and `..`
//! match too), a trailing `/` keeping only directories, all matches of a word
//! sorted by byte order (the C locale), no match leaving the word as it was.

use super::pattern::{PChar, Pattern};
use crate::vfs::{path, Vfs};

/// Most names one word may expand to (a runaway `/*/*/*/*` stops here).
const MAX_MATCHES: usize = 100_000;

/// The paths `pattern` matches (relative patterns against `cwd`), sorted; empty
/// when nothing matches.
pub fn glob(fs: &Vfs, cwd: &str, pattern: &[PChar]) -> Vec<String> {
    // components split at every `/`
    let mut comps: Vec<&[PChar]> = Vec::new();
    let mut start = 0;
    for (i, c) in pattern.iter().enumerate() {
        if c.c == '/' {
            comps.push(&pattern[start..i]);
            start = i + 1;
        }
    }
    comps.push(&pattern[start..]);
    let absolute = pattern.first().is_some_and(|c| c.c == '/');
    let (prefix, comps) = if absolute { (String::from("/"), &comps[1..]) } else { (String::new(), &comps[..]) };
    let compiled: Vec<Comp> = comps.iter().map(|c| Comp::new(c)).collect();
    let mut out = Vec::new();
    // literal leading components are copied without checking (as dash does)
    let mut prefix = prefix;
    let mut i = 0;
    while i < compiled.len() && compiled[i].pat.is_none() && i + 1 < compiled.len() {
        prefix.push_str(&compiled[i].text);
        prefix.push('/');
        i += 1;
    }
    if compiled[i..].iter().all(|c| c.pat.is_none()) {
        return Vec::new();
    }
    walk(fs, cwd, &prefix, &compiled[i..], &mut out);
    out.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    out
}

struct Comp {
    /// The compiled pattern when the component has magic.
    pat: Option<Pattern>,
    /// The literal text (quotes and escapes removed) otherwise.
    text: String,
}

impl Comp {
    fn new(chars: &[PChar]) -> Comp {
        let p = Pattern::new(chars);
        if p.is_magic() {
            Comp { pat: Some(p), text: String::new() }
        } else {
            Comp { text: p.literal().unwrap_or_default(), pat: None }
        }
    }
}

fn walk(fs: &Vfs, cwd: &str, prefix: &str, comps: &[Comp], out: &mut Vec<String>) {
    if out.len() >= MAX_MATCHES {
        return;
    }
    let Some((first, rest)) = comps.split_first() else {
        return;
    };
    match &first.pat {
        None => {
            // the rest has no magic: the path must exist (lstat)
            let mut p = prefix.to_string();
            for (k, c) in comps.iter().enumerate() {
                if c.pat.is_some() {
                    // magic further on: go on component by component
                    let mut q = prefix.to_string();
                    for c in &comps[..k] {
                        q.push_str(&c.text);
                        q.push('/');
                    }
                    walk(fs, cwd, &q, &comps[k..], out);
                    return;
                }
                p.push_str(&c.text);
                if k + 1 < comps.len() {
                    p.push('/');
                }
            }
            if fs.lstat(&path::join(cwd, &p)).is_ok() {
                out.push(p);
            }
        }
        Some(pat) => {
            let dir = if prefix.is_empty() { cwd.to_string() } else { path::join(cwd, prefix) };
            let entries = match fs.read_dir(&dir) {
                Ok(e) => e,
                Err(_) => return,
            };
            let dot = pat.starts_with_dot();
            let mut names: Vec<String> = Vec::new();
            if dot {
                names.push(".".into());
                names.push("..".into());
            }
            names.extend(entries.into_iter().map(|(n, _)| n));
            for name in names {
                if name.starts_with('.') && !dot {
                    continue;
                }
                if !pat.matches(&name) {
                    continue;
                }
                let mut p = String::with_capacity(prefix.len() + name.len() + 1);
                p.push_str(prefix);
                p.push_str(&name);
                if rest.is_empty() {
                    out.push(p);
                } else {
                    p.push('/');
                    walk(fs, cwd, &p, rest, out);
                }
                if out.len() >= MAX_MATCHES {
                    return;
                }
            }
        }
    }
}
