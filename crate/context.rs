//! A build context as the page holds it: a flat list of files, folders and symlinks with
//! relative paths. Share links, uploaded archives and the page's file tree all arrive
//! here, so every path is checked ([`clean_path`]) and the whole list bounded
//! ([`validate`]) before [`to_build_context`] makes the build's context of it, and
//! [`excluded`] says what its `.dockerignore` leaves out (with the build's own matcher).
//!
//! Invariant: no IO and no knowledge of where the entries came from.

use crate::build::context::{BuildContext, ContextError as BuildContextError};
use crate::dockerignore::{Dockerignore, IgnoreError};
use crate::limits::{MAX_CONTEXT_BYTES, MAX_CONTEXT_FILES};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Longest path accepted (bytes), as Linux's `PATH_MAX`.
pub const MAX_PATH_BYTES: usize = 4096;
/// Longest path component (bytes), as Linux's `NAME_MAX`.
pub const MAX_NAME_BYTES: usize = 255;
/// Latest mtime a build uses (9999-12-31T23:59:59Z); later ones are clamped.
pub const MAX_MTIME: i64 = 253_402_300_799;

/// What an entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
}

/// One file, folder or symlink of a context. `data` is used by files only, `target` by
/// symlinks only; both are empty otherwise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Relative, `/`-separated, without `.` or `..` components (see [`clean_path`]).
    pub path: String,
    pub kind: EntryKind,
    /// Permission bits (`0o7777`).
    pub mode: u32,
    #[serde(with = "serde_bytes", default)]
    pub data: Vec<u8>,
    #[serde(default)]
    pub target: String,
    /// Modification time (Unix seconds): the page keeps the time the user last
    /// changed the file (0 for the examples), so builds of the same files give the
    /// same image (the build's timestamp is the newest input mtime).
    #[serde(default)]
    pub mtime: i64,
}

impl Entry {
    /// A regular file with mode 0644.
    pub fn file(path: impl Into<String>, data: impl Into<Vec<u8>>) -> Self {
        Entry { path: path.into(), kind: EntryKind::File, mode: 0o644, data: data.into(), target: String::new(), mtime: 0 }
    }
    /// A folder with mode 0755.
    pub fn dir(path: impl Into<String>) -> Self {
        Entry { path: path.into(), kind: EntryKind::Dir, mode: 0o755, data: Vec::new(), target: String::new(), mtime: 0 }
    }
    /// A symlink (mode 0777) pointing at `target`.
    pub fn symlink(path: impl Into<String>, target: impl Into<String>) -> Self {
        Entry { path: path.into(), kind: EntryKind::Symlink, mode: 0o777, data: Vec::new(), target: target.into(), mtime: 0 }
    }
}

/// Why a context was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ContextErrorKind {
    /// The path is empty (or only `.` and `/`).
    EmptyPath,
    /// The path starts with `/`.
    AbsolutePath,
    /// The path has a `..` component: it would leave the context.
    LeavesContext,
    /// The path holds a NUL byte or a backslash-free but otherwise unusable name.
    BadName,
    /// A component is longer than [`MAX_NAME_BYTES`].
    NameTooLong,
    /// The path is longer than [`MAX_PATH_BYTES`].
    PathTooLong,
    /// Two entries have the same path.
    Duplicate,
    /// A file stands where a folder is needed (`a` is a file and `a/b` exists).
    NotADirectory,
    /// More than [`MAX_CONTEXT_FILES`] entries.
    TooManyFiles,
    /// More than [`MAX_CONTEXT_BYTES`] of file contents.
    TooLarge,
}

/// A refused context: what and which path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextError {
    pub kind: ContextErrorKind,
    pub path: String,
}

impl ContextError {
    fn new(kind: ContextErrorKind, path: &str) -> Self {
        // Keep messages readable when a hostile path is huge.
        let mut p: String = path.chars().take(200).collect();
        if p.len() < path.len() {
            p.push('…');
        }
        ContextError { kind, path: p }
    }
}

