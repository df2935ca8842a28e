//! The in-memory filesystem every build step and every `run` works on.
//!
//! A [`Vfs`] is a persistent tree: directories, regular files and symlinks with
//! mode, uid/gid and mtime. Nodes sit behind `Arc`s and are copied on write, so
//! `vfs.clone()` is O(1) and every build step can keep its own snapshot; two
//! snapshots share all the nodes neither has changed, which also makes
//! [`diff`] proportional to the change, not to the tree.
//!
//! Paths are absolute strings (`/a/b`); callers join relative paths with
//! [`path::join`]. Symlinks are resolved inside the tree as a chroot would: an
//! absolute target starts again at this root and `..` never leaves it.
//!
//! Invariant: the vfs knows nothing of layers, images, shells or the host; it does
//! no IO. Its size is bounded by [`Limits`]; a write past them fails with
//! `ENOSPC` naming the limit, never by running out of memory.

mod diff;
mod error;
pub mod path;

pub use diff::{diff, Change};
pub use error::{FsError, FsErrorKind, FsResult};

use std::collections::BTreeMap;
use std::sync::Arc;

/// Symlinks followed in one resolution before `ELOOP`, as Linux does.
const MAX_SYMLINKS: usize = 40;
/// Longest path accepted, as Linux's `PATH_MAX`.
const MAX_PATH: usize = 4096;
/// Longest file name, as Linux's `NAME_MAX`.
const MAX_NAME: usize = 255;

/// Metadata shared by every node kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Meta {
    /// Permission bits with setuid/setgid/sticky (`0o7777`), no file-type bits.
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Seconds since the epoch.
    pub mtime: i64,
}

impl Meta {
    pub fn new(mode: u32, mtime: i64) -> Self {
        Meta { mode: mode & 0o7777, uid: 0, gid: 0, mtime }
    }
}

/// A node of the tree. Cloning is an `Arc` clone.
#[derive(Clone, Debug)]
pub enum Node {
    Dir(Arc<Dir>),
    File(Arc<File>),
    Symlink(Arc<Symlink>),
}

#[derive(Clone, Debug, Default)]
pub struct Dir {
    pub meta: Meta,
    /// Children by name, in byte order (so every walk is sorted and reproducible).
    pub entries: BTreeMap<String, Node>,
}

#[derive(Clone, Debug)]
pub struct File {
    pub meta: Meta,
    /// Contents, shared between snapshots until one of them writes.
    pub data: Arc<Vec<u8>>,
    /// True when this file is one name of a hard-linked inode ([`Vfs::hard_link`],
    /// a layer's hard-link entry). The names of one inode are the paths that hold
    /// this very `Arc<File>` ([`Node::ptr_eq`]) with the flag set; layer export
    /// writes them as tar hard links. A change through one name copies the file
    /// (copy-on-write) and so ends its link, where Linux would change every name.
    pub hardlinked: bool,
}

#[derive(Clone, Debug)]
pub struct Symlink {
    pub meta: Meta,
    pub target: String,
}

/// The type of a node, as `stat` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileType {
    Dir,
    File,
    Symlink,
}

/// What `stat`/`lstat` return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stat {
    pub file_type: FileType,
    pub meta: Meta,
    /// Bytes of a file, length of a symlink's target, 4096 for a directory.
    pub size: u64,
}

impl Stat {
    pub fn is_dir(&self) -> bool {
        self.file_type == FileType::Dir
    }
    pub fn is_file(&self) -> bool {
        self.file_type == FileType::File
    }
    pub fn is_symlink(&self) -> bool {
        self.file_type == FileType::Symlink
    }
}

