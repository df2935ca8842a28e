//! The typed instructions: one struct per Dockerfile instruction, holding BuildKit's raw
//! (unexpanded) values as [`Word`]s with their spans. All of it serialises with serde
//! (`dfplay parse --format json`, the page).

use super::mount::Mount;
use serde::Serialize;

/// Where something is: byte offsets into the Dockerfile and 1-based lines and columns
/// (columns count characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
    /// 1-based line of `start`.
    pub line: u32,
    /// 1-based column of `start`.
    pub col: u32,
    /// 1-based line of `end`.
    pub end_line: u32,
    /// 1-based column of `end`.
    pub end_col: u32,
}

impl Span {
    /// The byte range.
    pub fn range(&self) -> crate::syntax::TextRange {
        crate::syntax::TextRange::new(self.start, self.end)
    }
}

/// A value as BuildKit's parser reads it, before variable expansion, and where it is.
///
/// ```text
/// COPY --from=build /src/app /app
///             ^^^^^ Word { text: "build", span }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Word {
    /// The raw text (quotes and `$VARS` as written; continuations joined).
    pub text: String,
    /// Where it is.
    pub span: Span,
}

/// One instruction: what is common to all, and the typed [`Command`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Instruction {
    /// The instruction name as written (`run`, `Run`, `RUN`).
    pub keyword: Word,
    /// The whole instruction, heredocs included.
    pub span: Span,
    /// BuildKit's first line (1-based).
    pub start_line: u32,
    /// BuildKit's last line (1-based).
    pub end_line: u32,
    /// The flags as BuildKit reads them (`--from=build`), in order.
    pub flags: Vec<Word>,
    /// The instruction as BuildKit's parser saw it (continuations joined): `Original`.
    pub original: String,
    /// The comment lines just above it, as BuildKit keeps them (`PrevComment`).
    pub comments: Vec<String>,
    /// The typed arguments.
    #[serde(flatten)]
    pub command: Command,
}

/// The typed arguments of each instruction.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "instruction", rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum Command {
    /// `FROM [--platform=P] image [AS name]`
    From(From),
    /// `RUN [--mount=...] [--network=...] [--security=...] command`
    Run(Run),
    /// `CMD command`
    Cmd(Cmd),
    /// `LABEL k=v ...`
    Label(Label),
    /// `MAINTAINER name`
    Maintainer(Maintainer),
    /// `EXPOSE port[/proto] ...`
    Expose(Expose),
    /// `ENV k=v ...`
    Env(Env),
    /// `ADD [flags] src... dest`
    Add(Add),
    /// `COPY [flags] src... dest`
    Copy(Copy),
    /// `ENTRYPOINT command`
    Entrypoint(Entrypoint),
    /// `VOLUME path ...`
    Volume(Volume),
    /// `USER user[:group]`
    User(User),
    /// `WORKDIR path`
    Workdir(Workdir),
    /// `ARG name[=default] ...`
    Arg(Arg),
    /// `ONBUILD instruction`
    Onbuild(Onbuild),
    /// `STOPSIGNAL signal`
    Stopsignal(Stopsignal),
    /// `HEALTHCHECK [options] CMD command` or `HEALTHCHECK NONE`
    Healthcheck(Healthcheck),
    /// `SHELL ["executable", "params"]`
    Shell(Shell),
}

impl Command {
    /// The instruction's canonical name.
    pub fn keyword(&self) -> crate::syntax::Keyword {
        use crate::syntax::Keyword as K;
        match self {
            Command::From(_) => K::From,
            Command::Run(_) => K::Run,
            Command::Cmd(_) => K::Cmd,
            Command::Label(_) => K::Label,
            Command::Maintainer(_) => K::Maintainer,
            Command::Expose(_) => K::Expose,
            Command::Env(_) => K::Env,
            Command::Add(_) => K::Add,
            Command::Copy(_) => K::Copy,
            Command::Entrypoint(_) => K::Entrypoint,
            Command::Volume(_) => K::Volume,
            Command::User(_) => K::User,
            Command::Workdir(_) => K::Workdir,
            Command::Arg(_) => K::Arg,
            Command::Onbuild(_) => K::Onbuild,
            Command::Stopsignal(_) => K::Stopsignal,
            Command::Healthcheck(_) => K::Healthcheck,
            Command::Shell(_) => K::Shell,
        }
    }
}

