//! The image configuration document (OCI "image config", Docker's image JSON):
//! platform, run config, `rootfs.diff_ids` and history — field names, order and
//! omissions exactly as BuildKit writes them (top-level keys sorted, the run
//! config in the struct order of moby's `DockerOCIImageConfig`), so a config we
//! write has the bytes and the image ID BuildKit would give it.

use super::json;
use crate::layer::Digest;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

/// `{}`: the value of each `ExposedPorts` and `Volumes` key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Empty {}

fn null_default<'de, D: Deserializer<'de>, T: Default + Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// The image's run configuration (`config` in the document; `Config` in `docker inspect`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunConfig {
    #[serde(rename = "User", default, deserialize_with = "null_default", skip_serializing_if = "String::is_empty")]
    pub user: String,
    /// `"80/tcp"` → `{}`.
    #[serde(rename = "ExposedPorts", default, deserialize_with = "null_default", skip_serializing_if = "BTreeMap::is_empty")]
    pub exposed_ports: BTreeMap<String, Empty>,
    /// `KEY=value`, in the order they were set.
    #[serde(rename = "Env", default, deserialize_with = "null_default", skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<String>,
    #[serde(rename = "Entrypoint", default, deserialize_with = "null_default", skip_serializing_if = "Vec::is_empty")]
    pub entrypoint: Vec<String>,
    #[serde(rename = "Cmd", default, deserialize_with = "null_default", skip_serializing_if = "Vec::is_empty")]
    pub cmd: Vec<String>,
    #[serde(rename = "Volumes", default, deserialize_with = "null_default", skip_serializing_if = "BTreeMap::is_empty")]
    pub volumes: BTreeMap<String, Empty>,
    #[serde(rename = "WorkingDir", default, deserialize_with = "null_default", skip_serializing_if = "String::is_empty")]
    pub working_dir: String,
    #[serde(rename = "Labels", default, deserialize_with = "null_default", skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    #[serde(rename = "StopSignal", default, deserialize_with = "null_default", skip_serializing_if = "String::is_empty")]
    pub stop_signal: String,
    /// True when CMD/ENTRYPOINT came from the shell form (a Windows-only detail BuildKit still writes).
    #[serde(rename = "ArgsEscaped", default, deserialize_with = "null_default", skip_serializing_if = "is_false")]
    pub args_escaped: bool,
    #[serde(rename = "Healthcheck", default, skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<Healthcheck>,
    #[serde(rename = "OnBuild", default, deserialize_with = "null_default", skip_serializing_if = "Vec::is_empty")]
    pub on_build: Vec<String>,
    #[serde(rename = "Shell", default, deserialize_with = "null_default", skip_serializing_if = "Vec::is_empty")]
    pub shell: Vec<String>,
}

/// `HEALTHCHECK`: durations in nanoseconds, 0 meaning "inherit / default".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Healthcheck {
    /// `["NONE"]`, `["CMD", args…]` or `["CMD-SHELL", command]`.
    #[serde(rename = "Test", default, deserialize_with = "null_default", skip_serializing_if = "Vec::is_empty")]
    pub test: Vec<String>,
    #[serde(rename = "Interval", default, deserialize_with = "null_default", skip_serializing_if = "is_zero")]
    pub interval: i64,
    #[serde(rename = "Timeout", default, deserialize_with = "null_default", skip_serializing_if = "is_zero")]
    pub timeout: i64,
    #[serde(rename = "StartPeriod", default, deserialize_with = "null_default", skip_serializing_if = "is_zero")]
    pub start_period: i64,
    #[serde(rename = "StartInterval", default, deserialize_with = "null_default", skip_serializing_if = "is_zero")]
    pub start_interval: i64,
    #[serde(rename = "Retries", default, deserialize_with = "null_default", skip_serializing_if = "is_zero")]
    pub retries: i64,
}

/// `rootfs`: the layers by `diff_id`, bottom first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RootFs {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, deserialize_with = "null_default")]
    pub diff_ids: Vec<Digest>,
}

impl Default for RootFs {
    fn default() -> Self {
        RootFs { kind: "layers".into(), diff_ids: Vec::new() }
    }
}

