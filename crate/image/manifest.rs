//! OCI and Docker distribution documents: media types, descriptors, the image
//! manifest, the image index, the `oci-layout` marker and the docker-archive
//! `manifest.json` — field names and order as Go's structs marshal them.

use super::json;
use crate::layer::Digest;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const OCI_LAYER: &str = "application/vnd.oci.image.layer.v1.tar";
pub const OCI_LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
pub const OCI_LAYER_ZSTD: &str = "application/vnd.oci.image.layer.v1.tar+zstd";
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
pub const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
pub const DOCKER_LAYER: &str = "application/vnd.docker.image.rootfs.diff.tar";
pub const DOCKER_LAYER_GZIP: &str = "application/vnd.docker.image.rootfs.diff.tar.gzip";
pub const DOCKER_FOREIGN_LAYER_GZIP: &str = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

/// The annotation containerd (and Docker 25+ `docker save`) puts the full image name in.
pub const ANNOTATION_IMAGE_NAME: &str = "io.containerd.image.name";
/// The OCI annotation for the tag.
pub const ANNOTATION_REF_NAME: &str = "org.opencontainers.image.ref.name";
/// The OCI annotation for the creation time.
pub const ANNOTATION_CREATED: &str = "org.opencontainers.image.created";

/// The `oci-layout` file as Docker writes it.
pub const OCI_LAYOUT: &[u8] = br#"{"imageLayoutVersion": "1.0.0"}"#;

/// Target platform of a manifest in an index.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Platform {
    #[serde(default)]
    pub architecture: String,
    #[serde(default)]
    pub os: String,
    #[serde(rename = "os.version", default, skip_serializing_if = "String::is_empty")]
    pub os_version: String,
    #[serde(rename = "os.features", default, skip_serializing_if = "Vec::is_empty")]
    pub os_features: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub variant: String,
}

/// A content descriptor: media type, digest, size (and optional annotations, platform).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Descriptor {
    #[serde(rename = "mediaType", default)]
    pub media_type: String,
    pub digest: Digest,
    pub size: i64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
}

impl Descriptor {
    pub fn new(media_type: &str, digest: Digest, size: u64) -> Descriptor {
        Descriptor {
            media_type: media_type.into(),
            digest,
            size: size.min(i64::MAX as u64) as i64,
            urls: Vec::new(),
            annotations: BTreeMap::new(),
            platform: None,
        }
    }
}

/// An image manifest (OCI or Docker v2 schema 2: the same shape).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    #[serde(rename = "schemaVersion")]
    pub schema_version: u32,
    #[serde(rename = "mediaType", default, skip_serializing_if = "String::is_empty")]
    pub media_type: String,
    pub config: Descriptor,
    #[serde(default)]
    pub layers: Vec<Descriptor>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

impl Manifest {
    /// An OCI manifest for a config and its layer descriptors.
    pub fn oci(config: Descriptor, layers: Vec<Descriptor>) -> Manifest {
        Manifest { schema_version: 2, media_type: OCI_MANIFEST.into(), config, layers, annotations: BTreeMap::new() }
    }
    pub fn to_json(&self) -> Vec<u8> {
        json::to_go_vec(self)
    }
}

/// An image index (OCI) or manifest list (Docker).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    #[serde(rename = "schemaVersion")]
    pub schema_version: u32,
    #[serde(rename = "mediaType", default, skip_serializing_if = "String::is_empty")]
    pub media_type: String,
    #[serde(default)]
    pub manifests: Vec<Descriptor>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

impl Index {
    pub fn oci(manifests: Vec<Descriptor>) -> Index {
        Index { schema_version: 2, media_type: OCI_INDEX.into(), manifests, annotations: BTreeMap::new() }
    }
    pub fn to_json(&self) -> Vec<u8> {
        json::to_go_vec(self)
    }
}

/// A layer's source as docker-archive `manifest.json` lists it (distribution's descriptor order).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerSource {
    #[serde(rename = "mediaType")]
    pub media_type: String,
    pub size: i64,
    pub digest: Digest,
}

/// One image of a docker-archive `manifest.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveEntry {
    #[serde(rename = "Config")]
    pub config: String,
    /// `null` for an image saved by ID.
    #[serde(rename = "RepoTags")]
    pub repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers")]
    pub layers: Vec<String>,
    #[serde(rename = "LayerSources", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub layer_sources: BTreeMap<String, LayerSource>,
}

/// True for a media type of a layer this engine can read (plain or gzip tar).
pub fn is_readable_layer(media_type: &str) -> bool {
    matches!(
        media_type,
        OCI_LAYER | OCI_LAYER_GZIP | DOCKER_LAYER | DOCKER_LAYER_GZIP | DOCKER_FOREIGN_LAYER_GZIP | "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip" | "application/vnd.oci.image.layer.nondistributable.v1.tar"
    )
}
