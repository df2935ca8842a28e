//! Applies a layer tar (gzip or uncompressed) to a vfs, as Docker's
//! `UnpackLayer` applies one to a rootfs, and refuses what a hostile layer tries.

use super::error::{LayerError, LayerErrorKind, LayerResult};
use super::gzip;
use super::tarr::{EntryKind, ReadLimits, TarEntry, TarReader};
use crate::vfs::{path, FsError, FsErrorKind, Meta, Node, Vfs};
use std::collections::HashSet;

/// What to do with device nodes and fifos, which the vfs cannot hold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SpecialFiles {
    /// Fail with an error naming the entry.
    #[default]
    Refuse,
    /// Leave them out and list them in [`ApplyStats::skipped`].
    Skip,
}

/// Bounds and policies for applying one layer.
#[derive(Clone, Copy, Debug)]
pub struct ApplyOptions {
    /// Largest uncompressed tar accepted (the gzip-bomb cap).
    pub max_bytes: u64,
    pub read: ReadLimits,
    pub special_files: SpecialFiles,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions { max_bytes: crate::limits::MAX_LAYER_BYTES, read: ReadLimits::default(), special_files: SpecialFiles::Refuse }
    }
}

/// What an application did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplyStats {
    /// Entries read (whiteouts included).
    pub entries: usize,
    /// Bytes of regular files written (the layer size `docker history` shows).
    pub content_size: u64,
    pub whiteouts: usize,
    /// Entries left out, with the reason: `("dev/null", "character device")`.
    pub skipped: Vec<(String, &'static str)>,
}

/// Applies a layer blob (gzip or uncompressed tar; zstd, bzip2, xz refused) to `vfs`.
///
/// Same as Docker: `.wh.NAME` removes `NAME`; `.wh..wh..opq` empties its
/// directory of everything not written by this layer; other top-level
/// `.wh..wh.*` (aufs metadata) are skipped; an existing path is replaced unless
/// both it and the entry are directories (then only the metadata changes);
/// missing parent directories are created with mode 0755; directory times are
/// set last, so later entries do not disturb them; global PAX headers are
/// ignored; a hard link's own header metadata is ignored (the inode keeps the
/// target's, which is what a link shares).
///
/// Stricter than Docker, each refusal naming the entry:
/// - an absolute name: Docker roots it under the layer (`/etc/x` = `etc/x`),
///   dfplay refuses it (except `/` itself, the root, which umoci writes); a
///   name climbing out with `..` is refused by both;
/// - a path through a symlink that this same layer created (the
///   symlink-then-write escape): Docker (in a chroot) and containerd
///   (`fs.RootPath`) follow the link but keep the write inside the rootfs;
///   dfplay refuses. Symlinks from lower layers are followed, confined to the
///   root as in both;
/// - the same path twice in one layer (Docker lets the later entry win);
/// - device nodes and fifos ([`SpecialFiles::Refuse`], the default; with
///   [`SpecialFiles::Skip`] they are left out and listed, as a rootless
///   `umoci unpack` does), sparse files, unknown entry types;
/// - a whiteout naming `.`, `..` or nothing (as containerd).
///
/// A failed application leaves the vfs untouched (the work is done on a clone).
pub fn apply(vfs: &mut Vfs, blob: &[u8], opts: &ApplyOptions) -> LayerResult<ApplyStats> {
    let tar = gzip::decompress(blob, opts.max_bytes)?;
    apply_tar(vfs, &tar, opts)
}

/// Applies an uncompressed layer tar to `vfs`; on error `vfs` is unchanged.
pub fn apply_tar(vfs: &mut Vfs, tar: &[u8], opts: &ApplyOptions) -> LayerResult<ApplyStats> {
    let mut work = vfs.clone();
    let mut a = Applier {
        fs: &mut work,
        opts,
        seen: HashSet::new(),
        unpacked: HashSet::new(),
        layer_symlinks: HashSet::new(),
        dirs: Vec::new(),
        stats: ApplyStats::default(),
    };
    let mut reader = TarReader::new(tar, opts.read);
    while let Some(e) = reader.next_entry()? {
        let shown = e.display_name();
        a.entry(&e).map_err(|err| err.in_entry(&shown))?;
    }
    for (p, t) in std::mem::take(&mut a.dirs) {
        match a.fs.set_mtime(&p, t, false) {
            Ok(()) => {}
            Err(e) if e.kind == FsErrorKind::NotFound => {} // removed by a later whiteout
            Err(e) => return Err(e.into()),
        }
    }
    let stats = a.stats;
    *vfs = work;
    Ok(stats)
}

