// Dockerfile highlighting for CodeMirror: a small stream parser that knows parser
// directives, comments, instructions, flags (`--from=`), variables, strings, heredoc
// bodies, JSON (exec) form and line continuations. Highlighting only: the engine's
// parser is the judge of what is valid (its diagnostics come from lint).

import { StreamLanguage, type StringStream } from "@codemirror/language";

const INSTRUCTIONS = new Set([
  "from", "run", "cmd", "label", "maintainer", "expose", "env", "add", "copy", "entrypoint",
  "volume", "user", "workdir", "arg", "onbuild", "stopsignal", "healthcheck", "shell",
]);

interface State {
  /** At the start of an instruction (not inside a continuation). */
  lineStart: boolean;
  /** The instruction of the current logical line. */
  instruction: string | null;
  /** Heredoc delimiters waiting for their body lines. */
  heredocs: string[];
  inHeredoc: string | null;
  /** Still in the parser-directive block at the top of the file. */
  directives: boolean;
  continued: boolean;
  afterAs: boolean;
}

export const dockerfileLanguage = StreamLanguage.define<State>({
  name: "dockerfile",
  startState: () => ({ lineStart: true, instruction: null, heredocs: [], inHeredoc: null, directives: true, continued: false, afterAs: false }),
  copyState: (s) => ({ ...s, heredocs: [...s.heredocs] }),
  token(stream: StringStream, state: State): string | null {
    if (stream.sol()) {
      if (state.inHeredoc === null && state.heredocs.length > 0 && !state.continued) state.inHeredoc = state.heredocs.shift()!;
      if (state.inHeredoc !== null) {
        const line = stream.string.replace(/^\t+/, "");
        if (line === state.inHeredoc) state.inHeredoc = state.heredocs.length ? state.heredocs.shift()! : null;
        stream.skipToEnd();
        return "string";
      }
      state.lineStart = !state.continued;
      state.continued = false;
    }
    if (stream.eatSpace()) return null;
    // Comments and parser directives: only where a new instruction could start.
    if (state.lineStart && stream.peek() === "#") {
      if (state.directives && /^#\s*(syntax|escape|check)\s*=/i.test(stream.string.slice(stream.pos))) {
        stream.skipToEnd();
        return "meta";
      }
      stream.skipToEnd();
      return "comment";
    }
    if (state.lineStart) {
      state.directives = false;
      state.lineStart = false;
      const word = stream.match(/^[A-Za-z]+/) as RegExpMatchArray | null;
      if (word) {
        const w = word[0].toLowerCase();
        state.instruction = w;
        state.afterAs = false;
        return INSTRUCTIONS.has(w) ? "keyword" : "invalid";
      }
    }
    // A continuation backslash at the end of the line.
    if (stream.match(/^\\\s*$/)) {
      state.continued = true;
      return "operator";
    }
    if (stream.match(/^--[A-Za-z][\w-]*/)) {
      if (stream.eat("=")) return "attributeName";
      return "attributeName";
    }
    if (stream.match(/^<<-?(["']?)([A-Za-z_][\w]*)\1/)) {
      const m = /^<<-?(["']?)([A-Za-z_][\w]*)\1/.exec(stream.current());
      if (m && (state.instruction === "run" || state.instruction === "copy" || state.instruction === "add")) state.heredocs.push(m[2]);
      return "special";
    }
    if (stream.match(/^\$\{[^}]*\}/) || stream.match(/^\$[A-Za-z_][\w]*/)) return "variableName";
    const ch = stream.peek();
    if (ch === '"' || ch === "'") {
      stream.next();
      let escaped = false;
      let c: string | void;
      while ((c = stream.next()) !== undefined) {
        if (c === ch && !escaped) break;
        escaped = !escaped && c === "\\";
      }
      return "string";
    }
    if (ch === "[" || ch === "]" || ch === ",") {
      stream.next();
      return "bracket";
    }
    if (state.instruction === "from" && stream.match(/^as\b/i)) {
      state.afterAs = true;
      return "keyword";
    }
    if (stream.match(/^[^\s"'$\\[\],]+/)) {
      if (state.instruction === "from" && state.afterAs) return "labelName";
      if ((state.instruction === "env" || state.instruction === "label" || state.instruction === "arg") && /=/.test(stream.current())) return "propertyName";
      return null;
    }
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: "#" } },
});

/** `.dockerignore`: comments and `!` re-includes. */
export const dockerignoreLanguage = StreamLanguage.define<null>({
  name: "dockerignore",
  startState: () => null,
  token(stream: StringStream): string | null {
    if (stream.sol() && stream.peek() === "#") {
      stream.skipToEnd();
      return "comment";
    }
    if (stream.sol() && stream.eat("!")) return "operator";
    if (stream.match(/^[*?]+/)) return "special";
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: "#" } },
});
