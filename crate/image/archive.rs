//! Image archives out and in.
//!
//! Out: [`save`] writes what Docker 25+ `docker save` writes — one tar holding
//! both a docker-archive (`manifest.json`, `repositories`) and an OCI image
//! layout (`oci-layout`, `index.json`), sharing `blobs/sha256/` (config,
//! uncompressed layers by `diff_id`, OCI manifests). [`export_oci`] writes an
//! OCI layout alone, layers gzip-compressed, as BuildKit's `oci` exporter does.
//! Archives are deterministic: sorted entries, fixed times.
//!
//! In: [`load`] reads either kind (or a gzip-compressed one), verifies every
//! digest and size it can (blob names, descriptors, each layer's `diff_id`),
//! applies every layer to a scratch filesystem (so a hostile layer never
//! enters the store), then stores layers, config and tags. Refused, with the
//! file inside the archive named: absolute or `..` names, duplicate names,
//! device files, a manifest naming a missing blob, a wrong digest, zstd layers,
//! anything over the limits of [`crate::limits`].

use super::config::ImageConfig;
use super::error::{ImageError, ImageErrorKind, ImageResult};
use super::manifest::{self, ArchiveEntry, Descriptor, Index, LayerSource, Manifest};
use crate::reference::Reference;
use super::store::Store;
use crate::layer::tarr::{EntryKind, ReadLimits, TarReader};
use crate::layer::tarw::{Entry, Kind, TarWriter};
use crate::layer::{self, ApplyOptions, Blob, Compression, Digest, Layer, SpecialFiles};
use crate::vfs::Vfs;
use std::collections::{BTreeMap, HashMap};

/// The files of an archive by path (`blobs/sha256/…`, `index.json`, …).
pub type ArchiveFiles = BTreeMap<String, Blob>;

/// How an archive is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArchiveOptions {
    /// gzip layers (`…tar+gzip`) instead of plain tars named by `diff_id`.
    pub compress: bool,
    /// Also write docker-archive's `manifest.json` and `repositories`.
    pub docker_manifest: bool,
}

impl ArchiveOptions {
    /// What `docker save` writes.
    pub const DOCKER_SAVE: ArchiveOptions = ArchiveOptions { compress: false, docker_manifest: true };
    /// What BuildKit's `oci` exporter writes.
    pub const OCI: ArchiveOptions = ArchiveOptions { compress: true, docker_manifest: false };
}

/// An image chosen for export, with the tags it is exported under.
struct Chosen {
    id: Digest,
    tags: Vec<Reference>,
}

/// Resolves `docker save` arguments: `name` (all of its tags), `name:tag`, an ID.
fn choose(store: &Store, refs: &[&str]) -> ImageResult<Vec<Chosen>> {
    let mut out: Vec<Chosen> = Vec::new();
    let mut add = |id: Digest, tag: Option<Reference>| {
        let i = match out.iter().position(|c| c.id == id) {
            Some(i) => i,
            None => {
                out.push(Chosen { id, tags: Vec::new() });
                out.len() - 1
            }
        };
        if let Some(t) = tag {
            if !out[i].tags.contains(&t) {
                out[i].tags.push(t);
            }
        }
    };
    let tags = store.tags()?;
    for &r in refs {
        let parsed = Reference::parse(r).ok();
        if let Some(p) = parsed.as_ref().filter(|_| Reference::is_name_only(r)) {
            let mine: Vec<&(Reference, Digest)> = tags.iter().filter(|(t, _)| t.name() == p.name()).collect();
            if !mine.is_empty() {
                for (t, id) in mine {
                    add(id.clone(), Some(t.clone()));
                }
                continue;
            }
        }
        let id = store.resolve(r)?;
        let tag = parsed.filter(|p| tags.iter().any(|(t, i)| t == p && i == &id));
        add(id, tag);
    }
    Ok(out)
}

