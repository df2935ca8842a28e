//! COPY and ADD on virtual filesystems, with BuildKit's file-op rules: sources are
//! resolved inside their root (context or stage), wildcards may match nothing, a
//! directory source copies its contents, a destination ending in `/` (or an
//! existing directory) receives files by name, missing destination parents are
//! created, context files become root-owned while files from a stage keep their
//! owner, `--chown`/`--chmod` override, `--exclude` skips, `--parents` keeps the
//! source path, and ADD unpacks local tar archives.
//!
//! Copies share file contents with the source (copy-on-write), so a big `COPY .`
//! costs a tree walk, not a data copy.

use crate::dockerignore::pattern_match;
use crate::vfs::{path, FsError, FsErrorKind, Meta, Node, Vfs};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// What to copy and how.
#[derive(Clone, Debug, Default)]
pub struct CopyRequest<'a> {
    /// Source paths or patterns as written (variables already expanded).
    pub sources: &'a [String],
    /// The destination as written.
    pub dest: &'a str,
    /// The stage's working directory (a relative destination is below it).
    pub workdir: &'a str,
    /// True when the sources come from the build context (they become root-owned).
    pub from_context: bool,
    pub chown: Option<(u32, u32)>,
    pub chmod: Option<u32>,
    pub excludes: &'a [String],
    pub parents: bool,
    /// ADD: extract local tar archives into the destination.
    pub unpack: bool,
    /// mtime for directories this copy creates.
    pub now: i64,
}

/// Why a copy failed, in BuildKit's words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CopyError {
    /// A source that is not a pattern does not exist.
    #[error("\"{0}\": not found")]
    NotFound(String),
    #[error("{0}")]
    Fs(String),
    #[error("{0}")]
    Archive(String),
}

impl From<FsError> for CopyError {
    fn from(e: FsError) -> Self {
        CopyError::Fs(match e.kind {
            FsErrorKind::NoSpace => format!("copy: {e}"),
            _ => format!("failed to copy files: {e}"),
        })
    }
}

