//! The playground page's requests on a [`Session`], and the plain values it gets back
//! (camelCase serde structs the worker hands to the page as they are): build a
//! context of page files with streamed progress, the stage graph and the editor's
//! diagnostics while typing, the images of the session, an image's config and
//! history, its files (the whole filesystem, or one layer's additions, changes and
//! deletions, like `dive`), a file's bytes, tag, rmi, run, save and load.
//!
//! Invariant: everything the page can do to the engine goes through here, natively
//! tested; `crate/wasm.rs` only converts values (UTF-16 columns are made here, via
//! [`view::Utf16Index`], because the editor counts that way).

use crate::build::progress::{render_tty, Event};
use crate::build::{self, BuildOptions};
use crate::context::{self, Entry};
use crate::image::store::Filter;
use crate::image::time;
use crate::layer::Digest;
use crate::session::{self, Session};
use crate::shell::Stream;
use crate::vfs::{self, Change, Node, Vfs};
use crate::view::{self, StageGraph, Utf16Index};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An error for the page: a kind to branch on, the message to show, and the Dockerfile
/// line when it has one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PageError {
    pub kind: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

impl PageError {
    pub fn new(kind: &'static str, message: impl fmt::Display) -> Self {
        PageError { kind, message: message.to_string(), line: None }
    }
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PageError {}

type Result<T> = std::result::Result<T, PageError>;

/// `--build-arg NAME=VALUE` as the page holds it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildArg {
    pub name: String,
    pub value: String,
}

// ----- diagnostics and the stage graph ------------------------------------------------------

/// A diagnostic for the editor: 1-based lines, 1-based UTF-16 columns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// What it is about (`unknown-instruction`, `flag`, or a build check's name).
    pub rule: String,
    pub message: String,
    /// Where the rule is explained, if anywhere.
    pub url: Option<String>,
    /// `error`, `warning` or `info`.
    pub severity: &'static str,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// What the parser and the instruction checks find in a Dockerfile, in file order.
pub fn diagnostics(dockerfile: &str) -> Vec<Diagnostic> {
    let parsed = crate::syntax::parse(dockerfile.as_bytes());
    let lowered = crate::instructions::lower(&parsed.tree);
    let index = Utf16Index::new(dockerfile);
    let mut out: Vec<Diagnostic> = parsed
        .diagnostics
        .iter()
        .chain(&lowered.diagnostics)
        .map(|d| {
            let (line, column) = index.position(d.range.start as usize);
            let (end_line, end_column) = index.position(d.range.end as usize);
            let rule = serde_json::to_value(d.kind).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_else(|| "syntax".into());
            let severity = if d.is_error() { "error" } else { "warning" };
            Diagnostic { rule, message: d.message.clone(), url: None, severity, line, column, end_line, end_column }
        })
        .collect();
    out.sort_by_key(|d| (d.line, d.column));
    out
}

fn options(target: &str, build_args: &[BuildArg]) -> BuildOptions {
    BuildOptions {
        target: Some(target.to_string()).filter(|t| !t.is_empty()),
        build_args: build_args.iter().filter(|a| !a.name.is_empty()).map(|a| (a.name.clone(), a.value.clone())).collect(),
        ..Default::default()
    }
}

/// The stage graph of a Dockerfile for a build of `target` (empty: the last stage):
/// stages, `FROM`/`COPY --from` edges, the target, the stages it does not need.
pub fn graph(dockerfile: &str, target: &str, build_args: &[BuildArg]) -> Result<StageGraph> {
    let (stages, plan) = build::plan_dockerfile(dockerfile.as_bytes(), &options(target, build_args))
        .map_err(|(message, lines)| PageError { kind: "plan", message, line: lines.map(|l| l.0) })?;
    Ok(view::stage_graph(&plan, &stages))
}

// ----- build --------------------------------------------------------------------------------

/// What the page asks to build.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildRequest {
    pub files: Vec<Entry>,
    pub dockerfile: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub build_args: Vec<BuildArg>,
    #[serde(default)]
    pub no_cache: bool,
}

/// Why a build failed, with the Dockerfile lines it points at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildError {
    /// BuildKit's message (`failed to solve: …`), without `ERROR: `.
    pub message: String,
    pub line: Option<usize>,
    pub end_line: Option<usize>,
    /// BuildKit's Dockerfile excerpt (`Dockerfile:3` and the lines around).
    pub excerpt: Option<String>,
    /// The failed step's last output lines, as BuildKit prints them (`------ > [2/3] RUN …:`).
    pub output: Option<String>,
}

