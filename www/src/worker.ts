// The engine's Web Worker: loads the wasm build of the Rust engine and answers the
// page's requests (protocol.ts) one at a time, streaming events as a method emits
// them. A method the engine of this build lacks answers `unavailable`; a wasm trap
// (a panic, with panic=abort) answers `crashed` and the page restarts the worker.
// The same source is bundled twice: `worker.js` with the lean engine and
// `worker-full.js` with the full one (see engine.ts); ENGINE_WASM names the .wasm.

import init, { Session } from "../pkg/dfplay.js";
import type { EngineFailure, Method, Reply, Request } from "./protocol";

interface Scope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent) => void) | null;
}
const scope = self as unknown as Scope;

declare const ENGINE_WASM: string;

let session: Session | null = null;
let crashed = false;

type Emit = (event: unknown) => void;
type Handler = (s: Session, args: any, emit: Emit) => unknown;

/** The methods this worker can answer; engine functions join as they land in the engine. */
const handlers: Partial<Record<Method, Handler>> = {
  info: (s) => s.info(),
  shareEncode: (s, a) => s.shareEncode(a.state),
  shareDecode: (s, a) => s.shareDecode(a.code),
  unpackArchive: (s, a) => s.unpackArchive(a.bytes),
  packContext: (s, a) => s.packContext(a.entries),
  validateContext: (s, a) => s.validateContext(a.entries),
  ignored: (s, a) => s.ignored(a.paths, a.dockerfile, a.ignoreFiles),
  parseCommandLine: (s, a) => s.parseCommandLine(a.line),
  commandHelp: (s, a) => s.commandHelp(a.topic ?? undefined),
  bases: (s) => s.bases(),
  checkTag: (s, a) => s.checkTag(a.tag),
  lint: (s, a) => s.lint(a.dockerfile),
  graph: (s, a) => s.graph(a.dockerfile, a.target, a.buildArgs),
  build: (s, a, emit) => s.build(a, emit),
  images: (s, a) => s.images(a.filters ?? []),
  inspect: (s, a) => s.inspect(a.image),
  tag: (s, a) => s.tag(a.source, a.target),
  rmi: (s, a) => s.rmi(a.images, !!a.force),
  run: (s, a) => s.run(a),
  save: (s, a) => s.save(a.images, a.format),
  load: (s, a) => s.load(a.bytes),
  files: (s, a) => s.files(a.image, a.layer ?? undefined),
  readFile: (s, a) => s.readFile(a.image, a.layer ?? undefined, a.path),
  terminal: (s, a, emit) => s.terminal(a.line, a.files, (stream: string, text: string) => emit({ stream, text }), a.width ?? 100),
};

function post(reply: Reply): void {
  const transfer: Transferable[] = [];
  if (reply.kind === "result" && reply.value instanceof Uint8Array) transfer.push(reply.value.buffer as ArrayBuffer);
  scope.postMessage(reply, transfer);
}

function failure(e: unknown): EngineFailure {
  if (e && typeof e === "object" && "kind" in e && "message" in e) return e as EngineFailure;
  if (e instanceof WebAssembly.RuntimeError) {
    crashed = true;
    return { kind: "crashed", message: `the engine crashed (${e.message}); it restarts with the images of this session` };
  }
  return { kind: "internal", message: e instanceof Error ? e.message : String(e) };
}

scope.onmessage = (e: MessageEvent) => {
  const req = e.data as Request;
  const handler = handlers[req.method];
  if (!session || crashed) {
    post({ kind: "error", id: req.id, error: { kind: "crashed", message: "the engine is not running" } });
    return;
  }
  if (!handler) {
    post({ kind: "error", id: req.id, error: { kind: "unavailable", message: `${req.method}: not available in this build of the engine` } });
    return;
  }
  try {
    const value = handler(session, req.args, (event) => post({ kind: "event", id: req.id, event }));
    post({ kind: "result", id: req.id, value: value ?? null });
  } catch (err) {
    post({ kind: "error", id: req.id, error: failure(err) });
    if (crashed) post({ kind: "fatal", message: "the engine crashed" });
  }
};

(async () => {
  try {
    await init({ module_or_path: new URL(ENGINE_WASM, import.meta.url) });
    session = new Session();
    post({ kind: "ready", info: session.info() });
    // the stand-in bases' filesystems and the engine's code paths, before the first click
    session.warm();
  } catch (err) {
    post({ kind: "fatal", message: `the engine could not start: ${err instanceof Error ? err.message : String(err)}` });
  }
})();
