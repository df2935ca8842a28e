//! The image store: content-addressed blobs (configs, layer tars, compressed
//! layers), image records (ID → config and layers), tags (`repo:tag` → ID;
//! an image without one is `<none>:<none>`, dangling), and a small keyed record
//! area for the build cache (key → JSON). The operations are Docker's: tag,
//! untag, `rmi` with its conflicts and wording, `images` with filters, prune of
//! dangling images, reference resolution (`name`, `name:tag`,
//! `docker.io/library/name:tag`, full or short IDs).
//!
//! Layers are kept uncompressed (by `diff_id`, as Docker's own store does); a
//! gzip form is made on first need (OCI export) and kept. Blobs no image and no
//! cache record names are deleted when images are removed.
//!
//! Two backends: [`MemoryBackend`] (the page) and, natively, [`DirBackend`]
//! (`$DFPLAY_HOME`), with atomic writes and a lock for concurrent processes.

mod backend;
#[cfg(not(target_arch = "wasm32"))]
mod dir;
mod memory;

pub use backend::{Backend, LockGuard, Space};
#[cfg(not(target_arch = "wasm32"))]
pub use dir::{default_home, DirBackend};
pub use memory::MemoryBackend;

use super::config::ImageConfig;
use super::error::{ImageError, ImageErrorKind, ImageResult};
use crate::reference::Reference;
use super::time;
use crate::layer::{self, ApplyOptions, Blob, CompressedLayer, Digest, Layer, SpecialFiles};
use crate::vfs::Vfs;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

/// What the store knows of one image besides its config.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageRecord {
    /// The image ID: digest of the config blob.
    pub id: Digest,
    /// The config's `rootfs.diff_ids`, bottom first.
    pub diff_ids: Vec<Digest>,
    /// The config's `created`, if any.
    #[serde(default)]
    pub created: Option<String>,
    /// When a tag last pointed here (`Metadata.LastTagTime` of `docker inspect`).
    #[serde(default)]
    pub last_tag_time: Option<String>,
    /// Where it came from: `built`, `loaded`, `stand-in`, … (free text, shown by the page).
    #[serde(default)]
    pub origin: String,
    /// Bytes of file contents over all layers (`docker images` SIZE).
    #[serde(default)]
    pub size: u64,
}

/// What the store knows of one layer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerRecord {
    pub diff_id: Digest,
    /// Bytes of the uncompressed tar.
    pub size: u64,
    /// Bytes of regular-file contents (`docker history` SIZE).
    pub content_size: u64,
    /// The gzip blob, once made.
    #[serde(default)]
    pub gzip: Option<(Digest, u64)>,
}

/// One `docker rmi` / `docker image prune` output line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RemoveEvent {
    /// `Untagged: busybox:latest`
    Untagged(String),
    /// `Deleted: sha256:…` (the image, then each layer freed, by chain ID)
    Deleted(Digest),
}

impl std::fmt::Display for RemoveEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RemoveEvent::Untagged(r) => write!(f, "Untagged: {r}"),
            RemoveEvent::Deleted(d) => write!(f, "Deleted: {d}"),
        }
    }
}

/// A row source for `docker images`: one image with all its tags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageSummary {
    pub record: ImageRecord,
    /// Familiar `repo:tag`s, sorted.
    pub tags: Vec<Reference>,
    pub labels: BTreeMap<String, String>,
}

/// `docker images` filters.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Filter {
    /// `dangling=true|false`
    Dangling(bool),
    /// `label=KEY` or `label=KEY=VALUE`
    Label(String, Option<String>),
    /// `reference=PATTERN` (glob on `name` or `name:tag`)
    Reference(String),
    /// `before=IMAGE`, `since=IMAGE`: created before / after that image
    Before(String),
    Since(String),
}

impl Filter {
    /// Parses `--filter` text (`dangling=true`, `label=purpose=practice`).
    pub fn parse(s: &str) -> ImageResult<Filter> {
        let bad = || ImageError::new(ImageErrorKind::InvalidReference, format!("invalid filter '{s}'"));
        let (k, v) = s.split_once('=').ok_or_else(bad)?;
        match k.trim().to_ascii_lowercase().as_str() {
            "dangling" => match v.to_ascii_lowercase().as_str() {
                "true" | "1" => Ok(Filter::Dangling(true)),
                "false" | "0" => Ok(Filter::Dangling(false)),
                _ => Err(ImageError::new(ImageErrorKind::InvalidReference, format!("Invalid filter 'dangling={v}'"))),
            },
            "label" => Ok(match v.split_once('=') {
                Some((lk, lv)) => Filter::Label(lk.to_string(), Some(lv.to_string())),
                None => Filter::Label(v.to_string(), None),
            }),
            "reference" => Ok(Filter::Reference(v.to_string())),
            "before" => Ok(Filter::Before(v.to_string())),
            "since" => Ok(Filter::Since(v.to_string())),
            other => Err(ImageError::new(ImageErrorKind::InvalidReference, format!("invalid filter '{other}'"))),
        }
    }
}

