//! ADD's automatic extraction of local tar archives (plain or gzip), as Docker
//! does: detected by content, not by name; extracted into the destination
//! directory, entries confined to it, with size and count limits.

use crate::vfs::{path, Meta, Node, Vfs};
use std::io::Read;

/// An archive format ADD recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArchiveKind {
    Tar,
    Gzip,
    Bzip2,
    Xz,
    Zstd,
}

/// Most entries and bytes ADD extracts from one archive.
const MAX_ENTRIES: usize = 100_000;
const MAX_BYTES: u64 = 256 << 20;

/// The archive format of `data`, if it is one (by magic numbers, as Docker's
/// `archive.DetectCompression` + tar header check).
pub fn detect(data: &[u8]) -> Option<ArchiveKind> {
    if data.starts_with(&[0x1f, 0x8b, 0x08]) {
        return Some(ArchiveKind::Gzip);
    }
    if data.starts_with(b"BZh") {
        return Some(ArchiveKind::Bzip2);
    }
    if data.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
        return Some(ArchiveKind::Xz);
    }
    if data.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        return Some(ArchiveKind::Zstd);
    }
    if data.len() >= 512 && (&data[257..262] == b"ustar" || tar_checksum_ok(&data[..512])) {
        return Some(ArchiveKind::Tar);
    }
    None
}

fn tar_checksum_ok(h: &[u8]) -> bool {
    let field = &h[148..156];
    let s: String = field.iter().take_while(|&&b| b != 0 && b != b' ').map(|&b| b as char).collect();
    let Ok(want) = u32::from_str_radix(s.trim(), 8) else { return false };
    let sum: u32 = h.iter().enumerate().map(|(i, &b)| if (148..156).contains(&i) { 32 } else { b as u32 }).sum();
    sum == want && h[0] != 0
}

/// Decompresses gzip (every member, CRC-checked) with a cap on the output size.
fn gunzip(data: &[u8]) -> Result<Vec<u8>, String> {
    crate::layer::gzip::gunzip(data, MAX_BYTES).map_err(|e| match e.kind {
        crate::layer::LayerErrorKind::TooLarge { .. } => format!("archive is larger than the playground limit of {} MiB", MAX_BYTES >> 20),
        _ => "invalid gzip data (truncated or corrupt)".to_string(),
    })
}

/// Extracts a tar (or gzip'd tar) into `dest` (an existing directory) of `fs`.
pub fn extract(data: &[u8], kind: ArchiveKind, fs: &mut Vfs, dest: &str, chown: Option<(u32, u32)>, now: i64) -> Result<(), String> {
    let plain;
    let bytes: &[u8] = match kind {
        ArchiveKind::Tar => data,
        ArchiveKind::Gzip => {
            plain = gunzip(data)?;
            &plain
        }
        ArchiveKind::Bzip2 | ArchiveKind::Xz | ArchiveKind::Zstd => {
            return Err(format!("ADD: {kind:?} archives are not supported in the playground yet (plain and gzip tars are)").to_lowercase())
        }
    };
    let mut ar = tar::Archive::new(bytes);
    let entries = ar.entries().map_err(|e| format!("failed to read archive: {e}"))?;
    for (n, entry) in entries.enumerate() {
        if n >= MAX_ENTRIES {
            return Err(format!("archive has more than {MAX_ENTRIES} entries (playground limit)"));
        }
        let mut e = entry.map_err(|e| format!("failed to read archive: {e}"))?;
        let raw = e.path().map_err(|e| format!("failed to read archive: {e}"))?.to_string_lossy().to_string();
        let rel = path::normalize(&raw);
        if rel == "/" {
            continue;
        }
        let target = path::join(dest, rel.trim_start_matches('/'));
        let h = e.header();
        let mode = h.mode().unwrap_or(0o644) & 0o7777;
        let (uid, gid) = chown.unwrap_or((h.uid().unwrap_or(0) as u32, h.gid().unwrap_or(0) as u32));
        let mtime = h.mtime().map(|m| m as i64).unwrap_or(now);
        let meta = Meta { mode, uid, gid, mtime };
        let parent = path::parent(&target).to_string();
        fs.mkdir_all(&parent, 0o755).map_err(|e| e.to_string())?;
        let kind = h.entry_type();
        let node = if kind.is_dir() {
            if fs.stat(&target).map(|s| s.is_dir()).unwrap_or(false) {
                let _ = fs.set_meta(&target, meta);
                continue;
            }
            Node::new_dir(meta)
        } else if kind.is_symlink() {
            let t = e.link_name().ok().flatten().map(|p| p.to_string_lossy().to_string()).unwrap_or_default();
            Node::new_symlink(meta, t)
        } else if kind.is_hard_link() {
            let t = e.link_name().ok().flatten().map(|p| p.to_string_lossy().to_string()).unwrap_or_default();
            let src = path::join(dest, path::normalize(&t).trim_start_matches('/'));
            match fs.get(&src, false) {
                Ok(n) => n,
                Err(_) => return Err(format!("{raw}: hard link to missing {t}")),
            }
        } else if kind.is_file() || kind == tar::EntryType::Continuous {
            let mut data = Vec::new();
            e.by_ref().take(MAX_BYTES).read_to_end(&mut data).map_err(|e| format!("failed to read archive: {e}"))?;
            Node::new_file(meta, data)
        } else {
            continue; // devices, fifos: skipped in the playground
        };
        fs.insert(&target, node).map_err(|e| e.to_string())?;
    }
    Ok(())
}
