//! ARG and ENV scoping, as BuildKit's dockerfile2llb keeps it: the global scope
//! (automatic platform args and the ARGs before the first FROM) and one scope per
//! stage, which the build engine drives instruction by instruction.
//!
//! The rules, each checked against BuildKit's `convert.go` and, where marked (ref), a
//! real BuildKit (Docker 26):
//!
//! * **Global scope** ([`GlobalScope`]): starts with the automatic args
//!   `BUILDPLATFORM BUILDOS BUILDOSVERSION BUILDARCH BUILDVARIANT TARGETPLATFORM
//!   TARGETOS TARGETOSVERSION TARGETARCH TARGETVARIANT TARGETSTAGE` (a `--build-arg`
//!   of the same name replaces the value). Each `ARG` before the first `FROM` adds its
//!   `--build-arg` value (taken literally) or else its default (expanded against the
//!   global scope so far), or nothing when it has neither. Only `FROM` lines (image and
//!   `--platform`) see this scope.
//! * **Stage scope** ([`StageScope`]): starts from the base image's config `Env` (plus
//!   `PATH` when the image has none), or, for `FROM <stage>`, from everything that
//!   stage had — its ENV *and its ARG values* (ref). A global ARG is visible in a stage
//!   only after `ARG NAME` there, which takes the global value when neither a
//!   `--build-arg` nor a default is given; this is also how `ARG TARGETARCH` works.
//! * **ARG in a stage**: value = `--build-arg` (literal) › default (expanded against
//!   the stage) › global value › none. Several names in one ARG are applied one by one,
//!   so `ARG A=1 B=$A` gives `B=1`. An ARG without any value is declared but unset.
//! * **ENV**: every key and value of one ENV is expanded against the scope *before* the
//!   instruction, so `ENV A=1 B=$A` gives `B` the old `A` (ref). ENV wins over an earlier
//!   ARG of the same name; a *later* ARG with a value wins back for the rest of the
//!   build (RUN and expansion), while the image config keeps the ENV value (ref).
//! * **What RUN sees** ([`StageScope::run_env`]): the stage env — base image Env, ENV,
//!   and ARG values — in BuildKit's order (a name moves to the end each time it is set),
//!   plus the proxy build args (`HTTP_PROXY` …, both cases) which need no ARG.
//! * **What the image records** ([`StageScope::config_env`]): base Env and ENV only,
//!   replaced in place; ARG values never reach the image config (ref).
//! * **Cache keys**: a RUN's cache key includes its whole environment list, so every
//!   ARG value in scope (used by the command or not) is part of it; the proxy args are
//!   not. COPY/ADD/WORKDIR keys change only through the words they expand.
//! * **Unused build args**: BuildKit prints nothing; the classic builder printed
//!   `[Warning] One or more build-args [X] were not consumed`, which
//!   [`unconsumed_warning`] reproduces for the playground to show.

use super::env::Env;
use super::error::WordError;
use super::lexer::{Lexer, WordMatches};
use super::platform::Platform;
use crate::limits;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

/// `PATH` BuildKit gives a Linux image whose config has none (and `scratch`).
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Build args every build has without declaring them (usable in `FROM`; in a stage
/// after `ARG NAME`).
pub const AUTOMATIC_ARGS: [&str; 11] = [
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDOSVERSION",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETOSVERSION",
    "TARGETARCH",
    "TARGETVARIANT",
    "TARGETSTAGE",
];

/// Build args BuildKit hands to every RUN as proxy settings without an ARG, and keeps
/// out of cache keys and history.
pub const PROXY_ARGS: [&str; 10] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// ARGs BuildKit reads itself and never puts in the environment.
pub const NON_ENV_ARGS: [&str; 2] = ["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

/// Why a scope change was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ScopeError {
    /// A word of the instruction could not be expanded.
    Word(WordError),
    /// A value longer than [`limits::MAX_VARIABLE_BYTES`].
    ValueTooLong { name: String },
    /// More than [`limits::MAX_VARIABLES`] names in one scope.
    TooManyVariables,
}

impl fmt::Display for ScopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScopeError::Word(e) => e.fmt(f),
            ScopeError::ValueTooLong { name } => write!(
                f,
                "value of {name} is longer than {} KiB (a dfplay limit)",
                limits::MAX_VARIABLE_BYTES >> 10
            ),
            ScopeError::TooManyVariables => {
                write!(f, "more than {} variables in one stage (a dfplay limit)", limits::MAX_VARIABLES)
            }
        }
    }
}

