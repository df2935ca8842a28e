//! The lossless syntax tree: a token stream that tiles the input byte for byte, and over it
//! the instructions BuildKit's parser sees (keyword, flags, arguments, heredocs), the parser
//! directives and the comments, each with its byte range.
//!
//! Storage is flat (arenas indexed by `u32`), so parsing allocates little; values are read
//! through the tree (`arg.text(&tree)`), borrowed from the input whenever BuildKit's value is
//! a plain slice of it.

use super::text::{go_lossy, TextRange};
use serde::Serialize;
use std::borrow::Cow;

/// The parsed input, owned by the tree.
#[derive(Clone, Debug)]
pub(crate) enum Source {
    /// Valid UTF-8 (the usual case): values can borrow from it.
    Utf8(String),
    /// Not valid UTF-8: kept byte for byte; every value is stored decoded (lossy).
    Bytes(Vec<u8>),
}

impl Source {
    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            Source::Utf8(s) => s.as_bytes(),
            Source::Bytes(b) => b,
        }
    }
}

/// What a [`Token`] is. Tokens tile the input: every byte belongs to exactly one token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum TokenKind {
    /// The UTF-8 byte-order mark at the very start.
    Bom,
    /// Blanks at the start of a line, or a line of only blanks.
    Whitespace,
    /// The line terminator: `\n`, `\r\n`, or any run of `\r`/`\n` ending a line.
    Newline,
    /// `# ...` up to the end of the line (not a parser directive).
    Comment,
    /// A parser directive line such as `# escape=\``, from the `#`.
    Directive,
    /// Instruction text on one physical line (keyword, flags, arguments).
    Text,
    /// The escape character ending a line that continues, with the blanks after it.
    LineContinuation,
    /// The lines of a heredoc body (with their line terminators).
    HeredocBody,
    /// The line that ends a heredoc (its terminator word).
    HeredocEnd,
    /// Input that was not parsed (over the size limit).
    Unparsed,
}

/// A token: a kind and the bytes it covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Token {
    /// What the bytes are.
    pub kind: TokenKind,
    /// Which bytes.
    pub range: TextRange,
}

/// The 18 Dockerfile instructions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
}

impl Keyword {
    /// Every instruction, in BuildKit's `command.Commands` order (alphabetical).
    pub const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    /// The canonical (upper-case) name: `"RUN"`.
    pub const fn name(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
        }
    }

    /// The instruction named `word`, compared as BuildKit does (`strings.ToLower`, so
    /// any casing, and even `WORKDİR` with a dotted capital I).
    pub fn lookup(word: &[u8]) -> Option<Keyword> {
        let mut buf = [0u8; 12];
        let mut n = 0;
        if word.is_ascii() {
            if word.len() > buf.len() {
                return None;
            }
            for &b in word {
                buf[n] = b.to_ascii_lowercase();
                n += 1;
            }
        } else {
            let s = std::str::from_utf8(word).ok()?;
            for c in s.chars() {
                let l = match c {
                    '\u{130}' => 'i',
                    '\u{212A}' => 'k',
                    c if c.is_ascii() => c.to_ascii_lowercase(),
                    _ => return None,
                };
                if n == buf.len() {
                    return None;
                }
                buf[n] = l as u8;
                n += 1;
            }
        }
        Some(match &buf[..n] {
            b"add" => Keyword::Add,
            b"arg" => Keyword::Arg,
            b"cmd" => Keyword::Cmd,
            b"copy" => Keyword::Copy,
            b"entrypoint" => Keyword::Entrypoint,
            b"env" => Keyword::Env,
            b"expose" => Keyword::Expose,
            b"from" => Keyword::From,
            b"healthcheck" => Keyword::Healthcheck,
            b"label" => Keyword::Label,
            b"maintainer" => Keyword::Maintainer,
            b"onbuild" => Keyword::Onbuild,
            b"run" => Keyword::Run,
            b"shell" => Keyword::Shell,
            b"stopsignal" => Keyword::Stopsignal,
            b"user" => Keyword::User,
            b"volume" => Keyword::Volume,
            b"workdir" => Keyword::Workdir,
            _ => return None,
        })
    }
}

/// A value in an instruction: its bytes in the input and the string BuildKit's parser
/// makes of them (continuations joined, JSON decoded, flag quotes removed; never
/// variable-expanded).
///
/// ```text
/// ENV GREETING="hello world"
///     ^^^^^^^^ ^^^^^^^^^^^^^   key and value args (value keeps its quotes, as BuildKit's)
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arg {
    /// The bytes of the value in the input (across continuation lines when it spans them).
    pub range: TextRange,
    /// The value when it is not exactly the bytes at `range`.
    pub(crate) value: Option<Box<str>>,
}

