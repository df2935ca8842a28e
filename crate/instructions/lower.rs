//! Syntax-tree instruction to typed [`Instruction`]: BuildKit's `instructions.ParseInstruction`
//! (argument counts, flags, per-instruction rules), in BuildKit's order of checks so the
//! first error is the one BuildKit reports.

use super::flags::{self, FlagSpec, Flags};
use super::goparse::{duration_string, parse_duration, parse_int, with_suggestion};
use super::mount::check_unexpanded;
use super::types::*;
use crate::syntax::{
    self, go_lower, go_quote, go_upper, Diagnostic, DiagnosticKind, Keyword, SyntaxTree, TextRange,
};

/// An error while lowering one instruction.
pub(crate) struct LowerError {
    pub kind: DiagnosticKind,
    pub message: String,
    pub range: TextRange,
}

type Result<T> = std::result::Result<T, LowerError>;

pub(crate) struct Lowerer<'t> {
    pub tree: &'t SyntaxTree,
    /// The last position computed, so positions along a long line cost linear time.
    pub last: std::cell::Cell<Option<(u32, crate::syntax::Position)>>,
}

impl<'t> Lowerer<'t> {
    pub fn new(tree: &'t SyntaxTree) -> Self {
        Lowerer { tree, last: std::cell::Cell::new(None) }
    }

    fn position(&self, offset: u32) -> crate::syntax::Position {
        let p = self.tree.position_after(self.last.get(), offset);
        self.last.set(Some((offset, p)));
        p
    }
}

fn err<T>(kind: DiagnosticKind, message: impl Into<String>, range: TextRange) -> Result<T> {
    Err(LowerError { kind, message: message.into(), range })
}

impl<'t> Lowerer<'t> {
    pub fn span(&self, r: TextRange) -> Span {
        let a = self.position(r.start);
        let b = self.position(r.end);
        Span { start: r.start, end: r.end, line: a.line, col: a.col, end_line: b.line, end_col: b.col }
    }

    pub fn word(&self, a: &syntax::Arg) -> Word {
        Word { text: a.text(self.tree).to_owned(), span: self.span(a.range) }
    }

    fn text_word(&self, text: String, r: TextRange) -> Word {
        Word { text, span: self.span(r) }
    }

    fn flags(&self, ins: &syntax::Instruction, specs: &[FlagSpec]) -> Result<Flags> {
        flags::parse(self.tree, &ins.flags, specs, |t, r| self.text_word(t, r))
            .map_err(|(message, range)| LowerError { kind: DiagnosticKind::Flag, message, range })
    }

    /// BuildKit's `nodeArgs`: the values after the keyword (for ONBUILD, the trigger's
    /// keyword and values).
    fn args(&self, ins: &syntax::Instruction) -> Vec<Word> {
        if let Some(t) = self.tree.trigger(ins) {
            let mut v = vec![self.word(&t.keyword)];
            v.extend(self.args(t));
            return v;
        }
        self.tree.args(ins).iter().map(|a| self.word(a)).collect()
    }

    fn is_json(ins: &syntax::Instruction) -> bool {
        matches!(ins.form, syntax::Form::Json { .. } | syntax::Form::Healthcheck { json: Some(_) })
    }

    /// BuildKit's `handleJSONArgs`: exec form as is, shell form joined into one string.
    fn command_line(&self, args: Vec<Word>, json: bool) -> CommandLine {
        if json {
            return CommandLine { form: Form::Exec, args };
        }
        if args.len() <= 1 {
            return CommandLine { form: Form::Shell, args };
        }
        let first = args[0].span;
        let last = args[args.len() - 1].span;
        let text = args.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
        let span = Span { end: last.end, end_line: last.end_line, end_col: last.end_col, ..first };
        CommandLine { form: Form::Shell, args: vec![Word { text, span }] }
    }

