// The page's state: the workspace (build context files, which one is the Dockerfile,
// build options), the last build, the selected image; a small event bus the panels
// subscribe to; and persistence to localStorage so a reload never loses work.

import type { BuildArg, BuildEvent, BuildResult, ContextEntry, Diagnostic, ShareState, StageGraph } from "./protocol";
import { encodeUtf8, utf8 } from "./dom";

export interface FileEntry {
  kind: "file" | "dir" | "symlink";
  mode: number;
  data: Uint8Array;
  target: string;
  /** Unix seconds of the user's last change (0 for the examples). The build's timestamp
   * is the newest of these, so the same files always give the same image ID. */
  mtime: number;
}

/** Now, as a file's mtime. */
export const nowSecs = () => Math.floor(Date.now() / 1000);

export interface Options {
  tag: string;
  target: string;
  buildArgs: BuildArg[];
  noCache: boolean;
}

export interface Workspace extends Options {
  files: Map<string, FileEntry>;
  dockerfile: string;
  open: string;
  /** The example it started from, if any. */
  example: string | null;
  /** Changed by the user since it was loaded from an example or a link. */
  dirty: boolean;
}

/** Topics the panels listen to. */
export interface Topics {
  files: void; // the set of files or their contents changed
  open: void; // another file is open in the editor
  options: void;
  diagnostics: Diagnostic[];
  graph: StageGraph | null;
  "build-start": void;
  "build-event": BuildEvent;
  "build-end": BuildEnd;
  images: void; // the image store changed
  "select-image": string;
  "goto-line": { line: number; error: boolean };
  lang: void;
  engine: void;
  "show-tab": string;
}

/** How a build ended: a result (success or a build error), or a failure to run at all. */
export interface BuildEnd {
  result: BuildResult | null;
  /** Why there is no result (engine error); null when cancelled or when there is a result. */
  error: string | null;
  cancelled: boolean;
  /** Milliseconds from the click to the end, measured by the page. */
  ms: number;
}

type Listener<T> = (payload: T) => void;

const STORE_KEY = "dfplay.workspace.v1";
const BACKUP_KEY = "dfplay.workspace.backup.v1";

export class App {
  ws: Workspace = emptyWorkspace();
  lastBuild: BuildResult | null = null;
  diagnostics: Diagnostic[] = [];
  graph: StageGraph | null = null;
  selectedImage: string | null = null;
  /** Paths excluded by the ignore file → the pattern line that excludes them (from the engine). */
  ignored = new Map<string, number>();
  /** The ignore file in force (`.dockerignore` or `<Dockerfile>.dockerignore`), if any. */
  ignoreFile: string | null = null;
  saveError: string | null = null;
  private listeners = new Map<keyof Topics, Set<Listener<any>>>();

  on<K extends keyof Topics>(topic: K, fn: Listener<Topics[K]>): void {
    if (!this.listeners.has(topic)) this.listeners.set(topic, new Set());
    this.listeners.get(topic)!.add(fn);
  }

  off<K extends keyof Topics>(topic: K, fn: Listener<Topics[K]>): void {
    this.listeners.get(topic)?.delete(fn);
  }

  emit<K extends keyof Topics>(topic: K, ...payload: Topics[K] extends void ? [] : [Topics[K]]): void {
    for (const fn of this.listeners.get(topic) ?? []) {
      // Each listener is wrapped by its panel (see main.ts): one failing panel does not stop the others.
      fn(payload[0]);
    }
  }

  // ----- files ------------------------------------------------------------------------

  text(path: string): string | null {
    const f = this.ws.files.get(path);
    return f && f.kind === "file" ? utf8(f.data) : null;
  }

  dockerfileText(): string {
    return this.text(this.ws.dockerfile) ?? "";
  }

  setText(path: string, text: string): void {
    const f = this.ws.files.get(path);
    this.ws.files.set(path, { kind: "file", mode: f?.mode ?? 0o644, data: encodeUtf8(text), target: "", mtime: nowSecs() });
    this.changed();
  }

