//! The directory store backend (native only): `$DFPLAY_HOME`, by default
//! `$XDG_DATA_HOME/dfplay` or `~/.local/share/dfplay`.
//!
//! ```text
//! version                 format marker ("dfplay-store 1")
//! lock                    the write lock (an OS file lock; released if the process dies)
//! blobs/sha256/<hex>      blobs: configs, layer tars, compressed layers
//! docs/<space>/<key>.json image records, layer records, the tag table, cache records
//! tmp/                    files being written
//! ```
//!
//! Every file is written to `tmp/` first, flushed to disk, then renamed into
//! place: a killed process leaves at most a stray temp file, never a half file.
//! Read-modify-write sequences (tags, records of one image) hold the lock; a
//! second process waits for it and gives up with a clear message after a while.

use super::backend::{Backend, LockGuard, Space};
use crate::image::error::{ImageError, ImageErrorKind, ImageResult};
use crate::layer::{Blob, Digest};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const VERSION: &str = "dfplay-store 1\n";
static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

pub struct DirBackend {
    root: PathBuf,
    lock_timeout: Duration,
    lock_state: Arc<Mutex<LockState>>,
}

/// The process's hold on the lock file: nested `lock()` calls share one OS lock.
#[derive(Default)]
struct LockState {
    depth: usize,
    file: Option<fs::File>,
}

struct LockHold(Arc<Mutex<LockState>>);

impl Drop for LockHold {
    fn drop(&mut self) {
        if let Ok(mut st) = self.0.lock() {
            st.depth = st.depth.saturating_sub(1);
            if st.depth == 0 {
                st.file = None; // closing the file releases the OS lock
            }
        }
    }
}

fn io_err(what: &str, path: &Path, e: std::io::Error) -> ImageError {
    ImageError::store(format!("image store: {what} {}: {e}", path.display()))
}

impl DirBackend {
    /// Opens (creating if needed) a store directory.
    pub fn open(root: impl Into<PathBuf>) -> ImageResult<DirBackend> {
        let root = root.into();
        for d in ["blobs/sha256", "docs/images", "docs/layers", "docs/tags", "docs/records", "tmp"] {
            let p = root.join(d);
            fs::create_dir_all(&p).map_err(|e| io_err("cannot create", &p, e))?;
        }
        let vf = root.join("version");
        match fs::read_to_string(&vf) {
            Ok(v) if v == VERSION => {}
            Ok(v) => {
                return Err(ImageError::store(format!(
                    "image store {} has format {:?}; this dfplay reads {:?}",
                    root.display(),
                    v.trim(),
                    VERSION.trim()
                )))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let b = DirBackend { root: root.clone(), lock_timeout: Duration::from_secs(30), lock_state: Arc::default() };
                b.write_atomic(&vf, [VERSION.as_bytes()])?;
            }
            Err(e) => return Err(io_err("cannot read", &vf, e)),
        }
        let b = DirBackend { root, lock_timeout: Duration::from_secs(30), lock_state: Arc::default() };
        b.clean_tmp();
        Ok(b)
    }

    /// How long a writer waits for another process's lock before giving up.
    pub fn with_lock_timeout(mut self, t: Duration) -> Self {
        self.lock_timeout = t;
        self
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Removes temp files left by killed processes (older than an hour).
    fn clean_tmp(&self) {
        let Ok(rd) = fs::read_dir(self.root.join("tmp")) else { return };
        for e in rd.flatten() {
            let old = e.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok()).map(|d| d > Duration::from_secs(3600));
            if old == Some(true) {
                let _ = fs::remove_file(e.path());
            }
        }
    }

    fn blob_path(&self, d: &Digest) -> PathBuf {
        self.root.join("blobs/sha256").join(d.hex())
    }

    fn doc_path(&self, space: Space, key: &str) -> ImageResult<PathBuf> {
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
            return Err(ImageError::store(format!("image store: invalid document key {key:?}")));
        }
        Ok(self.root.join("docs").join(space.dir_name()).join(format!("{key}.json")))
    }

    /// Writes `data` to `path` via a flushed temp file and a rename.
    fn write_atomic<'a>(&self, path: &Path, data: impl IntoIterator<Item = &'a [u8]>) -> ImageResult<()> {
        let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let name = path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = self.root.join("tmp").join(format!("{name}.{}.{n}.tmp", std::process::id()));
        let result = (|| {
            let mut f = fs::File::create(&tmp)?;
            for part in data {
                f.write_all(part)?;
            }
            f.sync_all()?;
            drop(f);
            fs::rename(&tmp, path)
        })();
        if let Err(e) = result {
            let _ = fs::remove_file(&tmp);
            return Err(io_err("cannot write", path, e));
        }
        Ok(())
    }
}

