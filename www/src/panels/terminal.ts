// A terminal that takes the docker commands of the books (`docker image build -t x .`,
// `docker run`, `docker images --filter label=…`, `docker history`, `docker tag`,
// `docker rmi` …) and runs them on the same engine as the rest of the page. The line is
// parsed by the engine (crate/terminal.rs), so quoting and flags follow docker's rules.

import { h } from "../dom";
import { t, tf } from "../i18n";
import { messageOf } from "../engine";
import type { Panel } from "../panel";
import type { BuildEvent, ContextEntry, TerminalCommand } from "../protocol";

const HISTORY_KEY = "dfplay.terminal.history";

export const terminal: Panel = (root, ctx) => {
  const { app, engine, actions } = ctx;
  const screen = h("pre", { class: "terminal-screen", id: "terminal-output", role: "log", "aria-live": "polite", label: "terminal.output" });
  const input = h("input", { class: "terminal-input", id: "terminal-input", type: "text", label: "terminal.input", spellcheck: "false", autocomplete: "off", autocapitalize: "off" }) as HTMLInputElement;
  const history: string[] = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? "[]");
  let cursor = history.length;
  let running = false;

  const print = (text: string, cls = "") => {
    const span = h("span", { class: cls }, text.endsWith("\n") || text === "" ? text : text + "\n");
    screen.append(span);
    screen.scrollTop = screen.scrollHeight;
  };

  function contextFor(path: string): ContextEntry[] | string {
    const dir = path.replace(/^\.\/?/, "").replace(/\/+$/, "");
    if (!dir) return app.entries();
    const entries = app.entries().filter((e) => e.path.startsWith(dir + "/")).map((e) => ({ ...e, path: e.path.slice(dir.length + 1) }));
    return entries.length ? entries : tf("terminal.noContext", { path });
  }

  /** Runs one parsed command; resolves with its exit status. */
  async function exec(c: TerminalCommand, line: string): Promise<number> {
    switch (c.kind) {
      case "clear":
        screen.replaceChildren();
        return 0;
      case "help": {
        print(await engine.call("commandHelp", { topic: c.topic }));
        return 0;
      }
      case "version":
        print(`dfplay ${engine.info?.version ?? "?"} (${t("terminal.versionNote")})`);
        return 0;
      case "unsupported":
        print(`${c.command}: ${c.reason}`, "err");
        return 1;
    }
    if (engine.can("terminal")) {
      const files = c.kind === "build" ? contextFor(c.context) : app.entries();
      if (typeof files === "string") {
        print(files, "err");
        return 1;
      }
      const r = await engine.call("terminal", { line, files }, { onEvent: (e) => print(e.text), journal: ["build", "tag", "rmi", "prune"].includes(c.kind) });
      if (r.output) print(r.output);
      if (["build", "tag", "rmi", "prune"].includes(c.kind)) app.emit("images");
      return r.exitCode;
    }
    if (c.kind === "build" && engine.can("build") && actions.buildWith) {
      const files = contextFor(c.context);
      if (typeof files === "string") {
        print(files, "err");
        return 1;
      }
      for (const ignoredFlag of c.ignored) print(tf("terminal.ignoredFlag", { flag: ignoredFlag }), "muted");
      // `--progress=plain` as the events arrive.
      const onEvent = (ev: BuildEvent) => {
        if (ev.type === "start") print(`#${ev.v} ${ev.name}`);
        else if (ev.type === "status") print(`#${ev.v} ${ev.text}`);
        else if (ev.type === "cached") print(`#${ev.v} CACHED`);
        else if (ev.type === "done") print(`#${ev.v} DONE ${ev.secs.toFixed(1)}s`);
        else if (ev.type === "log") print(`#${ev.v} ${ev.at.toFixed(3)} ${ev.line}`);
        else if (ev.type === "error") print(`#${ev.v} ERROR: ${ev.message}`, "err");
      };
      app.on("build-event", onEvent as (e: BuildEvent) => void);
      try {
        const dockerfile = c.file ? c.file.replace(/^\.\//, "") : "Dockerfile";
        const ok = await actions.buildWith({ tags: c.tags, target: c.target ?? "", buildArgs: c.buildArgs.map((a) => ({ name: a.name, value: a.value ?? "" })), noCache: c.noCache, dockerfile });
        const last = app.lastBuild;
        if (last) print(`[+] Building ${(last.ms / 1000).toFixed(1)}s (${last.completed}/${last.total}) ${ok ? "FINISHED" : "ERROR"}`, ok ? "ok" : "err");
        if (last?.error) print(`ERROR: ${last.error.message}`, "err");
        return ok ? 0 : 1;
      } finally {
        app.off("build-event", onEvent as (e: BuildEvent) => void);
      }
    }
    print(tf("terminal.unavailable", { command: `docker ${c.kind}` }), "err");
    return 1;
  }

  async function submit(line: string) {
    if (running) return;
    print(`$ ${line}`, "prompt-line");
    if (line.trim()) {
      if (history[history.length - 1] !== line) history.push(line);
      while (history.length > 200) history.shift();
      localStorage.setItem(HISTORY_KEY, JSON.stringify(history));
    }
    cursor = history.length;
    running = true;
    input.disabled = true;
    try {
      const steps = await engine.call("parseCommandLine", { line });
      let status = 0;
      for (const step of steps) {
        if (step.join === "ifOk" && status !== 0) continue;
        try {
          status = await exec(step.command, line);
        } catch (e) {
          print(messageOf(e), "err");
          status = 1;
        }
      }
    } catch (e) {
      print(messageOf(e), "err");
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

  const intro = () => print(t("terminal.intro"), "muted");
  ctx.on("lang", () => {});
  root.append(screen, h("div", { class: "terminal-prompt" }, h("span", { class: "prompt", "aria-hidden": "true" }, "$"), input));
  intro();
};