impl Node {
    pub fn new_dir(meta: Meta) -> Node {
        Node::Dir(Arc::new(Dir { meta, entries: BTreeMap::new() }))
    }
    pub fn new_file(meta: Meta, data: impl Into<Arc<Vec<u8>>>) -> Node {
        Node::File(Arc::new(File { meta, data: data.into(), hardlinked: false }))
    }
    pub fn new_symlink(meta: Meta, target: impl Into<String>) -> Node {
        Node::Symlink(Arc::new(Symlink { meta, target: target.into() }))
    }
    pub fn meta(&self) -> &Meta {
        match self {
            Node::Dir(d) => &d.meta,
            Node::File(f) => &f.meta,
            Node::Symlink(s) => &s.meta,
        }
    }
    fn meta_mut(&mut self) -> &mut Meta {
        match self {
            Node::Dir(d) => &mut Arc::make_mut(d).meta,
            Node::File(f) => &mut Arc::make_mut(f).meta,
            Node::Symlink(s) => &mut Arc::make_mut(s).meta,
        }
    }
    pub fn file_type(&self) -> FileType {
        match self {
            Node::Dir(_) => FileType::Dir,
            Node::File(_) => FileType::File,
            Node::Symlink(_) => FileType::Symlink,
        }
    }
    pub fn stat(&self) -> Stat {
        let size = match self {
            Node::Dir(_) => 4096,
            Node::File(f) => f.data.len() as u64,
            Node::Symlink(s) => s.target.len() as u64,
        };
        Stat { file_type: self.file_type(), meta: *self.meta(), size }
    }
    pub fn as_dir(&self) -> Option<&Dir> {
        match self {
            Node::Dir(d) => Some(d),
            _ => None,
        }
    }
    /// True when both are the very same shared node (no comparison of contents).
    pub fn ptr_eq(&self, other: &Node) -> bool {
        match (self, other) {
            (Node::Dir(a), Node::Dir(b)) => Arc::ptr_eq(a, b),
            (Node::File(a), Node::File(b)) => Arc::ptr_eq(a, b),
            (Node::Symlink(a), Node::Symlink(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
    /// Nodes and file bytes in this subtree (the node itself included).
    pub fn usage(&self) -> Usage {
        match self {
            Node::File(f) => Usage { nodes: 1, bytes: f.data.len() as u64 },
            Node::Symlink(_) => Usage { nodes: 1, bytes: 0 },
            Node::Dir(d) => {
                let mut u = Usage { nodes: 1, bytes: 0 };
                for c in d.entries.values() {
                    let cu = c.usage();
                    u.nodes += cu.nodes;
                    u.bytes += cu.bytes;
                }
                u
            }
        }
    }
}

/// Size of a tree: node count and bytes of file contents (shared contents counted
/// each time they appear, as `du --apparent-size` would).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    pub nodes: u64,
    pub bytes: u64,
}

/// How big one filesystem may grow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_bytes: u64,
    pub max_nodes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_bytes: 256 << 20, max_nodes: 200_000 }
    }
}

impl Limits {
    fn describe_bytes(&self) -> String {
        format!("playground limit: {} MiB of files per filesystem", self.max_bytes >> 20)
    }
    fn describe_nodes(&self) -> String {
        format!("playground limit: {} files per filesystem", self.max_nodes)
    }
}

/// The filesystem: a root directory, the clock for new timestamps, limits and usage.
#[derive(Clone, Debug)]
pub struct Vfs {
    root: Node,
    usage: Usage,
    limits: Limits,
    /// The mtime given to nodes this filesystem creates or changes.
    pub now: i64,
}

impl Default for Vfs {
    fn default() -> Self {
        Vfs::new()
    }
}

/// Where a path leads: its canonical components and, if it exists, the node.
struct Resolved {
    comps: Vec<String>,
    node: Option<Node>,
}

impl Resolved {
    fn path(&self) -> String {
        if self.comps.is_empty() {
            "/".into()
        } else {
            let mut s = String::new();
            for c in &self.comps {
                s.push('/');
                s.push_str(c);
            }
            s
        }
    }
}

impl Vfs {
    /// An empty filesystem: only `/` (mode 0755, root-owned), mtime 0.
    pub fn new() -> Self {
        Vfs { root: Node::new_dir(Meta::new(0o755, 0)), usage: Usage { nodes: 1, bytes: 0 }, limits: Limits::default(), now: 0 }
    }

    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// Node count and file bytes of the whole tree.
    pub fn usage(&self) -> Usage {
        self.usage
    }

    /// The root directory node.
    pub fn root(&self) -> &Node {
        &self.root
    }

