// A terminal that takes the docker commands of the books (`docker image build -t x .`,
// `docker run`, `docker images --filter label=…`, `docker history`, `docker tag`,
// `docker rmi` …) and runs them on the same engine as the rest of the page: the engine
// parses and runs the whole line (crate/terminal/), with the docker CLI's output, the
// same text the native `dfplay` CLI prints.

import { download, h } from "../dom";
import { t, tf } from "../i18n";
import { messageOf } from "../engine";
import type { Panel } from "../panel";

const HISTORY_KEY = "dfplay.terminal.history";

export const terminal: Panel = (root, ctx) => {
  const { app, engine } = ctx;
  const screen = h("pre", { class: "terminal-screen", id: "terminal-output", role: "log", "aria-live": "polite", label: "terminal.output" });
  const input = h("input", { class: "terminal-input", id: "terminal-input", type: "text", label: "terminal.input", spellcheck: "false", autocomplete: "off", autocapitalize: "off" }) as HTMLInputElement;
  const history: string[] = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? "[]");
  let cursor = history.length;
  let running = false;

  const print = (text: string, cls = "") => {
    if (text === "") return;
    const span = h("span", { class: cls }, text);
    screen.append(span);
    screen.scrollTop = screen.scrollHeight;
  };
  /** Prints a message of the page's own, as a line. */
  const say = (text: string, cls = "") => print(text.endsWith("\n") ? text : `${text}\n`, cls);

  /** Columns that fit the screen (the width of `docker build`'s tty frame). */
  const columns = () => Math.max(60, Math.min(200, Math.floor(screen.clientWidth / 7.9) || 100));

  /** Runs a line on the engine: the same session as the rest of the page, docker's output. */
  async function exec(line: string): Promise<void> {
    let kinds: string[] = [];
    try {
      kinds = (await engine.call("parseCommandLine", { line })).map((s) => s.command.kind);
    } catch {
      /* the engine prints docker's error for it */
    }
    // Lines that change the image store are replayed into a restarted engine.
    const journal = kinds.some((k) => ["build", "tag", "rmi", "prune"].includes(k));
    const r = await engine.call("terminal", { line, files: app.entries(), width: columns() }, {
      onEvent: (e) => print(e.text, e.stream === "stderr" ? "err" : ""),
      journal,
      onRetry: () => print(`${t("engine.retryFull")}\n`, "note"),
    });
    for (const effect of r.effects) {
      if (effect.kind === "clear") screen.replaceChildren();
      else if (effect.kind === "download") {
        download(effect.name, effect.data, "application/x-tar");
        say(tf("terminal.downloaded", { name: effect.name }), "muted");
      } else if (effect.kind === "imagesChanged") app.emit("images");
    }
  }

  async function submit(line: string) {
    if (running) return;
    say(`$ ${line}`, "prompt-line");
    if (line.trim()) {
      if (history[history.length - 1] !== line) history.push(line);
      while (history.length > 200) history.shift();
      localStorage.setItem(HISTORY_KEY, JSON.stringify(history));
    }
    cursor = history.length;
    running = true;
    input.disabled = true;
    try {
      if (!engine.can("terminal")) say(tf("terminal.unavailable", { command: line }), "err");
      else await exec(line);
    } catch (e) {
      say(messageOf(e), "err");
    } finally {
      running = false;
      input.disabled = false;
      input.focus();
    }
  }

  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      const line = input.value;
      input.value = "";
      ctx.guard(() => submit(line));
    } else if (e.key === "ArrowUp" && cursor > 0) {
      input.value = history[--cursor];
      e.preventDefault();
    } else if (e.key === "ArrowDown") {
      cursor = Math.min(cursor + 1, history.length);
      input.value = history[cursor] ?? "";
      e.preventDefault();
    } else if (e.key === "l" && e.ctrlKey) {
      screen.replaceChildren();
      e.preventDefault();
    }
  });
  screen.addEventListener("click", () => {
    if (!window.getSelection()?.toString()) input.focus();
  });

  const intro = () => say(t("terminal.intro"), "muted");
  ctx.on("lang", () => {});
  root.append(screen, h("div", { class: "terminal-prompt" }, h("span", { class: "prompt", "aria-hidden": "true" }, "$"), input));
  intro();
};
