// The page's handle on the engine worker: typed calls (protocol.ts), streamed events,
// cancel by terminate-and-restart. Calls that change the session's image store are
// kept in a journal and replayed into a restarted worker, so cancelling a build (or a
// crash) does not lose the images built before it.

import type { Args, EngineFailure, EngineInfo, EventOf, Method, Reply, Result } from "./protocol";
import { FEATURE_OF } from "./protocol";

export type EngineStatus = "starting" | "ready" | "failed";

interface Pending {
  resolve: (v: any) => void;
  reject: (e: EngineFailure) => void;
  onEvent?: (e: any) => void;
}

export interface CallOptions<M extends Method> {
  onEvent?: (event: EventOf<M>) => void;
  /** Replay this call into a restarted worker (it changes the image store). */
  journal?: boolean;
}

export class Engine {
  status: EngineStatus = "starting";
  info: EngineInfo | null = null;
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

  constructor(private readonly workerUrl: URL) {
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
    if (!(await this.ready())) throw { kind: "crashed", message: this.failure ?? "the engine is not running" } as EngineFailure;
    if (!this.can(method)) {
      throw { kind: "unavailable", message: `${method}: not available in this build of the engine` } as EngineFailure;
    }
    const id = this.nextId++;
    this.busy++;
    this.emit();
    try {
      const value = await new Promise<Result<M>>((resolve, reject) => {
        this.pending.set(id, { resolve, reject, onEvent: options.onEvent as ((e: unknown) => void) | undefined });
        this.worker!.postMessage({ id, method, args });
      });
      if (options.journal) this.journal.push({ method, args });
      return value;
    } finally {
      this.busy--;
      this.emit();
    }
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
      worker = new Worker(this.workerUrl, { type: "module" });
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
    const journal = this.journal;
    for (const { method, args } of journal) {
      const id = this.nextId++;
      await new Promise<void>((resolve) => {
        this.pending.set(id, { resolve: () => resolve(), reject: () => resolve() });
        this.worker!.postMessage({ id, method, args });
      });
    }
  }

  private receive(msg: Reply): void {
    switch (msg.kind) {
      case "ready":
        this.info = msg.info;
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
      case "result": {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        p?.resolve(msg.value);
        return;
      }
      case "error": {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        p?.reject(msg.error);
        return;
      }
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

export function isUnavailable(e: unknown): boolean {
  return !!e && typeof e === "object" && (e as EngineFailure).kind === "unavailable";
}