impl std::error::Error for ScopeError {}

impl From<WordError> for ScopeError {
    fn from(e: WordError) -> Self {
        ScopeError::Word(e)
    }
}

/// BuildKit's `llb.EnvList`: variables in the order they were last set (setting a
/// name again moves it to the end), the order a RUN's process gets them in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvList {
    values: BTreeMap<String, (u64, String)>,
    next_seq: u64,
}

impl EnvList {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `name` and moves it to the end (`AddOrReplace`).
    pub fn set(&mut self, name: &str, value: &str) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.values.insert(name.to_string(), (seq, value.to_string()));
    }

    /// Removes `name`.
    pub fn remove(&mut self, name: &str) {
        self.values.remove(name);
    }

    /// How many names are set.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// `(name, value)` pairs in order.
    pub fn to_vec(&self) -> Vec<(String, String)> {
        let mut v: Vec<(&u64, &String, &String)> = self.values.iter().map(|(k, (s, v))| (s, k, v)).collect();
        v.sort_unstable_by_key(|(s, _, _)| **s);
        v.into_iter().map(|(_, k, v)| (k.clone(), v.clone())).collect()
    }
}

impl Env for EnvList {
    fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(|(_, v)| v.as_str())
    }
    fn keys(&self) -> Vec<&str> {
        let mut v: Vec<(&u64, &str)> = self.values.iter().map(|(k, (s, _))| (s, k.as_str())).collect();
        v.sort_unstable_by_key(|(s, _)| **s);
        v.into_iter().map(|(_, k)| k).collect()
    }
}

/// What a build is asked for: `--build-arg`s, platforms and `--target`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildOptions {
    /// `--build-arg NAME=value`, by name.
    pub build_args: BTreeMap<String, String>,
    /// Where the build runs (`BUILDPLATFORM`).
    pub build_platform: Platform,
    /// What it builds for (`TARGETPLATFORM`, `--platform`).
    pub target_platform: Platform,
    /// The target stage's name (`TARGETSTAGE`); empty for an unnamed last stage.
    pub target_stage: String,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            build_args: BTreeMap::new(),
            build_platform: Platform::linux_amd64(),
            target_platform: Platform::linux_amd64(),
            target_stage: String::new(),
        }
    }
}

/// The global scope: automatic args and the ARGs before the first `FROM`.
#[derive(Debug, Clone)]
pub struct GlobalScope {
    shared: Arc<Shared>,
    declared: Vec<(String, Option<String>)>,
}

/// What every stage needs from the global scope.
#[derive(Debug, Clone)]
struct Shared {
    args: EnvList,
    build_args: BTreeMap<String, String>,
}

impl GlobalScope {
    /// The scope before any `ARG`: the automatic args (BuildKit's `defaultArgs`).
    ///
    /// ```
    /// use dfplay::words::{BuildOptions, Env, GlobalScope};
    /// let g = GlobalScope::new(&BuildOptions::default());
    /// assert_eq!(g.get("TARGETPLATFORM"), Some("linux/amd64"));
    /// assert_eq!(g.get("TARGETVARIANT"), Some(""));
    /// assert_eq!(g.get("TARGETSTAGE"), Some("default"));
    /// ```
    pub fn new(opts: &BuildOptions) -> Self {
        let (b, t) = (&opts.build_platform, &opts.target_platform);
        let target_stage = if opts.target_stage.is_empty() { "default" } else { opts.target_stage.as_str() };
        let defaults = [
            ("BUILDPLATFORM", b.format()),
            ("BUILDOS", b.os.clone()),
            ("BUILDOSVERSION", b.os_version.clone()),
            ("BUILDARCH", b.architecture.clone()),
            ("BUILDVARIANT", b.variant.clone()),
            ("TARGETPLATFORM", t.format_all()),
            ("TARGETOS", t.os.clone()),
            ("TARGETOSVERSION", t.os_version.clone()),
            ("TARGETARCH", t.architecture.clone()),
            ("TARGETVARIANT", t.variant.clone()),
            ("TARGETSTAGE", target_stage.to_string()),
        ];
        let mut args = EnvList::new();
        for (k, v) in defaults {
            let v = opts.build_args.get(k).cloned().unwrap_or(v);
            args.set(k, &v);
        }
        GlobalScope { shared: Arc::new(Shared { args, build_args: opts.build_args.clone() }), declared: Vec::new() }
    }