/// The outcome of a build.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildResult {
    pub ok: bool,
    /// The image (for a failed build: the dangling image of the last step that worked).
    pub image_id: Option<String>,
    pub tags: Vec<String>,
    /// Vertices done and counted, as in `(9/9)`.
    pub completed: usize,
    pub total: usize,
    /// The build's own time.
    pub ms: f64,
    pub error: Option<BuildError>,
    pub graph: Option<StageGraph>,
    pub warnings: Vec<String>,
    /// The whole output as `docker build` prints it on a terminal (tty frame, errors).
    pub log: String,
    /// What the stand-in base of the image stands for, when it has one.
    pub standin: Option<String>,
}

/// Builds the page's files; progress events go to `sink` as they happen.
pub fn build(session: &mut Session, req: &BuildRequest, clock: &dyn Fn() -> f64, sink: &mut dyn FnMut(&Event), cancel: &dyn Fn() -> bool) -> Result<BuildResult> {
    let ctx = context::to_build_context(&req.files, &req.dockerfile).map_err(|e| PageError::new("bad-context", e))?;
    if !req.files.iter().any(|e| context::clean_path(&e.path).ok().as_deref() == Some(ctx.dockerfile_name.as_str())) {
        return Err(PageError::new("bad-context", format!("failed to solve: failed to read dockerfile: open {}: no such file or directory", req.dockerfile)));
    }
    let mut tags = Vec::new();
    for t in req.tags.iter().filter(|t| !t.is_empty()) {
        crate::reference::Reference::parse(t).map_err(|e| PageError::new("bad-tag", format!("invalid tag {t:?}: {e}")))?;
        tags.push(t.clone());
    }
    let opts = BuildOptions { tags: tags.clone(), no_cache: req.no_cache, ..options(&req.target, &req.build_args) };
    let result = session.build(&ctx, &opts, clock, sink, cancel);
    let graph = build::plan_dockerfile(&ctx.dockerfile, &opts).ok().map(|(stages, plan)| view::stage_graph(&plan, &stages));
    Ok(match result {
        Ok(b) => {
            let (completed, total) = b.summary.counts(b.total);
            let mut log = render_tty(&b.summary, b.total, b.elapsed, true, 80);
            for w in &b.warnings {
                log.push_str(w);
                log.push('\n');
            }
            let standin = match &b.image.base {
                build::BaseSource::Standin { stands_for, .. } => Some(stands_for.clone()),
                _ => None,
            };
            BuildResult { ok: true, image_id: Some(b.image.id.clone()), tags, completed, total, ms: b.elapsed * 1000.0, error: None, graph, warnings: b.warnings.clone(), log, standin }
        }
        Err(f) => {
            let (completed, total) = f.summary.counts(f.total);
            let log = format!("{}{}", render_tty(&f.summary, f.total, f.elapsed, false, 80), f.render());
            let error = BuildError {
                message: f.message.clone(),
                line: f.lines.map(|l| l.0),
                end_line: f.lines.map(|l| l.1),
                excerpt: f.excerpt.clone(),
                output: f.failed.as_ref().filter(|v| !v.logs.is_empty()).map(build::progress::render_failed_output),
            };
            let image_id = f.partial.as_ref().map(|p| p.id.clone());
            BuildResult { ok: false, image_id, tags: Vec::new(), completed, total, ms: f.elapsed * 1000.0, error: Some(error), graph, warnings: Vec::new(), log, standin: None }
        }
    })
}

// ----- images -----------------------------------------------------------------------------------

/// A row of the session's `docker images`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageRow {
    pub id: String,
    /// Familiar `name:tag`s, sorted.
    pub repo_tags: Vec<String>,
    /// `3 minutes ago`, as `docker images` says it.
    pub created: String,
    /// RFC 3339.
    pub created_at: Option<String>,
    /// As `docker images` shows it (a stand-in base counts with its real size).
    pub size: u64,
    pub dangling: bool,
    /// `built`, `loaded`.
    pub origin: String,
    /// What its stand-in base stands for, when it has one.
    pub standin: Option<String>,
}

