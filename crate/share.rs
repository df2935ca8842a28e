//! Share links: the page's whole state (context files, which one is the Dockerfile,
//! build options) packed into a string that fits a URL fragment.
//!
//! A code is `base64url(VERSION ++ deflate(payload))` without padding; the payload is a
//! small length-prefixed binary record (see [`encode_payload`]). Decoding is bounded
//! ([`MAX_CODE_CHARS`], [`MAX_STATE_BYTES`], the context limits) and never panics,
//! whatever the input: a link is a stranger's data.
//!
//! Invariant: no IO, no knowledge of URLs or of the page beyond the state's fields.

use crate::context::{self, ContextError, Entry, EntryKind};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The first byte of every code; a new layout gets a new number. Version 2 added
/// each file's mtime; version 1 codes are still read (their mtimes are 0).
pub const VERSION: u8 = 2;
/// Longest code accepted or produced (characters): a link stays well within what
/// browsers, chat apps and servers pass on.
pub const MAX_CODE_CHARS: usize = 32 * 1024;
/// Most bytes a code may inflate to (a guard against deflate bombs).
pub const MAX_STATE_BYTES: usize = 4 << 20;
/// Most build args a state may carry.
pub const MAX_BUILD_ARGS: usize = 1000;

/// A `--build-arg NAME=VALUE`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildArg {
    pub name: String,
    pub value: String,
}

/// Everything a link restores.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareState {
    /// The build context, Dockerfile included.
    pub files: Vec<Entry>,
    /// Path of the Dockerfile inside `files` (`-f`), usually `Dockerfile`.
    pub dockerfile: String,
    /// The file open in the editor (may be empty).
    #[serde(default)]
    pub open: String,
    /// `-t`; empty for none.
    #[serde(default)]
    pub tag: String,
    /// `--target`; empty for the last stage.
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub build_args: Vec<BuildArg>,
    #[serde(default)]
    pub no_cache: bool,
}

/// Why a code could not be made or read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ShareErrorKind {
    /// The code is empty.
    Empty,
    /// A character outside base64url, at this position.
    BadCharacter(usize),
    /// The first byte names a layout this build does not know.
    UnknownVersion(u8),
    /// The code (or the one encoding would make) is longer than [`MAX_CODE_CHARS`].
    CodeTooLong { chars: usize },
    /// The state inflates (or would inflate) to more than [`MAX_STATE_BYTES`].
    StateTooLarge,
    /// The compressed data is damaged.
    Corrupt,
    /// The payload ends early, has bytes left over, or a field is malformed.
    Malformed(&'static str),
    /// The files are not a valid context.
    Context(ContextError),
}

/// A share error; its `Display` is the message the page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareError {
    pub kind: ShareErrorKind,
}

impl From<ShareErrorKind> for ShareError {
    fn from(kind: ShareErrorKind) -> Self {
        ShareError { kind }
    }
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ShareErrorKind::*;
        match &self.kind {
            Empty => write!(f, "the share link holds no state"),
            BadCharacter(at) => write!(f, "the share link is damaged (unexpected character at position {at})"),
            UnknownVersion(v) => write!(f, "the share link was made by a newer playground (format {v}; this one reads format {VERSION})"),
            CodeTooLong { chars } => {
                write!(f, "the state is too large for a link ({chars} characters; the limit is {MAX_CODE_CHARS})")
            }
            StateTooLarge => write!(f, "the state is too large for a link (over {} MiB uncompressed)", MAX_STATE_BYTES >> 20),
            Corrupt => write!(f, "the share link is damaged (its compressed data does not inflate)"),
            Malformed(what) => write!(f, "the share link is damaged ({what})"),
            Context(e) => write!(f, "the share link holds an invalid build context: {e}"),
        }
    }
}

impl std::error::Error for ShareError {}

type Result<T> = std::result::Result<T, ShareError>;

/// Packs a state into a code. Fails with [`ShareErrorKind::CodeTooLong`] (the page then
/// offers a tar download) or [`ShareErrorKind::Context`] for an invalid context.
pub fn encode(state: &ShareState) -> Result<String> {
    let payload = encode_payload(state)?;
    if payload.len() > MAX_STATE_BYTES {
        return Err(ShareErrorKind::StateTooLarge.into());
    }
    let mut bytes = vec![VERSION];
    bytes.extend_from_slice(&miniz_oxide::deflate::compress_to_vec(&payload, 9));
    let code = base64url_encode(&bytes);
    if code.len() > MAX_CODE_CHARS {
        return Err(ShareErrorKind::CodeTooLong { chars: code.len() }.into());
    }
    Ok(code)
}