    /// One name of an `ARG` before the first `FROM` (BuildKit's `buildMetaArgs`):
    /// the `--build-arg` value, else the default expanded against this scope, else
    /// nothing. Returns the value it got.
    ///
    /// ```
    /// use dfplay::words::{BuildOptions, Env, GlobalScope, Lexer};
    /// let mut g = GlobalScope::new(&BuildOptions::default());
    /// g.declare_arg(&Lexer::default(), "IMG", Some("alpine:$VER")).unwrap();
    /// assert_eq!(g.get("IMG"), Some("alpine:"));
    /// assert_eq!(g.expand(&Lexer::default(), "${IMG}3.19").result.unwrap(), "alpine:3.19");
    /// ```
    pub fn declare_arg(&mut self, lexer: &Lexer, name: &str, default: Option<&str>) -> Result<Option<String>, ScopeError> {
        let value = match (self.shared.build_args.get(name), default) {
            (Some(v), _) => Some(v.clone()),
            (None, Some(d)) => Some(lexer.process_word(d, &self.shared.args)?),
            (None, None) => None,
        };
        if let Some(v) = &value {
            check_value(name, v)?;
            if self.shared.args.len() >= limits::MAX_VARIABLES && self.shared.args.get(name).is_none() {
                return Err(ScopeError::TooManyVariables);
            }
            Arc::make_mut(&mut self.shared).args.set(name, v);
        }
        if self.declared.len() < limits::MAX_VARIABLES {
            self.declared.push((name.to_string(), value.clone()));
        }
        Ok(value)
    }

    /// Expands a `FROM` image or `--platform` word against this scope; `unmatched`
    /// names not declared anywhere are BuildKit's `UndefinedArgInFrom`.
    pub fn expand(&self, lexer: &Lexer, word: &str) -> WordMatches {
        lexer.process_word_with_matches(word, &self.shared.args)
    }

    /// The `--build-arg`s of this build.
    pub fn build_args(&self) -> &BTreeMap<String, String> {
        &self.shared.build_args
    }

    /// The global ARGs in declaration order with the value each got.
    pub fn declared_args(&self) -> &[(String, Option<String>)] {
        &self.declared
    }

    /// The global variables (automatic args and global ARG values) in order.
    pub fn to_vec(&self) -> Vec<(String, String)> {
        self.shared.args.to_vec()
    }
}

impl Env for GlobalScope {
    fn get(&self, name: &str) -> Option<&str> {
        self.shared.args.get(name)
    }
    fn keys(&self) -> Vec<&str> {
        self.shared.args.keys()
    }
}

/// Where a stage ARG's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArgSource {
    /// `--build-arg` (taken literally, not expanded).
    BuildArg,
    /// The `=default` of the ARG, expanded against the stage.
    Default,
    /// The global scope (a global ARG or an automatic arg) of the same name.
    Global,
    /// Nowhere: the name is declared but unset.
    Unset,
}

/// What one name of a stage `ARG` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgOutcome {
    pub name: String,
    pub value: Option<String>,
    pub source: ArgSource,
    /// Variables the default referenced that were not set (for `UndefinedVar`).
    pub unmatched: BTreeSet<String>,
}

