//! Archives a user drops on the page as a build context — tar, tar.gz and zip — unpacked
//! into context [`Entry`]s: paths cleaned, sizes and counts bounded, integrity checked.
//!
//! Invariant: nothing here touches a disk or follows a symlink; an archive is a
//! stranger's bytes, so every length in it is checked against what is really there
//! and every failure is an [`ArchiveError`], never a panic.

use crate::context::{self, ContextError, Entry, EntryKind};
use crate::limits::{MAX_CONTEXT_BYTES, MAX_CONTEXT_FILES};
use std::collections::HashMap;
use std::fmt;
use std::io::Read;

/// CRC-32 (IEEE 802.3), as gzip and zip use.
pub use crate::layer::gzip::crc32;

/// Most bytes a gzip stream may inflate to (the context limit plus room for tar headers).
pub const MAX_INFLATED_BYTES: usize = (MAX_CONTEXT_BYTES as usize) + (MAX_CONTEXT_BYTES as usize) / 8;

/// What an archive held.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Unpacked {
    /// The files, folders and symlinks, validated and sorted by path.
    pub entries: Vec<Entry>,
    /// Entries left out, each with the reason (`dev/null: device nodes are not part of a build context`).
    pub skipped: Vec<String>,
}

/// Which container format the bytes are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Tar,
    TarGz,
    Zip,
}

/// Why an archive was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArchiveErrorKind {
    /// Neither tar, gzip nor zip.
    UnknownFormat,
    /// A gzip stream that is damaged or truncated.
    BadGzip(&'static str),
    /// Inflates past [`MAX_INFLATED_BYTES`].
    TooLarge,
    /// A tar the reader could not walk.
    BadTar(String),
    /// A zip that is damaged, encrypted, zip64 or uses an unknown method.
    BadZip(String),
    /// The entries are not a valid context.
    Context(ContextError),
    /// More than [`MAX_CONTEXT_FILES`] entries.
    TooManyFiles,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchiveError {
    pub kind: ArchiveErrorKind,
}

impl From<ArchiveErrorKind> for ArchiveError {
    fn from(kind: ArchiveErrorKind) -> Self {
        ArchiveError { kind }
    }
}

impl fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ArchiveErrorKind::*;
        match &self.kind {
            UnknownFormat => write!(f, "not a tar, tar.gz or zip archive"),
            BadGzip(what) => write!(f, "damaged gzip data: {what}"),
            TooLarge => write!(f, "the archive is too large once decompressed (playground limit: {} MiB)", MAX_INFLATED_BYTES >> 20),
            BadTar(what) => write!(f, "damaged tar archive: {what}"),
            BadZip(what) => write!(f, "unsupported or damaged zip archive: {what}"),
            Context(e) => write!(f, "{e}"),
            TooManyFiles => write!(f, "the archive has too many entries (playground limit: {MAX_CONTEXT_FILES})"),
        }
    }
}

impl std::error::Error for ArchiveError {}

type Result<T> = std::result::Result<T, ArchiveError>;

/// Tells the format from the first bytes (never from a file name).
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        Some(Format::TarGz)
    } else if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Some(Format::Zip)
    } else if looks_like_tar(bytes) {
        Some(Format::Tar)
    } else {
        None
    }
}

/// Unpacks a tar, tar.gz or zip into context entries. A single top-level folder
/// holding everything (as in `project-main.zip`) is dropped from the paths.
pub fn unpack(bytes: &[u8]) -> Result<Unpacked> {
    let mut out = match sniff(bytes).ok_or(ArchiveErrorKind::UnknownFormat)? {
        Format::Tar => unpack_tar(bytes)?,
        Format::TarGz => unpack_tar(&gunzip(bytes, MAX_INFLATED_BYTES)?)?,
        Format::Zip => unpack_zip(bytes)?,
    };
    out.entries = context::strip_common_root(out.entries);
    out.entries = context::validate(&out.entries).map_err(ArchiveErrorKind::Context)?;
    Ok(out)
}

/// A tar header block: `ustar` magic, or an old-style header whose checksum adds up.
fn looks_like_tar(bytes: &[u8]) -> bool {
    if bytes.len() < 512 {
        return false;
    }
    if &bytes[257..262] == b"ustar" {
        return true;
    }
    if bytes[..1024.min(bytes.len())].iter().all(|b| *b == 0) {
        return true; // an empty archive
    }
    let field = &bytes[148..156];
    let digits: String = field.iter().take_while(|b| **b != 0 && **b != b' ').map(|b| *b as char).collect();
    let Ok(want) = u32::from_str_radix(digits.trim(), 8) else { return false };
    let sum: u32 = bytes[..512].iter().enumerate().map(|(i, b)| if (148..156).contains(&i) { 32 } else { u32::from(*b) }).sum();
    sum == want
}

