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

/// Deepest nesting of `${…}` substitutions inside one word (`${a:-${b:-${c}}}` is 3).
/// Real Dockerfiles use two or three; the bound keeps recursion (and the wasm stack) small.
pub const MAX_SUBSTITUTION_DEPTH: usize = 64;
/// Longest result of expanding one word (bytes). Without it `$A$A$A…` could multiply a
/// value's size by the length of the line.
pub const MAX_EXPANDED_WORD_BYTES: usize = 16 << 20;
/// Most cells (pattern items × value characters) one `${V#p}`/`${V%p}`/`${V/p/r}` match
/// may examine; matching is linear in this product, so the bound is also a time bound.
pub const MAX_PATTERN_MATCH_CELLS: usize = 64 << 20;
/// Longest value one ARG/ENV variable may hold in a build's scope (bytes).
pub const MAX_VARIABLE_BYTES: usize = 1 << 20;
/// Most variables (ENV and ARG names) one build stage's scope may hold.
pub const MAX_VARIABLES: usize = 10_000;
/// Characters of the offending word an error message quotes before it is cut with `…`.
pub const MAX_ERROR_WORD_CHARS: usize = 1024;

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
