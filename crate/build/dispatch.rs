//! What each instruction does to a stage, as BuildKit's dispatcher does it:
//! metadata instructions change the image config and add a history entry;
//! RUN, COPY, ADD and WORKDIR are prepared into [`Work`] with a cache key and a
//! label, for the engine to run or find in the cache.

use super::cache::KeyBuilder;
use super::{BaseSource, ImageLayer};
use crate::image::config::{Healthcheck as HealthConfig, History, ImageConfig};
use crate::image::history;
use crate::instructions::{self as ins, Command, CommandLine, Form, Instruction};
use crate::vfs::{path, Vfs};
use crate::words::{Lexer, StageScope, WordMatches};

/// A stage being built.
#[derive(Clone, Debug)]
pub(crate) struct StageState {
    pub fs: Vfs,
    pub config: ImageConfig,
    pub scope: StageScope,
    /// Cache key of the state (the chain of everything so far).
    pub key: String,
    /// Layers so far, bottom first (the base's included).
    pub layers: Vec<ImageLayer>,
    /// How many of the last `layers` are not in `config.rootfs.diff_ids` yet: a step's
    /// layer is hashed only when its stage becomes an image (a stage that is only
    /// copied from never is, as BuildKit never exports it).
    pub unhashed: usize,
    pub base: BaseSource,
    /// Size of the base as `docker images` counts it.
    pub base_size: u64,
    /// CMD was set in this stage (an ENTRYPOINT then keeps it).
    pub cmd_set: bool,
    /// Steps labelled so far (the `n` of `[stage n/total]`).
    pub step_no: usize,
    /// History timestamp.
    pub created: String,
}

/// Where COPY/ADD reads from: the build context, or what `--from` names (a stage or
/// an image, resolved by the engine's plan).
#[derive(Clone, Debug)]
pub(crate) enum CopyFrom {
    Context,
    From,
}

/// A step that makes a vertex.
#[derive(Clone, Debug)]
pub(crate) enum Work {
    Run {
        argv: Vec<String>,
        env: Vec<(String, String)>,
        cwd: String,
        user: String,
        mounts: Vec<ins::Mount>,
        /// False for `RUN --network=none`.
        network: bool,
    },
    Copy {
        from: CopyFrom,
        sources: Vec<String>,
        /// Heredoc sources: (file name, contents).
        inline: Vec<(String, String)>,
        dest: String,
        chown: Option<String>,
        chmod: Option<String>,
        excludes: Vec<String>,
        parents: bool,
        add: bool,
    },
    Workdir {
        path: String,
    },
}

/// A prepared vertex step.
#[derive(Clone, Debug)]
pub(crate) struct Prepared {
    /// What BuildKit prints after the label: `RUN echo hi`, `COPY . .`.
    pub text: String,
    pub work: Work,
    /// `created_by` of the history entry.
    pub created_by: String,
    /// Parts of the cache key besides the parent (the engine adds content checksums).
    pub key: KeyBuilder,
}

/// An error of one instruction, worded as BuildKit's.
#[derive(Clone, Debug)]
pub(crate) struct StepError {
    pub message: String,
}

impl StepError {
    pub fn new(m: impl Into<String>) -> Self {
        StepError { message: m.into() }
    }
}

impl From<crate::words::WordError> for StepError {
    fn from(e: crate::words::WordError) -> Self {
        StepError::new(e.to_string())
    }
}

impl From<crate::words::ScopeError> for StepError {
    fn from(e: crate::words::ScopeError) -> Self {
        StepError::new(e.to_string())
    }
}

fn word(scope: &StageScope, lexer: &Lexer, w: &str) -> Result<String, StepError> {
    let m: WordMatches = scope.expand(lexer, w);
    Ok(m.result?)
}

/// The argv of a shell-form or exec-form command line (shell form runs with the
/// stage's SHELL, `/bin/sh -c` by default).
pub(crate) fn argv_of(config: &ImageConfig, cl: &CommandLine) -> Vec<String> {
    match cl.form {
        Form::Exec => cl.args.iter().map(|a| a.text.clone()).collect(),
        Form::Shell => {
            let mut v = if config.config.shell.is_empty() { vec!["/bin/sh".to_string(), "-c".to_string()] } else { config.config.shell.clone() };
            v.push(cl.args.iter().map(|a| a.text.as_str()).collect::<Vec<_>>().join(" "));
            v
        }
    }
}

fn push_meta(st: &mut StageState, created_by: String) {
    let h = History::step(Some(st.created.clone()), created_by, true);
    st.config.push_empty(h);
}