/// One stage's variables.
#[derive(Debug, Clone)]
pub struct StageScope {
    shared: Arc<Shared>,
    /// BuildKit's state env: what RUN sees and what words expand against.
    env: EnvList,
    /// The image config's `Env`, in config order.
    config_env: Vec<(String, String)>,
    /// ARGs declared in this stage (and its parent stages), with their values.
    args: Vec<(String, Option<String>)>,
}

impl StageScope {
    /// A stage `FROM` an image whose config `Env` is `image_env` (`KEY=value`
    /// strings; empty for `scratch`). `PATH` is added when missing, as BuildKit does.
    ///
    /// ```
    /// use dfplay::words::{BuildOptions, GlobalScope, StageScope};
    /// let s = StageScope::from_image(&GlobalScope::new(&BuildOptions::default()), &["A=1"]);
    /// assert_eq!(s.config_env(), ["A=1", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]);
    /// ```
    pub fn from_image<S: AsRef<str>>(global: &GlobalScope, image_env: &[S]) -> Self {
        let mut config_env: Vec<(String, String)> = Vec::new();
        for e in image_env.iter().take(limits::MAX_VARIABLES) {
            let e = e.as_ref();
            let (k, v) = e.split_once('=').unwrap_or((e, ""));
            config_add(&mut config_env, k, v);
        }
        if !config_env.iter().any(|(k, _)| k == "PATH") {
            config_env.push(("PATH".into(), DEFAULT_PATH.into()));
        }
        let mut env = EnvList::new();
        for (k, v) in &config_env {
            env.set(k, v);
        }
        StageScope { shared: global.shared.clone(), env, config_env, args: Vec::new() }
    }

    /// A stage `FROM` an earlier stage: it starts with everything `parent` had at its
    /// end — ENV, ARG values and declared ARGs.
    pub fn from_stage(parent: &StageScope) -> Self {
        parent.clone()
    }

    /// Expands one word against the stage (every instruction word but `FROM`'s).
    pub fn expand(&self, lexer: &Lexer, word: &str) -> WordMatches {
        lexer.process_word_with_matches(word, &self.env)
    }

    /// Expands and splits one word against the stage (`EXPOSE`).
    pub fn expand_words(&self, lexer: &Lexer, word: &str) -> Result<Vec<String>, WordError> {
        lexer.process_words(word, &self.env)
    }

