//! Layers: the change between two vfs snapshots as a reproducible tar, gzip-compressed and sha256-digested.
