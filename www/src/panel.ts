// What every panel gets, and the guard that keeps a failing panel to itself: an
// exception while mounting or in one of its listeners shows an error box in that
// panel only; the rest of the page keeps working.

import type { App, Topics } from "./app";
import type { Engine } from "./engine";
import { h } from "./dom";
import { t } from "./i18n";

/** Page-wide actions, registered by the panel that owns each. */
export interface Actions {
  build(): void;
  cancel(): void;
  share(): void;
  gallery(): void;
  /** Builds with explicit options (the terminal's `docker build`); resolves with success. */
  buildWith?: (o: { tags: string[]; target: string; buildArgs: { name: string; value: string }[]; noCache: boolean; dockerfile: string }) => Promise<boolean>;
}

export interface Ctx {
  app: App;
  engine: Engine;
  actions: Actions;
  /** Subscribes to an app topic; errors in `fn` are shown in this panel. */
  on<K extends keyof Topics>(topic: K, fn: (payload: Topics[K]) => void): void;
  /** Runs `fn`, showing any error (sync or async) in this panel. */
  guard(fn: () => unknown): void;
  toast(message: string, kind?: "info" | "error"): void;
}

export type Panel = (root: HTMLElement, ctx: Ctx) => void;

/** Mounts a panel into `root` with its own error box. */
export function mount(name: string, root: HTMLElement, panel: Panel, base: Omit<Ctx, "on" | "guard">): void {
  const errorBox = h("div", { class: "panel-error", role: "alert", hidden: true });
  const body = h("div", { class: "panel-body" });
  root.append(errorBox, body);
  root.dataset.panel = name;
  const show = (e: unknown) => {
    console.error(`[${name}]`, e);
    errorBox.hidden = false;
    errorBox.textContent = `${t("panel.failed")}: ${e instanceof Error ? e.message : String(e)}`;
  };
  const guard = (fn: () => unknown) => {
    try {
      const r = fn();
      if (r instanceof Promise) r.catch(show);
    } catch (e) {
      show(e);
    }
  };
  const ctx: Ctx = {
    ...base,
    guard,
    on: (topic, fn) => base.app.on(topic, (payload) => guard(() => fn(payload))),
  };
  guard(() => panel(body, ctx));
}
