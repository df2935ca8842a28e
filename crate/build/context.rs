//! The build context: the Dockerfile and the files COPY and ADD may read, held as
//! a vfs rooted at `/`, with the `.dockerignore` (or `<Dockerfile>.dockerignore`)
//! Docker would apply. Bounded in file count and bytes; filled by the CLI from a
//! directory or by the page from its file tree.

use crate::dockerignore::{Dockerignore, IgnoreError};
use crate::limits::{MAX_CONTEXT_BYTES, MAX_CONTEXT_FILES};
use crate::vfs::{path, Limits, Meta, Node, Vfs};

/// Why a context could not be assembled.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ContextError {
    #[error("build context has more than {MAX_CONTEXT_FILES} files (playground limit); add a .dockerignore to leave some out")]
    TooManyFiles,
    #[error("build context is larger than {} MiB (playground limit); add a .dockerignore to leave some out", MAX_CONTEXT_BYTES >> 20)]
    TooLarge,
    #[error("invalid path in build context: {0:?}")]
    BadPath(String),
    #[error("{0}")]
    Ignore(#[from] IgnoreError),
    #[error("{0}")]
    Io(String),
}

/// The Dockerfile and the context files.
#[derive(Clone, Debug)]
pub struct BuildContext {
    /// Every context file, before `.dockerignore` (rooted at `/`).
    pub files: Vfs,
    /// The Dockerfile's name as the user gave it (`Dockerfile`, `web.Dockerfile`).
    pub dockerfile_name: String,
    /// The Dockerfile's bytes.
    pub dockerfile: Vec<u8>,
    /// A `.dockerignore` given outside the tree (the Dockerfile-specific one).
    pub dockerfile_ignore: Option<Vec<u8>>,
    /// When the Dockerfile was last changed (seconds since the epoch).
    pub dockerfile_mtime: i64,
}

impl BuildContext {
    /// An empty context for this Dockerfile.
    pub fn new(dockerfile_name: impl Into<String>, dockerfile: impl Into<Vec<u8>>) -> Self {
        let files = Vfs::new().with_limits(Limits { max_bytes: MAX_CONTEXT_BYTES, max_nodes: MAX_CONTEXT_FILES as u64 + 1 });
        BuildContext { files, dockerfile_name: dockerfile_name.into(), dockerfile: dockerfile.into(), dockerfile_ignore: None, dockerfile_mtime: 0 }
    }

    fn check(rel: &str) -> Result<String, ContextError> {
        if rel.is_empty() || rel.contains('\0') || rel.split('/').any(|c| c == "..") {
            return Err(ContextError::BadPath(rel.to_string()));
        }
        Ok(path::normalize(rel))
    }

    fn map_fs(e: crate::vfs::FsError) -> ContextError {
        match e.kind {
            crate::vfs::FsErrorKind::NoSpace if e.detail.as_deref().is_some_and(|d| d.contains("MiB")) => ContextError::TooLarge,
            crate::vfs::FsErrorKind::NoSpace => ContextError::TooManyFiles,
            _ => ContextError::Io(e.to_string()),
        }
    }

    fn parents(&mut self, p: &str) -> Result<(), ContextError> {
        self.files.mkdir_all(path::parent(p), 0o755).map_err(Self::map_fs)
    }

    /// Adds a file (`rel` is relative to the context root, `/`-separated).
    pub fn add_file(&mut self, rel: &str, data: Vec<u8>, mode: u32, mtime: i64) -> Result<(), ContextError> {
        let p = Self::check(rel)?;
        self.parents(&p)?;
        self.files.insert(&p, Node::new_file(Meta::new(mode, mtime), data)).map_err(Self::map_fs)
    }

    /// Adds a directory (possibly empty).
    pub fn add_dir(&mut self, rel: &str, mode: u32, mtime: i64) -> Result<(), ContextError> {
        let p = Self::check(rel)?;
        self.parents(&p)?;
        if self.files.stat(&p).map(|s| s.is_dir()).unwrap_or(false) {
            return self.files.set_meta(&p, Meta::new(mode, mtime)).map_err(Self::map_fs);
        }
        self.files.insert(&p, Node::new_dir(Meta::new(mode, mtime))).map_err(Self::map_fs)
    }

    /// Adds a symlink (kept as a link; COPY follows it only when it is a source itself).
    pub fn add_symlink(&mut self, rel: &str, target: &str, mtime: i64) -> Result<(), ContextError> {
        let p = Self::check(rel)?;
        self.parents(&p)?;
        self.files.insert(&p, Node::new_symlink(Meta::new(0o777, mtime), target)).map_err(Self::map_fs)
    }

    /// The ignore file Docker uses: `<Dockerfile>.dockerignore` beside the
    /// Dockerfile wins over `.dockerignore` at the context root. Returns its name
    /// and contents.
    pub fn ignore_file(&self) -> Option<(String, Vec<u8>)> {
        if let Some(d) = &self.dockerfile_ignore {
            return Some((format!("{}.dockerignore", path::basename(&self.dockerfile_name)), d.clone()));
        }
        let specific = format!("/{}.dockerignore", self.dockerfile_name.trim_start_matches("./"));
        if let Ok(d) = self.files.read(&specific) {
            return Some((specific.trim_start_matches('/').to_string(), d.to_vec()));
        }
        self.files.read("/.dockerignore").ok().map(|d| (".dockerignore".to_string(), d.to_vec()))
    }

    /// The parsed ignore rules (empty when there is no ignore file).
    pub fn ignore(&self) -> Result<Dockerignore, ContextError> {
        match self.ignore_file() {
            Some((_, d)) => Ok(Dockerignore::parse(&String::from_utf8_lossy(&d))?),
            None => Ok(Dockerignore::default()),
        }
    }

