//! The engine's WebAssembly face, and the only `#[wasm_bindgen]` code of the crate: one
//! [`Session`] class the page's worker drives, plain serde structs as results
//! (serde-wasm-bindgen), one error conversion ([`Failure`]), TypeScript types emitted
//! beside the bindings, a panic hook installed at start.
//!
//! Invariant: no logic that the native build cannot test. Everything here converts
//! values and calls a native module; byte spans become UTF-16 columns (CodeMirror's
//! unit) here and nowhere else.

use crate::{archive, context, page, session, share, terminal, view};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** One file, folder or symlink of a build context (paths relative, `/`-separated). */
export interface ContextEntry {
  path: string;
  kind: "file" | "dir" | "symlink";
  mode: number;
  data?: Uint8Array;
  target?: string;
  /** Unix seconds of the last change (0: unknown). */
  mtime?: number;
}
export interface BuildArg { name: string; value: string }
/** Everything a share link restores. */
export interface ShareState {
  files: ContextEntry[];
  dockerfile: string;
  open: string;
  tag: string;
  target: string;
  buildArgs: BuildArg[];
  noCache: boolean;
}
/** What an uploaded tar / tar.gz / zip held. */
export interface Unpacked { entries: ContextEntry[]; skipped: string[] }
/** A parsed terminal line: commands joined by `;` (always) or `&&` (ifOk). */
export interface TerminalStep { join: "always" | "ifOk"; command: TerminalCommand }
export type TerminalCommand =
  | { kind: "build"; tags: string[]; file: string | null; target: string | null;
      buildArgs: { name: string; value: string | null }[]; noCache: boolean; quiet: boolean;
      progress: string | null; labels: string[]; context: string; ignored: string[] }
  | { kind: "run"; image: string; command: string[]; entrypoint: string | null; env: string[];
      workdir: string | null; user: string | null; name: string | null; rm: boolean; detach: boolean;
      interactive: boolean; tty: boolean; publish: string[]; ignored: string[] }
  | { kind: "images"; all: boolean; filters: [string, string][]; quiet: boolean; noTrunc: boolean;
      digests: boolean; format: string | null; reference: string | null }
  | { kind: "history"; image: string; noTrunc: boolean; quiet: boolean; human: boolean; format: string | null }
  | { kind: "inspect"; objects: string[]; format: string | null }
  | { kind: "tag"; source: string; target: string }
  | { kind: "rmi"; images: string[]; force: boolean; noPrune: boolean }
  | { kind: "save"; images: string[]; output: string | null }
  | { kind: "prune"; all: boolean }
  | { kind: "help"; topic: string | null }
  | { kind: "version" }
  | { kind: "clear" }
  | { kind: "unsupported"; command: string; reason: string };
/** What the build's ignore file leaves out of the context, with the deciding pattern's line. */
export interface Excluded { file: string | null; paths: { path: string; line: number }[] }
/** A stand-in base image of the builtin catalogue (sizes are the real image's). */
export interface BaseInfo {
  name: string; reference: string; standsFor: string; realSize: number; sizeNote: string;
  cmd: string[] | null; entrypoint: string[] | null; workingDir: string;
}
/** What the engine of this build offers; the page disables (and says so) the rest.
 * `fullOnly`: the program names only the full engine answers (shell programs and
 * toolchain simulations; crate/executor `full_engine_names`), in both builds. */
export interface EngineInfo { version: string; features: string[]; fullOnly: string[] }
/** Every error the engine reports to the page. */
export interface EngineFailure { kind: string; message: string; line?: number; column?: number }
/** A parser / build-check diagnostic; lines 1-based, columns 1-based UTF-16 units. */
export interface Diagnostic {
  rule: string; message: string; url: string | null; severity: "error" | "warning" | "info";
  line: number; column: number; endLine: number; endColumn: number;
}
/** A stage of the Dockerfile (crate/view.rs GraphStage). */
export interface GraphStage { index: number; name: string | null; label: string; base: string; line: number; pruned: boolean; target: boolean }
/** `FROM <stage>` or `COPY --from=<stage or image>`: `from` is a stage index or an image name. */
export interface GraphEdge { from: number | string; to: number; kind: "from" | "copy"; line: number }
export interface StageGraph { stages: GraphStage[]; edges: GraphEdge[] }
/** What the page asks to build. */
export interface BuildRequest { files: ContextEntry[]; dockerfile: string; tags: string[]; target: string; buildArgs: BuildArg[]; noCache: boolean }
/** A progress event (crate/build/progress.rs Event); `v` is BuildKit's `#N`. */
export type BuildEvent =
  | { type: "start"; v: number; name: string; lines?: [number, number]; stage?: number }
  | { type: "status"; v: number; text: string; secs: number }
  | { type: "log"; v: number; stream: "stdout" | "stderr"; at: number; line: string }
  | { type: "cached"; v: number }
  | { type: "done"; v: number; secs: number }
  | { type: "error"; v: number; secs: number; message: string };
