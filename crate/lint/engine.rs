//! The check itself: BuildKit's `DockerfileLint` path through `dockerfile2llb`
//! (`toDispatchState` with every stage dispatched, or those `--target` needs), reduced to
//! what decides the warnings: ARG/ENV scopes, stage links, WORKDIR/SHELL/CMD state.
//! Each phase fires its rules in BuildKit's order and stops where BuildKit errors.
//!
//! Work is linear in the input: word expansions share one byte budget, copying a stage's
//! variables into a stage built on it shares another, and "did you mean" suggestions
//! compare a bounded number of names; past a budget the affected rule falls silent
//! rather than the check slowing down (see [`crate::limits`]).

use super::config::{check_directive, CheckConfig};
use super::expose::check_port;
use super::ignore::IgnoreMatcher;
use super::rules::{self, RuleInfo};
use super::{BaseImages, LintOptions, LintReport, Warning};
use crate::instructions::{self, Command, Instruction, Lowered, Span, Word};
use crate::limits;
use crate::syntax::{self, go_lower, go_upper, Diagnostic, DiagnosticKind, Form, Keyword, Severity, SyntaxTree, TextRange};
use crate::words::{BuildOptions, Env, EnvList, GlobalScope, Lexer, NoEnv, Platform, AUTOMATIC_ARGS, NON_ENV_ARGS};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};

/// The error that ends a check (BuildKit's first error).
type Flow<T> = Result<T, Diagnostic>;

/// Names longer than this get no "did you mean" (Levenshtein is quadratic in length).
const MAX_SUGGEST_NAME_CHARS: usize = 128;

pub(super) fn run(dockerfile: &[u8], options: &LintOptions<'_>) -> LintReport {
    let parsed = syntax::parse(dockerfile);
    let tree = &parsed.tree;
    let (config, config_error) = resolve_config(dockerfile, tree, options);
    let mut report = LintReport { warnings: Vec::new(), parse_errors: Vec::new(), config: config.clone(), violation: None };
    if dockerfile.is_empty() {
        let d = Diagnostic::error(tree, DiagnosticKind::NoInstructions, "the Dockerfile cannot be empty", TextRange::empty(0));
        report.parse_errors.push(d);
        return report;
    }
    if let Some(e) = config_error {
        report.parse_errors.push(e);
        return report;
    }
    let mut errors: Vec<Diagnostic> = parsed.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
    let mut engine = Engine::new(tree, &config, options);
    if errors.is_empty() {
        engine.empty_continuations();
        let lowered = instructions::lower(tree);
        let first_error = lowered.diagnostics.iter().find(|d| d.is_error()).cloned();
        engine.parse_rules(first_error.as_ref());
        errors.extend(lowered.diagnostics.iter().filter(|d| d.is_error()).cloned());
        if errors.is_empty() {
            if let Err(e) = engine.stages(&lowered) {
                errors.push(e);
            }
        }
    }
    errors.sort_by_key(|d| d.range.start);
    let mut warnings = std::mem::take(&mut engine.warnings);
    warnings.sort_by_key(|w| w.start_line);
    if errors.is_empty() && config.error && !warnings.is_empty() {
        report.violation = Some(format!("lint violation found for rules: {}", engine.called.join(", ")));
    }
    report.warnings = warnings;
    report.parse_errors = errors;
    report
}

/// The check options: the caller's, else `BUILDKIT_DOCKERFILE_CHECK`, else `# check=`.
fn resolve_config(dockerfile: &[u8], tree: &SyntaxTree, options: &LintOptions<'_>) -> (CheckConfig, Option<Diagnostic>) {
    if let Some(c) = &options.config {
        return (c.clone(), None);
    }
    let (parsed, what, range) = if let Some(v) = options.build_args.get("BUILDKIT_DOCKERFILE_CHECK") {
        (CheckConfig::parse(v), "BUILDKIT_DOCKERFILE_CHECK", TextRange::empty(0))
    } else if let Some(d) = check_directive(dockerfile) {
        let range = tree.directive(syntax::DirectiveKind::Check).map_or(TextRange::empty(0), |x| x.range);
        (CheckConfig::parse(&d.value), "check options", range)
    } else {
        return (CheckConfig::default(), None);
    };
    match parsed {
        Ok(c) => (c, None),
        Err(e) => {
            let d = Diagnostic::error(tree, DiagnosticKind::Directive, format!("failed to parse {what}: {e}"), range);
            (CheckConfig::default(), Some(d))
        }
    }
}

/// A stage's state while its instructions are dispatched (BuildKit's `dispatchState`,
/// the parts the rules read).
#[derive(Clone, Debug)]
struct StageState {
    /// The stage's variables (base image Env, ENV, ARG values), BuildKit's state env.
    env: EnvList,
    /// The image config's `Env` (base image Env and ENV, replaced in place), which a
    /// stage built on this one sets again over the inherited variables.
    config: ConfigEnv,
    /// False when the base image's Env is unknown: `UndefinedVar` stays silent.
    env_known: bool,
    /// Names declared by an ARG in this stage or the stages it builds on.
    declared: HashSet<String>,
    /// A SHELL was set (in the image config): shell-form CMD is then fine.
    shell_set: bool,
    /// A WORKDIR ran in this stage or the stages it builds on.
    workdir_set: bool,
    /// The working directory, when known.
    workdir: Option<String>,
}

/// The last CMD, ENTRYPOINT and HEALTHCHECK of a stage (`instructionTracker`).
#[derive(Default)]
struct Trackers {
    cmd: Option<((u32, u32), Span)>,
    entrypoint: Option<((u32, u32), Span)>,
    healthcheck: Option<((u32, u32), Span)>,
}

/// One instruction to dispatch: its own, or an ONBUILD trigger of the base stage (which
/// BuildKit reports at the FROM).
struct Dispatch<'l> {
    ins: &'l Instruction,
    lines: (u32, u32),
    /// For a trigger: the FROM it runs at.
    at: Option<&'l Instruction>,
}

impl Dispatch<'_> {
    fn span(&self, own: Span) -> Span {
        self.at.map_or(own, |f| f.keyword.span)
    }
    fn range(&self) -> TextRange {
        self.at.unwrap_or(self.ins).span.range()
    }
}

struct Engine<'a> {
    tree: &'a SyntaxTree,
    config: &'a CheckConfig,
    options: &'a LintOptions<'a>,
    lexer: Lexer,
    severity: Severity,
    warnings: Vec<Warning>,
    called: Vec<&'static str>,
    /// Bytes word expansion may still produce.
    expand_budget: usize,
    /// Variables that may still be copied into stages built on other stages.
    copy_budget: usize,
    /// Name comparisons "did you mean" may still make.
    suggest_budget: usize,
}

impl<'a> Engine<'a> {
    fn new(tree: &'a SyntaxTree, config: &'a CheckConfig, options: &'a LintOptions<'a>) -> Self {
        Engine {
            tree,
            config,
            options,
            lexer: Lexer::new(tree.escape()),
            severity: if config.error { Severity::Error } else { Severity::Warning },
            warnings: Vec::new(),
            called: Vec::new(),
            expand_budget: limits::MAX_LINT_EXPANDED_BYTES,
            copy_budget: limits::MAX_LINT_COPIED_VARIABLES,
            suggest_budget: limits::MAX_LINT_SUGGEST_COMPARISONS,
        }
    }