/// The images of the session, newest first; `filters` as `--filter k=v`.
pub fn images(session: &Session, filters: &[(String, String)], now: i64) -> Result<Vec<ImageRow>> {
    let filters: Vec<Filter> = filters.iter().map(|(k, v)| Filter::parse(&format!("{k}={v}"))).collect::<std::result::Result<_, _>>().map_err(|e| PageError::new("invalid-argument", e))?;
    let (list, _) = session.list_images(&filters).map_err(|e| PageError::new("store", e))?;
    Ok(list
        .into_iter()
        .map(|s| {
            let created_at = s.record.created.clone();
            let created = created_at.as_deref().and_then(time::parse_rfc3339).map(|(c, _)| time::ago(c, now)).unwrap_or_else(|| "N/A".into());
            let standin = session::image_meta(&session.store, &s.record.id).and_then(|m| m.standin);
            ImageRow {
                id: s.record.id.to_string(),
                dangling: s.tags.is_empty(),
                repo_tags: s.tags.iter().map(|r| r.familiar()).collect(),
                created,
                created_at,
                size: s.record.size,
                origin: s.record.origin.clone(),
                standin,
            }
        })
        .collect())
}

fn resolve(session: &Session, image: &str) -> Result<Digest> {
    session.store.resolve(image).map_err(|_| PageError::new("no-such-image", format!("No such image: {image}")))
}

/// A history entry, oldest first, with the layer it made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub created_by: String,
    pub created: Option<String>,
    /// Bytes of file contents of its layer (0 for metadata-only steps).
    pub size: u64,
    pub empty_layer: bool,
    pub comment: String,
    /// Index of its layer in `rootfs.diff_ids`; `None` for metadata-only steps.
    pub layer: Option<usize>,
}

/// The config fields the Image panel shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigView {
    pub env: Vec<String>,
    pub cmd: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    pub working_dir: String,
    pub user: String,
    pub exposed_ports: Vec<String>,
    pub labels: std::collections::BTreeMap<String, String>,
    pub volumes: Vec<String>,
}

/// An image: config, history, where it came from, and `docker image inspect`'s JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageDetails {
    pub id: String,
    pub repo_tags: Vec<String>,
    pub created: Option<String>,
    pub size: u64,
    pub architecture: String,
    pub os: String,
    pub config: ConfigView,
    pub history: Vec<HistoryEntry>,
    /// `built` or `loaded`.
    pub source: String,
    /// What its stand-in base stands for, when it has one.
    pub standin: Option<String>,
    /// `docker image inspect` output.
    pub inspect: String,
}

/// An image's config, history and origin.
pub fn details(session: &Session, image: &str) -> Result<ImageDetails> {
    let id = resolve(session, image)?;
    let store = |e: crate::image::ImageError| PageError::new("store", e);
    let cfg = session.store.config(&id).map_err(store)?;
    let rec = session.store.image(&id).map_err(store)?;
    let inspected = session.inspect(&id).map_err(store)?;
    let mut layer = 0;
    let mut history = Vec::new();
    for h in &cfg.history {
        let (size, index) = if h.empty_layer {
            (0, None)
        } else {
            let d = cfg.rootfs.diff_ids.get(layer);
            let size = d.and_then(|d| session.store.layer(d).ok()).map(|l| l.content_size).unwrap_or(0);
            layer += 1;
            (size, Some(layer - 1))
        };
        history.push(HistoryEntry { created_by: h.created_by.clone(), created: h.created.clone(), size, empty_layer: h.empty_layer, comment: h.comment.clone(), layer: index });
    }
    // Images made outside BuildKit may have layers without history entries.
    for extra in layer..cfg.rootfs.diff_ids.len() {
        let size = session.store.layer(&cfg.rootfs.diff_ids[extra]).map(|l| l.content_size).unwrap_or(0);
        history.push(HistoryEntry { created_by: String::new(), created: None, size, empty_layer: false, comment: String::new(), layer: Some(extra) });
    }
    let c = &cfg.config;
    let some = |v: &Vec<String>| Some(v.clone()).filter(|v| !v.is_empty());
    Ok(ImageDetails {
        id: id.to_string(),
        repo_tags: inspected.repo_tags.clone(),
        created: cfg.created.clone(),
        size: inspected.size,
        architecture: cfg.architecture.clone(),
        os: cfg.os.clone(),
        config: ConfigView {
            env: c.env.clone(),
            cmd: some(&c.cmd),
            entrypoint: some(&c.entrypoint),
            working_dir: c.working_dir.clone(),
            user: c.user.clone(),
            exposed_ports: c.exposed_ports.keys().cloned().collect(),
            labels: c.labels.clone(),
            volumes: c.volumes.keys().cloned().collect(),
        },
        history,
        source: rec.origin.clone(),
        standin: session::image_meta(&session.store, &id).and_then(|m| m.standin),
        inspect: crate::image::inspect::inspect_text(&[inspected]),
    })
}

