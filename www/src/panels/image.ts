// The image: its config (Env, Cmd, Entrypoint, WorkingDir, ExposedPorts, Labels …),
// the `docker images` list of this session (tags, dangling `<none>`), download as a
// docker-archive or OCI tar, and import of an image tar to use as a base.

import { clear, download, h, humanSize, icon } from "../dom";
import { t, tf } from "../i18n";
import { messageOf } from "../engine";
import type { Panel } from "../panel";
import type { ImageDetails } from "../protocol";
import { imagePicker, shortId } from "./images-select";

export const image: Panel = (root, ctx) => {
  const { app, engine } = ctx;
  const config = h("dl", { class: "config", id: "image-config" });
  const table = h("table", { class: "images-table", id: "images-table" });
  const basesTable = h("table", { class: "images-table", id: "bases-table" });
  const inspectPre = h("pre", { class: "inspect-json", id: "image-inspect" });
  const configSection = h(
    "section",
    { class: "image-config", hidden: true },
    h("h3", { text: "image.config" }),
    config,
    h("details", { class: "inspect" }, h("summary", { text: "image.inspect" }), inspectPre),
  );
  const note = h("p", { class: "note" });
  const importInput = h("input", { type: "file", hidden: true, accept: ".tar,.tar.gz,.tgz,application/x-tar", label: "image.import" }) as HTMLInputElement;
  let current: string | null = null;

  const dlDocker = h("button", { id: "download-docker", label: "image.downloadDocker", on: { click: () => ctx.guard(() => save("docker")) } }, icon("download"), h("span", { text: "image.downloadDocker" }));
  const dlOci = h("button", { id: "download-oci", label: "image.downloadOci", on: { click: () => ctx.guard(() => save("oci")) } }, icon("download"), h("span", { text: "image.downloadOci" }));
  const importBtn = h("button", { id: "import-image", label: "image.import", tip: "image.importHint", on: { click: () => importInput.click() } }, icon("upload"), h("span", { text: "image.import" }));

  const picker = imagePicker(ctx, "image-image", (ref) => ctx.guard(() => show(ref)));

  async function show(ref: string | null) {
    current = ref;
    clear(config);
    dlDocker.disabled = dlOci.disabled = !ref || !engine.can("save");
    importBtn.disabled = !engine.can("load");
    importBtn.title = engine.can("load") ? "" : t("image.loadUnavailable");
    dlDocker.title = dlOci.title = engine.can("save") ? "" : t("image.saveUnavailable");
    note.hidden = engine.can("images");
    note.textContent = t("image.unavailable");
    configSection.hidden = !ref || !engine.can("images");
    if (!ref || !engine.can("images")) return;
    const d = await engine.call("inspect", { image: ref });
    renderConfig(d);
  }

  function renderConfig(d: ImageDetails) {
    const row = (name: string, value: string | Node | null) => [h("dt", {}, name), h("dd", {}, value ?? h("span", { class: "muted" }, "—"))];
    const list = (items: string[]) => (items.length ? h("ul", {}, ...items.map((i) => h("li", {}, h("code", {}, i)))) : null);
    const json = (v: string[] | null) => (v ? h("code", {}, JSON.stringify(v)) : null);
    inspectPre.textContent = d.inspect;
    config.append(
      ...row("Id", h("code", {}, d.id)),
      ...row("RepoTags", list(d.repoTags)),
      ...row("Created", d.created ? h("code", {}, d.created) : null),
      ...row("Size", humanSize(d.size)),
      ...row(t("image.source"), h("span", {}, d.source === "loaded" ? t("image.sourceLoaded") : t("image.sourceBuilt"), d.standin ? h("span", { class: "badge standin" }, tf("image.standin", { what: d.standin })) : null)),
      ...row("Architecture", `${d.os}/${d.architecture}`),
      ...row("Env", list(d.config.env)),
      ...row("Cmd", json(d.config.cmd)),
      ...row("Entrypoint", json(d.config.entrypoint)),
      ...row("WorkingDir", d.config.workingDir ? h("code", {}, d.config.workingDir) : null),
      ...row("User", d.config.user ? h("code", {}, d.config.user) : null),
      ...row("ExposedPorts", list(d.config.exposedPorts)),
      ...row("Volumes", list(d.config.volumes)),
      ...row("Labels", list(Object.entries(d.config.labels).map(([k, v]) => `${k}=${v}`))),
    );
  }

  async function renderImages() {
    clear(table);
    if (!engine.can("images")) return;
    const images = await engine.call("images", { filters: [] });
    table.append(
      h("caption", { text: "image.listTitle" }),
      h("thead", {}, h("tr", {}, ...["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE", ""].map((c) => h("th", { scope: "col" }, c)))),
    );
    const body = h("tbody", {});
    for (const img of images) {
      const tags = img.repoTags.length && !img.dangling ? img.repoTags : ["<none>:<none>"];
      for (const tag of tags) {
        const i = tag.lastIndexOf(":");
        const ref = tag === "<none>:<none>" ? img.id : tag;
        const rm = h("button", { class: "icon-button", "aria-label": tf("image.remove", { ref }), title: tf("image.remove", { ref }), on: { click: () => ctx.guard(() => removeImage(ref)) } }, icon("trash"));
        const size = h("td", { title: img.standin ? tf("image.standin", { what: img.standin }) : "" }, humanSize(img.size), img.standin ? h("span", { class: "badge standin small" }, "*") : null);
        const tr = h("tr", { class: img.dangling ? "dangling" : "", tabindex: "0", "data-ref": ref }, h("td", {}, tag.slice(0, i)), h("td", {}, tag.slice(i + 1)), h("td", {}, h("code", {}, shortId(img.id))), h("td", {}, img.created), size, h("td", {}, rm));
        tr.addEventListener("click", (e) => {
          if ((e.target as HTMLElement).closest("button")) return;
          app.selectedImage = ref;
          app.emit("select-image", ref);
        });
        body.append(tr);
      }
    }
    table.append(body);
  }

  async function renderBases() {
    clear(basesTable);
    if (!engine.can("bases")) return;
    const bases = await engine.call("bases", {});
    basesTable.append(
      h("caption", { text: "image.basesTitle" }),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "FROM"), h("th", { scope: "col", text: "image.standsFor" }), h("th", { scope: "col", text: "image.realSize" }), h("th", { scope: "col" }, "CMD"))),
      h(
        "tbody",
        {},
        ...bases.map((b) =>
          h("tr", { title: b.sizeNote }, h("td", {}, b.name), h("td", {}, b.standsFor), h("td", {}, humanSize(b.realSize)), h("td", {}, b.cmd ? JSON.stringify(b.cmd) : b.entrypoint ? JSON.stringify(b.entrypoint) : "")),
        ),
      ),
    );
  }

  async function removeImage(ref: string) {
    try {
      await engine.call("rmi", { images: [ref], force: false }, { journal: true });
      app.emit("images");
    } catch (e) {
      ctx.toast(messageOf(e), "error");
    }
  }

  async function save(format: "docker" | "oci") {
    if (!current) return;
    try {
      const bytes = await engine.call("save", { images: [current], format });
      const base = current.replace(/^sha256:/, "").replace(/[/:]/g, "_");
      download(`${base}${format === "oci" ? ".oci" : ""}.tar`, bytes, "application/x-tar");
    } catch (e) {
      ctx.toast(messageOf(e), "error");
    }
  }

  importInput.addEventListener("change", () =>
    ctx.guard(async () => {
      const f = importInput.files?.[0];
      importInput.value = "";
      if (!f) return;
      try {
        const loaded = await engine.call("load", { bytes: new Uint8Array(await f.arrayBuffer()) }, { journal: true });
        ctx.toast(tf("image.loaded", { list: loaded.map((l) => l.replace(/^Loaded image( ID)?: /, "")).join(", ") }));
        app.emit("images");
      } catch (e) {
        ctx.toast(`${f.name}: ${messageOf(e)}`, "error");
      }
    }),
  );

  ctx.on("images", () => ctx.guard(renderImages));
  ctx.on("engine", () => ctx.guard(async () => {
    await renderImages();
    await renderBases();
  }));
  ctx.on("lang", () => ctx.guard(async () => {
    await renderImages();
    await renderBases();
    await show(current);
  }));

  root.append(
    h("div", { class: "panel-title" }, h("label", { class: "field inline" }, h("span", { text: "image.pick" }), picker.el), h("div", { class: "toolbar" }, dlDocker, dlOci, importBtn, importInput)),
    note,
    configSection,
    h("section", { class: "image-list" }, table),
    h("section", { class: "image-bases" }, basesTable, h("p", { class: "note", text: "image.basesNote" })),
  );
  ctx.guard(picker.refresh);
  ctx.guard(renderImages);
  ctx.guard(() => show(null));
};