/// The files of an archive of the named images.
pub fn archive_files(store: &mut Store, refs: &[&str], opts: ArchiveOptions) -> ImageResult<ArchiveFiles> {
    let chosen = choose(store, refs)?;
    let mut files: ArchiveFiles = BTreeMap::new();
    let mut index = Vec::new();
    let mut docker_manifest = Vec::new();
    let mut repositories: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    if opts.compress {
        let mut all = Vec::new();
        for c in &chosen {
            all.extend(store.config(&c.id)?.rootfs.diff_ids);
        }
        store.compress_layers(&all)?;
    }
    for c in &chosen {
        let config = store.config_bytes(&c.id)?;
        let cfg = store.config(&c.id)?;
        files.insert(format!("blobs/sha256/{}", c.id.hex()), config.clone());
        let mut layers = Vec::new();
        let mut paths = Vec::new();
        let mut sources = BTreeMap::new();
        for d in &cfg.rootfs.diff_ids {
            let desc = if opts.compress {
                let z = store.compressed_layer(d)?;
                let desc = Descriptor::new(manifest::OCI_LAYER_GZIP, z.digest.clone(), z.gz.len() as u64);
                files.insert(format!("blobs/sha256/{}", z.digest.hex()), z.gz);
                desc
            } else {
                let tar = store.layer_tar(d)?;
                let desc = Descriptor::new(manifest::OCI_LAYER, d.clone(), tar.len() as u64);
                files.insert(format!("blobs/sha256/{}", d.hex()), tar);
                desc
            };
            paths.push(format!("blobs/sha256/{}", desc.digest.hex()));
            sources.insert(d.to_string(), LayerSource { media_type: desc.media_type.clone(), size: desc.size, digest: desc.digest.clone() });
            layers.push(desc);
        }
        let m = Manifest::oci(Descriptor::new(manifest::OCI_CONFIG, c.id.clone(), config.len() as u64), layers);
        let mbytes = m.to_json();
        let mdigest = Digest::of(&mbytes);
        let mdesc = Descriptor::new(manifest::OCI_MANIFEST, mdigest.clone(), mbytes.len() as u64);
        files.insert(format!("blobs/sha256/{}", mdigest.hex()), Blob::from(mbytes));
        if c.tags.is_empty() {
            index.push(mdesc.clone());
        }
        for t in &c.tags {
            let mut d = mdesc.clone();
            d.annotations.insert(manifest::ANNOTATION_IMAGE_NAME.into(), t.to_string());
            d.annotations.insert(manifest::ANNOTATION_REF_NAME.into(), t.tag_or_latest().into());
            if opts.compress {
                if let Some(created) = &cfg.created {
                    d.annotations.insert(manifest::ANNOTATION_CREATED.into(), created.clone());
                }
            }
            index.push(d);
            if let Some(top) = cfg.rootfs.diff_ids.last() {
                repositories.entry(t.familiar_name()).or_default().insert(t.tag_or_latest().into(), top.hex().into());
            }
        }
        docker_manifest.push(ArchiveEntry {
            config: format!("blobs/sha256/{}", c.id.hex()),
            repo_tags: if c.tags.is_empty() { None } else { Some(c.tags.iter().map(Reference::familiar).collect()) },
            layers: paths,
            layer_sources: if opts.compress { BTreeMap::new() } else { sources },
        });
    }
    files.insert("index.json".into(), Blob::from(Index::oci(index).to_json()));
    files.insert("oci-layout".into(), Blob::from(manifest::OCI_LAYOUT.to_vec()));
    if opts.docker_manifest {
        // Docker writes these two with a JSON encoder: a newline at the end
        let mut m = super::json::to_go_vec(&docker_manifest);
        m.push(b'\n');
        files.insert("manifest.json".into(), Blob::from(m));
        let mut r = super::json::to_go_vec(&repositories);
        r.push(b'\n');
        files.insert("repositories".into(), Blob::from(r));
    }
    Ok(files)
}