/// Reads a code back. Trailing `=` padding and surrounding whitespace are tolerated.
pub fn decode(code: &str) -> Result<ShareState> {
    let code = code.trim().trim_end_matches('=');
    if code.is_empty() {
        return Err(ShareErrorKind::Empty.into());
    }
    if code.len() > MAX_CODE_CHARS {
        return Err(ShareErrorKind::CodeTooLong { chars: code.len() }.into());
    }
    let bytes = base64url_decode(code)?;
    let (&version, deflated) = bytes.split_first().ok_or(ShareErrorKind::Empty)?;
    if version != VERSION && version != 1 {
        return Err(ShareErrorKind::UnknownVersion(version).into());
    }
    let payload = miniz_oxide::inflate::decompress_to_vec_with_limit(deflated, MAX_STATE_BYTES).map_err(|e| {
        if e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput {
            ShareErrorKind::StateTooLarge
        } else {
            ShareErrorKind::Corrupt
        }
    })?;
    decode_payload_version(&payload, version)
}

// ----- payload ------------------------------------------------------------------------

const FLAG_NO_CACHE: u8 = 1;
const KIND_FILE: u8 = 0;
const KIND_DIR: u8 = 1;
const KIND_SYMLINK: u8 = 2;

/// The uncompressed record, version 2:
///
/// ```text
/// str dockerfile, str open, str tag, str target, u8 flags (1 = no-cache),
/// uvar n, n × (str name, str value),
/// uvar n, n × (str path, u8 kind (0 file, 1 dir, 2 symlink), uvar mode, uvar mtime,
///              file: bytes data | symlink: str target)
/// str/bytes = uvar length ++ bytes; uvar = unsigned LEB128
/// ```
///
/// Version 1 is the same without `mtime`.
///
/// The files are validated (and so sorted by path) first.
pub fn encode_payload(state: &ShareState) -> Result<Vec<u8>> {
    let files = context::validate(&state.files).map_err(ShareErrorKind::Context)?;
    let mut out = Vec::new();
    put_bytes(&mut out, state.dockerfile.as_bytes());
    put_bytes(&mut out, state.open.as_bytes());
    put_bytes(&mut out, state.tag.as_bytes());
    put_bytes(&mut out, state.target.as_bytes());
    out.push(if state.no_cache { FLAG_NO_CACHE } else { 0 });
    put_uvar(&mut out, state.build_args.len() as u64);
    for a in &state.build_args {
        put_bytes(&mut out, a.name.as_bytes());
        put_bytes(&mut out, a.value.as_bytes());
    }
    put_uvar(&mut out, files.len() as u64);
    for e in &files {
        put_bytes(&mut out, e.path.as_bytes());
        match e.kind {
            EntryKind::File => {
                out.push(KIND_FILE);
                put_uvar(&mut out, u64::from(e.mode));
                put_uvar(&mut out, e.mtime.max(0) as u64);
                put_bytes(&mut out, &e.data);
            }
            EntryKind::Dir => {
                out.push(KIND_DIR);
                put_uvar(&mut out, u64::from(e.mode));
                put_uvar(&mut out, e.mtime.max(0) as u64);
            }
            EntryKind::Symlink => {
                out.push(KIND_SYMLINK);
                put_uvar(&mut out, u64::from(e.mode));
                put_uvar(&mut out, e.mtime.max(0) as u64);
                put_bytes(&mut out, e.target.as_bytes());
            }
        }
    }
    Ok(out)
}

/// Reads the record [`encode_payload`] writes; every length is checked against what is
/// left before anything is allocated.
pub fn decode_payload(payload: &[u8]) -> Result<ShareState> {
    decode_payload_version(payload, VERSION)
}