impl Backend for DirBackend {
    fn read_blob(&self, digest: &Digest) -> ImageResult<Option<Blob>> {
        let p = self.blob_path(digest);
        match fs::read(&p) {
            Ok(b) => Ok(Some(Blob::from(b))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_err("cannot read", &p, e)),
        }
    }
    fn write_blob(&mut self, digest: &Digest, data: &Blob) -> ImageResult<()> {
        let p = self.blob_path(digest);
        if p.exists() {
            return Ok(());
        }
        self.write_atomic(&p, data.parts())
    }
    fn has_blob(&self, digest: &Digest) -> ImageResult<bool> {
        Ok(self.blob_path(digest).is_file())
    }
    fn delete_blob(&mut self, digest: &Digest) -> ImageResult<()> {
        let p = self.blob_path(digest);
        match fs::remove_file(&p) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_err("cannot remove", &p, e)),
        }
    }
    fn list_blobs(&self) -> ImageResult<Vec<Digest>> {
        let dir = self.root.join("blobs/sha256");
        let rd = fs::read_dir(&dir).map_err(|e| io_err("cannot list", &dir, e))?;
        let mut v: Vec<Digest> = rd.flatten().filter_map(|e| Digest::from_hex(&e.file_name().to_string_lossy())).collect();
        v.sort();
        Ok(v)
    }
    fn blob_size(&self, digest: &Digest) -> ImageResult<Option<u64>> {
        Ok(fs::metadata(self.blob_path(digest)).ok().map(|m| m.len()))
    }
    fn read_doc(&self, space: Space, key: &str) -> ImageResult<Option<Vec<u8>>> {
        let p = self.doc_path(space, key)?;
        match fs::read(&p) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_err("cannot read", &p, e)),
        }
    }
    fn write_doc(&mut self, space: Space, key: &str, data: &[u8]) -> ImageResult<()> {
        let p = self.doc_path(space, key)?;
        self.write_atomic(&p, [data])
    }
    fn delete_doc(&mut self, space: Space, key: &str) -> ImageResult<()> {
        let p = self.doc_path(space, key)?;
        match fs::remove_file(&p) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_err("cannot remove", &p, e)),
        }
    }
    fn list_docs(&self, space: Space) -> ImageResult<Vec<String>> {
        let dir = self.root.join("docs").join(space.dir_name());
        let rd = fs::read_dir(&dir).map_err(|e| io_err("cannot list", &dir, e))?;
        let mut v: Vec<String> = rd
            .flatten()
            .filter_map(|e| e.file_name().to_string_lossy().strip_suffix(".json").map(str::to_string))
            .collect();
        v.sort();
        Ok(v)
    }
    fn lock(&self) -> ImageResult<LockGuard> {
        let mut st = self.lock_state.lock().map_err(|_| ImageError::store("image store: lock state poisoned"))?;
        if st.depth > 0 {
            st.depth += 1;
            return Ok(Box::new(LockHold(self.lock_state.clone())));
        }
        let p = self.root.join("lock");
        let f = fs::OpenOptions::new().create(true).truncate(false).write(true).open(&p).map_err(|e| io_err("cannot open", &p, e))?;
        let start = Instant::now();
        loop {
            match f.try_lock() {
                Ok(()) => break,
                Err(fs::TryLockError::WouldBlock) => {
                    if start.elapsed() >= self.lock_timeout {
                        return Err(ImageError::new(
                            ImageErrorKind::Locked,
                            format!(
                                "the image store {} is in use by another dfplay process (waited {}s for its lock); try again when it has finished",
                                self.root.display(),
                                self.lock_timeout.as_secs()
                            ),
                        ));
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(fs::TryLockError::Error(e)) => return Err(io_err("cannot lock", &p, e)),
            }
        }
        st.file = Some(f);
        st.depth = 1;
        Ok(Box::new(LockHold(self.lock_state.clone())))
    }
    fn location(&self) -> String {
        self.root.display().to_string()
    }
}

/// The default store directory: `$DFPLAY_HOME`, else `$XDG_DATA_HOME/dfplay`,
/// else `~/.local/share/dfplay`.
pub fn default_home() -> Option<PathBuf> {
    if let Some(h) = std::env::var_os("DFPLAY_HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(h));
    }
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(x).join("dfplay"));
    }
    std::env::var_os("HOME").filter(|v| !v.is_empty()).map(|h| PathBuf::from(h).join(".local/share/dfplay"))
}
