//! Layers: the change between two vfs snapshots as a reproducible tar, and the
//! reverse, a layer tar applied to a vfs.
//!
//! - [`Layer::from_diff`] writes what changed from an old snapshot to a new one
//!   (adds, changes, deletions as OCI whiteouts) as BuildKit does: entries in
//!   walk order, parents included, fixed metadata (uid/gid numbers, empty
//!   uname/gname), times from the vfs clamped to `SOURCE_DATE_EPOCH`, headers
//!   byte-identical to Go's `archive/tar` — so the same change always has the
//!   same `diff_id`, and the same one BuildKit would give it.
//! - [`Layer::compress`] gzips it deterministically and gives the blob `digest`.
//! - [`apply`] puts a layer blob (gzip or plain tar) onto a vfs with Docker's
//!   whiteout rules and refuses hostile tars (the rules are on [`apply`]).
//! - [`rootfs_tar`] writes a whole tree (the `--output type=tar` exporter).
//!
//! Invariant: the layer module knows nothing of images, manifests or stores; it
//! does no IO. Every input size is bounded by [`crate::limits`].

mod apply;
mod blob;
mod create;
pub mod digest;
mod error;
pub mod gzip;
pub mod tarr;
pub(crate) mod tarw;

pub use apply::{apply, apply_tar, ApplyOptions, ApplyStats, SpecialFiles};
pub use blob::Blob;
pub use create::{WriteOptions, WriteStats};
pub use digest::Digest;
pub use error::{LayerError, LayerErrorKind, LayerResult};
pub use gzip::Compression;

use crate::vfs::Vfs;

/// An uncompressed layer tar with its digest and sizes.
#[derive(Clone, Debug)]
pub struct Layer {
    /// The tar; large file contents are the vfs's buffers, shared.
    pub tar: Blob,
    /// sha256 of the uncompressed tar, computed when first asked for: a layer of a
    /// stage that is only copied from is never hashed (BuildKit does not export it).
    diff_id: std::sync::OnceLock<Digest>,
    /// Bytes of regular-file contents, the size `docker history` shows.
    pub content_size: u64,
}

/// A gzip-compressed layer blob, as a registry or an OCI layout stores it.
#[derive(Clone, Debug)]
pub struct CompressedLayer {
    pub gz: Blob,
    /// sha256 of the compressed blob: the manifest's layer `digest`.
    pub digest: Digest,
}

impl Layer {
    /// The layer holding the change from `old` to `new` (the empty layer when
    /// nothing changed: 1024 zero bytes, `sha256:5f70bf18…`).
    pub fn from_diff(old: &Vfs, new: &Vfs, opts: WriteOptions) -> LayerResult<Layer> {
        let (tar, stats) = create::write_diff(old, new, opts)?;
        Ok(Layer { tar, diff_id: std::sync::OnceLock::new(), content_size: stats.content_size })
    }

    /// A layer from an uncompressed tar made elsewhere (checked entry by entry).
    pub fn from_tar(tar: Vec<u8>) -> LayerResult<Layer> {
        let (content_size, _) = scan(&tar)?;
        Ok(Layer { tar: Blob::from(tar), diff_id: std::sync::OnceLock::new(), content_size })
    }

    /// A layer whose tar was already checked against its `diff_id` (an imported
    /// image, a layer of the image store).
    pub fn with_digest(tar: impl Into<Blob>, diff_id: Digest, content_size: u64) -> Layer {
        Layer { tar: tar.into(), diff_id: std::sync::OnceLock::from(diff_id), content_size }
    }

    /// sha256 of the uncompressed tar: what the image config's `rootfs.diff_ids` lists.
    pub fn diff_id(&self) -> &Digest {
        self.diff_id.get_or_init(|| crate::memo::blob_digest(self.tar.pieces(), || Digest::of_parts(self.tar.parts())))
    }

    /// Bytes of the uncompressed tar.
    pub fn size(&self) -> u64 {
        self.tar.len() as u64
    }

    /// True for a layer without entries (a RUN that changed nothing): the tar is
    /// only its two closing zero blocks.
    pub fn is_empty(&self) -> bool {
        self.tar.len() <= 1024
    }

    /// The gzip blob of this layer (deterministic: same tar, same digest).
    pub fn compress(&self) -> CompressedLayer {
        let gz = self.tar.gzip();
        let digest = Digest::of(&gz);
        CompressedLayer { gz: Blob::from(gz), digest }
    }
}

/// Counts regular-file bytes and entries of an uncompressed tar, checking its structure.
pub fn scan(tar: &[u8]) -> LayerResult<(u64, usize)> {
    let mut r = tarr::TarReader::new(tar, tarr::ReadLimits::default());
    let (mut size, mut n) = (0u64, 0usize);
    while let Some(e) = r.next_entry()? {
        n += 1;
        if e.kind == tarr::EntryKind::File {
            size += e.data.len() as u64;
        }
    }
    Ok((size, n))
}

/// A tar of the whole tree (no whiteouts), as the `tar` exporter writes a rootfs.
pub fn rootfs_tar(vfs: &Vfs, opts: WriteOptions) -> LayerResult<Blob> {
    Ok(create::write_diff(&Vfs::new(), vfs, opts)?.0)
}

#[cfg(test)]
mod tests;