    /// BuildKit's `Linter.Run`.
    fn warn(&mut self, cfg: &CheckConfig, rule: &RuleInfo, message: String, lines: (u32, u32), span: Span) {
        if !cfg.runs(rule) {
            return;
        }
        if !self.called.contains(&rule.name) {
            self.called.push(rule.name);
        }
        self.warnings.push(Warning {
            rule: rule.name,
            description: rule.description,
            url: rule.url,
            message,
            severity: self.severity,
            start_line: lines.0,
            end_line: lines.1,
            span,
        });
    }

    fn span(&self, r: TextRange) -> Span {
        let a = self.tree.position(r.start);
        let b = self.tree.position(r.end);
        Span { start: r.start, end: r.end, line: a.line, col: a.col, end_line: b.line, end_col: b.col }
    }

    fn error(&self, kind: DiagnosticKind, message: impl Into<String>, range: TextRange) -> Diagnostic {
        Diagnostic::error(self.tree, kind, message, range)
    }

    /// `suggest.Search`, within the suggestion budget (which counts the names looked at
    /// and the Levenshtein cells computed).
    fn suggest(&mut self, name: &str, options: &[&str]) -> String {
        let n = name.chars().count();
        if n > MAX_SUGGEST_NAME_CHARS || options.len() > self.suggest_budget {
            return String::new();
        }
        self.suggest_budget -= options.len();
        let mut cells = 0usize;
        let near: Vec<&str> = options
            .iter()
            .copied()
            .filter(|o| {
                let m = o.chars().count();
                let close = m.abs_diff(n) < 3;
                if close {
                    cells += (n + 1) * (m + 1);
                }
                close
            })
            .collect();
        if cells > self.suggest_budget {
            self.suggest_budget = 0;
            return String::new();
        }
        self.suggest_budget -= cells;
        instructions::suggest(name, &near, true).unwrap_or_default()
    }

    /// Expands one word within the expansion budget (`None` once it is spent).
    fn expand<E: Env + ?Sized>(&mut self, lexer: &Lexer, word: &str, env: &E) -> Option<crate::words::WordMatches> {
        if self.expand_budget == 0 {
            return None;
        }
        let m = lexer.process_word_with_matches(word, env);
        let produced = m.result.as_ref().map_or(word.len(), |r| r.len().max(word.len()));
        self.expand_budget = self.expand_budget.saturating_sub(produced);
        Some(m)
    }

    // ---- the parser's warnings -------------------------------------------------------

    /// `NoEmptyContinuation`, at the line where the continuation ends.
    fn empty_continuations(&mut self) {
        let tree = self.tree;
        for ins in tree.instructions() {
            let Some(&first_empty) = tree.empty_continuation_lines(ins).first() else { continue };
            let line = match tree.heredocs(ins).first() {
                Some(h) => tree.position(h.body.start).line.saturating_sub(1).max(ins.start_line),
                None => ins.end_line,
            };
            let span = self.line_span(ins.range, first_empty);
            let rule = rules::NO_EMPTY_CONTINUATION;
            self.warn(self.config, &rule.info, (rule.format)(), (line, line), span);
        }
    }

    /// The span of line `line` inside `within` (empty at its start when not found).
    fn line_span(&self, within: TextRange, line: u32) -> Span {
        for t in self.tree.tokens_from(within.start).take_while(|t| t.range.start < within.end) {
            if self.tree.position(t.range.start).line == line {
                return self.span(TextRange::empty(t.range.start));
            }
        }
        self.span(TextRange::empty(within.start))
    }

    // ---- instructions.Parse ----------------------------------------------------------

    /// The rules BuildKit runs while it parses each instruction, up to its first error.
    fn parse_rules(&mut self, first_error: Option<&Diagnostic>) {
        let tree = self.tree;
        for ins in tree.instructions() {
            let failing = first_error.filter(|e| ins.range.start <= e.range.start && e.range.start < ins.range.end.max(ins.range.start + 1));
            let comments: Vec<String> = tree.prev_comments(ins).iter().map(|c| tree.comment_text(c)).collect();
            let cfg = self.config.for_comments(&comments);
            let lines = (ins.start_line, ins.end_line);
            let args = tree.args(ins);
            let parsed_ok = failing.is_none_or(|e| e.kind == DiagnosticKind::NoStage);
            match ins.kind {
                Some(Keyword::Maintainer) => {
                    let rule = rules::MAINTAINER_DEPRECATED;
                    let span = self.span(ins.keyword.range);
                    self.warn(&cfg, &rule.info, (rule.format)(), lines, span);
                }
                Some(Keyword::From) if matches!(ins.form, Form::Words) => {
                    let keyword = ins.keyword.text(tree);
                    if let [_, _, name] = args {
                        let name_text = name.text(tree);
                        if name_text != go_lower(name_text) {
                            let rule = rules::STAGE_NAME_CASING;
                            let span = self.span(name.range);
                            self.warn(&cfg, &rule.info, (rule.format)(name_text), lines, span);
                        }
                    }
                    if args.len() >= 3 {
                        let as_text = args[1].text(tree);
                        let lower = keyword == go_lower(keyword);
                        let upper = keyword == go_upper(keyword);
                        let mismatch = (lower && as_text != go_lower(as_text)) || (!lower && upper && as_text != go_upper(as_text));
                        if mismatch {
                            let rule = rules::FROM_AS_CASING;
                            let span = self.span(args[1].range);
                            self.warn(&cfg, &rule.info, (rule.format)(keyword, as_text), lines, span);
                        }
                    }
                    if parsed_ok {
                        if let [_, _, name] = args {
                            let key = go_lower(name.text(tree));
                            self.definition_description(&cfg, "FROM", &[key.as_str()], &comments, lines, self.span(name.range));
                        }
                    }
                }
                Some(Keyword::Arg) if parsed_ok => {
                    let keys: Vec<&str> = args.iter().map(|a| a.text(tree)).map(|t| t.split_once('=').map_or(t, |(k, _)| k)).collect();
                    let span = self.span(ins.keyword.range);
                    self.definition_description(&cfg, "ARG", &keys, &comments, lines, span);
                }
                _ => {}
            }
            if failing.is_some() {
                return;
            }
        }
    }

    /// `InvalidDefinitionDescription` (experimental): the comment above a stage or ARG
    /// should start with its name.
    fn definition_description(&mut self, cfg: &CheckConfig, instruction: &str, keys: &[&str], comments: &[String], lines: (u32, u32), span: Span) {
        let (Some(last), Some(first_key)) = (comments.last(), keys.first()) else { return };
        let word = last.split(' ').next().unwrap_or("");
        if keys.contains(&word) {
            return;
        }
        let example = if keys.len() > 1 { "<arg_key>" } else { first_key };
        let rule = rules::INVALID_DEFINITION_DESCRIPTION;
        self.warn(cfg, &rule.info, (rule.format)(instruction, example), lines, span);
    }

    // ---- the stages --------------------------------------------------------------------

