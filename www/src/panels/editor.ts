// The editor: CodeMirror 6 on the open file, Dockerfile highlighting, lint diagnostics
// from the engine inline as the user types (debounced), the line a build error points
// at highlighted, Ctrl/Cmd+Enter to build.

import { EditorState, Prec, StateEffect, StateField, type Extension, Compartment } from "@codemirror/state";
import { Decoration, EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection, type DecorationSet } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { HighlightStyle, bracketMatching, syntaxHighlighting } from "@codemirror/language";
import { linter, lintGutter, type Diagnostic as CmDiagnostic, forceLinting } from "@codemirror/lint";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { tags } from "@lezer/highlight";
import { dockerfileLanguage, dockerignoreLanguage } from "../dockerfile-lang";
import { h, humanSize } from "../dom";
import { t, tf } from "../i18n";
import { isUnavailable, messageOf } from "../engine";
import type { Panel } from "../panel";

const highlight = HighlightStyle.define([
  { tag: tags.keyword, class: "tok-keyword" },
  { tag: tags.comment, class: "tok-comment" },
  { tag: tags.meta, class: "tok-meta" },
  { tag: tags.string, class: "tok-string" },
  { tag: tags.variableName, class: "tok-variable" },
  { tag: tags.attributeName, class: "tok-flag" },
  { tag: tags.labelName, class: "tok-stage" },
  { tag: tags.propertyName, class: "tok-property" },
  { tag: tags.special(tags.string), class: "tok-special" },
  { tag: tags.operator, class: "tok-operator" },
  { tag: tags.invalid, class: "tok-invalid" },
]);

const theme = EditorView.theme({
  "&": { height: "100%", fontSize: "13.5px", backgroundColor: "var(--bg-editor)", color: "var(--fg)" },
  ".cm-content": { fontFamily: "var(--mono)", caretColor: "var(--accent)" },
  ".cm-gutters": { backgroundColor: "var(--bg-editor)", color: "var(--fg-muted)", border: "none" },
  ".cm-activeLine": { backgroundColor: "var(--bg-active-line)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--bg-active-line)" },
  "&.cm-focused .cm-cursor": { borderLeftColor: "var(--accent)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": { backgroundColor: "var(--bg-selection) !important" },
  ".cm-error-line": { backgroundColor: "var(--bg-error-line)" },
  ".cm-tooltip": { backgroundColor: "var(--bg-panel)", color: "var(--fg)", border: "1px solid var(--border)" },
});

/** The line a build error points at, highlighted until the next edit. */
const setErrorLine = StateEffect.define<number | null>();
const errorLine = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    for (const e of tr.effects) {
      if (e.is(setErrorLine)) {
        if (e.value === null || e.value < 1 || e.value > tr.state.doc.lines) return Decoration.none;
        return Decoration.set([Decoration.line({ class: "cm-error-line", attributes: { "data-error-line": String(e.value) } }).range(tr.state.doc.line(e.value).from)]);
      }
    }
    return tr.docChanged ? Decoration.none : deco.map(tr.changes);
  },
  provide: (f) => EditorView.decorations.from(f),
});

