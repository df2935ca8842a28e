// The playground page: lays out the panels, starts the engine worker, restores the
// user's work (localStorage, or a share link), and wires the page-wide keys.

import { App } from "./app";
import { Engine } from "./engine";
import { h } from "./dom";
import { initLang, onLangChange, t, tf, type Key } from "./i18n";
import { metrics } from "./metrics";
import { mount, type Actions, type Ctx, type Panel } from "./panel";
import { blankWorkspace, loadExamples, workspaceOf } from "./examples";
import { applyTheme, header, savedTheme } from "./panels/header";
import { files } from "./panels/files";
import { editor } from "./panels/editor";
import { options } from "./panels/options";
import { log } from "./panels/log";
import { graph } from "./panels/graph";
import { layers } from "./panels/layers";
import { image } from "./panels/image";
import { run } from "./panels/run";
import { terminal } from "./panels/terminal";
import { gallery } from "./panels/gallery";
import { openSharedLink, share } from "./panels/share";

/** Features the page uses and the engine may not offer yet (shown in the status bar). */
const ENGINE_FEATURES = ["lint", "plan", "build", "images", "layers", "run", "save", "load", "dockerignore"];

const TABS: { id: string; label: Key; panels: [string, Panel][] }[] = [
  { id: "build", label: "tab.build", panels: [["options", options], ["log", log]] },
  { id: "stages", label: "tab.stages", panels: [["graph", graph]] },
  { id: "layers", label: "tab.layers", panels: [["layers", layers]] },
  { id: "image", label: "tab.image", panels: [["image", image]] },
  { id: "run", label: "tab.run", panels: [["run", run]] },
  { id: "terminal", label: "tab.terminal", panels: [["terminal", terminal]] },
];

function toast(message: string, kind: "info" | "error" = "info"): void {
  if (!message) return;
  const area = document.getElementById("toasts")!;
  const el = h("div", { class: `toast ${kind}`, role: kind === "error" ? "alert" : "status" }, message);
  area.append(el);
  setTimeout(() => el.remove(), kind === "error" ? 9000 : 4000);
}

