//! Writes tar archives byte for byte as Go's `archive/tar` does for the headers
//! BuildKit (containerd's change writer) produces: USTAR when the entry fits
//! (long names split into prefix + name), PAX extended headers
//! (`dir/PaxHeaders.0/file`, records sorted by key) for non-ASCII or overlong
//! names and link targets and for numbers USTAR cannot hold; empty
//! uname/gname; the checksum as six octal digits, NUL, space. So a layer with
//! the same files and times as a BuildKit layer has the same `diff_id`.

use super::blob::{Blob, BlobBuilder};
use super::error::{LayerError, LayerErrorKind, LayerResult};
use std::sync::Arc;
use tar::{EntryType, Header};

/// What kind of entry to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    File,
    Dir,
    Symlink,
    Hardlink,
}

/// One entry's header fields. `name` is relative (no leading `/`); directories end with `/`.
pub(crate) struct Entry<'a> {
    pub name: &'a str,
    pub kind: Kind,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub mtime: i64,
    pub size: u64,
    /// Target of a symlink or hard link.
    pub link: &'a str,
}

const NAME_SIZE: usize = 100;
const PREFIX_SIZE: usize = 155;
const MAX_OCTAL_8: u64 = 0o7777777;
const MAX_OCTAL_12: u64 = 0o77777777777;

/// A tar archive being written into memory; large file contents are shared, not copied.
pub(crate) struct TarWriter {
    out: BlobBuilder,
}

impl TarWriter {
    pub fn with_capacity(n: usize) -> Self {
        TarWriter { out: BlobBuilder::with_capacity(n) }
    }

    /// Appends one entry and its data (`data.len()` must equal `e.size` for files).
    pub fn append(&mut self, e: &Entry<'_>, data: &[u8]) -> LayerResult<()> {
        self.headers(e)?;
        self.out.push(data);
        self.pad(data.len());
        Ok(())
    }

    /// [`TarWriter::append`] with contents the archive shares instead of copying.
    pub fn append_shared(&mut self, e: &Entry<'_>, data: &Arc<Vec<u8>>) -> LayerResult<()> {
        self.headers(e)?;
        self.out.push_shared(data);
        self.pad(data.len());
        Ok(())
    }

    /// [`TarWriter::append`] with contents in pieces, the large ones shared.
    pub fn append_blob(&mut self, e: &Entry<'_>, data: &Blob) -> LayerResult<()> {
        self.headers(e)?;
        self.out.push_blob(data);
        self.pad(data.len());
        Ok(())
    }

    /// Writes the entry's header (after a PAX header when one is needed).
    fn headers(&mut self, e: &Entry<'_>) -> LayerResult<()> {
        if e.name.contains('\0') || e.link.contains('\0') {
            return Err(LayerError::at(LayerErrorKind::BadName, e.name));
        }
        let mut pax: Vec<(&str, String)> = Vec::new();
        let name_fits = e.name.is_ascii() && e.name.len() <= NAME_SIZE;
        let split = if name_fits { None } else { split_ustar_path(e.name) };
        if !name_fits {
            pax.push(("path", e.name.to_string()));
        }
        let mut needs_pax = !name_fits && split.is_none();
        if !(e.link.is_ascii() && e.link.len() <= NAME_SIZE) {
            pax.push(("linkpath", e.link.to_string()));
            needs_pax = true;
        }
        for (key, v) in [("uid", e.uid as u64), ("gid", e.gid as u64)] {
            if v > MAX_OCTAL_8 {
                pax.push((key, v.to_string()));
                needs_pax = true;
            }
        }
        if e.size > MAX_OCTAL_12 {
            pax.push(("size", e.size.to_string()));
            needs_pax = true;
        }
        if e.mtime < 0 || e.mtime as u64 > MAX_OCTAL_12 {
            pax.push(("mtime", e.mtime.to_string()));
            needs_pax = true;
        }

        let (name, prefix) = if needs_pax {
            (to_ascii(e.name), String::new())
        } else if let Some((p, n)) = split {
            (n.to_string(), p.to_string())
        } else {
            (e.name.to_string(), String::new())
        };

        if needs_pax {
            pax.sort_by(|a, b| a.0.cmp(b.0));
            let mut body = String::new();
            for (k, v) in &pax {
                body.push_str(&pax_record(k, v));
            }
            let (dir, file) = match e.name.rfind('/') {
                Some(i) => (&e.name[..=i], &e.name[i + 1..]),
                None => ("", e.name),
            };
            let mut pax_name = to_ascii(&format!("{dir}PaxHeaders.0/{file}"));
            pax_name.truncate(NAME_SIZE);
            let pax_name = pax_name.trim_end_matches('/');
            let mut h = Header::new_ustar();
            put_str(&mut h.as_ustar_mut().expect("ustar").name, pax_name);
            h.set_mode(0);
            h.set_uid(0);
            h.set_gid(0);
            h.set_size(body.len() as u64);
            h.set_mtime(0);
            h.set_entry_type(EntryType::XHeader);
            self.push_header(h);
            self.out.push(body.as_bytes());
            self.pad(body.len());
        }

        let mut h = Header::new_ustar();
        let fit8 = |v: u64| if v <= MAX_OCTAL_8 { v } else { 0 };
        let fit12 = |v: u64| if v <= MAX_OCTAL_12 { v } else { 0 };
        {
            let u = h.as_ustar_mut().expect("ustar");
            put_str(&mut u.name, &name);
            put_str(&mut u.prefix, &prefix);
            put_str(&mut u.linkname, &if needs_pax { to_ascii(e.link) } else { e.link.to_string() });
        }
        h.set_mode(e.mode & 0o7777);
        h.set_uid(fit8(e.uid as u64));
        h.set_gid(fit8(e.gid as u64));
        h.set_size(fit12(e.size));
        h.set_mtime(if e.mtime < 0 { 0 } else { fit12(e.mtime as u64) });
        h.set_entry_type(match e.kind {
            Kind::File => EntryType::Regular,
            Kind::Dir => EntryType::Directory,
            Kind::Symlink => EntryType::Symlink,
            Kind::Hardlink => EntryType::Link,
        });
        {
            let u = h.as_ustar_mut().expect("ustar");
            u.dev_major = *b"0000000\0";
            u.dev_minor = *b"0000000\0";
        }
        self.push_header(h);
        Ok(())
    }

