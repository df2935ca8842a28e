// Share: a link whose #fragment carries the whole state (files, Dockerfile, options),
// deflated and base64url-encoded by the engine (crate/share.rs). Too large for a link:
// say so and offer the context as a .tar instead. Opening a link never silently
// replaces the user's own unsaved work: the page asks, and keeps both.

import { h } from "../dom";
import { t, tf } from "../i18n";
import { messageOf } from "../engine";
import type { Ctx, Panel } from "../panel";
import { sameProject, workspaceFromShare } from "../app";
import { downloadTar } from "./files";

export const SHARE_PREFIX = "#s=";

export const share: Panel = (root, ctx) => {
  const { app, engine, actions } = ctx;
  const dialog = h("dialog", { class: "share", id: "share-dialog", label: "share.title" }) as HTMLDialogElement;
  const body = h("div", { class: "share-body" });
  dialog.append(
    h("div", { class: "dialog-head" }, h("h2", { text: "share.title" }), h("button", { class: "icon-button", label: "dialog.close", on: { click: () => dialog.close() } }, "✕")),
    body,
  );
  dialog.addEventListener("click", (e) => e.target === dialog && dialog.close());

  actions.share = () =>
    ctx.guard(async () => {
      body.replaceChildren(h("p", { class: "note", text: "share.working" }));
      dialog.showModal();
      try {
        const code = await engine.call("shareEncode", { state: app.shareState() });
        const url = location.href.split("#")[0] + SHARE_PREFIX + code;
        const field = h("input", { id: "share-link", class: "share-link", readonly: true, value: url, label: "share.link" }) as HTMLInputElement;
        const copied = h("span", { class: "note", role: "status", id: "share-status" });
        const copy = async () => {
          field.select();
          try {
            await navigator.clipboard.writeText(url);
            copied.textContent = t("share.copied");
          } catch {
            copied.textContent = t("share.copyFailed");
          }
        };
        body.replaceChildren(
          h("p", { text: "share.intro" }),
          h("div", { class: "share-row" }, field, h("button", { class: "primary", id: "share-copy", label: "share.copy", on: { click: () => ctx.guard(copy) } }, h("span", { text: "share.copy" }))),
          copied,
          h("p", { class: "note" }, tf("share.size", { n: code.length })),
        );
        await copy();
      } catch (e) {
        const tooLarge = !!e && typeof e === "object" && (e as { kind?: string }).kind === "too-large";
        body.replaceChildren(
          h("p", { class: tooLarge ? "warning" : "error", id: "share-error" }, tooLarge ? t("share.tooLarge") : messageOf(e)),
          h("p", { class: "note" }, messageOf(e)),
          h("button", { class: "primary", id: "share-download-tar", on: { click: () => ctx.guard(() => downloadTar(ctx)) } }, h("span", { text: "share.downloadTar" })),
        );
      }
    });

  root.append(dialog);
};

/** Opens the state of a share link (`#s=…`) if the page was opened with one. */
export async function openSharedLink(ctx: Omit<Ctx, "on" | "guard">): Promise<void> {
  const { app, engine } = ctx;
  if (!location.hash.startsWith(SHARE_PREFIX)) return;
  const code = location.hash.slice(SHARE_PREFIX.length);
  const clearHash = () => history.replaceState(null, "", location.href.split("#")[0]);
  let shared;
  try {
    shared = workspaceFromShare(await engine.call("shareDecode", { code }));
  } catch (e) {
    ctx.toast(`${t("share.badLink")}: ${messageOf(e)}`, "error");
    clearHash();
    return;
  }
  const mine = app.ws;
  if (mine.dirty && mine.files.size > 0 && !sameProject(mine, shared)) {
    const choice = await askKeepOrOpen();
    if (choice === "keep") {
      clearHash();
      return;
    }
    app.backup();
  }
  app.load(shared);
  clearHash();
  ctx.toast(t("share.opened"));
}

function askKeepOrOpen(): Promise<"open" | "keep"> {
  return new Promise((resolve) => {
    const dialog = h("dialog", { class: "confirm", id: "share-conflict", label: "share.conflictTitle" }) as HTMLDialogElement;
    const done = (v: "open" | "keep") => {
      dialog.close();
      dialog.remove();
      resolve(v);
    };
    dialog.append(
      h("h2", { text: "share.conflictTitle" }),
      h("p", { text: "share.conflictText" }),
      h(
        "div",
        { class: "dialog-foot" },
        h("button", { id: "share-keep-mine", on: { click: () => done("keep") } }, h("span", { text: "share.keepMine" })),
        h("button", { class: "primary", id: "share-open-link", on: { click: () => done("open") } }, h("span", { text: "share.openLink" })),
      ),
    );
    dialog.addEventListener("cancel", () => done("keep"));
    document.body.append(dialog);
    dialog.showModal();
  });
}