struct Applier<'a> {
    fs: &'a mut Vfs,
    opts: &'a ApplyOptions,
    /// Cleaned names seen in this layer (duplicates are refused).
    seen: HashSet<String>,
    /// Paths written by this layer (an opaque whiteout keeps them).
    unpacked: HashSet<String>,
    /// Symlinks this layer created.
    layer_symlinks: HashSet<String>,
    dirs: Vec<(String, i64)>,
    stats: ApplyStats,
}

const MAX_SYMLINKS: usize = 40;

/// Splits a tar name into clean components; `None` when it is absolute or climbs out.
fn clean(name: &str, allow_absolute: bool) -> Option<Vec<&str>> {
    // `/` alone (umoci writes the root so) is the root, as `./` is
    let only_root = name.split('/').all(|c| c.is_empty() || c == ".");
    if name.starts_with('/') && !allow_absolute && !only_root {
        return None;
    }
    super::tarr::name_components(name)
}

fn abs(comps: &[&str]) -> String {
    let mut s = String::new();
    for c in comps {
        s.push('/');
        s.push_str(c);
    }
    if s.is_empty() {
        s.push('/');
    }
    s
}

fn utf8(b: &[u8]) -> LayerResult<&str> {
    match std::str::from_utf8(b) {
        Ok(s) if !s.contains('\0') => Ok(s),
        _ => Err(LayerError::new(LayerErrorKind::BadName)),
    }
}

