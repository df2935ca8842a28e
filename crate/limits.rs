//! Bounds on untrusted input, in one place so the docs, the CLI and the page agree.

/// Largest Dockerfile accepted (bytes).
pub const MAX_DOCKERFILE_BYTES: usize = 4 << 20;
/// Most files a build context may hold.
pub const MAX_CONTEXT_FILES: usize = 50_000;
/// Most bytes a build context may hold.
pub const MAX_CONTEXT_BYTES: u64 = 256 << 20;

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