fn decode_payload_version(payload: &[u8], version: u8) -> Result<ShareState> {
    let mut r = Reader { buf: payload };
    let dockerfile = r.string("dockerfile path")?;
    let open = r.string("open file")?;
    let tag = r.string("tag")?;
    let target = r.string("target")?;
    let flags = r.byte("flags")?;
    if flags & !FLAG_NO_CACHE != 0 {
        return Err(ShareErrorKind::Malformed("unknown option flags").into());
    }
    let n_args = r.count(MAX_BUILD_ARGS, "build args")?;
    let mut build_args = Vec::with_capacity(n_args);
    for _ in 0..n_args {
        let name = r.string("build arg name")?;
        let value = r.string("build arg value")?;
        build_args.push(BuildArg { name, value });
    }
    let n_files = r.count(crate::limits::MAX_CONTEXT_FILES, "file count")?;
    let mut files = Vec::with_capacity(n_files.min(1024));
    for _ in 0..n_files {
        let path = r.string("file path")?;
        let kind = r.byte("file kind")?;
        let mode = r.uvar("file mode")?;
        let mode = u32::try_from(mode).ok().filter(|m| *m <= 0o7777).ok_or(ShareErrorKind::Malformed("file mode"))?;
        let mtime = if version >= 2 { r.uvar("file mtime")? } else { 0 };
        let mtime = i64::try_from(mtime).map_err(|_| ShareErrorKind::Malformed("file mtime"))?;
        let entry = match kind {
            KIND_FILE => Entry { mode, mtime, ..Entry::file(path, r.bytes("file data")?) },
            KIND_DIR => Entry { mode, mtime, ..Entry::dir(path) },
            KIND_SYMLINK => Entry { mode, mtime, ..Entry::symlink(path, r.string("symlink target")?) },
            _ => return Err(ShareErrorKind::Malformed("unknown file kind").into()),
        };
        files.push(entry);
    }
    if !r.buf.is_empty() {
        return Err(ShareErrorKind::Malformed("bytes after the end").into());
    }
    let files = context::validate(&files).map_err(ShareErrorKind::Context)?;
    Ok(ShareState { files, dockerfile, open, tag, target, build_args, no_cache: flags & FLAG_NO_CACHE != 0 })
}

fn put_uvar(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_uvar(out, b.len() as u64);
    out.extend_from_slice(b);
}

struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    fn byte(&mut self, what: &'static str) -> Result<u8> {
        let (&b, rest) = self.buf.split_first().ok_or(ShareErrorKind::Malformed(what))?;
        self.buf = rest;
        Ok(b)
    }

    fn uvar(&mut self, what: &'static str) -> Result<u64> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte(what)?;
            let part = u64::from(b & 0x7f);
            if shift == 63 && part > 1 {
                return Err(ShareErrorKind::Malformed(what).into());
            }
            v |= part << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(ShareErrorKind::Malformed(what).into())
    }

    /// A count that must not exceed `max` nor the bytes left (each item takes ≥ 1 byte).
    fn count(&mut self, max: usize, what: &'static str) -> Result<usize> {
        let n = self.uvar(what)?;
        usize::try_from(n).ok().filter(|n| *n <= max && *n <= self.buf.len()).ok_or_else(|| ShareErrorKind::Malformed(what).into())
    }

    fn bytes(&mut self, what: &'static str) -> Result<Vec<u8>> {
        let n = self.uvar(what)?;
        let n = usize::try_from(n).ok().filter(|n| *n <= self.buf.len()).ok_or(ShareErrorKind::Malformed(what))?;
        let (b, rest) = self.buf.split_at(n);
        self.buf = rest;
        Ok(b.to_vec())
    }

    fn string(&mut self, what: &'static str) -> Result<String> {
        String::from_utf8(self.bytes(what)?).map_err(|_| ShareErrorKind::Malformed(what).into())
    }
}

// ----- base64url (RFC 4648 §5, no padding) ----------------------------------------------

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Encodes bytes as unpadded base64url.
pub fn base64url_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Decodes unpadded base64url; the position of the first bad character on error.
pub fn base64url_decode(text: &str) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for (i, c) in text.bytes().enumerate() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return Err(ShareErrorKind::BadCharacter(i).into()),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // A single leftover character cannot carry a byte.
    if bits >= 6 {
        return Err(ShareErrorKind::Malformed("truncated base64").into());
    }
    Ok(out)
}
