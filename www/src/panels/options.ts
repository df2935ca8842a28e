// Build options — tag, target stage (from the engine's stage graph), build args,
// no-cache — with the equivalent `docker build` command line, and the build action
// itself (button, Ctrl/Cmd+Enter, the terminal's `docker build`).

import { debounce, h } from "../dom";
import { t } from "../i18n";
import { isUnavailable, messageOf } from "../engine";
import type { BuildArg, BuildRequest } from "../protocol";
import type { Panel } from "../panel";
import { metrics } from "../metrics";

/** Quotes a word for a POSIX shell command line when it needs it. */
export function shellQuote(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

export function parseBuildArgs(text: string): BuildArg[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => {
      const i = l.indexOf("=");
      return i < 0 ? { name: l, value: "" } : { name: l.slice(0, i), value: l.slice(i + 1) };
    });
}

export const options: Panel = (root, ctx) => {
  const { app, engine, actions } = ctx;
  const tag = h("input", { id: "tag", type: "text", hint: "options.tagHint", spellcheck: "false", autocomplete: "off" }) as HTMLInputElement;
  const target = h("select", { id: "target" }) as HTMLSelectElement;
  const args = h("textarea", { id: "build-args", rows: "2", hint: "options.argsHint", spellcheck: "false" }) as HTMLTextAreaElement;
  const noCache = h("input", { id: "no-cache", type: "checkbox" }) as HTMLInputElement;
  const commandLine = h("code", { class: "command-line", id: "command-line" });
  const targetNote = h("span", { class: "note" });
  const tagError = h("span", { class: "field-error", id: "tag-error", role: "alert" });

  const field = (label: Parameters<typeof t>[0], control: HTMLElement, extra?: HTMLElement) =>
    h("label", { class: "field" }, h("span", { text: label }), control, extra ?? null);

  function fill() {
    tag.value = app.ws.tag;
    args.value = app.ws.buildArgs.map((a) => `${a.name}=${a.value}`).join("\n");
    noCache.checked = app.ws.noCache;
    fillTargets();
    renderCommand();
  }

  function fillTargets() {
    const stages = app.graph?.stages ?? [];
    // --target takes a stage name: unnamed stages cannot be targets.
    const named = stages.flatMap((s) => (s.name ? [s.name] : []));
    const want = app.ws.target;
    target.replaceChildren(h("option", { value: "", text: "options.lastStage" }), ...named.map((n) => h("option", { value: n }, n)));
    if (want && !named.includes(want)) target.append(h("option", { value: want }, `${want} (?)`));
    target.value = want;
    const canPlan = engine.can("graph");
    target.disabled = !canPlan && !want;
    targetNote.textContent = canPlan || engine.status !== "ready" ? "" : t("options.targetUnavailable");
  }

  function renderCommand() {
    const parts = ["docker", "build"];
    if (app.ws.dockerfile !== "Dockerfile") parts.push("-f", app.ws.dockerfile);
    if (app.ws.tag) parts.push("-t", app.ws.tag);
    if (app.ws.target) parts.push("--target", app.ws.target);
    for (const a of app.ws.buildArgs) parts.push("--build-arg", `${a.name}=${a.value}`);
    if (app.ws.noCache) parts.push("--no-cache");
    parts.push(".");
    commandLine.textContent = parts.map(shellQuote).join(" ");
  }

  // The tag is checked as `docker build -t` checks it, while it is typed.
  const checkTag = debounce(() => ctx.guard(async () => {
    const value = app.ws.tag;
    let message = "";
    if (value && engine.can("checkTag")) {
      try {
        await engine.call("checkTag", { tag: value });
      } catch (e) {
        message = messageOf(e);
      }
    }
    tagError.textContent = message;
    tag.setAttribute("aria-invalid", String(!!message));
  }), 200);
  tag.addEventListener("input", () => ctx.guard(() => {
    app.setOptions({ tag: tag.value.trim() });
    checkTag();
  }));
  target.addEventListener("change", () => ctx.guard(() => app.setOptions({ target: target.value })));
  args.addEventListener("input", () => ctx.guard(() => app.setOptions({ buildArgs: parseBuildArgs(args.value) })));
  noCache.addEventListener("change", () => ctx.guard(() => app.setOptions({ noCache: noCache.checked })));

  // The stage graph (target names, the Stages tab) follows the Dockerfile as it is typed.
  const refreshGraph = debounce(() => ctx.guard(async () => {
    if (!engine.can("graph")) {
      if (app.graph) {
        app.graph = null;
        app.emit("graph", null);
      }
      return;
    }
    try {
      app.graph = await engine.call("graph", { dockerfile: app.dockerfileText(), target: app.ws.target, buildArgs: app.ws.buildArgs });
    } catch (e) {
      if (!isUnavailable(e)) app.graph = null;
    }
    app.emit("graph", app.graph);
    fillTargets();
  }), 300);

  // ----- the build action -------------------------------------------------------------
  let building = false;
  async function build(req: BuildRequest): Promise<boolean> {
    if (building) return false;
    if (!engine.can("build")) {
      ctx.toast(t("build.unavailable"), "error");
      return false;
    }
    building = true;
    const t0 = performance.now();
    metrics.clickAt = t0;
    app.emit("build-start");
    try {
      const result = await engine.call("build", req, { onEvent: (ev) => app.emit("build-event", ev), journal: true, onRetry: () => app.emit("build-start") });
      app.lastBuild = result;
      const ms = performance.now() - t0;
      metrics.lastBuildMs = ms;
      app.emit("build-end", { result, error: null, cancelled: false, ms });
      if (result.error?.line) app.emit("goto-line", { line: result.error.line, error: true });
      if (result.ok && result.imageId) {
        app.selectedImage = result.tags[0] ?? result.imageId;
        app.emit("select-image", app.selectedImage);
      }
      app.emit("images");
      return result.ok;
    } catch (e) {
      const cancelled = !!e && typeof e === "object" && (e as { kind?: string }).kind === "cancelled";
      app.emit("build-end", { result: null, error: cancelled ? null : messageOf(e), cancelled, ms: performance.now() - t0 });
      return false;
    } finally {
      building = false;
    }
  }

  actions.build = () =>
    ctx.guard(() =>
      build({ files: app.entries(), dockerfile: app.ws.dockerfile, tags: app.ws.tag ? [app.ws.tag] : [], target: app.ws.target, buildArgs: app.ws.buildArgs, noCache: app.ws.noCache }),
    );
  actions.buildWith = (o) => build({ files: app.entries(), ...o });
  actions.cancel = () => ctx.guard(() => engine.cancel());

  const buildBtn = h("button", { class: "primary", id: "build-options-button", label: "build.button", on: { click: () => actions.build() } }, h("span", { text: "build.button" }));
  const hint = h("span", { class: "kbd-hint" }, navigator.platform.includes("Mac") ? "⌘↵" : "Ctrl+↵");

  ctx.on("options", () => {
    fill();
    checkTag();
    refreshGraph();
  });
  ctx.on("files", refreshGraph);
  ctx.on("engine", () => {
    checkTag();
    fillTargets();
    refreshGraph();
    buildBtn.disabled = !engine.can("build");
  });
  ctx.on("lang", fill);
  ctx.on("build-start", () => (buildBtn.disabled = true));
  ctx.on("build-end", () => (buildBtn.disabled = !engine.can("build")));

  root.append(
    h(
      "form",
      { class: "options", label: "options.title", on: { submit: (e: Event) => (e.preventDefault(), actions.build()) } },
      field("options.tag", tag, tagError),
      field("options.target", target, targetNote),
      field("options.buildArgs", args),
      h("label", { class: "field checkbox" }, noCache, h("span", { text: "options.noCache" })),
      h("div", { class: "build-row" }, buildBtn, hint),
    ),
    h("div", { class: "command-row" }, h("span", { class: "note", text: "options.equivalent" }), commandLine),
  );
  buildBtn.disabled = !engine.can("build");
  fill();
  refreshGraph();
};
