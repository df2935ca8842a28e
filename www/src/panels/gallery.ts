// The examples gallery: a dialog with every example of the books and a blank template.
// Picking one over unsaved work keeps that work as a backup ("Restore previous work").

import { clear, h } from "../dom";
import { getLang, t, tf } from "../i18n";
import type { Panel } from "../panel";
import { App } from "../app";
import { META, blankWorkspace, loadExamples, workspaceOf, type Example } from "../examples";
import type { Workspace } from "../app";

export const gallery: Panel = (root, ctx) => {
  const { app, actions } = ctx;
  const dialog = h("dialog", { class: "gallery", id: "gallery", label: "gallery.title" }) as HTMLDialogElement;
  const grid = h("div", { class: "gallery-grid", role: "list" });
  const status = h("p", { class: "note" });
  const restore = h("button", { class: "text-button", id: "restore-backup", on: { click: () => ctx.guard(restoreBackup) } }, h("span", { text: "gallery.restore" }));

  function choose(ws: Workspace) {
    if (app.ws.dirty && app.ws.files.size > 0) app.backup();
    app.load(ws);
    dialog.close();
    ctx.toast(tf("gallery.loaded", { name: ws.example ?? "" }));
  }

  function restoreBackup() {
    const b = App.backupAvailable();
    if (!b) return;
    app.backup(); // swap: the current work becomes the backup
    app.load(b);
    dialog.close();
    ctx.toast(t("gallery.restored"));
  }

  function card(name: string, title: string, blurb: string, extra: string, ws: () => Workspace) {
    const btn = h(
      "button",
      { class: "card", role: "listitem", "data-example": name, on: { click: () => ctx.guard(() => choose(ws())) } },
      h("strong", {}, title),
      h("span", { class: "blurb" }, blurb),
      h("span", { class: "meta" }, extra),
    );
    return btn;
  }

  async function render() {
    clear(grid);
    const lang = getLang();
    grid.append(card("blank", t("gallery.blank"), t("gallery.blankBlurb"), "Dockerfile", blankWorkspace));
    let examples: Example[] = [];
    try {
      examples = await loadExamples();
      status.textContent = "";
    } catch (e) {
      status.textContent = `${t("gallery.failed")}: ${e instanceof Error ? e.message : String(e)}`;
    }
    // The books' order (META), then any other example.
    const rank = (name: string) => {
      const i = Object.keys(META).indexOf(name);
      return i < 0 ? 1000 : i;
    };
    for (const ex of [...examples].sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name))) {
      const m = META[ex.name];
      grid.append(card(ex.name, m?.title[lang] ?? ex.name, m?.blurb[lang] ?? "", `${m?.source ?? ""} · ${tf("gallery.files", { n: ex.files.length })}`, () => workspaceOf(ex)));
    }
    restore.hidden = !App.backupAvailable();
  }

  actions.gallery = () =>
    ctx.guard(async () => {
      await render();
      dialog.showModal();
    });

  dialog.append(
    h("div", { class: "dialog-head" }, h("h2", { text: "gallery.title" }), h("button", { class: "icon-button", label: "dialog.close", on: { click: () => dialog.close() } }, "✕")),
    h("p", { class: "note", text: "gallery.intro" }),
    grid,
    status,
    h("div", { class: "dialog-foot" }, restore),
  );
  dialog.addEventListener("click", (e) => e.target === dialog && dialog.close());
  ctx.on("lang", () => dialog.open && ctx.guard(render));
  root.append(dialog);
};