/// The files as one tar (sorted, directories first, mtime 0, mode 0644/0755, root-owned).
pub fn files_to_tar(files: &ArchiveFiles) -> Vec<u8> {
    let size: usize = files.values().map(|v| v.len() + 1024).sum();
    let mut w = TarWriter::with_capacity(size + 4096);
    let mut dirs: Vec<String> = Vec::new();
    for (path, data) in files {
        let mut prefix = String::new();
        for comp in path.split('/').collect::<Vec<_>>().split_last().map(|(_, d)| d).unwrap_or(&[]) {
            prefix.push_str(comp);
            prefix.push('/');
            if !dirs.contains(&prefix) {
                dirs.push(prefix.clone());
                // our own names: always valid
                let _ = w.append(&Entry { name: &prefix, kind: Kind::Dir, mode: 0o755, uid: 0, gid: 0, mtime: 0, size: 0, link: "" }, &[]);
            }
        }
        let _ = w.append_blob(&Entry { name: path, kind: Kind::File, mode: 0o644, uid: 0, gid: 0, mtime: 0, size: data.len() as u64, link: "" }, data);
    }
    w.finish().into_vec()
}

/// `docker save IMAGE...`: a docker-archive + OCI layout tar, as Docker 25+ writes.
pub fn save(store: &mut Store, refs: &[&str]) -> ImageResult<Vec<u8>> {
    Ok(files_to_tar(&archive_files(store, refs, ArchiveOptions::DOCKER_SAVE)?))
}

/// An OCI image layout tar (gzip layers), as `--output type=oci` writes.
pub fn export_oci(store: &mut Store, refs: &[&str]) -> ImageResult<Vec<u8>> {
    Ok(files_to_tar(&archive_files(store, refs, ArchiveOptions::OCI)?))
}

// ----- load -----------------------------------------------------------------------------

/// Bounds and policies for [`load`].
#[derive(Clone, Copy, Debug)]
pub struct LoadOptions {
    pub max_archive_bytes: u64,
    /// Device nodes and fifos in layers: refused (default) or left out.
    pub special_files: SpecialFiles,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions { max_archive_bytes: crate::limits::MAX_ARCHIVE_BYTES, special_files: SpecialFiles::Refuse }
    }
}

/// One image [`load`] stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadedImage {
    pub id: Digest,
    /// Familiar `name:tag`s it was tagged with.
    pub tags: Vec<String>,
    /// Tags that moved here from another image: `(tag, old image ID)`.
    pub replaced: Vec<(String, Digest)>,
    /// Layer entries left out (device files with [`SpecialFiles::Skip`]).
    pub skipped: Vec<String>,
}

impl LoadedImage {
    /// The lines `docker load` prints for this image.
    pub fn report(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (t, old) in &self.replaced {
            out.push(format!("The image {t} already exists, renaming the old one with ID {old} to empty string"));
        }
        if self.tags.is_empty() {
            out.push(format!("Loaded image ID: {}", self.id));
        }
        for t in &self.tags {
            out.push(format!("Loaded image: {t}"));
        }
        out
    }
}

/// The archive's regular files by clean path, with symlinks and hard links resolved.
struct Archive<'a> {
    files: HashMap<String, &'a [u8]>,
    links: HashMap<String, String>,
}

/// A relative archive member name, cleaned; `None` when absolute or climbing out.
fn clean_archive_path(name: &str) -> Option<String> {
    if name.starts_with('/') {
        return None;
    }
    layer::tarr::name_components(name).map(|c| c.join("/"))
}

