// The typed message protocol between the page and the engine's Web Worker. The page
// calls `Methods` by name with arguments and gets a result (or an EngineFailure); a
// method may stream events (build progress, terminal output) before its result. The
// types of values the Rust engine produces come from the wasm-bindgen declarations
// (`pkg/dfplay.d.ts`, written from crate/wasm.rs), so page and engine cannot drift.

import type {
  BaseInfo,
  BuildEvent,
  BuildRequest,
  BuildResult,
  ContextEntry,
  Diagnostic,
  EngineFailure,
  EngineInfo,
  Excluded,
  FileInfo,
  HistoryEntry,
  ImageDetails,
  ImageRow,
  RunRequest,
  RunResult,
  ShareState,
  StageGraph,
  TerminalOutcome,
  TerminalStep,
  Unpacked,
} from "../pkg/dfplay";

export type {
  BaseInfo,
  BuildEvent,
  BuildRequest,
  BuildResult,
  ContextEntry,
  Diagnostic,
  EngineFailure,
  EngineInfo,
  Excluded,
  FileInfo,
  HistoryEntry,
  ImageDetails,
  ImageRow,
  RunRequest,
  RunResult,
  ShareState,
  StageGraph,
  TerminalOutcome,
  TerminalStep,
  Unpacked,
};
export type { BuildArg, BuildError, GraphEdge, GraphStage, TerminalCommand, TerminalEffect } from "../pkg/dfplay";

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
  lint: { args: { dockerfile: string }; result: Diagnostic[] };
  graph: { args: { dockerfile: string; target: string; buildArgs: { name: string; value: string }[] }; result: StageGraph };
  ignored: { args: { paths: string[]; dockerfile: string; ignoreFiles: ContextEntry[] }; result: Excluded };
  build: { args: BuildRequest; result: BuildResult; event: BuildEvent };
  images: { args: { filters: [string, string][] }; result: ImageRow[] };
  inspect: { args: { image: string }; result: ImageDetails };
  tag: { args: { source: string; target: string }; result: null };
  rmi: { args: { images: string[]; force: boolean }; result: string[] };
  run: { args: RunRequest; result: RunResult };
  save: { args: { images: string[]; format: "docker" | "oci" }; result: Uint8Array };
  load: { args: { bytes: Uint8Array }; result: string[] };
  files: { args: { image: string; layer: number | null }; result: FileInfo[] };
  readFile: { args: { image: string; layer: number | null; path: string }; result: Uint8Array };
  terminal: { args: { line: string; files: ContextEntry[]; width: number }; result: TerminalOutcome; event: { stream: "stdout" | "stderr"; text: string } };
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
