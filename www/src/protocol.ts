// The typed message protocol between the page and the engine's Web Worker. The page
// calls `Methods` by name with arguments and gets a result (or an EngineFailure); a
// method may stream events (build progress) before its result. Types of values that
// the Rust engine produces come from the wasm-bindgen declarations (`pkg/dfplay.d.ts`);
// the engine types below marked PLANNED are the shapes the page expects from engine
// functions that have not landed yet (see www/README.md, "Engine API").

import type {
  BaseInfo,
  ContextEntry,
  EngineFailure,
  Excluded,
  EngineInfo,
  ShareState,
  TerminalStep,
  Unpacked,
} from "../pkg/dfplay";

export type { BaseInfo, ContextEntry, EngineFailure, EngineInfo, Excluded, ShareState, TerminalStep, Unpacked };
export type { BuildArg, TerminalCommand } from "../pkg/dfplay";

/** A lint/parse diagnostic, positions 1-based, columns in UTF-16 code units. PLANNED. */
export interface Diagnostic {
  rule: string;
  message: string;
  url?: string | null;
  severity: "error" | "warning" | "info";
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A stage of the Dockerfile, for the target dropdown and the graph (crate/view.rs GraphStage). */
export interface StageInfo {
  index: number;
  /** The `AS` name as written. */
  name: string | null;
  /** `builder`, or `stage-N` for an unnamed stage. */
  label: string;
  base: string;
  line: number;
}

/** One edge of the stage graph: `FROM <stage>` or `COPY --from=<stage>` (crate/view.rs GraphEdge). */
export interface StageEdge {
  /** A stage index, or an image name for external images (`COPY --from=nginx`). */
  from: number | string;
  to: number;
  kind: "from" | "copy";
  line: number;
}

export interface StageGraph {
  stages: (StageInfo & { pruned: boolean; target: boolean })[];
  edges: StageEdge[];
}

/** What the page asks to build. */
export interface BuildRequest {
  files: ContextEntry[];
  dockerfile: string;
  tags: string[];
  target: string;
  buildArgs: { name: string; value: string }[];
  noCache: boolean;
}

/** A progress event, as crate/build/progress.rs `Event` serialises (`v` is BuildKit's `#N`). */
export type BuildEvent =
  | { type: "start"; v: number; name: string; lines?: [number, number]; stage?: number }
  | { type: "status"; v: number; text: string; secs: number }
  | { type: "log"; v: number; stream: "stdout" | "stderr"; at: number; line: string }
  | { type: "cached"; v: number }
  | { type: "done"; v: number; secs: number }
  | { type: "error"; v: number; secs: number; message: string };

/** The outcome of a build. PLANNED. */
export interface BuildResult {
  ok: boolean;
  imageId: string | null;
  tags: string[];
  /** Vertices done and total, as in `(9/9)`. */
  completed: number;
  total: number;
  ms: number;
  /** The failure, with the Dockerfile line it points at. */
  error: { message: string; line: number | null; excerpt: string | null } | null;
  graph: StageGraph | null;
}

/** A row of `docker images`. PLANNED. */
export interface ImageSummary {
  id: string;
  repoTags: string[];
  created: string;
  size: number;
  dangling: boolean;
}

/** A row of `docker history`, with what the layer changed. PLANNED. */
export interface HistoryEntry {
  createdBy: string;
  size: number;
  emptyLayer: boolean;
  comment: string;
  /** Index of the layer in rootfs.diff_ids, null for empty layers. */
  layer: number | null;
}

/** A file of an image or of one layer's changes. PLANNED. */
export interface FileInfo {
  path: string;
  kind: "file" | "dir" | "symlink";
  size: number;
  mode: number;
  uid: number;
  gid: number;
  target?: string | null;
  /** For a layer: A(dded), M(odified), D(eleted). */
  change?: "A" | "M" | "D" | null;
}

/** The image config fields the Image panel shows (docker inspect's Config). PLANNED. */
export interface ImageDetails {
  id: string;
  repoTags: string[];
  created: string;
  size: number;
  architecture: string;
  os: string;
  config: {
    env: string[];
    cmd: string[] | null;
    entrypoint: string[] | null;
    workingDir: string;
    user: string;
    exposedPorts: string[];
    labels: Record<string, string>;
    volumes: string[];
  };
  history: HistoryEntry[];
  /** Where the base came from: "stand-in", "imported", … */
  source: string;
}

/** What running an image gave. PLANNED. */
export interface RunResult {
  /** stdout and stderr interleaved as a terminal shows them. */
  output: string;
  exitCode: number;
}

/** Methods of the worker: arguments, result, and the events they stream. */
export interface Methods {
  info: { args: {}; result: EngineInfo };
  shareEncode: { args: { state: ShareState }; result: string };
  shareDecode: { args: { code: string }; result: ShareState };
  unpackArchive: { args: { bytes: Uint8Array }; result: Unpacked };
  packContext: { args: { entries: ContextEntry[] }; result: Uint8Array };
  validateContext: { args: { entries: ContextEntry[] }; result: ContextEntry[] };
  parseCommandLine: { args: { line: string }; result: TerminalStep[] };
  commandHelp: { args: { topic: string | null }; result: string };
  bases: { args: {}; result: BaseInfo[] };
  checkTag: { args: { tag: string }; result: string };
  // PLANNED engine functions:
  lint: { args: { dockerfile: string; dockerignore: string | null }; result: Diagnostic[] };
  graph: { args: { dockerfile: string; target: string; buildArgs: { name: string; value: string }[] }; result: StageGraph };
  ignored: { args: { paths: string[]; dockerfile: string; ignoreFiles: ContextEntry[] }; result: Excluded };
  build: { args: BuildRequest; result: BuildResult; event: BuildEvent };
  images: { args: { all: boolean; filters: [string, string][] }; result: ImageSummary[] };
  inspect: { args: { image: string }; result: ImageDetails };
  tag: { args: { source: string; target: string }; result: null };
  rmi: { args: { images: string[]; force: boolean }; result: string[] };
  run: { args: { image: string; command: string[] | null; entrypoint: string | null; env: string[] }; result: RunResult; event: { text: string } };
  save: { args: { images: string[]; format: "docker" | "oci" }; result: Uint8Array };
  load: { args: { bytes: Uint8Array }; result: string[] };
  files: { args: { image: string; layer: number | null }; result: FileInfo[] };
  readFile: { args: { image: string; layer: number | null; path: string }; result: Uint8Array };
  terminal: { args: { line: string; files: ContextEntry[] }; result: { output: string; exitCode: number }; event: { text: string } };
}

export type Method = keyof Methods;
export type Args<M extends Method> = Methods[M]["args"];
export type Result<M extends Method> = Methods[M]["result"];
export type EventOf<M extends Method> = Methods[M] extends { event: infer E } ? E : never;

/** Which engine feature (from EngineInfo.features) each method needs. */
export const FEATURE_OF: { [M in Method]: string } = {
  info: "",
  shareEncode: "share",
  shareDecode: "share",
  unpackArchive: "archive",
  packContext: "archive",
  validateContext: "archive",
  parseCommandLine: "terminal",
  commandHelp: "terminal",
  bases: "bases",
  checkTag: "reference",
  lint: "lint",
  graph: "plan",
  ignored: "dockerignore",
  build: "build",
  images: "images",
  inspect: "images",
  tag: "images",
  rmi: "images",
  run: "run",
  save: "save",
  load: "load",
  files: "layers",
  readFile: "layers",
  terminal: "terminal-exec",
};

/** Page → worker. */
export interface Request {
  id: number;
  method: Method;
  args: unknown;
}

/** Worker → page. */
export type Reply =
  | { kind: "ready"; info: EngineInfo }
  | { kind: "fatal"; message: string }
  | { kind: "event"; id: number; event: unknown }
  | { kind: "result"; id: number; value: unknown }
  | { kind: "error"; id: number; error: EngineFailure };