impl<'a> Archive<'a> {
    fn read(tar: &'a [u8]) -> ImageResult<Archive<'a>> {
        let limits = ReadLimits { max_entries: 100_000, ..ReadLimits::default() };
        let mut r = TarReader::new(tar, limits);
        let mut a = Archive { files: HashMap::new(), links: HashMap::new() };
        let mut seen = std::collections::HashSet::new();
        loop {
            let e = match r.next_entry() {
                Ok(Some(e)) => e,
                Ok(None) => break,
                Err(e) => return Err(ImageError::archive(e.to_string())),
            };
            let shown = e.display_name();
            let name = std::str::from_utf8(&e.name).map_err(|_| ImageError::archive(format!("{shown:?}: file name is not UTF-8")))?;
            let path = clean_archive_path(name)
                .ok_or_else(|| ImageError::archive(format!("{shown:?}: file name is absolute or leaves the archive (refused)")))?;
            if e.kind != EntryKind::Dir && !seen.insert(path.clone()) {
                return Err(ImageError::archive(format!("{shown:?} appears twice (refused)")));
            }
            match e.kind {
                EntryKind::Dir => {}
                EntryKind::File => {
                    a.files.insert(path, e.data);
                }
                EntryKind::Symlink | EntryKind::Hardlink => {
                    let target = std::str::from_utf8(&e.link).map_err(|_| ImageError::archive(format!("{shown:?}: link target is not UTF-8")))?;
                    let base = if e.kind == EntryKind::Symlink && !target.starts_with('/') {
                        match path.rfind('/') {
                            Some(i) => format!("{}/{target}", &path[..i]),
                            None => target.to_string(),
                        }
                    } else {
                        target.to_string()
                    };
                    let t = clean_archive_path(base.trim_start_matches('/'))
                        .ok_or_else(|| ImageError::archive(format!("{shown:?}: link leaves the archive (refused)")))?;
                    a.links.insert(path, t);
                }
                _ => return Err(ImageError::archive(format!("{shown:?}: not a regular file, directory or link (refused)"))),
            }
        }
        Ok(a)
    }

    fn get(&self, path: &str) -> Option<&'a [u8]> {
        let mut p = clean_archive_path(path)?;
        for _ in 0..8 {
            if let Some(d) = self.files.get(&p) {
                return Some(d);
            }
            p = self.links.get(&p)?.clone();
        }
        None
    }

    fn json<T: serde::de::DeserializeOwned>(&self, path: &str) -> ImageResult<T> {
        let data = self.get(path).ok_or_else(|| ImageError::archive(format!("{path} is missing")))?;
        if data.len() as u64 > crate::limits::MAX_JSON_BYTES {
            return Err(ImageError::new(ImageErrorKind::TooLarge, format!("invalid image archive: {path} is larger than {} MiB", crate::limits::MAX_JSON_BYTES >> 20)));
        }
        serde_json::from_slice(data).map_err(|e| ImageError::archive(format!("{path}: {e}")))
    }

    /// A blob by descriptor, its digest and size checked.
    fn blob(&self, d: &Descriptor) -> ImageResult<&'a [u8]> {
        let path = format!("blobs/sha256/{}", d.digest.hex());
        let data = self
            .get(&path)
            .ok_or_else(|| ImageError::archive(format!("{path} (named by a descriptor, {}) is missing", d.media_type)))?;
        if d.size >= 0 && data.len() as u64 != d.size as u64 {
            return Err(ImageError::new(
                ImageErrorKind::DigestMismatch,
                format!("invalid image archive: {path} has {} bytes, its descriptor says {}", data.len(), d.size),
            ));
        }
        check_digest(&path, data, &d.digest)?;
        Ok(data)
    }
}

fn check_digest(path: &str, data: &[u8], want: &Digest) -> ImageResult<()> {
    let got = Digest::of(data);
    if &got != want {
        return Err(ImageError::new(
            ImageErrorKind::DigestMismatch,
            format!("invalid image archive: {path} has digest {got}, expected {want}"),
        ));
    }
    Ok(())
}

/// One image found in an archive, before verification of its layers.
struct Found<'a> {
    config_path: String,
    config: &'a [u8],
    layers: Vec<(String, &'a [u8])>,
    tags: Vec<Reference>,
}

/// Reads `docker load` input: a docker-archive or OCI layout tar (optionally
/// gzip-compressed), verifies it, and stores its images and tags.
pub fn load(store: &mut Store, archive: &[u8], opts: &LoadOptions) -> ImageResult<Vec<LoadedImage>> {
    let tar = match Compression::detect(archive) {
        Compression::None => {
            if archive.len() as u64 > opts.max_archive_bytes {
                return Err(ImageError::new(ImageErrorKind::TooLarge, format!("image archive larger than the playground limit of {} MiB", opts.max_archive_bytes >> 20)));
            }
            std::borrow::Cow::Borrowed(archive)
        }
        Compression::Gzip => std::borrow::Cow::Owned(layer::gzip::gunzip(archive, opts.max_archive_bytes).map_err(|e| ImageError::layer("image archive", e))?),
        other => {
            return Err(ImageError::new(
                ImageErrorKind::Unsupported,
                format!("the image archive is {}-compressed; decompress it first (gzip and plain tar are read)", other.name()),
            ))
        }
    };
    let a = Archive::read(&tar)?;
    let found = if a.get("manifest.json").is_some() {
        docker_archive(&a)?
    } else if a.get("index.json").is_some() {
        oci_layout(&a)?
    } else {
        return Err(ImageError::archive("neither manifest.json (docker save) nor index.json (OCI layout) found: not an image archive"));
    };
    let mut out = Vec::new();
    for f in found {
        out.push(store_image(store, f, opts)?);
    }
    Ok(out)
}

