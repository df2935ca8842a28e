//! Bounds on untrusted input, in one place so the docs, the CLI and the page agree.

/// Largest Dockerfile accepted (bytes).
pub const MAX_DOCKERFILE_BYTES: usize = 4 << 20;
/// Most files a build context may hold.
pub const MAX_CONTEXT_FILES: usize = 50_000;
/// Most bytes a build context may hold.
pub const MAX_CONTEXT_BYTES: u64 = 256 << 20;
