//! Walks the plan: runs each step, keeps the content-addressed cache, emits
//! BuildKit-shaped progress.
//!
//! [`Engine::build`] takes a [`BuildContext`] and [`BuildOptions`] and returns the
//! built image (config, layers, final filesystem) or a [`BuildFailure`] shaped like
//! BuildKit's error output. Progress goes to the [`Host`] as [`progress::Event`]s.
//! The engine keeps, across builds, the step cache (a step is CACHED when its
//! parent, its instruction after expansion and the checksums of what it copies
//! are the same — never mtimes), the layers of the stand-in bases, and the
//! contents of `RUN --mount=type=cache` directories.
//!
//! Invariant: the engine does no IO. The clock, the images the user has (built or
//! loaded) and the output are the host's.

pub mod archive;
pub mod cache;
pub mod context;
pub mod copy;
mod dispatch;
mod engine;
pub mod excerpt;
pub mod progress;
pub mod users;

pub use engine::{plan_dockerfile, Engine, PlanProblem};

use crate::image::config::ImageConfig;
use crate::layer::Layer;
use crate::vfs::Vfs;
use progress::{Event, Summary, VertexSummary};
use std::sync::Arc;

/// What to build, as `docker build`'s flags say it.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// `-t NAME:TAG` (each normalised by the caller or here).
    pub tags: Vec<String>,
    /// `--target STAGE`
    pub target: Option<String>,
    /// `--build-arg K=V`
    pub build_args: Vec<(String, String)>,
    /// `--no-cache`
    pub no_cache: bool,
    /// `SOURCE_DATE_EPOCH`: timestamps of layers and config (default: the fixed
    /// playground epoch, so two clean builds give the same image ID).
    pub source_date_epoch: Option<i64>,
    /// Bounds for each RUN.
    pub shell_limits: crate::shell::ShellLimits,
}

/// An image the host has (built before or loaded from a tar) that `FROM` can use.
#[derive(Clone, Debug)]
pub struct LocalImage {
    pub id: String,
    pub config: ImageConfig,
    /// The layers, bottom first (uncompressed).
    pub layers: Vec<Arc<Layer>>,
    /// The filesystem with every layer applied.
    pub rootfs: Vfs,
    /// Size of the image as `docker images` shows it.
    pub size: u64,
}

/// What the engine needs from its surroundings during a build.
pub trait Host {
    /// Seconds (any epoch) for timings.
    fn now(&self) -> f64;
    /// A progress event.
    fn event(&mut self, e: &Event);
    /// True when the user cancelled; checked between steps.
    fn cancelled(&self) -> bool {
        false
    }
    /// An image of the local store by reference, for `FROM` and `COPY --from`.
    fn local_image(&self, _reference: &str) -> Option<LocalImage> {
        None
    }
    /// A step layer cached outside the engine (the store of an earlier process).
    fn cache_get(&mut self, _key: &str) -> Option<Arc<Layer>> {
        None
    }
    /// A step layer the engine made, for the host to keep.
    fn cache_put(&mut self, _key: &str, _layer: &Arc<Layer>) {}
    /// Whether this base image was used before (its FROM then shows CACHED);
    /// marks it as used.
    fn seen_base(&mut self, _reference: &str) -> bool {
        false
    }
    /// The executor that runs RUN steps for real, if the host has one; without one,
    /// RUN goes to the builtin shell and the labelled simulations.
    fn host_executor(&mut self) -> Option<&mut dyn crate::executor::HostExecutor> {
        None
    }
}

/// One layer of a built image, with the history entry that made it.
#[derive(Clone, Debug)]
pub struct ImageLayer {
    pub layer: Arc<Layer>,
    /// `created_by` of its history entry.
    pub created_by: String,
}

/// Where the bottom of an image came from, for labelling.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum BaseSource {
    Scratch,
    /// A builtin stand-in: what it stands for and the real image's size.
    Standin { reference: String, stands_for: String, real_size: u64 },
    /// An image of the local store (built or loaded).
    Local { reference: String, id: String },
}

/// A built image.
#[derive(Clone)]
pub struct BuiltImage {
    pub id: String,
    pub config: ImageConfig,
    /// All layers, bottom first (the base's included).
    pub layers: Vec<ImageLayer>,
    pub rootfs: Vfs,
    pub base: BaseSource,
    /// Size as `docker images` reports it: the real base's size (for a stand-in)
    /// plus the content of the layers built here.
    pub size: u64,
}

impl std::fmt::Debug for BuiltImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BuiltImage").field("id", &self.id).field("layers", &self.layers.len()).field("size", &self.size).field("base", &self.base).finish_non_exhaustive()
    }
}

/// What one stage did, for the page's stage graph and layer explorer.
#[derive(Clone, Debug, serde::Serialize)]
pub struct StageReport {
    pub index: usize,
    pub name: String,
    pub base: String,
    /// Stages it reads (`FROM stage`, `COPY --from`).
    pub deps: Vec<usize>,
    pub needed: bool,
    pub target: bool,
}

/// A finished build.
#[derive(Clone, Debug)]
pub struct Built {
    pub image: BuiltImage,
    pub stages: Vec<StageReport>,
    pub summary: Summary,
    /// Vertices the header counts (`(9/9)`).
    pub total: usize,
    pub elapsed: f64,
    /// Notes for the user that BuildKit would not print as errors.
    pub warnings: Vec<String>,
}

/// A failed build, as BuildKit reports it.
#[derive(Clone, Debug)]
pub struct BuildFailure {
    /// The text after `ERROR: ` (e.g. `failed to solve: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3`).
    pub message: String,
    /// The Dockerfile excerpt block, when the error has a place.
    pub excerpt: Option<String>,
    /// 1-based Dockerfile lines of the failing instruction.
    pub lines: Option<(usize, usize)>,
    /// The failed vertex (for the `------ > [3/4] RUN …:` block).
    pub failed: Option<VertexSummary>,
    /// The image of the last step that succeeded, which Docker's classic builder
    /// leaves as a dangling `<none>:<none>` image.
    pub partial: Option<BuiltImage>,
    pub stages: Vec<StageReport>,
    pub summary: Summary,
    pub total: usize,
    pub elapsed: f64,
}

impl BuildFailure {
    /// A failure with only a message (no vertex, no place).
    pub fn from_message(message: String) -> Self {
        BuildFailure {
            message,
            excerpt: None,
            lines: None,
            failed: None,
            partial: None,
            stages: Vec::new(),
            summary: Summary::default(),
            total: 0,
            elapsed: 0.0,
        }
    }

    /// The full error output after the progress, as `docker build` prints it.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if let Some(v) = &self.failed {
            out.push_str(&progress::render_failed_output(v));
        }
        if let Some(e) = &self.excerpt {
            out.push_str(e);
        }
        out.push_str(&format!("ERROR: {}\n", self.message));
        out
    }
}

/// The earliest timestamp of a build (2024-06-01T00:00:00Z, the stand-ins' date).
/// Without `SOURCE_DATE_EPOCH`, a build's timestamp is the newest mtime of its
/// inputs, never earlier than this: reproducible, and recent after an edit.
pub const PLAYGROUND_EPOCH: i64 = crate::bases::rootfs::STANDIN_MTIME;