/// One `history` entry: a build step. `empty_layer` marks steps without a layer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    #[serde(default, deserialize_with = "null_default", skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(default, deserialize_with = "null_default", skip_serializing_if = "String::is_empty")]
    pub created_by: String,
    #[serde(default, deserialize_with = "null_default", skip_serializing_if = "String::is_empty")]
    pub author: String,
    #[serde(default, deserialize_with = "null_default", skip_serializing_if = "String::is_empty")]
    pub comment: String,
    #[serde(default, deserialize_with = "null_default", skip_serializing_if = "is_false")]
    pub empty_layer: bool,
}

/// The comment BuildKit's Dockerfile frontend puts on every step.
pub const BUILDKIT_COMMENT: &str = "buildkit.dockerfile.v0";

impl History {
    /// A BuildKit step entry (`comment: buildkit.dockerfile.v0`).
    pub fn step(created: Option<String>, created_by: impl Into<String>, empty_layer: bool) -> History {
        History { created, created_by: created_by.into(), author: String::new(), comment: BUILDKIT_COMMENT.into(), empty_layer }
    }
}

/// The image config document. Field order = BuildKit's output (keys sorted).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageConfig {
    #[serde(default, deserialize_with = "null_default")]
    pub architecture: String,
    #[serde(default, deserialize_with = "null_default", skip_serializing_if = "String::is_empty")]
    pub author: String,
    #[serde(default, deserialize_with = "null_default")]
    pub config: RunConfig,
    #[serde(default, deserialize_with = "null_default", skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(default, deserialize_with = "null_default", skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<History>,
    #[serde(default, deserialize_with = "null_default")]
    pub os: String,
    #[serde(rename = "os.features", default, deserialize_with = "null_default", skip_serializing_if = "Vec::is_empty")]
    pub os_features: Vec<String>,
    #[serde(rename = "os.version", default, deserialize_with = "null_default", skip_serializing_if = "String::is_empty")]
    pub os_version: String,
    #[serde(default)]
    pub rootfs: RootFs,
    #[serde(default, deserialize_with = "null_default", skip_serializing_if = "String::is_empty")]
    pub variant: String,
}

impl Default for ImageConfig {
    fn default() -> Self {
        ImageConfig::scratch("amd64")
    }
}

impl ImageConfig {
    /// The config of a `FROM scratch` stage as BuildKit starts it: `linux`, the
    /// given architecture, no layers, the default PATH (BuildKit adds it) and
    /// WorkingDir `/`.
    pub fn scratch(architecture: &str) -> ImageConfig {
        ImageConfig {
            architecture: architecture.into(),
            author: String::new(),
            config: RunConfig {
                env: vec![format!("PATH={DEFAULT_PATH}")],
                working_dir: "/".into(),
                ..RunConfig::default()
            },
            created: None,
            history: Vec::new(),
            os: "linux".into(),
            os_features: Vec::new(),
            os_version: String::new(),
            rootfs: RootFs::default(),
            variant: String::new(),
        }
    }

    /// Parses a config document (unknown fields, as Docker's `container_config`, are dropped).
    pub fn from_json(bytes: &[u8]) -> Result<ImageConfig, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    /// The canonical bytes (Go's encoding) — what the image ID is the digest of.
    pub fn to_json(&self) -> Vec<u8> {
        json::to_go_vec(self)
    }

    /// The image ID: `sha256` of [`ImageConfig::to_json`].
    pub fn id(&self) -> Digest {
        Digest::of(&self.to_json())
    }

    /// Appends a layer: its `diff_id` and its history entry.
    pub fn push_layer(&mut self, diff_id: Digest, history: History) {
        self.rootfs.diff_ids.push(diff_id);
        self.history.push(History { empty_layer: false, ..history });
    }

    /// Appends a metadata-only step (`empty_layer: true`).
    pub fn push_empty(&mut self, history: History) {
        self.history.push(History { empty_layer: true, ..history });
    }

    /// Value of an environment variable (last `KEY=` wins, as Docker does).
    pub fn env(&self, key: &str) -> Option<&str> {
        self.config.env.iter().rev().find_map(|kv| kv.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
    }

    /// Sets `KEY=value`, replacing an earlier `KEY=` in place (as BuildKit's ENV does).
    pub fn set_env(&mut self, key: &str, value: &str) {
        let entry = format!("{key}={value}");
        match self.config.env.iter_mut().find(|kv| kv.split_once('=').map(|(k, _)| k) == Some(key) || kv.as_str() == key) {
            Some(slot) => *slot = entry,
            None => self.config.env.push(entry),
        }
    }
}

/// The PATH every Linux image without its own gets.
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