async function boot(): Promise<void> {
  initLang();
  applyTheme(savedTheme());
  const app = new App();
  const engine = new Engine({ lean: new URL("./worker.js", import.meta.url), full: new URL("./worker-full.js", import.meta.url) });
  const noop = () => {};
  const actions: Actions = { build: noop, cancel: noop, share: noop, gallery: noop };
  const base: Omit<Ctx, "on" | "guard"> = { app, engine, actions, toast };
  (window as unknown as { dfplay: object }).dfplay = { app, engine, metrics };

  // The work of the last visit, or the multi-stage example on a first visit.
  const saved = App.restore();
  if (saved) app.ws = saved;
  else {
    try {
      const ex = (await loadExamples()).find((e) => e.name === "multi-stage");
      app.ws = ex ? workspaceOf(ex) : blankWorkspace();
    } catch {
      app.ws = blankWorkspace();
    }
    app.saveNow();
  }

  // Layout.
  const root = document.getElementById("app")!;
  root.replaceChildren();
  const headerEl = h("header", { class: "header" });
  const filesEl = h("section", { class: "panel files-panel", id: "files-panel", label: "files.title" });
  const editorEl = h("section", { class: "panel editor-panel", id: "editor-panel", label: "editor.title" });
  const tablist = h("div", { class: "tabs", role: "tablist", label: "tab.list" });
  const output = h("section", { class: "panel output-panel", id: "output-panel" }, tablist);
  const status = h("footer", { class: "statusbar", id: "statusbar" });
  const toasts = h("div", { id: "toasts", class: "toasts", "aria-live": "polite" });
  const dialogs = h("div", { id: "dialogs" });
  root.append(headerEl, h("main", { class: "workbench" }, filesEl, editorEl, output), status, toasts, dialogs);

  const tabButtons = new Map<string, HTMLButtonElement>();
  const tabPanels = new Map<string, HTMLElement>();
  const showTab = (id: string) => {
    for (const [tid, b] of tabButtons) {
      b.setAttribute("aria-selected", String(tid === id));
      b.tabIndex = tid === id ? 0 : -1;
      tabPanels.get(tid)!.hidden = tid !== id;
    }
    localStorage.setItem("dfplay.tab", id);
  };
  for (const tab of TABS) {
    const btn = h("button", { role: "tab", id: `tab-${tab.id}`, "aria-controls": `tabpanel-${tab.id}`, text: tab.label, on: { click: () => showTab(tab.id) } }) as HTMLButtonElement;
    btn.addEventListener("keydown", (e: KeyboardEvent) => {
      const ids = TABS.map((x) => x.id);
      const i = ids.indexOf(tab.id);
      const next = e.key === "ArrowRight" ? ids[(i + 1) % ids.length] : e.key === "ArrowLeft" ? ids[(i + ids.length - 1) % ids.length] : null;
      if (next) {
        showTab(next);
        tabButtons.get(next)!.focus();
      }
    });
    tabButtons.set(tab.id, btn);
    tablist.append(btn);
    const panelEl = h("div", { class: "tabpanel", role: "tabpanel", id: `tabpanel-${tab.id}`, "aria-labelledby": `tab-${tab.id}` });
    tabPanels.set(tab.id, panelEl);
    output.append(panelEl);
    for (const [name, panel] of tab.panels) {
      const slot = h("div", { class: `slot slot-${name}` });
      panelEl.append(slot);
      mount(name, slot, panel, base);
    }
  }
  showTab(localStorage.getItem("dfplay.tab") && tabButtons.has(localStorage.getItem("dfplay.tab")!) ? localStorage.getItem("dfplay.tab")! : "build");
  app.on("show-tab", (id) => tabButtons.has(id) && showTab(id));

  mount("header", headerEl, header, base);
  mount("files", filesEl, files, base);
  mount("editor", editorEl, editor, base);
  mount("gallery", dialogs, gallery, base);
  mount("share", dialogs, share, base);
  mount("status", status, statusBar, base);

  onLangChange(() => app.emit("lang"));
  let wasReady = false;
  const onEngine = () => {
    const ready = engine.status === "ready";
    if (ready && !wasReady) {
      metrics.engineReadyMs ??= engine.readyAt;
      app.emit("engine");
      openSharedLink(base).catch((e) => toast(String(e), "error"));
    }
    if (!ready && wasReady) app.emit("engine");
    wasReady = ready;
  };
  engine.onChange(onEngine);
  // The worker may have become ready while the page was still being laid out.
  onEngine();
  window.addEventListener("hashchange", () => openSharedLink(base).catch((e) => toast(String(e), "error")));

  // Nothing typed is lost when the tab goes away before the autosave fires.
  window.addEventListener("pagehide", () => app.saveNow());
  document.addEventListener("visibilitychange", () => document.visibilityState === "hidden" && app.saveNow());

  // Ctrl/Cmd+Enter builds from anywhere on the page.
  document.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.defaultPrevented) {
      e.preventDefault();
      actions.build();
    }
  });
  document.documentElement.classList.add("booted");
}

const statusBar: Panel = (root, ctx) => {
  const { app, engine } = ctx;
  const engineInfo = h("span", { id: "status-engine" });
  const missing = h("span", { id: "status-missing", class: "muted" });
  const diags = h("span", { id: "status-diagnostics" });
  const saved = h("span", { id: "status-saved" });
  const timing = h("span", { id: "status-timing", class: "muted" });
  const render = () => {
    engineInfo.textContent = engine.status === "ready" ? `${tf("status.engine", { version: engine.info?.version ?? "" })} · ${t(engine.flavor === "lean" ? "status.lean" : "status.full")}` : engine.status === "failed" ? `${t("engine.failed")}: ${engine.failure}` : t("engine.starting");
    const lacking = engine.status === "ready" ? ENGINE_FEATURES.filter((f) => !engine.has(f)) : [];
    missing.textContent = lacking.length ? tf("status.missing", { list: lacking.join(", ") }) : "";
    missing.title = t("status.missingTip");
    const errors = app.diagnostics.filter((d) => d.severity === "error").length;
    const warnings = app.diagnostics.length - errors;
    diags.textContent = engine.can("lint") ? tf("status.diagnostics", { errors, warnings }) : "";
    saved.textContent = app.saveError ? `${t("status.notSaved")}: ${app.saveError}` : t("status.saved");
    saved.className = app.saveError ? "error" : "muted";
    timing.textContent = metrics.lastBuildMs !== null ? tf("status.buildTime", { ms: Math.round(metrics.lastBuildMs) }) : "";
  };
  engine.onChange(() => ctx.guard(render));
  for (const topic of ["files", "options", "diagnostics", "lang", "build-end", "engine"] as const) ctx.on(topic, render);
  root.append(engineInfo, missing, h("span", { class: "spacer" }), diags, timing, saved);
  render();
};

boot().catch((e) => {
  const root = document.getElementById("app");
  if (root) root.textContent = `dfplay could not start: ${e instanceof Error ? e.message : String(e)}`;
  console.error(e);
});