impl Arg {
    /// BuildKit's value for this argument (raw: no variable expansion).
    pub fn text<'t>(&'t self, tree: &'t SyntaxTree) -> &'t str {
        match &self.value {
            Some(v) => v,
            None => tree.str_at(self.range),
        }
    }
}

/// An instruction flag such as `--from=builder`.
///
/// ```text
/// COPY --chown=app:app src/ /app/
///      ^^^^^^^^^^^^^^^           range: the flag as written
///        ^^^^^                   name
///              ^^^^^^^           value
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    /// The whole flag as written (quotes and escapes included).
    pub range: TextRange,
    /// The name as written, after `--`.
    pub name_range: TextRange,
    /// The value as written, after `=` (`None` for `--link`).
    pub value_range: Option<TextRange>,
    /// BuildKit's string for the flag (`--name=value`, quotes and escapes removed).
    pub(crate) word: Arg,
}

impl Flag {
    /// The flag as BuildKit reads it: `--name=value`, quotes and escapes removed.
    pub fn text<'t>(&'t self, tree: &'t SyntaxTree) -> &'t str {
        self.word.text(tree)
    }
    /// The flag name without `--` (`from` in `--from=builder`).
    pub fn name<'t>(&'t self, tree: &'t SyntaxTree) -> &'t str {
        let t = self.text(tree);
        let t = t.strip_prefix("--").unwrap_or(t);
        t.split_once('=').map_or(t, |(n, _)| n)
    }
    /// The value after the first `=`, if any.
    pub fn value<'t>(&'t self, tree: &'t SyntaxTree) -> Option<&'t str> {
        self.text(tree).split_once('=').map(|(_, v)| v)
    }
}

/// A heredoc attached to a RUN, COPY or ADD (or an ONBUILD of one).
///
/// ```text
/// RUN <<-EOF cat
///     ^^^^^^      marker
/// <tab>echo hi    body (lines, with their newlines)
/// EOF             terminator
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    /// The `<<NAME` word on the instruction line.
    pub marker: TextRange,
    /// The terminator word (quotes removed): `EOF` for `<<"EOF"`.
    pub name: Box<str>,
    /// The file descriptor before `<<` (`3<<EOF`), 0 when none.
    pub fd: u64,
    /// `<<-`: leading tabs are removed from the body and the terminator line.
    pub chomp: bool,
    /// False when any part of the name was quoted: the body is not variable-expanded.
    pub expand: bool,
    /// The body lines, with their line terminators (BuildKit's `Content`, before chomping).
    pub body: TextRange,
    /// The terminator line (without its newline); `None` when the input ended first.
    pub terminator: Option<TextRange>,
}

impl Heredoc {
    /// The body as BuildKit stores it (not chomped; see [`Heredoc::chomped`]).
    pub fn content<'t>(&self, tree: &'t SyntaxTree) -> Cow<'t, str> {
        tree.slice(self.body)
    }
    /// The body with leading tabs removed from every line when `chomp` is set.
    pub fn chomped(&self, tree: &SyntaxTree) -> String {
        let c = self.content(tree);
        if !self.chomp {
            return c.into_owned();
        }
        let mut out = String::with_capacity(c.len());
        for line in c.split_inclusive('\n') {
            out.push_str(line.trim_start_matches('\t'));
        }
        out
    }
}

/// How an instruction's arguments were read, which decides what [`Instruction::args`] holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "form", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Form {
    /// No arguments.
    Empty,
    /// An unknown instruction: BuildKit keeps no arguments (its dump shows `""`).
    Ignored,
    /// Separate words: FROM, EXPOSE, ARG, and ADD/COPY/VOLUME in shell form.
    Words,
    /// The rest of the line as one string: the shell form of RUN/CMD/ENTRYPOINT/SHELL, and
    /// MAINTAINER, USER, WORKDIR, STOPSIGNAL.
    Text,
    /// A JSON array of strings (exec form); `array` covers `[` to `]`.
    Json {
        /// The array as written.
        array: TextRange,
    },
    /// ENV and LABEL: `args` are triples `key, value, separator` where the separator is
    /// `=` or, for the legacy `KEY value` form (`legacy`), empty.
    KeyValue {
        /// `ENV KEY value` (one pair, no `=`).
        legacy: bool,
    },
    /// HEALTHCHECK: `args[0]` is the type (`CMD`, `NONE`, ...), then the command, in JSON
    /// form when `json` is set (it covers the array), else one string.
    Healthcheck {
        /// The JSON array of the command, when it is in exec form.
        json: Option<TextRange>,
    },
    /// ONBUILD: the trigger instruction (see [`SyntaxTree::trigger`]); no arguments.
    Onbuild {
        /// Index of the trigger; `None` for a bare `ONBUILD`.
        trigger: Option<u32>,
    },
    /// BuildKit's parser rejects the arguments (see the diagnostics); `args` may be partial.
    Invalid,
}