// ----- gzip ---------------------------------------------------------------------------

/// Inflates a gzip stream (RFC 1952, first member), checking its CRC and length, to at
/// most `limit` bytes.
pub fn gunzip(bytes: &[u8], limit: usize) -> Result<Vec<u8>> {
    use ArchiveErrorKind::BadGzip;
    const FTEXT_FHCRC: u8 = 0x02;
    const FEXTRA: u8 = 0x04;
    const FNAME: u8 = 0x08;
    const FCOMMENT: u8 = 0x10;
    if bytes.len() < 18 || bytes[0] != 0x1f || bytes[1] != 0x8b {
        return Err(BadGzip("truncated header").into());
    }
    if bytes[2] != 8 {
        return Err(BadGzip("unknown compression method").into());
    }
    let flags = bytes[3];
    let mut pos = 10;
    if flags & FEXTRA != 0 {
        let len = usize::from(u16::from_le_bytes([*bytes.get(pos).unwrap_or(&0), *bytes.get(pos + 1).unwrap_or(&0)]));
        pos += 2 + len;
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let end = bytes.get(pos..).and_then(|rest| rest.iter().position(|b| *b == 0)).ok_or(BadGzip("truncated header"))?;
            pos += end + 1;
        }
    }
    if flags & FTEXT_FHCRC != 0 {
        pos += 2;
    }
    let body = bytes.get(pos..).filter(|b| b.len() >= 8).ok_or(BadGzip("truncated header"))?;
    let mut inflater = miniz_oxide::inflate::core::DecompressorOxide::new();
    let mut out = vec![0u8; 0];
    let (data, used) = inflate_raw(&mut inflater, body, limit, &mut out)?;
    let trailer = body.get(used..used + 8).ok_or(BadGzip("truncated stream"))?;
    let crc = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
    let size = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
    if crc32(&data) != crc || data.len() as u32 != size {
        return Err(BadGzip("checksum mismatch").into());
    }
    Ok(data)
}

/// Inflates a raw deflate stream to at most `limit` bytes; gives the data and how many
/// input bytes the stream used.
fn inflate_raw(
    inflater: &mut miniz_oxide::inflate::core::DecompressorOxide,
    input: &[u8],
    limit: usize,
    out: &mut Vec<u8>,
) -> Result<(Vec<u8>, usize)> {
    use miniz_oxide::inflate::core::{decompress, inflate_flags};
    use miniz_oxide::inflate::TINFLStatus;
    out.clear();
    out.resize(limit.clamp(1, 64 * 1024), 0);
    let mut in_pos = 0;
    let mut out_pos = 0;
    loop {
        let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF | inflate_flags::TINFL_FLAG_HAS_MORE_INPUT;
        let (status, read, written) = decompress(inflater, &input[in_pos..], out, out_pos, flags);
        in_pos += read;
        out_pos += written;
        match status {
            TINFLStatus::Done => {
                out.truncate(out_pos);
                return Ok((std::mem::take(out), in_pos));
            }
            TINFLStatus::HasMoreOutput => {
                if out.len() >= limit {
                    return Err(ArchiveErrorKind::TooLarge.into());
                }
                let grown = out.len().saturating_mul(2).min(limit);
                out.resize(grown, 0);
            }
            TINFLStatus::NeedsMoreInput => return Err(ArchiveErrorKind::BadGzip("truncated stream").into()),
            _ => return Err(ArchiveErrorKind::BadGzip("invalid deflate data").into()),
        }
    }
}

// ----- tar ----------------------------------------------------------------------------