    /// Lowers one instruction of the tree.
    pub fn instruction(&self, ins: &syntax::Instruction) -> Result<Instruction> {
        let Some(kind) = ins.kind else {
            let name = ins.keyword.text(self.tree);
            let names: Vec<&str> = Keyword::ALL.iter().map(|k| k.name()).collect();
            return err(
                DiagnosticKind::UnknownInstruction,
                with_suggestion(format!("unknown instruction: {name}"), name, &names, false),
                ins.keyword.range,
            );
        };
        let args = self.args(ins);
        let whole = ins.range;
        use DiagnosticKind as D;
        let at_least_one = |what: &str| err(D::Instruction, format!("{what} requires at least one argument"), whole);
        let exactly_one = |what: &str| err(D::Instruction, format!("{what} requires exactly one argument"), whole);
        let command = match kind {
            Keyword::Env | Keyword::Label => {
                self.flags(ins, flags::NONE)?;
                let name = kind.name();
                if args.is_empty() {
                    return at_least_one(name);
                }
                let legacy = matches!(ins.form, syntax::Form::KeyValue { legacy: true });
                let mut pairs = Vec::new();
                for t in args.chunks(3) {
                    let [key, value, _sep] = t else {
                        return err(D::Instruction, format!("Bad input to {name}, too many arguments"), whole);
                    };
                    if key.text.is_empty() {
                        return err(D::Instruction, format!("{name} names can not be blank"), key.span.range());
                    }
                    pairs.push(KeyValue { key: key.clone(), value: value.clone(), legacy });
                }
                if kind == Keyword::Env {
                    Command::Env(Env { pairs })
                } else {
                    Command::Label(Label { pairs })
                }
            }
            Keyword::Maintainer => {
                if args.len() != 1 {
                    return exactly_one("MAINTAINER");
                }
                self.flags(ins, flags::NONE)?;
                Command::Maintainer(Maintainer { name: args[0].clone() })
            }
            Keyword::Add | Keyword::Copy => self.add_copy(ins, kind, args)?,
            Keyword::From => {
                let stage_name = match args.len() {
                    3 if eq_fold_as(&args[1].text) => {
                        let name = go_lower(&args[2].text);
                        if !valid_stage_name(&name) {
                            return err(
                                D::Instruction,
                                format!(
                                    "invalid name for build stage: {}, name can't start with a number or contain symbols",
                                    go_quote(&args[2].text)
                                ),
                                args[2].span.range(),
                            );
                        }
                        Some(name)
                    }
                    1 => None,
                    _ => return err(D::Instruction, "FROM requires either one or three arguments", whole),
                };
                let f = self.flags(ins, flags::FROM)?;
                let mut it = args.into_iter();
                let base = it.next().unwrap_or_default();
                let as_keyword = it.next();
                let name = it.next();
                Command::From(From { base, as_keyword, name, stage_name, platform: f.string("platform") })
            }
            Keyword::Onbuild => {
                if args.is_empty() {
                    return at_least_one("ONBUILD");
                }
                self.flags(ins, flags::NONE)?;
                let trigger = go_upper(args[0].text.trim());
                match trigger.as_str() {
                    "ONBUILD" => {
                        return err(D::Instruction, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", whole)
                    }
                    "MAINTAINER" | "FROM" => {
                        return err(D::Instruction, format!("{trigger} isn't allowed as an ONBUILD trigger"), whole)
                    }
                    _ => {}
                }
                let mut expression = strip_onbuild(&self.tree.logical_line(ins));
                for h in &ins.heredocs {
                    expression.push('\n');
                    expression.push_str(&h.content(self.tree));
                    expression.push_str(&h.name);
                }
                let trigger = self.tree.trigger(ins).and_then(|t| {
                    let mut t = t.clone();
                    t.heredocs.clone_from(&ins.heredocs);
                    self.instruction(&t).ok().map(Box::new)
                });
                Command::Onbuild(Onbuild { expression, trigger })
            }
            Keyword::Workdir => {
                if args.len() != 1 {
                    return exactly_one("WORKDIR");
                }
                self.flags(ins, flags::NONE)?;
                Command::Workdir(Workdir { path: args[0].clone() })
            }
            Keyword::Run => {
                let f = self.flags(ins, flags::RUN)?;
                let command = self.command_line(args, Self::is_json(ins));
                let mut mounts = Vec::new();
                for spec in f.strings("mount") {
                    if let Err(e) = check_unexpanded(&spec.text) {
                        return err(D::Flag, e, spec.span.range());
                    }
                    let (mount, error) = if spec.text.contains('$') {
                        (None, None)
                    } else {
                        match super::mount::parse_mount(&spec.text) {
                            Ok(m) => (Some(m), None),
                            Err(e) => (None, Some(e)),
                        }
                    };
                    mounts.push(MountFlag { spec, mount, error });
                }
                let network = f.string("network");
                if let Some(n) = &network {
                    if !matches!(n.text.as_str(), "default" | "none" | "host") {
                        return err(D::Flag, format!("invalid network mode {}", go_quote(&n.text)), n.span.range());
                    }
                }
                let security = f.string("security");
                if let Some(s) = &security {
                    if !matches!(s.text.as_str(), "insecure" | "sandbox") {
                        return err(D::Flag, format!("security {} is not valid", go_quote(&s.text)), s.span.range());
                    }
                }
                let heredocs = ins
                    .heredocs
                    .iter()
                    .map(|h| HeredocFile {
                        name: h.name.to_string(),
                        data: h.content(self.tree).into_owned(),
                        chomp: h.chomp,
                        expand: h.expand,
                        fd: h.fd,
                        marker: self.span(h.marker),
                        body: self.span(h.body),
                    })
                    .collect();
                Command::Run(Run { command, mounts, network, security, heredocs })
            }
            Keyword::Cmd => {
                self.flags(ins, flags::NONE)?;
                Command::Cmd(Cmd { command: self.command_line(args, Self::is_json(ins)) })
            }
            Keyword::Entrypoint => {
                self.flags(ins, flags::NONE)?;
                Command::Entrypoint(Entrypoint { command: self.command_line(args, Self::is_json(ins)) })
            }
            Keyword::Healthcheck => self.healthcheck(ins, args)?,
            Keyword::Expose => {
                if args.is_empty() {
                    return at_least_one("EXPOSE");
                }
                self.flags(ins, flags::NONE)?;
                Command::Expose(Expose { ports: args })
            }
            Keyword::User => {
                if args.len() != 1 {
                    return exactly_one("USER");
                }
                self.flags(ins, flags::NONE)?;
                Command::User(User { user: args[0].clone() })
            }
            Keyword::Volume => {
                if args.is_empty() {
                    return at_least_one("VOLUME");
                }
                self.flags(ins, flags::NONE)?;
                let mut paths = Vec::new();
                for mut w in args {
                    let trimmed = w.text.trim();
                    if trimmed.is_empty() {
                        return err(D::Instruction, "VOLUME specified can not be an empty string", w.span.range());
                    }
                    if trimmed.len() != w.text.len() {
                        w.text = trimmed.to_owned();
                    }
                    paths.push(w);
                }
                let form = if Self::is_json(ins) { Form::Exec } else { Form::Shell };
                Command::Volume(Volume { form, paths })
            }
            Keyword::Stopsignal => {
                // BuildKit does not check STOPSIGNAL's flags.
                if args.len() != 1 {
                    return exactly_one("STOPSIGNAL");
                }
                Command::Stopsignal(Stopsignal { signal: args[0].clone() })
            }
            Keyword::Arg => {
                // BuildKit does not check ARG's flags either.
                if args.is_empty() {
                    return at_least_one("ARG");
                }
                let mut defs = Vec::new();
                for w in args {
                    match w.text.split_once('=') {
                        Some((k, _)) => {
                            if k.is_empty() {
                                return err(D::Instruction, "ARG names can not be blank", w.span.range());
                            }
                            let (key, value) = split_word(self, &w, k.len());
                            defs.push(ArgDef { key, value: Some(value) });
                        }
                        None => defs.push(ArgDef { key: w, value: None }),
                    }
                }
                Command::Arg(Arg { args: defs })
            }
            Keyword::Shell => {
                self.flags(ins, flags::NONE)?;
                let json = Self::is_json(ins);
                let cl = self.command_line(args, json);
                if cl.args.is_empty() {
                    return at_least_one("SHELL");
                }
                if !json {
                    return err(D::Instruction, "SHELL requires the arguments to be in JSON form", whole);
                }
                Command::Shell(Shell { shell: cl.args })
            }
        };
        let comments = self.tree.prev_comments(ins).iter().map(|c| self.tree.comment_text(c)).collect();
        Ok(Instruction {
            keyword: self.word(&ins.keyword),
            span: self.span(ins.range),
            start_line: ins.start_line,
            end_line: ins.end_line,
            flags: ins.flags.iter().map(|f| self.text_word(f.text(self.tree).to_owned(), f.range)).collect(),
            original: self.tree.logical_line(ins).into_owned(),
            comments,
            command,
        })
    }

    fn add_copy(&self, ins: &syntax::Instruction, kind: Keyword, args: Vec<Word>) -> Result<Command> {
        let name = kind.name();
        if args.len() < 2 {
            return err(
                DiagnosticKind::Instruction,
                format!("{name} requires at least two arguments, but only one was provided. Destination could not be determined"),
                ins.range,
            );
        }
        let f = self.flags(ins, if kind == Keyword::Add { flags::ADD } else { flags::COPY })?;
        let mut args = args;
        let dest = args.pop().unwrap_or_default();
        if is_heredoc_marker(&dest.text) {
            return err(
                DiagnosticKind::Instruction,
                format!("{name} cannot accept a heredoc as a destination"),
                dest.span.range(),
            );
        }
        let mut sources = Vec::new();
        let mut heredocs = Vec::new();
        for w in args {
            match marker(&w.text) {
                Some((hname, chomp, expand)) => {
                    let content = ins
                        .heredocs
                        .iter()
                        .find(|h| *h.name == *hname)
                        .map(|h| if chomp { h.chomped(self.tree) } else { h.content(self.tree).into_owned() })
                        .unwrap_or_default();
                    heredocs.push(SourceContent { path: hname, data: content, expand, word: w });
                }
                None => sources.push(w),
            }
        }
        let form = if Self::is_json(ins) { Form::Exec } else { Form::Shell };
        Ok(if kind == Keyword::Add {
            Command::Add(Add {
                form,
                sources,
                heredocs,
                dest,
                chown: f.string("chown"),
                chmod: f.string("chmod"),
                link: f.bool("link").unwrap_or(false),
                keep_git_dir: f.bool("keep-git-dir"),
                checksum: f.string("checksum"),
                unpack: f.bool("unpack"),
                exclude: f.strings("exclude"),
            })
        } else {
            Command::Copy(Copy {
                form,
                sources,
                heredocs,
                dest,
                from: f.string("from"),
                chown: f.string("chown"),
                chmod: f.string("chmod"),
                link: f.bool("link").unwrap_or(false),
                parents: f.bool("parents").unwrap_or(false),
                exclude: f.strings("exclude"),
            })
        })
    }

    fn healthcheck(&self, ins: &syntax::Instruction, args: Vec<Word>) -> Result<Command> {
        use DiagnosticKind as D;
        if args.is_empty() {
            return err(D::Instruction, "HEALTHCHECK requires at least one argument", ins.range);
        }
        let typ = go_upper(&args[0].text);
        let rest: Vec<Word> = args[1..].to_vec();
        if typ == "NONE" {
            if !rest.is_empty() {
                return err(D::Instruction, "HEALTHCHECK NONE takes no arguments", ins.range);
            }
            return Ok(Command::Healthcheck(Healthcheck::None));
        }
        let f = self.flags(ins, flags::HEALTHCHECK)?;
        let command = if typ == "CMD" {
            let cl = self.command_line(rest, Self::is_json(ins));
            if cl.args.is_empty() {
                return err(D::Instruction, "Missing command after HEALTHCHECK CMD", ins.range);
            }
            cl
        } else {
            return err(D::Instruction, format!("Unknown type {} in HEALTHCHECK (try CMD)", go_quote(&typ)), args[0].span.range());
        };
        let duration = |name: &str| -> Result<Option<DurationFlag>> {
            let Some(w) = f.string(name) else { return Ok(None) };
            if w.text.is_empty() {
                return Ok(None);
            }
            let nanos = parse_duration(&w.text).map_err(|m| LowerError { kind: D::Flag, message: m, range: w.span.range() })?;
            if nanos != 0 && nanos < 1_000_000 {
                return err(
                    D::Flag,
                    format!("Interval {} cannot be less than {}", go_quote(name), duration_string(1_000_000)),
                    w.span.range(),
                );
            }
            Ok(Some(DurationFlag { word: w, nanos }))
        };
        let interval = duration("interval")?;
        let timeout = duration("timeout")?;
        let start_period = duration("start-period")?;
        let start_interval = duration("start-interval")?;
        let retries = match f.string("retries") {
            Some(w) if !w.text.is_empty() => {
                let v = parse_int(&w.text, 32).map_err(|m| LowerError { kind: D::Flag, message: m, range: w.span.range() })?;
                if v < 0 {
                    return err(D::Flag, format!("--retries cannot be negative ({v})"), w.span.range());
                }
                Some(RetriesFlag { word: w, value: v as i32 })
            }
            _ => None,
        };
        Ok(Command::Healthcheck(Healthcheck::Cmd { command, interval, timeout, start_period, start_interval, retries }))
    }
}

/// Splits an ARG word at byte `at` (the `=`) into key and value words with their spans.
fn split_word(l: &Lowerer<'_>, w: &Word, at: usize) -> (Word, Word) {
    let key_text = w.text[..at].to_owned();
    let value_text = w.text[at + 1..].to_owned();
    // The word is a plain slice of one line unless it spans a continuation.
    let plain = (w.span.end - w.span.start) as usize == w.text.len();
    if plain {
        let eq = w.span.start + at as u32;
        let key = Word { text: key_text, span: l.span(TextRange::new(w.span.start, eq)) };
        let value = Word { text: value_text, span: l.span(TextRange::new(eq + 1, w.span.end)) };
        (key, value)
    } else {
        (Word { text: key_text, span: w.span }, Word { text: value_text, span: w.span })
    }
}

/// `strings.EqualFold(s, "as")` (Unicode folding: `ſ` is an `s`).
fn eq_fold_as(s: &str) -> bool {
    let mut c = s.chars();
    matches!((c.next(), c.next(), c.next()), (Some('a' | 'A'), Some('s' | 'S' | '\u{17F}'), None))
}

/// `^[a-z][a-z0-9-_.]*$`
fn valid_stage_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_lowercase()
        && b[1..].iter().all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'-' | b'_' | b'.'))
}

/// BuildKit's `(?i)^\s*ONBUILD\s*` removal.
fn strip_onbuild(original: &str) -> String {
    let ws = |c: char| matches!(c, '\t' | '\n' | '\u{c}' | '\r' | ' ');
    let s = original.trim_start_matches(ws);
    match s.get(..7) {
        Some(k) if k.eq_ignore_ascii_case("onbuild") => s[7..].trim_start_matches(ws).to_owned(),
        _ => original.to_owned(),
    }
}

fn marker(word: &str) -> Option<(String, bool, bool)> {
    crate::syntax::heredoc_marker(word).map(|m| (m.name, m.chomp, m.expand))
}

fn is_heredoc_marker(word: &str) -> bool {
    marker(word).is_some()
}

/// Builds a diagnostic for a lowering error of instruction `ins`.
pub(crate) fn diagnostic(tree: &SyntaxTree, ins: &syntax::Instruction, e: LowerError) -> Diagnostic {
    Diagnostic::error(tree, e.kind, e.message, e.range).in_instruction(ins.start_line)
}