    fn push_header(&mut self, mut h: Header) {
        let b = h.as_mut_bytes();
        b[148..156].copy_from_slice(b"        ");
        let sum: u32 = b.iter().map(|&x| x as u32).sum();
        // Go: six octal digits, NUL, and the eighth byte left a space.
        let s = format!("{sum:06o}");
        let s = s.as_bytes();
        let s = &s[s.len().saturating_sub(6)..];
        b[148..154].copy_from_slice(s);
        b[154] = 0;
        b[155] = b' ';
        self.out.push(b);
    }

    /// Zeros up to the next 512-byte block after `n` bytes of data.
    fn pad(&mut self, n: usize) {
        self.out.push_zeros((512 - n % 512) % 512);
    }

    /// Ends the archive with two zero blocks and returns it.
    pub fn finish(mut self) -> Blob {
        self.out.push_zeros(1024);
        self.out.finish()
    }
}

fn put_str(field: &mut [u8], s: &str) {
    let b = s.as_bytes();
    let n = b.len().min(field.len());
    field[..n].copy_from_slice(&b[..n]);
}

/// Go's `toASCII`: drops every non-ASCII character.
fn to_ascii(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii() && *c != '\0').collect()
}

/// Go's `splitUSTARPath`: a name too long for the name field split at a `/` into
/// a prefix of at most 155 bytes and a name of at most 100.
fn split_ustar_path(name: &str) -> Option<(&str, &str)> {
    let mut length = name.len();
    if length <= NAME_SIZE || !name.is_ascii() {
        return None;
    } else if length > PREFIX_SIZE + 1 {
        length = PREFIX_SIZE + 1;
    } else if name.as_bytes()[length - 1] == b'/' {
        length -= 1;
    }
    let i = name[..length].rfind('/')?;
    let nlen = name.len() - i - 1;
    if i == 0 || nlen > NAME_SIZE || nlen == 0 || i > PREFIX_SIZE {
        return None;
    }
    Some((&name[..i], &name[i + 1..]))
}

/// One PAX record: `"<len> key=value\n"` where `<len>` counts the whole record.
fn pax_record(key: &str, value: &str) -> String {
    // as Go's formatPAXRecord
    let mut size = key.len() + value.len() + 3; // ' ', '=', '\n'
    size += size.to_string().len();
    let record = format!("{size} {key}={value}\n");
    if record.len() != size {
        return format!("{} {key}={value}\n", record.len());
    }
    record
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pax_record_lengths() {
        assert_eq!(pax_record("path", "a"), "9 path=a\n");
        let long = "x".repeat(95);
        let r = pax_record("path", &long);
        assert_eq!(r.len().to_string(), r.split(' ').next().unwrap());
    }

    #[test]
    fn split_like_go() {
        let n = format!("{}/{}", "d".repeat(120), "f".repeat(50));
        assert_eq!(split_ustar_path(&n), Some((&n[..120], &n[121..])));
        assert_eq!(split_ustar_path(&"x".repeat(101)), None);
        assert_eq!(split_ustar_path("short"), None);
    }
}