fn is_pattern(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// The absolute path of a source inside its root (`..` cannot leave it).
fn source_root_path(s: &str) -> String {
    path::normalize(&path::join("/", s))
}

/// Expands one source to the paths it names, sorted. A pattern that matches
/// nothing gives nothing (BuildKit allows empty wildcards); a missing plain path
/// is an error.
pub fn expand_source(fs: &Vfs, source: &str) -> Result<Vec<String>, CopyError> {
    let abs = source_root_path(source);
    if !is_pattern(&abs) {
        return match fs.stat(&abs) {
            Ok(_) => Ok(vec![abs]),
            Err(_) => Err(CopyError::NotFound(abs)),
        };
    }
    let mut current = vec!["/".to_string()];
    for comp in path::components(&abs) {
        let mut next = Vec::new();
        for base in &current {
            if is_pattern(comp) {
                let pat = comp.replace("**", "*");
                if let Ok(entries) = fs.read_dir(base) {
                    for (name, _) in entries {
                        if pattern_match(&pat, &name) {
                            next.push(path::join(base, &name));
                        }
                    }
                }
            } else {
                let p = path::join(base, comp);
                if fs.lstat(&p).is_ok() {
                    next.push(p);
                }
            }
        }
        current = next;
        if current.is_empty() {
            break;
        }
    }
    current.sort();
    Ok(current)
}

/// A node rewritten with the copy's ownership and mode rules (recursively).
fn adapt(node: &Node, req: &CopyRequest<'_>) -> Node {
    let owner = req.chown.or(if req.from_context { Some((0, 0)) } else { None });
    if owner.is_none() && req.chmod.is_none() {
        return node.clone();
    }
    let fix = |m: &Meta, is_dir: bool| {
        let mut m = *m;
        if let Some((u, g)) = owner {
            m.uid = u;
            m.gid = g;
        }
        if let Some(c) = req.chmod {
            let _ = is_dir;
            m.mode = c & 0o7777;
        }
        m
    };
    match node {
        Node::File(f) => {
            let m = fix(&f.meta, false);
            if m == f.meta {
                node.clone()
            } else {
                Node::File(Arc::new(crate::vfs::File { meta: m, ..(**f).clone() }))
            }
        }
        Node::Symlink(s) => {
            let mut m = s.meta;
            if let Some((u, g)) = owner {
                m.uid = u;
                m.gid = g;
            }
            Node::Symlink(Arc::new(crate::vfs::Symlink { meta: m, target: s.target.clone() }))
        }
        Node::Dir(d) => {
            let entries = d.entries.iter().map(|(k, v)| (k.clone(), adapt(v, req))).collect();
            Node::Dir(Arc::new(crate::vfs::Dir { meta: fix(&d.meta, true), entries }))
        }
    }
}

/// Removes excluded paths (patterns relative to the source root) from a subtree.
fn exclude(node: Node, rel: &str, req: &CopyRequest<'_>) -> Option<Node> {
    if !rel.is_empty() && req.excludes.iter().any(|p| pattern_match(p.trim_start_matches('/'), rel)) {
        return None;
    }
    match node {
        Node::Dir(d) if !req.excludes.is_empty() => {
            let mut nd = (*d).clone();
            nd.entries = d
                .entries
                .iter()
                .filter_map(|(k, v)| {
                    let r = if rel.is_empty() { k.clone() } else { format!("{rel}/{k}") };
                    exclude(v.clone(), &r, req).map(|n| (k.clone(), n))
                })
                .collect();
            Some(Node::Dir(Arc::new(nd)))
        }
        other => Some(other),
    }
}

/// Creates the directory `p` and its missing parents as a copy does.
fn mkdir_for_copy(dst: &mut Vfs, p: &str, req: &CopyRequest<'_>) -> Result<(), CopyError> {
    let mut cur = String::from("/");
    for c in path::components(p) {
        cur = path::join(&cur, c);
        match dst.stat(&cur) {
            Ok(st) if st.is_dir() => continue,
            Ok(_) => return Err(FsError::new(FsErrorKind::NotADirectory, &cur).into()),
            Err(_) => {
                let (uid, gid) = req.chown.unwrap_or((0, 0));
                let meta = Meta { mode: 0o755, uid, gid, mtime: req.now };
                let target = dst.canonicalize(&cur)?;
                dst.insert(&target, Node::new_dir(meta))?;
            }
        }
    }
    Ok(())
}

/// Puts `node` at `target`, merging directories into existing ones. The top
/// destination directory keeps its own metadata; merged subdirectories take the
/// source's, as BuildKit's copy does.
fn place(dst: &mut Vfs, target: &str, node: Node, top: bool) -> Result<(), CopyError> {
    match (&node, dst.stat(target)) {
        (Node::Dir(d), Ok(st)) if st.is_dir() => {
            let canon = dst.canonicalize(target)?;
            if !top {
                dst.set_meta(&canon, d.meta)?;
            }
            for (name, child) in &d.entries {
                place(dst, &path::join(&canon, name), child.clone(), false)?;
            }
            Ok(())
        }
        _ => {
            // replace whatever is there (a file over a file, a link over a file, …)
            let parent = dst.canonicalize(path::parent(target))?;
            let t = path::join(&parent, path::basename(target));
            if let Ok(st) = dst.lstat(&t) {
                if st.is_dir() && !matches!(node, Node::Dir(_)) {
                    return Err(FsError::new(FsErrorKind::IsADirectory, &t).into());
                }
            }
            dst.insert(&t, node)?;
            Ok(())
        }
    }
}

/// The destination as an absolute path and whether it names a directory.
pub fn destination(dest: &str, workdir: &str) -> (String, bool) {
    let as_dir = dest.is_empty() || dest == "." || dest.ends_with('/') || dest.ends_with("/.");
    (path::normalize(&path::join(workdir, dest)), as_dir)
}

/// Copies `req.sources` from `src` into `dst`.
pub fn copy(src: &Vfs, dst: &mut Vfs, req: &CopyRequest<'_>) -> Result<(), CopyError> {
    let (dest, mut dest_is_dir) = destination(req.dest, req.workdir);
    let mut matches: Vec<String> = Vec::new();
    for s in req.sources {
        matches.extend(expand_source(src, s)?);
    }
    if !dest_is_dir {
        if let Ok(st) = dst.stat(&dest) {
            if st.is_dir() {
                dest_is_dir = true;
            }
        }
    }
    for m in &matches {
        // the source itself is followed if it is a symlink
        let node = src.get(m, true)?;
        let rel = m.trim_start_matches('/');
        let node = match exclude(node, "", req) {
            Some(n) => n,
            None => continue,
        };
        if req.excludes.iter().any(|p| pattern_match(p.trim_start_matches('/'), rel)) {
            continue;
        }
        if req.unpack {
            if let Node::File(f) = &node {
                if let Some(kind) = crate::build::archive::detect(&f.data) {
                    mkdir_for_copy(dst, &dest, req)?;
                    crate::build::archive::extract(&f.data, kind, dst, &dest, req.chown, req.now).map_err(CopyError::Archive)?;
                    continue;
                }
            }
        }
        let node = adapt(&node, req);
        let target_base = if req.parents {
            let parent_rel = path::parent(m);
            let base = path::join(&dest, parent_rel.trim_start_matches('/'));
            mkdir_for_copy(dst, &base, req)?;
            Some(base)
        } else {
            None
        };
        match &node {
            Node::Dir(_) => {
                let into = match &target_base {
                    Some(b) => path::join(b, path::basename(m)),
                    None => dest.clone(),
                };
                mkdir_for_copy(dst, &into, req)?;
                place(dst, &into, node, true)?;
            }
            _ => {
                let target = match &target_base {
                    Some(b) => path::join(b, path::basename(m)),
                    None if dest_is_dir => {
                        mkdir_for_copy(dst, &dest, req)?;
                        path::join(&dest, path::basename(m))
                    }
                    None => {
                        mkdir_for_copy(dst, path::parent(&dest), req)?;
                        dest.clone()
                    }
                };
                place(dst, &target, node, false)?;
            }
        }
    }
    Ok(())
}

/// The content checksum of what a COPY reads (paths, types, modes, owners and
/// contents — never mtimes), for the cache key.
pub fn checksum(src: &Vfs, sources: &[String], excludes: &[String]) -> Result<String, CopyError> {
    let mut h = Sha256::new();
    for s in sources {
        h.update(b"source\0");
        h.update(s.as_bytes());
        for m in expand_source(src, s)? {
            let walk = match src.get(&m, true) {
                Ok(Node::Dir(_)) => src.walk(&m)?,
                Ok(n) => vec![(m.clone(), n)],
                Err(e) => return Err(e.into()),
            };
            for (p, n) in walk {
                let rel = p.trim_start_matches('/');
                if excludes.iter().any(|x| pattern_match(x.trim_start_matches('/'), rel)) {
                    continue;
                }
                let meta = n.meta();
                h.update(p.as_bytes());
                h.update([0]);
                h.update(format!("{:o}:{}:{}", meta.mode, meta.uid, meta.gid).as_bytes());
                match &n {
                    Node::File(f) => {
                        h.update(b"f");
                        h.update(crate::memo::content_checksum(&f.data));
                    }
                    Node::Symlink(l) => {
                        h.update(b"l");
                        h.update(l.target.as_bytes());
                    }
                    Node::Dir(_) => h.update(b"d"),
                }
            }
        }
    }
    Ok(crate::digest::hex(&h.finalize()))
}

#[cfg(test)]
mod tests;