export interface BuildError { message: string; line: number | null; endLine: number | null; excerpt: string | null; output: string | null }
export interface BuildResult {
  ok: boolean; imageId: string | null; tags: string[]; completed: number; total: number; ms: number;
  error: BuildError | null; graph: StageGraph | null; warnings: string[]; log: string; standin: string | null;
}
/** A row of the session's `docker images`. */
export interface ImageRow { id: string; repoTags: string[]; created: string; createdAt: string | null; size: number; dangling: boolean; origin: string; standin: string | null }
export interface HistoryEntry { createdBy: string; created: string | null; size: number; emptyLayer: boolean; comment: string; layer: number | null }
export interface ImageDetails {
  id: string; repoTags: string[]; created: string | null; size: number; architecture: string; os: string;
  config: { env: string[]; cmd: string[] | null; entrypoint: string[] | null; workingDir: string; user: string; exposedPorts: string[]; labels: Record<string, string>; volumes: string[] };
  history: HistoryEntry[]; source: string; standin: string | null; inspect: string;
}
/** A file of an image, or a change of one layer (`A`dded, `M`odified, `D`eleted). */
export interface FileInfo { path: string; kind: "file" | "dir" | "symlink"; size: number; mode: number; uid: number; gid: number; target: string | null; change: "A" | "M" | "D" | null }
export interface RunRequest { image: string; command: string[] | null; entrypoint: string | null; env: string[]; workdir?: string | null; user?: string | null }
export interface RunResult { output: string; chunks: { stream: "stdout" | "stderr"; text: string }[]; exitCode: number; argv: string[] }
/** What the page does after a terminal line, beyond printing. */
export type TerminalEffect = { kind: "clear" } | { kind: "download"; name: string; data: Uint8Array } | { kind: "imagesChanged" };
export interface TerminalOutcome { status: number; effects: TerminalEffect[] }
"#;

/// The one error shape thrown to JavaScript: a kind for the page to branch on, the
/// message to show, and a 1-based line and UTF-16 column when the error has a place.
#[derive(Serialize)]
struct Failure {
    kind: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<u32>,
}

impl Failure {
    fn new(kind: &'static str, e: impl std::fmt::Display) -> Self {
        Failure { kind, message: e.to_string(), line: None, column: None }
    }
}

impl From<Failure> for JsValue {
    fn from(f: Failure) -> JsValue {
        to_js(&f).unwrap_or_else(|e| e)
    }
}

impl From<page::PageError> for Failure {
    fn from(e: page::PageError) -> Self {
        Failure { kind: e.kind, message: e.message, line: e.line.map(|l| l as u32), column: None }
    }
}

fn fail(e: page::PageError) -> JsValue {
    Failure::from(e).into()
}

type Outcome<T> = Result<T, Failure>;

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    // Maps as plain objects, bytes as Uint8Array, None as null.
    let ser = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true).serialize_missing_as_null(true);
    value.serialize(&ser).map_err(JsValue::from)
}

fn out<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    to_js(value)
}

fn from_js<T: serde::de::DeserializeOwned>(value: JsValue, what: &'static str) -> Outcome<T> {
    serde_wasm_bindgen::from_value(value).map_err(|e| Failure::new("invalid-argument", format!("{what}: {e}")))
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
    /// Milliseconds, monotonic (windows and workers both have `performance`).
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
}

/// Seconds for build timings.
fn clock() -> f64 {
    performance_now() / 1000.0
}

/// The current Unix time in whole seconds.
fn unix_now() -> i64 {
    (date_now() / 1000.0).floor() as i64
}

