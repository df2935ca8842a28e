//! The playground terminal's command line: shell-style word splitting, then the docker
//! CLI's commands and flags (pflag rules: `-t x`, `-tx`, `-t=x`, `--tag=x`, combined
//! `-it`, `--`, `--flag=false`) parsed into typed [`Command`]s, with errors worded as the
//! docker CLI words them (`unknown flag: --foo`, `"docker build" requires exactly 1
//! argument.`).
//!
//! [`exec`] runs the parsed commands on a session and prints what docker prints (shared
//! with the `dfplay` CLI); [`template`] is the `--format` subset.
//!
//! Invariant: parsing here, running in [`exec`]; flags that have no meaning in the
//! playground are accepted and listed in `ignored`, so the terminal can say so rather
//! than fail.

pub mod exec;
pub mod template;

use serde::Serialize;
use std::fmt;

/// `--build-arg NAME[=VALUE]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BuildArg {
    pub name: String,
    /// `None` for `--build-arg NAME` (docker takes it from the client's environment).
    pub value: Option<String>,
}

/// `docker build` / `docker image build` / `docker buildx build`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Build {
    pub tags: Vec<String>,
    /// `-f`, relative to the terminal's working directory (the context root).
    pub file: Option<String>,
    pub target: Option<String>,
    pub build_args: Vec<BuildArg>,
    pub no_cache: bool,
    pub quiet: bool,
    pub progress: Option<String>,
    /// `--label K=V` (raw).
    pub labels: Vec<String>,
    /// The PATH argument (`.` usually).
    pub context: String,
    /// Flags accepted but without effect in the playground, as typed.
    pub ignored: Vec<String>,
}

/// `docker run` / `docker container run`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub image: String,
    /// The arguments after the image (replace CMD).
    pub command: Vec<String>,
    pub entrypoint: Option<String>,
    /// `-e K=V` or `-e K` (raw).
    pub env: Vec<String>,
    pub workdir: Option<String>,
    pub user: Option<String>,
    pub name: Option<String>,
    pub rm: bool,
    pub detach: bool,
    pub interactive: bool,
    pub tty: bool,
    pub publish: Vec<String>,
    pub ignored: Vec<String>,
}

/// `docker images` / `docker image ls`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Images {
    pub all: bool,
    /// `--filter name=value`, split at the first `=`.
    pub filters: Vec<(String, String)>,
    pub quiet: bool,
    pub no_trunc: bool,
    pub digests: bool,
    pub format: Option<String>,
    /// `[REPOSITORY[:TAG]]`.
    pub reference: Option<String>,
}

/// `docker history`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct History {
    pub image: String,
    pub no_trunc: bool,
    pub quiet: bool,
    /// `-H` (default true): human-readable sizes and dates.
    pub human: bool,
    pub format: Option<String>,
}

/// `docker inspect` / `docker image inspect`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inspect {
    pub objects: Vec<String>,
    pub format: Option<String>,
}

/// `docker rmi` / `docker image rm`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rmi {
    pub images: Vec<String>,
    pub force: bool,
    pub no_prune: bool,
}

/// `docker save` / `docker image save`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Save {
    pub images: Vec<String>,
    pub output: Option<String>,
}

/// One parsed command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[non_exhaustive]
pub enum Command {
    Build(Build),
    Run(Run),
    Images(Images),
    History(History),
    Inspect(Inspect),
    Tag { source: String, target: String },
    Rmi(Rmi),
    Save(Save),
    /// `docker image prune`: remove dangling images (`-a`: all unused).
    Prune { all: bool },
    /// `help`, `docker --help`, `docker build --help`.
    Help { topic: Option<String> },
    Version,
    /// `clear`.
    Clear,
    /// A real docker command the playground does not offer (`docker network create`).
    Unsupported { command: String, reason: String },
}

/// How a command is joined to the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Join {
    /// First command, or after `;`.
    Always,
    /// After `&&`: only when the previous command succeeded.
    IfOk,
}

/// One command of a line with how it follows the previous one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    pub join: Join,
    pub command: Command,
}

/// A command line the terminal cannot run; `Display` is what the terminal prints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TerminalError {
    pub message: String,
}

impl fmt::Display for TerminalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TerminalError {}

type Result<T> = std::result::Result<T, TerminalError>;

fn err<T>(message: impl Into<String>) -> Result<T> {
    Err(TerminalError { message: message.into() })
}

