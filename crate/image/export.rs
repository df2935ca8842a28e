//! The filesystem exporters of `dfplay build --output`: `type=tar` (the final
//! rootfs as one tar) and `type=local` (the rootfs written into a host
//! directory, native only). Writing to the host never leaves `dest`: every
//! directory on the way is one this exporter created or checked to be a real
//! directory (an existing symlink in `dest` is replaced, not followed), and
//! names are checked again before they touch the host.

use super::error::{ImageError, ImageResult};
use crate::layer::{self, WriteOptions};
use crate::vfs::Vfs;

/// The whole filesystem as a tar (no whiteouts), times clamped to
/// `SOURCE_DATE_EPOCH` when given.
pub fn rootfs_tar(vfs: &Vfs, opts: WriteOptions) -> ImageResult<Vec<u8>> {
    layer::rootfs_tar(vfs, opts).map(layer::Blob::into_vec).map_err(|e| ImageError::layer("rootfs", e))
}

/// What [`write_rootfs_dir`] wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DirStats {
    pub dirs: usize,
    pub files: usize,
    pub symlinks: usize,
    pub hardlinks: usize,
    pub bytes: u64,
}

/// Writes the filesystem into `dest` (created if missing): directories, files
/// with their permission bits and times, symlinks as they are (never followed),
/// hard links as hard links. Ownership is not changed (a non-root user cannot).
#[cfg(all(unix, not(target_arch = "wasm32")))]
pub fn write_rootfs_dir(vfs: &Vfs, dest: &std::path::Path) -> ImageResult<DirStats> {
    use crate::vfs::Node;
    use std::collections::HashMap;
    use std::fs;
    use std::os::unix::fs::PermissionsExt;
    use std::sync::Arc;

    let err = |what: &str, p: &std::path::Path, e: std::io::Error| ImageError::store(format!("export: {what} {}: {e}", p.display()));
    fs::create_dir_all(dest).map_err(|e| err("cannot create", dest, e))?;
    let mut stats = DirStats::default();
    let mut dirs: Vec<(std::path::PathBuf, u32, i64)> = Vec::new();
    let mut links: HashMap<usize, std::path::PathBuf> = HashMap::new();
    let walk = vfs.walk("/").map_err(|e| ImageError::store(format!("export: {e}")))?;
    for (path, node) in walk {
        if path == "/" {
            continue;
        }
        let mut host = dest.to_path_buf();
        for c in path.split('/').filter(|c| !c.is_empty()) {
            if c == "." || c == ".." || c.contains('\0') {
                return Err(ImageError::store(format!("export: refusing the file name {path:?}")));
            }
            host.push(c);
        }
        // replace whatever is in the way unless both are directories
        if let Ok(m) = fs::symlink_metadata(&host) {
            let both_dirs = m.is_dir() && matches!(node, Node::Dir(_));
            if !both_dirs {
                let r = if m.is_dir() { fs::remove_dir_all(&host) } else { fs::remove_file(&host) };
                r.map_err(|e| err("cannot replace", &host, e))?;
            }
        }
        let mtime = |t: i64| std::time::UNIX_EPOCH + std::time::Duration::from_secs(t.max(0) as u64);
        match &node {
            Node::Dir(d) => {
                if fs::symlink_metadata(&host).is_err() {
                    fs::create_dir(&host).map_err(|e| err("cannot create", &host, e))?;
                }
                fs::set_permissions(&host, fs::Permissions::from_mode(0o700)).map_err(|e| err("cannot chmod", &host, e))?;
                dirs.push((host, d.meta.mode, d.meta.mtime));
                stats.dirs += 1;
            }
            Node::File(f) => {
                let key = Arc::as_ptr(f) as usize;
                if f.hardlinked {
                    if let Some(first) = links.get(&key) {
                        fs::hard_link(first, &host).map_err(|e| err("cannot link", &host, e))?;
                        stats.hardlinks += 1;
                        continue;
                    }
                    links.insert(key, host.clone());
                }
                fs::write(&host, f.data.as_slice()).map_err(|e| err("cannot write", &host, e))?;
                let file = fs::File::options().write(true).open(&host).map_err(|e| err("cannot open", &host, e))?;
                let _ = file.set_modified(mtime(f.meta.mtime));
                fs::set_permissions(&host, fs::Permissions::from_mode(f.meta.mode & 0o7777)).map_err(|e| err("cannot chmod", &host, e))?;
                stats.files += 1;
                stats.bytes += f.data.len() as u64;
            }
            Node::Symlink(s) => {
                std::os::unix::fs::symlink(&s.target, &host).map_err(|e| err("cannot create symlink", &host, e))?;
                stats.symlinks += 1;
            }
        }
    }
    // directory modes and times last: children are written by then
    for (host, mode, t) in dirs.into_iter().rev() {
        if let Ok(d) = fs::File::open(&host) {
            let _ = d.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(t.max(0) as u64));
        }
        fs::set_permissions(&host, fs::Permissions::from_mode(mode & 0o7777)).map_err(|e| err("cannot chmod", &host, e))?;
    }
    Ok(stats)
}

/// Writes archive files (from [`super::archive::archive_files`]) into a directory,
/// e.g. an OCI layout for `umoci` or `skopeo copy oci:DIR`.
#[cfg(not(target_arch = "wasm32"))]
pub fn write_archive_dir(files: &super::archive::ArchiveFiles, dest: &std::path::Path) -> ImageResult<()> {
    use std::fs;
    for (path, data) in files {
        if path.split('/').any(|c| c.is_empty() || c == "." || c == "..") {
            return Err(ImageError::store(format!("export: refusing the file name {path:?}")));
        }
        let p = dest.join(path);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).map_err(|e| ImageError::store(format!("export: cannot create {}: {e}", parent.display())))?;
        }
        fs::write(&p, data.contiguous()).map_err(|e| ImageError::store(format!("export: cannot write {}: {e}", p.display())))?;
    }
    Ok(())
}