export const editor: Panel = (root, ctx) => {
  const { app, engine, actions } = ctx;
  const title = h("div", { class: "editor-title" });
  const host = h("div", { class: "editor-host" });
  const binary = h("div", { class: "editor-binary note", hidden: true });
  const language = new Compartment();
  const lint = new Compartment();
  const label = new Compartment();
  let openPath = "";
  let applying = false;

  const isDockerfile = (p: string) => p === app.ws.dockerfile || /(^|\/)(Dockerfile|[^/]*\.[Dd]ockerfile|Dockerfile\.[^/.]+)$/.test(p);
  const languageFor = (p: string): Extension => (isDockerfile(p) ? dockerfileLanguage : /(^|\/)\.dockerignore$|\.dockerignore$/.test(p) ? dockerignoreLanguage : []);

  const lintSource = linter(
    async (view): Promise<CmDiagnostic[]> => {
      if (openPath !== app.ws.dockerfile || !engine.can("lint")) return [];
      const text = view.state.doc.toString();
      try {
        const diags = await engine.call("lint", { dockerfile: text });
        if (view.state.doc.toString() !== text) return [];
        app.diagnostics = diags;
        app.emit("diagnostics", diags);
        const doc = view.state.doc;
        const pos = (line: number, col: number) => {
          const l = doc.line(Math.min(Math.max(line, 1), doc.lines));
          return Math.min(l.from + Math.max(col - 1, 0), l.to);
        };
        return diags.map((d) => {
          const from = pos(d.line, d.column);
          let to = pos(d.endLine || d.line, d.endColumn || d.column);
          if (to <= from) to = Math.min(doc.lineAt(from).to, from + 1) || from;
          return {
            from,
            to: Math.max(to, from),
            severity: d.severity,
            source: d.rule,
            message: d.message,
            renderMessage: () => h("span", {}, d.message, d.url ? h("a", { href: d.url, target: "_blank", rel: "noopener" }, ` ${d.rule} ↗`) : ` (${d.rule})`),
          };
        });
      } catch (e) {
        if (!isUnavailable(e)) console.warn("lint:", messageOf(e));
        return [];
      }
    },
    { delay: 250 },
  );

  const view = new EditorView({
    parent: host,
    state: EditorState.create({
      doc: "",
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        drawSelection(),
        history(),
        bracketMatching(),
        highlightSelectionMatches(),
        syntaxHighlighting(highlight),
        theme,
        errorLine,
        language.of([]),
        lint.of([]),
        lintGutter(),
        Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => (actions.build(), true) }])),
        keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, indentWithTab]),
        label.of(EditorView.contentAttributes.of({ "aria-label": t("editor.label") })),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !applying && openPath) app.setText(openPath, u.state.doc.toString());
        }),
      ],
    }),
  });

  function useAsDockerfile(path: string) {
    app.ws.dockerfile = path;
    app.setOptions({});
    app.emit("files");
    show();
  }

  function show() {
    const path = app.ws.open;
    const entry = app.ws.files.get(path);
    const text = entry?.kind === "file" ? app.text(path) : null;
    title.replaceChildren(
      h(
        "span",
        { class: "editor-path" },
        h("span", { class: "path" }, path || t("editor.noFile")),
        path === app.ws.dockerfile ? h("span", { class: "badge", text: "files.dockerfileBadge" }) : null,
        path === app.ws.dockerfile && !engine.can("lint") && engine.status === "ready" ? h("span", { class: "badge muted", text: "editor.lintUnavailable" }) : null,
      ),
      ...(path !== app.ws.dockerfile && entry?.kind === "file" && isDockerfile(path)
        ? [h("button", { class: "text-button", id: "use-as-dockerfile", on: { click: () => ctx.guard(() => useAsDockerfile(path)) } }, tf("files.useAsDockerfile", { path }))]
        : []),
    );
    if (entry && entry.kind === "file" && text === null) {
      binary.hidden = false;
      binary.textContent = tf("editor.binary", { size: humanSize(entry.data.length) });
      host.hidden = true;
      openPath = "";
      return;
    }
    binary.hidden = true;
    host.hidden = !entry || entry.kind !== "file";
    if (host.hidden) {
      openPath = "";
      binary.hidden = false;
      binary.textContent = entry ? tf("editor.notAFile", { path }) : t("editor.pickFile");
      return;
    }
    const changedFile = openPath !== path;
    openPath = path;
    applying = true;
    const current = view.state.doc.toString();
    view.dispatch({
      changes: current === text ? undefined : { from: 0, to: current.length, insert: text ?? "" },
      effects: [
        language.reconfigure(languageFor(path)),
        lint.reconfigure(path === app.ws.dockerfile && engine.can("lint") ? lintSource : []),
        ...(changedFile ? [setErrorLine.of(null)] : []),
      ],
    });
    applying = false;
  }

  ctx.on("open", show);
  ctx.on("files", () => {
    // External changes (upload, example, rename) to the open file.
    if (app.ws.open !== openPath || app.text(openPath) !== view.state.doc.toString()) show();
  });
  ctx.on("engine", () => {
    show();
    forceLinting(view);
  });
  ctx.on("lang", () => {
    view.dispatch({ effects: label.reconfigure(EditorView.contentAttributes.of({ "aria-label": t("editor.label") })) });
    show();
  });
  ctx.on("goto-line", ({ line, error }) => {
    if (app.ws.open !== app.ws.dockerfile) app.openFile(app.ws.dockerfile);
    if (line < 1 || line > view.state.doc.lines) return;
    const pos = view.state.doc.line(line).from;
    view.dispatch({ selection: { anchor: pos }, effects: [EditorView.scrollIntoView(pos, { y: "center" }), setErrorLine.of(error ? line : null)] });
    view.focus();
  });

  root.append(title, host, binary);
  show();
  (window as unknown as { dfplayEditor: EditorView }).dfplayEditor = view;
};