fn unpack_tar(bytes: &[u8]) -> Result<Unpacked> {
    let bad = |e: std::io::Error| ArchiveError::from(ArchiveErrorKind::BadTar(e.to_string()));
    let mut archive = tar::Archive::new(bytes);
    let mut out = Unpacked::default();
    // Later entries replace earlier ones with the same path, as `tar x` does.
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut total: u64 = 0;
    for entry in archive.entries().map_err(bad)? {
        let mut entry = entry.map_err(bad)?;
        if index.len() + out.skipped.len() >= MAX_CONTEXT_FILES {
            return Err(ArchiveErrorKind::TooManyFiles.into());
        }
        let header = entry.header();
        let kind = header.entry_type();
        let raw_path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        if kind.is_pax_global_extensions() || kind.is_pax_local_extensions() || kind.is_gnu_longname() || kind.is_gnu_longlink() {
            continue;
        }
        let rel = raw_path.trim_start_matches('/').to_string();
        if rel.trim_start_matches("./").trim_matches('/').is_empty() || rel == "." {
            continue; // the archive's own root
        }
        let path = context::clean_path(&rel).map_err(ArchiveErrorKind::Context)?;
        let mode = header.mode().unwrap_or(0o644) & 0o7777;
        let mtime = header.mtime().ok().and_then(|m| i64::try_from(m).ok()).unwrap_or(0);
        let new = if kind.is_file() || kind.is_contiguous() {
            total = total.saturating_add(entry.size());
            if total > MAX_CONTEXT_BYTES {
                return Err(ArchiveErrorKind::Context(context::ContextError { kind: context::ContextErrorKind::TooLarge, path })
                    .into());
            }
            let mut data = Vec::new();
            entry.read_to_end(&mut data).map_err(bad)?;
            Entry { mode, mtime, ..Entry::file(path.clone(), data) }
        } else if kind.is_dir() {
            Entry { mode, mtime, ..Entry::dir(path.clone()) }
        } else if kind.is_symlink() {
            let target = entry.link_name_bytes().map(|t| String::from_utf8_lossy(&t).into_owned()).unwrap_or_default();
            Entry { mtime, ..Entry::symlink(path.clone(), target) }
        } else if kind.is_hard_link() {
            let target = entry.link_name_bytes().map(|t| String::from_utf8_lossy(&t).into_owned()).unwrap_or_default();
            let found = context::clean_path(target.trim_start_matches('/'))
                .ok()
                .and_then(|t| index.get(&t).map(|i| &out.entries[*i]))
                .filter(|e| e.kind == EntryKind::File);
            match found {
                Some(e) => Entry { path: path.clone(), ..e.clone() },
                None => {
                    out.skipped.push(format!("{path}: hard link to {target}, which the archive does not hold before it"));
                    continue;
                }
            }
        } else {
            out.skipped.push(format!("{path}: device nodes, FIFOs and sockets are not part of a build context"));
            continue;
        };
        match index.get(&path) {
            Some(&i) => out.entries[i] = new,
            None => {
                index.insert(path, out.entries.len());
                out.entries.push(new);
            }
        }
    }
    // A folder entry may come after files inside it, or a later file may replace a folder:
    // keep only what `validate` accepts.
    Ok(out)
}

// ----- zip ----------------------------------------------------------------------------