/// What `prune` removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PruneReport {
    pub events: Vec<RemoveEvent>,
    /// Bytes of file contents in the layers freed.
    pub reclaimed: u64,
}

type Clock = Box<dyn Fn() -> (i64, u32) + Send + Sync>;

/// The image store. See the module documentation.
pub struct Store {
    backend: Box<dyn Backend>,
    clock: Clock,
    /// Applied layer stacks by chain ID (a few, most recent last).
    rootfs_cache: Mutex<Vec<(Digest, Vfs)>>,
}

const ROOTFS_CACHE: usize = 16;
const TAGS_KEY: &str = "tags";

#[cfg(not(target_arch = "wasm32"))]
fn system_now() -> (i64, u32) {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
        Err(_) => (0, 0),
    }
}

#[cfg(target_arch = "wasm32")]
fn system_now() -> (i64, u32) {
    (0, 0)
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> ImageError {
    ImageError::store(format!("image store: corrupt {what}: {e}"))
}

/// The OCI chain IDs of a layer stack: `chain[0] = diff[0]`,
/// `chain[n] = sha256(chain[n-1] + " " + diff[n])`.
pub fn chain_ids(diff_ids: &[Digest]) -> Vec<Digest> {
    let mut out: Vec<Digest> = Vec::with_capacity(diff_ids.len());
    for d in diff_ids {
        let next = match out.last() {
            None => d.clone(),
            Some(prev) => Digest::of(format!("{prev} {d}").as_bytes()),
        };
        out.push(next);
    }
    out
}

impl Store {
    pub fn with_backend(backend: Box<dyn Backend>) -> Store {
        Store { backend, clock: Box::new(system_now), rootfs_cache: Mutex::new(Vec::new()) }
    }

    /// True when the store outlives the process (a directory), false in memory.
    pub fn persistent(&self) -> bool {
        self.backend.persistent()
    }

    /// An empty in-memory store.
    pub fn memory() -> Store {
        Store::with_backend(Box::new(MemoryBackend::new()))
    }

    /// The store in a directory (created if missing).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn open_dir(path: impl Into<std::path::PathBuf>) -> ImageResult<Store> {
        Ok(Store::with_backend(Box::new(DirBackend::open(path)?)))
    }

    /// The store in [`default_home`].
    #[cfg(not(target_arch = "wasm32"))]
    pub fn open_default() -> ImageResult<Store> {
        let home = default_home().ok_or_else(|| {
            ImageError::store("cannot find a place for the image store: set DFPLAY_HOME (or HOME)")
        })?;
        Store::open_dir(home)
    }

    /// Replaces the clock used for tag times (Unix seconds, nanoseconds).
    pub fn set_clock(&mut self, clock: impl Fn() -> (i64, u32) + Send + Sync + 'static) {
        self.clock = Box::new(clock);
    }

    fn now_rfc3339(&self) -> String {
        let (s, n) = (self.clock)();
        time::format_rfc3339(s, n)
    }

    /// Where the store lives (`memory` or its directory).
    pub fn location(&self) -> String {
        self.backend.location()
    }

    // ----- blobs ------------------------------------------------------------------

    /// Stores bytes under their digest.
    pub fn put_blob(&mut self, data: &[u8]) -> ImageResult<Digest> {
        let d = Digest::of(data);
        self.backend.write_blob(&d, &Blob::from(data.to_vec()))?;
        Ok(d)
    }

    pub fn blob(&self, digest: &Digest) -> ImageResult<Blob> {
        self.backend
            .read_blob(digest)?
            .ok_or_else(|| ImageError::store(format!("image store: blob {digest} is missing")))
    }

    pub fn has_blob(&self, digest: &Digest) -> ImageResult<bool> {
        self.backend.has_blob(digest)
    }

    // ----- layers -----------------------------------------------------------------

    /// Stores a layer (its tar under its `diff_id`, and its sizes).
    pub fn put_layer(&mut self, layer: &Layer) -> ImageResult<()> {
        if self.layer(layer.diff_id()).is_ok() && self.backend.has_blob(layer.diff_id())? {
            return Ok(());
        }
        self.backend.write_blob(layer.diff_id(), &layer.tar)?;
        let rec = LayerRecord { diff_id: layer.diff_id().clone(), size: layer.size(), content_size: layer.content_size, gzip: None };
        self.write_layer_record(&rec)
    }

    fn write_layer_record(&mut self, rec: &LayerRecord) -> ImageResult<()> {
        let bytes = serde_json::to_vec(rec).map_err(|e| corrupt("layer record", e))?;
        self.backend.write_doc(Space::Layers, rec.diff_id.hex(), &bytes)
    }

    /// The record of a stored layer.
    pub fn layer(&self, diff_id: &Digest) -> ImageResult<LayerRecord> {
        let b = self
            .backend
            .read_doc(Space::Layers, diff_id.hex())?
            .ok_or_else(|| ImageError::store(format!("image store: layer {diff_id} is missing")))?;
        serde_json::from_slice(&b).map_err(|e| corrupt(&format!("layer record {diff_id}"), e))
    }

    /// The uncompressed tar of a stored layer.
    pub fn layer_tar(&self, diff_id: &Digest) -> ImageResult<Blob> {
        self.blob(diff_id)
    }

    /// The gzip blob of a stored layer, made (deterministically) on first use and kept.
    pub fn compressed_layer(&mut self, diff_id: &Digest) -> ImageResult<CompressedLayer> {
        let mut rec = self.layer(diff_id)?;
        if let Some((d, _)) = &rec.gzip {
            if let Some(gz) = self.backend.read_blob(d)? {
                return Ok(CompressedLayer { gz, digest: d.clone() });
            }
        }
        let tar = self.layer_tar(diff_id)?;
        let gz = Blob::from(tar.gzip());
        let digest = Digest::of_parts(gz.parts());
        self.backend.write_blob(&digest, &gz)?;
        rec.gzip = Some((digest.clone(), gz.len() as u64));
        let _lock = self.backend.lock()?;
        self.write_layer_record(&rec)?;
        Ok(CompressedLayer { gz, digest })
    }

    /// Makes the gzip blobs of several layers at once (one thread per core
    /// natively; in order on wasm). The result is the same as one by one.
    pub fn compress_layers(&mut self, diff_ids: &[Digest]) -> ImageResult<()> {
        let mut todo = Vec::new();
        for d in diff_ids {
            let rec = self.layer(d)?;
            let have = match &rec.gzip {
                Some((g, _)) => self.backend.has_blob(g)?,
                None => false,
            };
            if !have && !todo.iter().any(|(r, _): &(LayerRecord, _)| &r.diff_id == d) {
                todo.push((rec, self.layer_tar(d)?));
            }
        }
        let zipped = gzip_all(todo.iter().map(|(_, t)| t.clone()).collect());
        let _lock = self.backend.lock()?;
        for ((mut rec, _), gz) in todo.into_iter().zip(zipped) {
            let digest = Digest::of(&gz);
            let gz = Blob::from(gz);
            self.backend.write_blob(&digest, &gz)?;
            rec.gzip = Some((digest, gz.len() as u64));
            self.write_layer_record(&rec)?;
        }
        Ok(())
    }

    // ----- images -----------------------------------------------------------------

    /// Stores an image from its config; every layer it lists must be stored
    /// already ([`Store::put_layer`]). Returns the image ID.
    pub fn put_image(&mut self, config: &ImageConfig, origin: &str) -> ImageResult<Digest> {
        self.put_image_config(&config.to_json(), origin)
    }

    /// Stores the layers a build made and the image whose config lists them
    /// (base layers already stored plus `new_layers`); returns the image ID.
    pub fn commit(&mut self, config: &ImageConfig, new_layers: &[Layer], origin: &str) -> ImageResult<Digest> {
        for l in new_layers {
            self.put_layer(l)?;
        }
        self.put_image(config, origin)
    }

    /// Stores an image from config bytes as they are (a loaded image keeps its
    /// exact config, so its ID is unchanged).
    pub fn put_image_config(&mut self, config_bytes: &[u8], origin: &str) -> ImageResult<Digest> {
        let config = ImageConfig::from_json(config_bytes)
            .map_err(|e| ImageError::new(ImageErrorKind::InvalidArchive, format!("invalid image config: {e}")))?;
        if config.rootfs.diff_ids.len() > crate::limits::MAX_IMAGE_LAYERS {
            return Err(ImageError::new(
                ImageErrorKind::TooLarge,
                format!("image has {} layers; the playground limit is {}", config.rootfs.diff_ids.len(), crate::limits::MAX_IMAGE_LAYERS),
            ));
        }
        let mut size = 0;
        for d in &config.rootfs.diff_ids {
            size += self.layer(d)?.content_size;
        }
        let id = Digest::of(config_bytes);
        self.backend.write_blob(&id, &Blob::from(config_bytes.to_vec()))?;
        let _lock = self.backend.lock()?;
        let last_tag_time = self.image(&id).ok().and_then(|r| r.last_tag_time);
        let rec = ImageRecord {
            id: id.clone(),
            diff_ids: config.rootfs.diff_ids.clone(),
            created: config.created.clone(),
            last_tag_time,
            origin: origin.to_string(),
            size,
        };
        self.write_image_record(&rec)?;
        Ok(id)
    }

    fn write_image_record(&mut self, rec: &ImageRecord) -> ImageResult<()> {
        let bytes = serde_json::to_vec(rec).map_err(|e| corrupt("image record", e))?;
        self.backend.write_doc(Space::Images, rec.id.hex(), &bytes)
    }

    /// The record of an image by ID.
    pub fn image(&self, id: &Digest) -> ImageResult<ImageRecord> {
        let b = self.backend.read_doc(Space::Images, id.hex())?.ok_or_else(|| ImageError::no_such_image(id.as_str()))?;
        serde_json::from_slice(&b).map_err(|e| corrupt(&format!("image record {id}"), e))
    }

    /// The config bytes of an image.
    pub fn config_bytes(&self, id: &Digest) -> ImageResult<Blob> {
        self.image(id)?;
        self.blob(id)
    }

    /// The parsed config of an image.
    pub fn config(&self, id: &Digest) -> ImageResult<ImageConfig> {
        let b = self.config_bytes(id)?;
        ImageConfig::from_json(&b.contiguous()).map_err(|e| corrupt(&format!("config {id}"), e))
    }

    /// Every image record, sorted by ID.
    pub fn images(&self) -> ImageResult<Vec<ImageRecord>> {
        let mut out = Vec::new();
        for key in self.backend.list_docs(Space::Images)? {
            if let Some(id) = Digest::from_hex(&key) {
                out.push(self.image(&id)?);
            }
        }
        Ok(out)
    }

    // ----- tags ---------------------------------------------------------------------

    fn tag_table(&self) -> ImageResult<BTreeMap<String, Digest>> {
        match self.backend.read_doc(Space::Tags, TAGS_KEY)? {
            None => Ok(BTreeMap::new()),
            Some(b) => serde_json::from_slice(&b).map_err(|e| corrupt("tag table", e)),
        }
    }

    fn write_tag_table(&mut self, t: &BTreeMap<String, Digest>) -> ImageResult<()> {
        let b = serde_json::to_vec_pretty(t).map_err(|e| corrupt("tag table", e))?;
        self.backend.write_doc(Space::Tags, TAGS_KEY, &b)
    }

    /// Every tag with its image, as normalised references, sorted.
    pub fn tags(&self) -> ImageResult<Vec<(Reference, Digest)>> {
        let mut out = Vec::new();
        for (r, id) in self.tag_table()? {
            let r = Reference::parse(&r).map_err(|e| corrupt("tag table", e))?;
            out.push((r, id));
        }
        Ok(out)
    }

    /// The tags of one image, as normalised references.
    pub fn tags_of(&self, id: &Digest) -> ImageResult<Vec<Reference>> {
        Ok(self.tags()?.into_iter().filter(|(_, i)| i == id).map(|(r, _)| r).collect())
    }

    /// `docker tag`: points `target` (`name[:tag]`) at image `id`. Returns the
    /// image that had the tag before, if another.
    pub fn tag(&mut self, id: &Digest, target: &str) -> ImageResult<Option<Digest>> {
        let r = Reference::parse(target)?;
        if r.digest.is_some() {
            return Err(ImageError::new(ImageErrorKind::InvalidReference, "refusing to create a tag with a digest reference"));
        }
        let _lock = self.backend.lock()?;
        let mut rec = self.image(id)?;
        let mut t = self.tag_table()?;
        let old = t.insert(r.to_string(), id.clone()).filter(|o| o != id);
        self.write_tag_table(&t)?;
        rec.last_tag_time = Some(self.now_rfc3339());
        self.write_image_record(&rec)?;
        Ok(old)
    }

    /// Removes one tag; returns the image it pointed at.
    pub fn untag(&mut self, reference: &str) -> ImageResult<Digest> {
        let r = Reference::parse(reference)?;
        let _lock = self.backend.lock()?;
        let mut t = self.tag_table()?;
        let id = t.remove(&r.to_string()).ok_or_else(|| ImageError::no_such_image(&r.familiar()))?;
        self.write_tag_table(&t)?;
        Ok(id)
    }

    // ----- resolution -----------------------------------------------------------------

    /// Finds the image a reference names, as the Docker daemon does: a tag first
    /// (`busybox` = `docker.io/library/busybox:latest`), then a full ID
    /// (`sha256:…` or 64 hex), then a unique ID prefix (`cd2b`, `sha256:cd2b`).
    pub fn resolve(&self, reference: &str) -> ImageResult<Digest> {
        let parsed = Reference::parse(reference);
        if let Ok(r) = &parsed {
            if r.digest.is_none() {
                if let Some(id) = self.tag_table()?.get(&r.to_string()) {
                    return Ok(id.clone());
                }
            }
        }
        let hex = reference.strip_prefix("sha256:").unwrap_or(reference);
        if !hex.is_empty() && hex.len() <= 64 && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            let keys = self.backend.list_docs(Space::Images)?;
            let hits: Vec<&String> = keys.iter().filter(|k| k.starts_with(hex)).collect();
            if hits.len() == 1 {
                if let Some(id) = Digest::from_hex(hits[0]) {
                    return Ok(id);
                }
            }
        }
        match parsed {
            Ok(r) => Err(ImageError::no_such_image(&r.familiar())),
            Err(e) if reference.starts_with("sha256:") => {
                let _ = e;
                Err(ImageError::no_such_image(reference))
            }
            Err(e) => Err(e.into()),
        }
    }

    // ----- removal ----------------------------------------------------------------------

    /// `docker rmi [-f] REF`: a tag reference removes that tag (and the image with
    /// its last tag); an ID removes the image, refusing without `force` when it has
    /// tags in several repositories. Freed layers are deleted and reported.
    pub fn remove(&mut self, reference: &str, force: bool) -> ImageResult<Vec<RemoveEvent>> {
        let id = self.resolve(reference)?;
        let mut events = Vec::new();
        let removed: ImageRecord;
        let by_tag = Reference::parse(reference)
            .ok()
            .filter(|r| r.digest.is_none())
            .filter(|r| self.tag_table().map(|t| t.get(&r.to_string()) == Some(&id)).unwrap_or(false));
        {
            let _lock = self.backend.lock()?;
            let mut table = self.tag_table()?;
            if let Some(r) = &by_tag {
                table.remove(&r.to_string());
                events.push(RemoveEvent::Untagged(r.familiar()));
                if table.values().any(|v| v == &id) {
                    self.write_tag_table(&table)?;
                    return Ok(events);
                }
            } else {
                let refs: Vec<String> = table.iter().filter(|(_, v)| *v == &id).map(|(k, _)| k.clone()).collect();
                if refs.len() > 1 && !force {
                    return Err(ImageError::new(
                        ImageErrorKind::Conflict,
                        format!("conflict: unable to delete {} (must be forced) - image is referenced in multiple repositories", id.short()),
                    ));
                }
                for k in refs {
                    table.remove(&k);
                    let fam = Reference::parse(&k).map(|r| r.familiar()).unwrap_or(k);
                    events.push(RemoveEvent::Untagged(fam));
                }
            }
            self.write_tag_table(&table)?;
            removed = self.image(&id)?;
            self.backend.delete_doc(Space::Images, id.hex())?;
        }
        events.push(RemoveEvent::Deleted(id.clone()));
        let (freed, _) = self.collect_garbage(std::slice::from_ref(&removed))?;
        events.extend(freed.into_iter().map(RemoveEvent::Deleted));
        Ok(events)
    }

    /// `docker image prune`: removes every dangling (untagged) image.
    pub fn prune_dangling(&mut self) -> ImageResult<PruneReport> {
        let tagged: BTreeSet<Digest> = self.tag_table()?.into_values().collect();
        let mut report = PruneReport::default();
        let mut removed = Vec::new();
        {
            let _lock = self.backend.lock()?;
            for rec in self.images()? {
                if !tagged.contains(&rec.id) {
                    self.backend.delete_doc(Space::Images, rec.id.hex())?;
                    report.events.push(RemoveEvent::Deleted(rec.id.clone()));
                    removed.push(rec);
                }
            }
        }
        let (freed, bytes) = self.collect_garbage(&removed)?;
        report.events.extend(freed.into_iter().map(RemoveEvent::Deleted));
        report.reclaimed = bytes;
        Ok(report)
    }

    /// Deletes blobs and layer records no image and no cache record names.
    /// Returns the freed layers as `docker rmi` reports them (by chain ID in
    /// the removed images, `removed`) and the bytes of file contents they held.
    fn collect_garbage(&mut self, removed: &[ImageRecord]) -> ImageResult<(Vec<Digest>, u64)> {
        let _lock = self.backend.lock()?;
        let mut keep: BTreeSet<Digest> = BTreeSet::new();
        for rec in self.images()? {
            keep.insert(rec.id.clone());
            keep.extend(rec.diff_ids.iter().cloned());
        }
        for key in self.backend.list_docs(Space::Records)? {
            if let Some(b) = self.backend.read_doc(Space::Records, &key)? {
                keep.extend(digests_in(&b));
            }
        }
        let mut chain_of: BTreeMap<Digest, Digest> = BTreeMap::new();
        for rec in removed {
            for (d, c) in rec.diff_ids.iter().zip(chain_ids(&rec.diff_ids)) {
                chain_of.entry(d.clone()).or_insert(c);
            }
        }
        let mut freed = Vec::new();
        let mut bytes = 0;
        for key in self.backend.list_docs(Space::Layers)? {
            let Some(diff_id) = Digest::from_hex(&key) else { continue };
            let rec = self.layer(&diff_id)?;
            if keep.contains(&diff_id) {
                if let Some((g, _)) = &rec.gzip {
                    keep.insert(g.clone());
                }
                continue;
            }
            bytes += rec.content_size;
            freed.push((chain_of.get(&diff_id).cloned().unwrap_or_else(|| diff_id.clone()), diff_id));
            self.backend.delete_doc(Space::Layers, &key)?;
        }
        for b in self.backend.list_blobs()? {
            if !keep.contains(&b) {
                self.backend.delete_blob(&b)?;
            }
        }
        // report in the removed images' layer order, top first, as Docker does
        let order: Vec<Digest> = removed.iter().flat_map(|r| r.diff_ids.iter().rev().cloned()).collect();
        freed.sort_by_key(|(_, d)| order.iter().position(|o| o == d).unwrap_or(usize::MAX));
        Ok((freed.into_iter().map(|(c, _)| c).collect(), bytes))
    }

    /// Checks the whole store (`fsck`): every blob has the digest it is filed
    /// under, every image's config and layers are there, every tag names an
    /// image. Returns the problems found (empty when the store is sound).
    pub fn verify(&self) -> ImageResult<Vec<String>> {
        let mut problems = Vec::new();
        for d in self.backend.list_blobs()? {
            match self.backend.read_blob(&d)? {
                Some(b) if Digest::of_parts(b.parts()) == d => {}
                Some(_) => problems.push(format!("blob {d} does not have that digest")),
                None => problems.push(format!("blob {d} vanished while checking")),
            }
        }
        for rec in self.images()? {
            if !self.backend.has_blob(&rec.id)? {
                problems.push(format!("image {}: config blob missing", rec.id));
            }
            for l in &rec.diff_ids {
                if self.layer(l).is_err() || !self.backend.has_blob(l)? {
                    problems.push(format!("image {}: layer {l} missing", rec.id));
                }
            }
        }
        for (r, id) in self.tags()? {
            if self.image(&id).is_err() {
                problems.push(format!("tag {r} names the missing image {id}"));
            }
        }
        Ok(problems)
    }

    // ----- listing ----------------------------------------------------------------------

    /// The images `docker images` lists, newest first, filtered.
    pub fn list(&self, filters: &[Filter]) -> ImageResult<Vec<ImageSummary>> {
        let tags = self.tags()?;
        let mut out = Vec::new();
        let created_of = |rec: &ImageRecord| rec.created.as_deref().and_then(time::parse_rfc3339).unwrap_or((0, 0));
        let mut bounds: Vec<(bool, (i64, u32))> = Vec::new();
        for f in filters {
            match f {
                Filter::Before(r) => bounds.push((true, created_of(&self.image(&self.resolve(r)?)?))),
                Filter::Since(r) => bounds.push((false, created_of(&self.image(&self.resolve(r)?)?))),
                _ => {}
            }
        }
        for rec in self.images()? {
            let my_tags: Vec<Reference> = tags.iter().filter(|(_, i)| i == &rec.id).map(|(r, _)| r.clone()).collect();
            let labels = self.config(&rec.id).map(|c| c.config.labels).unwrap_or_default();
            let c = created_of(&rec);
            let mut ok = true;
            for f in filters {
                ok &= match f {
                    Filter::Dangling(d) => my_tags.is_empty() == *d,
                    Filter::Label(k, v) => match v {
                        None => labels.contains_key(k),
                        Some(v) => labels.get(k) == Some(v),
                    },
                    Filter::Reference(pat) => my_tags.iter().any(|t| glob(pat, &t.familiar_name()) || glob(pat, &t.familiar())),
                    Filter::Before(_) | Filter::Since(_) => true,
                };
            }
            for (before, b) in &bounds {
                ok &= if *before { c < *b } else { c > *b };
            }
            if ok {
                out.push(ImageSummary { record: rec, tags: my_tags, labels });
            }
        }
        out.sort_by(|a, b| created_of(&b.record).cmp(&created_of(&a.record)).then(a.record.id.cmp(&b.record.id)));
        Ok(out)
    }

    // ----- build cache records -------------------------------------------------------------

    fn record_key(key: &str) -> String {
        Digest::of(key.as_bytes()).hex().to_string()
    }

    /// Stores a JSON value under a key (any string). Digests (`sha256:…`) the
    /// value names are kept alive by garbage collection.
    pub fn put_record(&mut self, key: &str, value: &serde_json::Value) -> ImageResult<()> {
        let doc = serde_json::json!({ "key": key, "value": value });
        let b = serde_json::to_vec(&doc).map_err(|e| corrupt("record", e))?;
        self.backend.write_doc(Space::Records, &Store::record_key(key), &b)
    }

    pub fn record(&self, key: &str) -> ImageResult<Option<serde_json::Value>> {
        match self.backend.read_doc(Space::Records, &Store::record_key(key))? {
            None => Ok(None),
            Some(b) => {
                let mut doc: serde_json::Value = serde_json::from_slice(&b).map_err(|e| corrupt("record", e))?;
                Ok(doc.get_mut("value").map(serde_json::Value::take))
            }
        }
    }

    pub fn remove_record(&mut self, key: &str) -> ImageResult<()> {
        self.backend.delete_doc(Space::Records, &Store::record_key(key))
    }

    /// Every record whose key starts with `prefix`, sorted by key.
    pub fn records(&self, prefix: &str) -> ImageResult<Vec<(String, serde_json::Value)>> {
        let mut out = Vec::new();
        for k in self.backend.list_docs(Space::Records)? {
            if let Some(b) = self.backend.read_doc(Space::Records, &k)? {
                let mut doc: serde_json::Value = serde_json::from_slice(&b).map_err(|e| corrupt("record", e))?;
                let key = doc.get("key").and_then(|v| v.as_str()).unwrap_or_default().to_string();
                if key.starts_with(prefix) {
                    out.push((key, doc.get_mut("value").map(serde_json::Value::take).unwrap_or_default()));
                }
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    // ----- filesystems ---------------------------------------------------------------------

    /// The filesystem of an image: its layers applied in order on an empty vfs
    /// (the last few results are cached by chain ID, so FROM the same image is cheap).
    pub fn rootfs(&self, id: &Digest) -> ImageResult<Vfs> {
        let rec = self.image(id)?;
        self.rootfs_of_layers(&rec.diff_ids)
    }

    /// The filesystem of a stack of stored layers.
    pub fn rootfs_of_layers(&self, diff_ids: &[Digest]) -> ImageResult<Vfs> {
        let chains = chain_ids(diff_ids);
        let (mut start, mut fs) = (0, Vfs::new());
        if let Ok(cache) = self.rootfs_cache.lock() {
            for (i, c) in chains.iter().enumerate().rev() {
                if let Some((_, v)) = cache.iter().find(|(k, _)| k == c) {
                    start = i + 1;
                    fs = v.clone();
                    break;
                }
            }
        }
        let opts = ApplyOptions { special_files: SpecialFiles::Skip, ..ApplyOptions::default() };
        if start < diff_ids.len() {
            fs.set_limits(unbounded());
            for (i, d) in diff_ids.iter().enumerate().skip(start) {
                let tar = self.layer_tar(d)?;
                layer::apply(&mut fs, &tar.contiguous(), &opts).map_err(|e| ImageError::layer(&format!("layer {} ({d})", i + 1), e))?;
            }
            fs.set_limits(limits_above(&fs));
        }
        if let (Some(top), Ok(mut cache)) = (chains.last(), self.rootfs_cache.lock()) {
            cache.retain(|(k, _)| k != top);
            cache.push((top.clone(), fs.clone()));
            if cache.len() > ROOTFS_CACHE {
                cache.remove(0);
            }
        }
        Ok(fs)
    }
}

impl Store {
    /// Remembers the filesystem of a layer stack (after a load applied it).
    pub(crate) fn cache_rootfs(&self, diff_ids: &[Digest], fs: Vfs) {
        if let (Some(top), Ok(mut cache)) = (chain_ids(diff_ids).pop(), self.rootfs_cache.lock()) {
            cache.retain(|(k, _)| k != &top);
            cache.push((top, fs));
            if cache.len() > ROOTFS_CACHE {
                cache.remove(0);
            }
        }
    }
}

/// gzip of each tar, in parallel where threads exist.
#[cfg(not(target_arch = "wasm32"))]
fn gzip_all(tars: Vec<Blob>) -> Vec<Vec<u8>> {
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(tars.len().max(1));
    if workers <= 1 {
        return tars.iter().map(|t| t.gzip()).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let out: Vec<Mutex<Vec<u8>>> = tars.iter().map(|_| Mutex::new(Vec::new())).collect();
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(t) = tars.get(i) else { break };
                let z = t.gzip();
                if let Ok(mut slot) = out[i].lock() {
                    *slot = z;
                }
            });
        }
    });
    out.into_iter().map(|m| m.into_inner().unwrap_or_default()).collect()
}

