//! Turns the change between two vfs snapshots into a layer tar, as BuildKit's
//! differ (containerd's `changeWriter`) writes one: entries in walk order
//! (depth first, names in byte order), every changed path's parent directories
//! included with their current metadata, deletions as `.wh.NAME` whiteouts,
//! files of one hard-linked inode written once and then as hard links, and
//! timestamps clamped to `SOURCE_DATE_EPOCH` when one is given.
//!
//! One addition to containerd's writer: a directory whose old entries are all
//! gone (at least two of them; `rm -rf d && mkdir d` or `rm d/*`) is written as
//! one opaque whiteout `d/.wh..wh..opq` instead of a whiteout per entry, as
//! Docker's overlay2 differ writes an opaque directory. Both apply the same.

use super::blob::Blob;
use super::error::LayerResult;
use super::tarw::{Entry, Kind, TarWriter};
use crate::vfs::{self, path, Change, Meta, Node, Vfs};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// How a layer or rootfs tar is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// `SOURCE_DATE_EPOCH`: every timestamp later than this is clamped to it
    /// (BuildKit's `rewrite-timestamp`), so rebuilding later gives the same digest.
    pub source_date_epoch: Option<i64>,
}

impl WriteOptions {
    fn clamp(&self, t: i64) -> i64 {
        match self.source_date_epoch {
            Some(e) if t > e => e,
            _ => t,
        }
    }
}

/// Counts gathered while writing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Tar entries written (PAX headers not counted).
    pub entries: usize,
    /// Bytes of regular-file contents: the layer size `docker history` shows.
    pub content_size: u64,
}

const OPAQUE: &str = ".wh..wh..opq";

struct Writer<'a> {
    tar: TarWriter,
    new: &'a Vfs,
    opts: WriteOptions,
    whiteout_time: i64,
    emitted_dirs: HashSet<String>,
    opaque: HashSet<String>,
    opaque_done: HashSet<String>,
    /// First name (relative) of each hard-linked inode written so far.
    links: HashMap<usize, String>,
    stats: WriteStats,
}

/// Writes the layer tar for the change from `old` to `new`.
pub(crate) fn write_diff(old: &Vfs, new: &Vfs, opts: WriteOptions) -> LayerResult<(Blob, WriteStats)> {
    let changes = vfs::diff(old, new);
    // headers and small contents; large contents are shared, not copied
    let capacity: usize = changes
        .iter()
        .map(|c| match c {
            Change::Added(_, Node::File(f)) | Change::Modified(_, Node::File(f)) if f.data.len() < super::blob::SHARE_MIN => f.data.len() + 1024,
            _ => 1024,
        })
        .sum::<usize>()
        + 1024;
    let mut w = Writer {
        tar: TarWriter::with_capacity(capacity),
        new,
        opts,
        whiteout_time: opts.clamp(new.now),
        emitted_dirs: HashSet::new(),
        opaque: opaque_dirs(old, new, &changes),
        opaque_done: HashSet::new(),
        links: HashMap::new(),
        stats: WriteStats::default(),
    };
    for c in &changes {
        match c {
            Change::Added(p, n) | Change::Modified(p, n) => {
                w.parents(p)?;
                w.node(p, n)?;
            }
            Change::Deleted(p) => {
                let parent = path::parent(p).to_string();
                w.parents(p)?;
                if w.opaque.contains(&parent) {
                    w.opaque_marker(&parent)?;
                } else {
                    let name = format!("{}.wh.{}", rel_dir(&parent), path::basename(p));
                    w.append(Entry { name: &name, kind: Kind::File, mode: 0, uid: 0, gid: 0, mtime: w.whiteout_time, size: 0, link: "" }, &[])?;
                }
            }
        }
    }
    Ok((w.tar.finish(), w.stats))
}