/// One instruction.
///
/// ```text
/// RUN --mount=type=cache,target=/root/.cache \
/// ^^^ keyword
///     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ flags[0]
///     pip install -r requirements.txt
///     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ args[0] (shell form: one string)
/// ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ range
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    /// From the keyword to the end of the instruction's last line (heredocs included).
    pub range: TextRange,
    /// BuildKit's `StartLine`: the 1-based line of the keyword.
    pub start_line: u32,
    /// BuildKit's `EndLine`: the 1-based last line (continuations, heredocs included).
    pub end_line: u32,
    /// The instruction name as written (`run`, `Run`, `RUN`).
    pub keyword: Arg,
    /// Which instruction, or `None` for an unknown name.
    pub kind: Option<Keyword>,
    /// Flags (`--name=value` words before the arguments), in order.
    pub flags: Vec<Flag>,
    /// How the arguments were read.
    pub form: Form,
    pub(crate) args: (u32, u32),
    /// Heredocs (only on RUN/COPY/ADD in shell form, and on ONBUILD of those).
    pub heredocs: Vec<Heredoc>,
    pub(crate) prev_comments: (u32, u32),
    pub(crate) segments: (u32, u32),
    /// 1-based numbers of blank lines inside the continuation (BuildKit warns about them).
    pub empty_continuation_lines: Vec<u32>,
    /// True when BuildKit's parser rejects this instruction (see the diagnostics).
    pub error: bool,
}

/// Which parser directive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DirectiveKind {
    /// `# syntax=docker/dockerfile:1`
    Syntax,
    /// `# escape=\`` or `# escape=\\`
    Escape,
    /// `# check=skip=StageNameCasing;error=true`
    Check,
}

impl DirectiveKind {
    /// The directive's name, lower-case.
    pub const fn name(self) -> &'static str {
        match self {
            DirectiveKind::Syntax => "syntax",
            DirectiveKind::Escape => "escape",
            DirectiveKind::Check => "check",
        }
    }
}

/// A parser directive at the top of the file.
///
/// ```text
/// # escape = `
/// ^^^^^^^^^^^ range
///   ^^^^^^     name
///            ^ value
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Directive {
    /// Which directive.
    pub kind: DirectiveKind,
    /// From `#` to the end of the line.
    pub range: TextRange,
    /// The name as written (any case).
    pub name: TextRange,
    /// The value, trimmed.
    pub value: TextRange,
    /// 1-based line.
    pub line: u32,
}

/// A comment line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// From `#` to the end of the line.
    pub range: TextRange,
    /// 1-based line.
    pub line: u32,
    /// True for a comment line inside an instruction's continuation.
    pub in_continuation: bool,
}

/// The lossless syntax tree of a Dockerfile. See the module documentation of
/// [`crate::syntax`] for the guarantees.
#[derive(Clone, Debug)]
pub struct SyntaxTree {
    pub(crate) source: Source,
    pub(crate) tokens: Vec<Token>,
    pub(crate) line_starts: Vec<u32>,
    /// Per line: true when it is all ASCII (its columns are byte offsets).
    pub(crate) line_ascii: Vec<bool>,
    pub(crate) directives: Vec<Directive>,
    pub(crate) comments: Vec<Comment>,
    pub(crate) instructions: Vec<Instruction>,
    pub(crate) triggers: Vec<Instruction>,
    pub(crate) args: Vec<Arg>,
    pub(crate) segments: Vec<TextRange>,
    pub(crate) escape: u8,
}

/// A 1-based line and column. Columns count Unicode characters (an invalid UTF-8 byte
/// counts as one); the wasm layer converts to UTF-16 for the editor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub col: u32,
}

impl SyntaxTree {
    /// The input, byte for byte, as the tree holds it.
    pub fn source(&self) -> &[u8] {
        self.source.bytes()
    }

    /// The text of the tree: the concatenation of its tokens. Equal to the input.
    pub fn text(&self) -> Vec<u8> {
        let src = self.source();
        let mut out = Vec::with_capacity(src.len());
        for t in &self.tokens {
            out.extend_from_slice(&src[t.range.to_usize()]);
        }
        out
    }

    /// The tokens, in order, tiling the input.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// The top-level instructions, in order.
    pub fn instructions(&self) -> &[Instruction] {
        &self.instructions
    }

    /// The instruction an ONBUILD triggers.
    pub fn trigger(&self, onbuild: &Instruction) -> Option<&Instruction> {
        match onbuild.form {
            Form::Onbuild { trigger: Some(i) } => self.triggers.get(i as usize),
            _ => None,
        }
    }

