//! Reads tar archives from memory, entry by entry, with the limits untrusted
//! input needs: a cap on entries and on PAX / GNU long-name records, checksum
//! checks, and a clear error for an archive cut in the middle of an entry.
//! Header fields are decoded by the `tar` crate; the walk over blocks is ours so
//! nothing is read past the caps. It follows Go's `archive/tar` reader where
//! they differ from the letter of POSIX (an archive may end without its two
//! zero blocks; `size` in a PAX header overrides the header's).

use super::error::{LayerError, LayerErrorKind, LayerResult};
use tar::Header;

/// A tar entry name's components, `.` and empty ones dropped and `..` applied;
/// `None` when a `..` climbs above the archive's root. Whether a leading `/` is
/// allowed is the caller's rule.
pub fn name_components(name: &str) -> Option<Vec<&str>> {
    let mut comps: Vec<&str> = Vec::new();
    for c in name.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                comps.pop()?;
            }
            c => comps.push(c),
        }
    }
    Some(comps)
}

/// The type of a tar entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    Hardlink,
    CharDevice,
    BlockDevice,
    Fifo,
    /// Any other type flag (GNU sparse `S`, volume label `V`, …).
    Other(u8),
}

/// One entry, its data borrowed from the archive.
#[derive(Clone, Debug)]
pub struct TarEntry<'a> {
    /// The name as stored (PAX `path` or GNU long name applied), not yet checked.
    pub name: Vec<u8>,
    pub kind: EntryKind,
    /// Permission bits with setuid/setgid/sticky.
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub mtime: i64,
    /// The target of a symlink or hard link.
    pub link: Vec<u8>,
    pub data: &'a [u8],
}

impl TarEntry<'_> {
    /// The name for messages (lossily decoded).
    pub fn display_name(&self) -> String {
        String::from_utf8_lossy(&self.name).into_owned()
    }
}

/// Bounds for reading one archive.
#[derive(Clone, Copy, Debug)]
pub struct ReadLimits {
    pub max_entries: usize,
    pub max_header_bytes: u64,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_entries: crate::limits::MAX_LAYER_ENTRIES,
            max_header_bytes: crate::limits::MAX_TAR_HEADER_BYTES,
        }
    }
}

/// An iterator-like reader over a tar archive in memory.
pub struct TarReader<'a> {
    data: &'a [u8],
    pos: usize,
    entries: usize,
    limits: ReadLimits,
    done: bool,
}

#[derive(Default)]
struct Pending {
    path: Option<Vec<u8>>,
    link: Option<Vec<u8>>,
    uid: Option<u64>,
    gid: Option<u64>,
    mtime: Option<i64>,
    size: Option<u64>,
    sparse: bool,
}

fn bad(m: impl Into<String>) -> LayerError {
    LayerError::new(LayerErrorKind::BadHeader(m.into()))
}

impl<'a> TarReader<'a> {
    pub fn new(data: &'a [u8], limits: ReadLimits) -> Self {
        TarReader { data, pos: 0, entries: 0, limits, done: false }
    }