/// Directories present in both snapshots whose old entries (two or more) are all gone.
fn opaque_dirs(old: &Vfs, new: &Vfs, changes: &[Change]) -> HashSet<String> {
    let mut deleted: BTreeMap<&str, usize> = BTreeMap::new();
    for c in changes {
        if let Change::Deleted(p) = c {
            *deleted.entry(path::parent(p)).or_default() += 1;
        }
    }
    deleted
        .into_iter()
        .filter(|&(dir, n)| {
            n >= 2
                && old.read_dir(dir).map(|e| e.len()).ok() == Some(n)
                && new.lstat(dir).map(|s| s.is_dir()).unwrap_or(false)
        })
        .map(|(d, _)| d.to_string())
        .collect()
}

/// `/a/b` → `a/b/`, `/` → ``.
fn rel_dir(dir: &str) -> String {
    let r = dir.trim_start_matches('/');
    if r.is_empty() {
        String::new()
    } else {
        format!("{r}/")
    }
}

impl Writer<'_> {
    fn append(&mut self, e: Entry<'_>, data: &[u8]) -> LayerResult<()> {
        self.stats.entries += 1;
        self.tar.append(&e, data)
    }

    fn append_shared(&mut self, e: Entry<'_>, data: &Arc<Vec<u8>>) -> LayerResult<()> {
        self.stats.entries += 1;
        self.tar.append_shared(&e, data)
    }

    /// Writes the not-yet-written parent directories of `p` (never `/`).
    fn parents(&mut self, p: &str) -> LayerResult<()> {
        let mut ancestors = Vec::new();
        let mut cur = path::parent(p);
        while cur != "/" {
            if self.emitted_dirs.contains(cur) {
                break;
            }
            ancestors.push(cur.to_string());
            cur = path::parent(cur);
        }
        for a in ancestors.into_iter().rev() {
            let st = self.new.lstat(&a)?;
            self.dir(&a, &st.meta)?;
        }
        Ok(())
    }

    fn dir(&mut self, p: &str, m: &Meta) -> LayerResult<()> {
        let name = rel_dir(p);
        let mtime = self.opts.clamp(m.mtime);
        self.append(Entry { name: &name, kind: Kind::Dir, mode: m.mode, uid: m.uid, gid: m.gid, mtime, size: 0, link: "" }, &[])?;
        self.emitted_dirs.insert(p.to_string());
        if self.opaque.contains(p) {
            self.opaque_marker(p)?;
        }
        Ok(())
    }

    fn opaque_marker(&mut self, dir: &str) -> LayerResult<()> {
        if !self.opaque_done.insert(dir.to_string()) {
            return Ok(());
        }
        let m = self.new.lstat(dir)?.meta;
        let name = format!("{}{OPAQUE}", rel_dir(dir));
        // as Docker's overlay whiteout converter: the parent's permissions and owner, time zero
        self.append(Entry { name: &name, kind: Kind::File, mode: m.mode & 0o777, uid: m.uid, gid: m.gid, mtime: 0, size: 0, link: "" }, &[])
    }

    fn node(&mut self, p: &str, n: &Node) -> LayerResult<()> {
        let rel = &p[1..];
        match n {
            Node::Dir(_) if self.emitted_dirs.contains(p) => Ok(()),
            Node::Dir(d) => self.dir(p, &d.meta),
            Node::Symlink(s) => {
                let m = s.meta;
                let mtime = self.opts.clamp(m.mtime);
                self.append(Entry { name: rel, kind: Kind::Symlink, mode: m.mode, uid: m.uid, gid: m.gid, mtime, size: 0, link: &s.target }, &[])
            }
            Node::File(f) => {
                let m = f.meta;
                let mtime = self.opts.clamp(m.mtime);
                if f.hardlinked {
                    let key = Arc::as_ptr(f) as usize;
                    if let Some(first) = self.links.get(&key).cloned() {
                        return self.append(
                            Entry { name: rel, kind: Kind::Hardlink, mode: m.mode, uid: m.uid, gid: m.gid, mtime, size: 0, link: &first },
                            &[],
                        );
                    }
                    self.links.insert(key, rel.to_string());
                }
                self.stats.content_size += f.data.len() as u64;
                let size = f.data.len() as u64;
                self.append_shared(Entry { name: rel, kind: Kind::File, mode: m.mode, uid: m.uid, gid: m.gid, mtime, size, link: "" }, &f.data)
            }
        }
    }
}