/// Applies a metadata-only instruction; `None` when the instruction makes a vertex.
pub(crate) fn apply_meta(st: &mut StageState, i: &Instruction, lexer: &Lexer) -> Result<bool, StepError> {
    match &i.command {
        Command::Env(e) => {
            let pairs: Vec<(&str, &str)> = e.pairs.iter().map(|p| (p.key.text.as_str(), p.value.text.as_str())).collect();
            let set = st.scope.env_instruction(lexer, &pairs)?;
            st.config.config.env = st.scope.config_env();
            let hp: Vec<(String, Option<String>)> = set.into_iter().map(|(k, v)| (k, Some(v))).collect();
            push_meta(st, history::key_values("ENV", &hp));
        }
        Command::Label(l) => {
            let mut hp = Vec::new();
            for p in &l.pairs {
                let k = word(&st.scope, lexer, &p.key.text)?;
                let v = word(&st.scope, lexer, &p.value.text)?;
                st.config.config.labels.insert(k.clone(), v.clone());
                hp.push((k, Some(v)));
            }
            push_meta(st, history::key_values("LABEL", &hp));
        }
        Command::Maintainer(m) => {
            st.config.author = m.name.text.clone();
            push_meta(st, format!("MAINTAINER {}", m.name.text));
        }
        Command::Arg(a) => {
            let mut hp = Vec::new();
            for d in &a.args {
                let default = d.value.as_ref().map(|v| v.text.as_str());
                let out = st.scope.arg_instruction(lexer, &d.key.text, default)?;
                let shown = match (&d.value, out.source) {
                    (Some(_), _) => out.value.clone(),
                    (None, _) => None,
                };
                hp.push((d.key.text.clone(), shown));
            }
            push_meta(st, history::key_values("ARG", &hp));
        }
        Command::Expose(e) => {
            let mut ports = Vec::new();
            for p in &e.ports {
                for w in st.scope.expand_words(lexer, &p.text)? {
                    let n = history::normalize_port(&w);
                    st.config.config.exposed_ports.insert(n.clone(), Default::default());
                    ports.push(n);
                }
            }
            push_meta(st, history::expose(&ports));
        }
        Command::Cmd(c) => {
            let argv = argv_of(&st.config, &c.command);
            st.config.config.args_escaped = c.command.form == Form::Shell;
            st.config.config.cmd = argv.clone();
            st.cmd_set = true;
            push_meta(st, history::cmd(&argv));
        }
        Command::Entrypoint(c) => {
            let argv = argv_of(&st.config, &c.command);
            st.config.config.args_escaped = c.command.form == Form::Shell;
            st.config.config.entrypoint = argv.clone();
            if !st.cmd_set {
                st.config.config.cmd = Vec::new();
            }
            push_meta(st, history::entrypoint(&argv));
        }
        Command::Volume(v) => {
            let mut paths = Vec::new();
            for p in &v.paths {
                let x = word(&st.scope, lexer, &p.text)?;
                if x.is_empty() {
                    return Err(StepError::new("VOLUME specified can not be an empty string"));
                }
                st.config.config.volumes.insert(x.clone(), Default::default());
                paths.push(x);
            }
            push_meta(st, history::volume(&paths));
        }
        Command::User(u) => {
            let x = word(&st.scope, lexer, &u.user.text)?;
            st.config.config.user = x.clone();
            push_meta(st, format!("USER {x}"));
        }
        Command::Stopsignal(s) => {
            let x = word(&st.scope, lexer, &s.signal.text)?;
            st.config.config.stop_signal = x.clone();
            push_meta(st, format!("STOPSIGNAL {x}"));
        }
        Command::Healthcheck(h) => {
            let hc = match h {
                ins::Healthcheck::None => HealthConfig { test: vec!["NONE".into()], ..Default::default() },
                ins::Healthcheck::Cmd { command, interval, timeout, start_period, start_interval, retries } => {
                    let test = match command.form {
                        Form::Shell => vec!["CMD-SHELL".to_string(), command.args.iter().map(|a| a.text.as_str()).collect::<Vec<_>>().join(" ")],
                        Form::Exec => std::iter::once("CMD".to_string()).chain(command.args.iter().map(|a| a.text.clone())).collect(),
                    };
                    HealthConfig {
                        test,
                        interval: interval.as_ref().map(|d| d.nanos).unwrap_or(0),
                        timeout: timeout.as_ref().map(|d| d.nanos).unwrap_or(0),
                        start_period: start_period.as_ref().map(|d| d.nanos).unwrap_or(0),
                        start_interval: start_interval.as_ref().map(|d| d.nanos).unwrap_or(0),
                        retries: retries.as_ref().map(|r| r.value as i64).unwrap_or(0),
                    }
                }
            };
            let created_by = history::healthcheck(&hc);
            st.config.config.healthcheck = Some(hc);
            push_meta(st, created_by);
        }
        Command::Shell(s) => {
            let argv: Vec<String> = s.shell.iter().map(|w| w.text.clone()).collect();
            st.config.config.shell = argv.clone();
            push_meta(st, history::shell(&argv));
        }
        Command::Onbuild(o) => {
            st.config.config.on_build.push(o.expression.clone());
        }
        Command::From(_) | Command::Run(_) | Command::Copy(_) | Command::Add(_) | Command::Workdir(_) => return Ok(false),
        #[allow(unreachable_patterns)]
        _ => return Ok(false),
    }
    Ok(true)
}

