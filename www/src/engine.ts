// The page's handle on the engine worker: typed calls (protocol.ts), streamed events,
// cancel by terminate-and-restart. Calls that change the session's image store are
// kept in a journal and replayed into a restarted worker, so cancelling a build (or a
// crash) does not lose the images built before it.
//
// Two builds of the engine: the page starts with the lean one (no toolchain
// simulations, fewer shell programs: a small first load). A call that reaches a
// program only the full engine has fails with `needs-simulations`; the page then
// switches to the full engine (its worker replays the journal, so it holds the same
// images and cache) and repeats the call there — builds are deterministic, so the
// result is what one engine would have given. A Dockerfile that names such a
// program (seen when it is linted; the engine's info lists the names) starts the switch
// early, in the background.

import type { Args, EngineFailure, EngineInfo, EventOf, Method, Reply, Result } from "./protocol";
import { FEATURE_OF } from "./protocol";

export type EngineStatus = "starting" | "ready" | "failed";
export type Flavor = "lean" | "full";

/** A RUN, CMD or ENTRYPOINT instruction with its continuation lines. */
const COMMANDS = /^[ \t]*(RUN|CMD|ENTRYPOINT)\b((?:.*\\\r?\n)*.*)/gim;
/** Where a new command can start: shell operators, subshells, quotes (`sh -c '…'`),
 * and the brackets and commas of the JSON form. */