  addFile(path: string, data: Uint8Array = new Uint8Array(), mode = 0o644, mtime = nowSecs()): void {
    this.ws.files.set(path, { kind: "file", mode, data, target: "", mtime });
    this.changed();
  }

  addDir(path: string): void {
    this.ws.files.set(path, { kind: "dir", mode: 0o755, data: new Uint8Array(), target: "", mtime: nowSecs() });
    this.changed();
  }

  /** Every path of the tree: the entries and the folders implied by them. */
  allPaths(): Map<string, FileEntry> {
    const all = new Map<string, FileEntry>();
    for (const [p, e] of this.ws.files) {
      all.set(p, e);
      const parts = p.split("/");
      for (let i = 1; i < parts.length; i++) {
        const dir = parts.slice(0, i).join("/");
        if (!all.has(dir)) all.set(dir, { kind: "dir", mode: 0o755, data: new Uint8Array(), target: "", mtime: 0 });
      }
    }
    return all;
  }

  isDir(path: string): boolean {
    return this.allPaths().get(path)?.kind === "dir";
  }

  /** Renames a file or a folder (with everything under it). */
  rename(from: string, to: string): void {
    const moved = new Map<string, FileEntry>();
    for (const [p, e] of this.ws.files) {
      if (p === from) moved.set(to, e);
      else if (p.startsWith(from + "/")) moved.set(to + p.slice(from.length), e);
      else moved.set(p, e);
    }
    if (this.isDir(from) && !moved.has(to) && ![...moved.keys()].some((p) => p.startsWith(to + "/"))) {
      moved.set(to, { kind: "dir", mode: 0o755, data: new Uint8Array(), target: "", mtime: nowSecs() });
    }
    this.ws.files = moved;
    const remap = (p: string) => (p === from ? to : p.startsWith(from + "/") ? to + p.slice(from.length) : p);
    this.ws.dockerfile = remap(this.ws.dockerfile);
    const open = remap(this.ws.open);
    this.changed();
    if (open !== this.ws.open) this.openFile(open);
  }

  /** Removes a file or a folder with everything under it. */
  remove(path: string): void {
    for (const p of [...this.ws.files.keys()]) if (p === path || p.startsWith(path + "/")) this.ws.files.delete(p);
    const open = this.ws.open;
    this.changed();
    if (open === path || open.startsWith(path + "/")) this.openFile(this.ws.files.has(this.ws.dockerfile) ? this.ws.dockerfile : "");
  }

  openFile(path: string): void {
    this.ws.open = path;
    this.save();
    this.emit("open");
  }

  setOptions(patch: Partial<Options>): void {
    Object.assign(this.ws, patch);
    this.ws.dirty = true;
    this.save();
    this.emit("options");
  }

  /** Replaces the whole workspace (example, link, upload, restore). */
  load(ws: Workspace): void {
    this.ws = ws;
    this.saveNow();
    this.emit("files");
    this.emit("options");
    this.emit("open");
  }

  private changed(): void {
    this.ws.dirty = true;
    this.save();
    this.emit("files");
  }

  // ----- conversions ------------------------------------------------------------------

  entries(): ContextEntry[] {
    return [...this.ws.files].map(([path, e]) => ({ path, kind: e.kind, mode: e.mode, data: e.data, target: e.target, mtime: e.mtime }));
  }

  shareState(): ShareState {
    return {
      files: this.entries(),
      dockerfile: this.ws.dockerfile,
      open: this.ws.open,
      tag: this.ws.tag,
      target: this.ws.target,
      buildArgs: this.ws.buildArgs,
      noCache: this.ws.noCache,
    };
  }

  // ----- persistence ------------------------------------------------------------------

  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  /** Saves the workspace soon (typing saves at most every 300 ms); see [`saveNow`]. */
  save(): void {
    if (this.saveTimer === undefined) this.saveTimer = setTimeout(() => this.saveNow(), 300);
  }

  /** Writes the workspace to localStorage now; a failure (quota) is reported, not thrown. */
  saveNow(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    try {
      localStorage.setItem(STORE_KEY, serialize(this.ws));
      this.saveError = null;
    } catch (e) {
      this.saveError = e instanceof Error ? e.message : String(e);
    }
  }