    /// An `ENV` instruction: expands every key and value against the scope as it was
    /// before the instruction, then sets them in order. Returns the pairs set.
    ///
    /// ```
    /// use dfplay::words::{BuildOptions, Env, GlobalScope, Lexer, StageScope};
    /// let mut s = StageScope::from_image(&GlobalScope::new(&BuildOptions::default()), &["A=old"]);
    /// s.env_instruction(&Lexer::default(), &[("A", "new"), ("B", "$A")]).unwrap();
    /// assert_eq!(s.get("B"), Some("old"));
    /// ```
    pub fn env_instruction(&mut self, lexer: &Lexer, pairs: &[(&str, &str)]) -> Result<Vec<(String, String)>, ScopeError> {
        let mut expanded = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            let key = lexer.process_word(k, &self.env)?;
            let value = lexer.process_word(v, &self.env)?;
            expanded.push((key, value));
        }
        for (k, v) in &expanded {
            self.set_env(k, v)?;
        }
        Ok(expanded)
    }

    /// Sets an already expanded ENV pair in the stage and in the image config.
    pub fn set_env(&mut self, name: &str, value: &str) -> Result<(), ScopeError> {
        check_value(name, value)?;
        if self.env.get(name).is_none() && self.env.len() >= limits::MAX_VARIABLES {
            return Err(ScopeError::TooManyVariables);
        }
        self.env.set(name, value);
        config_add(&mut self.config_env, name, value);
        Ok(())
    }

    /// One name of a stage `ARG` (BuildKit's `dispatchArg`). Call once per name, in
    /// order: a later name's default sees the earlier ones.
    ///
    /// ```
    /// use dfplay::words::{ArgSource, BuildOptions, Env, GlobalScope, Lexer, StageScope};
    /// let lex = Lexer::default();
    /// let mut g = GlobalScope::new(&BuildOptions::default());
    /// g.declare_arg(&lex, "VERSION", Some("1.0")).unwrap();
    /// let mut s = StageScope::from_image(&g, &[] as &[&str]);
    /// assert_eq!(s.get("VERSION"), None); // global ARGs need redeclaring
    /// let out = s.arg_instruction(&lex, "VERSION", None).unwrap();
    /// assert_eq!((out.value.as_deref(), out.source), (Some("1.0"), ArgSource::Global));
    /// assert_eq!(s.get("VERSION"), Some("1.0"));
    /// assert!(s.config_env().iter().all(|e| !e.starts_with("VERSION=")));
    /// ```
    pub fn arg_instruction(&mut self, lexer: &Lexer, name: &str, default: Option<&str>) -> Result<ArgOutcome, ScopeError> {
        let mut unmatched = BTreeSet::new();
        let (value, source) = if let Some(v) = self.shared.build_args.get(name) {
            (Some(v.clone()), ArgSource::BuildArg)
        } else if let Some(d) = default {
            let m = self.expand(lexer, d);
            unmatched = m.unmatched;
            (Some(m.result?), ArgSource::Default)
        } else if let Some(v) = self.shared.args.get(name) {
            (Some(v.to_string()), ArgSource::Global)
        } else {
            (None, ArgSource::Unset)
        };
        if let Some(v) = &value {
            check_value(name, v)?;
            if !NON_ENV_ARGS.contains(&name) {
                if self.env.get(name).is_none() && self.env.len() >= limits::MAX_VARIABLES {
                    return Err(ScopeError::TooManyVariables);
                }
                self.env.set(name, v);
            }
        }
        if self.args.len() >= limits::MAX_VARIABLES {
            return Err(ScopeError::TooManyVariables);
        }
        // As BuildKit's lint: names declared by an earlier ARG are not undefined.
        let unmatched = self.undefined_vars(&unmatched).into_iter().collect();
        self.args.push((name.to_string(), value.clone()));
        Ok(ArgOutcome { name: name.to_string(), value, source, unmatched })
    }

    /// Whether `name` was declared by an `ARG` in this stage (or a parent stage),
    /// with or without a value.
    pub fn is_declared_arg(&self, name: &str) -> bool {
        self.args.iter().any(|(k, _)| k == name)
    }

    /// The ARGs declared so far, in order, with their values.
    pub fn declared_args(&self) -> &[(String, Option<String>)] {
        &self.args
    }

    /// Of the names a word referenced but found unset, those BuildKit reports as
    /// `UndefinedVar`: not declared by an ARG, not BuildKit's own.
    pub fn undefined_vars<'a>(&self, unmatched: impl IntoIterator<Item = &'a String>) -> Vec<String> {
        unmatched
            .into_iter()
            .filter(|n| !self.is_declared_arg(n) && !NON_ENV_ARGS.contains(&n.as_str()))
            .cloned()
            .collect()
    }

    /// The environment list of a RUN in BuildKit's order: base image Env, ENV and ARG
    /// values, each name where it was last set. This list is part of the RUN's cache
    /// key.
    pub fn run_env(&self) -> Vec<(String, String)> {
        self.env.to_vec()
    }

    /// Proxy settings from `--build-arg` (`HTTP_PROXY` … in any case), as BuildKit
    /// adds them to every RUN's process, both spellings of each, outside the cache key.
    pub fn proxy_env(&self) -> Vec<(String, String)> {
        let mut found: [Option<&str>; 5] = [None; 5];
        for (k, v) in &self.shared.build_args {
            for (i, p) in ["http_proxy", "https_proxy", "ftp_proxy", "no_proxy", "all_proxy"].iter().enumerate() {
                if k.eq_ignore_ascii_case(p) {
                    found[i] = Some(v);
                }
            }
        }
        let mut out = Vec::new();
        for (i, upper) in ["HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY", "ALL_PROXY"].iter().enumerate() {
            if let Some(v) = found[i].filter(|v| !v.is_empty()) {
                out.push((upper.to_string(), v.to_string()));
                out.push((upper.to_ascii_lowercase(), v.to_string()));
            }
        }
        out
    }

    /// The full environment a RUN's process starts with: [`run_env`](Self::run_env),
    /// then [`proxy_env`](Self::proxy_env), then `PATH` if still missing. (The runtime
    /// adds `HOME` when unset, and the shell its own `PWD`/`SHLVL`.)
    pub fn process_env(&self) -> Vec<(String, String)> {
        let mut env = self.run_env();
        env.extend(self.proxy_env());
        if !env.iter().any(|(k, _)| k == "PATH") {
            env.push(("PATH".into(), DEFAULT_PATH.into()));
        }
        env
    }

    /// The image config's `Env` (`KEY=value`): base image Env and ENV, never ARG.
    pub fn config_env(&self) -> Vec<String> {
        self.config_env.iter().map(|(k, v)| format!("{k}={v}")).collect()
    }

    /// The build-arg part of a RUN's history entry (BuildKit's `runCommandString`):
    /// `["|2", "A=1", "B=2"]` for two declared ARGs, empty without any. Each ARG shows
    /// the stage's current value of its name (an ENV of the same name shows through).
    pub fn run_history_args(&self) -> Vec<String> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (k, v) in &self.args {
            let value = self.env.get(k).map(str::to_string).or_else(|| v.clone()).unwrap_or_default();
            match pairs.iter_mut().find(|(name, _)| name == k) {
                Some(p) => p.1 = value,
                None => pairs.push((k.clone(), value)),
            }
        }
        if pairs.is_empty() {
            return Vec::new();
        }
        let mut out = vec![format!("|{}", pairs.len())];
        out.extend(pairs.into_iter().map(|(k, v)| format!("{k}={v}")));
        out
    }
}