#[cfg(target_arch = "wasm32")]
fn gzip_all(tars: Vec<Blob>) -> Vec<Vec<u8>> {
    tars.iter().map(|t| t.gzip()).collect()
}

/// Limits while applying stored layers. Bytes are not capped: the layers' size
/// was bounded when they were made or loaded (and so is the memory they take),
/// while the vfs counts a hard-linked file once per name (busybox's 400 applet
/// links would pass 256 MiB of "apparent" bytes). Nodes are capped at a million.
pub(crate) fn unbounded() -> crate::vfs::Limits {
    crate::vfs::Limits { max_bytes: u64::MAX, max_nodes: 1_000_000 }
}

/// The limits a filesystem made from an image keeps: the playground's limits
/// on top of what the image already holds, so the build may add as much to a
/// big base as to an empty one.
pub fn limits_above(fs: &Vfs) -> crate::vfs::Limits {
    let d = crate::vfs::Limits::default();
    let u = fs.usage();
    crate::vfs::Limits { max_bytes: u.bytes.saturating_add(d.max_bytes), max_nodes: u.nodes.saturating_add(d.max_nodes) }
}

/// Every `sha256:<64 hex>` in a byte string.
fn digests_in(b: &[u8]) -> Vec<Digest> {
    let mut out = Vec::new();
    let pat = b"sha256:";
    let mut i = 0;
    while i + pat.len() + 64 <= b.len() {
        if &b[i..i + pat.len()] == pat {
            if let Some(d) = std::str::from_utf8(&b[i + pat.len()..i + pat.len() + 64]).ok().and_then(Digest::from_hex) {
                out.push(d);
                i += pat.len() + 64;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Go's `path.Match` subset Docker's `reference=` filter uses: `*` (not `/`), `?`, literal.
fn glob(pat: &str, s: &str) -> bool {
    fn go(p: &[u8], s: &[u8]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], s) || (!s.is_empty() && s[0] != b'/' && go(p, &s[1..])),
            (Some(b'?'), Some(&c)) if c != b'/' => go(&p[1..], &s[1..]),
            (Some(&a), Some(&b)) if a == b && a != b'?' => go(&p[1..], &s[1..]),
            _ => false,
        }
    }
    go(pat.as_bytes(), s.as_bytes())
}

#[cfg(test)]
mod tests;
