// Layers, like `dive`: for the selected image, each history entry with its instruction
// and size; the whole filesystem or one layer's additions, changes and deletions as a
// tree; a viewer for text files.

import { clear, h, humanSize, utf8 } from "../dom";
import { t, tf } from "../i18n";
import { messageOf } from "../engine";
import type { Panel } from "../panel";
import type { FileInfo, HistoryEntry } from "../protocol";
import { imagePicker } from "./images-select";

export const layers: Panel = (root, ctx) => {
  const { engine } = ctx;
  const historyList = h("ol", { class: "history", id: "layer-history", label: "layers.history" });
  const fileTree = h("ul", { class: "tree files-of-layer", id: "layer-files", role: "tree", label: "layers.files" });
  const viewer = h("pre", { class: "file-viewer", id: "file-viewer", tabindex: "0", label: "layers.viewer" });
  const heading = h("h3", { class: "files-heading" });
  const note = h("p", { class: "note" });
  let image: string | null = null;
  let layer: number | null = null;
  let history: HistoryEntry[] = [];

  const picker = imagePicker(ctx, "layers-image", (ref) => ctx.guard(() => select(ref)));

  async function select(ref: string | null) {
    image = ref;
    layer = null;
    clear(historyList);
    clear(fileTree);
    viewer.textContent = "";
    note.hidden = true;
    if (!engine.can("files") || !engine.can("images")) {
      note.hidden = false;
      note.textContent = t("layers.unavailable");
      return;
    }
    if (!ref) {
      note.hidden = false;
      note.textContent = t("layers.noImage");
      return;
    }
    const details = await engine.call("inspect", { image: ref });
    history = details.history;
    renderHistory();
    await showFiles(null);
  }

  function renderHistory() {
    clear(historyList);
    const whole = h("li", { class: `history-entry whole${layer === null ? " active" : ""}`, tabindex: "0", role: "button" }, h("span", { class: "created-by", text: "layers.whole" }));
    whole.addEventListener("click", () => ctx.guard(() => showFiles(null)));
    historyList.append(whole);
    history.forEach((entry) => {
      const li = h(
        "li",
        { class: `history-entry${entry.emptyLayer ? " empty" : ""}${entry.layer !== null && entry.layer === layer ? " active" : ""}`, tabindex: entry.layer === null ? "-1" : "0", role: "button", "aria-disabled": String(entry.layer === null) },
        h("span", { class: "size", title: entry.emptyLayer ? t("layers.emptyStep") : "" }, entry.emptyLayer ? "0B" : humanSize(entry.size)),
        h("code", { class: "created-by" }, entry.createdBy || "—"),
      );
      if (entry.layer !== null) {
        const go = () => ctx.guard(() => showFiles(entry.layer));
        li.addEventListener("click", go);
        li.addEventListener("keydown", (e) => e.key === "Enter" && go());
      }
      historyList.append(li);
    });
  }

  async function showFiles(l: number | null) {
    if (!image) return;
    layer = l;
    renderHistory();
    heading.textContent = l === null ? t("layers.wholeHeading") : tf("layers.layerHeading", { n: l + 1 });
    let list: FileInfo[];
    try {
      list = await engine.call("files", { image, layer: l });
    } catch (e) {
      clear(fileTree);
      fileTree.append(h("li", { class: "note" }, messageOf(e)));
      return;
    }
    clear(fileTree);
    if (!list.length) fileTree.append(h("li", { class: "note" }, t(l === null ? "layers.noImage" : "layers.empty")));
    for (const f of list) {
      const depth = f.path.split("/").length - 2;
      const li = h(
        "li",
        { class: `tree-item change-${f.change ?? "none"}`, role: "treeitem", style: `--depth:${Math.max(depth, 0)}`, "data-path": f.path, tabindex: "0" },
        f.change ? h("span", { class: `change-mark ${f.change}` }, f.change) : null,
        h("span", { class: "mode" }, modeString(f)),
        h("span", { class: "name" }, f.path.split("/").pop() + (f.kind === "dir" ? "/" : "") + (f.kind === "symlink" ? ` → ${f.target ?? ""}` : "")),
        h("span", { class: "size" }, f.kind === "file" ? humanSize(f.size) : ""),
      );
      if (f.kind === "file" && f.change !== "D") {
        const open = () => ctx.guard(() => view(f));
        li.addEventListener("click", open);
        li.addEventListener("keydown", (e) => e.key === "Enter" && open());
      }
      fileTree.append(li);
    }
  }

  async function view(f: FileInfo) {
    if (!image) return;
    const data = await engine.call("readFile", { image, layer, path: f.path });
    const text = utf8(data);
    viewer.textContent = text === null ? tf("layers.binary", { path: f.path, size: humanSize(data.length) }) : text;
    viewer.dataset.path = f.path;
  }

  ctx.on("lang", () => ctx.guard(() => select(image)));
  root.append(
    h("div", { class: "panel-title" }, h("label", { class: "field inline" }, h("span", { text: "image.pick" }), picker.el)),
    note,
    h("div", { class: "layers-grid" }, h("div", { class: "layers-history" }, h("h3", { text: "layers.history" }), historyList, h("p", { class: "note", text: "layers.sizeNote" })), h("div", { class: "layers-files" }, heading, fileTree), h("div", { class: "layers-viewer" }, h("h3", { text: "layers.viewer" }), viewer)),
  );
  ctx.guard(picker.refresh);
};

function modeString(f: FileInfo): string {
  const type = f.kind === "dir" ? "d" : f.kind === "symlink" ? "l" : "-";
  const bits = "rwxrwxrwx";
  let s = "";
  for (let i = 0; i < 9; i++) s += f.mode & (1 << (8 - i)) ? bits[i] : "-";
  return type + s;
}