/// Longest line the terminal accepts.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Parses a terminal line: words as `sh` splits them (quotes and backslashes; no
/// variable expansion), commands separated by `;` or `&&`, `#` comments, a pasted
/// leading `$ ` prompt dropped. An empty line gives no steps.
pub fn parse_line(line: &str) -> Result<Vec<Step>> {
    if line.len() > MAX_LINE_BYTES {
        return err(format!("the command line is too long (limit {} KiB)", MAX_LINE_BYTES / 1024));
    }
    let mut steps = Vec::new();
    for (join, words) in split_words(line)? {
        if words.is_empty() {
            continue;
        }
        steps.push(Step { join, command: parse_argv(&words)? });
    }
    Ok(steps)
}

/// Splits a line into commands of words.
fn split_words(line: &str) -> Result<Vec<(Join, Vec<String>)>> {
    let line = line.trim_start();
    let line = line.strip_prefix("$ ").unwrap_or(line);
    let mut out: Vec<(Join, Vec<String>)> = vec![(Join::Always, Vec::new())];
    let mut word: Option<String> = None;
    let mut chars = line.chars().peekable();
    fn finish(out: &mut [(Join, Vec<String>)], word: &mut Option<String>) {
        if let Some(w) = word.take() {
            if let Some(last) = out.last_mut() {
                last.1.push(w);
            }
        }
    }
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => finish(&mut out, &mut word),
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => w.push(c),
                        None => return err("syntax error: unterminated quoted string"),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => w.push(c),
                            Some('\n') => {}
                            Some(c) => {
                                w.push('\\');
                                w.push(c);
                            }
                            None => return err("syntax error: unterminated quoted string"),
                        },
                        Some(c) => w.push(c),
                        None => return err("syntax error: unterminated quoted string"),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(c) => word.get_or_insert_with(String::new).push(c),
                None => word.get_or_insert_with(String::new).push('\\'),
            },
            '#' if word.is_none() => break,
            ';' | '&' if c == ';' || chars.peek() == Some(&'&') => {
                let (token, join) = if c == ';' { (";", Join::Always) } else { ("&&", Join::IfOk) };
                if c == '&' {
                    chars.next();
                }
                finish(&mut out, &mut word);
                if out.last().map(|(_, w)| w.is_empty()).unwrap_or(true) {
                    return err(format!("syntax error near unexpected token `{token}'"));
                }
                out.push((join, Vec::new()));
            }
            '|' | '&' | '>' | '<' | '(' | ')' | '`' => {
                return err(format!(
                    "the playground terminal runs docker commands only: `{c}` (pipes, redirections, background jobs, subshells) is not supported"
                ))
            }
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    finish(&mut out, &mut word);
    // A trailing `;` leaves an empty last command: allowed, as in sh; `&&` needs one.
    if out.len() > 1 && out.last().map(|(_, w)| w.is_empty()).unwrap_or(false) {
        if out.last().map(|(j, _)| *j == Join::IfOk).unwrap_or(false) {
            return err("syntax error: a command must follow `&&'");
        }
        out.pop();
    }
    Ok(out)
}

// ----- commands and flags, as data ------------------------------------------------------

/// One flag of a command.
struct Flag {
    long: &'static str,
    short: Option<char>,
    /// Takes a value (`--tag x`); otherwise a bool (`--no-cache`, `--no-cache=false`).
    value: bool,
    /// Accepted but without effect in the playground.
    ignored: bool,
}

const fn f(long: &'static str, short: Option<char>, value: bool) -> Flag {
    Flag { long, short, value, ignored: false }
}
const fn ignored(long: &'static str, short: Option<char>, value: bool) -> Flag {
    Flag { long, short, value, ignored: true }
}

/// A command's usage line, summary and flags, as `docker X --help` shows them.
struct Spec {
    path: &'static str,
    usage: &'static str,
    summary: &'static str,
    flags: &'static [Flag],
    /// pflag's `SetInterspersed(false)`: flags stop at the first positional (`run`).
    stop_at_positional: bool,
}

const BUILD: Spec = Spec {
    path: "docker build",
    usage: "docker build [OPTIONS] PATH | URL | -",
    summary: "Build an image from a Dockerfile",
    flags: &[
        f("tag", Some('t'), true),
        f("file", Some('f'), true),
        f("target", None, true),
        f("build-arg", None, true),
        f("no-cache", None, false),
        f("quiet", Some('q'), false),
        f("progress", None, true),
        f("label", None, true),
        ignored("pull", None, false),
        ignored("rm", None, false),
        ignored("force-rm", None, false),
        ignored("load", None, false),
        ignored("network", None, true),
        ignored("platform", None, true),
        ignored("iidfile", None, true),
    ],
    stop_at_positional: false,
};