    /// The next entry, `None` at the end of the archive.
    pub fn next_entry(&mut self) -> LayerResult<Option<TarEntry<'a>>> {
        if self.done {
            return Ok(None);
        }
        let mut pending = Pending::default();
        loop {
            if self.pos > self.data.len() {
                // the last entry's padding is cut
                return Err(LayerError::new(LayerErrorKind::Truncated));
            }
            if self.pos == self.data.len() {
                // Go (and so Docker) accept an archive that ends at an entry boundary.
                if pending.path.is_some() || pending.link.is_some() {
                    return Err(LayerError::new(LayerErrorKind::Truncated));
                }
                self.done = true;
                return Ok(None);
            }
            let block = self.data.get(self.pos..self.pos + 512).ok_or_else(|| LayerError::new(LayerErrorKind::Truncated))?;
            if block.iter().all(|&b| b == 0) {
                match self.data.get(self.pos + 512..self.pos + 1024) {
                    Some(b2) if !b2.iter().all(|&b| b == 0) => {
                        return Err(bad("a zero block followed by more data"));
                    }
                    _ => {
                        self.done = true;
                        return Ok(None);
                    }
                }
            }
            let header = Header::from_byte_slice(block);
            check_checksum(block)?;
            let raw_name = header.path_bytes().into_owned();
            let shown_now = String::from_utf8_lossy(pending.path.as_deref().unwrap_or(&raw_name)).into_owned();
            let shown = || shown_now.clone();
            let header_size = numeric(&block[124..136])
                .and_then(|n| u64::try_from(n).ok())
                .ok_or_else(|| bad("bad size field").in_entry(&shown()))?;
            let typeflag = block[156];
            let meta_type = matches!(typeflag, b'x' | b'g' | b'L' | b'K');
            let size = if meta_type { header_size } else { pending.size.unwrap_or(header_size) };
            let start = self.pos + 512;
            let end = (start as u64).checked_add(size).filter(|&e| e <= self.data.len() as u64);
            let end = match end {
                Some(e) => e as usize,
                None => {
                    let kind = if meta_type && size > self.limits.max_header_bytes {
                        LayerErrorKind::HeaderTooLarge { size, limit: self.limits.max_header_bytes }
                    } else {
                        LayerErrorKind::Truncated
                    };
                    return Err(LayerError::at(kind, shown()));
                }
            };
            let body = &self.data[start..end];
            let next = start + (size as usize).div_ceil(512) * 512;
            if meta_type && size > self.limits.max_header_bytes {
                return Err(LayerError::at(
                    LayerErrorKind::HeaderTooLarge { size, limit: self.limits.max_header_bytes },
                    shown(),
                ));
            }
            self.pos = next;
            match typeflag {
                b'x' => {
                    parse_pax(body, &mut pending).map_err(|e| e.in_entry(&shown()))?;
                    continue;
                }
                b'g' => continue, // global PAX headers are ignored, as Docker does
                b'L' => {
                    pending.path = Some(trim_nul(body).to_vec());
                    continue;
                }
                b'K' => {
                    pending.link = Some(trim_nul(body).to_vec());
                    continue;
                }
                _ => {}
            }
            self.entries += 1;
            let name = pending.path.take().unwrap_or(raw_name);
            let shown_name = String::from_utf8_lossy(&name).into_owned();
            if self.entries > self.limits.max_entries {
                return Err(LayerError::at(LayerErrorKind::TooManyEntries { limit: self.limits.max_entries }, shown_name));
            }
            if pending.sparse {
                return Err(LayerError::at(LayerErrorKind::UnsupportedEntry('S'), shown_name));
            }
            let mut kind = match typeflag {
                b'0' | b'\0' | b'7' => EntryKind::File,
                b'1' => EntryKind::Hardlink,
                b'2' => EntryKind::Symlink,
                b'3' => EntryKind::CharDevice,
                b'4' => EntryKind::BlockDevice,
                b'5' => EntryKind::Dir,
                b'6' => EntryKind::Fifo,
                other => EntryKind::Other(other),
            };
            if typeflag == b'\0' && name.ends_with(b"/") {
                kind = EntryKind::Dir;
            }
            let num = |field: std::ops::Range<usize>, what: &str| {
                numeric(&block[field]).ok_or_else(|| bad(format!("bad {what} field")).in_entry(&shown_name))
            };
            let mode = (num(100..108, "mode")? & 0o7777) as u32;
            let uid = match pending.uid {
                Some(u) => u,
                None => u64::try_from(num(108..116, "uid")?).map_err(|_| bad("negative uid").in_entry(&shown_name))?,
            };
            let gid = match pending.gid {
                Some(g) => g,
                None => u64::try_from(num(116..124, "gid")?).map_err(|_| bad("negative gid").in_entry(&shown_name))?,
            };
            let mtime = match pending.mtime {
                Some(t) => t,
                None => num(136..148, "mtime")?,
            };
            let link = match pending.link.take() {
                Some(l) => l,
                None => header.link_name_bytes().map(|c| c.into_owned()).unwrap_or_default(),
            };
            return Ok(Some(TarEntry { name, kind, mode, uid, gid, mtime, link, data: body }));
        }
    }
}

