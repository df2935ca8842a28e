// The build context as a file tree: add, rename, delete files and folders; upload
// files, folders or a tar/zip; the .dockerignore; files the .dockerignore excludes
// shown as such (when the engine can match it); drag and drop.

import { clear, debounce, download, h, humanSize, icon } from "../dom";
import { t, tf } from "../i18n";
import { messageOf } from "../engine";
import type { Ctx, Panel } from "../panel";
import type { FileEntry } from "../app";

const collapsed = new Set<string>();

export const files: Panel = (root, ctx) => {
  const { app, engine } = ctx;
  let selectedDir = "";
  let editing: { kind: "new-file" | "new-dir" | "rename"; path: string } | null = null;
  let ignoreError: string | null = null;

  const tree = h("ul", { class: "tree", role: "tree", label: "files.tree" });
  const note = h("p", { class: "note files-note" });
  const fileInput = h("input", { type: "file", multiple: true, hidden: true, label: "files.upload" }) as HTMLInputElement;
  const dirInput = h("input", { type: "file", hidden: true, webkitdirectory: true, label: "files.uploadFolder" }) as HTMLInputElement;
  const archiveInput = h("input", { type: "file", hidden: true, accept: ".tar,.tgz,.tar.gz,.zip,application/x-tar,application/gzip,application/zip", label: "files.uploadArchive" }) as HTMLInputElement;

  const tool = (iconName: Parameters<typeof icon>[0], label: Parameters<typeof t>[0], onClick: () => void, id?: string) =>
    h("button", { class: "icon-button", label, tip: label, id, on: { click: () => ctx.guard(onClick) } }, icon(iconName));

  const toolbar = h(
    "div",
    { class: "toolbar", role: "toolbar", label: "files.toolbar" },
    tool("file", "files.newFile", () => startEdit("new-file", selectedDir), "new-file"),
    tool("folder", "files.newFolder", () => startEdit("new-dir", selectedDir), "new-folder"),
    tool("upload", "files.upload", () => fileInput.click(), "upload-files"),
    h("button", { class: "icon-button", label: "files.uploadFolder", tip: "files.uploadFolder", on: { click: () => dirInput.click() } }, icon("folder"), h("span", { class: "mini" }, "↑")),
    h("button", { class: "icon-button", label: "files.uploadArchive", tip: "files.uploadArchive", on: { click: () => archiveInput.click() } }, icon("upload"), h("span", { class: "mini" }, "tar")),
    tool("download", "files.downloadTar", () => downloadTar(ctx), "download-context"),
    h("button", { class: "text-button", id: "edit-dockerignore", label: "files.dockerignore", on: { click: () => ctx.guard(openDockerignore) } }, ".dockerignore"),
  );

  function openDockerignore() {
    if (!app.ws.files.has(".dockerignore")) app.addFile(".dockerignore", new TextEncoder().encode("# " + t("files.dockerignoreHint") + "\n"));
    app.openFile(".dockerignore");
  }

  function startEdit(kind: "new-file" | "new-dir" | "rename", path: string) {
    editing = { kind, path };
    if (kind !== "rename") collapsed.delete(path);
    render(true);
  }

  function nameInput(initial: string, commit: (name: string) => void): HTMLInputElement {
    const input = h("input", { class: "tree-input", value: initial, label: "files.name", spellcheck: "false" }) as HTMLInputElement;
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      const v = input.value.trim().replace(/^\/+|\/+$/g, "");
      editing = null;
      if (ok && v) ctx.guard(() => commit(v));
      else render();
    };
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") finish(true);
      if (e.key === "Escape") finish(false);
    });
    input.addEventListener("blur", () => finish(true));
    setTimeout(() => {
      input.focus();
      const dot = initial.lastIndexOf(".");
      input.setSelectionRange(0, dot > 0 ? dot : initial.length);
    });
    return input;
  }

  function validName(path: string): string | null {
    if (path.split("/").some((c) => c === ".." || c === ".")) return t("files.badName");
    if (app.allPaths().has(path)) return tf("files.exists", { path });
    return null;
  }

  /** Redraws the tree; while a name is being typed, other updates wait for it. */
  function render(force = false) {
    if (editing && !force && tree.querySelector(".tree-input")) return;
    clear(tree);
    const all = app.allPaths();
    const children = new Map<string, string[]>();
    for (const p of all.keys()) {
      const parent = p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "";
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent)!.push(p);
    }
    const sortKey = (p: string) => (all.get(p)!.kind === "dir" ? "0" : "1") + p.toLowerCase();
    const newRow = (dir: string, depth: number) => {
      if (!editing || editing.kind === "rename" || editing.path !== dir) return null;
      const kind = editing.kind;
      return h(
        "li",
        { class: "tree-item editing", style: `--depth:${depth}` },
        icon(kind === "new-dir" ? "folder" : "file"),
        nameInput("", (name) => {
          const path = dir ? `${dir}/${name}` : name;
          const bad = validName(path);
          if (bad) return ctx.toast(bad, "error");
          if (kind === "new-dir") app.addDir(path);
          else {
            app.addFile(path);
            app.openFile(path);
          }
        }),
      );
    };
    const walk = (dir: string, depth: number, into: HTMLElement) => {
      const row = newRow(dir, depth);
      if (row) into.append(row);
      for (const p of (children.get(dir) ?? []).sort((a, b) => sortKey(a).localeCompare(sortKey(b)))) {
        const e = all.get(p)!;
        into.append(item(p, e, depth));
        if (e.kind === "dir" && !collapsed.has(p)) walk(p, depth + 1, into);
      }
    };
    walk("", 0, tree);
    if (all.size === 0 && !editing) tree.append(h("li", { class: "empty", text: "files.empty" }));
    const ignoredNote = ignoreError ? `${app.ignoreFile ?? ".dockerignore"}: ${ignoreError}` : engine.can("ignored") || engine.status !== "ready" ? "" : app.ws.files.has(".dockerignore") ? t("files.ignoreUnavailable") : "";
    note.textContent = ignoredNote;
    note.hidden = !ignoredNote;
  }

  function item(path: string, e: FileEntry, depth: number): HTMLElement {
    const name = path.split("/").pop()!;
    const isDir = e.kind === "dir";
    const ignored = app.ignored.has(path);
    const isDockerfile = path === app.ws.dockerfile;
    const li = h("li", {
      class: `tree-item${isDir ? " dir" : ""}${isDockerfile ? " dockerfile" : ""}${path === app.ws.open ? " open" : ""}${ignored ? " ignored" : ""}${path === selectedDir ? " selected" : ""}`,
      role: "treeitem",
      style: `--depth:${depth}`,
      "aria-expanded": isDir ? String(!collapsed.has(path)) : undefined,
      "aria-selected": String(path === app.ws.open),
      "data-path": path,
      tabindex: "0",
    });
    if (editing?.kind === "rename" && editing.path === path) {
      li.append(
        icon(isDir ? "folder" : "file"),
        nameInput(name, (newName) => {
          const parent = path.includes("/") ? path.slice(0, path.lastIndexOf("/") + 1) : "";
          const to = parent + newName;
          if (to === path) return render();
          const bad = validName(to);
          if (bad) return ctx.toast(bad, "error");
          app.rename(path, to);
        }),
      );
      return li;
    }
    const activate = () => {
      if (isDir) {
        selectedDir = selectedDir === path && !collapsed.has(path) ? selectedDir : path;
        if (collapsed.has(path)) collapsed.delete(path);
        else collapsed.add(path);
        render();
      } else {
        selectedDir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
        app.openFile(path);
      }
    };
    li.addEventListener("click", (ev) => {
      if ((ev.target as HTMLElement).closest("button")) return;
      ctx.guard(activate);
    });
    li.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        ctx.guard(activate);
      } else if (ev.key === "F2") startEdit("rename", path);
      else if (ev.key === "Delete") ctx.guard(() => remove(path));
    });
    const size = e.kind === "file" ? humanSize(e.data.length) : e.kind === "symlink" ? `→ ${e.target}` : "";
    const parts: (Node | null)[] = [
      h("span", { class: "twisty" }, isDir ? icon("chevron") : ""),
      icon(isDir ? "folder" : "file"),
      h("span", { class: "name" }, name),
      isDockerfile ? h("span", { class: "df-mark", tip: "files.dockerfileBadge", "aria-label": "Dockerfile" }, "-f") : null,
      ignored ? h("span", { class: "badge muted", title: tf("files.ignoredTip", { file: app.ignoreFile ?? ".dockerignore", line: app.ignored.get(path) ?? 0 }) }, t("files.ignoredBadge")) : null,
      h("span", { class: "size" }, size),
      h(
        "span",
        { class: "item-actions" },
        h("button", { class: "icon-button", "aria-label": tf("files.rename", { path }), title: tf("files.rename", { path }), on: { click: () => startEdit("rename", path) } }, icon("edit")),
        h("button", { class: "icon-button", "aria-label": tf("files.delete", { path }), title: tf("files.delete", { path }), on: { click: () => ctx.guard(() => remove(path)) } }, icon("trash")),
      ),
    ];
    li.append(...parts.filter((p): p is Node => p !== null));
    return li;
  }

  function remove(path: string) {
    const isDir = app.isDir(path);
    if (!confirm(tf(isDir ? "files.confirmDeleteFolder" : "files.confirmDelete", { path }))) return;
    app.remove(path);
  }

  async function addFiles(list: { path: string; file: File }[]) {
    for (const { path, file } of list) {
      const clean = path.replace(/^\/+/, "");
      // An uploaded file keeps its own modification time (the build's timestamp follows it).
      app.addFile(selectedDir && !path.includes("/") ? `${selectedDir}/${clean}` : clean, new Uint8Array(await file.arrayBuffer()), 0o644, Math.floor(file.lastModified / 1000) || undefined);
    }
    ctx.toast(tf("files.added", { n: list.length }));
  }

  async function addArchive(file: File) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      const u = await engine.call("unpackArchive", { bytes });
      for (const e of u.entries) app.ws.files.set(e.path, { kind: e.kind, mode: e.mode, data: e.data ?? new Uint8Array(), target: e.target ?? "", mtime: e.mtime ?? 0 });
      app.ws.dirty = true;
      app.save();
      app.emit("files");
      if (app.ws.files.has(app.ws.dockerfile)) app.openFile(app.ws.dockerfile);
      ctx.toast(tf("files.unpacked", { n: u.entries.length, name: file.name }) + (u.skipped.length ? ` ${tf("files.skipped", { list: u.skipped.join("; ") })}` : ""));
    } catch (e) {
      ctx.toast(`${file.name}: ${messageOf(e)}`, "error");
    }
  }

  fileInput.addEventListener("change", () => ctx.guard(async () => {
    await addFiles([...(fileInput.files ?? [])].map((f) => ({ path: f.name, file: f })));
    fileInput.value = "";
  }));
  dirInput.addEventListener("change", () => ctx.guard(async () => {
    await addFiles([...(dirInput.files ?? [])].map((f) => ({ path: (f as File & { webkitRelativePath: string }).webkitRelativePath || f.name, file: f })));
    dirInput.value = "";
  }));
  archiveInput.addEventListener("change", () => ctx.guard(async () => {
    const f = archiveInput.files?.[0];
    if (f) await addArchive(f);
    archiveInput.value = "";
  }));

  // Drag and drop: files, folders (via webkitGetAsEntry) and archives.
  root.addEventListener("dragover", (e) => {
    e.preventDefault();
    root.classList.add("drop");
  });
  root.addEventListener("dragleave", () => root.classList.remove("drop"));
  root.addEventListener("drop", (e) => {
    e.preventDefault();
    root.classList.remove("drop");
    ctx.guard(async () => {
      const items = [...(e.dataTransfer?.items ?? [])].map((i) => i.webkitGetAsEntry?.()).filter(Boolean) as FileSystemEntry[];
      const found: { path: string; file: File }[] = [];
      const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
        if (entry.isFile) {
          const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
          found.push({ path: prefix + entry.name, file });
        } else if (entry.isDirectory) {
          const reader = (entry as FileSystemDirectoryEntry).createReader();
          for (;;) {
            const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
            if (!batch.length) break;
            for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
          }
        }
      };
      for (const entry of items) await walk(entry, "");
      const archives = found.filter((f) => /\.(tar|tgz|tar\.gz|zip)$/i.test(f.path) && !f.path.includes("/"));
      if (archives.length === 1 && found.length === 1) await addArchive(archives[0].file);
      else await addFiles(found);
    });
  });

  const refreshIgnored = debounce(() => ctx.guard(async () => {
    if (!engine.can("ignored")) {
      app.ignored = new Map();
      return;
    }
    const ws = app.ws;
    const ignoreFiles = app.entries().filter((e) => e.path === ".dockerignore" || e.path === `${ws.dockerfile}.dockerignore`);
    try {
      const ex = await engine.call("ignored", { paths: [...app.allPaths().keys()], dockerfile: ws.dockerfile, ignoreFiles });
      app.ignored = new Map(ex.paths.map((p) => [p.path, p.line]));
      app.ignoreFile = ex.file;
      ignoreError = null;
    } catch (e) {
      app.ignored = new Map();
      ignoreError = messageOf(e);
    }
    render();
  }), 250);

  ctx.on("files", () => {
    render();
    refreshIgnored();
  });
  ctx.on("open", () => render());
  ctx.on("lang", () => render());
  ctx.on("engine", () => {
    render();
    refreshIgnored();
  });

  root.append(h("div", { class: "panel-title" }, h("h2", { text: "files.title" }), toolbar), tree, note, fileInput, dirInput, archiveInput);
  render();
};

async function downloadTar(ctx: Ctx) {
  try {
    const tar = await ctx.engine.call("packContext", { entries: ctx.app.entries() });
    download(`${ctx.app.ws.tag.split(":")[0] || ctx.app.ws.example || "context"}.tar`, tar, "application/x-tar");
  } catch (e) {
    ctx.toast(messageOf(e), "error");
  }
}

export { downloadTar };