impl Applier<'_> {
    fn entry(&mut self, e: &TarEntry<'_>) -> LayerResult<()> {
        self.stats.entries += 1;
        let name = utf8(&e.name)?;
        let comps = clean(name, false).ok_or_else(|| LayerError::new(LayerErrorKind::UnsafePath))?;
        let Some((&base, parent_comps)) = comps.split_last() else {
            return self.root_entry(e, name);
        };
        let rel = comps.join("/");
        if !self.seen.insert(rel.clone()) {
            return Err(LayerError::new(LayerErrorKind::Duplicate));
        }
        // aufs metadata at the top (`.wh..wh.plnk/…`, `.wh..wh.aufs`) is skipped, as Docker does
        if comps[0].starts_with(".wh..wh.") && !(comps.len() == 1 && base == ".wh..wh..opq") {
            self.stats.skipped.push((rel, "aufs metadata"));
            return Ok(());
        }
        let meta = Meta {
            mode: e.mode & 0o7777,
            uid: u32::try_from(e.uid).map_err(|_| LayerError::new(LayerErrorKind::BadHeader("uid out of range".into())))?,
            gid: u32::try_from(e.gid).map_err(|_| LayerError::new(LayerErrorKind::BadHeader("gid out of range".into())))?,
            mtime: e.mtime,
        };
        match e.kind {
            EntryKind::CharDevice | EntryKind::BlockDevice | EntryKind::Fifo => {
                let what = match e.kind {
                    EntryKind::CharDevice => "character device",
                    EntryKind::BlockDevice => "block device",
                    _ => "fifo",
                };
                return match self.opts.special_files {
                    SpecialFiles::Refuse => Err(LayerError::new(LayerErrorKind::SpecialFile(what))),
                    SpecialFiles::Skip => {
                        self.stats.skipped.push((rel, what));
                        Ok(())
                    }
                };
            }
            EntryKind::Other(c) => return Err(LayerError::new(LayerErrorKind::UnsupportedEntry(c as char))),
            _ => {}
        }
        let parent = self.resolve_dir(parent_comps, true)?;
        let path = path::join(&parent, base);

        if let Some(orig) = base.strip_prefix(".wh.") {
            self.stats.whiteouts += 1;
            if base == ".wh..wh..opq" {
                for (child, _) in self.fs.read_dir(&parent)? {
                    let p = path::join(&parent, &child);
                    if !self.unpacked.contains(&p) {
                        self.fs.remove_all(&p)?;
                    }
                }
                return Ok(());
            }
            if orig.is_empty() || orig == "." || orig == ".." {
                return Err(LayerError::new(LayerErrorKind::BadWhiteout));
            }
            let target = path::join(&parent, orig);
            if self.fs.lstat(&target).is_ok() {
                self.fs.remove_all(&target)?;
            }
            self.layer_symlinks.remove(&target);
            return Ok(());
        }

        if let Ok(st) = self.fs.lstat(&path) {
            if !(st.is_dir() && e.kind == EntryKind::Dir) {
                self.fs.remove_all(&path)?;
            }
        }
        match e.kind {
            EntryKind::Dir => {
                if !self.fs.lstat(&path).map(|s| s.is_dir()).unwrap_or(false) {
                    self.fs.mkdir(&path, meta.mode)?;
                }
                self.fs.set_meta(&path, meta)?;
                self.dirs.push((path.clone(), meta.mtime));
            }
            EntryKind::File => {
                self.stats.content_size += e.data.len() as u64;
                self.fs.insert(&path, Node::new_file(meta, e.data.to_vec()))?;
            }
            EntryKind::Symlink => {
                let target = utf8(&e.link)?;
                self.fs.insert(&path, Node::new_symlink(Meta { mode: 0o777, ..meta }, target))?;
                self.layer_symlinks.insert(path.clone());
            }
            EntryKind::Hardlink => {
                let link = utf8(&e.link)?;
                // Docker joins the link name under the root, so a leading `/` is allowed here.
                let bad = |m: String| LayerError::new(LayerErrorKind::BadHardlink(m));
                let lcomps = clean(link, true).ok_or_else(|| bad(format!("target {link:?} is outside the image root")))?;
                let Some((&lbase, lparent)) = lcomps.split_last() else {
                    return Err(bad(format!("target {link:?} is the root directory")));
                };
                let lparent = self.resolve_dir(lparent, false).map_err(|err| match err.kind {
                    LayerErrorKind::Fs(ref f) if f.kind == FsErrorKind::NotFound => bad(format!("target {link:?} does not exist")),
                    _ => err,
                })?;
                let target = path::join(&lparent, lbase);
                match self.fs.lstat(&target) {
                    Err(_) => return Err(bad(format!("target {link:?} does not exist"))),
                    Ok(st) if st.is_dir() => return Err(bad(format!("target {link:?} is a directory"))),
                    Ok(_) => {}
                }
                self.fs.hard_link(&target, &path)?;
                if self.fs.lstat(&path)?.is_symlink() {
                    self.layer_symlinks.insert(path.clone());
                    self.unpacked.insert(path);
                    return Ok(());
                }
            }
            _ => unreachable!("special kinds handled above"),
        }
        if e.kind != EntryKind::Symlink {
            self.layer_symlinks.remove(&path);
        }
        self.unpacked.insert(path);
        Ok(())
    }

    /// `.` or `./`: a directory entry sets the root's metadata (as Docker does);
    /// anything else resolving to the root is skipped (as containerd does).
    fn root_entry(&mut self, e: &TarEntry<'_>, name: &str) -> LayerResult<()> {
        if e.kind != EntryKind::Dir {
            self.stats.skipped.push((name.to_string(), "resolves to the root"));
            return Ok(());
        }
        if !self.seen.insert(String::new()) {
            return Err(LayerError::new(LayerErrorKind::Duplicate));
        }
        let meta = Meta {
            mode: e.mode & 0o7777,
            uid: u32::try_from(e.uid).unwrap_or(0),
            gid: u32::try_from(e.gid).unwrap_or(0),
            mtime: e.mtime,
        };
        self.fs.set_meta("/", meta)?;
        self.dirs.push(("/".into(), meta.mtime));
        Ok(())
    }

    /// Resolves a directory path component by component, following symlinks of
    /// lower layers (confined to the root) and refusing one this layer created.
    /// With `create`, missing directories are made (mode 0755) as Docker's
    /// `MkdirAll` does. Returns the canonical path.
    fn resolve_dir(&mut self, comps: &[&str], create: bool) -> LayerResult<String> {
        let mut todo: Vec<String> = comps.iter().rev().map(|c| c.to_string()).collect();
        let mut cur: Vec<String> = Vec::new();
        let mut links = 0;
        while let Some(c) = todo.pop() {
            match c.as_str() {
                "" | "." => continue,
                ".." => {
                    cur.pop();
                    continue;
                }
                _ => {}
            }
            let refs: Vec<&str> = cur.iter().map(String::as_str).collect();
            let p = path::join(&abs(&refs), &c);
            match self.fs.lstat(&p) {
                Ok(st) if st.is_dir() => cur.push(c),
                Ok(st) if st.is_symlink() => {
                    if self.layer_symlinks.contains(&p) {
                        return Err(LayerError::new(LayerErrorKind::ThroughSymlink(p[1..].to_string())));
                    }
                    links += 1;
                    if links > MAX_SYMLINKS {
                        return Err(FsError::new(FsErrorKind::TooManyLinks, p).into());
                    }
                    let target = self.fs.read_link(&p)?;
                    if target.is_empty() {
                        return Err(FsError::new(FsErrorKind::NotFound, p).into());
                    }
                    if target.starts_with('/') {
                        cur.clear();
                    }
                    todo.extend(target.split('/').rev().map(str::to_string));
                }
                Ok(_) => return Err(FsError::new(FsErrorKind::NotADirectory, p).into()),
                Err(e) if e.kind == FsErrorKind::NotFound && create => {
                    self.fs.mkdir(&p, 0o755)?;
                    cur.push(c);
                }
                Err(e) => return Err(e.into()),
            }
        }
        let refs: Vec<&str> = cur.iter().map(String::as_str).collect();
        Ok(abs(&refs))
    }
}