/// The resolved working directory of the stage (`/` when none).
pub(crate) fn workdir(st: &StageState) -> String {
    if st.config.config.working_dir.is_empty() {
        "/".into()
    } else {
        st.config.config.working_dir.clone()
    }
}

/// Prepares a vertex instruction (RUN, COPY, ADD, WORKDIR).
pub(crate) fn prepare(st: &mut StageState, i: &Instruction, lexer: &Lexer, escape: char) -> Result<Prepared, StepError> {
    let label_text = crate::words::step_label(escape, &i.original, &st.scope.run_env());
    match &i.command {
        Command::Run(r) => {
            let mut argv = argv_of(&st.config, &r.command);
            if !r.heredocs.is_empty() && r.command.form == Form::Shell {
                let script = argv.pop().unwrap_or_default();
                let first = &r.heredocs[0];
                let only_heredoc = r.heredocs.len() == 1 && is_heredoc_marker(script.trim());
                if only_heredoc {
                    // `RUN <<EOF … EOF`: the body is the script
                    let body = if first.expand { word(&st.scope, &Lexer::for_heredoc(), &first.data).unwrap_or_else(|_| first.data.clone()) } else { first.data.clone() };
                    argv.push(body);
                } else {
                    // the shell reads the heredocs as written after the command line
                    let mut full = script;
                    for h in &r.heredocs {
                        full.push('\n');
                        full.push_str(&h.data);
                        if !h.data.is_empty() && !h.data.ends_with('\n') {
                            full.push('\n');
                        }
                        full.push_str(&h.name);
                    }
                    argv.push(full);
                }
            }
            let mut mounts = Vec::new();
            for m in &r.mounts {
                if let Some(e) = &m.error {
                    return Err(StepError::new(e.clone()));
                }
                match &m.mount {
                    Some(mm) => mounts.push(mm.clone()),
                    None => {
                        let spec = word(&st.scope, lexer, &m.spec.text)?;
                        mounts.push(ins::parse_mount(&spec).map_err(StepError::new)?);
                    }
                }
            }
            let env = st.scope.process_env();
            let cwd = workdir(st);
            let user = st.config.config.user.clone();
            let mut hargs = st.scope.run_history_args();
            hargs.extend(argv.iter().cloned());
            let created_by = format!("RUN {} # buildkit", hargs.join(" "));
            let mut key = KeyBuilder::new("RUN", &st.key);
            key.parts(&argv).parts(&st.scope.run_env().iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>()).part(&cwd).part(&user);
            for m in &mounts {
                key.part(&format!("{m:?}"));
            }
            if let Some(n) = &r.network {
                key.part(&n.text);
            }
            let network = r.network.as_ref().is_none_or(|n| n.text != "none");
            Ok(Prepared { text: label_text, work: Work::Run { argv, env, cwd, user, mounts, network }, created_by, key })
        }
        Command::Copy(c) => prepare_copy(st, lexer, label_text, "COPY", CopyParts {
            from: c.from.as_ref().map(|w| w.text.clone()),
            sources: &c.sources,
            heredocs: &c.heredocs,
            dest: &c.dest.text,
            chown: c.chown.as_ref(),
            chmod: c.chmod.as_ref(),
            excludes: &c.exclude,
            parents: c.parents,
            add: false,
        }),
        Command::Add(a) => prepare_copy(st, lexer, label_text, "ADD", CopyParts {
            from: None,
            sources: &a.sources,
            heredocs: &a.heredocs,
            dest: &a.dest.text,
            chown: a.chown.as_ref(),
            chmod: a.chmod.as_ref(),
            excludes: &a.exclude,
            parents: false,
            add: a.unpack.unwrap_or(true),
        }),
        Command::Workdir(w) => {
            let p = word(&st.scope, lexer, &w.path.text)?;
            let abs = path::normalize(&path::join(&workdir(st), &p));
            st.config.config.working_dir = abs.clone();
            let mut key = KeyBuilder::new("WORKDIR", &st.key);
            key.part(&abs).part(&st.config.config.user);
            Ok(Prepared { text: label_text, work: Work::Workdir { path: abs.clone() }, created_by: format!("WORKDIR {abs}"), key })
        }
        _ => Err(StepError::new("internal error: not a step instruction")),
    }
}