    fn stages(&mut self, lowered: &Lowered) -> Flow<()> {
        let stages = &lowered.stages;
        let Some(last) = stages.last() else {
            return Err(self.error(DiagnosticKind::NoStage, "dockerfile contains no stages to build", TextRange::empty(self.tree.source().len() as u32)));
        };
        self.stage_names(lowered);
        self.command_casing(lowered);

        let target_name = self.options.target.clone().or_else(|| last.name.clone()).unwrap_or_default();
        let automatic: std::collections::BTreeMap<String, String> = self
            .options
            .build_args
            .iter()
            .filter(|(k, _)| AUTOMATIC_ARGS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let defaults_only = BuildOptions { build_args: automatic, target_stage: target_name.clone(), ..Default::default() };
        self.default_base_names(lowered, &defaults_only);

        // buildMetaArgs with the real build args.
        let opts = BuildOptions { build_args: self.options.build_args.clone(), target_stage: target_name, ..Default::default() };
        let mut global = GlobalScope::new(&opts);
        let lexer = self.lexer;
        for ins in &lowered.meta_args {
            let Command::Arg(arg) = &ins.command else { continue };
            for def in &arg.args {
                if let Err(e) = global.declare_arg(&lexer, &def.key.text, def.value.as_ref().map(|v| v.text.as_str())) {
                    return Err(self.error(DiagnosticKind::Dispatch, e.to_string(), ins.span.range()));
                }
            }
        }
        let mut arg_keys: Vec<String> = global.declared_args().iter().map(|(k, _)| k.clone()).collect();
        arg_keys.extend(global.keys().into_iter().map(str::to_owned));
        arg_keys.sort();
        arg_keys.dedup();

        let bases = self.resolve_froms(lowered, &global, &arg_keys)?;
        let target = self.target(lowered)?;
        let (deps, images) = self.dependencies(lowered)?;
        self.cycles(lowered, &deps)?;
        // Without --target BuildKit's check dispatches every stage.
        // Without --target BuildKit's check dispatches every stage, but runs ONBUILD
        // triggers only in the stages the target (the last stage) needs.
        let from_target = reachable(lowered, &bases, &deps, target);
        let needed = match self.options.target {
            Some(_) => from_target.clone(),
            None => vec![true; lowered.stages.len()],
        };
        self.check_base_names(lowered, &bases, &images)?;
        self.dispatch_all(lowered, &global, &bases, &needed, &from_target)
    }

    /// `validateStageNames`: reserved and duplicate names.
    fn stage_names(&mut self, lowered: &Lowered) {
        let mut seen: HashSet<&str> = HashSet::new();
        for stage in &lowered.stages {
            let Some(name) = stage.name.as_deref() else { continue };
            let lines = (stage.from.start_line, stage.from.end_line);
            let span = match &stage.from.command {
                Command::From(f) => f.name.as_ref().map_or(stage.from.keyword.span, |w| w.span),
                _ => stage.from.keyword.span,
            };
            if matches!(name, "context" | "scratch") {
                let rule = rules::RESERVED_STAGE_NAME;
                self.warn(self.config, &rule.info, (rule.format)(name), lines, span);
            }
            if !seen.insert(name) {
                let rule = rules::DUPLICATE_STAGE_NAME;
                self.warn(self.config, &rule.info, (rule.format)(name), lines, span);
            }
        }
    }

    /// `validateCommandCasing`: each instruction self-consistent and like the majority.
    fn command_casing(&mut self, lowered: &Lowered) {
        let (mut lower, mut upper) = (0usize, 0usize);
        let all = || lowered.stages.iter().flat_map(|s| std::iter::once(&s.from).chain(s.commands.iter()));
        for ins in all() {
            let name = ins.keyword.text.as_str();
            let l = go_lower(name);
            if name == l {
                lower += 1;
            } else if name == go_upper(name) {
                upper += 1;
            }
        }
        let majority_lower = lower > upper;
        for ins in all() {
            let name = ins.keyword.text.as_str();
            let casing = if majority_lower && go_lower(name) != name {
                "lowercase"
            } else if !majority_lower && go_upper(name) != name {
                "uppercase"
            } else {
                continue;
            };
            let rule = rules::CONSISTENT_INSTRUCTION_CASING;
            self.warn(self.config, &rule.info, (rule.format)(name, casing), (ins.start_line, ins.end_line), ins.keyword.span);
        }
    }

    /// `validateBaseImagesWithDefaultArgs`: with no build args, each FROM must still name
    /// a valid image.
    fn default_base_names(&mut self, lowered: &Lowered, opts: &BuildOptions) {
        let mut global = GlobalScope::new(opts);
        let lexer = self.lexer;
        for ins in &lowered.meta_args {
            let Command::Arg(arg) = &ins.command else { continue };
            for def in &arg.args {
                if global.declare_arg(&lexer, &def.key.text, def.value.as_ref().map(|v| v.text.as_str())).is_err() {
                    return;
                }
            }
        }
        for stage in &lowered.stages {
            let Some(m) = self.expand(&lexer, &stage.base.text, &global) else { return };
            let Ok(result) = m.result else { return };
            if crate::reference::Reference::parse(&result).is_err() {
                let rule = rules::INVALID_DEFAULT_ARG_IN_FROM;
                let lines = (stage.from.start_line, stage.from.end_line);
                self.warn(self.config, &rule.info, (rule.format)(&stage.base.text), lines, stage.base.span);
            }
        }
    }

    /// `UndefinedArgInFrom` for the names a FROM word used that no ARG declares.
    fn undeclared_in_from(&mut self, cfg: &CheckConfig, unmatched: &BTreeSet<String>, arg_keys: &[String], lines: (u32, u32), span: Span) {
        for name in unmatched {
            if arg_keys.binary_search(name).is_ok() {
                continue;
            }
            let keys: Vec<&str> = arg_keys.iter().map(String::as_str).collect();
            let suggestion = self.suggest(name, &keys);
            let rule = rules::UNDEFINED_ARG_IN_FROM;
            self.warn(cfg, &rule.info, (rule.format)(name, &suggestion), lines, span);
        }
    }

    /// `buildDispatchStates`: each FROM's image and platform against the global scope.
    /// Returns each stage's base: `Some(j)` for an earlier stage, with the expanded name.
    fn resolve_froms(&mut self, lowered: &Lowered, global: &GlobalScope, arg_keys: &[String]) -> Flow<Vec<(Option<usize>, String)>> {
        let lexer = self.lexer;
        let mut bases: Vec<(Option<usize>, String)> = Vec::with_capacity(lowered.stages.len());
        for (i, stage) in lowered.stages.iter().enumerate() {
            let cfg = self.config.for_comments(&stage.from.comments);
            let lines = (stage.from.start_line, stage.from.end_line);
            let range = stage.from.span.range();
            let m = self.expand(&lexer, &stage.base.text, global);
            let base = match m {
                Some(m) => {
                    self.undeclared_in_from(&cfg, &m.unmatched, arg_keys, lines, stage.base.span);
                    m.result.map_err(|e| self.error(DiagnosticKind::Dispatch, e.to_string(), range))?
                }
                None => stage.base.text.clone(),
            };
            if base.is_empty() {
                let msg = format!("base name ({}) should not be blank", stage.base.text);
                return Err(self.error(DiagnosticKind::Dispatch, msg, range));
            }
            if let Some(platform) = &stage.platform {
                self.platform(&cfg, global, arg_keys, stage, platform, lines)?;
            }
            let base_stage = lowered.stages[..i].iter().rposition(|s| s.name.as_deref() == Some(base.as_str()));
            bases.push((base_stage, base));
        }
        Ok(bases)
    }

    fn platform(&mut self, cfg: &CheckConfig, global: &GlobalScope, arg_keys: &[String], stage: &instructions::Stage, platform: &Word, lines: (u32, u32)) -> Flow<()> {
        let lexer = self.lexer;
        let range = stage.from.span.range();
        let Some(m) = self.expand(&lexer, &platform.text, global) else { return Ok(()) };
        self.undeclared_in_from(cfg, &m.unmatched, arg_keys, lines, platform.span);
        let result = m.result.as_deref().unwrap_or("");
        if m.matched.len() == 1 && m.unmatched.is_empty() && m.matched.contains("TARGETPLATFORM") && Some(result) == global.get("TARGETPLATFORM") {
            let rule = rules::REDUNDANT_TARGET_PLATFORM;
            self.warn(cfg, &rule.info, (rule.format)(&platform.text), lines, platform.span);
        }
        if m.matched.is_empty() && m.unmatched.is_empty() {
            if let Ok(p) = Platform::parse(result) {
                let name = stage.name.as_deref().unwrap_or("");
                if !name.contains(p.os.as_str()) && !name.contains(p.architecture.as_str()) {
                    let rule = rules::FROM_PLATFORM_FLAG_CONST_DISALLOWED;
                    self.warn(cfg, &rule.info, (rule.format)(result), lines, platform.span);
                }
            }
        }
        let result = match m.result {
            Ok(r) => r,
            Err(e) => {
                let msg = format!("failed to process arguments for platform : {e}");
                return Err(self.error(DiagnosticKind::Dispatch, msg, range));
            }
        };
        if result.is_empty() {
            let msg = format!("empty platform value from expression {}", platform.text);
            return Err(self.error(DiagnosticKind::Dispatch, msg, range));
        }
        if let Err(e) = Platform::parse(&result) {
            let msg = format!("failed to parse platform {}: {e}", platform.text);
            return Err(self.error(DiagnosticKind::Dispatch, msg, range));
        }
        Ok(())
    }

    /// `resolveTarget`: the `--target` stage, or the last.
    fn target(&mut self, lowered: &Lowered) -> Flow<usize> {
        let Some(t) = &self.options.target else { return Ok(lowered.stages.len().saturating_sub(1)) };
        if let Some(i) = stage_named(lowered, t) {
            return Ok(i);
        }
        let names: Vec<String> = lowered.stages.iter().map(|s| s.name.clone().unwrap_or_else(|| format!("stage-{}", s.index))).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let msg = instructions::suggest(t, &names, true).map_or_else(
            || format!("target stage {} could not be found", syntax::go_quote(t)),
            |s| format!("target stage {} could not be found (did you mean {s}?)", syntax::go_quote(t)),
        );
        Err(self.error(DiagnosticKind::Dispatch, msg, TextRange::empty(0)))
    }

    /// `buildStageDependencyGraph`: the stages each stage's `COPY --from` and
    /// `RUN --mount=from=` read, with BuildKit's errors.
    /// Also gives the images `COPY --from` names (BuildKit resolves those as stages of
    /// their own).
    #[allow(clippy::type_complexity)]
    fn dependencies<'l>(&mut self, lowered: &'l Lowered) -> Flow<(Vec<Vec<(usize, TextRange)>>, Vec<(&'l str, TextRange)>)> {
        let mut deps = Vec::with_capacity(lowered.stages.len());
        let mut images = Vec::new();
        for stage in &lowered.stages {
            let mut d: Vec<(usize, TextRange)> = Vec::new();
            for ins in &stage.commands {
                match &ins.command {
                    Command::Copy(instructions::Copy { from: Some(from), .. }) => match self.source_stage(lowered, &from.text, ins)? {
                        Some(j) => d.push((j, ins.span.range())),
                        None => images.push((from.text.as_str(), ins.span.range())),
                    },
                    Command::Run(r) => {
                        // detectRunMount: each mount reads its `from`, or `scratch`.
                        for m in &r.mounts {
                            let fields = csv_split(&m.spec.text);
                            let from = fields
                                .iter()
                                .filter_map(|f| f.split_once('='))
                                .filter(|(k, _)| go_lower(k) == "from")
                                .map(|(_, v)| v)
                                .next_back()
                                .unwrap_or("scratch");
                            if let Some(j) = stage_named(lowered, from) {
                                d.push((j, ins.span.range()));
                            }
                        }
                    }
                    _ => {}
                }
            }
            deps.push(d);
        }
        Ok((deps, images))
    }

    /// A `--from` value: a stage (by index or name), or `None` for an image.
    fn source_stage(&mut self, lowered: &Lowered, from: &str, ins: &Instruction) -> Flow<Option<usize>> {
        let range = ins.span.range();
        if self.lexer.process_word(from, &NoEnv).as_deref() != Ok(from) {
            let msg = "variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround";
            return Err(self.error(DiagnosticKind::Dispatch, msg, range));
        }
        if let Some(index) = go_atoi(from) {
            if index < 0 || index as usize >= lowered.stages.len() {
                return Err(self.error(DiagnosticKind::Dispatch, format!("invalid stage index {index}"), range));
            }
            return Ok(Some(index as usize));
        }
        Ok(stage_named(lowered, from))
    }

    /// `validateCircularDependency`.
    fn cycles(&mut self, lowered: &Lowered, deps: &[Vec<(usize, TextRange)>]) -> Flow<()> {
        let n = deps.len();
        let mut visited = vec![false; n];
        let mut on_path = vec![false; n];
        for root in 0..n {
            if visited[root] {
                continue;
            }
            // Iterative DFS: (stage, next dep index, range of the command that led here).
            let mut stack: Vec<(usize, usize, Option<TextRange>)> = vec![(root, 0, None)];
            visited[root] = true;
            on_path[root] = true;
            while let Some(&mut (s, ref mut next, _)) = stack.last_mut() {
                if let Some(&(d, range)) = deps[s].get(*next) {
                    *next += 1;
                    if on_path[d] {
                        let name = lowered.stages[root].name.clone().unwrap_or_else(|| format!("stage-{root}"));
                        let first = stack.iter().find_map(|(_, _, r)| *r).unwrap_or(range);
                        let msg = format!("circular dependency detected on stage: {name}");
                        return Err(self.error(DiagnosticKind::Dispatch, msg, first));
                    }
                    if !visited[d] {
                        visited[d] = true;
                        on_path[d] = true;
                        stack.push((d, 0, Some(range)));
                    }
                } else {
                    on_path[s] = false;
                    stack.pop();
                }
            }
        }
        Ok(())
    }

    /// `resolveBaseImage` (for every stage, needed or not, and every `COPY --from`
    /// image): an image must be a valid reference.
    fn check_base_names(&mut self, lowered: &Lowered, bases: &[(Option<usize>, String)], images: &[(&str, TextRange)]) -> Flow<()> {
        let stage_images = bases.iter().enumerate().filter(|(_, (s, name))| s.is_none() && name != "scratch");
        let stage_images = stage_images.map(|(i, (_, name))| (name.as_str(), lowered.stages[i].from.span.range()));
        for (name, range) in stage_images.chain(images.iter().copied()) {
            if let Err(e) = crate::reference::Reference::parse(name) {
                let msg = format!("failed to parse stage name {}: {e}", syntax::go_quote(name));
                return Err(self.error(DiagnosticKind::Dispatch, msg, range));
            }
        }
        Ok(())
    }

    // ---- dispatch --------------------------------------------------------------------

    /// The environment and working directory a stage built on image `name` starts
    /// with, if known.
    fn image_env(&self, name: &str) -> Option<(Vec<(String, String)>, String)> {
        if name == "scratch" {
            return Some((Vec::new(), String::new()));
        }
        match self.options.base_images {
            BaseImages::Standins => crate::bases::lookup(name).ok().map(|img| (img.config.env.clone(), img.config.working_dir.clone())),
            BaseImages::Unknown => None,
            BaseImages::Custom(f) => f(name).map(|env| (env, String::new())),
        }
    }

    fn dispatch_all(
        &mut self,
        lowered: &Lowered,
        global: &GlobalScope,
        bases: &[(Option<usize>, String)],
        needed: &[bool],
        triggered: &[bool],
    ) -> Flow<()> {
        let ignore = match self.options.dockerignore.map(IgnoreMatcher::new) {
            Some(Ok(m)) => m,
            Some(Err(e)) => return Err(self.error(DiagnosticKind::Dispatch, e.to_string(), TextRange::empty(0))),
            None => None,
        };
        // How many stages still build on each stage: the last one takes its state.
        let mut uses = vec![0usize; lowered.stages.len()];
        for (i, (b, _)) in bases.iter().enumerate() {
            if let (Some(j), true) = (b, needed[i]) {
                uses[*j] += 1;
            }
        }
        // Each stage's ONBUILD triggers, which run in the stages built on it.
        let triggers: Vec<Vec<&Instruction>> = lowered
            .stages
            .iter()
            .map(|s| {
                s.commands
                    .iter()
                    .filter_map(|c| match &c.command {
                        Command::Onbuild(o) => o.trigger.as_deref(),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        let mut finals: Vec<Option<StageState>> = vec![None; lowered.stages.len()];
        for (i, stage) in lowered.stages.iter().enumerate() {
            if !needed[i] {
                continue;
            }
            let (base_stage, base_name) = &bases[i];
            let mut st = match base_stage {
                Some(j) => {
                    uses[*j] = uses[*j].saturating_sub(1);
                    if uses[*j] == 0 {
                        finals[*j].take().unwrap_or_else(|| Self::image_state(None))
                    } else {
                        // Another stage still builds on it: copy, within the budget.
                        let parent = finals[*j].as_ref();
                        let cost = parent.map_or(0, |p| p.env.len() + p.config.list.len() + p.declared.len());
                        if cost > self.copy_budget {
                            self.copy_budget = 0;
                            let mut st = Self::image_state(None);
                            if let Some(p) = parent {
                                st.shell_set = p.shell_set;
                                st.workdir_set = p.workdir_set;
                            }
                            st
                        } else {
                            self.copy_budget -= cost;
                            parent.cloned().unwrap_or_else(|| Self::image_state(None))
                        }
                    }
                }
                None => {
                    let env = self.image_env(base_name);
                    Self::image_state(env)
                }
            };
            if base_stage.is_some() {
                // dispatchStages sets the image config's Env again over the state.
                for (k, v) in &st.config.list {
                    st.env.set(k, v);
                }
            }
            let mut trackers = Trackers::default();
            let mut list: Vec<Dispatch<'_>> = Vec::new();
            let from_lines = (stage.from.start_line, stage.from.end_line);
            if let (Some(j), true) = (base_stage, triggered[i]) {
                list.extend(triggers[*j].iter().map(|t| Dispatch { ins: t, lines: from_lines, at: Some(&stage.from) }));
            }
            list.extend(stage.commands.iter().map(|c| Dispatch { ins: c, lines: (c.start_line, c.end_line), at: None }));
            for d in &list {
                self.dispatch(lowered, i, &mut st, &mut trackers, d, global, ignore.as_ref())?;
            }
            finals[i] = Some(st);
        }
        Ok(())
    }

    fn image_state(image: Option<(Vec<(String, String)>, String)>) -> StageState {
        let (image_env, workdir) = match image {
            Some((env, wd)) => (Some(env), wd),
            None => (None, String::new()),
        };
        let mut env = EnvList::new();
        let known = image_env.is_some();
        let mut config = ConfigEnv::default();
        for (k, v) in image_env.unwrap_or_default().into_iter().take(limits::MAX_VARIABLES) {
            config.add(&k, &v);
        }
        if !config.index.contains_key("PATH") {
            config.add("PATH", crate::words::DEFAULT_PATH);
        }
        for (k, v) in &config.list {
            env.set(k, v);
        }
        let workdir = known.then(|| if workdir.is_empty() { "/".to_owned() } else { workdir });
        StageState { env, config, env_known: known, declared: HashSet::new(), shell_set: false, workdir_set: false, workdir }
    }

    /// `UndefinedVar` for the names a word used that are not set.
    fn report_unmatched(&mut self, cfg: &CheckConfig, st: &StageState, d: &Dispatch<'_>, word: &Word, raw: &str, unmatched: &BTreeSet<String>) {
        if unmatched.is_empty() || !st.env_known {
            return;
        }
        let mut keys: Option<Vec<&str>> = None;
        for name in unmatched {
            if st.declared.contains(name) || NON_ENV_ARGS.contains(&name.as_str()) {
                continue;
            }
            let keys = keys.get_or_insert_with(|| {
                if st.env.len() <= self.suggest_budget {
                    self.suggest_budget -= st.env.len();
                    st.env.keys()
                } else {
                    Vec::new()
                }
            });
            let suggestion = self.suggest(name, keys);
            let span = d.span(self.var_span(word, raw, name));
            let rule = rules::UNDEFINED_VAR;
            self.warn(cfg, &rule.info, (rule.format)(name, &suggestion), d.lines, span);
        }
    }

    /// The `$NAME` / `${NAME…}` in `word` (whose text is `raw`), else the whole word.
    fn var_span(&self, word: &Word, raw: &str, name: &str) -> Span {
        let plain = (word.span.end - word.span.start) as usize == raw.len();
        if !plain {
            return word.span;
        }
        let is_name = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
        let b = raw.as_bytes();
        let mut from = 0;
        while let Some(i) = raw[from..].find('$').map(|i| i + from) {
            let braced = b.get(i + 1) == Some(&b'{');
            let start = i + 1 + usize::from(braced);
            let end = start + name.len();
            if raw.get(start..end) == Some(name) && !b.get(end).copied().is_some_and(is_name) {
                let stop = if braced { raw[end..].find('}').map_or(end, |j| end + j + 1) } else { end };
                let r = TextRange::new(word.span.start + i as u32, word.span.start + stop as u32);
                return self.span(r);
            }
            from = i + 1;
        }
        word.span
    }

    /// Expands one word of an instruction against the stage, reporting `UndefinedVar`;
    /// `None` once the expansion budget is spent.
    fn stage_word(&mut self, cfg: &CheckConfig, st: &StageState, d: &Dispatch<'_>, word: &Word) -> Flow<Option<String>> {
        let lexer = self.lexer;
        self.stage_text(cfg, st, d, word, &word.text, &lexer)
    }

    fn stage_text(&mut self, cfg: &CheckConfig, st: &StageState, d: &Dispatch<'_>, word: &Word, text: &str, lexer: &Lexer) -> Flow<Option<String>> {
        let Some(m) = self.expand(lexer, text, &st.env) else { return Ok(None) };
        self.report_unmatched(cfg, st, d, word, text, &m.unmatched);
        match m.result {
            Ok(r) => Ok(Some(r)),
            Err(e) => Err(self.error(DiagnosticKind::Dispatch, e.to_string(), d.range())),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn dispatch(
        &mut self,
        lowered: &Lowered,
        stage_index: usize,
        st: &mut StageState,
        trackers: &mut Trackers,
        d: &Dispatch<'_>,
        global: &GlobalScope,
        ignore: Option<&IgnoreMatcher>,
    ) -> Flow<()> {
        let ins = d.ins;
        let cfg_owned;
        let cfg: &CheckConfig = if d.at.is_none() {
            cfg_owned = self.config.for_comments(&ins.comments);
            &cfg_owned
        } else {
            self.config
        };
        let name = ins.keyword.text.as_str();
        let lines = d.lines;
        match &ins.command {
            Command::Env(env) => {
                let mut set = Vec::with_capacity(env.pairs.len());
                for p in &env.pairs {
                    let k = self.stage_word(cfg, st, d, &p.key)?;
                    let v = self.stage_word(cfg, st, d, &p.value)?;
                    set.push((k, v));
                }
                for (p, (k, v)) in env.pairs.iter().zip(set) {
                    if p.legacy {
                        let rule = rules::LEGACY_KEY_VALUE_FORMAT;
                        self.warn(cfg, &rule.info, (rule.format)(name), lines, d.span(join(p.key.span, p.value.span)));
                    }
                    let key = k.clone().unwrap_or_else(|| p.key.text.clone());
                    self.secret(cfg, "ENV", &key, lines, d.span(p.key.span));
                    match (k, v) {
                        (Some(k), Some(v)) => {
                            st.env.set(&k, &v);
                            if st.config.list.len() < limits::MAX_VARIABLES {
                                st.config.add(&k, &v);
                            }
                        }
                        _ => st.env_known = false,
                    }
                }
            }
            Command::Label(label) => {
                for p in &label.pairs {
                    self.stage_word(cfg, st, d, &p.key)?;
                    self.stage_word(cfg, st, d, &p.value)?;
                }
                for p in &label.pairs {
                    if p.legacy {
                        let rule = rules::LEGACY_KEY_VALUE_FORMAT;
                        self.warn(cfg, &rule.info, (rule.format)(name), lines, d.span(join(p.key.span, p.value.span)));
                    }
                }
            }
            Command::Arg(arg) => {
                for def in &arg.args {
                    self.secret(cfg, "ARG", &def.key.text, lines, d.span(def.key.span));
                    let key = def.key.text.as_str();
                    let value = if let Some(v) = self.options.build_args.get(key) {
                        Some(v.clone())
                    } else if let Some(default) = &def.value {
                        match self.stage_word(cfg, st, d, default)? {
                            Some(v) => Some(v),
                            None => {
                                st.env_known = false;
                                None
                            }
                        }
                    } else {
                        global.get(key).map(str::to_owned)
                    };
                    if let Some(v) = value {
                        if !NON_ENV_ARGS.contains(&key) {
                            st.env.set(key, &v);
                        }
                    }
                    st.declared.insert(key.to_owned());
                }
            }
            Command::Workdir(w) => {
                let path = self.stage_word(cfg, st, d, &w.path)?;
                if let Some(path) = &path {
                    if !st.workdir_set && !path.starts_with('/') {
                        let rule = rules::WORKDIR_RELATIVE_PATH;
                        self.warn(cfg, &rule.info, (rule.format)(path), lines, d.span(w.path.span));
                    }
                }
                st.workdir = match (st.workdir.take(), path) {
                    (Some(cur), Some(p)) => Some(crate::vfs::path::normalize(&crate::vfs::path::join(&cur, &p))),
                    _ => None,
                };
                st.workdir_set = true;
            }
            Command::User(u) => {
                self.stage_word(cfg, st, d, &u.user)?;
            }
            Command::Volume(v) => {
                let mut paths = Vec::with_capacity(v.paths.len());
                for p in &v.paths {
                    paths.push(self.stage_word(cfg, st, d, p)?);
                }
                if paths.iter().any(|p| p.as_deref() == Some("")) {
                    return Err(self.error(DiagnosticKind::Dispatch, "VOLUME specified can not be an empty string", d.range()));
                }
            }
            Command::Stopsignal(s) => {
                if let Some(signal) = self.stage_word(cfg, st, d, &s.signal)? {
                    if !valid_signal(&signal) {
                        return Err(self.error(DiagnosticKind::Dispatch, format!("invalid signal: {signal}"), d.range()));
                    }
                }
            }
            Command::Run(run) => {
                // Expand: every mount spec, each value expanded, then parsed.
                let mut mounts = Vec::with_capacity(run.mounts.len());
                for m in &run.mounts {
                    let mut fields = Vec::new();
                    for field in csv_split(&m.spec.text) {
                        match field.split_once('=') {
                            Some((k, v)) => {
                                let word = Word { text: v.to_owned(), span: m.spec.span };
                                let v = self.stage_word(cfg, st, d, &word)?.unwrap_or_else(|| v.to_owned());
                                fields.push(format!("{k}={v}"));
                            }
                            None => fields.push(field),
                        }
                    }
                    let spec: Vec<Cow<'_, str>> = fields.iter().map(|f| csv_field(f)).collect();
                    let mount = instructions::parse_mount(&spec.join(",")).map_err(|e| self.error(DiagnosticKind::Dispatch, e, d.range()))?;
                    mounts.push(mount);
                }
                // dispatchRunMounts: a stage mounted must be built already; never on `/`.
                for m in &mounts {
                    let from = m.from.as_deref().or((m.mount_type() == instructions::MountType::Cache).then_some("scratch"));
                    let target = m.target.as_deref().unwrap_or("");
                    if let Some(from) = from {
                        if stage_named(lowered, from).is_some_and(|j| j >= stage_index) {
                            let msg = format!(
                                "cannot mount from stage {} to {}, stage needs to be defined before current command",
                                syntax::go_quote(from),
                                syntax::go_quote(target)
                            );
                            return Err(self.error(DiagnosticKind::Dispatch, msg, d.range()));
                        }
                    }
                    if matches!(m.mount_type(), instructions::MountType::Secret | instructions::MountType::Ssh) {
                        continue;
                    }
                    let at = if target.starts_with('/') {
                        Some(target.to_owned())
                    } else {
                        st.workdir.as_deref().map(|w| crate::vfs::path::normalize(&crate::vfs::path::join(w, target)))
                    };
                    if at.as_deref() == Some("/") {
                        return Err(self.error(DiagnosticKind::Dispatch, "invalid mount target \"/\"", d.range()));
                    }
                }
            }
            Command::Expose(e) => {
                let lexer = self.lexer;
                for w in &e.ports {
                    if self.expand_budget == 0 {
                        break;
                    }
                    let ports = lexer.process_words(&w.text, &st.env).map_err(|err| self.error(DiagnosticKind::Dispatch, err.to_string(), d.range()))?;
                    self.expand_budget = self.expand_budget.saturating_sub(ports.iter().map(String::len).sum::<usize>().max(w.text.len()));
                    for port in &ports {
                        let check = check_port(port).map_err(|m| self.error(DiagnosticKind::Dispatch, m, d.range()))?;
                        if check.proto_casing {
                            let rule = rules::EXPOSE_PROTO_CASING;
                            self.warn(cfg, &rule.info, (rule.format)(port), lines, d.span(w.span));
                        }
                        if check.invalid_format {
                            let rule = rules::EXPOSE_INVALID_FORMAT;
                            self.warn(cfg, &rule.info, (rule.format)(port), lines, d.span(w.span));
                        }
                        if let Some(m) = check.error {
                            return Err(self.error(DiagnosticKind::Dispatch, m, d.range()));
                        }
                    }
                }
            }
            Command::Cmd(c) => {
                self.used_once(cfg, &mut trackers.cmd, d, name);
                if c.command.form == instructions::Form::Shell && !st.shell_set {
                    let rule = rules::JSON_ARGS_RECOMMENDED;
                    self.warn(cfg, &rule.info, (rule.format)(name), lines, d.span(command_span(ins, &c.command)));
                }
            }
            Command::Entrypoint(c) => {
                self.used_once(cfg, &mut trackers.entrypoint, d, name);
                if c.command.form == instructions::Form::Shell && !st.shell_set {
                    let rule = rules::JSON_ARGS_RECOMMENDED;
                    self.warn(cfg, &rule.info, (rule.format)(name), lines, d.span(command_span(ins, &c.command)));
                }
            }
            Command::Healthcheck(_) => self.used_once(cfg, &mut trackers.healthcheck, d, name),
            Command::Shell(s) => st.shell_set = !s.shell.is_empty(),
            Command::Copy(c) => {
                let flags = [&c.chown, &c.chmod].into_iter().flatten();
                let sources = self.copy_like(cfg, st, d, flags, &c.sources, &c.dest, &c.heredocs)?;
                if let Some(from) = &c.from {
                    if let Some(j) = self.source_stage(lowered, &from.text, ins)? {
                        if j >= stage_index {
                            let cur = lowered.stages[stage_index].name.clone().unwrap_or_else(|| format!("stage-{stage_index}"));
                            let msg = format!(
                                "cannot copy from stage {}, it needs to be defined before current stage {}",
                                syntax::go_quote(&from.text),
                                syntax::go_quote(&cur)
                            );
                            return Err(self.error(DiagnosticKind::Dispatch, msg, d.range()));
                        }
                    }
                }
                let ignore = if c.from.is_none() { ignore } else { None };
                self.copy_flags(d, c.chmod.as_ref(), None, false, &sources)?;
                self.sources(cfg, d, ignore, false, &c.sources, &sources, None)?;
            }
            Command::Add(a) => {
                let flags = [&a.chown, &a.chmod, &a.checksum].into_iter().flatten();
                let sources = self.copy_like(cfg, st, d, flags, &a.sources, &a.dest, &a.heredocs)?;
                self.copy_flags(d, a.chmod.as_ref(), a.checksum.as_ref(), true, &sources)?;
                self.sources(cfg, d, ignore, true, &a.sources, &sources, a.checksum.as_ref())?;
            }
            _ => {}
        }
        Ok(())
    }

    /// The words COPY and ADD expand: flags, sources, destination, heredoc bodies.
    #[allow(clippy::too_many_arguments)]
    fn copy_like<'w>(
        &mut self,
        cfg: &CheckConfig,
        st: &StageState,
        d: &Dispatch<'_>,
        flags: impl Iterator<Item = &'w Word>,
        sources: &[Word],
        dest: &Word,
        heredocs: &[instructions::SourceContent],
    ) -> Flow<Vec<Option<String>>> {
        for w in flags {
            self.stage_word(cfg, st, d, w)?;
        }
        let mut expanded = Vec::with_capacity(sources.len());
        for w in sources {
            expanded.push(self.stage_word(cfg, st, d, w)?);
        }
        self.stage_word(cfg, st, d, dest)?;
        let heredoc_lexer = Lexer::for_heredoc();
        for h in heredocs.iter().filter(|h| h.expand) {
            self.stage_text(cfg, st, d, &h.word, &h.data, &heredoc_lexer)?;
        }
        Ok(expanded)
    }

    /// Each source in turn: COPY refuses URLs and Git repositories; a local path the
    /// `.dockerignore` excludes is `CopyIgnoredFile`.
    #[allow(clippy::too_many_arguments)]
    fn sources(
        &mut self,
        cfg: &CheckConfig,
        d: &Dispatch<'_>,
        ignore: Option<&IgnoreMatcher>,
        add: bool,
        words: &[Word],
        expanded: &[Option<String>],
        checksum: Option<&Word>,
    ) -> Flow<()> {
        for (w, src) in words.iter().zip(expanded) {
            let Some(src) = src else { continue };
            if is_git(src) {
                if !add {
                    return Err(self.error(DiagnosticKind::Dispatch, "source can't be a git ref for COPY", d.range()));
                }
            } else if is_url(src) {
                if !add {
                    return Err(self.error(DiagnosticKind::Dispatch, "source can't be a URL for COPY", d.range()));
                }
                if let Some(e) = checksum.filter(|c| !c.text.is_empty()).and_then(|c| digest_error(&c.text)) {
                    return Err(self.error(DiagnosticKind::Dispatch, e, d.range()));
                }
            } else if let Some(path) = ignore.and_then(|i| i.excluded(src)) {
                let rule = rules::COPY_IGNORED_FILE;
                let what = if add { "Add" } else { "Copy" };
                self.warn(cfg, &rule.info, (rule.format)(what, &path), d.lines, d.span(w.span));
            }
        }
        Ok(())
    }

    /// `dispatchCopy`'s checks of `--chmod` and `--checksum` (values as written; BuildKit
    /// checks them expanded, which only differs when they hold variables).
    fn copy_flags(&mut self, d: &Dispatch<'_>, chmod: Option<&Word>, checksum: Option<&Word>, add: bool, sources: &[Option<String>]) -> Flow<()> {
        if let Some(chmod) = chmod.filter(|c| !c.text.is_empty() && !c.text.contains('$')) {
            let t = chmod.text.as_str();
            let numeric = t.bytes().all(|b| b.is_ascii_digit());
            if numeric && !u32::from_str_radix(t, 8).is_ok_and(|v| v <= 0o7777) {
                let msg = format!("invalid chmod parameter: '{t}'. it should be octal string and between 0 and 07777");
                return Err(self.error(DiagnosticKind::Dispatch, msg, d.range()));
            }
        }
        if checksum.is_some_and(|c| !c.text.is_empty()) {
            let msg = if !add {
                Some("checksum can't be specified for COPY")
            } else if sources.len() != 1 {
                Some("checksum can't be specified for multiple sources")
            } else if !sources[0].as_deref().is_some_and(|s| is_url(s) || is_git(s)) {
                Some("checksum requires HTTP(S) or Git sources")
            } else {
                None
            };
            if let Some(m) = msg {
                return Err(self.error(DiagnosticKind::Dispatch, m, d.range()));
            }
        }
        Ok(())
    }

    /// `validateUsedOnce`: a second CMD/ENTRYPOINT/HEALTHCHECK flags the first.
    fn used_once(&mut self, cfg: &CheckConfig, tracker: &mut Option<((u32, u32), Span)>, d: &Dispatch<'_>, name: &str) {
        if let Some((lines, span)) = *tracker {
            let rule = rules::MULTIPLE_INSTRUCTIONS_DISALLOWED;
            self.warn(cfg, &rule.info, (rule.format)(name), lines, span);
        }
        *tracker = Some((d.lines, d.span(d.ins.keyword.span)));
    }

    /// `SecretsUsedInArgOrEnv`.
    fn secret(&mut self, cfg: &CheckConfig, instruction: &str, key: &str, lines: (u32, u32), span: Span) {
        if looks_secret(key) {
            let rule = rules::SECRETS_USED_IN_ARG_OR_ENV;
            self.warn(cfg, &rule.info, (rule.format)(instruction, key), lines, span);
        }
    }
}

/// The command words of a CMD/ENTRYPOINT, or its keyword when it has none.
fn command_span(ins: &Instruction, c: &instructions::CommandLine) -> Span {
    match (c.args.first(), c.args.last()) {
        (Some(a), Some(b)) => Span { end: b.span.end, end_line: b.span.end_line, end_col: b.span.end_col, ..a.span },
        _ => ins.keyword.span,
    }
}

/// An image config's `Env`, in order.
#[derive(Clone, Debug, Default)]
struct ConfigEnv {
    list: Vec<(String, String)>,
    index: std::collections::HashMap<String, usize>,
}

impl ConfigEnv {
    /// BuildKit's `addEnv`: replace in place, else append.
    fn add(&mut self, k: &str, v: &str) {
        match self.index.get(k) {
            Some(&i) => {
                if let Some(e) = self.list.get_mut(i) {
                    e.1 = v.to_owned();
                }
            }
            None => {
                self.index.insert(k.to_owned(), self.list.len());
                self.list.push((k.to_owned(), v.to_owned()));
            }
        }
    }
}

/// BuildKit's `findStateByName`: the last stage of that name (case-insensitive).
fn stage_named(lowered: &Lowered, name: &str) -> Option<usize> {
    let lower = go_lower(name);
    lowered.stages.iter().rposition(|s| s.name.as_deref() == Some(lower.as_str()))
}

/// The fields of a `--mount` spec (CSV, a field may be quoted).
fn csv_split(spec: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = spec.chars().peekable();
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        field.push('"');
                    } else {
                        break;
                    }
                } else {
                    field.push(c);
                }
            }
            while chars.peek().is_some_and(|&c| c != ',') {
                chars.next();
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' {
                    break;
                }
                field.push(c);
                chars.next();
            }
        }
        out.push(field);
        if chars.next().is_none() {
            return out;
        }
    }
}

