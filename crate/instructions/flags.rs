//! Instruction flags as BuildKit's `BFlags.Parse` checks them: each instruction declares
//! its flags (a table below), and the flags on the line are checked in order: unknown,
//! duplicate, missing value, boolean value, with BuildKit's messages.

use super::goparse::with_suggestion;
use super::types::Word;
use crate::syntax::{Flag, SyntaxTree, TextRange};

/// The type of a flag.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum FlagType {
    /// `--link`, `--link=true`, `--link=false`.
    Bool,
    /// `--from=x`, once.
    String,
    /// `--exclude=x`, any number of times.
    Strings,
}

/// A flag an instruction accepts.
pub(crate) type FlagSpec = (&'static str, FlagType);

/// FROM's flags.
pub(crate) const FROM: &[FlagSpec] = &[("platform", FlagType::String)];
/// RUN's flags (BuildKit adds them in hook order: mount, network, security).
pub(crate) const RUN: &[FlagSpec] = &[("mount", FlagType::Strings), ("network", FlagType::String), ("security", FlagType::String)];
/// COPY's flags.
pub(crate) const COPY: &[FlagSpec] = &[
    ("chown", FlagType::String),
    ("from", FlagType::String),
    ("chmod", FlagType::String),
    ("link", FlagType::Bool),
    ("exclude", FlagType::Strings),
    ("parents", FlagType::Bool),
];
/// ADD's flags.
pub(crate) const ADD: &[FlagSpec] = &[
    ("chown", FlagType::String),
    ("chmod", FlagType::String),
    ("link", FlagType::Bool),
    ("keep-git-dir", FlagType::Bool),
    ("checksum", FlagType::String),
    ("unpack", FlagType::Bool),
    ("exclude", FlagType::Strings),
];
/// HEALTHCHECK's flags.
pub(crate) const HEALTHCHECK: &[FlagSpec] = &[
    ("interval", FlagType::String),
    ("timeout", FlagType::String),
    ("start-period", FlagType::String),
    ("start-interval", FlagType::String),
    ("retries", FlagType::String),
];
/// Instructions without flags.
pub(crate) const NONE: &[FlagSpec] = &[];

/// One flag given on the line, checked.
#[derive(Debug)]
pub(crate) struct Given {
    pub name: &'static str,
    /// The value after `=` (for a bare boolean flag: empty, at the end of the flag).
    pub value: Word,
    pub bool_value: bool,
}

/// The checked flags of one instruction.
#[derive(Debug, Default)]
pub(crate) struct Flags {
    pub given: Vec<Given>,
}

impl Flags {
    /// A string flag's value, when given.
    pub fn string(&self, name: &str) -> Option<Word> {
        self.given.iter().find(|g| g.name == name).map(|g| g.value.clone())
    }
    /// A boolean flag's value, when given.
    pub fn bool(&self, name: &str) -> Option<bool> {
        self.given.iter().find(|g| g.name == name).map(|g| g.bool_value)
    }
    /// Every value of a repeatable flag.
    pub fn strings(&self, name: &str) -> Vec<Word> {
        self.given.iter().filter(|g| g.name == name).map(|g| g.value.clone()).collect()
    }
}

/// Checks `flags` against `specs`. The error is BuildKit's message and the flag's range.
pub(crate) fn parse(
    tree: &SyntaxTree,
    flags: &[Flag],
    specs: &[FlagSpec],
    word: impl Fn(String, TextRange) -> Word,
) -> Result<Flags, (String, TextRange)> {
    let mut out = Flags::default();
    for f in flags {
        let text = f.text(tree);
        if text == "--" {
            break;
        }
        let Some(stripped) = text.strip_prefix("--") else {
            return Err((format!("arg should start with -- : {text}"), f.range));
        };
        let (arg, value) = match stripped.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (stripped, None),
        };
        let Some(&(name, ty)) = specs.iter().find(|(n, _)| *n == arg) else {
            let names: Vec<&str> = specs.iter().map(|(n, _)| *n).collect();
            return Err((with_suggestion(format!("unknown flag: {arg}"), arg, &names, true), f.range));
        };
        if ty != FlagType::Strings && out.given.iter().any(|g| g.name == name) {
            return Err((format!("duplicate flag specified: {arg}"), f.range));
        }
        let value_range = f.value_range.unwrap_or(TextRange::empty(f.range.end));
        let mut bool_value = false;
        match ty {
            FlagType::Bool => {
                if value == Some("") {
                    return Err((format!("missing a value on flag: {arg}"), f.range));
                }
                match value.map(str::to_ascii_lowercase).as_deref() {
                    None | Some("true") => bool_value = true,
                    Some("false") => bool_value = false,
                    Some(_) => {
                        let v = value.unwrap_or_default();
                        return Err((format!("expecting boolean value for flag {arg}, not: {v}"), f.range));
                    }
                }
            }
            FlagType::String | FlagType::Strings => {
                if value.is_none() {
                    return Err((format!("missing a value on flag: {arg}"), f.range));
                }
            }
        }
        out.given.push(Given { name, value: word(value.unwrap_or_default().to_owned(), value_range), bool_value });
    }
    Ok(out)
}