fn docker_archive<'a>(a: &Archive<'a>) -> ImageResult<Vec<Found<'a>>> {
    let entries: Vec<ArchiveEntry> = a.json("manifest.json")?;
    let mut out = Vec::new();
    for e in entries {
        let config = a.get(&e.config).ok_or_else(|| ImageError::archive(format!("manifest.json names the config {}, which is missing", e.config)))?;
        // the config's file name is its digest (blobs/sha256/<hex> or <hex>.json)
        let base = e.config.rsplit('/').next().unwrap_or_default().trim_end_matches(".json");
        if let Some(want) = Digest::from_hex(base) {
            check_digest(&e.config, config, &want)?;
        }
        let mut layers = Vec::new();
        for l in &e.layers {
            let data = a.get(l).ok_or_else(|| ImageError::archive(format!("manifest.json names the layer {l}, which is missing")))?;
            layers.push((l.clone(), data));
        }
        let mut tags = Vec::new();
        for t in e.repo_tags.unwrap_or_default() {
            tags.push(Reference::parse(&t).map_err(|err| ImageError::archive(format!("manifest.json: RepoTags {t:?}: {err}")))?);
        }
        out.push(Found { config_path: e.config, config, layers, tags });
    }
    Ok(out)
}

fn oci_layout<'a>(a: &Archive<'a>) -> ImageResult<Vec<Found<'a>>> {
    let layout: serde_json::Value = a.json("oci-layout")?;
    if layout.get("imageLayoutVersion").and_then(|v| v.as_str()).is_none() {
        return Err(ImageError::archive("oci-layout has no imageLayoutVersion"));
    }
    let index: Index = a.json("index.json")?;
    let mut out: Vec<(Digest, Found<'a>)> = Vec::new();
    for d in &index.manifests {
        let Some(m) = pick_manifest(a, d, 0)? else { continue };
        let mbytes = a.blob(&m)?;
        let man: Manifest = serde_json::from_slice(mbytes).map_err(|e| ImageError::archive(format!("manifest {}: {e}", m.digest)))?;
        let config = a.blob(&man.config)?;
        let mut layers = Vec::new();
        for l in &man.layers {
            if l.media_type == manifest::OCI_LAYER_ZSTD {
                return Err(ImageError::new(
                    ImageErrorKind::Unsupported,
                    format!("layer {} is zstd-compressed ({}); dfplay reads gzip and uncompressed layers — convert with `skopeo copy --dest-compress-format=gzip`", l.digest, l.media_type),
                ));
            }
            if !manifest::is_readable_layer(&l.media_type) {
                return Err(ImageError::new(ImageErrorKind::Unsupported, format!("layer {} has media type {}, which dfplay does not read", l.digest, l.media_type)));
            }
            layers.push((format!("blobs/sha256/{}", l.digest.hex()), a.blob(l)?));
        }
        let mut tags = Vec::new();
        let name = d.annotations.get(manifest::ANNOTATION_IMAGE_NAME).or_else(|| {
            d.annotations.get(manifest::ANNOTATION_REF_NAME).filter(|n| n.contains(':') || n.contains('/'))
        });
        if let Some(n) = name {
            if let Ok(r) = Reference::parse(n) {
                tags.push(r);
            }
        }
        match out.iter_mut().find(|(dg, _)| dg == &m.digest) {
            Some((_, f)) => f.tags.extend(tags),
            None => out.push((
                m.digest.clone(),
                Found { config_path: format!("blobs/sha256/{}", man.config.digest.hex()), config, layers, tags },
            )),
        }
    }
    if out.is_empty() {
        return Err(ImageError::archive("index.json lists no linux image manifest"));
    }
    Ok(out.into_iter().map(|(_, f)| f).collect())
}