/// Calls a JavaScript callback with a value; a throwing callback is logged, not fatal.
fn notify<T: Serialize>(f: &js_sys::Function, value: &T) {
    if let Ok(v) = to_js(value) {
        if let Err(e) = f.call1(&JsValue::NULL, &v) {
            console_error(&format!("dfplay: an event listener failed: {e:?}"));
        }
    }
}

/// Installs the panic hook: a panic prints its message to the console (the worker
/// turns the resulting trap into a "the engine crashed" message for the page).
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| console_error(&format!("dfplay engine panicked: {info}"))));
}

/// Features this build of the engine offers (the page's switches).
const FEATURES: &[&str] = &[
    "share", "archive", "terminal", "dockerignore", "bases", "reference", "lint", "plan", "build", "images", "layers", "run", "save", "load",
    "terminal-exec",
];

/// One playground session: the engine (step cache) and the image store of one page.
#[wasm_bindgen]
pub struct Session {
    inner: session::Session,
}

#[wasm_bindgen]
impl Session {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        let mut store = crate::image::Store::memory();
        store.set_clock(|| {
            let ms = date_now();
            ((ms / 1000.0).floor() as i64, ((ms % 1000.0) * 1e6) as u32)
        });
        Session { inner: session::Session::new(store) }
    }

    /// Builds a small example in a throwaway session so that the user's first build
    /// is as quick as the next ones (see `page::warm`); the worker calls it after `ready`.
    pub fn warm(&self) -> bool {
        page::warm()
    }

    /// Version and features of this build, and the program names only the full engine has.
    #[wasm_bindgen(unchecked_return_type = "EngineInfo")]
    pub fn info(&self) -> Result<JsValue, JsValue> {
        #[derive(Serialize)]
        struct Info {
            version: &'static str,
            features: &'static [&'static str],
            #[serde(rename = "fullOnly")]
            full_only: Vec<&'static str>,
        }
        out(&Info { version: env!("CARGO_PKG_VERSION"), features: FEATURES, full_only: crate::executor::full_engine_names() })
    }

    /// Packs the page's state into a share-link code (the part after `#s=`).
    #[wasm_bindgen(js_name = shareEncode)]
    pub fn share_encode(&self, #[wasm_bindgen(unchecked_param_type = "ShareState")] state: JsValue) -> Result<String, JsValue> {
        let state: share::ShareState = from_js(state, "share state")?;
        share::encode(&state).map_err(|e| {
            let kind = match e.kind {
                share::ShareErrorKind::CodeTooLong { .. } | share::ShareErrorKind::StateTooLarge => "too-large",
                _ => "invalid-argument",
            };
            Failure::new(kind, e).into()
        })
    }

    /// Reads a share-link code back.
    #[wasm_bindgen(js_name = shareDecode, unchecked_return_type = "ShareState")]
    pub fn share_decode(&self, code: &str) -> Result<JsValue, JsValue> {
        let state = share::decode(code).map_err(|e| Failure::new("bad-link", e))?;
        out(&state)
    }

    /// Unpacks an uploaded tar, tar.gz or zip into context entries.
    #[wasm_bindgen(js_name = unpackArchive, unchecked_return_type = "Unpacked")]
    pub fn unpack_archive(&self, bytes: &[u8]) -> Result<JsValue, JsValue> {
        #[derive(Serialize)]
        struct Unpacked<'a> {
            entries: &'a [context::Entry],
            skipped: &'a [String],
        }
        let u = archive::unpack(bytes).map_err(|e| Failure::new("bad-archive", e))?;
        out(&Unpacked { entries: &u.entries, skipped: &u.skipped })
    }

    /// Packs context entries into a tar (the "download as .tar" of the page).
    #[wasm_bindgen(js_name = packContext)]
    pub fn pack_context(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ContextEntry[]")] entries: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let entries: Vec<context::Entry> = from_js(entries, "context")?;
        Ok(archive::pack_tar(&entries).map_err(|e| Failure::new("bad-context", e))?)
    }

    /// Checks a context (paths, limits) and gives it back cleaned and sorted.
    #[wasm_bindgen(js_name = validateContext, unchecked_return_type = "ContextEntry[]")]
    pub fn validate_context(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ContextEntry[]")] entries: JsValue,
    ) -> Result<JsValue, JsValue> {
        let entries: Vec<context::Entry> = from_js(entries, "context")?;
        let clean = context::validate(&entries).map_err(|e| Failure::new("bad-context", e))?;
        out(&clean)
    }

    /// What the context's ignore file leaves out: `paths` are the page's files and
    /// folders, `ignoreFiles` its `.dockerignore` / `<Dockerfile>.dockerignore` entries.
    #[wasm_bindgen(unchecked_return_type = "Excluded")]
    pub fn ignored(
        &self,
        paths: Vec<String>,
        dockerfile: &str,
        #[wasm_bindgen(unchecked_param_type = "ContextEntry[]")] ignore_files: JsValue,
    ) -> Result<JsValue, JsValue> {
        let ignore_files: Vec<context::Entry> = from_js(ignore_files, "ignore files")?;
        let ex = context::excluded(&paths, dockerfile, &ignore_files).map_err(|e| Failure { line: Some(e.line as u32), ..Failure::new("bad-dockerignore", e) })?;
        out(&ex)
    }

    /// The builtin catalogue of stand-in base images.
    #[wasm_bindgen(unchecked_return_type = "BaseInfo[]")]
    pub fn bases(&self) -> Result<JsValue, JsValue> {
        out(&view::base_catalogue())
    }

    /// Checks a `-t` value as `docker build` does: the full reference, or docker's error.
    #[wasm_bindgen(js_name = checkTag)]
    pub fn check_tag(&self, tag: &str) -> Result<String, JsValue> {
        view::check_tag(tag).map_err(|e| Failure::new("bad-tag", e).into())
    }

    /// Parses one terminal line into docker commands.
    #[wasm_bindgen(js_name = parseCommandLine, unchecked_return_type = "TerminalStep[]")]
    pub fn parse_command_line(&self, line: &str) -> Result<JsValue, JsValue> {
        let steps = terminal::parse_line(line).map_err(|e| Failure::new("usage", e))?;
        out(&steps)
    }

    /// Usage text of a docker command (`None`: the terminal's own help).
    #[wasm_bindgen(js_name = commandHelp)]
    pub fn command_help(&self, topic: Option<String>) -> String {
        terminal::help(topic.as_deref())
    }

    /// Diagnostics of a Dockerfile for the editor (parser and instruction checks).
    #[wasm_bindgen(unchecked_return_type = "Diagnostic[]")]
    pub fn lint(&self, dockerfile: &str) -> Result<JsValue, JsValue> {
        out(&page::diagnostics(dockerfile))
    }

    /// The stage graph for a build of `target` (empty: the last stage).
    #[wasm_bindgen(unchecked_return_type = "StageGraph")]
    pub fn graph(&self, dockerfile: &str, target: &str, #[wasm_bindgen(unchecked_param_type = "BuildArg[]")] build_args: JsValue) -> Result<JsValue, JsValue> {
        let args: Vec<page::BuildArg> = from_js(build_args, "build args")?;
        out(&page::graph(dockerfile, target, &args).map_err(fail)?)
    }

    /// Builds; `onEvent` gets every progress event as it happens.
    #[wasm_bindgen(unchecked_return_type = "BuildResult")]
    pub fn build(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "BuildRequest")] request: JsValue,
        #[wasm_bindgen(unchecked_param_type = "(event: BuildEvent) => void")] on_event: &js_sys::Function,
    ) -> Result<JsValue, JsValue> {
        let req: page::BuildRequest = from_js(request, "build request")?;
        let mut sink = |e: &crate::build::progress::Event| notify(on_event, e);
        // A running build is stopped by terminating the worker (the page's Cancel).
        let result = page::build(&mut self.inner, &req, &clock, &mut sink, &|| false);
        self.deferred()?;
        out(&result.map_err(fail)?)
    }

    /// The session's images, newest first (`filters`: `[name, value]` pairs).
    #[wasm_bindgen(unchecked_return_type = "ImageRow[]")]
    pub fn images(&self, #[wasm_bindgen(unchecked_param_type = "[string, string][]")] filters: JsValue) -> Result<JsValue, JsValue> {
        let filters: Vec<(String, String)> = from_js(filters, "filters")?;
        out(&page::images(&self.inner, &filters, unix_now()).map_err(fail)?)
    }

    /// An image's config, history and origin.
    #[wasm_bindgen(unchecked_return_type = "ImageDetails")]
    pub fn inspect(&self, image: &str) -> Result<JsValue, JsValue> {
        out(&page::details(&self.inner, image).map_err(fail)?)
    }

    /// `docker tag SOURCE TARGET`.
    pub fn tag(&mut self, source: &str, target: &str) -> Result<(), JsValue> {
        page::tag(&mut self.inner, source, target).map_err(fail)
    }

    /// `docker rmi`: the lines it prints.
    pub fn rmi(&mut self, images: Vec<String>, force: bool) -> Result<Vec<String>, JsValue> {
        page::rmi(&mut self.inner, &images, force).map_err(fail)
    }

    /// Runs an image (simulated, in the builtin shell).
    #[wasm_bindgen(unchecked_return_type = "RunResult")]
    pub fn run(&mut self, #[wasm_bindgen(unchecked_param_type = "RunRequest")] request: JsValue) -> Result<JsValue, JsValue> {
        let req: page::RunRequest = from_js(request, "run request")?;
        let result = page::run(&mut self.inner, &req);
        self.deferred()?;
        out(&result)
    }

    /// `docker save` (`format`: `docker` or `oci`).
    pub fn save(&mut self, images: Vec<String>, format: &str) -> Result<Vec<u8>, JsValue> {
        page::save(&mut self.inner, &images, format == "oci").map_err(fail)
    }

    /// `docker load`: the lines it prints.
    pub fn load(&mut self, bytes: &[u8]) -> Result<Vec<String>, JsValue> {
        page::load(&mut self.inner, bytes).map_err(fail)
    }

    /// The files of an image (`layer` undefined), or one layer's changes.
    #[wasm_bindgen(unchecked_return_type = "FileInfo[]")]
    pub fn files(&self, image: &str, layer: Option<u32>) -> Result<JsValue, JsValue> {
        out(&page::files(&self.inner, image, layer.map(|l| l as usize)).map_err(fail)?)
    }

    /// The bytes of a file of an image after `layer` (undefined: the final image).
    #[wasm_bindgen(js_name = readFile)]
    pub fn read_file(&self, image: &str, layer: Option<u32>, path: &str) -> Result<Vec<u8>, JsValue> {
        page::read_file(&self.inner, image, layer.map(|l| l as usize), path).map_err(fail)
    }

    /// Runs a terminal line on this session; `onOutput(stream, text)` gets the output.
    #[wasm_bindgen(unchecked_return_type = "TerminalOutcome")]
    pub fn terminal(
        &mut self,
        line: &str,
        #[wasm_bindgen(unchecked_param_type = "ContextEntry[]")] files: JsValue,
        #[wasm_bindgen(unchecked_param_type = "(stream: \"stdout\" | \"stderr\", text: string) => void")] on_output: &js_sys::Function,
        width: u32,
    ) -> Result<JsValue, JsValue> {
        let files: Vec<context::Entry> = from_js(files, "files")?;
        let env = terminal::exec::Env { files: &files, now: unix_now(), clock: &clock, cancel: &|| false, width: width as usize };
        let mut sink = |stream: crate::shell::Stream, text: &str| {
            let s = if stream == crate::shell::Stream::Stdout { "stdout" } else { "stderr" };
            if let Err(e) = on_output.call2(&JsValue::NULL, &JsValue::from_str(s), &JsValue::from_str(text)) {
                console_error(&format!("dfplay: the terminal's output listener failed: {e:?}"));
            }
        };
        let result = terminal::exec::run_line(&mut self.inner, line, &env, &mut sink);
        self.deferred()?;
        out(&result)
    }
}

impl Session {
    /// After a call that reached a simulated program this engine was built without
    /// (see [`crate::executor`]): the `needs-simulations` failure, on which the page
    /// loads the engine with the simulations and repeats the call there.
    fn deferred(&mut self) -> Result<(), JsValue> {
        match self.inner.engine.deferred.take() {
            Some(tool) => Err(Failure::new(crate::executor::NEEDS_SIMULATIONS, format!("{tool} runs in the toolchain simulations, which load on first use")).into()),
            None => Ok(()),
        }
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}