    /// True when the two filesystems share the same root (nothing changed between them).
    pub fn same_as(&self, other: &Vfs) -> bool {
        self.root.ptr_eq(&other.root)
    }

    // ----- resolution -------------------------------------------------------------

    fn resolve(&self, path: &str, follow_last: bool) -> FsResult<Resolved> {
        if path.len() > MAX_PATH {
            return Err(FsError::new(FsErrorKind::NameTooLong, path));
        }
        if path.is_empty() {
            return Err(FsError::new(FsErrorKind::NotFound, path));
        }
        let must_be_dir = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..") || path == "." || path == "..";
        let follow_last = follow_last || must_be_dir;
        let mut todo: Vec<String> = path::components(path).rev().map(str::to_string).collect();
        let mut comps: Vec<String> = Vec::new();
        let mut dirs: Vec<Arc<Dir>> = vec![match &self.root {
            Node::Dir(d) => d.clone(),
            _ => unreachable!("root is a directory"),
        }];
        let mut links = 0;
        let mut last: Option<Node> = Some(self.root.clone());
        while let Some(c) = todo.pop() {
            if c == ".." {
                if !comps.is_empty() {
                    comps.pop();
                    dirs.pop();
                }
                last = Some(Node::Dir(dirs[dirs.len() - 1].clone()));
                continue;
            }
            if c.len() > MAX_NAME {
                return Err(FsError::new(FsErrorKind::NameTooLong, path));
            }
            let is_last = todo.is_empty();
            let dir = dirs[dirs.len() - 1].clone();
            match dir.entries.get(&c) {
                None => {
                    if is_last {
                        comps.push(c);
                        return Ok(Resolved { comps, node: None });
                    }
                    return Err(FsError::new(FsErrorKind::NotFound, path));
                }
                Some(Node::Symlink(l)) if !is_last || follow_last => {
                    links += 1;
                    if links > MAX_SYMLINKS {
                        return Err(FsError::new(FsErrorKind::TooManyLinks, path));
                    }
                    if l.target.is_empty() {
                        return Err(FsError::new(FsErrorKind::NotFound, path));
                    }
                    if l.target.starts_with('/') {
                        comps.clear();
                        dirs.truncate(1);
                    }
                    let more: Vec<String> = path::components(&l.target).rev().map(str::to_string).collect();
                    if more.is_empty() {
                        // a link to "/" or ".": the current directory
                        last = Some(Node::Dir(dirs[dirs.len() - 1].clone()));
                    }
                    todo.extend(more);
                }
                Some(Node::Dir(d)) => {
                    comps.push(c);
                    dirs.push(d.clone());
                    last = Some(Node::Dir(d.clone()));
                }
                Some(other) => {
                    if is_last {
                        comps.push(c);
                        if must_be_dir {
                            return Err(FsError::new(FsErrorKind::NotADirectory, path));
                        }
                        return Ok(Resolved { comps, node: Some(other.clone()) });
                    }
                    return Err(FsError::new(FsErrorKind::NotADirectory, path));
                }
            }
        }
        Ok(Resolved { comps, node: last })
    }

    fn require(&self, path: &str, follow: bool) -> FsResult<(Resolved, Node)> {
        let r = self.resolve(path, follow)?;
        match r.node.clone() {
            Some(n) => Ok((r, n)),
            None => Err(FsError::new(FsErrorKind::NotFound, path)),
        }
    }

    /// The directory at canonical components `comps`, made unique for writing.
    fn dir_mut(&mut self, comps: &[String]) -> &mut Dir {
        let mut d = match &mut self.root {
            Node::Dir(d) => Arc::make_mut(d),
            _ => unreachable!("root is a directory"),
        };
        for c in comps {
            d = match d.entries.get_mut(c) {
                Some(Node::Dir(x)) => Arc::make_mut(x),
                _ => unreachable!("resolved components are directories"),
            };
        }
        d
    }

    /// The node at canonical components (non-empty), made unique for writing.
    fn node_mut(&mut self, comps: &[String]) -> &mut Node {
        if comps.is_empty() {
            return &mut self.root;
        }
        let (last, parent) = comps.split_last().expect("non-empty");
        self.dir_mut(parent).entries.get_mut(last).expect("resolved node exists")
    }

