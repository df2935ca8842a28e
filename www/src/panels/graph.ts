// The stage graph as SVG: one box per stage (its base image written inside), FROM-a-stage
// edges solid and COPY --from edges dashed (an image used by COPY --from is a pill), the
// target highlighted, stages the target does not need greyed out as pruned.

import { clear, h } from "../dom";
import { t, tf } from "../i18n";
import type { Panel } from "../panel";
import type { StageGraph } from "../protocol";

const SVG = "http://www.w3.org/2000/svg";
const W = 190;
const H = 50;
const GAP_X = 28;
const GAP_Y = 46;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, ...children: (SVGElement | string)[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

interface Node {
  key: string;
  label: string;
  sub: string;
  rank: number;
  external: boolean;
  pruned: boolean;
  target: boolean;
  line: number | null;
  x: number;
  y: number;
}

/** Lays out and draws a stage graph. */
export function drawGraph(g: StageGraph, title: string): SVGSVGElement {
  const nodes = new Map<string, Node>();
  const stageKey = (i: number) => `s${i}`;
  const extKey = (name: string) => `x${name}`;
  for (const s of g.stages) {
    nodes.set(stageKey(s.index), { key: stageKey(s.index), label: s.label, sub: `FROM ${s.base}`, rank: 0, external: false, pruned: s.pruned, target: s.target, line: s.line, x: 0, y: 0 });
  }
  // FROM an image is said inside the stage's box; only stage-to-stage FROM edges are drawn.
  const drawn = g.edges.filter((e) => e.kind === "copy" || typeof e.from === "number");
  const edges = drawn.map((e) => {
    let from: string;
    if (typeof e.from === "number") from = stageKey(e.from);
    else {
      from = extKey(e.from);
      if (!nodes.has(from)) nodes.set(from, { key: from, label: e.from, sub: "", rank: 0, external: true, pruned: false, target: false, line: null, x: 0, y: 0 });
    }
    return { from, to: stageKey(e.to), kind: e.kind };
  });
  // External images used only by pruned stages look pruned too.
  for (const n of nodes.values()) if (n.external) n.pruned = edges.filter((e) => e.from === n.key).every((e) => nodes.get(e.to)?.pruned);
  // Rank = longest path from a source (the graph is acyclic: the engine refuses cycles).
  for (let pass = 0; pass < nodes.size; pass++) {
    let moved = false;
    for (const e of edges) {
      const a = nodes.get(e.from)!;
      const b = nodes.get(e.to)!;
      if (b && a && b.rank < a.rank + 1) {
        b.rank = a.rank + 1;
        moved = true;
      }
    }
    if (!moved) break;
  }
  const columns = new Map<number, Node[]>();
  for (const n of nodes.values()) {
    if (!columns.has(n.rank)) columns.set(n.rank, []);
    columns.get(n.rank)!.push(n);
  }
  // Top to bottom: one row per rank (a stage sits below the stages it needs).
  let width = 0;
  for (const [rank, row] of columns) {
    row.forEach((n, i) => {
      n.x = 10 + i * (W + GAP_X);
      n.y = 10 + rank * (H + GAP_Y);
    });
    width = Math.max(width, 20 + row.length * (W + GAP_X) - GAP_X);
  }
  const height = 10 + columns.size * (H + GAP_Y) - GAP_Y;
  const w = Math.max(width, 200);
  const hgt = Math.max(height + 10, 70);
  const root = svg("svg", { viewBox: `0 0 ${w} ${hgt}`, width: w, height: hgt, role: "img", "aria-label": title, class: "stage-graph" });
  root.append(
    svg("defs", {}, svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" }, svg("path", { d: "M0 0L10 5L0 10z", class: "arrow-head" }))),
  );
  for (const e of edges) {
    const a = nodes.get(e.from);
    const b = nodes.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + W / 2;
    const y1 = a.y + H;
    const x2 = b.x + W / 2;
    const y2 = b.y;
    const mid = (y1 + y2) / 2;
    const path = svg("path", { d: `M${x1} ${y1}C${x1} ${mid} ${x2} ${mid} ${x2} ${y2 - 2}`, class: `edge ${e.kind}${b.pruned ? " pruned" : ""}`, "marker-end": "url(#arrow)" });
    path.append(svg("title", {}, e.kind === "copy" ? `COPY --from=${a.label} → ${b.label}` : `FROM ${a.label} → ${b.label}`));
    root.append(path);
    if (e.kind === "copy") root.append(svg("text", { x: (x1 + x2) / 2 + 6, y: mid + 3, class: "edge-label" }, "COPY --from"));
  }
  for (const n of nodes.values()) {
    const gEl = svg("g", { class: `node${n.external ? " external" : ""}${n.pruned ? " pruned" : ""}${n.target ? " target" : ""}`, transform: `translate(${n.x} ${n.y})`, "data-stage": n.label });
    gEl.append(svg("rect", { width: W, height: H, rx: n.external ? H / 2 : 8 }));
    gEl.append(svg("text", { x: 12, y: n.sub ? 22 : 31, class: "node-label" }, n.label.length > 22 ? n.label.slice(0, 21) + "…" : n.label));
    if (n.sub) gEl.append(svg("text", { x: 12, y: 40, class: "node-sub" }, n.sub.length > 26 ? n.sub.slice(0, 25) + "…" : n.sub));
    gEl.append(svg("title", {}, `${n.label}${n.sub ? "\n" + n.sub : ""}${n.pruned ? "\n(pruned)" : ""}${n.target ? "\n(target)" : ""}`));
    root.append(gEl);
  }
  return root;
}

export const graph: Panel = (root, ctx) => {
  const { app, engine } = ctx;
  const area = h("div", { class: "graph-area", id: "stage-graph" });
  const legend = h("p", { class: "note legend" });

  function render() {
    clear(area);
    const g = app.lastBuild?.graph && !app.graph ? app.lastBuild.graph : app.graph;
    if (!g) {
      area.append(h("p", { class: "note" }, engine.can("graph") || engine.status !== "ready" ? t("graph.empty") : t("graph.unavailable")));
      legend.hidden = true;
      return;
    }
    legend.hidden = false;
    legend.textContent = t("graph.legend");
    area.append(drawGraph(g, tf("graph.title", { n: g.stages.length })));
    area.querySelectorAll<SVGGElement>("g.node").forEach((node) => {
      const stage = g.stages.find((s) => s.label === node.dataset.stage);
      if (stage) node.addEventListener("click", () => app.emit("goto-line", { line: stage.line, error: false }));
    });
  }

  ctx.on("graph", render);
  ctx.on("build-end", render);
  ctx.on("engine", render);
  ctx.on("lang", render);
  root.append(area, legend);
  render();
};
