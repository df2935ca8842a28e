//! Jar files: a writer of real (stored, uncompressed) zip archives, so the jars
//! the simulated `mvn package` and `jar` write are genuine archives that `unzip`
//! and `jar tf` list, and a bounded reader that finds entries (stored or
//! deflated) in any zip — a simulated jar or a real one from the build context.
//!
//! Invariant: reading never panics and never inflates more than a set amount.

use super::support;
use crate::layer::gzip::crc32;

/// One file in an archive.
pub struct Entry {
    pub name: String,
    pub data: Vec<u8>,
}

/// Most bytes one entry may inflate to when read.
const MAX_INFLATE: usize = 4 << 20;
/// Most entries read from one archive.
const MAX_ENTRIES: usize = 100_000;

fn dos_time(secs: i64) -> (u16, u16) {
    let (y, mo, d, h, mi, s) = support::civil(secs);
    let y = (y - 1980).clamp(0, 127) as u16;
    (((h as u16) << 11) | ((mi as u16) << 5) | (s as u16 / 2), (y << 9) | ((mo as u16) << 5) | d as u16)
}

/// A stored zip archive of `entries` (names ending in `/` are directories).
pub fn write(entries: &[Entry], mtime: i64) -> Vec<u8> {
    let (time, date) = dos_time(mtime);
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let crc = crc32(&e.data);
        let size = e.data.len() as u32;
        let name = e.name.as_bytes();
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        for v in [20u16, 0x0800, 0, time, date] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, size, size] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name);
        out.extend_from_slice(&e.data);

        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        for v in [0x0314u16, 20, 0x0800, 0, time, date] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, size, size] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        for v in [name.len() as u16, 0, 0, 0, 0] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        let mode: u32 = if e.name.ends_with('/') { 0o040755 } else { 0o100644 };
        central.extend_from_slice(&((mode << 16) | if e.name.ends_with('/') { 0x10 } else { 0 }).to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let cd_offset = out.len() as u32;
    let cd_size = central.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    for v in [0u16, 0, entries.len() as u16, entries.len() as u16] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    d.get(at..at.checked_add(2)?).map(|b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at.checked_add(4)?).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// An entry of a read archive: its name, method and where its data is.
struct CdEntry {
    name: String,
    method: u16,
    csize: usize,
    local: usize,
}

fn central_directory(d: &[u8]) -> Option<Vec<CdEntry>> {
    if d.len() < 22 {
        return None;
    }
    let lo = d.len().saturating_sub(22 + 65_535);
    let eocd = (lo..=d.len() - 22).rev().find(|&i| u32_at(d, i) == Some(0x0605_4b50))?;
    let count = u16_at(d, eocd + 10)? as usize;
    let mut at = u32_at(d, eocd + 16)? as usize;
    let mut out = Vec::new();
    for _ in 0..count.min(MAX_ENTRIES) {
        if u32_at(d, at)? != 0x0201_4b50 {
            return None;
        }
        let method = u16_at(d, at + 10)?;
        let csize = u32_at(d, at + 20)? as usize;
        let nlen = u16_at(d, at + 28)? as usize;
        let xlen = u16_at(d, at + 30)? as usize;
        let clen = u16_at(d, at + 32)? as usize;
        let local = u32_at(d, at + 42)? as usize;
        let name_at = at.checked_add(46)?;
        let name = String::from_utf8_lossy(d.get(name_at..name_at.checked_add(nlen)?)?).into_owned();
        out.push(CdEntry { name, method, csize, local });
        at = name_at.checked_add(nlen)?.checked_add(xlen)?.checked_add(clen)?;
    }
    Some(out)
}

/// The names in an archive, or `None` when it is not a readable zip.
pub fn list(d: &[u8]) -> Option<Vec<String>> {
    Some(central_directory(d)?.into_iter().map(|e| e.name).collect())
}

/// One entry's contents (stored or deflated), if present and readable.
pub fn read(d: &[u8], name: &str) -> Option<Vec<u8>> {
    let e = central_directory(d)?.into_iter().find(|e| e.name == name)?;
    if u32_at(d, e.local)? != 0x0403_4b50 {
        return None;
    }
    let nlen = u16_at(d, e.local.checked_add(26)?)? as usize;
    let xlen = u16_at(d, e.local.checked_add(28)?)? as usize;
    let start = e.local.checked_add(30)?.checked_add(nlen)?.checked_add(xlen)?;
    let raw = d.get(start..start.checked_add(e.csize)?)?;
    match e.method {
        0 => Some(raw.to_vec()),
        8 => miniz_oxide::inflate::decompress_to_vec_with_limit(raw, MAX_INFLATE).ok(),
        _ => None,
    }
}

/// A manifest attribute (`Main-Class`), with continuation lines joined.
pub fn manifest_attr(manifest: &str, key: &str) -> Option<String> {
    let mut joined: Vec<String> = Vec::new();
    for line in manifest.split('\n').map(|l| l.trim_end_matches('\r')) {
        if let Some(cont) = line.strip_prefix(' ') {
            if let Some(last) = joined.last_mut() {
                last.push_str(cont);
            }
        } else {
            joined.push(line.to_string());
        }
    }
    joined.iter().find_map(|l| l.split_once(": ").filter(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_it_reads() {
        let z = write(
            &[Entry { name: "META-INF/".into(), data: vec![] }, Entry { name: "META-INF/MANIFEST.MF".into(), data: b"Manifest-Version: 1.0\r\nMain-Class: a.B\r\n\r\n".to_vec() }],
            1_717_200_000,
        );
        assert_eq!(list(&z).unwrap(), ["META-INF/", "META-INF/MANIFEST.MF"]);
        let m = String::from_utf8(read(&z, "META-INF/MANIFEST.MF").unwrap()).unwrap();
        assert_eq!(manifest_attr(&m, "Main-Class").as_deref(), Some("a.B"));
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }

    /// The archive is a real zip: BusyBox's unzip (installed by scripts/test.sh) extracts it.
    #[test]
    fn busybox_unzip_reads_it() {
        let z = write(&[Entry { name: "META-INF/".into(), data: vec![] }, Entry { name: "hello.txt".into(), data: b"hi\n".to_vec() }], 1_717_200_000);
        let dir = std::env::temp_dir().join(format!("dfplay-zip-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("t.zip");
        std::fs::write(&f, &z).unwrap();
        let o = std::process::Command::new("busybox").args(["unzip", "-p"]).arg(&f).arg("hello.txt").output().expect("busybox (scripts/test.sh installs busybox-static)");
        let _ = std::fs::remove_dir_all(&dir);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(o.stdout, b"hi\n");
    }

    #[test]
    fn garbage_is_not_a_zip() {
        assert!(list(b"not a zip at all, definitely not").is_none());
        let mut z = write(&[Entry { name: "a".into(), data: b"x".to_vec() }], 0);
        let n = z.len();
        z[n - 6] = 0xff; // cd offset points nowhere
        assert!(read(&z, "a").is_none());
    }
}