/// One CSV field, quoted when it needs to be.
fn csv_field(f: &str) -> Cow<'_, str> {
    if f.contains([',', '"', '\n', '\r']) || f.starts_with(' ') {
        Cow::Owned(format!("\"{}\"", f.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(f)
    }
}

/// The span from `a`'s start to `b`'s end.
fn join(a: Span, b: Span) -> Span {
    if b.end < a.end {
        return a;
    }
    Span { end: b.end, end_line: b.end_line, end_col: b.end_col, ..a }
}

/// Stages the target needs (all of them without `--target`, as BuildKit's lint).
fn reachable(lowered: &Lowered, bases: &[(Option<usize>, String)], deps: &[Vec<(usize, TextRange)>], target: usize) -> Vec<bool> {
    let n = lowered.stages.len();
    if lowered.stages.is_empty() {
        return Vec::new();
    }
    let mut needed = vec![false; n];
    let mut stack = vec![target.min(n - 1)];
    while let Some(s) = stack.pop() {
        if std::mem::replace(&mut needed[s], true) {
            continue;
        }
        if let Some(b) = bases[s].0 {
            stack.push(b);
        }
        stack.extend(deps[s].iter().map(|(d, _)| *d));
    }
    needed
}

/// moby's `signal.ParseSignal` on Linux: a non-zero number, or a name with or without
/// `SIG` in any case.
fn valid_signal(s: &str) -> bool {
    if let Some(n) = go_atoi(s) {
        return n != 0;
    }
    if s.strip_prefix(['+', '-']).unwrap_or(s).bytes().all(|b| b.is_ascii_digit()) && !s.is_empty() {
        return false;
    }
    let upper = go_upper(s);
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    const NAMES: [&str; 34] = [
        "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL", "PIPE", "POLL", "PROF", "PWR",
        "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP", "TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH",
        "XCPU", "XFSZ",
    ];
    if NAMES.contains(&name) || name == "RTMIN" || name == "RTMAX" {
        return true;
    }
    let offset = |rest: Option<&str>, max: u32| rest.and_then(|n| n.parse::<u32>().ok().filter(|v| (1..=max).contains(v) && !n.starts_with('0') && !n.starts_with('+')));
    offset(name.strip_prefix("RTMIN+"), 15).is_some() || offset(name.strip_prefix("RTMAX-"), 14).is_some()
}

/// go-digest's `Parse` error for an ADD `--checksum`, BuildKit's wording.
fn digest_error(s: &str) -> Option<String> {
    let format = || Some("invalid checksum digest format".to_owned());
    let Some(i) = s.find(':').filter(|&i| i > 0 && i + 1 < s.len()) else { return format() };
    let (algorithm, encoded) = (&s[..i], &s[i + 1..]);
    let len = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => {
            let alg_ok = algorithm.split(['.', '+', '_', '-']).all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
            let enc_ok = encoded.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'=' | b'_' | b'-'));
            return if alg_ok && enc_ok { Some("unsupported digest algorithm".into()) } else { format() };
        }
    };
    if encoded.len() != len {
        return Some("invalid checksum digest length".into());
    }
    if !encoded.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return format();
    }
    None
}

