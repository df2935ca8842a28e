//! Reads a program's source and works out what it does on start-up, for the
//! simulated compilers and interpreters: the lines it prints (string literals,
//! environment variables, arguments, `printf`-style formats and simple variables
//! followed through assignments), the server it starts and the exit it takes,
//! plus the facts the simulated tools check (Go's package clause and imports,
//! `func main`, JavaScript `require`s, Python imports, Java classes).
//!
//! It is a straight-line reading, not an interpreter: the body of `main` (Go,
//! Java, C) or the module's top level (JavaScript, Python) runs in order; the
//! bodies of `if`, loops, `switch`, `catch` and of functions that are not called
//! from there (request handlers) are skipped; named functions called from there
//! are followed a few levels deep; callbacks of `listen(…)`/`setTimeout` run.
//! Anything it cannot compute is shown as `<source text>`.
//!
//! Invariant: any input gives an answer in bounded steps; nothing panics.

pub mod lex;

use super::program::{Action, Part, Stream};
use lex::{lex, match_brackets, Kind, Lang, Piece, Tok};
use std::collections::HashMap;

const MAX_STEPS: usize = 400_000;
const MAX_ACTIONS: usize = 1_000;
const MAX_DEPTH: u32 = 6;
const MAX_NEST: u32 = 120;
const MAX_PARTS_TEXT: usize = 64 * 1024;

/// What the scanner found in one source file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Analysis {
    pub actions: Vec<Action>,
    /// A `main` entry point exists (Go/Java/C `main`; always true for scripts).
    pub has_main: bool,
    /// Go/Java package name.
    pub package: Option<String>,
    /// The first token (text, line, column) or `None` for an empty file: Go checks it is `package`.
    pub first: Option<(String, bool, u32, u32)>,
    /// Line and column of the end of the file.
    pub eof: (u32, u32),
    /// Imported packages/modules (Go import paths, `require`/`import` names, Python top-level modules).
    pub imports: Vec<String>,
    /// Java: top-level class names; whether the source is a Spring Boot application.
    pub classes: Vec<String>,
    pub spring_boot: bool,
    /// Java: `@Test` annotations counted.
    pub tests: usize,
}

/// Analyzes `src`. `spring_port` is the port a Spring Boot application would use.
pub fn analyze(lang: Lang, src: &str, spring_port: &str) -> Analysis {
    let mut it = Interp::new(lang, src, 0);
    it.spring_port = spring_port.to_string();
    let mut a = Analysis::default();
    it.facts(&mut a);
    match lang {
        Lang::Go => {
            it.go_toplevel();
            for entry in ["init", "main"] {
                if let Some(&(lo, hi)) = it.funcs.get(entry) {
                    it.exec(lo, hi);
                }
            }
            a.has_main = it.funcs.contains_key("main");
        }
        Lang::Java | Lang::C => {
            a.has_main = it.funcs.contains_key("main");
            if let Some(&(lo, hi)) = it.funcs.get("main") {
                it.in_c_main = lang == Lang::C;
                it.exec(lo, hi);
            }
        }
        Lang::Js | Lang::Python => {
            a.has_main = true;
            let n = it.t.len();
            it.exec(0, n);
        }
    }
    a.actions = it.actions;
    a.imports.extend(it.requires);
    a.imports.dedup();
    a.spring_boot |= it.spring;
    a
}

enum Flow {
    Normal,
    Return,
}

struct Interp {
    lang: Lang,
    src: String,
    t: Vec<Tok>,
    m: Vec<Option<usize>>,
    vars: HashMap<String, Vec<Part>>,
    funcs: HashMap<String, (usize, usize)>,
    actions: Vec<Action>,
    requires: Vec<String>,
    steps: usize,
    stopped: bool,
    depth: u32,
    server_addr: Option<Vec<Part>>,
    spring_port: String,
    spring: bool,
    in_c_main: bool,
    /// Recursion depth of eval/exec (bounded: deeply nested input cannot overflow the stack).
    nest: u32,
    imports_gin: bool,
    imports_echo: bool,
    imports_flask: bool,
}

fn text(s: &str) -> Vec<Part> {
    vec![Part::text(s)]
}

fn expr(s: &str) -> Vec<Part> {
    // only the start of a long expression is ever shown
    let head = match s.char_indices().nth(200) {
        Some((i, _)) => &s[..i],
        None => s,
    };
    let s: String = head.split_whitespace().collect::<Vec<_>>().join(" ");
    let s = if s.len() > 80 { format!("{}…", s.chars().take(60).collect::<String>()) } else { s };
    vec![Part::Expr { src: s }]
}

/// Most parts one value may have (a value doubled line after line stays small).
const MAX_PARTS: usize = 256;

/// Merges adjacent text parts.
fn tidy(parts: Vec<Part>) -> Vec<Part> {
    let mut out: Vec<Part> = Vec::with_capacity(parts.len().min(MAX_PARTS));
    for p in parts {
        if out.len() >= MAX_PARTS {
            out.push(Part::Expr { src: "…".into() });
            break;
        }
        if let (Some(Part::Text { v: a }), Part::Text { v: b }) = (out.last_mut(), &p) {
            if a.len() + b.len() <= MAX_PARTS_TEXT {
                a.push_str(b);
            }
            continue;
        }
        if matches!(&p, Part::Text { v } if v.is_empty()) {
            continue;
        }
        out.push(p);
    }
    out
}

fn join(vals: Vec<Vec<Part>>, sep: &str) -> Vec<Part> {
    let mut out = Vec::new();
    for (i, v) in vals.into_iter().enumerate() {
        if out.len() > MAX_PARTS {
            break;
        }
        if i > 0 && !sep.is_empty() {
            out.push(Part::text(sep));
        }
        out.extend(v);
    }
    tidy(out)
}

fn as_text(parts: &[Part]) -> Option<String> {
    let mut s = String::new();
    for p in parts {
        match p {
            Part::Text { v } => s.push_str(v),
            _ => return None,
        }
    }
    Some(s)
}

fn ends_with_newline(parts: &[Part]) -> bool {
    matches!(parts.last(), Some(Part::Text { v }) if v.ends_with('\n'))
}

impl Interp {
    fn new(lang: Lang, src: &str, depth: u32) -> Self {
        let t = lex(lang, src);
        let m = match_brackets(&t);
        Interp {
            lang,
            src: src.to_string(),
            t,
            m,
            vars: HashMap::new(),
            funcs: HashMap::new(),
            actions: Vec::new(),
            requires: Vec::new(),
            steps: 0,
            stopped: false,
            depth,
            server_addr: None,
            spring_port: "8080".into(),
            spring: false,
            in_c_main: false,
            nest: 0,
            imports_gin: false,
            imports_echo: false,
            imports_flask: false,
        }
    }

    // ----- token helpers ----------------------------------------------------------