impl fmt::Display for ContextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ContextErrorKind::*;
        let p = &self.path;
        match self.kind {
            EmptyPath => write!(f, "invalid path in build context: empty path"),
            AbsolutePath => write!(f, "invalid path in build context: {p:?} is absolute"),
            LeavesContext => write!(f, "invalid path in build context: {p:?} leaves the context (..)"),
            BadName => write!(f, "invalid path in build context: {p:?} holds a NUL byte"),
            NameTooLong => write!(f, "invalid path in build context: {p:?}: file name too long (limit {MAX_NAME_BYTES} bytes)"),
            PathTooLong => write!(f, "invalid path in build context: {p:?}: path too long (limit {MAX_PATH_BYTES} bytes)"),
            Duplicate => write!(f, "build context lists {p:?} twice"),
            NotADirectory => write!(f, "build context: {p:?} is a file but other entries are inside it"),
            TooManyFiles => write!(f, "build context has too many files (playground limit: {MAX_CONTEXT_FILES})"),
            TooLarge => write!(f, "build context is too large (playground limit: {} MiB)", MAX_CONTEXT_BYTES >> 20),
        }
    }
}

impl std::error::Error for ContextError {}

/// Normalises a context path: drops empty and `.` components and a trailing `/`;
/// refuses absolute paths, `..`, NUL bytes and over-long names.
pub fn clean_path(path: &str) -> Result<String, ContextError> {
    use ContextErrorKind::*;
    if path.starts_with('/') {
        return Err(ContextError::new(AbsolutePath, path));
    }
    if path.len() > MAX_PATH_BYTES {
        return Err(ContextError::new(PathTooLong, path));
    }
    let mut out = String::with_capacity(path.len());
    for c in path.split('/') {
        match c {
            "" | "." => continue,
            ".." => return Err(ContextError::new(LeavesContext, path)),
            c if c.contains('\0') => return Err(ContextError::new(BadName, path)),
            c if c.len() > MAX_NAME_BYTES => return Err(ContextError::new(NameTooLong, path)),
            c => {
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(c);
            }
        }
    }
    if out.is_empty() {
        return Err(ContextError::new(EmptyPath, path));
    }
    Ok(out)
}

/// Checks a whole context: every path clean, no duplicates, no file with entries
/// inside it, within the playground's file-count and size limits. Gives the entries
/// with cleaned paths, sorted by path; modes are masked to `0o7777`.
pub fn validate(entries: &[Entry]) -> Result<Vec<Entry>, ContextError> {
    use ContextErrorKind::*;
    if entries.len() > MAX_CONTEXT_FILES {
        return Err(ContextError::new(TooManyFiles, ""));
    }
    let mut bytes: u64 = 0;
    let mut by_path: BTreeMap<String, Entry> = BTreeMap::new();
    for e in entries {
        let path = clean_path(&e.path)?;
        bytes = bytes.saturating_add(e.data.len() as u64 + e.target.len() as u64);
        if bytes > MAX_CONTEXT_BYTES {
            return Err(ContextError::new(TooLarge, &path));
        }
        let mut clean = e.clone();
        clean.path = path.clone();
        clean.mode &= 0o7777;
        if clean.kind != EntryKind::File {
            clean.data.clear();
        }
        if clean.kind != EntryKind::Symlink {
            clean.target.clear();
        }
        if by_path.insert(path.clone(), clean).is_some() {
            return Err(ContextError::new(Duplicate, &path));
        }
    }
    // A file or symlink may not have entries below it.
    for (path, e) in &by_path {
        if e.kind == EntryKind::Dir {
            continue;
        }
        let prefix = format!("{path}/");
        if let Some((below, _)) = by_path.range(prefix.clone()..).next() {
            if below.starts_with(&prefix) {
                return Err(ContextError::new(NotADirectory, path));
            }
        }
    }
    Ok(by_path.into_values().collect())
}