// ----- files --------------------------------------------------------------------------------------

/// A file of an image, or a change of one layer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileInfo {
    /// Absolute (`/web/index.html`).
    pub path: String,
    /// `file`, `dir` or `symlink`.
    pub kind: &'static str,
    pub size: u64,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub target: Option<String>,
    /// For a layer: `A`dded, `M`odified or `D`eleted.
    pub change: Option<&'static str>,
}

/// Most entries a listing returns (a listing is for eyes, not for copying trees).
pub const MAX_LISTED_FILES: usize = 20_000;

fn info(path: &str, node: &Node, change: Option<&'static str>) -> FileInfo {
    let st = node.stat();
    let (kind, target) = match node {
        Node::Dir(_) => ("dir", None),
        Node::File(_) => ("file", None),
        Node::Symlink(s) => ("symlink", Some(s.target.clone())),
    };
    FileInfo { path: path.to_string(), kind, size: st.size, mode: st.meta.mode, uid: st.meta.uid, gid: st.meta.gid, target, change }
}

/// The filesystem of an image after `layer` (an index into its layers; `None`: all),
/// and the one before that layer.
fn states(session: &Session, image: &str, layer: Option<usize>) -> Result<(Option<Vfs>, Vfs)> {
    let id = resolve(session, image)?;
    let rec = session.store.image(&id).map_err(|e| PageError::new("store", e))?;
    let store = |e: crate::image::ImageError| PageError::new("store", e);
    match layer {
        None => Ok((None, session.store.rootfs_of_layers(&rec.diff_ids).map_err(store)?)),
        Some(l) if l < rec.diff_ids.len() => {
            let before = session.store.rootfs_of_layers(&rec.diff_ids[..l]).map_err(store)?;
            let after = session.store.rootfs_of_layers(&rec.diff_ids[..=l]).map_err(store)?;
            Ok((Some(before), after))
        }
        Some(l) => Err(PageError::new("invalid-argument", format!("the image has {} layers; there is no layer {}", rec.diff_ids.len(), l + 1))),
    }
}

/// The files of an image (`layer: None`), or what one layer added, changed and deleted.
pub fn files(session: &Session, image: &str, layer: Option<usize>) -> Result<Vec<FileInfo>> {
    let (before, after) = states(session, image, layer)?;
    let mut out = Vec::new();
    match before {
        None => {
            let all = after.walk("/").map_err(|e| PageError::new("store", e))?;
            for (p, n) in all.iter().skip(1).take(MAX_LISTED_FILES) {
                out.push(info(p, n, None));
            }
        }
        Some(before) => {
            for c in vfs::diff(&before, &after).into_iter().take(MAX_LISTED_FILES) {
                out.push(match &c {
                    Change::Added(p, n) => info(p, n, Some("A")),
                    Change::Modified(p, n) => info(p, n, Some("M")),
                    Change::Deleted(p) => match before.get(p, false) {
                        Ok(n) => info(p, &n, Some("D")),
                        Err(_) => FileInfo { path: p.clone(), kind: "file", size: 0, mode: 0, uid: 0, gid: 0, target: None, change: Some("D") },
                    },
                });
            }
        }
    }
    Ok(out)
}

/// The bytes of a file of an image, as it is after `layer` (`None`: the final image).
pub fn read_file(session: &Session, image: &str, layer: Option<usize>, path: &str) -> Result<Vec<u8>> {
    let (_, fs) = states(session, image, layer)?;
    fs.read(path).map(|d| d.to_vec()).map_err(|e| PageError::new("no-such-file", e))
}

// ----- tag, rmi, run, save, load -------------------------------------------------------------------

/// `docker tag`.
pub fn tag(session: &mut Session, source: &str, target: &str) -> Result<()> {
    let id = resolve(session, source)?;
    crate::reference::Reference::parse(target).map_err(|e| PageError::new("bad-tag", format!("Error parsing reference: {target:?} is not a valid repository/tag: {e}")))?;
    session.store.tag(&id, target).map(|_| ()).map_err(|e| PageError::new("store", e))
}

/// `docker rmi`: the `Untagged:` / `Deleted:` lines.
pub fn rmi(session: &mut Session, images: &[String], force: bool) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for i in images {
        let events = session.store.remove(i, force).map_err(|e| PageError::new("conflict", format!("Error response from daemon: {e}")))?;
        out.extend(events.iter().map(|e| e.to_string()));
    }
    Ok(out)
}

