// A shared image picker for the Layers, Image and Run panels: the images of this
// session (tags, or the short ID of a dangling image), following the page's selection.

import { h } from "../dom";
import { t } from "../i18n";
import type { Ctx } from "../panel";
import type { ImageRow } from "../protocol";

export function shortId(id: string): string {
  return id.replace(/^sha256:/, "").slice(0, 12);
}

export function imageLabel(img: ImageRow): string {
  return img.repoTags.length && !img.dangling ? img.repoTags.join(", ") : `<none>:<none> ${shortId(img.id)}`;
}

/** A <select> of images kept up to date; calls `onPick` with the chosen reference. */
export function imagePicker(ctx: Ctx, id: string, onPick: (ref: string | null) => void): { el: HTMLSelectElement; refresh: () => Promise<void> } {
  const { app, engine } = ctx;
  const el = h("select", { id, label: "image.pick" }) as HTMLSelectElement;
  el.addEventListener("change", () => {
    app.selectedImage = el.value || null;
    app.emit("select-image", el.value);
  });
  async function refresh() {
    if (!engine.can("images")) {
      el.replaceChildren(h("option", { value: "" }, "—"));
      el.title = t("image.unavailable");
      el.disabled = true;
      onPick(null);
      return;
    }
    const images = await engine.call("images", { filters: [] });
    el.disabled = images.length === 0;
    el.replaceChildren(...(images.length ? [] : [h("option", { value: "", text: "image.none" })]), ...images.map((img) => h("option", { value: img.repoTags[0] && !img.dangling ? img.repoTags[0] : img.id }, imageLabel(img))));
    const want = app.selectedImage;
    if (want && [...el.options].some((o) => o.value === want)) el.value = want;
    onPick(el.value || null);
  }
  ctx.on("images", () => ctx.guard(refresh));
  ctx.on("engine", () => ctx.guard(refresh));
  ctx.on("select-image", (ref) => {
    if (el.value !== ref && [...el.options].some((o) => o.value === ref)) {
      el.value = ref;
      onPick(ref);
    }
  });
  return { el, refresh };
}