const EOCD_SIG: u32 = 0x0605_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const LOCAL_SIG: u32 = 0x0403_4b50;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}
fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn unpack_zip(bytes: &[u8]) -> Result<Unpacked> {
    let bad = |what: &str| ArchiveError::from(ArchiveErrorKind::BadZip(what.to_string()));
    // The end-of-central-directory record sits in the last 22 + 65535 bytes.
    let search_from = bytes.len().saturating_sub(22 + 0xffff);
    let eocd = (search_from..=bytes.len().saturating_sub(22))
        .rev()
        .find(|&i| u32_at(bytes, i) == Some(EOCD_SIG))
        .ok_or_else(|| bad("no end of central directory"))?;
    let count = usize::from(u16_at(bytes, eocd + 10).ok_or_else(|| bad("truncated"))?);
    let cd_size = u32_at(bytes, eocd + 12).ok_or_else(|| bad("truncated"))?;
    let cd_offset = u32_at(bytes, eocd + 16).ok_or_else(|| bad("truncated"))?;
    if count == 0xffff || cd_size == u32::MAX || cd_offset == u32::MAX {
        return Err(bad("zip64 archives are not supported; use tar or a smaller zip"));
    }
    if count > MAX_CONTEXT_FILES {
        return Err(ArchiveErrorKind::TooManyFiles.into());
    }
    let mut out = Unpacked::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut total: u64 = 0;
    let mut pos = cd_offset as usize;
    let mut inflater = Box::new(miniz_oxide::inflate::core::DecompressorOxide::new());
    let mut scratch = Vec::new();
    for _ in 0..count {
        if u32_at(bytes, pos) != Some(CENTRAL_SIG) {
            return Err(bad("damaged central directory"));
        }
        let field = |off: usize| u16_at(bytes, pos + off).ok_or_else(|| bad("truncated central directory"));
        let field32 = |off: usize| u32_at(bytes, pos + off).ok_or_else(|| bad("truncated central directory"));
        let made_by_host = field(4)? >> 8;
        let flags = field(8)?;
        let method = field(10)?;
        let crc = field32(16)?;
        let packed = field32(20)? as usize;
        let size = field32(24)? as usize;
        let name_len = usize::from(field(28)?);
        let extra_len = usize::from(field(30)?);
        let comment_len = usize::from(field(32)?);
        let external = field32(38)?;
        let local = field32(42)? as usize;
        let name = bytes.get(pos + 46..pos + 46 + name_len).ok_or_else(|| bad("truncated file name"))?;
        let name = String::from_utf8_lossy(name).into_owned();
        pos += 46 + name_len + extra_len + comment_len;

        if flags & 1 != 0 {
            return Err(bad(&format!("{name} is encrypted")));
        }
        if packed == u32::MAX as usize || size == u32::MAX as usize || local == u32::MAX as usize {
            return Err(bad("zip64 archives are not supported; use tar or a smaller zip"));
        }
        let unix_mode = if made_by_host == 3 { external >> 16 } else { 0 };
        let file_type = unix_mode & 0o170000;
        let rel = name.trim_start_matches('/');
        if rel.trim_start_matches("./").trim_matches('/').is_empty() {
            continue;
        }
        let path = context::clean_path(rel).map_err(ArchiveErrorKind::Context)?;
        let is_dir = name.ends_with('/') || file_type == 0o040000;
        let entry = if is_dir {
            Entry { mode: if unix_mode & 0o7777 != 0 { unix_mode & 0o7777 } else { 0o755 }, ..Entry::dir(path.clone()) }
        } else {
            total = total.saturating_add(size as u64);
            if total > MAX_CONTEXT_BYTES {
                return Err(ArchiveErrorKind::Context(context::ContextError { kind: context::ContextErrorKind::TooLarge, path }).into());
            }
            if u32_at(bytes, local) != Some(LOCAL_SIG) {
                return Err(bad(&format!("{name}: damaged local header")));
            }
            let local_name = usize::from(u16_at(bytes, local + 26).ok_or_else(|| bad("truncated"))?);
            let local_extra = usize::from(u16_at(bytes, local + 28).ok_or_else(|| bad("truncated"))?);
            let start = local + 30 + local_name + local_extra;
            let raw = bytes.get(start..start.saturating_add(packed)).ok_or_else(|| bad(&format!("{name}: truncated data")))?;
            let data = match method {
                0 => raw.to_vec(),
                8 => {
                    *inflater = miniz_oxide::inflate::core::DecompressorOxide::new();
                    let (d, _) = inflate_raw(&mut inflater, raw, size.max(1), &mut scratch).map_err(|_| bad(&format!("{name}: damaged deflate data")))?;
                    d
                }
                m => return Err(bad(&format!("{name}: compression method {m} (only stored and deflate are supported)"))),
            };
            if data.len() != size || crc32(&data) != crc {
                return Err(bad(&format!("{name}: checksum mismatch")));
            }
            if file_type == 0o120000 {
                Entry::symlink(path.clone(), String::from_utf8_lossy(&data).into_owned())
            } else {
                let mode = if unix_mode & 0o7777 != 0 { unix_mode & 0o7777 } else { 0o644 };
                Entry { mode, ..Entry::file(path.clone(), data) }
            }
        };
        match seen.get(&path) {
            Some(&i) => out.entries[i] = entry,
            None => {
                seen.insert(path, out.entries.len());
                out.entries.push(entry);
            }
        }
    }
    Ok(out)
}

// ----- packing ------------------------------------------------------------------------

/// Packs context entries into a tar (what the page offers as "download as .tar" when
/// the state is too large for a link): entries validated and sorted, folders before
/// what they hold, each with its mtime and owner root, so the same files give the same
/// bytes. Long names use GNU long-name entries, as GNU tar writes them.
pub fn pack_tar(entries: &[Entry]) -> Result<Vec<u8>> {
    let entries = context::validate(entries).map_err(ArchiveErrorKind::Context)?;
    let bad = |e: std::io::Error| ArchiveError::from(ArchiveErrorKind::BadTar(e.to_string()));
    let mut b = tar::Builder::new(Vec::new());
    for e in &entries {
        let mut h = tar::Header::new_gnu();
        h.set_mode(e.mode);
        h.set_mtime(e.mtime.max(0) as u64);
        h.set_uid(0);
        h.set_gid(0);
        h.set_username("root").map_err(bad)?;
        h.set_groupname("root").map_err(bad)?;
        match e.kind {
            EntryKind::File => {
                h.set_entry_type(tar::EntryType::Regular);
                h.set_size(e.data.len() as u64);
                b.append_data(&mut h, &e.path, e.data.as_slice()).map_err(bad)?;
            }
            EntryKind::Dir => {
                h.set_entry_type(tar::EntryType::Directory);
                h.set_size(0);
                b.append_data(&mut h, format!("{}/", e.path), std::io::empty()).map_err(bad)?;
            }
            EntryKind::Symlink => {
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_size(0);
                b.append_link(&mut h, &e.path, &e.target).map_err(bad)?;
            }
        }
    }
    b.into_inner().map_err(bad)
}