/// The build context of these entries for a build of `dockerfile` (a path among them):
/// every entry added with its mode and mtime (clamped to years 1970–9999), so the same
/// files give the same build.
pub fn to_build_context(entries: &[Entry], dockerfile: &str) -> Result<BuildContext, ContextError> {
    let entries = validate(entries)?;
    let dockerfile = clean_path(dockerfile)?;
    let found = entries.iter().find(|e| e.path == dockerfile && e.kind == EntryKind::File);
    let text = found.map(|e| e.data.clone()).unwrap_or_default();
    let mut ctx = BuildContext::new(dockerfile, text);
    ctx.dockerfile_mtime = found.map(|e| e.mtime.clamp(0, MAX_MTIME)).unwrap_or(0);
    for e in &entries {
        let mtime = e.mtime.clamp(0, MAX_MTIME);
        let added = match e.kind {
            EntryKind::File => ctx.add_file(&e.path, e.data.clone(), e.mode, mtime),
            EntryKind::Dir => ctx.add_dir(&e.path, e.mode, mtime),
            EntryKind::Symlink => ctx.add_symlink(&e.path, &e.target, mtime),
        };
        added.map_err(|err| {
            let kind = match err {
                BuildContextError::TooManyFiles => ContextErrorKind::TooManyFiles,
                BuildContextError::TooLarge => ContextErrorKind::TooLarge,
                _ => ContextErrorKind::NotADirectory,
            };
            ContextError::new(kind, &e.path)
        })?;
    }
    Ok(ctx)
}

/// A path the context's ignore file leaves out, with the pattern line that decided it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExcludedPath {
    pub path: String,
    pub line: usize,
}

/// What the ignore file of a build leaves out of its context.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Excluded {
    /// The ignore file Docker would use (`.dockerignore`, or `<Dockerfile>.dockerignore`).
    pub file: Option<String>,
    pub paths: Vec<ExcludedPath>,
}

/// Which of `paths` (files and folders of the page's tree) the ignore file excludes
/// for a build of `dockerfile`; `ignore_files` are the entries that may be ignore
/// files (the others are not needed). Docker's rules: `<Dockerfile>.dockerignore` wins
/// over `.dockerignore`, a pattern also excludes what is below a matching folder, and
/// `!` lines re-include.
pub fn excluded(paths: &[String], dockerfile: &str, ignore_files: &[Entry]) -> Result<Excluded, IgnoreError> {
    let mut ctx = BuildContext::new(dockerfile.trim_start_matches("./"), Vec::new());
    for e in ignore_files.iter().filter(|e| e.kind == EntryKind::File) {
        if let Ok(p) = clean_path(&e.path) {
            let _ = ctx.add_file(&p, e.data.clone(), 0o644, 0);
        }
    }
    let Some((file, text)) = ctx.ignore_file() else { return Ok(Excluded::default()) };
    let rules = Dockerignore::parse(&String::from_utf8_lossy(&text))?;
    let mut out = Excluded { file: Some(file), paths: Vec::new() };
    for p in paths {
        if rules.excludes(p) {
            let line = rules.deciding_pattern(p).map(|pat| pat.line).unwrap_or(0);
            out.paths.push(ExcludedPath { path: p.clone(), line });
        }
    }
    Ok(out)
}

/// When every entry sits under one top-level folder (as in `project-main.zip`) and that
/// folder holds the Dockerfile, drops that folder from every path. Gives the entries
/// unchanged otherwise.
pub fn strip_common_root(entries: Vec<Entry>) -> Vec<Entry> {
    let first = match entries.first() {
        Some(e) => e.path.split('/').next().unwrap_or("").to_string(),
        None => return entries,
    };
    let prefix = format!("{first}/");
    let all_under = entries.iter().all(|e| e.path == first || e.path.starts_with(&prefix));
    let has_children = entries.iter().any(|e| e.path.starts_with(&prefix));
    let root_is_dir = entries.iter().all(|e| e.path != first || e.kind == EntryKind::Dir);
    let dockerfile = format!("{prefix}Dockerfile");
    let holds_dockerfile = entries.iter().any(|e| e.path == dockerfile);
    if !(all_under && has_children && root_is_dir && holds_dockerfile) {
        return entries;
    }
    entries
        .into_iter()
        .filter(|e| e.path != first)
        .map(|mut e| {
            e.path = e.path[prefix.len()..].to_string();
            e
        })
        .collect()
}