struct CopyParts<'a> {
    from: Option<String>,
    sources: &'a [ins::Word],
    heredocs: &'a [ins::SourceContent],
    dest: &'a str,
    chown: Option<&'a ins::Word>,
    chmod: Option<&'a ins::Word>,
    excludes: &'a [ins::Word],
    parents: bool,
    add: bool,
}

fn prepare_copy(st: &StageState, lexer: &Lexer, text: String, name: &str, p: CopyParts<'_>) -> Result<Prepared, StepError> {
    let mut sources = Vec::new();
    for s in p.sources {
        sources.push(word(&st.scope, lexer, &s.text)?);
    }
    let mut inline = Vec::new();
    for h in p.heredocs {
        let data = if h.expand { word(&st.scope, &Lexer::for_heredoc(), &h.data)? } else { h.data.clone() };
        inline.push((h.path.clone(), data));
    }
    let dest = word(&st.scope, lexer, p.dest)?;
    let chown = p.chown.map(|w| word(&st.scope, lexer, &w.text)).transpose()?;
    let chmod = p.chmod.map(|w| word(&st.scope, lexer, &w.text)).transpose()?;
    let excludes: Vec<String> = p.excludes.iter().map(|w| w.text.clone()).collect();
    let mut flags = Vec::new();
    if let Some(c) = &chown {
        flags.push(format!("--chown={c}"));
    }
    if let Some(c) = &chmod {
        flags.push(format!("--chmod={c}"));
    }
    let mut shown_sources = sources.clone();
    shown_sources.extend(inline.iter().map(|(n, _)| n.clone()));
    let created_by = history::copy(name, &flags, &shown_sources, &dest);
    let from = match &p.from {
        None => CopyFrom::Context,
        Some(_) => CopyFrom::From,
    };
    let mut key = KeyBuilder::new(name, &st.key);
    key.parts(&sources).part(&dest).part(chown.as_deref().unwrap_or("")).part(chmod.as_deref().unwrap_or("")).parts(&excludes).part(&p.parents.to_string()).part(&workdir(st));
    for (n, d) in &inline {
        key.part(n).part(d);
    }
    Ok(Prepared {
        text,
        work: Work::Copy { from, sources, inline, dest, chown, chmod, excludes, parents: p.parents, add: p.add },
        created_by,
        key,
    })
}

/// `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'`: a command line that is only a heredoc.
fn is_heredoc_marker(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("<<") else { return false };
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let name = rest.trim_matches(|c| c == '"' || c == '\'');
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Parses `--chmod` (octal, as BuildKit accepts).
pub(crate) fn parse_chmod(s: &str) -> Result<u32, StepError> {
    u32::from_str_radix(s, 8).ok().filter(|m| *m <= 0o7777).ok_or_else(|| StepError::new(format!("invalid chmod parameter: '{s}'. it should be octal string and between 0 and 07777")))
}

/// The initial state of a stage from an image.
pub(crate) fn image_config_for_base(cfg: &crate::bases::BaseConfig) -> ImageConfig {
    let mut c = ImageConfig::scratch("amd64");
    c.config.env = cfg.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
    c.config.cmd = cfg.cmd.clone().unwrap_or_default();
    c.config.entrypoint = cfg.entrypoint.clone().unwrap_or_default();
    c.config.working_dir = cfg.working_dir.clone();
    c.config.user = cfg.user.clone();
    for p in &cfg.exposed_ports {
        c.config.exposed_ports.insert(p.clone(), Default::default());
    }
    for (k, v) in &cfg.labels {
        c.config.labels.insert(k.clone(), v.clone());
    }
    c.config.stop_signal = cfg.stop_signal.clone().unwrap_or_default();
    c
}
