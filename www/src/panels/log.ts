// The build log in BuildKit's tty style: `[+] Building 0.1s (9/9) FINISHED`, one
// collapsible line per vertex (CACHED, ERROR, timing), the output of RUN steps inside,
// and the error block whose `Dockerfile:N` points at (and highlights) the line.

import { clear, h } from "../dom";
import { t, tf } from "../i18n";
import { metrics } from "../metrics";
import type { Panel } from "../panel";
import type { BaseInfo, BuildEvent, BuildResult } from "../protocol";

interface Vertex {
  id: number;
  name: string;
  line: number | null;
  cached: boolean;
  done: boolean;
  ms: number | null;
  started: number;
  logs: string[];
  /** Sub-status lines (` => => transferring context: 2B`). */
  statuses: string[];
  error: string | null;
  /** Its DOM, kept between renders (a long RUN output is appended, not redrawn). */
  el?: { details: HTMLDetailsElement; name: HTMLElement; time: HTMLElement; statuses: HTMLElement; pre: HTMLPreElement; shownLogs: number; shownStatuses: number };
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export const log: Panel = (root, ctx) => {
  const { app, engine } = ctx;
  const headerLine = h("div", { class: "log-header", id: "log-header", role: "status", "aria-live": "polite" });
  const list = h("div", { class: "log-lines", id: "log-lines" });
  const errorBox = h("div", { class: "log-error", id: "log-error", hidden: true });
  const copyBtn = h("button", { class: "text-button", id: "copy-log", label: "log.copy", on: { click: () => ctx.guard(copy) } }, h("span", { text: "log.copy" }));
  const empty = h("p", { class: "note log-empty" });
  const logBox = h("div", { class: "log", role: "log", label: "log.title" }, headerLine, list, errorBox);

  let vertices: Vertex[] = [];
  let byId = new Map<number, Vertex>();
  let startedAt = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  let state: "idle" | "running" | "finished" | "error" | "canceled" = "idle";
  let result: BuildResult | null = null;
  let failure: string | null = null;
  /** The builtin stand-in bases, to mark the FROM lines that use one. */
  let bases: BaseInfo[] = [];

  /** The stand-in a `… FROM docker.io/diamol/base` vertex uses, if any. */
  function standinOf(name: string): BaseInfo | null {
    const m = / FROM (\S+)$/.exec(name);
    if (!m) return null;
    const ref = m[1].replace(/@sha256:[0-9a-f]+$/, "");
    return bases.find((b) => b.reference === ref || b.reference === `${ref}:latest`) ?? null;
  }

  function counts(): [number, number] {
    if (result) return [result.completed, result.total];
    const done = vertices.filter((v) => v.done).length;
    return [done, vertices.length];
  }

  function headerText(): string {
    const [done, total] = counts();
    const elapsed = result ? result.ms : performance.now() - startedAt;
    const word = state === "finished" ? " FINISHED" : state === "error" ? " ERROR" : state === "canceled" ? " CANCELED" : "";
    return `[+] Building ${secs(elapsed)} (${done}/${total})${word}`;
  }

  function vertexLine(v: Vertex): string {
    const mark = v.error ? "ERROR " : v.cached ? "CACHED " : "";
    return `=> ${mark}${v.name}`;
  }

  function render() {
    empty.hidden = state !== "idle";
    copyBtn.hidden = state === "idle";
    empty.textContent = engine.can("build") || engine.status !== "ready" ? t("log.empty") : t("build.unavailable");
    headerLine.hidden = state === "idle";
    logBox.hidden = state === "idle";
    headerLine.className = `log-header ${state}`;
    headerLine.textContent = headerText();
    for (const v of vertices) {
      if (!v.el) {
        const name = h("span", { class: "log-name" });
        const base = standinOf(v.name);
        const badge = base ? h("span", { class: "badge standin", title: tf("log.standinTip", { ref: base.name, real: base.standsFor }) }, t("log.standin")) : null;
        const time = h("span", { class: "log-time" });
        const statuses = h("div", { class: "log-statuses" });
        const pre = h("pre", { class: "log-output", hidden: true });
        // Sub-statuses stay visible (` => => transferring context: 2B`), as in BuildKit's tty view.
        const details = h("details", { class: "log-vertex", "data-vertex": String(v.id) }, h("summary", { class: "log-line" }, h("span", { class: "log-row" }, name, badge, time), statuses), pre) as HTMLDetailsElement;
        v.el = { details, name, time, statuses, pre, shownLogs: 0, shownStatuses: 0 };
        list.append(details);
      }
      const el = v.el;
      el.details.className = `log-vertex${v.cached ? " cached" : ""}${v.error ? " failed" : ""}${v.done || v.error ? "" : " running"}`;
      el.name.textContent = vertexLine(v);
      el.time.textContent = v.done || v.error ? secs(v.ms ?? 0) : secs(performance.now() - v.started);
      for (; el.shownStatuses < v.statuses.length; el.shownStatuses++) el.statuses.append(h("div", { class: "log-status" }, `=> => ${v.statuses[el.shownStatuses]}`));
      if (el.shownLogs < v.logs.length) {
        // Lines of simulated tools say so (`(simulated) …`): marked, so nobody takes them for real output.
        for (const l of v.logs.slice(el.shownLogs)) {
          el.pre.append(l.includes("(simulated)") ? h("span", { class: "simulated", title: t("log.simulatedTip") }, l) : l);
        }
        el.shownLogs = v.logs.length;
        el.pre.hidden = false;
      }
      if (v.error && !el.details.open) el.details.open = true;
    }
    const err = result?.error ?? (failure ? { message: failure, line: null, endLine: null, excerpt: null, output: null } : null);
    errorBox.hidden = !err;
    if (err) {
      clear(errorBox);
      if (err.output) errorBox.append(h("pre", { class: "log-failed-output", title: t("log.failedStep") }, err.output));
      if (err.excerpt) {
        const pre = h("pre", { class: "log-excerpt" }, err.excerpt);
        errorBox.append(pre);
      }
      if (err.line) {
        errorBox.append(
          h("button", { class: "link-button", id: "error-line-link", on: { click: () => app.emit("goto-line", { line: err.line!, error: true }) } }, tf("log.gotoLine", { file: app.ws.dockerfile, line: err.line })),
        );
      }
      errorBox.append(h("pre", { class: "log-message" }, err.message.startsWith("ERROR") ? err.message : `ERROR: ${err.message}`));
      if (result && !result.ok && result.imageId) errorBox.append(h("p", { class: "note" }, tf("log.dangling", { id: result.imageId.replace(/^sha256:/, "").slice(0, 12) })));
    }
  }

  function vertex(id: number): Vertex {
    let v = byId.get(id);
    if (!v) {
      v = { id, name: `#${id}`, line: null, cached: false, done: false, ms: null, started: performance.now(), logs: [], statuses: [], error: null };
      byId.set(id, v);
      vertices.push(v);
    }
    return v;
  }

  function onEvent(ev: BuildEvent) {
    switch (ev.type) {
      case "start": {
        const v = vertex(ev.v);
        v.name = ev.name;
        v.line = ev.lines?.[0] ?? null;
        break;
      }
      case "status":
        vertex(ev.v).statuses.push(`${ev.text}`);
        break;
      case "cached": {
        const v = vertex(ev.v);
        v.cached = true;
        v.done = true;
        v.ms = 0;
        break;
      }
      case "log":
        vertex(ev.v).logs.push(`#${ev.v} ${ev.at.toFixed(3)} ${ev.line}\n`);
        break;
      case "done": {
        const v = vertex(ev.v);
        v.done = true;
        v.ms = ev.secs * 1000;
        break;
      }
      case "error": {
        const v = vertex(ev.v);
        v.error = ev.message;
        v.ms = ev.secs * 1000;
        break;
      }
    }
    scheduleRender();
  }

  let pending = false;
  function scheduleRender() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      ctx.guard(render);
    });
  }

  function copy() {
    // The engine's own rendering (as `docker build` prints it on a terminal) when there is one.
    const text = result?.log ?? [headerLine.textContent ?? "", ...vertices.map((v) => ` ${vertexLine(v)}`)].join("\n") + (errorBox.hidden ? "" : `\n${errorBox.innerText}`);
    navigator.clipboard?.writeText(text).then(
      () => ctx.toast(t("log.copied")),
      () => ctx.toast(t("share.copyFailed"), "error"),
    );
  }

  ctx.on("build-start", () => {
    clear(list);
    vertices = [];
    byId = new Map();
    result = null;
    failure = null;
    state = "running";
    startedAt = performance.now();
    clearInterval(timer);
    timer = setInterval(() => ctx.guard(() => (headerLine.textContent = headerText())), 100);
    render();
    ctx.app.emit("show-tab", "build");
  });
  ctx.on("build-event", (ev) => onEvent(ev));
  ctx.on("build-end", (end) => {
    clearInterval(timer);
    result = end.result;
    failure = end.error;
    state = end.cancelled ? "canceled" : end.result?.ok ? "finished" : "error";
    if (end.cancelled) for (const v of vertices) if (!v.done) v.error = "canceled";
    render();
    metrics.clickToFinishedMs = performance.now() - (metrics.clickAt ?? startedAt);
  });
  ctx.on("engine", () => ctx.guard(async () => {
    render();
    if (engine.can("bases") && !bases.length) bases = await engine.call("bases", {});
  }));
  ctx.on("lang", render);

  root.append(h("div", { class: "log-toolbar" }, copyBtn), empty, logBox);
  render();
};