    /// The arguments of an instruction (see [`Form`] for their layout).
    pub fn args(&self, instruction: &Instruction) -> &[Arg] {
        self.args.get(instruction.args.0 as usize..instruction.args.1 as usize).unwrap_or(&[])
    }

    /// The parser directives, in order.
    pub fn directives(&self) -> &[Directive] {
        &self.directives
    }

    /// The directive of a kind, if present.
    pub fn directive(&self, kind: DirectiveKind) -> Option<&Directive> {
        self.directives.iter().find(|d| d.kind == kind)
    }

    /// All comment lines, in order (directives are not comments).
    pub fn comments(&self) -> &[Comment] {
        &self.comments
    }

    /// The comments BuildKit attaches to an instruction (`PrevComment`): the comment lines
    /// just before it, after the previous instruction or the last empty `#` line.
    pub fn prev_comments(&self, instruction: &Instruction) -> &[Comment] {
        self.comments.get(instruction.prev_comments.0 as usize..instruction.prev_comments.1 as usize).unwrap_or(&[])
    }

    /// A comment's text as BuildKit stores it in `PrevComment`: the line after its first
    /// byte, trimmed (so an indented `  # x` keeps its `#`, as BuildKit's does).
    pub fn comment_text(&self, comment: &Comment) -> String {
        let line_start = self.line_start(comment.line);
        let src = self.source();
        let mut end = comment.range.end as usize;
        while end < src.len() && matches!(src[end], b'\r' | b'\n') {
            end += 1;
        }
        let from = (line_start as usize + 1).min(end);
        go_lossy(&src[from..end]).trim().to_owned()
    }

    /// The escape character in effect (`\` unless `# escape=\``).
    pub fn escape(&self) -> char {
        self.escape as char
    }

    /// The instruction as BuildKit's parser saw it: its lines joined without the
    /// continuation characters, comment lines and blank lines (BuildKit's `Original`).
    pub fn logical_line(&self, instruction: &Instruction) -> Cow<'_, str> {
        let segs = self.segments.get(instruction.segments.0 as usize..instruction.segments.1 as usize).unwrap_or(&[]);
        if let [one] = segs {
            return self.slice(*one);
        }
        let src = self.source();
        let mut bytes = Vec::new();
        for s in segs {
            bytes.extend_from_slice(&src[s.to_usize()]);
        }
        Cow::Owned(go_lossy(&bytes))
    }

    /// The text of a range; lossy when it is not valid UTF-8 or splits a character.
    pub fn slice(&self, range: TextRange) -> Cow<'_, str> {
        match &self.source {
            Source::Utf8(s) => match s.get(range.to_usize()) {
                Some(t) => Cow::Borrowed(t),
                None => Cow::Owned(go_lossy(&s.as_bytes()[clamp(range, s.len())])),
            },
            Source::Bytes(b) => Cow::Owned(go_lossy(&b[clamp(range, b.len())])),
        }
    }

    /// Text of a range that the parser guarantees is valid UTF-8 on character boundaries.
    pub(crate) fn str_at(&self, range: TextRange) -> &str {
        match &self.source {
            Source::Utf8(s) => s.get(range.to_usize()).unwrap_or(""),
            Source::Bytes(_) => "",
        }
    }

    fn line_start(&self, line: u32) -> u32 {
        self.line_starts.get(line.saturating_sub(1) as usize).copied().unwrap_or(0)
    }

    /// The 1-based line and column of a byte offset.
    pub fn position(&self, offset: u32) -> Position {
        self.position_after(None, offset)
    }

    /// [`SyntaxTree::position`], counting from a known earlier `(offset, position)` on the
    /// same line when given (so walking a long line is linear, not quadratic).
    pub fn position_after(&self, known: Option<(u32, Position)>, offset: u32) -> Position {
        let idx = self.line_starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = self.line_starts.get(idx).copied().unwrap_or(0);
        let src = self.source();
        let offset = offset.min(src.len() as u32).max(start);
        if self.line_ascii.get(idx).copied().unwrap_or(false) {
            return Position { line: idx as u32 + 1, col: offset - start + 1 };
        }
        let (from, base) = match known {
            Some((o, p)) if p.line == idx as u32 + 1 && o >= start && o <= offset => (o, p.col),
            _ => (start, 1),
        };
        let count = src[from as usize..offset as usize].iter().filter(|&&b| (b as i8) >= -0x40).count() as u32;
        Position { line: idx as u32 + 1, col: base + count }
    }

    /// Number of lines (a final line terminator does not start a new line).
    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }
}

fn clamp(range: TextRange, len: usize) -> std::ops::Range<usize> {
    let start = (range.start as usize).min(len);
    let end = (range.end as usize).min(len).max(start);
    start..end
}