const SEGMENTS = /[;&|()`'"\[\],{}\n]|\$\(/;
/** Words before the command itself: keywords, wrappers, their options, assignments. */
const LEADING = new Set(["if", "then", "else", "elif", "while", "until", "do", "!", "time", "exec", "command", "env", "sudo", "nohup", "xargs", "nice", "stdbuf"]);

/** The program names a Dockerfile's RUN, CMD and ENTRYPOINT commands start (a path
 * counts by its last part: `/usr/bin/sed` → `sed`). */
export function commandNames(dockerfile: string): Set<string> {
  const names = new Set<string>();
  for (const m of dockerfile.matchAll(COMMANDS)) {
    for (const segment of m[2].replace(/\\\r?\n/g, " ").split(SEGMENTS)) {
      const word = segment.trim().split(/\s+/).find((w) => !LEADING.has(w) && !w.startsWith("-") && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
      if (word) names.add(word.slice(word.lastIndexOf("/") + 1));
    }
  }
  return names;
}

/** True when the Dockerfile's commands start a program only the full engine has
 * (`fullOnly`: the names the lean engine reports in its info). */
export function wantsFullEngine(dockerfile: string, fullOnly: ReadonlySet<string>): boolean {
  if (fullOnly.size === 0) return false;
  for (const name of commandNames(dockerfile)) if (fullOnly.has(name)) return true;
  return false;
}

interface Pending {
  resolve: (v: any) => void;
  reject: (e: EngineFailure) => void;
  onEvent?: (e: any) => void;
}

export interface CallOptions<M extends Method> {
  onEvent?: (event: EventOf<M>) => void;
  /** Replay this call into a restarted worker (it changes the image store). */
  journal?: boolean;
  /** Called when the call is repeated on the full engine (its events start over). */
  onRetry?: () => void;
}

export class Engine {
  status: EngineStatus = "starting";
  info: EngineInfo | null = null;
  /** The program names only the full engine has, as the engine reports them (empty
   * until the first engine is ready: no early switch before then). */
  fullOnly: ReadonlySet<string> = new Set();
  failure: string | null = null;
  /** When the first worker became ready (performance.now()). */
  readyAt: number | null = null;
  private worker: Worker | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private journal: { method: Method; args: unknown }[] = [];
  private listeners = new Set<(e: Engine) => void>();
  private readyWaiters: ((ok: boolean) => void)[] = [];
  private busy = 0;
  /** Which engine build the worker runs. */
  flavor: Flavor = "lean";
  /** True while the full engine loads. */
  upgrading = false;
  private switching: Promise<void> | null = null;
  /** Why the full engine could not load, when it could not. */
  fullFailure: string | null = null;
  /** Requests sent to the worker and not answered yet. */
  private inFlight = 0;
  private drained: (() => void)[] = [];

  constructor(private readonly workerUrls: Record<Flavor, URL>) {
    this.start();
  }

  /** Called on every status change (starting / ready / failed, busy or idle). */
  onChange(fn: (e: Engine) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get isBusy(): boolean {
    return this.busy > 0;
  }

  /** True when the engine of this build offers the feature. */
  has(feature: string): boolean {
    return !!this.info && (feature === "" || this.info.features.includes(feature));
  }

  /** True when the method can be called on this build. */
  can(method: Method): boolean {
    return this.has(FEATURE_OF[method]);
  }

  /** Resolves when the worker is ready (true) or failed to start (false). */
  ready(): Promise<boolean> {
    if (this.status === "ready") return Promise.resolve(true);
    if (this.status === "failed") return Promise.resolve(false);
    return new Promise((r) => this.readyWaiters.push(r));
  }

  async call<M extends Method>(method: M, args: Args<M>, options: CallOptions<M> = {}): Promise<Result<M>> {
    if (method === "lint" && this.flavor === "lean") {
      // the names come with the first engine's info: a lint sent before it is checked then
      const { dockerfile } = args as Args<"lint">;
      void this.ready().then((ok) => {
        if (ok && this.flavor === "lean" && wantsFullEngine(dockerfile, this.fullOnly)) void this.useFull();
      });
    }
    try {
      return await this.send(method, args, options);
    } catch (e) {
      if (!needsFull(e) || this.flavor === "full") throw e;
      await this.useFull();
      if ((this.flavor as Flavor) !== "full") throw { kind: "unavailable", message: this.fullFailure ?? messageOf(e) } as EngineFailure;
      options.onRetry?.();
      return this.send(method, args, options);
    }
  }

  private async send<M extends Method>(method: M, args: Args<M>, options: CallOptions<M>): Promise<Result<M>> {
    if (!(await this.ready())) throw { kind: "crashed", message: this.failure ?? "the engine is not running" } as EngineFailure;
    if (!this.can(method)) {
      throw { kind: "unavailable", message: `${method}: not available in this build of the engine` } as EngineFailure;
    }
    const id = this.nextId++;
    this.busy++;
    this.emit();
    try {
      const value = await this.post<Result<M>>(id, method, args, options.onEvent as ((e: unknown) => void) | undefined);
      if (options.journal) this.journal.push({ method, args });
      return value;
    } finally {
      this.busy--;
      this.emit();
    }
  }

  private post<T>(id: number, method: Method, args: unknown, onEvent?: (e: unknown) => void, worker = this.worker!): Promise<T> {
    this.inFlight++;
    return new Promise<T>((resolve, reject) => {
      const settle = () => {
        this.pending.delete(id);
        if (--this.inFlight === 0) for (const d of this.drained.splice(0)) d();
      };
      this.pending.set(id, { resolve: (v) => (settle(), resolve(v)), reject: (e) => (settle(), reject(e)), onEvent });
      worker.postMessage({ id, method, args });
    });
  }

  /** Switches to the full engine (once): its worker starts beside the lean one, which
   * keeps answering until the full one is ready; then the lean one finishes what it
   * was asked, the full one replays the journal, and it takes over. */
  useFull(): Promise<void> {
    if (this.flavor === "full") return Promise.resolve();
    if (this.switching) return this.switching;
    this.upgrading = true;
    this.emit();
    this.switching = new Promise<void>((resolve) => {
      // The lean engine goes on serving what it can; a later need tries again.
      const failed = (worker: Worker | null, message: string) => {
        worker?.terminate();
        this.upgrading = false;
        this.switching = null;
        this.fullFailure = `the toolchain simulations could not load: ${message}`;
        this.emit();
        resolve();
      };
      let worker: Worker;
      try {
        worker = new Worker(this.workerUrls.full, { type: "module" });
      } catch (e) {
        return failed(null, e instanceof Error ? e.message : String(e));
      }
      worker.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        failed(worker, e.message || "script error");
      };
      worker.onmessage = async (e: MessageEvent<Reply>) => {
        const msg = e.data;
        if (msg.kind === "fatal") return failed(worker, msg.message);
        if (msg.kind !== "ready") return;
        // Hold new calls, let the lean engine finish, then hand over.
        this.status = "starting";
        this.emit();
        if (this.inFlight > 0) await new Promise<void>((r) => this.drained.push(r));
        this.worker?.terminate();
        this.worker = worker;
        this.flavor = "full";
        worker.onmessage = (m: MessageEvent<Reply>) => this.receive(m.data);
        worker.onerror = null;
        this.receive(msg);
        await this.ready();
        this.upgrading = false;
        this.emit();
        resolve();
      };
    });
    return this.switching;
  }

  /** Stops whatever the engine is doing: the worker is terminated, every pending call
   * fails with `cancelled`, and a new worker replays the journal. */
  async cancel(): Promise<void> {
    this.restart({ kind: "cancelled", message: "cancelled" });
    await this.ready();
  }

  private restart(reason: EngineFailure): void {
    this.worker?.terminate();
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(reason);
    this.start();
  }

  private start(): void {
    this.status = "starting";
    this.info = null;
    this.emit();
    let worker: Worker;
    try {
      worker = new Worker(this.workerUrls[this.flavor], { type: "module" });
    } catch (e) {
      this.fail(`the engine worker could not start: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    this.worker = worker;
    worker.onmessage = (e: MessageEvent<Reply>) => this.receive(e.data);
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      if (this.status === "starting") this.fail(`the engine worker could not start: ${e.message || "script error"}`);
    };
  }

  private async replay(): Promise<void> {
    for (const { method, args } of this.journal) {
      await this.post(this.nextId++, method, args).catch(() => {});
    }
  }

  private receive(msg: Reply): void {
    switch (msg.kind) {
      case "ready":
        this.info = msg.info;
        this.fullOnly = new Set(msg.info.fullOnly);
        // Replay before anyone else talks to the new worker.
        this.replay().then(() => {
          this.status = "ready";
          this.readyAt ??= performance.now();
          this.failure = null;
          this.emit();
          for (const w of this.readyWaiters.splice(0)) w(true);
        });
        return;
      case "fatal":
        if (this.status === "starting") this.fail(msg.message);
        else this.restart({ kind: "crashed", message: msg.message });
        return;
      case "event":
        this.pending.get(msg.id)?.onEvent?.(msg.event);
        return;
      case "result":
        this.pending.get(msg.id)?.resolve(msg.value);
        return;
      case "error":
        this.pending.get(msg.id)?.reject(msg.error);
        return;
    }
  }

  private fail(message: string): void {
    this.status = "failed";
    this.failure = message;
    this.emit();
    for (const w of this.readyWaiters.splice(0)) w(false);
  }

  private emit(): void {
    for (const fn of this.listeners) {
      try {
        fn(this);
      } catch (e) {
        console.error(e);
      }
    }
  }
}

/** The message of anything a call may throw. */
export function messageOf(e: unknown): string {
  if (e && typeof e === "object" && "message" in e) return String((e as { message: unknown }).message);
  return String(e);
}

/** The lean engine met a program only the full engine has. */
function needsFull(e: unknown): boolean {
  return !!e && typeof e === "object" && (e as EngineFailure).kind === "needs-simulations";
}

export function isUnavailable(e: unknown): boolean {
  return !!e && typeof e === "object" && (e as EngineFailure).kind === "unavailable";
}