/// What the Run panel asks.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunRequest {
    pub image: String,
    /// Replaces CMD when given (and not empty).
    #[serde(default)]
    pub command: Option<Vec<String>>,
    #[serde(default)]
    pub entrypoint: Option<String>,
    #[serde(default)]
    pub env: Vec<String>,
    #[serde(default)]
    pub workdir: Option<String>,
    #[serde(default)]
    pub user: Option<String>,
}

/// A piece of a run's output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OutputChunk {
    /// `stdout` or `stderr`.
    pub stream: &'static str,
    pub text: String,
}

/// What running an image gave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunResult {
    /// stdout and stderr interleaved, as a terminal shows them.
    pub output: String,
    pub chunks: Vec<OutputChunk>,
    pub exit_code: i32,
    /// The process that ran (ENTRYPOINT + CMD after the overrides).
    pub argv: Vec<String>,
}

/// `docker run --rm IMAGE [COMMAND]` in the builtin shell (simulated).
pub fn run(session: &mut Session, req: &RunRequest) -> RunResult {
    let opts = crate::run::RunOptions {
        entrypoint: req.entrypoint.clone(),
        args: req.command.clone().unwrap_or_default(),
        env: req.env.iter().filter(|e| !e.trim().is_empty()).cloned().collect(),
        workdir: req.workdir.clone().filter(|w| !w.is_empty()),
        user: req.user.clone().filter(|u| !u.is_empty()),
    };
    match session.run(&req.image, &opts, Default::default()) {
        Ok(o) => {
            let chunks: Vec<OutputChunk> = o
                .output
                .iter()
                .map(|c| OutputChunk { stream: if c.stream == Stream::Stdout { "stdout" } else { "stderr" }, text: String::from_utf8_lossy(&c.data).into_owned() })
                .collect();
            RunResult { output: chunks.iter().map(|c| c.text.as_str()).collect(), chunks, exit_code: o.status, argv: o.argv }
        }
        Err(e) => {
            let text = format!("{e}\n");
            RunResult { output: text.clone(), chunks: vec![OutputChunk { stream: "stderr", text }], exit_code: e.status, argv: Vec::new() }
        }
    }
}

/// `docker save` (`oci`: an OCI image layout) of images of the session.
pub fn save(session: &mut Session, images: &[String], oci: bool) -> Result<Vec<u8>> {
    let refs: Vec<&str> = images.iter().map(String::as_str).collect();
    let r = if oci { crate::image::export_oci(&mut session.store, &refs) } else { crate::image::save(&mut session.store, &refs) };
    r.map_err(|e| PageError::new("store", e))
}

/// `docker load` of a tar (docker-archive or OCI layout, plain or gzip): the lines
/// `docker load` prints. The images can then be used in `FROM`.
pub fn load(session: &mut Session, bytes: &[u8]) -> Result<Vec<String>> {
    let loaded = crate::image::load(&mut session.store, bytes, &crate::image::LoadOptions::default()).map_err(|e| PageError::new("bad-archive", e))?;
    Ok(loaded.iter().flat_map(|l| l.report()).collect())
}

/// Warms the engine up right after it loads, so the user's first build is as quick as
/// the next ones: builds a small multi-stage Dockerfile on the most used stand-in bases
/// (their filesystems are made on first use) in a throwaway session, which also runs
/// the parser, planner, shell, layer and image code once. Nothing of it is kept in the
/// caller's session. Returns whether the warm-up build succeeded.
pub fn warm() -> bool {
    const DOCKERFILE: &str = "FROM diamol/base AS one\nRUN echo warm > /w.txt && cat /w.txt\nFROM alpine\nWORKDIR /app\nCOPY --from=one /w.txt .\nCOPY ctx.txt .\nCMD [\"cat\", \"w.txt\"]\n";
    let mut session = Session::new(crate::image::Store::memory());
    let req = BuildRequest {
        files: vec![Entry::file("Dockerfile", DOCKERFILE), Entry::file("ctx.txt", "x\n")],
        dockerfile: "Dockerfile".into(),
        tags: Vec::new(),
        target: String::new(),
        build_args: Vec::new(),
        no_cache: false,
    };
    matches!(build(&mut session, &req, &|| 0.0, &mut |_| {}, &|| false), Ok(BuildResult { ok: true, .. }))
}
