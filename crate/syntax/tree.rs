//! The lossless syntax tree: a token stream that tiles the input byte for byte, and over it
//! the instructions BuildKit's parser sees (keyword, flags, arguments, heredocs), the parser
//! directives and the comments, each with its byte range.
//!
//! Storage is flat (arenas indexed by `u32`), so parsing allocates little; values are read
//! through the tree (`arg.text(&tree)`), borrowed from the input whenever BuildKit's value is
//! a plain slice of it.

use super::text::{go_lossy, TextRange};
use super::trivia::Tokens;
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
        let n = word.len();
        if !(3..=11).contains(&n) {
            return if n > 11 && !word.is_ascii() { Self::lookup_unicode(word) } else { None };
        }
        let (mut lo, mut hi) = (0u64, 0u64);
        for (i, &b) in word.iter().enumerate() {
            if i < 8 {
                lo |= u64::from(b) << (8 * i);
            } else {
                hi |= u64::from(b) << (8 * (i - 8));
            }
        }
        Self::lookup_packed(word, lo, hi)
    }

    /// [`Keyword::lookup`] of `line[a..b]`, reading whole words of the line when it can.
    #[inline]
    pub(crate) fn lookup_in(line: &[u8], a: usize, b: usize) -> Option<Keyword> {
        let n = b - a;
        if !(3..=11).contains(&n) || a + 16 > line.len() {
            return Self::lookup(&line[a..b]);
        }
        let mut w = [0u8; 8];
        w.copy_from_slice(&line[a..a + 8]);
        let lo = u64::from_le_bytes(w);
        w.copy_from_slice(&line[a + 8..a + 16]);
        let hi = u64::from_le_bytes(w);
        let lo_mask = if n >= 8 { u64::MAX } else { (1u64 << (8 * n)) - 1 };
        let hi_mask = if n > 8 { (1u64 << (8 * (n - 8))) - 1 } else { 0 };
        Self::lookup_packed(&line[a..b], lo & lo_mask, hi & hi_mask)
    }

    /// The keyword whose name, packed little-endian into `lo` and `hi` (zero-padded), is
    /// `word` in any case.
    #[inline]
    fn lookup_packed(word: &[u8], lo: u64, hi: u64) -> Option<Keyword> {
        /// The name packed into two little-endian words, lower-case.
        const fn pack(name: &[u8]) -> (u64, u64) {
            let mut lo = 0u64;
            let mut hi = 0u64;
            let mut i = 0;
            while i < name.len() {
                if i < 8 {
                    lo |= (name[i] as u64) << (8 * i);
                } else {
                    hi |= (name[i] as u64) << (8 * (i - 8));
                }
                i += 1;
            }
            (lo, hi)
        }
        const RUN: (u64, u64) = pack(b"run");
        const RUN_LO: u64 = RUN.0;
        const COPY: (u64, u64) = pack(b"copy");
        const COPY_LO: u64 = COPY.0;
        const FROM: (u64, u64) = pack(b"from");
        const FROM_LO: u64 = FROM.0;
        const ENV: (u64, u64) = pack(b"env");
        const ENV_LO: u64 = ENV.0;
        const ADD: (u64, u64) = pack(b"add");
        const ADD_LO: u64 = ADD.0;
        const ARG: (u64, u64) = pack(b"arg");
        const ARG_LO: u64 = ARG.0;
        const CMD: (u64, u64) = pack(b"cmd");
        const CMD_LO: u64 = CMD.0;
        const WORKDIR: (u64, u64) = pack(b"workdir");
        const WORKDIR_LO: u64 = WORKDIR.0;
        const EXPOSE: (u64, u64) = pack(b"expose");
        const EXPOSE_LO: u64 = EXPOSE.0;
        const ENTRYPOINT: (u64, u64) = pack(b"entrypoint");
        const ENTRYPOINT_LO: u64 = ENTRYPOINT.0;
        const LABEL: (u64, u64) = pack(b"label");
        const LABEL_LO: u64 = LABEL.0;
        const USER: (u64, u64) = pack(b"user");
        const USER_LO: u64 = USER.0;
        const VOLUME: (u64, u64) = pack(b"volume");
        const VOLUME_LO: u64 = VOLUME.0;
        const SHELL: (u64, u64) = pack(b"shell");
        const SHELL_LO: u64 = SHELL.0;
        const HEALTHCHECK: (u64, u64) = pack(b"healthcheck");
        const HEALTHCHECK_LO: u64 = HEALTHCHECK.0;
        const ONBUILD: (u64, u64) = pack(b"onbuild");
        const ONBUILD_LO: u64 = ONBUILD.0;
        const STOPSIGNAL: (u64, u64) = pack(b"stopsignal");
        const STOPSIGNAL_LO: u64 = STOPSIGNAL.0;
        const MAINTAINER: (u64, u64) = pack(b"maintainer");
        const MAINTAINER_LO: u64 = MAINTAINER.0;
        let n = word.len();
        if (lo | hi) & 0x8080_8080_8080_8080 != 0 {
            return Self::lookup_unicode(word);
        }
        // `| 0x20` lower-cases letters; a byte maps to a letter only from that letter in
        // either case, so comparing with the lower-case names is exact.
        let case = 0x2020_2020_2020_2020u64;
        let lo_mask = if n >= 8 { u64::MAX } else { (1u64 << (8 * n)) - 1 };
        let hi_mask = if n > 8 { (1u64 << (8 * (n - 8))) - 1 } else { 0 };
        let key = (lo | (case & lo_mask), hi | (case & hi_mask));
        // A switch on the first eight bytes, then the rest for the long names.
        let (lo, hi) = key;
        let (kw, rest) = match lo {
            RUN_LO => (Keyword::Run, RUN.1),
            COPY_LO => (Keyword::Copy, COPY.1),
            FROM_LO => (Keyword::From, FROM.1),
            ENV_LO => (Keyword::Env, ENV.1),
            ADD_LO => (Keyword::Add, ADD.1),
            ARG_LO => (Keyword::Arg, ARG.1),
            CMD_LO => (Keyword::Cmd, CMD.1),
            WORKDIR_LO => (Keyword::Workdir, WORKDIR.1),
            EXPOSE_LO => (Keyword::Expose, EXPOSE.1),
            ENTRYPOINT_LO => (Keyword::Entrypoint, ENTRYPOINT.1),
            LABEL_LO => (Keyword::Label, LABEL.1),
            USER_LO => (Keyword::User, USER.1),
            VOLUME_LO => (Keyword::Volume, VOLUME.1),
            SHELL_LO => (Keyword::Shell, SHELL.1),
            HEALTHCHECK_LO => (Keyword::Healthcheck, HEALTHCHECK.1),
            ONBUILD_LO => (Keyword::Onbuild, ONBUILD.1),
            STOPSIGNAL_LO => (Keyword::Stopsignal, STOPSIGNAL.1),
            MAINTAINER_LO => (Keyword::Maintainer, MAINTAINER.1),
            _ => return None,
        };
        (hi == rest).then_some(kw)
    }

    /// Go lower-cases `İ` to `i` and the Kelvin sign to `k`: `WORKDİR` is WORKDIR to BuildKit.
    #[cold]
    fn lookup_unicode(word: &[u8]) -> Option<Keyword> {
        let s = std::str::from_utf8(word).ok()?;
        let mut buf = [0u8; 11];
        let mut n = 0;
        for c in s.chars() {
            let l = match c {
                '\u{130}' => 'i',
                '\u{212A}' => 'k',
                c if c.is_ascii() => c,
                _ => return None,
            };
            *buf.get_mut(n)? = l as u8;
            n += 1;
        }
        Self::lookup(&buf[..n])
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arg {
    /// The bytes of the value in the input (across continuation lines when it spans them).
    pub range: TextRange,
    /// Where the value is in the tree's value arena when it is not exactly the bytes at
    /// `range` (`VERBATIM` otherwise).
    pub(crate) value: TextRange,
}

/// `Arg::value` of an argument whose value is its own bytes.
pub(crate) const VERBATIM: TextRange = TextRange::new(u32::MAX, u32::MAX);

impl Arg {
    /// BuildKit's value for this argument (raw: no variable expansion).
    pub fn text<'t>(&self, tree: &'t SyntaxTree) -> &'t str {
        if self.value == VERBATIM {
            tree.str_at(self.range)
        } else {
            tree.values.get(self.value.to_usize()).unwrap_or("")
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
///     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ flags(ins)[0]
///     pip install -r requirements.txt
///     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ args(ins)[0] (shell form: one string)
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
    pub(crate) flags: (u32, u32),
    /// How the arguments were read.
    pub form: Form,
    pub(crate) args: (u32, u32),
    /// Heredocs (see [`SyntaxTree::heredocs`]): a range of the tree's heredoc arena.
    pub(crate) heredocs: (u32, u32),
    pub(crate) prev_comments: (u32, u32),
    /// The instruction's tokens (its Text tokens are BuildKit's logical line).
    pub(crate) tokens: (u32, u32),
    /// Blank lines inside the continuation (see [`SyntaxTree::empty_continuation_lines`]):
    /// a range of the tree's arena of line numbers.
    pub(crate) empty_lines: (u32, u32),
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
    /// The tokens other than Whitespace and Newline, which [`SyntaxTree::tokens`] derives
    /// from the gaps between these.
    pub(crate) tokens: Vec<Token>,
    /// Where lines start, computed on first use (parsing does not need it).
    pub(crate) lines: std::sync::OnceLock<LineIndex>,
    pub(crate) directives: Vec<Directive>,
    pub(crate) comments: Vec<Comment>,
    pub(crate) instructions: Vec<Instruction>,
    pub(crate) triggers: Vec<Instruction>,
    pub(crate) args: Vec<Arg>,
    pub(crate) flags: Vec<Flag>,
    pub(crate) heredocs: Vec<Heredoc>,
    /// 1-based numbers of blank lines inside continuations, instruction after instruction.
    pub(crate) empty_lines: Vec<u32>,
    /// Values that are not slices of the input (joined continuations, decoded JSON, ...).
    pub(crate) values: String,
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
        for t in self.tokens() {
            out.extend_from_slice(&src[t.range.to_usize()]);
        }
        out
    }

    /// The tokens, in order, tiling the input.
    pub fn tokens(&self) -> Tokens<'_> {
        Tokens::new(self)
    }

    /// The tokens from the one containing `offset` (or the first after it) to the end.
    pub fn tokens_from(&self, offset: u32) -> Tokens<'_> {
        Tokens::from_offset(self, offset)
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

    /// The flags of an instruction (`--name=value` words before the arguments), in order.
    pub fn flags(&self, instruction: &Instruction) -> &[Flag] {
        self.flags.get(instruction.flags.0 as usize..instruction.flags.1 as usize).unwrap_or(&[])
    }

    /// The heredocs of an instruction (RUN/COPY/ADD in shell form, and ONBUILD of those;
    /// an ONBUILD and its trigger share them).
    pub fn heredocs(&self, instruction: &Instruction) -> &[Heredoc] {
        self.heredocs.get(instruction.heredocs.0 as usize..instruction.heredocs.1 as usize).unwrap_or(&[])
    }

    /// 1-based numbers of the blank lines inside an instruction's continuation (BuildKit
    /// warns about them: NoEmptyContinuation).
    pub fn empty_continuation_lines(&self, instruction: &Instruction) -> &[u32] {
        self.empty_lines.get(instruction.empty_lines.0 as usize..instruction.empty_lines.1 as usize).unwrap_or(&[])
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
        let tokens = self.tokens.get(instruction.tokens.0 as usize..instruction.tokens.1 as usize).unwrap_or(&[]);
        let mut texts = tokens.iter().filter(|t| t.kind == TokenKind::Text);
        let first = texts.next();
        let Some(first) = first else { return Cow::Borrowed("") };
        let rest: Vec<&Token> = texts.collect();
        if rest.is_empty() {
            return self.slice(first.range);
        }
        let src = self.source();
        let mut bytes = src[first.range.to_usize()].to_vec();
        for t in rest {
            bytes.extend_from_slice(&src[t.range.to_usize()]);
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

    fn line_index(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(self.source()))
    }

    fn line_start(&self, line: u32) -> u32 {
        self.line_index().starts.get(line.saturating_sub(1) as usize).copied().unwrap_or(0)
    }

    /// The 1-based line and column of a byte offset.
    pub fn position(&self, offset: u32) -> Position {
        self.position_after(None, offset)
    }

    /// [`SyntaxTree::position`], counting from a known earlier `(offset, position)` on the
    /// same line when given (so walking a long line is linear, not quadratic).
    pub fn position_after(&self, known: Option<(u32, Position)>, offset: u32) -> Position {
        let index = self.line_index();
        let idx = index.starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = index.starts.get(idx).copied().unwrap_or(0);
        let src = self.source();
        let offset = offset.min(src.len() as u32).max(start);
        if index.ascii.get(idx).copied().unwrap_or(false) {
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
        self.line_index().starts.len() as u32
    }
}

/// Line starts and, per line, whether it is all ASCII (then columns are byte offsets).
#[derive(Clone, Debug, Default)]
pub(crate) struct LineIndex {
    starts: Vec<u32>,
    ascii: Vec<bool>,
}

impl LineIndex {
    fn new(src: &[u8]) -> Self {
        let mut starts = vec![0u32];
        let mut ascii = Vec::new();
        let mut from = 0;
        loop {
            let (nl, line_ascii) = super::scan::find_newline(src, from);
            ascii.push(line_ascii);
            match nl {
                Some(i) if i + 1 < src.len() => {
                    starts.push(i as u32 + 1);
                    from = i + 1;
                }
                _ => break,
            }
        }
        LineIndex { starts, ascii }
    }
}

fn clamp(range: TextRange, len: usize) -> std::ops::Range<usize> {
    let start = (range.start as usize).min(len);
    let end = (range.end as usize).min(len).max(start);
    start..end
}

#[cfg(test)]
mod tests {
    use super::Keyword;

    #[test]
    fn keyword_lookup_like_go_lower() {
        for k in Keyword::ALL {
            let name = k.name();
            assert_eq!(Keyword::lookup(name.as_bytes()), Some(k));
            assert_eq!(Keyword::lookup(name.to_lowercase().as_bytes()), Some(k));
            let line = format!("{} rest of the line", name.to_lowercase());
            assert_eq!(Keyword::lookup_in(line.as_bytes(), 0, name.len()), Some(k));
        }
        for not in ["", "ru", "runn", "RUN ", "r-un", "FOOO", "healthcheckx", "RUN\u{a0}", "ŕun"] {
            assert_eq!(Keyword::lookup(not.as_bytes()), None, "{not:?}");
        }
        assert_eq!(Keyword::lookup("WORKDİR".as_bytes()), Some(Keyword::Workdir));
        assert_eq!(Keyword::lookup("\u{212A}".as_bytes()), None);
        assert_eq!(Keyword::lookup("WOR\u{212A}DIR".as_bytes()), Some(Keyword::Workdir));
    }
}