const RUN: Spec = Spec {
    path: "docker run",
    usage: "docker run [OPTIONS] IMAGE [COMMAND] [ARG...]",
    summary: "Create and run a new container from an image",
    flags: &[
        f("rm", None, false),
        f("detach", Some('d'), false),
        f("interactive", Some('i'), false),
        f("tty", Some('t'), false),
        f("env", Some('e'), true),
        f("entrypoint", None, true),
        f("workdir", Some('w'), true),
        f("user", Some('u'), true),
        f("name", None, true),
        f("publish", Some('p'), true),
        ignored("publish-all", Some('P'), false),
        ignored("network", None, true),
        ignored("net", None, true),
        ignored("hostname", Some('h'), true),
        ignored("memory", Some('m'), true),
        ignored("cpus", None, true),
        ignored("restart", None, true),
        ignored("init", None, false),
        ignored("platform", None, true),
        ignored("pull", None, true),
    ],
    stop_at_positional: true,
};

const IMAGES: Spec = Spec {
    path: "docker images",
    usage: "docker images [OPTIONS] [REPOSITORY[:TAG]]",
    summary: "List images",
    flags: &[
        f("all", Some('a'), false),
        f("filter", Some('f'), true),
        f("quiet", Some('q'), false),
        f("no-trunc", None, false),
        f("digests", None, false),
        f("format", None, true),
    ],
    stop_at_positional: false,
};

const HISTORY: Spec = Spec {
    path: "docker history",
    usage: "docker history [OPTIONS] IMAGE",
    summary: "Show the history of an image",
    flags: &[f("human", Some('H'), false), f("no-trunc", None, false), f("quiet", Some('q'), false), f("format", None, true)],
    stop_at_positional: false,
};

const INSPECT: Spec = Spec {
    path: "docker inspect",
    usage: "docker inspect [OPTIONS] NAME|ID [NAME|ID...]",
    summary: "Return low-level information on Docker objects",
    flags: &[f("format", Some('f'), true), ignored("type", None, true), ignored("size", Some('s'), false)],
    stop_at_positional: false,
};

const TAG: Spec = Spec {
    path: "docker tag",
    usage: "docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
    summary: "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
    flags: &[],
    stop_at_positional: false,
};

const RMI: Spec = Spec {
    path: "docker rmi",
    usage: "docker rmi [OPTIONS] IMAGE [IMAGE...]",
    summary: "Remove one or more images",
    flags: &[f("force", Some('f'), false), f("no-prune", None, false)],
    stop_at_positional: false,
};

const SAVE: Spec = Spec {
    path: "docker save",
    usage: "docker save [OPTIONS] IMAGE [IMAGE...]",
    summary: "Save one or more images to a tar archive (streamed to STDOUT by default)",
    flags: &[f("output", Some('o'), true)],
    stop_at_positional: false,
};

const PRUNE: Spec = Spec {
    path: "docker image prune",
    usage: "docker image prune [OPTIONS]",
    summary: "Remove unused images",
    flags: &[f("all", Some('a'), false), ignored("force", Some('f'), false), ignored("filter", None, true)],
    stop_at_positional: false,
};