  /** The saved workspace, if any. */
  static restore(key = STORE_KEY): Workspace | null {
    try {
      const raw = localStorage.getItem(key);
      return raw ? deserialize(raw) : null;
    } catch {
      return null;
    }
  }

  /** Keeps a copy of the current workspace that "Restore previous work" brings back. */
  backup(): void {
    this.saveNow();
    try {
      localStorage.setItem(BACKUP_KEY, serialize(this.ws));
    } catch {
      /* best effort */
    }
  }

  static backupAvailable(): Workspace | null {
    return App.restore(BACKUP_KEY);
  }
}

export function emptyWorkspace(): Workspace {
  return { files: new Map(), dockerfile: "Dockerfile", open: "Dockerfile", tag: "", target: "", buildArgs: [], noCache: false, example: null, dirty: false };
}

export function workspaceFromShare(s: ShareState): Workspace {
  const files = new Map<string, FileEntry>();
  for (const e of s.files) files.set(e.path, { kind: e.kind, mode: e.mode, data: e.data ?? new Uint8Array(), target: e.target ?? "", mtime: e.mtime ?? 0 });
  return {
    files,
    dockerfile: s.dockerfile || "Dockerfile",
    open: s.open || s.dockerfile || "Dockerfile",
    tag: s.tag,
    target: s.target,
    buildArgs: s.buildArgs,
    noCache: s.noCache,
    example: null,
    dirty: false,
  };
}

/** Two workspaces hold the same project (files, Dockerfile and options). */
export function sameProject(a: Workspace, b: Workspace): boolean {
  if (a.files.size !== b.files.size || a.dockerfile !== b.dockerfile || a.tag !== b.tag || a.target !== b.target || a.noCache !== b.noCache) return false;
  if (JSON.stringify(a.buildArgs) !== JSON.stringify(b.buildArgs)) return false;
  for (const [p, e] of a.files) {
    const o = b.files.get(p);
    if (!o || o.kind !== e.kind || o.mode !== e.mode || o.target !== e.target || o.mtime !== e.mtime || o.data.length !== e.data.length) return false;
    for (let i = 0; i < e.data.length; i++) if (e.data[i] !== o.data[i]) return false;
  }
  return true;
}

function toBase64(data: Uint8Array): string {
  let s = "";
  for (let i = 0; i < data.length; i += 0x8000) s += String.fromCharCode(...data.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function serialize(ws: Workspace): string {
  const files = [...ws.files].map(([path, e]) => {
    const text = e.kind === "file" ? utf8(e.data) : null;
    return { path, kind: e.kind, mode: e.mode, mtime: e.mtime || undefined, target: e.target || undefined, ...(text !== null ? { text } : e.kind === "file" ? { base64: toBase64(e.data) } : {}) };
  });
  return JSON.stringify({ ...ws, files, savedAt: Date.now() });
}

function deserialize(raw: string): Workspace | null {
  const o = JSON.parse(raw);
  if (!o || !Array.isArray(o.files)) return null;
  const files = new Map<string, FileEntry>();
  for (const f of o.files) {
    if (typeof f.path !== "string") continue;
    const data = typeof f.text === "string" ? encodeUtf8(f.text) : typeof f.base64 === "string" ? fromBase64(f.base64) : new Uint8Array();
    files.set(f.path, { kind: f.kind === "dir" || f.kind === "symlink" ? f.kind : "file", mode: Number(f.mode) || 0o644, data, target: String(f.target ?? ""), mtime: Math.max(0, Math.floor(Number(f.mtime) || 0)) });
  }
  return {
    files,
    dockerfile: String(o.dockerfile ?? "Dockerfile"),
    open: String(o.open ?? o.dockerfile ?? "Dockerfile"),
    tag: String(o.tag ?? ""),
    target: String(o.target ?? ""),
    buildArgs: Array.isArray(o.buildArgs) ? o.buildArgs.map((a: any) => ({ name: String(a.name ?? ""), value: String(a.value ?? "") })) : [],
    noCache: !!o.noCache,
    example: typeof o.example === "string" ? o.example : null,
    dirty: !!o.dirty,
  };
}
