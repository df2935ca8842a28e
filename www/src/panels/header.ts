// The top bar: name, examples, build, share, language and theme switches, and the
// engine's status.
//
// Invariant: nothing the engine does moves a button. The bar's actions are right-aligned,
// so the status pill sits first (to the left of them): when its text changes it grows or
// shrinks leftwards, up to a maximum width past which it ellipsizes (the whole text is its
// tooltip); Build and Cancel share one slot as wide as the wider of the two.

import { h, icon } from "../dom";
import { LANGS, getLang, setLang, t } from "../i18n";
import type { Panel } from "../panel";

type Theme = "auto" | "light" | "dark";
const THEME_KEY = "dfplay.theme";

export function applyTheme(theme: Theme): void {
  if (theme === "auto") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

export function savedTheme(): Theme {
  const v = localStorage.getItem(THEME_KEY);
  return v === "light" || v === "dark" ? v : "auto";
}

export const header: Panel = (root, ctx) => {
  const { engine, actions } = ctx;
  const status = h("span", { class: "engine-status", role: "status", "aria-live": "polite" });
  const buildBtn = h("button", { class: "primary", id: "build-button", label: "build.button", tip: "build.shortcut", on: { click: () => actions.build() } }, icon("play"), h("span", { text: "build.button" }));
  const cancelBtn = h("button", { class: "danger", id: "cancel-button", label: "build.cancel", hidden: true, on: { click: () => actions.cancel() } }, icon("stop"), h("span", { text: "build.cancel" }));
  const shareBtn = h("button", { id: "share-button", label: "share.button", on: { click: () => actions.share() } }, icon("share"), h("span", { text: "share.button" }));
  const galleryBtn = h("button", { id: "examples-button", label: "gallery.open", on: { click: () => actions.gallery() } }, icon("book"), h("span", { text: "gallery.button" }));

  const lang = h("select", { id: "lang-select", label: "lang.label" }) as HTMLSelectElement;
  for (const [code, name] of Object.entries(LANGS)) lang.append(h("option", { value: code }, name));
  lang.value = getLang();
  lang.addEventListener("change", () => setLang(lang.value as keyof typeof LANGS));

  let theme = savedTheme();
  const themeBtn = h("button", { id: "theme-button", class: "icon-button" });
  const renderTheme = () => {
    themeBtn.replaceChildren(icon(theme === "auto" ? "auto" : theme === "light" ? "sun" : "moon"));
    themeBtn.setAttribute("aria-label", `${t("theme.label")}: ${t(`theme.${theme}`)}`);
    themeBtn.title = themeBtn.getAttribute("aria-label")!;
  };
  themeBtn.addEventListener("click", () => {
    theme = theme === "auto" ? "light" : theme === "light" ? "dark" : "auto";
    localStorage.setItem(THEME_KEY, theme);
    applyTheme(theme);
    renderTheme();
  });
  renderTheme();

  const renderStatus = () => {
    status.className = `engine-status ${engine.status}${engine.isBusy ? " busy" : ""}`;
    status.textContent =
      engine.status === "ready"
        ? `${t("engine.ready")} ${engine.info?.version ?? ""}${engine.upgrading ? " · " + t("engine.loadingFull") : engine.isBusy ? " · " + t("engine.busy") : ""}`
        : engine.status === "starting"
          ? t(engine.upgrading ? "engine.loadingFull" : "engine.starting")
          : t("engine.failed");
    status.title = engine.failure ? `${status.textContent}: ${engine.failure}` : status.textContent;
    const canBuild = engine.can("build");
    buildBtn.disabled = engine.status !== "ready" || !canBuild;
    buildBtn.title = canBuild ? t("build.shortcut") : t("build.unavailable");
  };
  engine.onChange(() => ctx.guard(renderStatus));
  ctx.on("lang", () => {
    renderTheme();
    renderStatus();
    lang.value = getLang();
  });
  ctx.on("build-start", () => {
    buildBtn.hidden = true;
    cancelBtn.hidden = false;
  });
  ctx.on("build-end", () => {
    buildBtn.hidden = false;
    cancelBtn.hidden = true;
  });
  renderStatus();

  root.append(
    h("div", { class: "brand" }, icon("whale"), h("strong", {}, "dfplay"), h("span", { class: "tagline", text: "app.tagline" })),
    h("div", { class: "header-actions" }, status, galleryBtn, h("span", { class: "build-slot" }, buildBtn, cancelBtn), shareBtn, h("span", { class: "sep" }), icon("globe"), lang, themeBtn),
  );
};