/// Go's `strconv.Atoi` success.
fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

/// Sources BuildKit reads as Git repositories rather than context paths.
fn is_git(s: &str) -> bool {
    s.starts_with("git@") || s.starts_with("git://") || s.starts_with("ssh://") || (is_url(s) && s.ends_with(".git"))
}

/// BuildKit's secrets patterns: a word of the name (split at `_`) is one of the secret
/// tokens, none is one of the allowed tokens, compared case-insensitively (Unicode
/// simple folding, as Go's `(?i)`).
fn looks_secret(key: &str) -> bool {
    const DENY: [&str; 10] = ["apikey", "auth", "credential", "credentials", "key", "password", "pword", "passwd", "secret", "token"];
    const ALLOW: [&str; 3] = ["public", "file", "version"];
    let fold = |w: &str| -> String {
        w.chars()
            .map(|c| match c {
                '\u{17F}' => 's',
                '\u{212A}' => 'k',
                c => c.to_ascii_lowercase(),
            })
            .collect()
    };
    let words: Vec<String> = key.split('_').map(fold).collect();
    words.iter().any(|w| DENY.contains(&w.as_str())) && !words.iter().any(|w| ALLOW.contains(&w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets() {
        for k in ["API_KEY", "password", "GITHUB_TOKEN", "secret_MESSAGE", "AUTH", "db_passwd", "apikey"] {
            assert!(looks_secret(k), "{k}");
        }
        for k in ["KEYS", "PUBLIC_KEY", "key_file", "TOKEN_VERSION", "MONKEY", "passwords", "SECRETARY"] {
            assert!(!looks_secret(k), "{k}");
        }
    }
}
