//! Bounds on untrusted input, in one place so the docs, the CLI and the page agree.

/// Largest Dockerfile accepted (bytes).
pub const MAX_DOCKERFILE_BYTES: usize = 4 << 20;
/// Most files a build context may hold.
pub const MAX_CONTEXT_FILES: usize = 50_000;
/// Most bytes a build context may hold.
pub const MAX_CONTEXT_BYTES: u64 = 256 << 20;

// ----- layers and image archives (crate::layer, crate::image) -----------------------

/// Largest uncompressed layer tar accepted when applying or loading (a gzip bomb stops here).
pub const MAX_LAYER_BYTES: u64 = 1 << 30;
/// Most entries one layer tar may hold.
pub const MAX_LAYER_ENTRIES: usize = 200_000;
/// Largest PAX extended header or GNU long name/link record (Go's archive/tar allows 1 MiB).
pub const MAX_TAR_HEADER_BYTES: u64 = 1 << 20;
/// Largest image archive (`docker save` / OCI layout tar) `load` reads.
pub const MAX_ARCHIVE_BYTES: u64 = 2 << 30;
/// Largest JSON document in an archive (manifest, index, config), as containerd's 4 MiB cap.
pub const MAX_JSON_BYTES: u64 = 4 << 20;
/// Most layers one image may have (Docker's overlay2 limit is 128 lower directories).
pub const MAX_IMAGE_LAYERS: usize = 127;