    fn is(&self, i: usize, p: &str) -> bool {
        self.t.get(i).is_some_and(|t| t.is(p))
    }
    fn kind(&self, i: usize) -> Option<Kind> {
        self.t.get(i).map(|t| t.kind)
    }
    fn ident(&self, i: usize) -> Option<&str> {
        self.t.get(i).filter(|t| t.kind == Kind::Ident).map(|t| t.text.as_str())
    }
    /// The index after the bracket group opening at `i` (or `i + 1`).
    fn after_group(&self, i: usize) -> usize {
        match self.m.get(i).copied().flatten() {
            Some(c) if c > i => c + 1,
            _ => i + 1,
        }
    }
    fn close_of(&self, i: usize) -> Option<usize> {
        self.m.get(i).copied().flatten().filter(|&c| c > i)
    }
    fn src_of(&self, lo: usize, hi: usize) -> &str {
        if lo >= hi || hi > self.t.len() {
            return "";
        }
        let a = self.t[lo].start;
        let b = self.t[hi - 1].end;
        self.src.get(a..b).unwrap_or("")
    }
    fn is_opener(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| t.kind == Kind::Punct && matches!(t.text.as_str(), "(" | "[" | "{"))
    }
    fn is_closer(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| t.kind == Kind::Punct && matches!(t.text.as_str(), ")" | "]" | "}"))
    }
    fn starts_line(&self, i: usize) -> bool {
        i == 0 || self.kind(i - 1) == Some(Kind::Newline)
    }
    fn tick(&mut self) -> bool {
        self.steps += 1;
        !self.stopped && self.steps < MAX_STEPS && self.actions.len() < MAX_ACTIONS
    }

    /// Does a newline at `i` end the statement? (Not after an operator or before a `.` chain.)
    fn newline_ends(&self, i: usize) -> bool {
        match self.lang {
            Lang::Java | Lang::C => false,
            Lang::Python => true,
            Lang::Go | Lang::Js => {
                let prev = (0..i).rev().find(|&k| self.kind(k) != Some(Kind::Newline));
                if let Some(p) = prev {
                    let t = &self.t[p];
                    if t.kind == Kind::Punct && matches!(t.text.as_str(), "+" | "," | "(" | "[" | "{" | "." | "=" | "=>" | "||" | "&&" | "??" | ":" | "?" | ":=" | "-" | "*") {
                        return false;
                    }
                }
                let next = (i..self.t.len()).find(|&k| self.kind(k) != Some(Kind::Newline));
                !next.is_some_and(|n| self.is(n, ".") || self.is(n, "?") || self.is(n, ":"))
            }
        }
    }

    /// End (exclusive) of the statement starting at `i`, within `hi`.
    fn stmt_end(&self, i: usize, hi: usize) -> usize {
        let mut j = i;
        while j < hi {
            let t = &self.t[j];
            if self.is_opener(j) {
                j = self.after_group(j).min(hi);
                // Go/JS/Java/C: a `{ … }` block that is a statement's body ends the statement only for blocks
                continue;
            }
            if t.kind == Kind::Newline && self.newline_ends(j) {
                return j;
            }
            if t.is(";") || self.is_closer(j) {
                return j;
            }
            j += 1;
        }
        hi
    }

    /// Python: the end of the indented block after the header that ends at `nl` (a newline).
    fn py_block_end(&self, nl: usize, base: u32, hi: usize) -> usize {
        let mut k = nl + 1;
        while k < hi {
            if self.kind(k) != Some(Kind::Newline) && self.starts_line(k) && self.t[k].indent <= base {
                return k;
            }
            k += 1;
        }
        hi
    }

    /// Python: the index of the newline ending the logical line that starts at `i`.
    fn py_line_end(&self, i: usize, hi: usize) -> usize {
        let mut j = i;
        while j < hi {
            if self.is_opener(j) {
                j = self.after_group(j);
                continue;
            }
            if self.kind(j) == Some(Kind::Newline) {
                return j;
            }
            j += 1;
        }
        hi
    }

    /// Splits `lo..hi` at depth-0 commas.
    fn split_args(&self, lo: usize, hi: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = lo;
        let mut j = lo;
        while j < hi {
            if self.is_opener(j) {
                j = self.after_group(j).min(hi);
                continue;
            }
            if self.is(j, ",") {
                out.push(self.trim(start, j));
                start = j + 1;
            }
            j += 1;
        }
        let last = self.trim(start, hi);
        if last.0 < last.1 {
            out.push(last);
        }
        out.retain(|(a, b)| a < b);
        out
    }

    fn trim(&self, mut lo: usize, mut hi: usize) -> (usize, usize) {
        while lo < hi && self.kind(lo) == Some(Kind::Newline) {
            lo += 1;
        }
        while hi > lo && self.kind(hi - 1) == Some(Kind::Newline) {
            hi -= 1;
        }
        (lo, hi)
    }

    /// Finds the first depth-0 token among `ops` in `lo..hi`.
    fn find_top(&self, lo: usize, hi: usize, ops: &[&str]) -> Option<usize> {
        let mut j = lo;
        while j < hi {
            if self.is_opener(j) {
                j = self.after_group(j);
                continue;
            }
            if ops.iter().any(|o| self.is(j, o)) {
                return Some(j);
            }
            j += 1;
        }
        None
    }

    // ----- facts --------------------------------------------------------------------

    fn facts(&mut self, a: &mut Analysis) {
        let first = self.t.iter().position(|t| t.kind != Kind::Newline);
        a.first = first.map(|i| {
            let t = &self.t[i];
            let shown = match t.kind {
                Kind::Ident if is_go_keyword(&t.text) => format!("'{}'", t.text),
                Kind::Ident => t.text.clone(),
                Kind::Str => self.src.get(t.start..t.end).unwrap_or("").to_string(),
                Kind::Num => self.src.get(t.start..t.end).unwrap_or("").to_string(),
                Kind::Punct => format!("'{}'", t.text),
                Kind::Newline => "newline".into(),
            };
            (shown, t.is("package"), t.line, t.col)
        });
        let lines = self.src.split('\n').count() as u32;
        let last_col = self.src.rsplit('\n').next().map(|l| l.len() as u32 + 1).unwrap_or(1);
        a.eof = (lines.max(1), last_col);
        match self.lang {
            Lang::Go => self.go_facts(a),
            Lang::Java => self.java_facts(a),
            Lang::C => self.c_funcs(),
            Lang::Js => self.js_funcs(),
            Lang::Python => self.py_facts(a),
        }
        self.imports_gin = a.imports.iter().any(|i| i.contains("gin-gonic/gin"));
        self.imports_echo = a.imports.iter().any(|i| i.contains("labstack/echo"));
        self.imports_flask = a.imports.iter().any(|i| i == "flask");
    }

    /// Visits the tokens outside groups (any bracket group, or only `{…}` when
    /// `braces_only`), while the step budget lasts. `at` returns the index to go on
    /// from, or `None` for the next token.
    fn walk_top(&mut self, braces_only: bool, mut at: impl FnMut(&mut Self, usize) -> Option<usize>) {
        let n = self.t.len();
        let mut i = 0;
        while i < n && self.tick() {
            if if braces_only { self.is(i, "{") } else { self.is_opener(i) } {
                i = self.after_group(i);
                continue;
            }
            i = at(self, i).unwrap_or(i + 1);
        }
    }

    /// `(…) { body }` from the `(` at `open`: the body's token range.
    fn params_then_body(&self, open: usize) -> Option<(usize, usize)> {
        if !self.is(open, "(") {
            return None;
        }
        let after = self.after_group(open);
        if !self.is(after, "{") {
            return None;
        }
        Some((after + 1, self.close_of(after)?))
    }

    fn go_facts(&mut self, a: &mut Analysis) {
        let n = self.t.len();
        self.walk_top(false, |me, i| me.go_fact(a, i, n));
    }

    fn go_fact(&mut self, a: &mut Analysis, i: usize, n: usize) -> Option<usize> {
        if self.is(i, "package") && a.package.is_none() {
            a.package = self.ident(i + 1).map(str::to_string);
        } else if self.is(i, "import") {
            if self.is(i + 1, "(") {
                let end = self.after_group(i + 1);
                for k in i + 2..end.saturating_sub(1) {
                    if self.kind(k) == Some(Kind::Str) {
                        a.imports.push(self.t[k].text.clone());
                    }
                }
                return Some(end);
            }
            let mut k = i + 1;
            while k < n && self.kind(k) != Some(Kind::Str) && self.kind(k) != Some(Kind::Newline) {
                k += 1;
            }
            if self.kind(k) == Some(Kind::Str) {
                a.imports.push(self.t[k].text.clone());
            }
        } else if self.is(i, "func") && self.starts_line(i) {
            // func Name(…) … { body }   (methods `func (r T) Name` are not callable by name)
            if let Some(name) = self.ident(i + 1).map(str::to_string) {
                if let Some((lo, hi, end)) = self.brace_body_after(i + 2, n) {
                    self.funcs.entry(name).or_insert((lo, hi));
                    return Some(end);
                }
            }
        }
        None
    }

    /// Finds the first depth-0 `{` from `i` and returns (body lo, body hi, index after `}`).
    fn brace_body_after(&self, i: usize, hi: usize) -> Option<(usize, usize, usize)> {
        let mut j = i;
        while j < hi {
            if self.is(j, "{") {
                let c = self.close_of(j)?;
                return Some((j + 1, c, c + 1));
            }
            if self.is(j, ";") {
                return None;
            }
            if self.is_opener(j) {
                j = self.after_group(j);
                continue;
            }
            j += 1;
        }
        None
    }

    /// Go: package-level `var`/`const` declarations.
    fn go_toplevel(&mut self) {
        let n = self.t.len();
        let mut i = 0;
        while i < n {
            if !self.tick() {
                break;
            }
            if (self.is(i, "var") || self.is(i, "const")) && self.starts_line(i) {
                if self.is(i + 1, "(") {
                    let end = self.after_group(i + 1);
                    let mut k = i + 2;
                    while k + 1 < end {
                        let e = self.stmt_end(k, end - 1);
                        self.assign(k, e);
                        k = e + 1;
                    }
                    i = end;
                } else {
                    let e = self.stmt_end(i, n);
                    self.assign(i + 1, e);
                    i = e + 1;
                }
                continue;
            }
            if self.is_opener(i) {
                i = self.after_group(i);
                continue;
            }
            i += 1;
        }
    }

    fn java_facts(&mut self, a: &mut Analysis) {
        let n = self.t.len();
        let mut depth = 0i32;
        let mut i = 0;
        while i < n {
            if !self.tick() {
                break;
            }
            let t = &self.t[i];
            if t.is("{") {
                depth += 1;
            } else if t.is("}") {
                depth -= 1;
            } else if t.is("package") && depth == 0 && a.package.is_none() {
                let end = self.stmt_end(i + 1, n);
                a.package = Some(self.src_of(i + 1, end).split_whitespace().collect());
            } else if t.is("import") && depth == 0 {
                let end = self.stmt_end(i + 1, n);
                a.imports.push(self.src_of(i + 1, end).split_whitespace().collect());
            } else if (t.is("class") || t.is("interface") || t.is("enum") || t.is("record")) && depth == 0 {
                if let Some(name) = self.ident(i + 1) {
                    a.classes.push(name.to_string());
                }
            } else if t.is("@") {
                match self.ident(i + 1) {
                    Some("SpringBootApplication") | Some("EnableAutoConfiguration") => a.spring_boot = true,
                    Some("Test") | Some("ParameterizedTest") => a.tests += 1,
                    _ => {}
                }
            } else if depth == 1 && t.kind == Kind::Ident && self.is(i + 1, "(") && !is_c_keyword(&t.text) {
                let name = t.text.clone();
                let after = self.after_group(i + 1);
                if let Some((lo, hi, _)) = self.brace_body_after(after, n) {
                    if self.src_of(after, lo).split_whitespace().all(|w| w == "throws" || w == "{" || w.chars().all(|c| c.is_alphanumeric() || c == '.' || c == ',' || c == '_')) {
                        self.funcs.entry(name).or_insert((lo, hi));
                    }
                }
            }
            i += 1;
        }
    }

    /// Records the function whose name is at `name_at` when `(…) { body }` follows.
    fn func_def(&mut self, name_at: usize) -> Option<usize> {
        let name = self.ident(name_at)?.to_string();
        let (lo, hi) = self.params_then_body(name_at + 1)?;
        self.funcs.entry(name).or_insert((lo, hi));
        Some(hi + 1)
    }

    fn c_funcs(&mut self) {
        self.walk_top(true, |me, i| if me.ident(i).is_some_and(|name| !is_c_keyword(name)) { me.func_def(i) } else { None });
    }

    fn js_funcs(&mut self) {
        let n = self.t.len();
        self.walk_top(true, |me, i| me.js_fact(i, n));
    }

    fn js_fact(&mut self, i: usize, n: usize) -> Option<usize> {
        if self.is(i, "import") && self.starts_line(i) && !self.is(i + 1, "(") {
            let end = self.stmt_end(i, n);
            if let Some(k) = (i..end).find(|&k| self.kind(k) == Some(Kind::Str)) {
                self.requires.push(self.t[k].text.clone());
            }
            return Some(end.max(i + 1));
        }
        if self.is(i, "function") && !self.is(i.wrapping_sub(1), ".") && !self.is(i + 1, "(") {
            return self.func_def(i + 1);
        }
        None
    }

    fn py_facts(&mut self, a: &mut Analysis) {
        let n = self.t.len();
        let mut i = 0;
        while i < n {
            if !self.tick() {
                break;
            }
            if !self.starts_line(i) || self.kind(i) == Some(Kind::Newline) {
                i += 1;
                continue;
            }
            let line_end = self.py_line_end(i, n);
            if self.is(i, "import") {
                for (lo, hi) in self.split_args(i + 1, line_end) {
                    if let Some(m) = self.ident(lo) {
                        a.imports.push(m.to_string());
                    }
                    let _ = hi;
                }
            } else if self.is(i, "from") {
                if let Some(m) = self.ident(i + 1) {
                    if !self.is(i + 1, ".") {
                        a.imports.push(m.to_string());
                    }
                }
            } else if (self.is(i, "def") || (self.is(i, "async") && self.is(i + 1, "def"))) && self.t[i].indent == 0 {
                let k = if self.is(i, "async") { i + 1 } else { i };
                if let Some(name) = self.ident(k + 1).map(str::to_string) {
                    let end = self.py_block_end(line_end, 0, n);
                    self.funcs.entry(name).or_insert((line_end + 1, end));
                }
            }
            i = line_end + 1;
        }
    }

    // ----- execution ------------------------------------------------------------------

    fn exec(&mut self, lo: usize, hi: usize) -> Flow {
        if self.nest > MAX_NEST {
            return Flow::Normal;
        }
        self.nest += 1;
        let f = self.exec_inner(lo, hi);
        self.nest -= 1;
        f
    }

    fn exec_inner(&mut self, lo: usize, hi: usize) -> Flow {
        let hi = hi.min(self.t.len());
        let mut i = lo;
        while i < hi {
            if !self.tick() {
                return Flow::Return;
            }
            let (kind, is_open_brace, is_at) = {
                let t = &self.t[i];
                (t.kind, t.is("{"), t.is("@"))
            };
            if kind == Kind::Newline || self.is(i, ";") || self.is(i, ",") || self.is_closer(i) {
                i += 1;
                continue;
            }
            if is_open_brace && self.lang != Lang::Python {
                let end = self.after_group(i).min(hi);
                if let Flow::Return = self.exec(i + 1, end.saturating_sub(1).max(i + 1)) {
                    return Flow::Return;
                }
                i = end;
                continue;
            }
            if kind == Kind::Ident {
                let word = self.t[i].text.clone();
                match self.keyword(&word, i, hi) {
                    Some(Step::Next(n)) => {
                        i = n.max(i + 1);
                        continue;
                    }
                    Some(Step::Return) => return Flow::Return,
                    None => {}
                }
            }
            if self.lang == Lang::Python && is_at {
                i = self.py_line_end(i, hi) + 1;
                continue;
            }
            let end = if self.lang == Lang::Python { self.py_line_end(i, hi) } else { self.stmt_end(i, hi) };
            if self.lang == Lang::C && self.cout(i, end) {
                i = end.max(i + 1);
                continue;
            }
            if !self.assign(i, end) {
                let _ = self.eval(i, end);
            }
            i = end.max(i + 1);
        }
        Flow::Normal
    }

    /// Handles a statement that starts with a keyword; `None` for an ordinary statement.
    fn keyword(&mut self, word: &str, i: usize, hi: usize) -> Option<Step> {
        let lang = self.lang;
        let py = lang == Lang::Python;
        match word {
            "return" => {
                if self.in_c_main && self.depth == 0 {
                    let end = self.stmt_end(i + 1, hi);
                    if let Some(code) = as_text(&self.eval(i + 1, end)).and_then(|s| s.trim().parse::<i32>().ok()) {
                        self.push(Action::Exit { code });
                    }
                } else {
                    let end = if py { self.py_line_end(i + 1, hi) } else { self.stmt_end(i + 1, hi) };
                    let _ = self.eval(i + 1, end);
                }
                Some(Step::Return)
            }
            "if" if py && self.src_of(i, self.py_line_end(i, hi)).contains("__name__") => Some(Step::Next(self.py_line_end(i, hi) + 1)),
            "if" | "for" | "while" | "switch" | "select" | "else" | "catch" | "do" | "elif" | "except" | "case" | "default" | "match" => {
                if word == "match" && !py {
                    return None;
                }
                if (word == "case" || word == "default") && !py {
                    return None;
                }
                Some(Step::Next(self.skip_control(i, hi)))
            }
            "try" | "finally" | "with" | "async" if py => {
                if word == "async" && !self.is(i + 1, "def") && !self.is(i + 1, "with") && !self.is(i + 1, "for") {
                    return None;
                }
                if word == "async" && self.is(i + 1, "def") {
                    let nl = self.py_line_end(i, hi);
                    return Some(Step::Next(self.py_block_end(nl, self.t[i].indent, hi)));
                }
                if word == "async" && self.is(i + 1, "for") {
                    return Some(Step::Next(self.skip_control(i + 1, hi)));
                }
                // the header runs (a `with` expression has effects), then its block
                let nl = self.py_line_end(i, hi);
                if word == "with" {
                    let colon = self.find_top(i + 1, nl, &[":"]).unwrap_or(nl);
                    let _ = self.eval(i + 1, colon);
                }
                Some(Step::Next(nl + 1))
            }
            "try" | "finally" => Some(Step::Next(i + 1)),
            "def" | "class" if py => {
                let nl = self.py_line_end(i, hi);
                Some(Step::Next(self.py_block_end(nl, self.t[i].indent, hi)))
            }
            "class" | "interface" if lang == Lang::Js || lang == Lang::Java => {
                let end = self.brace_body_after(i + 1, hi).map(|(_, _, e)| e).unwrap_or(i + 1);
                Some(Step::Next(end))
            }
            "function" if lang == Lang::Js && self.ident(i + 1).is_some() => {
                // a declaration: hoisted, recorded by js_funcs
                let after = if self.is(i + 2, "(") { self.after_group(i + 2) } else { i + 2 };
                Some(Step::Next(if self.is(after, "{") { self.after_group(after) } else { after }))
            }
            "import" | "package" | "from" | "export" | "using" | "typedef" | "struct" | "type" | "goto" | "break" | "continue" | "pass" | "global" | "nonlocal" | "del" | "raise" | "throw" | "assert" => {
                if word == "export" {
                    return Some(Step::Next(i + 1));
                }
                if word == "import" && lang == Lang::Js && self.is(i + 1, "(") {
                    return None;
                }
                let end = if py { self.py_line_end(i, hi) } else { self.stmt_end(i, hi) };
                let end = if lang == Lang::Go && (word == "type" || word == "struct") && self.is(end, "{") { self.after_group(end) } else { end };
                if word == "throw" || word == "raise" {
                    // an uncaught exception at start-up: the program dies
                    let _ = end;
                    self.push(Action::Print { to: Stream::Err, parts: tidy(vec![Part::text("Uncaught exception: "), expr(self.src_of(i + 1, end)).remove(0), Part::text("\n")]) });
                    self.push(Action::Exit { code: 1 });
                    self.stopped = true;
                    return Some(Step::Return);
                }
                Some(Step::Next(end + 1))
            }
            "go" | "defer" if lang == Lang::Go => Some(Step::Next(self.stmt_end(i, hi) + 1)),
            "const" | "let" | "var" | "await" | "static" | "final" | "public" | "private" | "auto" | "unsigned" | "signed" | "extern" | "register" | "volatile" => {
                if lang == Lang::Go && (word == "var" || word == "const") && self.is(i + 1, "(") {
                    let end = self.after_group(i + 1);
                    let mut k = i + 2;
                    while k + 1 < end {
                        let e = self.stmt_end(k, end - 1);
                        self.assign(k, e);
                        k = e + 1;
                    }
                    return Some(Step::Next(end));
                }
                Some(Step::Next(i + 1))
            }
            _ => None,
        }
    }

    /// Skips a control statement (its header and its body) starting at keyword `i`.
    fn skip_control(&self, i: usize, hi: usize) -> usize {
        if self.lang == Lang::Python {
            let nl = self.py_line_end(i, hi);
            return self.py_block_end(nl, self.t[i].indent, hi);
        }
        let mut j = i + 1;
        if self.is(i, "else") {
            if self.is(j, "if") {
                return self.skip_control(j, hi);
            }
        } else if self.lang == Lang::Go {
            // Go: the header runs to the first depth-0 `{`
            while j < hi && !self.is(j, "{") {
                if self.is_opener(j) {
                    j = self.after_group(j);
                    continue;
                }
                j += 1;
            }
        } else if self.is(j, "(") {
            j = self.after_group(j);
        }
        while self.kind(j) == Some(Kind::Newline) {
            j += 1;
        }
        if self.is(j, "{") {
            let e = self.after_group(j);
            // do { } while (…);
            if self.is(i, "do") && self.is(e, "while") {
                return self.stmt_end(e, hi) + 1;
            }
            return e;
        }
        self.stmt_end(j, hi) + 1
    }

    fn push(&mut self, a: Action) {
        if self.actions.len() < MAX_ACTIONS && !self.stopped {
            self.actions.push(a);
        }
    }

    /// C++ stream output: `std::cout << "a" << x << std::endl;`. False when the statement is not one.
    fn cout(&mut self, lo: usize, hi: usize) -> bool {
        let Some(first) = self.find_top(lo, hi, &["<<"]) else { return false };
        let to = match self.ident(first.wrapping_sub(1)) {
            Some("cout") => Stream::Out,
            Some("cerr") | Some("clog") => Stream::Err,
            _ => return false,
        };
        let mut parts = Vec::new();
        let mut start = first + 1;
        loop {
            let next = self.find_top(start, hi, &["<<"]).unwrap_or(hi);
            let src = self.src_of(start, next).split_whitespace().collect::<String>();
            if src == "endl" || src == "std::endl" {
                parts.push(Part::text("\n"));
            } else {
                let v = self.eval(start, next);
                parts.extend(v);
            }
            if next >= hi {
                break;
            }
            start = next + 1;
        }
        self.print(to, parts);
        true
    }

    /// A simple assignment `[decl] name (=|:=) value`: records the value; false when not one.
    fn assign(&mut self, lo: usize, hi: usize) -> bool {
        let Some(eq) = self.find_top(lo, hi, &["=", ":="]) else { return false };
        if eq == lo {
            return false;
        }
        let name_at = if self.lang == Lang::Go && (self.is(lo, "var") || self.is(lo, "const")) { lo + 1 } else { eq - 1 };
        let name_at = if self.lang == Lang::Go && self.ident(lo).is_some() && !self.is(lo, "var") && !self.is(lo, "const") && eq > lo + 1 && !self.is(lo + 1, ",") {
            // `x int = 5` inside a var block
            lo
        } else {
            name_at
        };
        let Some(name) = self.ident(name_at).map(str::to_string) else {
            let _ = self.eval(eq + 1, hi);
            return true;
        };
        // property / index targets, multiple targets, or destructuring: evaluate only
        if self.is(name_at.wrapping_sub(1), ".") || self.is(name_at.wrapping_sub(1), ",") || self.is(name_at + 1, ",") {
            let _ = self.eval(eq + 1, hi);
            return true;
        }
        let (vlo, vhi) = self.trim(eq + 1, hi);
        if let Some((blo, bhi, end)) = self.func_lit(vlo, vhi) {
            if end >= vhi {
                self.funcs.insert(name, (blo, bhi));
                return true;
            }
        }
        let v = self.eval(vlo, vhi);
        self.vars.insert(name, v);
        true
    }

    /// A function literal at `i`: (body lo, body hi, index after it).
    fn func_lit(&self, i: usize, hi: usize) -> Option<(usize, usize, usize)> {
        let mut i = i;
        if self.is(i, "async") {
            i += 1;
        }
        match self.lang {
            Lang::Go => {
                if self.is(i, "func") && self.is(i + 1, "(") {
                    return self.brace_body_after(self.after_group(i + 1), hi);
                }
                None
            }
            Lang::Js | Lang::Java => {
                if self.lang == Lang::Js && self.is(i, "function") {
                    let p = if self.is(i + 1, "(") { i + 1 } else { i + 2 };
                    let after = self.after_group(p);
                    let c = self.close_of(after).filter(|_| self.is(after, "{"))?;
                    return Some((after + 1, c, c + 1));
                }
                let arrow = if self.lang == Lang::Js { "=>" } else { "->" };
                let after_params = if self.is(i, "(") { self.after_group(i) } else if self.ident(i).is_some() { i + 1 } else { return None };
                if !self.is(after_params, arrow) {
                    return None;
                }
                let b = after_params + 1;
                if self.is(b, "{") {
                    let c = self.close_of(b)?;
                    return Some((b + 1, c, c + 1));
                }
                let e = self.arg_end(b, hi);
                Some((b, e, e))
            }
            Lang::Python => {
                if self.is(i, "lambda") {
                    let colon = self.find_top(i + 1, hi, &[":"])?;
                    let e = self.arg_end(colon + 1, hi);
                    return Some((colon + 1, e, e));
                }
                None
            }
            Lang::C => None,
        }
    }

    /// End of an expression used as an argument: a depth-0 `,`, a closer or a statement end.
    fn arg_end(&self, i: usize, hi: usize) -> usize {
        let mut j = i;
        while j < hi {
            if self.is_opener(j) {
                j = self.after_group(j);
                continue;
            }
            if self.is(j, ",") || self.is(j, ";") || self.is_closer(j) || (self.kind(j) == Some(Kind::Newline) && self.newline_ends(j)) {
                return j;
            }
            j += 1;
        }
        hi
    }

    // ----- evaluation -----------------------------------------------------------------

    fn eval(&mut self, lo: usize, hi: usize) -> Vec<Part> {
        let (lo, hi) = self.trim(lo, hi.min(self.t.len()));
        if lo >= hi || !self.tick() {
            return Vec::new();
        }
        if self.nest > MAX_NEST {
            return expr(self.src_of(lo, hi));
        }
        self.nest += 1;
        let v = self.eval_inner(lo, hi);
        self.nest -= 1;
        v
    }

    fn eval_inner(&mut self, lo: usize, hi: usize) -> Vec<Part> {
        // a || b, a ?? b, a or b: the default of an environment variable
        let or_ops: &[&str] = if self.lang == Lang::Python { &["or"] } else { &["||", "??"] };
        if let Some(k) = self.find_top(lo, hi, or_ops) {
            let left = self.eval(lo, k);
            let right = self.eval(k + 1, hi);
            if let ([Part::Env { name, default: None, unset }], Some(d)) = (left.as_slice(), as_text(&right)) {
                return vec![Part::Env { name: name.clone(), default: Some(d), unset: unset.clone() }];
            }
            return match as_text(&left) {
                Some(s) if !s.is_empty() => left,
                _ => expr(self.src_of(lo, hi)),
            };
        }
        if let Some(q) = self.find_top(lo, hi, &["?"]).filter(|_| self.lang != Lang::Python) {
            let _ = self.eval(lo, q);
            return expr(self.src_of(lo, hi));
        }
        // concatenation
        let mut ops = Vec::new();
        let mut start = lo;
        let mut j = lo;
        while j < hi {
            if self.is_opener(j) {
                j = self.after_group(j).min(hi);
                continue;
            }
            if self.is(j, "+") && j > start {
                ops.push((start, j));
                start = j + 1;
            }
            j += 1;
        }
        ops.push((start, hi));
        // numbers add: 1 + 1 is 2
        if ops.len() > 1 && ops.iter().all(|&(a, b)| b == a + 1 && self.kind(a) == Some(Kind::Num)) {
            let nums: Option<Vec<f64>> = ops.iter().map(|&(a, _)| self.t[a].text.replace('_', "").parse::<f64>().ok()).collect();
            if let Some(n) = nums {
                let sum: f64 = n.iter().sum();
                return text(&if sum.fract() == 0.0 && sum.abs() < 1e15 { format!("{}", sum as i64) } else { format!("{sum}") });
            }
        }
        if ops.len() > 1 {
            let vals: Vec<Vec<Part>> = ops.into_iter().map(|(a, b)| self.operand(a, b)).collect();
            return join(vals, "");
        }
        // Python: "fmt" % args
        if self.lang == Lang::Python {
            if let Some(k) = self.find_top(lo, hi, &["%"]) {
                let f = self.eval(lo, k);
                let args = if self.is(k + 1, "(") && self.close_of(k + 1) == Some(hi - 1) {
                    self.split_args(k + 2, hi - 1).into_iter().map(|(a, b)| self.eval(a, b)).collect()
                } else {
                    vec![self.eval(k + 1, hi)]
                };
                return self.printf(&f, args, false).unwrap_or_else(|| expr(self.src_of(lo, hi)));
            }
        }
        self.operand(lo, hi)
    }

    fn operand(&mut self, lo: usize, hi: usize) -> Vec<Part> {
        let (lo, hi) = self.trim(lo, hi);
        if lo >= hi {
            return Vec::new();
        }
        if hi - lo == 1 {
            let t = self.t[lo].clone();
            return match t.kind {
                Kind::Str => match &t.pieces {
                    None => text(&t.text),
                    Some(ps) => self.pieces(ps),
                },
                Kind::Num => text(&t.text),
                Kind::Ident => self.value_of_name(&t.text),
                _ => expr(&t.text),
            };
        }
        if self.is(lo, "(") && self.close_of(lo) == Some(hi - 1) {
            return self.eval(lo + 1, hi - 1);
        }
        if self.is(lo, "await") || self.is(lo, "new") || self.is(lo, "yield") || (self.lang == Lang::Go && (self.is(lo, "&") || self.is(lo, "*"))) {
            return self.operand(lo + 1, hi);
        }
        // environment and argv shapes
        let src = self.src_of(lo, hi).split_whitespace().collect::<String>();
        if let Some(p) = self.env_shape(&src) {
            return p;
        }
        // a call chain: path(args)[.name(args)]*
        let mut path = Vec::new();
        let mut j = lo;
        while let Some(id) = self.ident(j) {
            path.push(id.to_string());
            if self.is(j + 1, ".") && self.ident(j + 2).is_some() {
                j += 2;
                continue;
            }
            j += 1;
            break;
        }
        let mut receiver: Option<Vec<Part>> = None;
        if path.is_empty() && self.kind(lo) == Some(Kind::Str) {
            // "literal".format(…)
            let t = self.t[lo].clone();
            receiver = Some(match &t.pieces {
                None => text(&t.text),
                Some(ps) => self.pieces(ps),
            });
            j = lo + 1;
        }
        if (!path.is_empty() || receiver.is_some()) && j < hi {
            let mut value: Option<Vec<Part>> = receiver;
            let mut k = j;
            if !path.is_empty() {
                if self.is(k, "(") {
                    let c = self.after_group(k);
                    value = Some(self.call(&path, k + 1, c.saturating_sub(1), lo));
                    k = c;
                } else if self.lang == Lang::Go && self.is(k, "{") {
                    // composite literal: &http.Server{Addr: ":8080"}
                    let c = self.after_group(k);
                    self.composite(k + 1, c.saturating_sub(1));
                    return expr(self.src_of(lo, hi));
                } else {
                    return self.effects(lo, hi);
                }
            }
            // chained method calls
            while k < hi && self.is(k, ".") && self.ident(k + 1).is_some() && self.is(k + 2, "(") {
                let name = self.t[k + 1].text.clone();
                let c = self.after_group(k + 2);
                let recv = value.take().unwrap_or_default();
                value = Some(self.method(&name, recv, k + 3, c.saturating_sub(1)));
                k = c;
            }
            if k >= hi {
                return value.unwrap_or_default();
            }
            let _ = self.effects(k, hi);
            return expr(self.src_of(lo, hi));
        }
        if path.len() > 1 && j >= hi {
            return self.value_of_path(&path, lo, hi);
        }
        self.effects(lo, hi)
    }

    /// Runs the calls inside an expression the scanner cannot compute, for their effects.
    fn effects(&mut self, lo: usize, hi: usize) -> Vec<Part> {
        let mut j = lo;
        while j < hi {
            if !self.tick() {
                break;
            }
            if let Some((_, _, end)) = self.func_lit(j, hi) {
                j = end.max(j + 1);
                continue;
            }
            if self.ident(j).is_some() && !self.is(j.wrapping_sub(1), ".") {
                let mut k = j;
                while self.ident(k).is_some() && self.is(k + 1, ".") && self.ident(k + 2).is_some() {
                    k += 2;
                }
                if self.is(k + 1, "(") {
                    let end = self.after_group(k + 1).min(hi);
                    let _ = self.operand(j, end);
                    j = end;
                    continue;
                }
            }
            j += 1;
        }
        expr(self.src_of(lo, hi))
    }

    fn pieces(&mut self, ps: &[Piece]) -> Vec<Part> {
        let mut out = Vec::new();
        for p in ps {
            match p {
                Piece::Lit(s) => out.push(Part::text(s.clone())),
                Piece::Code(c) => out.extend(self.sub_eval(c)),
            }
        }
        tidy(out)
    }

    /// Evaluates a template/f-string expression in a fresh scanner sharing the variables.
    fn sub_eval(&mut self, code: &str) -> Vec<Part> {
        if self.depth >= MAX_DEPTH || code.len() > 4096 {
            return expr(code);
        }
        let mut sub = Interp::new(self.lang, code, self.depth + 1);
        sub.vars = self.vars.clone();
        sub.steps = self.steps;
        let n = sub.t.len();
        let v = sub.eval(0, n);
        self.steps = sub.steps;
        v
    }

    fn value_of_name(&self, name: &str) -> Vec<Part> {
        if let Some(v) = self.vars.get(name) {
            return v.clone();
        }
        let lit = match (self.lang, name) {
            (Lang::Go, "nil") => "<nil>",
            (Lang::Python, "None" | "True" | "False") => name,
            (Lang::Js | Lang::Java | Lang::Go | Lang::C, "true" | "false") => name,
            (Lang::Js | Lang::Java, "null") => "null",
            (Lang::Js, "undefined") => "undefined",
            (Lang::Js, "__dirname") => "<__dirname>",
            _ => return expr(name),
        };
        text(lit)
    }

    fn value_of_path(&mut self, path: &[String], lo: usize, hi: usize) -> Vec<Part> {
        let p = path.join(".");
        if self.lang == Lang::Js && p.starts_with("process.env.") && path.len() == 3 {
            return vec![Part::Env { name: path[2].clone(), default: None, unset: "undefined".into() }];
        }
        expr(self.src_of(lo, hi))
    }

    /// `process.env["X"]`, `os.environ["X"]`, `os.Args[1]`, `process.argv[2]`, `sys.argv[1]`.
    fn env_shape(&self, src: &str) -> Option<Vec<Part>> {
        let lang = self.lang;
        let inside = |prefix: &str| -> Option<String> {
            let rest = src.strip_prefix(prefix)?.strip_suffix(']')?;
            let q = rest.chars().next()?;
            if (q == '"' || q == '\'') && rest.len() >= 2 && rest.ends_with(q) {
                return Some(rest[1..rest.len() - 1].to_string());
            }
            rest.chars().all(|c| c.is_ascii_digit()).then(|| rest.to_string())
        };
        let env = |name: String, unset: &str| Some(vec![Part::Env { name, default: None, unset: unset.into() }]);
        let arg = |n: String, shift: usize, unset: &str| n.parse::<usize>().ok().map(|n| vec![Part::Arg { n: n + shift, unset: unset.into() }]);
        match lang {
            Lang::Js => {
                if let Some(n) = inside("process.env[") {
                    return env(n, "undefined");
                }
                if let Some(n) = inside("process.argv[") {
                    return arg(n, 0, "undefined");
                }
            }
            Lang::Python => {
                if let Some(n) = inside("os.environ[") {
                    return env(n, "None");
                }
                if let Some(n) = inside("sys.argv[") {
                    return arg(n, 1, "");
                }
            }
            Lang::Go => {
                if let Some(n) = inside("os.Args[") {
                    return arg(n, 0, "");
                }
            }
            Lang::Java | Lang::C => {
                if let Some(n) = inside("args[") {
                    return arg(n, 1, "");
                }
                if let Some(n) = inside("argv[") {
                    return arg(n, 0, "(null)");
                }
            }
        }
        None
    }

    /// Go composite literal fields: remembers `Addr: ":8080"`.
    fn composite(&mut self, lo: usize, hi: usize) {
        for (a, b) in self.split_args(lo, hi) {
            if self.is(a, "Addr") && self.is(a + 1, ":") {
                let v = self.eval(a + 2, b);
                self.server_addr = Some(v);
            }
        }
    }

    fn args(&mut self, lo: usize, hi: usize) -> Vec<(usize, usize)> {
        self.split_args(lo, hi)
    }

    /// Evaluates arguments, skipping function literals and keyword arguments.
    fn arg_values(&mut self, lo: usize, hi: usize) -> (Vec<Vec<Part>>, Keywords) {
        let mut pos = Vec::new();
        let mut kw = Vec::new();
        for (a, b) in self.args(lo, hi) {
            if self.lang == Lang::Python && self.ident(a).is_some() && self.is(a + 1, "=") {
                let name = self.t[a].text.clone();
                let v = self.eval(a + 2, b);
                kw.push((name, v));
                continue;
            }
            if self.func_lit(a, b).is_some() {
                pos.push(expr("function"));
                continue;
            }
            if self.is(a, "*") || self.is(a, "...") {
                pos.push(expr(self.src_of(a, b)));
                continue;
            }
            let v = self.eval(a, b);
            pos.push(v);
        }
        (pos, kw)
    }

    /// Runs the function-literal arguments of a call (callbacks that run at start-up).
    fn run_callbacks(&mut self, lo: usize, hi: usize) {
        for (a, b) in self.args(lo, hi) {
            if let Some((blo, bhi, _)) = self.func_lit(a, b) {
                if self.depth < MAX_DEPTH {
                    self.depth += 1;
                    let _ = self.exec(blo, bhi);
                    self.depth -= 1;
                }
            } else if let Some(name) = self.ident(a).filter(|_| b == a + 1).map(str::to_string) {
                self.call_named(&name);
            }
        }
    }

    fn call_named(&mut self, name: &str) -> bool {
        if let Some(&(blo, bhi)) = self.funcs.get(name) {
            if self.depth < MAX_DEPTH {
                self.depth += 1;
                let saved = self.in_c_main;
                self.in_c_main = false;
                let _ = self.exec(blo, bhi);
                self.in_c_main = saved;
                self.depth -= 1;
            }
            return true;
        }
        false
    }

    fn print(&mut self, to: Stream, parts: Vec<Part>) -> Vec<Part> {
        self.push(Action::Print { to, parts: tidy(parts) });
        Vec::new()
    }

    fn listen(&mut self, addr: Vec<Part>, what: &str, blocks: bool) {
        self.push(Action::Listen { addr: tidy(addr), what: what.into(), blocks });
        if blocks {
            self.stopped = true;
        }
    }

    fn exit_with(&mut self, v: &[Part]) {
        let code = as_text(v).and_then(|s| s.trim().parse::<i32>().ok()).unwrap_or(1);
        self.push(Action::Exit { code });
        self.stopped = true;
    }

    /// A call of `path(args)`; `lo` is the start of the whole expression.
    fn call(&mut self, path: &[String], alo: usize, ahi: usize, lo: usize) -> Vec<Part> {
        let name = path.join(".");
        let last = path.last().map(String::as_str).unwrap_or("");
        let whole = || (lo, ahi + 1);
        match self.lang {
            Lang::Go => match name.as_str() {
                "fmt.Println" | "fmt.Print" | "fmt.Printf" | "println" | "print" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    let to = if name.starts_with("fmt") { Stream::Out } else { Stream::Err };
                    let parts = self.go_print(last, args);
                    return self.print(to, parts);
                }
                "fmt.Fprintln" | "fmt.Fprint" | "fmt.Fprintf" => {
                    let (mut args, _) = self.arg_values(alo, ahi);
                    let w = self.args(alo, ahi).first().map(|&(a, b)| self.src_of(a, b).to_string()).unwrap_or_default();
                    if args.is_empty() {
                        return Vec::new();
                    }
                    args.remove(0);
                    let to = match w.as_str() {
                        "os.Stdout" => Stream::Out,
                        "os.Stderr" => Stream::Err,
                        _ => return Vec::new(),
                    };
                    let parts = self.go_print(&last[1..], args);
                    return self.print(to, parts);
                }
                "fmt.Sprintf" | "fmt.Sprint" | "fmt.Sprintln" | "fmt.Errorf" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    let verb = if name == "fmt.Errorf" { "Printf" } else { &last[1..] };
                    return self.go_print(verb, args);
                }
                "os.Getenv" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    return match args.first().and_then(|a| as_text(a)) {
                        Some(n) => vec![Part::Env { name: n, default: None, unset: String::new() }],
                        None => expr(self.src_of(whole().0, whole().1)),
                    };
                }
                "os.Exit" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    self.exit_with(args.first().map(Vec::as_slice).unwrap_or(&[]));
                    return Vec::new();
                }
                "http.ListenAndServe" | "http.ListenAndServeTLS" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    let addr = args.into_iter().next().unwrap_or_default();
                    self.listen(addr, "HTTP", true);
                    return Vec::new();
                }
                "strconv.Itoa" | "string" | "strings.TrimSpace" | "template.HTML" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    return args.into_iter().next().unwrap_or_default();
                }
                _ => {}
            },
            Lang::Js => match name.as_str() {
                "console.log" | "console.info" | "console.debug" | "console.error" | "console.warn" | "console.trace" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    let to = if matches!(last, "error" | "warn" | "trace") { Stream::Err } else { Stream::Out };
                    let mut parts = self.js_format(args);
                    parts.push(Part::text("\n"));
                    return self.print(to, parts);
                }
                "process.stdout.write" | "process.stderr.write" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    let to = if name.contains("stderr") { Stream::Err } else { Stream::Out };
                    return self.print(to, args.into_iter().next().unwrap_or_default());
                }
                "util.format" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    return self.js_format(args);
                }
                "process.exit" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    let v = args.into_iter().next().unwrap_or_else(|| text("0"));
                    self.exit_with(&v);
                    return Vec::new();
                }
                "require" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    if let Some(m) = args.first().and_then(|a| as_text(a)) {
                        self.requires.push(m);
                    }
                    return expr(self.src_of(whole().0, whole().1));
                }
                "String" | "Number" | "parseInt" | "parseFloat" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    return args.into_iter().next().unwrap_or_default();
                }
                "setTimeout" | "setImmediate" | "process.nextTick" | "queueMicrotask" => {
                    self.run_callbacks(alo, ahi);
                    return Vec::new();
                }
                _ if last == "listen" && path.len() > 1 => {
                    let args = self.args(alo, ahi);
                    let addr = match args.first() {
                        Some(&(a, b)) if self.func_lit(a, b).is_none() => self.eval(a, b),
                        _ => Vec::new(),
                    };
                    self.listen(addr, "HTTP", false);
                    self.run_callbacks(alo, ahi);
                    return Vec::new();
                }
                _ => {}
            },
            Lang::Python => match name.as_str() {
                "print" => {
                    let (args, kw) = self.arg_values(alo, ahi);
                    let mut sep = " ".to_string();
                    let mut end = "\n".to_string();
                    let mut to = Stream::Out;
                    for (k, v) in kw {
                        match k.as_str() {
                            "sep" => sep = as_text(&v).unwrap_or(sep),
                            "end" => end = as_text(&v).unwrap_or(end),
                            "file" if matches!(v.as_slice(), [Part::Expr { src }] if src == "sys.stderr") => to = Stream::Err,
                            "file" => return Vec::new(),
                            _ => {}
                        }
                    }
                    let mut parts = join(args, &sep);
                    parts.push(Part::text(end));
                    return self.print(to, parts);
                }
                "sys.stdout.write" | "sys.stderr.write" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    let to = if name.contains("stderr") { Stream::Err } else { Stream::Out };
                    return self.print(to, args.into_iter().next().unwrap_or_default());
                }
                "sys.exit" | "exit" | "quit" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    let v = args.into_iter().next().unwrap_or_else(|| text("0"));
                    if as_text(&v).is_some_and(|s| s.trim().parse::<i32>().is_err()) && !v.is_empty() {
                        let mut p = v.clone();
                        p.push(Part::text("\n"));
                        self.print(Stream::Err, p);
                        self.exit_with(&text("1"));
                    } else {
                        self.exit_with(&v);
                    }
                    return Vec::new();
                }
                "os.getenv" | "os.environ.get" => {
                    let (args, kw) = self.arg_values(alo, ahi);
                    let default = args.get(1).or_else(|| kw.iter().find(|(k, _)| k == "default").map(|(_, v)| v)).and_then(|d| as_text(d));
                    return match args.first().and_then(|a| as_text(a)) {
                        Some(n) => vec![Part::Env { name: n, default, unset: "None".into() }],
                        None => expr(self.src_of(whole().0, whole().1)),
                    };
                }
                "str" | "int" | "float" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    return args.into_iter().next().unwrap_or_default();
                }
                "logging.warning" | "logging.error" | "logging.critical" | "logging.exception" | "logging.warn" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    let level = match last {
                        "warning" | "warn" => "WARNING",
                        "critical" => "CRITICAL",
                        _ => "ERROR",
                    };
                    let mut parts = vec![Part::text(format!("{level}:root:"))];
                    let mut it = args.into_iter();
                    let f = it.next().unwrap_or_default();
                    let rest: Vec<Vec<Part>> = it.collect();
                    parts.extend(if rest.is_empty() { f } else { self.printf(&f, rest, false).unwrap_or_default() });
                    parts.push(Part::text("\n"));
                    return self.print(Stream::Err, parts);
                }
                "HTTPServer" | "ThreadingHTTPServer" | "TCPServer" | "http.server.HTTPServer" | "socketserver.TCPServer" | "http.server.ThreadingHTTPServer" => {
                    if let Some(&(a, b)) = self.args(alo, ahi).first() {
                        if self.is(a, "(") {
                            let inner = self.split_args(a + 1, b.saturating_sub(1));
                            let vals: Vec<Vec<Part>> = inner.into_iter().map(|(x, y)| self.eval(x, y)).collect();
                            self.server_addr = Some(join(vals, ":"));
                        }
                    }
                    return expr(self.src_of(whole().0, whole().1));
                }
                "uvicorn.run" => {
                    let (_, kw) = self.arg_values(alo, ahi);
                    let addr = py_host_port(&kw, "127.0.0.1", "8000");
                    self.listen(addr, "an ASGI application (uvicorn)", true);
                    return Vec::new();
                }
                _ if last == "run" && path.len() == 2 && self.imports_flask => {
                    let (_, kw) = self.arg_values(alo, ahi);
                    let addr = py_host_port(&kw, "127.0.0.1", "5000");
                    self.push(Action::Print { to: Stream::Err, parts: vec![Part::text(" * Serving Flask app 'app'\n * Debug mode: off\n")] });
                    self.listen(addr, "a Flask development server", true);
                    return Vec::new();
                }
                _ if last == "serve_forever" => {
                    let addr = self.server_addr.clone().unwrap_or_default();
                    self.listen(addr, "HTTP", true);
                    return Vec::new();
                }
                _ => {}
            },
            Lang::Java => match name.as_str() {
                "System.out.println" | "System.out.print" | "System.err.println" | "System.err.print" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    let to = if name.contains(".err.") { Stream::Err } else { Stream::Out };
                    let mut parts = args.into_iter().next().unwrap_or_default();
                    if last == "println" {
                        parts.push(Part::text("\n"));
                    }
                    return self.print(to, parts);
                }
                "System.out.printf" | "System.out.format" | "System.err.printf" | "System.err.format" | "String.format" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    let mut it = args.into_iter();
                    let f = it.next().unwrap_or_default();
                    let parts = self.printf(&f, it.collect(), true).unwrap_or_else(|| f.clone());
                    if name == "String.format" {
                        return parts;
                    }
                    let to = if name.contains(".err.") { Stream::Err } else { Stream::Out };
                    return self.print(to, parts);
                }
                "System.getenv" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    return match args.first().and_then(|a| as_text(a)) {
                        Some(n) => vec![Part::Env { name: n, default: None, unset: "null".into() }],
                        None => expr(self.src_of(whole().0, whole().1)),
                    };
                }
                "System.exit" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    self.exit_with(args.first().map(Vec::as_slice).unwrap_or(&[]));
                    return Vec::new();
                }
                "SpringApplication.run" => {
                    self.spring = true;
                    let port = self.spring_port.clone();
                    self.listen(text(&port), "a Spring Boot application (embedded Tomcat, HTTP)", false);
                    return Vec::new();
                }
                "String.valueOf" | "Integer.parseInt" | "Integer.toString" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    return args.into_iter().next().unwrap_or_default();
                }
                "HttpServer.create" => {
                    let src = self.src_of(alo, ahi).to_string();
                    let port: String = src.split("InetSocketAddress(").nth(1).map(|r| r.chars().take_while(|c| c.is_ascii_digit()).collect()).unwrap_or_default();
                    self.server_addr = Some(if port.is_empty() { expr(&src) } else { text(&port) });
                    return expr(self.src_of(whole().0, whole().1));
                }
                _ if last == "start" && self.server_addr.is_some() => {
                    let addr = self.server_addr.clone().unwrap_or_default();
                    self.listen(addr, "HTTP", false);
                    return Vec::new();
                }
                _ => {}
            },
            Lang::C => match name.as_str() {
                "printf" | "puts" | "fprintf" | "fputs" | "dprintf" => {
                    let (mut args, _) = self.arg_values(alo, ahi);
                    let mut to = Stream::Out;
                    if name == "fprintf" || name == "dprintf" {
                        let w = self.args(alo, ahi).first().map(|&(a, b)| self.src_of(a, b).to_string()).unwrap_or_default();
                        to = match w.as_str() {
                            "stdout" | "1" => Stream::Out,
                            "stderr" | "2" => Stream::Err,
                            _ => return Vec::new(),
                        };
                        if !args.is_empty() {
                            args.remove(0);
                        }
                    }
                    if name == "fputs" {
                        let w = self.args(alo, ahi).get(1).map(|&(a, b)| self.src_of(a, b).to_string()).unwrap_or_default();
                        to = if w == "stderr" { Stream::Err } else { Stream::Out };
                        return self.print(to, args.into_iter().next().unwrap_or_default());
                    }
                    let mut it = args.into_iter();
                    let f = it.next().unwrap_or_default();
                    let mut parts = if name == "puts" { f } else { self.printf(&f, it.collect(), false).unwrap_or(f) };
                    if name == "puts" {
                        parts.push(Part::text("\n"));
                    }
                    return self.print(to, parts);
                }
                "exit" | "_exit" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    let v = args.into_iter().next().unwrap_or_default();
                    let v = match as_text(&v).as_deref() {
                        Some("EXIT_SUCCESS") => text("0"),
                        Some("EXIT_FAILURE") => text("1"),
                        _ => v,
                    };
                    self.exit_with(&v);
                    return Vec::new();
                }
                "getenv" => {
                    let (args, _) = self.arg_values(alo, ahi);
                    return match args.first().and_then(|a| as_text(a)) {
                        Some(n) => vec![Part::Env { name: n, default: None, unset: "(null)".into() }],
                        None => expr(self.src_of(whole().0, whole().1)),
                    };
                }
                "listen" => {
                    self.listen(Vec::new(), "a TCP socket server", true);
                    return Vec::new();
                }
                _ => {}
            },
        }
        // Go web frameworks
        if self.lang == Lang::Go {
            if last == "ListenAndServe" || last == "ListenAndServeTLS" {
                let addr = self.server_addr.clone().unwrap_or_else(|| text(":http"));
                self.listen(addr, "HTTP", true);
                return Vec::new();
            }
            if (last == "Run" && self.imports_gin) || (last == "Start" && self.imports_echo) {
                let (args, _) = self.arg_values(alo, ahi);
                let addr = args.into_iter().next().unwrap_or_else(|| text(":8080"));
                self.listen(addr, "HTTP", true);
                return Vec::new();
            }
            if name.starts_with("log.") {
                let verb = last.trim_start_matches("Fatal").trim_start_matches("Panic");
                let verb = if verb.is_empty() { "Print" } else { verb };
                let fatal = last.starts_with("Fatal") || last.starts_with("Panic");
                if last.starts_with("Print") || fatal {
                    let (args, _) = self.arg_values(alo, ahi);
                    if self.stopped {
                        return Vec::new(); // log.Fatal(http.ListenAndServe(…)) serves first
                    }
                    let verb = if verb == "ln" { "Println" } else if verb == "f" { "Printf" } else { verb };
                    let mut parts = vec![Part::LogTime];
                    let body = self.go_print(verb, args);
                    let nl = ends_with_newline(&body);
                    parts.extend(body);
                    if !nl {
                        parts.push(Part::text("\n"));
                    }
                    self.print(Stream::Err, parts);
                    if fatal {
                        self.exit_with(&text(if last.starts_with("Panic") { "2" } else { "1" }));
                    }
                    return Vec::new();
                }
            }
        }
        // a named function of this file
        if path.len() == 1 && self.funcs.contains_key(&name) {
            let _ = self.arg_values(alo, ahi);
            self.call_named(&name);
            return expr(self.src_of(whole().0, whole().1.min(self.t.len())));
        }
        // anything else: its arguments still run (not the callbacks)
        let _ = self.arg_values(alo, ahi);
        expr(self.src_of(whole().0, (whole().1).min(self.t.len())))
    }

    /// A method call on a computed value (`"…".format(x)`, `http.createServer(f).listen(80)`).
    fn method(&mut self, name: &str, recv: Vec<Part>, alo: usize, ahi: usize) -> Vec<Part> {
        match (self.lang, name) {
            (Lang::Python, "format") => {
                let (args, kw) = self.arg_values(alo, ahi);
                py_format(&recv, &args, &kw).unwrap_or_else(|| expr("str.format(…)"))
            }
            (Lang::Python, "upper") => as_text(&recv).map(|s| text(&s.to_uppercase())).unwrap_or(recv),
            (Lang::Python, "lower") => as_text(&recv).map(|s| text(&s.to_lowercase())).unwrap_or(recv),
            (Lang::Python, "strip") | (Lang::Js, "trim") => as_text(&recv).map(|s| text(s.trim())).unwrap_or(recv),
            (Lang::Js, "toUpperCase") => as_text(&recv).map(|s| text(&s.to_uppercase())).unwrap_or(recv),
            (Lang::Js, "toLowerCase") => as_text(&recv).map(|s| text(&s.to_lowercase())).unwrap_or(recv),
            (Lang::Js, "toString") => recv,
            (Lang::Js, "listen") => {
                let args = self.args(alo, ahi);
                let addr = match args.first() {
                    Some(&(a, b)) if self.func_lit(a, b).is_none() => self.eval(a, b),
                    _ => Vec::new(),
                };
                self.listen(addr, "HTTP", false);
                self.run_callbacks(alo, ahi);
                Vec::new()
            }
            (Lang::Js, "then") => Vec::new(),
            (Lang::Java, "start") if self.server_addr.is_some() => {
                let addr = self.server_addr.clone().unwrap_or_default();
                self.listen(addr, "HTTP", false);
                Vec::new()
            }
            (Lang::Python, "serve_forever") => {
                let addr = self.server_addr.clone().unwrap_or_default();
                self.listen(addr, "HTTP", true);
                Vec::new()
            }
            _ => {
                let _ = self.arg_values(alo, ahi);
                expr(&format!("….{name}(…)"))
            }
        }
    }

    /// Go's Print/Println/Printf over evaluated arguments.
    fn go_print(&mut self, verb: &str, args: Vec<Vec<Part>>) -> Vec<Part> {
        match verb {
            "Println" | "println" | "Sprintln" | "ln" => {
                let mut p = join(args, " ");
                p.push(Part::text("\n"));
                tidy(p)
            }
            "Printf" | "Sprintf" | "f" | "Fprintf" | "Errorf" => {
                let mut it = args.into_iter();
                let f = it.next().unwrap_or_default();
                self.printf(&f, it.collect(), false).unwrap_or(f)
            }
            _ => join(args, ""),
        }
    }

    /// Node's console.log formatting: `%s`/`%d`/`%i`/`%j`/`%o` in the first argument, the rest joined by spaces.
    fn js_format(&mut self, args: Vec<Vec<Part>>) -> Vec<Part> {
        let mut it = args.into_iter();
        let Some(first) = it.next() else { return Vec::new() };
        let rest: Vec<Vec<Part>> = it.collect();
        let Some(f) = as_text(&first).filter(|f| f.contains('%')) else {
            let mut all = vec![first];
            all.extend(rest);
            return join(all, " ");
        };
        let mut out = Vec::new();
        let mut used = 0;
        let mut chars = f.chars().peekable();
        let mut lit = String::new();
        while let Some(c) = chars.next() {
            if c == '%' {
                match chars.peek().copied() {
                    Some('%') => {
                        chars.next();
                        lit.push('%');
                    }
                    Some(v @ ('s' | 'd' | 'i' | 'f' | 'j' | 'o' | 'O' | 'c')) if used < rest.len() => {
                        chars.next();
                        out.push(Part::text(std::mem::take(&mut lit)));
                        if v != 'c' {
                            out.extend(rest[used].clone());
                        }
                        used += 1;
                    }
                    _ => lit.push('%'),
                }
            } else {
                lit.push(c);
            }
        }
        out.push(Part::text(lit));
        for r in rest.into_iter().skip(used) {
            out.push(Part::text(" "));
            out.extend(r);
        }
        tidy(out)
    }

    /// printf-style formatting (Go, C, Java, Python `%`); `None` when the format is not literal text.
    fn printf(&mut self, f: &[Part], args: Vec<Vec<Part>>, java: bool) -> Option<Vec<Part>> {
        let f = as_text(f)?;
        let go = self.lang == Lang::Go;
        let mut out = Vec::new();
        let mut lit = String::new();
        let mut used = 0;
        let cs: Vec<char> = f.chars().collect();
        let mut i = 0;
        while i < cs.len() {
            let c = cs[i];
            if c != '%' {
                lit.push(c);
                i += 1;
                continue;
            }
            if cs.get(i + 1) == Some(&'%') {
                lit.push('%');
                i += 2;
                continue;
            }
            let mut k = i + 1;
            while k < cs.len() && (cs[k].is_ascii_digit() || "-+# .*".contains(cs[k]) || (!go && "lhzjtLq".contains(cs[k]))) {
                k += 1;
            }
            let Some(&verb) = cs.get(k) else {
                lit.push_str(&cs[i..].iter().collect::<String>());
                break;
            };
            if java && verb == 'n' {
                lit.push('\n');
                i = k + 1;
                continue;
            }
            out.push(Part::text(std::mem::take(&mut lit)));
            match args.get(used) {
                Some(a) => {
                    if verb == 'q' {
                        out.push(Part::text("\""));
                        out.extend(a.clone());
                        out.push(Part::text("\""));
                    } else if verb == 'T' {
                        out.push(Part::text("string"));
                    } else {
                        out.extend(a.clone());
                    }
                }
                None if go => out.push(Part::text(format!("%!{verb}(MISSING)"))),
                None => out.push(Part::Expr { src: format!("%{verb}") }),
            }
            used += 1;
            i = k + 1;
        }
        out.push(Part::text(lit));
        Some(tidy(out))
    }
}