    /// The context as the build sees it: excluded paths removed. A directory
    /// excluded by a pattern is still walked when `!` patterns could bring back
    /// something below it, as Docker does.
    pub fn filtered(&self, ignore: &Dockerignore) -> Vfs {
        if ignore.is_empty() {
            return self.files.clone();
        }
        let has_exceptions = ignore.patterns.iter().any(|p| p.exclusion);
        let mut out = Vfs::new().with_limits(self.files.limits());
        let _ = out.set_meta("/", *self.files.root().meta());
        let mut skip_below: Option<String> = None;
        for (p, node) in self.files.walk("/").unwrap_or_default().into_iter().skip(1) {
            if let Some(s) = &skip_below {
                if p.starts_with(s.as_str()) && p.as_bytes().get(s.len()) == Some(&b'/') {
                    continue;
                }
                skip_below = None;
            }
            let rel = p.trim_start_matches('/');
            if ignore.excludes(rel) {
                if matches!(node, Node::Dir(_)) && !has_exceptions {
                    skip_below = Some(p.clone());
                }
                continue;
            }
            // parents of a kept entry exist in `out` with their own metadata
            let mut cur = String::new();
            for c in path::components(path::parent(&p)) {
                cur = format!("{cur}/{c}");
                if out.lstat(&cur).is_err() {
                    let meta = self.files.lstat(&cur).map(|s| s.meta).unwrap_or_else(|_| Meta::new(0o755, 0));
                    let _ = out.insert(&cur, Node::new_dir(meta));
                }
            }
            let kept = match node {
                Node::Dir(d) => Node::new_dir(d.meta),
                other => other,
            };
            if out.lstat(&p).map(|s| s.is_dir()).unwrap_or(false) {
                let _ = out.set_meta(&p, *kept.meta());
            } else {
                let _ = out.insert(&p, kept);
            }
        }
        out
    }

    /// The newest modification time of the Dockerfile and the context files: the
    /// timestamp of a reproducible build when no `SOURCE_DATE_EPOCH` is given (so a
    /// build right after an edit says "About a minute ago", and the same inputs
    /// always give the same image ID).
    pub fn newest_mtime(&self) -> i64 {
        let files = self.files.walk("/").map(|w| w.iter().skip(1).map(|(_, n)| n.meta().mtime).max().unwrap_or(0)).unwrap_or(0);
        files.max(self.dockerfile_mtime)
    }

    /// Bytes reported as `transferring context: …`: the contents of the files sent.
    pub fn transfer_size(fs: &Vfs) -> u64 {
        fs.usage().bytes
    }
}

/// Sizes as docker prints them (go-units `HumanSizeWithPrecision`): decimal
/// units and `precision` significant digits — 4 in build progress (`10.74kB`),
/// 3 in `docker images` (`15.6MB`).
pub fn human_size_precision(n: u64, precision: usize) -> String {
    let units = ["B", "kB", "MB", "GB", "TB", "PB"];
    let mut v = n as f64;
    let mut i = 0;
    while v >= 1000.0 && i < units.len() - 1 {
        v /= 1000.0;
        i += 1;
    }
    let int_digits = if v < 1.0 { 1 } else { (v.log10().floor() as usize) + 1 };
    let decimals = precision.saturating_sub(int_digits);
    let mut s = format!("{v:.decimals$}");
    if s.contains('.') {
        s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    format!("{s}{}", units[i])
}

/// Build-progress sizes (`transferring context: 1.85kB`).
pub fn human_size(n: u64) -> String {
    human_size_precision(n, 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerignore_example() {
        let mut c = BuildContext::new("Dockerfile", "FROM x\n");
        for f in ["Dockerfile", "Dockerfile.note", "index.htm", "keep.txt", "test.htm1", "test.html", "test.htmx", "test2.html", "docs/a.html", "site/b.html", "site/pages/c.html"] {
            c.add_file(f, b"x".to_vec(), 0o644, 0).unwrap();
        }
        c.add_file(".dockerignore", b"# comments are ignored\ntest2.html\ntest.htm?\n*/*.html\n!docs/a.html\n".to_vec(), 0o644, 0).unwrap();
        let f = c.filtered(&c.ignore().unwrap());
        for p in ["/keep.txt", "/index.htm", "/Dockerfile.note", "/docs/a.html", "/site/pages/c.html"] {
            assert!(f.stat(p).is_ok(), "{p}");
        }
        for p in ["/test2.html", "/test.htm1", "/test.htmx", "/site/b.html", "/test.html"] {
            assert!(f.stat(p).is_err(), "{p}");
        }
    }

    #[test]
    fn limits_and_paths() {
        let mut c = BuildContext::new("Dockerfile", "");
        assert!(matches!(c.add_file("../x", vec![], 0o644, 0), Err(ContextError::BadPath(_))));
        c.files.set_limits(Limits { max_bytes: 10, max_nodes: 100 });
        assert_eq!(c.add_file("big", vec![0; 11], 0o644, 0), Err(ContextError::TooLarge));
    }

    #[test]
    fn sizes_like_buildkit() {
        assert_eq!(human_size(2), "2B");
        assert_eq!(human_size(1850), "1.85kB");
        assert_eq!(human_size(9760), "9.76kB");
        assert_eq!(human_size(10740), "10.74kB");
        assert_eq!(human_size(200_400_000), "200.4MB");
        assert_eq!(human_size_precision(15_600_000, 3), "15.6MB");
        assert_eq!(human_size_precision(1_270_000_000, 3), "1.27GB");
        assert_eq!(human_size_precision(0, 3), "0B");
    }
}
