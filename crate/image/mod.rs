//! Images: the OCI config, manifest and index as BuildKit writes them, the
//! store of built and loaded images, and export/import.
//!
//! - [`config`]: the image config document (`ImageConfig`, history, rootfs),
//!   serialised byte-for-byte as BuildKit does ([`json`]), so the same inputs
//!   give the same image ID; [`history`] has BuildKit's `created_by` forms.
//! - [`manifest`]: media types, descriptors, manifests, indexes.
//! - [`store`]: blobs, image records, tags, build-cache records; memory or
//!   `$DFPLAY_HOME`.
//! - [`archive`]: `docker save` / OCI layout tars out, `docker load` in.
//! - [`export`]: rootfs as a tar or into a host directory (`--output`).
//! - [`inspect`]: `docker image inspect`, `docker history`, `docker images`.
//! - [`reference`]: image names as Docker parses them; [`time`]: timestamps.
//!
//! Invariant: the image module does IO only in the directory store and the
//! host-directory exporter (both native only); everything else works on bytes.

pub mod archive;
pub mod config;
mod error;
pub mod export;
pub mod history;
pub mod inspect;
pub mod json;
pub mod manifest;
pub use crate::reference;
pub mod store;
pub mod time;

pub use archive::{export_oci, load, save, ArchiveOptions, LoadOptions, LoadedImage};
pub use config::{History, ImageConfig, RunConfig};
pub use error::{ImageError, ImageErrorKind, ImageResult};
pub use reference::Reference;
pub use store::{Filter, ImageRecord, RemoveEvent, Store};