    fn check_growth(&self, add: Usage, remove: Usage, path: &str) -> FsResult<()> {
        let bytes = self.usage.bytes.saturating_sub(remove.bytes).saturating_add(add.bytes);
        let nodes = self.usage.nodes.saturating_sub(remove.nodes).saturating_add(add.nodes);
        if add.bytes > remove.bytes && bytes > self.limits.max_bytes {
            return Err(FsError { kind: FsErrorKind::NoSpace, path: path.into(), detail: Some(self.limits.describe_bytes()) });
        }
        if add.nodes > remove.nodes && nodes > self.limits.max_nodes {
            return Err(FsError { kind: FsErrorKind::NoSpace, path: path.into(), detail: Some(self.limits.describe_nodes()) });
        }
        Ok(())
    }

    fn account(&mut self, add: Usage, remove: Usage) {
        self.usage.bytes = self.usage.bytes.saturating_sub(remove.bytes).saturating_add(add.bytes);
        self.usage.nodes = self.usage.nodes.saturating_sub(remove.nodes).saturating_add(add.nodes);
    }

    // ----- queries ------------------------------------------------------------------

    /// `stat(2)`: follows symlinks.
    pub fn stat(&self, path: &str) -> FsResult<Stat> {
        Ok(self.require(path, true)?.1.stat())
    }

    /// `lstat(2)`: does not follow a final symlink.
    pub fn lstat(&self, path: &str) -> FsResult<Stat> {
        Ok(self.require(path, false)?.1.stat())
    }

    pub fn exists(&self, path: &str) -> bool {
        self.stat(path).is_ok()
    }

    /// The node at `path` (shared, cheap to clone).
    pub fn get(&self, path: &str, follow: bool) -> FsResult<Node> {
        Ok(self.require(path, follow)?.1)
    }

    /// The physical path `path` leads to, all symlinks resolved (`realpath -m` for
    /// a missing last component).
    pub fn canonicalize(&self, path: &str) -> FsResult<String> {
        Ok(self.resolve(path, true)?.path())
    }

    /// A file's contents (follows symlinks).
    pub fn read(&self, path: &str) -> FsResult<Arc<Vec<u8>>> {
        match self.require(path, true)?.1 {
            Node::File(f) => Ok(f.data.clone()),
            Node::Dir(_) => Err(FsError::new(FsErrorKind::IsADirectory, path)),
            Node::Symlink(_) => Err(FsError::new(FsErrorKind::TooManyLinks, path)),
        }
    }

    /// A symlink's target (`readlink(2)`).
    pub fn read_link(&self, path: &str) -> FsResult<String> {
        match self.require(path, false)?.1 {
            Node::Symlink(s) => Ok(s.target.clone()),
            _ => Err(FsError::new(FsErrorKind::InvalidArgument, path)),
        }
    }