/// Parsed flags and positionals of one command.
#[derive(Default)]
struct Args {
    /// `(long name, value)`; bools carry `"true"`/`"false"`.
    flags: Vec<(&'static str, String)>,
    positionals: Vec<String>,
    ignored: Vec<String>,
    help: bool,
}

impl Args {
    fn values(&self, long: &str) -> Vec<String> {
        self.flags.iter().filter(|(l, _)| *l == long).map(|(_, v)| v.clone()).collect()
    }
    fn last(&self, long: &str) -> Option<String> {
        self.flags.iter().rev().find(|(l, _)| *l == long).map(|(_, v)| v.clone())
    }
    fn bool(&self, long: &str) -> bool {
        self.last(long).map(|v| v == "true").unwrap_or(false)
    }
}

fn see_help(spec: &Spec) -> String {
    format!("See '{} --help'.", spec.path)
}

fn parse_bool(spec: &Spec, flag: &str, v: &str) -> Result<String> {
    match v {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok("true".into()),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok("false".into()),
        _ => err(format!(
            "invalid argument \"{v}\" for \"{flag}\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax\n{}",
            see_help(spec)
        )),
    }
}

/// pflag's parsing of one command's arguments.
fn parse_args(spec: &Spec, argv: &[String]) -> Result<Args> {
    let mut a = Args::default();
    let mut i = 0;
    let mut flags_done = false;
    while i < argv.len() {
        let arg = &argv[i];
        i += 1;
        if flags_done || arg == "-" || !arg.starts_with('-') {
            a.positionals.push(arg.clone());
            if spec.stop_at_positional {
                flags_done = true;
            }
            continue;
        }
        if arg == "--" {
            flags_done = true;
            continue;
        }
        if let Some(body) = arg.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            if name == "help" {
                a.help = true;
                continue;
            }
            let Some(flag) = spec.flags.iter().find(|fl| fl.long == name) else {
                return err(format!("unknown flag: --{name}\n{}", see_help(spec)));
            };
            let value = if flag.value {
                match inline {
                    Some(v) => v,
                    None if i < argv.len() => {
                        i += 1;
                        argv[i - 1].clone()
                    }
                    None => return err(format!("flag needs an argument: --{name}\n{}", see_help(spec))),
                }
            } else {
                match inline {
                    Some(v) => parse_bool(spec, &format!("--{name}"), &v)?,
                    None => "true".into(),
                }
            };
            if flag.ignored {
                a.ignored.push(arg.clone());
            }
            a.flags.push((flag.long, value));
            continue;
        }
        // Shorthands: `-it`, `-tname`, `-t=name`, `-t name`.
        let shorts: Vec<char> = arg[1..].chars().collect();
        let mut k = 0;
        while k < shorts.len() {
            let c = shorts[k];
            k += 1;
            if c == 'h' && !spec.flags.iter().any(|fl| fl.short == Some('h')) {
                a.help = true;
                continue;
            }
            let Some(flag) = spec.flags.iter().find(|fl| fl.short == Some(c)) else {
                return err(format!("unknown shorthand flag: '{c}' in {arg}\n{}", see_help(spec)));
            };
            let value = if flag.value {
                let rest: String = shorts[k..].iter().collect();
                k = shorts.len();
                if let Some(v) = rest.strip_prefix('=') {
                    v.to_string()
                } else if !rest.is_empty() {
                    rest
                } else if i < argv.len() {
                    i += 1;
                    argv[i - 1].clone()
                } else {
                    return err(format!("flag needs an argument: '{c}' in -{c}\n{}", see_help(spec)));
                }
            } else if shorts.get(k) == Some(&'=') {
                let v: String = shorts[k + 1..].iter().collect();
                k = shorts.len();
                parse_bool(spec, &format!("-{c}"), &v)?
            } else {
                "true".into()
            };
            if flag.ignored {
                a.ignored.push(format!("-{c}"));
            }
            a.flags.push((flag.long, value));
        }
    }
    Ok(a)
}

/// docker's `cli.ExactArgs` / `cli.RequiresMinArgs` messages.
fn require(spec: &Spec, a: &Args, min: usize, max: Option<usize>) -> Result<()> {
    let n = a.positionals.len();
    let plural = |k: usize| if k == 1 { "argument" } else { "arguments" };
    let what = match max {
        Some(m) if m == min && n != m => format!("requires exactly {m} {}", plural(m)),
        Some(m) if n > m => format!("accepts at most {m} {}", plural(m)),
        _ if n < min => format!("requires at least {min} {}", plural(min)),
        _ => return Ok(()),
    };
    err(format!("\"{}\" {what}.\n{}\n\nUsage:  {}\n\n{}", spec.path, see_help(spec), spec.usage, spec.summary))
}

fn help_text(spec: &Spec) -> String {
    let mut s = format!("\nUsage:  {}\n\n{}\n\nOptions:\n", spec.usage, spec.summary);
    for fl in spec.flags {
        let short = fl.short.map(|c| format!("-{c}, ")).unwrap_or_else(|| "    ".into());
        let value = if fl.value { " string" } else { "" };
        let note = if fl.ignored { "   (no effect in the playground)" } else { "" };
        s.push_str(&format!("  {short}--{}{value}{note}\n", fl.long));
    }
    s
}