/// Shell form (`RUN echo hi`: run by the stage's SHELL) or exec form (`RUN ["echo", "hi"]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Form {
    /// One string, run with the shell (BuildKit's `PrependShell`).
    Shell,
    /// A JSON array of strings, run as is.
    Exec,
}

/// A command line of RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD: BuildKit's `CmdLine`.
///
/// In shell form `args` has one string (the rest of the line) or none; in exec form one
/// per JSON element.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CommandLine {
    /// Shell or exec form.
    pub form: Form,
    /// The arguments.
    pub args: Vec<Word>,
}

/// `FROM [--platform=P] image [AS name]`
///
/// ```text
/// FROM --platform=$BUILDPLATFORM golang:1.22 AS build
///                 ^^^^^^^^^^^^^^ platform
///                                ^^^^^^^^^^^ base
///                                            ^^ as_keyword
///                                               ^^^^^ name (stage_name: "build")
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct From {
    /// The image or stage to start from (raw; may hold `$ARGS`).
    pub base: Word,
    /// The `AS` word as written (any case).
    pub as_keyword: Option<Word>,
    /// The stage name as written.
    pub name: Option<Word>,
    /// The stage name as BuildKit uses it: lower-cased.
    pub stage_name: Option<String>,
    /// `--platform`.
    pub platform: Option<Word>,
}

/// A heredoc of a RUN: a file the shell reads (BuildKit's `ShellInlineFile`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HeredocFile {
    /// The terminator word (`EOF`).
    pub name: String,
    /// The body as written (not chomped).
    pub data: String,
    /// `<<-`: leading tabs are stripped.
    pub chomp: bool,
    /// The body is variable-expanded (no part of the name was quoted).
    pub expand: bool,
    /// The file descriptor before `<<` (0 when none).
    pub fd: u64,
    /// The `<<EOF` marker.
    pub marker: Span,
    /// The body lines.
    pub body: Span,
}

/// One `--mount=...` of a RUN.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MountFlag {
    /// The spec as written after `--mount=` (raw).
    pub spec: Word,
    /// The parsed mount, when the spec holds no variable (else the build parses it after
    /// expansion with [`super::parse_mount`]) and is valid.
    pub mount: Option<Mount>,
    /// Why the spec is invalid: BuildKit reports it when it builds this RUN.
    pub error: Option<String>,
}

/// `RUN`
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Run {
    /// The command.
    pub command: CommandLine,
    /// `--mount` flags, in order.
    pub mounts: Vec<MountFlag>,
    /// `--network` (`default`, `none`, `host`).
    pub network: Option<Word>,
    /// `--security` (`sandbox`, `insecure`).
    pub security: Option<Word>,
    /// Heredocs on the line.
    pub heredocs: Vec<HeredocFile>,
}

/// `CMD`
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cmd {
    /// The command (exec form `CMD []` gives no args).
    pub command: CommandLine,
}

/// `ENTRYPOINT`
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entrypoint {
    /// The command (no args resets the entrypoint).
    pub command: CommandLine,
}

/// One `key=value` of ENV or LABEL.
///
/// ```text
/// ENV PATH=/app/bin:$PATH      ENV PATH /app/bin:$PATH   (legacy)
///     ^^^^ ^^^^^^^^^^^^^^          ^^^^ ^^^^^^^^^^^^^^
///     key  value                   key  value
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyValue {
    /// The name (raw).
    pub key: Word,
    /// The value (raw: quotes and escapes kept, for `crate::words` to process).
    pub value: Word,
    /// The legacy `KEY value` form (no `=`), which BuildKit's LegacyKeyValueFormat flags.
    pub legacy: bool,
}

/// `LABEL`
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    /// The labels, in order.
    pub pairs: Vec<KeyValue>,
}

/// `ENV`
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Env {
    /// The variables, in order.
    pub pairs: Vec<KeyValue>,
}

/// `MAINTAINER` (deprecated)
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Maintainer {
    /// The maintainer text.
    pub name: Word,
}

/// `EXPOSE`
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Expose {
    /// The ports as written (BuildKit sorts them as strings).
    pub ports: Vec<Word>,
}

/// A heredoc source of COPY or ADD (BuildKit's `SourceContent`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceContent {
    /// The file name: the heredoc's terminator word.
    pub path: String,
    /// The body, chomped when `<<-`.
    pub data: String,
    /// The body is variable-expanded.
    pub expand: bool,
    /// The `<<EOF` word among the sources.
    pub word: Word,
}