/// A numeric header field as Go reads it: base-256 when the high bit is set,
/// else octal with surrounding spaces and NULs ignored (an empty field is 0).
fn numeric(field: &[u8]) -> Option<i64> {
    if field.first().is_some_and(|&b| b & 0x80 != 0) {
        let negative = field[0] & 0x40 != 0;
        let inv: u8 = if negative { 0xff } else { 0 };
        let mut x: u64 = 0;
        for (i, &b) in field.iter().enumerate() {
            let mut c = b ^ inv;
            if i == 0 {
                c &= 0x7f;
            }
            if x >> 56 != 0 {
                return None;
            }
            x = x << 8 | c as u64;
        }
        if x >> 63 != 0 {
            return None;
        }
        let x = x as i64;
        return Some(if negative { !x } else { x });
    }
    let t: &[u8] = {
        let start = field.iter().position(|&b| b != b' ' && b != 0).unwrap_or(field.len());
        let end = field.iter().rposition(|&b| b != b' ' && b != 0).map(|i| i + 1).unwrap_or(start);
        &field[start..end.max(start)]
    };
    if t.is_empty() {
        return Some(0);
    }
    let s = std::str::from_utf8(t).ok()?;
    i64::from_str_radix(s, 8).ok().filter(|v| *v >= 0)
}

fn trim_nul(b: &[u8]) -> &[u8] {
    match b.iter().position(|&c| c == 0) {
        Some(i) => &b[..i],
        None => b,
    }
}

fn check_checksum(block: &[u8]) -> LayerResult<()> {
    let field = &block[148..156];
    let digits: Vec<u8> = field.iter().copied().skip_while(|&b| b == b' ').take_while(|&b| (b'0'..=b'7').contains(&b)).collect();
    let want = std::str::from_utf8(&digits).ok().and_then(|s| i64::from_str_radix(s, 8).ok());
    let Some(want) = want else {
        return Err(bad("checksum field is not a number (not a tar archive?)"));
    };
    let mut unsigned: i64 = 0;
    let mut signed: i64 = 0;
    for (i, &b) in block.iter().enumerate() {
        let b = if (148..156).contains(&i) { b' ' } else { b };
        unsigned += b as i64;
        signed += b as i8 as i64;
    }
    if want != unsigned && want != signed {
        return Err(bad("checksum mismatch (not a tar archive, or a corrupt one)"));
    }
    Ok(())
}

fn parse_pax(body: &[u8], p: &mut Pending) -> LayerResult<()> {
    for ext in tar::PaxExtensions::new(body) {
        let ext = ext.map_err(|_| bad("malformed PAX record"))?;
        let key = ext.key_bytes();
        let value = ext.value_bytes();
        let text = || std::str::from_utf8(value).map_err(|_| bad("PAX value is not UTF-8"));
        let int = |what: &str| -> LayerResult<u64> {
            std::str::from_utf8(value).ok().and_then(|s| s.parse::<u64>().ok()).ok_or_else(|| bad(format!("bad PAX {what}")))
        };
        match key {
            b"path" => p.path = Some(value.to_vec()),
            b"linkpath" => p.link = Some(value.to_vec()),
            b"uid" => p.uid = Some(int("uid")?),
            b"gid" => p.gid = Some(int("gid")?),
            b"size" => p.size = Some(int("size")?),
            b"mtime" => p.mtime = Some(parse_pax_time(text()?).ok_or_else(|| bad("bad PAX mtime"))?),
            k if k.starts_with(b"GNU.sparse.") => p.sparse = true,
            _ => {}
        }
    }
    Ok(())
}

/// A PAX time (`1700000000`, `1700000000.5`, `-1.25`): whole seconds, rounded down.
fn parse_pax_time(s: &str) -> Option<i64> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let secs: i64 = int.parse().ok()?;
    let has_frac = frac.bytes().any(|b| b != b'0');
    Some(if secs <= 0 && int.starts_with('-') && has_frac { secs - 1 } else { secs })
}

/// Reads every entry of an archive (for callers that want them all).
pub fn read_all(data: &[u8], limits: ReadLimits) -> LayerResult<Vec<TarEntry<'_>>> {
    let mut r = TarReader::new(data, limits);
    let mut out = Vec::new();
    while let Some(e) = r.next_entry()? {
        out.push(e);
    }
    Ok(out)
}