/// The usage text of a command (`docker build --help`), or of the terminal (`None`).
pub fn help(topic: Option<&str>) -> String {
    let spec = topic.and_then(|t| spec_for(&t.split_whitespace().map(String::from).collect::<Vec<_>>()).map(|(s, _)| s));
    match spec {
        Some(spec) => help_text(spec),
        None => "\nUsage:  docker COMMAND\n\nThe playground terminal runs these docker commands on the page's engine:\n\n\
  build      Build an image from the files of the page (docker build -t NAME .)\n\
  run        Run a command in a new container (simulated, in the builtin shell)\n\
  images     List images (--filter label=K=V, --filter dangling=true, -a, -q)\n\
  history    Show the history of an image\n\
  inspect    Return low-level information on an image\n\
  tag        Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE\n\
  rmi        Remove one or more images\n\
  save       Save images to a tar archive (downloaded by the browser)\n\
  image prune  Remove dangling images\n\n\
The long forms work too: docker image build|ls|history|inspect|tag|rm|save, docker container run.\n\
Also: help, clear. Run 'docker COMMAND --help' for more information on a command.\n"
            .into(),
    }
}

/// Which spec a `docker …` argv names, and how many words the command name took.
fn spec_for(words: &[String]) -> Option<(&'static Spec, usize)> {
    let w = |i: usize| words.get(i).map(String::as_str);
    let one = match w(0)? {
        "build" => Some(&BUILD),
        "run" => Some(&RUN),
        "images" => Some(&IMAGES),
        "history" => Some(&HISTORY),
        "inspect" => Some(&INSPECT),
        "tag" => Some(&TAG),
        "rmi" => Some(&RMI),
        "save" => Some(&SAVE),
        _ => None,
    };
    if let Some(s) = one {
        return Some((s, 1));
    }
    let two = match (w(0)?, w(1)?) {
        ("image" | "buildx", "build") => &BUILD,
        ("container", "run") => &RUN,
        ("image", "ls" | "list") => &IMAGES,
        ("image", "history") => &HISTORY,
        ("image", "inspect") => &INSPECT,
        ("image", "tag") => &TAG,
        ("image", "rm" | "remove") => &RMI,
        ("image", "save") => &SAVE,
        ("image", "prune") => &PRUNE,
        _ => return None,
    };
    Some((two, 2))
}

/// Real docker commands the playground does not run, with the reason it gives.
const UNSUPPORTED: &[(&str, &str)] = &[
    ("network", "networks are not simulated: each container of the playground runs alone, to completion"),
    ("volume", "volumes are not simulated in the playground"),
    ("ps", "containers of the playground run to completion one at a time, so none is running"),
    ("container", "only `docker container run` is available in the playground"),
    ("exec", "containers of the playground run to completion, so there is none to exec into"),
    ("logs", "containers of the playground print their output when they run (see the Run panel)"),
    ("stop", "containers of the playground run to completion, so there is none to stop"),
    ("rm", "containers of the playground are removed when they finish"),
    ("pull", "the playground cannot reach a registry: FROM uses the builtin stand-in images or a tar you import"),
    ("push", "the playground cannot reach a registry: download the image as a tar from the Image panel instead"),
    ("login", "the playground cannot reach a registry"),
    ("load", "use the Image panel's Import button to load an image tar"),
    ("compose", "compose is not part of the playground"),
    ("system", "not part of the playground"),
    ("builder", "not part of the playground"),
];

