//! Where the store keeps its bytes: content-addressed blobs and small JSON
//! documents in named spaces, behind one trait with two implementations —
//! memory (the page, tests) and a directory (the CLI, native only).

use crate::image::error::ImageResult;
use crate::layer::{Blob, Digest};

/// The document spaces of a store. Keys are lowercase hex (the store hashes
/// anything else), so every backend can use them as file names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Space {
    /// Image records, by image ID hex.
    Images,
    /// Layer records (sizes, gzip digest), by `diff_id` hex.
    Layers,
    /// The tag table (one document, key `tags`).
    Tags,
    /// The build cache's key → JSON records, by sha256 of the key.
    Records,
}

impl Space {
    pub fn dir_name(self) -> &'static str {
        match self {
            Space::Images => "images",
            Space::Layers => "layers",
            Space::Tags => "tags",
            Space::Records => "records",
        }
    }
}

/// A held store lock; dropping it releases the lock.
pub type LockGuard = Box<dyn std::any::Any>;

/// Storage for a [`super::Store`]. Blob writes are idempotent (same digest, same
/// bytes); document writes replace the document atomically.
pub trait Backend: Send + Sync {
    /// False for a store that lives only as long as its process (the page's): what is
    /// kept only to outlive the process (the step cache) is not written there.
    fn persistent(&self) -> bool {
        true
    }
    fn read_blob(&self, digest: &Digest) -> ImageResult<Option<Blob>>;
    /// Stores `data` (already verified to have `digest`); an in-memory backend keeps
    /// the pieces themselves (a layer's large file contents stay shared).
    fn write_blob(&mut self, digest: &Digest, data: &Blob) -> ImageResult<()>;
    fn has_blob(&self, digest: &Digest) -> ImageResult<bool>;
    fn delete_blob(&mut self, digest: &Digest) -> ImageResult<()>;
    fn list_blobs(&self) -> ImageResult<Vec<Digest>>;
    /// Bytes of a stored blob, without reading it.
    fn blob_size(&self, digest: &Digest) -> ImageResult<Option<u64>>;

    fn read_doc(&self, space: Space, key: &str) -> ImageResult<Option<Vec<u8>>>;
    fn write_doc(&mut self, space: Space, key: &str, data: &[u8]) -> ImageResult<()>;
    fn delete_doc(&mut self, space: Space, key: &str) -> ImageResult<()>;
    fn list_docs(&self, space: Space) -> ImageResult<Vec<String>>;

    /// Takes the store's write lock (read-modify-write sequences hold it).
    fn lock(&self) -> ImageResult<LockGuard>;
    /// Where the store lives, for messages (`memory`, a path).
    fn location(&self) -> String;
}