/// The image manifest a descriptor leads to, choosing linux/amd64 (else the
/// first linux image) in a nested index.
fn pick_manifest(a: &Archive<'_>, d: &Descriptor, depth: usize) -> ImageResult<Option<Descriptor>> {
    match d.media_type.as_str() {
        manifest::OCI_MANIFEST | manifest::DOCKER_MANIFEST => Ok(Some(d.clone())),
        manifest::OCI_INDEX | manifest::DOCKER_MANIFEST_LIST if depth < 2 => {
            let b = a.blob(d)?;
            let idx: Index = serde_json::from_slice(b).map_err(|e| ImageError::archive(format!("index {}: {e}", d.digest)))?;
            let linux: Vec<&Descriptor> = idx
                .manifests
                .iter()
                .filter(|m| m.platform.as_ref().map(|p| p.os == "linux").unwrap_or(true))
                .collect();
            let best = linux
                .iter()
                .find(|m| m.platform.as_ref().map(|p| p.architecture == "amd64").unwrap_or(false))
                .or_else(|| linux.first());
            match best {
                Some(m) => pick_manifest(a, m, depth + 1),
                None => Ok(None),
            }
        }
        other => Err(ImageError::new(ImageErrorKind::Unsupported, format!("index.json lists {} of media type {other}, which dfplay does not read", d.digest))),
    }
}

fn store_image(store: &mut Store, f: Found<'_>, opts: &LoadOptions) -> ImageResult<LoadedImage> {
    let cfg = ImageConfig::from_json(f.config).map_err(|e| ImageError::archive(format!("{}: invalid image config: {e}", f.config_path)))?;
    let want = &cfg.rootfs.diff_ids;
    if want.len() != f.layers.len() {
        return Err(ImageError::archive(format!(
            "invalid manifest, layers length mismatch: expected {}, got {}",
            want.len(),
            f.layers.len()
        )));
    }
    if want.len() > crate::limits::MAX_IMAGE_LAYERS {
        return Err(ImageError::new(ImageErrorKind::TooLarge, format!("image has {} layers; the playground limit is {}", want.len(), crate::limits::MAX_IMAGE_LAYERS)));
    }
    let apply_opts = ApplyOptions { special_files: opts.special_files, ..ApplyOptions::default() };
    let mut fs = Vfs::new().with_limits(super::store::unbounded());
    let mut layers = Vec::new();
    let mut skipped = Vec::new();
    for (i, ((path, blob), diff_id)) in f.layers.iter().zip(want).enumerate() {
        let ctx = format!("layer {} ({path})", i + 1);
        let tar = layer::gzip::decompress(blob, crate::limits::MAX_LAYER_BYTES).map_err(|e| ImageError::layer(&ctx, e))?;
        let got = Digest::of(&tar);
        if &got != diff_id {
            return Err(ImageError::new(
                ImageErrorKind::DigestMismatch,
                format!("invalid image archive: {ctx} has diff ID {got}, the image config says {diff_id}"),
            ));
        }
        let stats = layer::apply_tar(&mut fs, &tar, &apply_opts).map_err(|e| ImageError::layer(&ctx, e))?;
        skipped.extend(stats.skipped.iter().map(|(p, why)| format!("{p} ({why})")));
        layers.push(Layer::with_digest(tar.into_owned(), got, stats.content_size));
    }
    for l in &layers {
        store.put_layer(l)?;
    }
    let id = store.put_image_config(f.config, "loaded")?;
    fs.set_limits(super::store::limits_above(&fs));
    store.cache_rootfs(want, fs);
    let mut tags = Vec::new();
    let mut replaced = Vec::new();
    for t in &f.tags {
        if let Some(old) = store.tag(&id, &t.to_string())? {
            replaced.push((t.familiar(), old));
        }
        tags.push(t.familiar());
    }
    Ok(LoadedImage { id, tags, replaced, skipped })
}