/// Parses one command's words (`["docker", "build", "-t", "x", "."]`).
pub fn parse_argv(words: &[String]) -> Result<Command> {
    let Some(first) = words.first() else { return err("empty command") };
    match first.as_str() {
        "help" | "?" => return Ok(Command::Help { topic: words.get(1..).filter(|r| !r.is_empty()).map(|r| r.join(" ")) }),
        "clear" | "cls" => return Ok(Command::Clear),
        "docker" => {}
        other => {
            return err(format!("{other}: command not found\nThe playground terminal runs docker commands (try 'help')."));
        }
    }
    let rest = &words[1..];
    match rest.first().map(String::as_str) {
        None | Some("--help" | "-h" | "help") => {
            return Ok(Command::Help { topic: rest.get(1..).filter(|r| !r.is_empty()).map(|r| r.join(" ")) })
        }
        Some("version" | "--version" | "-v") => return Ok(Command::Version),
        _ => {}
    }
    let Some((spec, used)) = spec_for(rest) else {
        let name = &rest[0];
        if let Some((_, reason)) = UNSUPPORTED.iter().find(|(n, _)| n == name) {
            let shown: Vec<&str> = rest.iter().take(2).map(String::as_str).filter(|w| !w.starts_with('-')).collect();
            return Ok(Command::Unsupported { command: format!("docker {}", shown.join(" ")), reason: reason.to_string() });
        }
        if name == "image" {
            return err(format!(
                "docker: 'image {}' is not a docker command.\nSee 'docker image --help'",
                rest.get(1).map(String::as_str).unwrap_or("")
            ));
        }
        if name.starts_with('-') {
            return err(format!("unknown flag: {name}\nSee 'docker --help'."));
        }
        return err(format!("docker: '{name}' is not a docker command.\nSee 'docker --help'"));
    };
    let a = parse_args(spec, &rest[used..])?;
    if a.help {
        return Ok(Command::Help { topic: Some(rest[..used].join(" ")) });
    }
    let p = &a.positionals;
    let cmd = match spec.path {
        "docker build" => {
            require(spec, &a, 1, Some(1))?;
            let build_args = a
                .values("build-arg")
                .into_iter()
                .map(|v| match v.split_once('=') {
                    Some((n, val)) => BuildArg { name: n.to_string(), value: Some(val.to_string()) },
                    None => BuildArg { name: v, value: None },
                })
                .collect();
            let progress = a.last("progress");
            if let Some(p) = &progress {
                if !matches!(p.as_str(), "auto" | "plain" | "tty" | "rawjson" | "quiet") {
                    return err(format!("invalid progress mode \"{p}\": expected auto, plain, tty, rawjson or quiet"));
                }
            }
            Command::Build(Build {
                tags: a.values("tag"),
                file: a.last("file"),
                target: a.last("target"),
                build_args,
                no_cache: a.bool("no-cache"),
                quiet: a.bool("quiet"),
                progress,
                labels: a.values("label"),
                context: p[0].clone(),
                ignored: a.ignored,
            })
        }
        "docker run" => {
            require(spec, &a, 1, None)?;
            Command::Run(Run {
                image: p[0].clone(),
                command: p[1..].to_vec(),
                entrypoint: a.last("entrypoint"),
                env: a.values("env"),
                workdir: a.last("workdir"),
                user: a.last("user"),
                name: a.last("name"),
                rm: a.bool("rm"),
                detach: a.bool("detach"),
                interactive: a.bool("interactive"),
                tty: a.bool("tty"),
                publish: a.values("publish"),
                ignored: a.ignored,
            })
        }
        "docker images" => {
            require(spec, &a, 0, Some(1))?;
            let mut filters = Vec::new();
            for v in a.values("filter") {
                match v.split_once('=') {
                    Some((k, val)) if !k.is_empty() => filters.push((k.to_string(), val.to_string())),
                    _ => {
                        return err(format!(
                            "invalid argument \"{v}\" for \"-f, --filter\" flag: bad format of filter (expected name=value)\n{}",
                            see_help(spec)
                        ))
                    }
                }
            }
            Command::Images(Images {
                all: a.bool("all"),
                filters,
                quiet: a.bool("quiet"),
                no_trunc: a.bool("no-trunc"),
                digests: a.bool("digests"),
                format: a.last("format"),
                reference: p.first().cloned(),
            })
        }
        "docker history" => {
            require(spec, &a, 1, Some(1))?;
            Command::History(History {
                image: p[0].clone(),
                no_trunc: a.bool("no-trunc"),
                quiet: a.bool("quiet"),
                human: a.last("human").map(|v| v == "true").unwrap_or(true),
                format: a.last("format"),
            })
        }
        "docker inspect" => {
            require(spec, &a, 1, None)?;
            Command::Inspect(Inspect { objects: p.clone(), format: a.last("format") })
        }
        "docker tag" => {
            require(spec, &a, 2, Some(2))?;
            Command::Tag { source: p[0].clone(), target: p[1].clone() }
        }
        "docker rmi" => {
            require(spec, &a, 1, None)?;
            Command::Rmi(Rmi { images: p.clone(), force: a.bool("force"), no_prune: a.bool("no-prune") })
        }
        "docker save" => {
            require(spec, &a, 1, None)?;
            Command::Save(Save { images: p.clone(), output: a.last("output") })
        }
        "docker image prune" => {
            require(spec, &a, 0, Some(0))?;
            Command::Prune { all: a.bool("all") }
        }
        _ => return err(format!("docker: '{}' is not a docker command.\nSee 'docker --help'", rest[0])),
    };
    Ok(cmd)
}
