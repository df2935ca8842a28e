// Run an image: command override and environment, the `docker run` line it amounts
// to, the output and the exit code. Containers run in the engine's builtin shell on
// the image's filesystem (simulated: no kernel, no network).

import { h } from "../dom";
import { t, tf } from "../i18n";
import { messageOf } from "../engine";
import type { Panel } from "../panel";
import { imagePicker } from "./images-select";
import { shellQuote } from "./options";

export const run: Panel = (root, ctx) => {
  const { engine } = ctx;
  const cmd = h("input", { id: "run-command", type: "text", hint: "run.commandHint", spellcheck: "false", autocomplete: "off" }) as HTMLInputElement;
  const env = h("textarea", { id: "run-env", rows: "2", hint: "run.envHint", spellcheck: "false" }) as HTMLTextAreaElement;
  const output = h("pre", { class: "run-output", id: "run-output", role: "log", label: "run.output" });
  const exit = h("span", { class: "exit-code", id: "run-exit", role: "status" });
  const line = h("code", { class: "command-line", id: "run-line" });
  const note = h("p", { class: "note", text: "run.simulated" });
  const argvLine = h("p", { class: "note run-argv", id: "run-argv" });
  const runBtn = h("button", { class: "primary", id: "run-button", label: "run.button", on: { click: () => ctx.guard(go) } }, h("span", { text: "run.button" }));
  let image: string | null = null;

  const picker = imagePicker(ctx, "run-image", (ref) => {
    image = ref;
    update();
  });

  const envList = () => env.value.split("\n").map((l) => l.trim()).filter(Boolean);

  function update() {
    const parts = ["docker", "run", "--rm", ...envList().flatMap((e) => ["-e", e]), image ?? "IMAGE"];
    line.textContent = parts.map(shellQuote).join(" ") + (cmd.value.trim() ? " " + cmd.value.trim() : "");
    runBtn.disabled = !image || !engine.can("run");
    runBtn.title = engine.can("run") ? "" : t("run.unavailable");
  }

  async function go() {
    if (!image) return;
    output.textContent = "";
    exit.textContent = "";
    exit.className = "exit-code";
    // The command words as a shell would split them: parsed by the engine's terminal parser.
    let command: string[] | null = null;
    if (cmd.value.trim()) {
      const steps = await engine.call("parseCommandLine", { line: `docker run IMAGE ${cmd.value}` });
      const c = steps[0]?.command;
      if (steps.length !== 1 || !c || c.kind !== "run") throw new Error(t("run.badCommand"));
      command = c.command;
    }
    runBtn.disabled = true;
    try {
      const r = await engine.call("run", { image, command, entrypoint: null, env: envList() });
      output.replaceChildren(...r.chunks.map((c) => h("span", { class: c.stream, title: t(c.stream === "stderr" ? "run.stderr" : "run.stdout") }, c.text)));
      argvLine.textContent = r.argv.length ? tf("run.argv", { argv: JSON.stringify(r.argv) }) : "";
      exit.textContent = tf("run.exit", { code: r.exitCode });
      exit.className = `exit-code ${r.exitCode === 0 ? "ok" : "bad"}`;
    } catch (e) {
      output.textContent = messageOf(e);
      exit.className = "exit-code bad";
    } finally {
      update();
    }
  }

  cmd.addEventListener("input", update);
  cmd.addEventListener("keydown", (e) => e.key === "Enter" && ctx.guard(go));
  env.addEventListener("input", update);
  ctx.on("engine", update);
  ctx.on("lang", update);

  root.append(
    h(
      "div",
      { class: "run-form" },
      h("label", { class: "field" }, h("span", { text: "image.pick" }), picker.el),
      h("label", { class: "field" }, h("span", { text: "run.command" }), cmd),
      h("label", { class: "field" }, h("span", { text: "run.env" }), env),
      h("div", { class: "build-row" }, runBtn, exit),
    ),
    h("div", { class: "command-row" }, h("span", { class: "note", text: "options.equivalent" }), line),
    note,
    argvLine,
    output,
  );
  ctx.guard(picker.refresh);
  update();
};