/// `ADD`
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Add {
    /// Shell or exec (JSON) form.
    pub form: Form,
    /// Source paths or URLs (raw), heredoc markers excluded.
    pub sources: Vec<Word>,
    /// Heredoc sources.
    pub heredocs: Vec<SourceContent>,
    /// The destination (raw).
    pub dest: Word,
    /// `--chown`.
    pub chown: Option<Word>,
    /// `--chmod`.
    pub chmod: Option<Word>,
    /// `--link`.
    pub link: bool,
    /// `--keep-git-dir` when given.
    pub keep_git_dir: Option<bool>,
    /// `--checksum`.
    pub checksum: Option<Word>,
    /// `--unpack` when given.
    pub unpack: Option<bool>,
    /// `--exclude` patterns.
    pub exclude: Vec<Word>,
}

/// `COPY`
///
/// ```text
/// COPY --from=build --chown=app /src/out/ /app/
///             ^^^^^ from  ^^^ chown
///                             ^^^^^^^^^ sources[0]
///                                       ^^^^^ dest
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Copy {
    /// Shell or exec (JSON) form.
    pub form: Form,
    /// Source paths (raw), heredoc markers excluded.
    pub sources: Vec<Word>,
    /// Heredoc sources.
    pub heredocs: Vec<SourceContent>,
    /// The destination (raw).
    pub dest: Word,
    /// `--from` (a stage name, index or image).
    pub from: Option<Word>,
    /// `--chown`.
    pub chown: Option<Word>,
    /// `--chmod`.
    pub chmod: Option<Word>,
    /// `--link`.
    pub link: bool,
    /// `--parents`.
    pub parents: bool,
    /// `--exclude` patterns.
    pub exclude: Vec<Word>,
}

/// `VOLUME`
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Volume {
    /// Shell or exec (JSON) form.
    pub form: Form,
    /// The paths (trimmed, as BuildKit does).
    pub paths: Vec<Word>,
}

/// `USER`
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct User {
    /// `user[:group]` (raw).
    pub user: Word,
}

/// `WORKDIR`
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Workdir {
    /// The path (raw).
    pub path: Word,
}

/// One name of an ARG.
///
/// ```text
/// ARG VERSION=1.0 TARGET
///     ^^^^^^^ ^^^ ^^^^^^
///     key   value key (no default)
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ArgDef {
    /// The name.
    pub key: Word,
    /// The default after `=` (raw), if any.
    pub value: Option<Word>,
}

/// `ARG`
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Arg {
    /// The names, in order.
    pub args: Vec<ArgDef>,
}

/// `ONBUILD`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Onbuild {
    /// The trigger as BuildKit stores it in the image (`Expression`): the line without
    /// `ONBUILD`, heredocs appended.
    pub expression: String,
    /// The trigger, typed, when it is valid (BuildKit checks it only when the image is used).
    pub trigger: Option<Box<Instruction>>,
}

/// `STOPSIGNAL`
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stopsignal {
    /// The signal (raw).
    pub signal: Word,
}

/// A duration flag of HEALTHCHECK.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DurationFlag {
    /// The value as written.
    pub word: Word,
    /// The duration in nanoseconds (Go's `time.ParseDuration`).
    pub nanos: i64,
}

/// `--retries` of HEALTHCHECK.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RetriesFlag {
    /// The value as written.
    pub word: Word,
    /// The number.
    pub value: i32,
}

/// `HEALTHCHECK`
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "test", rename_all = "UPPERCASE")]
pub enum Healthcheck {
    /// `HEALTHCHECK NONE`: disable the base image's check.
    None,
    /// `HEALTHCHECK [options] CMD command`
    Cmd {
        /// The command (shell form becomes `CMD-SHELL` in the image).
        command: CommandLine,
        /// `--interval`.
        interval: Option<DurationFlag>,
        /// `--timeout`.
        timeout: Option<DurationFlag>,
        /// `--start-period`.
        start_period: Option<DurationFlag>,
        /// `--start-interval`.
        start_interval: Option<DurationFlag>,
        /// `--retries`.
        retries: Option<RetriesFlag>,
    },
}

/// `SHELL`
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Shell {
    /// The shell and its arguments.
    pub shell: Vec<Word>,
}