    /// A directory's entries in byte order (follows symlinks).
    pub fn read_dir(&self, path: &str) -> FsResult<Vec<(String, Node)>> {
        match self.require(path, true)?.1 {
            Node::Dir(d) => Ok(d.entries.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
            _ => Err(FsError::new(FsErrorKind::NotADirectory, path)),
        }
    }

    /// Every node under `path` (itself first), depth first in byte order, with its
    /// absolute path. Does not follow symlinks below `path`.
    pub fn walk(&self, path: &str) -> FsResult<Vec<(String, Node)>> {
        let (r, n) = self.require(path, true)?;
        let mut out = Vec::new();
        walk_node(&r.path(), &n, &mut out);
        Ok(out)
    }

    // ----- changes --------------------------------------------------------------------

    /// Creates or truncates a regular file (`open(O_CREAT|O_TRUNC)` + write),
    /// following symlinks. A new file gets `mode`; an existing one keeps its mode.
    pub fn write(&mut self, path: &str, data: impl Into<Arc<Vec<u8>>>, mode: u32) -> FsResult<()> {
        let data: Arc<Vec<u8>> = data.into();
        let r = self.resolve(path, true)?;
        let now = self.now;
        match &r.node {
            Some(Node::Dir(_)) => Err(FsError::new(FsErrorKind::IsADirectory, path)),
            Some(Node::File(f)) => {
                let old = Usage { nodes: 1, bytes: f.data.len() as u64 };
                let new = Usage { nodes: 1, bytes: data.len() as u64 };
                self.check_growth(new, old, path)?;
                self.account(new, old);
                if let Node::File(f) = self.node_mut(&r.comps) {
                    let f = Arc::make_mut(f);
                    f.data = data;
                    f.meta.mtime = now;
                }
                Ok(())
            }
            Some(Node::Symlink(_)) => Err(FsError::new(FsErrorKind::TooManyLinks, path)),
            None => self.create(&r, Node::new_file(Meta::new(mode, now), data), path),
        }
    }

    /// Appends to a file, creating it with `mode` if missing (`>>`).
    pub fn append(&mut self, path: &str, data: &[u8], mode: u32) -> FsResult<()> {
        let mut r = self.resolve(path, true)?;
        let now = self.now;
        // the resolution's own reference to the node would make the contents
        // look shared and every append copy them
        let found = r.node.take().map(|n| n.file_type());
        match found {
            Some(FileType::Dir) => Err(FsError::new(FsErrorKind::IsADirectory, path)),
            Some(FileType::File) => {
                let add = Usage { nodes: 0, bytes: data.len() as u64 };
                self.check_growth(add, Usage::default(), path)?;
                self.account(add, Usage::default());
                if let Node::File(f) = self.node_mut(&r.comps) {
                    let f = Arc::make_mut(f);
                    Arc::make_mut(&mut f.data).extend_from_slice(data);
                    f.meta.mtime = now;
                }
                Ok(())
            }
            Some(FileType::Symlink) => Err(FsError::new(FsErrorKind::TooManyLinks, path)),
            None => self.create(&r, Node::new_file(Meta::new(mode, now), data.to_vec()), path),
        }
    }

    fn create(&mut self, r: &Resolved, node: Node, path: &str) -> FsResult<()> {
        let add = node.usage();
        self.check_growth(add, Usage::default(), path)?;
        let (name, parent) = r.comps.split_last().ok_or_else(|| FsError::new(FsErrorKind::AlreadyExists, path))?;
        let now = self.now;
        let d = self.dir_mut(parent);
        d.entries.insert(name.clone(), node);
        d.meta.mtime = now;
        self.account(add, Usage::default());
        Ok(())
    }

    /// `mkdir(2)`: the parent must exist; an existing path (even a dangling
    /// symlink) is `EEXIST`.
    pub fn mkdir(&mut self, path: &str, mode: u32) -> FsResult<()> {
        let trimmed = path.trim_end_matches('/');
        if trimmed.is_empty() {
            return Err(FsError::new(FsErrorKind::AlreadyExists, path));
        }
        let r = self.resolve(trimmed, false)?;
        if r.node.is_some() || r.comps.is_empty() {
            return Err(FsError::new(FsErrorKind::AlreadyExists, path));
        }
        let now = self.now;
        self.create(&r, Node::new_dir(Meta::new(mode, now)), path)
    }

    /// `mkdir -p`: creates missing parents; existing directories (or symlinks to
    /// them) are fine, anything else in the way is an error.
    pub fn mkdir_all(&mut self, path: &str, mode: u32) -> FsResult<()> {
        let mut cur = String::from("/");
        for c in path::components(path) {
            cur = path::join(&cur, c);
            match self.stat(&cur) {
                Ok(st) if st.is_dir() => {}
                Ok(_) => return Err(FsError::new(FsErrorKind::NotADirectory, &cur)),
                Err(e) if e.kind == FsErrorKind::NotFound => match self.mkdir(&cur, mode) {
                    Ok(()) => {}
                    // a dangling symlink in the way
                    Err(e) if e.kind == FsErrorKind::AlreadyExists => return Err(FsError::new(FsErrorKind::NotFound, &cur)),
                    Err(e) => return Err(e),
                },
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// `symlink(2)`: creates `link` pointing at `target` (not checked).
    pub fn symlink(&mut self, target: &str, link: &str) -> FsResult<()> {
        let r = self.resolve(link, false)?;
        if r.node.is_some() || r.comps.is_empty() {
            return Err(FsError::new(FsErrorKind::AlreadyExists, link));
        }
        let now = self.now;
        self.create(&r, Node::new_symlink(Meta::new(0o777, now), target), link)
    }

    /// `link(2)`: gives the file at `target` (a final symlink is not followed) the
    /// second name `link`. Both names then hold one shared node marked
    /// [`File::hardlinked`]; a symlink target is copied (Linux links the symlink
    /// itself). A directory is refused (`EISDIR`), an existing `link` is `EEXIST`.
    /// Each name counts toward the byte limit, as `du --apparent-size -l` would.
    pub fn hard_link(&mut self, target: &str, link: &str) -> FsResult<()> {
        let (rt, node) = self.require(target, false)?;
        let node = match node {
            Node::Dir(_) => return Err(FsError::new(FsErrorKind::IsADirectory, target)),
            Node::Symlink(_) => node,
            Node::File(mut f) => {
                if !f.hardlinked {
                    Arc::make_mut(&mut f).hardlinked = true;
                    let shared = Node::File(f.clone());
                    *self.node_mut(&rt.comps) = shared;
                }
                Node::File(f)
            }
        };
        let rl = self.resolve(link, false)?;
        if rl.node.is_some() || rl.comps.is_empty() {
            return Err(FsError::new(FsErrorKind::AlreadyExists, link));
        }
        self.create(&rl, node, link)
    }

    /// Puts `node` at `path` (no symlink followed for the last component),
    /// replacing whatever is there. The parent must exist. Used by COPY, layer
    /// application and `cp`; the node keeps its own metadata.
    pub fn insert(&mut self, path: &str, node: Node) -> FsResult<()> {
        let r = self.resolve(path, false)?;
        if r.comps.is_empty() {
            return match node {
                Node::Dir(_) => {
                    let add = node.usage();
                    let old = self.root.usage();
                    self.check_growth(add, old, path)?;
                    self.root = node;
                    self.account(add, old);
                    Ok(())
                }
                _ => Err(FsError::new(FsErrorKind::IsADirectory, path)),
            };
        }
        let add = node.usage();
        let old = r.node.as_ref().map(Node::usage).unwrap_or_default();
        self.check_growth(add, old, path)?;
        let (name, parent) = r.comps.split_last().expect("non-empty");
        let now = self.now;
        let d = self.dir_mut(parent);
        d.entries.insert(name.clone(), node);
        d.meta.mtime = now;
        self.account(add, old);
        Ok(())
    }

    /// `unlink(2)`: removes a file or symlink (never follows it).
    pub fn remove_file(&mut self, path: &str) -> FsResult<()> {
        let (r, n) = self.require(path, false)?;
        if let Node::Dir(_) = n {
            return Err(FsError::new(FsErrorKind::IsADirectory, path));
        }
        self.detach(&r.comps, n.usage());
        Ok(())
    }

    /// `rmdir(2)`: removes an empty directory.
    pub fn remove_dir(&mut self, path: &str) -> FsResult<()> {
        let (r, n) = self.require(path, false)?;
        match &n {
            Node::Dir(_) if r.comps.is_empty() => Err(FsError::new(FsErrorKind::Busy, path)),
            Node::Dir(d) if !d.entries.is_empty() => Err(FsError::new(FsErrorKind::DirectoryNotEmpty, path)),
            Node::Dir(_) => {
                self.detach(&r.comps, n.usage());
                Ok(())
            }
            _ => Err(FsError::new(FsErrorKind::NotADirectory, path)),
        }
    }

    /// Removes whatever is at `path`, recursively (`rm -rf` of one operand).
    /// Removing `/` empties the root instead.
    pub fn remove_all(&mut self, path: &str) -> FsResult<()> {
        let (r, n) = self.require(path, false)?;
        if r.comps.is_empty() {
            let now = self.now;
            let root = self.dir_mut(&[]);
            root.entries.clear();
            root.meta.mtime = now;
            self.usage = Usage { nodes: 1, bytes: 0 };
            return Ok(());
        }
        self.detach(&r.comps, n.usage());
        Ok(())
    }

    fn detach(&mut self, comps: &[String], usage: Usage) -> Option<Node> {
        let (name, parent) = comps.split_last()?;
        let now = self.now;
        let d = self.dir_mut(parent);
        let n = d.entries.remove(name);
        d.meta.mtime = now;
        self.account(Usage::default(), usage);
        n
    }

    /// `rename(2)` with its rules: a directory may replace only an empty directory,
    /// a non-directory only a non-directory, and nothing moves into itself.
    pub fn rename(&mut self, from: &str, to: &str) -> FsResult<()> {
        let (rf, nf) = self.require(from, false)?;
        if rf.comps.is_empty() {
            return Err(FsError::new(FsErrorKind::Busy, from));
        }
        let rt = self.resolve(to, false)?;
        if rt.comps.is_empty() {
            return Err(FsError::new(FsErrorKind::Busy, to));
        }
        if rt.comps == rf.comps {
            return Ok(());
        }
        if rt.comps.len() > rf.comps.len() && rt.comps[..rf.comps.len()] == rf.comps[..] {
            return Err(FsError::new(FsErrorKind::InvalidArgument, to));
        }
        if let Some(nt) = &rt.node {
            match (&nf, nt) {
                (Node::Dir(_), Node::Dir(d)) if !d.entries.is_empty() => {
                    return Err(FsError::new(FsErrorKind::DirectoryNotEmpty, to))
                }
                (Node::Dir(_), Node::Dir(_)) => {}
                (Node::Dir(_), _) => return Err(FsError::new(FsErrorKind::NotADirectory, to)),
                (_, Node::Dir(_)) => return Err(FsError::new(FsErrorKind::IsADirectory, to)),
                _ => {}
            }
        }
        let usage = nf.usage();
        let node = self.detach(&rf.comps, usage).expect("resolved");
        // the destination's parent is unchanged by removing `from` (not inside it)
        let old = rt.node.as_ref().map(Node::usage).unwrap_or_default();
        let (name, parent) = rt.comps.split_last().expect("non-empty");
        let now = self.now;
        let d = self.dir_mut(parent);
        d.entries.insert(name.clone(), node);
        d.meta.mtime = now;
        self.account(usage, old);
        Ok(())
    }

    /// `chmod(2)` (follows symlinks): sets the permission bits (`0o7777`).
    pub fn chmod(&mut self, path: &str, mode: u32) -> FsResult<()> {
        let (r, _) = self.require(path, true)?;
        self.node_mut(&r.comps).meta_mut().mode = mode & 0o7777;
        Ok(())
    }

    /// `chown(2)` / `lchown(2)`.
    pub fn chown(&mut self, path: &str, uid: u32, gid: u32, follow: bool) -> FsResult<()> {
        let (r, _) = self.require(path, follow)?;
        let m = self.node_mut(&r.comps).meta_mut();
        m.uid = uid;
        m.gid = gid;
        Ok(())
    }

    /// Sets the modification time (`touch -d`, layer extraction).
    pub fn set_mtime(&mut self, path: &str, mtime: i64, follow: bool) -> FsResult<()> {
        let (r, _) = self.require(path, follow)?;
        self.node_mut(&r.comps).meta_mut().mtime = mtime;
        Ok(())
    }

    /// Replaces all metadata of the node at `path` (no symlink followed).
    pub fn set_meta(&mut self, path: &str, meta: Meta) -> FsResult<()> {
        let (r, _) = self.require(path, false)?;
        *self.node_mut(&r.comps).meta_mut() = Meta { mode: meta.mode & 0o7777, ..meta };
        Ok(())
    }
}

fn walk_node(path: &str, node: &Node, out: &mut Vec<(String, Node)>) {
    out.push((path.to_string(), node.clone()));
    if let Node::Dir(d) = node {
        for (name, child) in &d.entries {
            walk_node(&path::join(path, name), child, out);
        }
    }
}

#[cfg(test)]
mod tests;
