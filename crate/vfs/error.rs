//! Errors of the virtual filesystem, worded like the Linux `strerror` texts that
//! `sh` and coreutils print, so messages read as a real container's would.

use std::fmt;

/// What went wrong, as an errno would say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FsErrorKind {
    /// ENOENT
    NotFound,
    /// ENOTDIR
    NotADirectory,
    /// EISDIR
    IsADirectory,
    /// EEXIST
    AlreadyExists,
    /// ENOTEMPTY
    DirectoryNotEmpty,
    /// ELOOP
    TooManyLinks,
    /// ENOSPC: a playground size or file-count limit was reached.
    NoSpace,
    /// EINVAL (for example moving a directory into itself)
    InvalidArgument,
    /// ENAMETOOLONG
    NameTooLong,
    /// EBUSY (removing `/`)
    Busy,
}

impl FsErrorKind {
    /// The `strerror(3)` text for this kind.
    pub fn message(self) -> &'static str {
        match self {
            FsErrorKind::NotFound => "No such file or directory",
            FsErrorKind::NotADirectory => "Not a directory",
            FsErrorKind::IsADirectory => "Is a directory",
            FsErrorKind::AlreadyExists => "File exists",
            FsErrorKind::DirectoryNotEmpty => "Directory not empty",
            FsErrorKind::TooManyLinks => "Too many levels of symbolic links",
            FsErrorKind::NoSpace => "No space left on device",
            FsErrorKind::InvalidArgument => "Invalid argument",
            FsErrorKind::NameTooLong => "File name too long",
            FsErrorKind::Busy => "Device or resource busy",
        }
    }
}

/// A filesystem error: the kind and the path it concerns (as the caller gave it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FsError {
    pub kind: FsErrorKind,
    pub path: String,
    /// Extra words for [`FsErrorKind::NoSpace`]: which playground limit was hit.
    pub detail: Option<String>,
}

impl FsError {
    pub fn new(kind: FsErrorKind, path: impl Into<String>) -> Self {
        FsError { kind, path: path.into(), detail: None }
    }

    /// The bare `strerror` text, for callers that format `cmd: path: text` themselves.
    pub fn message(&self) -> &'static str {
        self.kind.message()
    }
}

impl fmt::Display for FsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.kind.message())?;
        if let Some(d) = &self.detail {
            write!(f, " ({d})")?;
        }
        Ok(())
    }
}

impl std::error::Error for FsError {}

pub type FsResult<T> = Result<T, FsError>;