/// Keyword arguments of a Python call.
type Keywords = Vec<(String, Vec<Part>)>;

enum Step {
    Next(usize),
    Return,
}

/// Python's `str.format`: `{}`, `{0}`, `{name}`.
fn py_format(f: &[Part], args: &[Vec<Part>], kw: &[(String, Vec<Part>)]) -> Option<Vec<Part>> {
    let f = as_text(f)?;
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut auto = 0;
    let cs: Vec<char> = f.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        match cs[i] {
            '{' if cs.get(i + 1) == Some(&'{') => {
                lit.push('{');
                i += 2;
            }
            '}' if cs.get(i + 1) == Some(&'}') => {
                lit.push('}');
                i += 2;
            }
            '{' => {
                let end = cs[i..].iter().position(|&c| c == '}').map(|e| i + e)?;
                let field: String = cs[i + 1..end].iter().collect();
                let key = field.split([':', '!']).next().unwrap_or("").trim().to_string();
                out.push(Part::text(std::mem::take(&mut lit)));
                let v = if key.is_empty() {
                    auto += 1;
                    args.get(auto - 1).cloned()
                } else if let Ok(n) = key.parse::<usize>() {
                    args.get(n).cloned()
                } else {
                    kw.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone())
                };
                out.extend(v.unwrap_or_else(|| expr(&field)));
                i = end + 1;
            }
            c => {
                lit.push(c);
                i += 1;
            }
        }
    }
    out.push(Part::text(lit));
    Some(tidy(out))
}

