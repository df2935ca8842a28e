//! Errors of layer encoding, decoding and application: what was wrong and which
//! tar entry it concerns, worded so a user can find the entry with `tar tvf`.

use crate::vfs::FsError;
use std::fmt;

/// What went wrong with a layer or an image archive's tar.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LayerErrorKind {
    /// The gzip stream is corrupt (bad header, bad deflate data, CRC or size mismatch).
    Gzip(String),
    /// The data ends in the middle of a gzip stream or of a tar entry.
    Truncated,
    /// A tar header is malformed (bad checksum, bad number, bad PAX record).
    BadHeader(String),
    /// The layer is compressed with something other than gzip (`zstd`, `bzip2`, `xz`).
    UnsupportedCompression(&'static str),
    /// An entry type dfplay does not handle (sparse files, volume labels, …).
    UnsupportedEntry(char),
    /// A device node or fifo: the playground's filesystem cannot hold one.
    SpecialFile(&'static str),
    /// The entry's path is absolute or climbs out of the root with `..`.
    UnsafePath,
    /// A hard link whose target is outside the root, missing or a directory.
    BadHardlink(String),
    /// The entry would be written through a symlink created earlier in the same layer.
    ThroughSymlink(String),
    /// The same path appears twice in one layer.
    Duplicate,
    /// A whiteout naming `.`, `..` or nothing.
    BadWhiteout,
    /// A name or link target that is not UTF-8 or contains NUL.
    BadName,
    /// The uncompressed layer is larger than the cap (a gzip bomb, or just too big).
    TooLarge { limit: u64 },
    /// More entries than the cap.
    TooManyEntries { limit: usize },
    /// A PAX header or GNU long name larger than the cap.
    HeaderTooLarge { size: u64, limit: u64 },
    /// The virtual filesystem refused the change (full, not a directory, …).
    Fs(FsError),
}

/// A layer error: the kind and, when known, the tar entry it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerError {
    pub kind: LayerErrorKind,
    /// The entry's name as written in the tar (lossily decoded), if the error concerns one.
    pub entry: Option<String>,
}

impl LayerError {
    pub fn new(kind: LayerErrorKind) -> Self {
        LayerError { kind, entry: None }
    }
    pub fn at(kind: LayerErrorKind, entry: impl Into<String>) -> Self {
        LayerError { kind, entry: Some(entry.into()) }
    }
    /// Names the entry unless one is named already.
    pub fn in_entry(mut self, entry: &str) -> Self {
        if self.entry.is_none() {
            self.entry = Some(entry.to_string());
        }
        self
    }
}

impl fmt::Display for LayerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(e) = &self.entry {
            write!(f, "tar entry {e:?}: ")?;
        }
        match &self.kind {
            LayerErrorKind::Gzip(m) => write!(f, "invalid gzip data: {m}"),
            LayerErrorKind::Truncated => write!(f, "unexpected end of data (truncated archive)"),
            LayerErrorKind::BadHeader(m) => write!(f, "invalid tar header: {m}"),
            LayerErrorKind::UnsupportedCompression(c) => write!(
                f,
                "{c}-compressed layers are not supported; save the image with gzip or uncompressed layers \
                 (docker save writes uncompressed layers; skopeo copy --dest-compress-format=gzip converts)"
            ),
            LayerErrorKind::UnsupportedEntry(t) => write!(f, "unsupported tar entry type {t:?}"),
            LayerErrorKind::SpecialFile(what) => {
                write!(f, "{what}s cannot be created in the playground's filesystem (refused)")
            }
            LayerErrorKind::UnsafePath => write!(f, "path is absolute or leaves the image root (refused)"),
            LayerErrorKind::BadHardlink(m) => write!(f, "invalid hard link: {m}"),
            LayerErrorKind::ThroughSymlink(l) => write!(
                f,
                "would be written through the symlink {l:?} created earlier in this layer (refused)"
            ),
            LayerErrorKind::Duplicate => write!(f, "the path appears twice in one layer (refused)"),
            LayerErrorKind::BadWhiteout => write!(f, "invalid whiteout name"),
            LayerErrorKind::BadName => write!(f, "name is not UTF-8 or contains NUL"),
            LayerErrorKind::TooLarge { limit } => {
                write!(f, "uncompressed layer larger than the playground limit of {} MiB", limit >> 20)
            }
            LayerErrorKind::TooManyEntries { limit } => {
                write!(f, "layer has more than the playground limit of {limit} entries")
            }
            LayerErrorKind::HeaderTooLarge { size, limit } => {
                write!(f, "extended header of {size} bytes exceeds the limit of {limit} bytes")
            }
            LayerErrorKind::Fs(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for LayerError {}

impl From<FsError> for LayerError {
    fn from(e: FsError) -> Self {
        LayerError::new(LayerErrorKind::Fs(e))
    }
}

pub type LayerResult<T> = Result<T, LayerError>;
