// DOM helpers shared by the panels: a tiny element builder whose text and labels come
// from the i18n table (so a language switch re-labels everything), and small utilities.

import { t, type Key } from "./i18n";

type Child = Node | string | null | undefined | false;

export interface Attrs {
  [name: string]: unknown;
  /** Text content from the i18n table (kept up to date on language switch). */
  text?: Key;
  /** aria-label from the i18n table. */
  label?: Key;
  /** title (tooltip) from the i18n table. */
  tip?: Key;
  /** placeholder from the i18n table. */
  hint?: Key;
  class?: string;
  on?: { [event: string]: (e: any) => void };
}

/** Creates an element: `h("button", { text: "build", on: { click } }, child…)`. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    switch (name) {
      case "text":
        el.dataset.i18n = value as string;
        el.textContent = t(value as Key);
        break;
      case "label":
        el.dataset.i18nLabel = value as string;
        el.setAttribute("aria-label", t(value as Key));
        break;
      case "tip":
        el.dataset.i18nTip = value as string;
        el.title = t(value as Key);
        break;
      case "hint":
        el.dataset.i18nHint = value as string;
        el.setAttribute("placeholder", t(value as Key));
        break;
      case "class":
        el.className = value as string;
        break;
      case "on":
        for (const [ev, fn] of Object.entries(value as Record<string, (e: Event) => void>)) el.addEventListener(ev, fn);
        break;
      default:
        if (value === true) el.setAttribute(name, "");
        else el.setAttribute(name, String(value));
    }
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** An inline SVG icon from the small set the page uses. */
export function icon(name: keyof typeof ICONS): SVGSVGElement {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "16");
  svg.setAttribute("height", "16");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "icon");
  svg.innerHTML = ICONS[name];
  return svg;
}

const stroke = (d: string) => `<path d="${d}" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>`;
const ICONS = {
  play: `<path d="M7 4v16l13-8z" fill="currentColor"/>`,
  stop: `<rect x="6" y="6" width="12" height="12" rx="1" fill="currentColor"/>`,
  share: stroke("M4 12v7a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-7M16 6l-4-4-4 4M12 2v13"),
  file: stroke("M14 3H6a1 1 0 0 0-1 1v16a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V8zM14 3v5h5"),
  folder: stroke("M3 6a1 1 0 0 1 1-1h5l2 2h9a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1z"),
  upload: stroke("M12 16V4M7 9l5-5 5 5M4 20h16"),
  download: stroke("M12 4v12M7 11l5 5 5-5M4 20h16"),
  trash: stroke("M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13"),
  edit: stroke("M4 20h4L19 9l-4-4L4 16zM14 6l4 4"),
  plus: stroke("M12 5v14M5 12h14"),
  sun: stroke("M12 4V2M12 22v-2M4 12H2M22 12h-2M5 5l1.5 1.5M17.5 17.5 19 19M5 19l1.5-1.5M17.5 6.5 19 5M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8"),
  moon: stroke("M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z"),
  auto: stroke("M12 3a9 9 0 1 0 0 18zM12 3a9 9 0 0 1 0 18"),
  globe: stroke("M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18M3 12h18M12 3c3 3 3 15 0 18M12 3c-3 3-3 15 0 18"),
  book: stroke("M4 5a2 2 0 0 1 2-2h13v16H6a2 2 0 0 0-2 2zM4 19V5M19 19v2H6"),
  chevron: stroke("M9 6l6 6-6 6"),
  close: stroke("M6 6l12 12M18 6 6 18"),
  whale: `<path d="M3 13h15.5c.8-1.5 2.2-2 3.5-1.5-.3 1-1 1.6-2 1.8C18.6 17.5 15 20 10 20c-4 0-6.3-2.7-7-7z" fill="currentColor"/><rect x="5" y="9" width="3" height="3" fill="currentColor"/><rect x="9" y="9" width="3" height="3" fill="currentColor"/><rect x="13" y="9" width="3" height="3" fill="currentColor"/><rect x="9" y="5" width="3" height="3" fill="currentColor"/>`,
};

/** Removes every child of an element. */
export function clear(el: Element): void {
  while (el.firstChild) el.firstChild.remove();
}

/** Human-readable size, as docker prints it (`1.23MB`, `4.1kB`, `0B`). */
export function humanSize(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let n = bytes;
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  if (i === 0) return `${n}B`;
  return `${Number(n.toPrecision(3))}${units[i]}`;
}

/** Saves bytes as a download with the given file name. */
export function download(name: string, data: Uint8Array | string, type = "application/octet-stream"): void {
  const blob = new Blob([data as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Debounces a function: calls it `ms` after the last call. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** Text of bytes if they are valid UTF-8, else null. */
export function utf8(data: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    return null;
  }
}

export const encodeUtf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
