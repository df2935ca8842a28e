//! The engine's WebAssembly face, and the only `#[wasm_bindgen]` code of the crate: one
//! [`Session`] class the page's worker drives, plain serde structs as results
//! (serde-wasm-bindgen), one error conversion ([`Failure`]), TypeScript types emitted
//! beside the bindings, a panic hook installed at start.
//!
//! Invariant: no logic that the native build cannot test. Everything here converts
//! values and calls a native module; byte spans become UTF-16 columns (CodeMirror's
//! unit) here and nowhere else.

use crate::{archive, context, share, terminal, view};
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
/** What the engine of this build offers; the page disables (and says so) the rest. */
export interface EngineInfo { version: string; features: string[] }
/** Every error the engine reports to the page. */
export interface EngineFailure { kind: string; message: string; line?: number; column?: number }
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
}

/// Installs the panic hook: a panic prints its message to the console (the worker
/// turns the resulting trap into a "the engine crashed" message for the page).
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| console_error(&format!("dfplay engine panicked: {info}"))));
}

/// Features this build of the engine offers (the page's switches).
const FEATURES: &[&str] = &["share", "archive", "terminal", "dockerignore", "bases", "reference"];

/// One playground session: the engine state (image store, cache) of one page.
#[wasm_bindgen]
pub struct Session {}

#[wasm_bindgen]
impl Session {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        Session {}
    }

    /// Version and features of this build.
    #[wasm_bindgen(unchecked_return_type = "EngineInfo")]
    pub fn info(&self) -> Result<JsValue, JsValue> {
        #[derive(Serialize)]
        struct Info {
            version: &'static str,
            features: &'static [&'static str],
        }
        out(&Info { version: env!("CARGO_PKG_VERSION"), features: FEATURES })
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
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}
