//! Bounds on untrusted input, in one place so the docs, the CLI and the page agree.

/// Largest Dockerfile accepted (bytes).
pub const MAX_DOCKERFILE_BYTES: usize = 4 << 20;
/// Most files a build context may hold.
pub const MAX_CONTEXT_FILES: usize = 50_000;
/// Most bytes a build context may hold.
pub const MAX_CONTEXT_BYTES: u64 = 256 << 20;
/// Longest physical line of a Dockerfile (bytes, without its newline): BuildKit's own limit
/// (Go's `bufio.MaxScanTokenSize - 1`), reported with BuildKit's message.
pub const MAX_LINE_BYTES: usize = 65_535;
/// Deepest `ONBUILD ONBUILD ...` nesting the parser builds (BuildKit rejects any chaining
/// when it reads the instructions; the parser stops nesting here and reports it).
pub const MAX_ONBUILD_DEPTH: u32 = 8;
/// Deepest `${...}` nesting the heredoc-marker lexer follows before giving up on the line.
pub const MAX_HEREDOC_LEX_DEPTH: u32 = 64;