fn py_host_port(kw: &[(String, Vec<Part>)], host: &str, port: &str) -> Vec<Part> {
    let h = kw.iter().find(|(k, _)| k == "host").map(|(_, v)| v.clone()).unwrap_or_else(|| text(host));
    let p = kw.iter().find(|(k, _)| k == "port").map(|(_, v)| v.clone()).unwrap_or_else(|| text(port));
    join(vec![h, p], ":")
}

fn is_go_keyword(w: &str) -> bool {
    matches!(
        w,
        "break" | "case" | "chan" | "const" | "continue" | "default" | "defer" | "else" | "fallthrough" | "for" | "func" | "go" | "goto" | "if" | "import" | "interface" | "map" | "package" | "range" | "return" | "select" | "struct" | "switch" | "type" | "var"
    )
}

fn is_c_keyword(w: &str) -> bool {
    matches!(w, "if" | "for" | "while" | "switch" | "return" | "sizeof" | "catch" | "synchronized" | "new" | "else" | "do" | "try")
}

/// Python's standard library modules (top-level names, from CPython 3.11's `sys.stdlib_module_names`).
pub const PYTHON_STDLIB: &[&str] = &[
    "abc", "aifc", "argparse", "array", "ast", "asynchat", "asyncio", "asyncore", "atexit", "audioop", "base64", "bdb", "binascii", "bisect",
    "builtins", "bz2", "cProfile", "calendar", "cgi", "cgitb", "chunk", "cmath", "cmd", "code", "codecs", "codeop", "collections", "colorsys",
    "compileall", "concurrent", "configparser", "contextlib", "contextvars", "copy", "copyreg", "crypt", "csv", "ctypes", "curses", "dataclasses",
    "datetime", "dbm", "decimal", "difflib", "dis", "distutils", "doctest", "email", "encodings", "ensurepip", "enum", "errno", "faulthandler",
    "fcntl", "filecmp", "fileinput", "fnmatch", "fractions", "ftplib", "functools", "gc", "genericpath", "getopt", "getpass", "gettext", "glob",
    "graphlib", "grp", "gzip", "hashlib", "heapq", "hmac", "html", "http", "idlelib", "imaplib", "imghdr", "imp", "importlib", "inspect", "io",
    "ipaddress", "itertools", "json", "keyword", "lib2to3", "linecache", "locale", "logging", "lzma", "mailbox", "mailcap", "marshal", "math",
    "mimetypes", "mmap", "modulefinder", "multiprocessing", "netrc", "nis", "nntplib", "numbers", "opcode", "operator", "optparse", "os",
    "ossaudiodev", "pathlib", "pdb", "pickle", "pickletools", "pipes", "pkgutil", "platform", "plistlib", "poplib", "posix", "posixpath", "pprint",
    "profile", "pstats", "pty", "pwd", "py_compile", "pyclbr", "pydoc", "pydoc_data", "pyexpat", "queue", "quopri", "random", "re", "readline",
    "reprlib", "resource", "rlcompleter", "runpy", "sched", "secrets", "select", "selectors", "shelve", "shlex", "shutil", "signal", "site", "smtpd",
    "smtplib", "sndhdr", "socket", "socketserver", "spwd", "sqlite3", "sre_compile", "sre_constants", "sre_parse", "ssl", "stat", "statistics",
    "string", "stringprep", "struct", "subprocess", "sunau", "symtable", "sys", "sysconfig", "syslog", "tabnanny", "tarfile", "telnetlib",
    "tempfile", "termios", "textwrap", "this", "threading", "time", "timeit", "tkinter", "token", "tokenize", "tomllib", "trace", "traceback",
    "tracemalloc", "tty", "turtle", "turtledemo", "types", "typing", "unicodedata", "unittest", "urllib", "uu", "uuid", "venv", "warnings", "wave",
    "weakref", "webbrowser", "wsgiref", "xdrlib", "xml", "xmlrpc", "zipapp", "zipfile", "zipimport", "zlib", "zoneinfo", "__future__",
];

/// Node.js's builtin modules.
pub const NODE_BUILTINS: &[&str] = &[
    "assert", "async_hooks", "buffer", "child_process", "cluster", "console", "constants", "crypto", "dgram", "dns", "domain", "events", "fs",
    "http", "http2", "https", "inspector", "module", "net", "os", "path", "perf_hooks", "process", "punycode", "querystring", "readline", "repl",
    "stream", "string_decoder", "sys", "timers", "tls", "trace_events", "tty", "url", "util", "v8", "vm", "worker_threads", "zlib", "test",
];

#[cfg(test)]
mod tests;