impl Env for StageScope {
    fn get(&self, name: &str) -> Option<&str> {
        self.env.get(name)
    }
    fn keys(&self) -> Vec<&str> {
        self.env.keys()
    }
}

/// `--build-arg`s that no `ARG` declared (in the global scope or a built stage),
/// sorted. Automatic args, proxy args, `BUILDKIT_*` and `SOURCE_DATE_EPOCH` are
/// BuildKit's own and never count as unconsumed.
pub fn unconsumed_build_args<'a>(
    build_args: &BTreeMap<String, String>,
    declared: impl IntoIterator<Item = &'a str>,
) -> Vec<String> {
    let declared: BTreeSet<&str> = declared.into_iter().collect();
    build_args
        .keys()
        .filter(|k| {
            !declared.contains(k.as_str())
                && !AUTOMATIC_ARGS.contains(&k.as_str())
                && !PROXY_ARGS.contains(&k.as_str())
                && !k.starts_with("BUILDKIT_")
                && k.as_str() != "SOURCE_DATE_EPOCH"
        })
        .cloned()
        .collect()
}

/// The classic builder's warning for [`unconsumed_build_args`]:
/// `[Warning] One or more build-args [A B] were not consumed`, or `None`.
pub fn unconsumed_warning(unconsumed: &[String]) -> Option<String> {
    if unconsumed.is_empty() {
        return None;
    }
    Some(format!("[Warning] One or more build-args [{}] were not consumed", unconsumed.join(" ")))
}

fn check_value(name: &str, value: &str) -> Result<(), ScopeError> {
    if value.len() > limits::MAX_VARIABLE_BYTES {
        return Err(ScopeError::ValueTooLong { name: name.to_string() });
    }
    Ok(())
}

/// BuildKit's `addEnv` for the image config: replace in place, else append.
fn config_add(env: &mut Vec<(String, String)>, name: &str, value: &str) {
    match env.iter_mut().find(|(k, _)| k == name) {
        Some(e) => e.1 = value.to_string(),
        None => env.push((name.to_string(), value.to_string())),
    }
}
