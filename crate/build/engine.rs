//! The build driver: parse, plan, resolve bases, then run the stages' steps in
//! waves (every stage that can advances one step per round, so independent stages
//! interleave in the log as BuildKit's parallel solver makes them), deduplicate
//! identical vertices, use and fill the cache, and export the image.

use super::cache::{CachedStep, StepCache};
use super::context::{human_size, BuildContext};
use super::copy::{self, CopyRequest};
use super::dispatch::{self, CopyFrom, Prepared, StageState, StepError, Work};
use super::progress::{Event, Stream, Summary};
use super::{excerpt, users, BaseSource, BuildFailure, BuildOptions, Built, BuiltImage, Host, ImageLayer, StageReport, PLAYGROUND_EPOCH};
use crate::image::config::{History, ImageConfig};
use crate::image::time::format_rfc3339;
use crate::instructions::{self as ins, Command, Instruction};
use crate::layer::{Layer, WriteOptions};
use crate::plan::{self, Base, PlanStage, PlanStep, Source};
use crate::reference::Reference;
use crate::vfs::{path, Node, Vfs};
use crate::words::{self, GlobalScope, Lexer, StageScope};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// The builder, with what it keeps between builds.
#[derive(Debug, Default)]
pub struct Engine {
    cache: StepCache,
    /// Base references already resolved once (their FROM shows CACHED afterwards).
    pulled: HashSet<String>,
    /// Contents of `RUN --mount=type=cache` directories, by id.
    cache_mounts: HashMap<String, Node>,
    /// Set when a RUN reached a simulated program this engine was built without
    /// (see [`crate::executor`]); the build stopped there and must be repeated by the
    /// engine with the simulations.
    pub deferred: Option<String>,
}

/// A resolved base image.
#[derive(Clone)]
struct ResolvedImage {
    reference: Reference,
    key: String,
    config: ImageConfig,
    fs: Vfs,
    layers: Vec<ImageLayer>,
    source: BaseSource,
    size: u64,
}

/// Why the build stops.
struct Fail {
    message: String,
    lines: Option<(usize, usize)>,
    vertex: Option<u32>,
    partial: Option<(usize, StageState)>,
}

impl Fail {
    fn at(message: impl Into<String>, lines: Option<(usize, usize)>) -> Self {
        Fail { message: message.into(), lines, vertex: None, partial: None }
    }
}

fn lines_of(i: &Instruction) -> (usize, usize) {
    (i.start_line as usize, i.end_line as usize)
}

impl Engine {
    pub fn new() -> Self {
        Engine::default()
    }

    /// The step cache (for the CLI to persist, for `builder prune`).
    pub fn cache(&self) -> &StepCache {
        &self.cache
    }

    pub fn cache_mut(&mut self) -> &mut StepCache {
        &mut self.cache
    }

    /// The layer of a stand-in base (computed once per process: stand-ins are
    /// deterministic).
    fn standin_layer(&mut self, base: &crate::bases::BaseImage) -> Result<Arc<Layer>, String> {
        static LAYERS: std::sync::OnceLock<std::sync::Mutex<HashMap<String, Arc<Layer>>>> = std::sync::OnceLock::new();
        let memo = LAYERS.get_or_init(Default::default);
        if let Some(l) = memo.lock().ok().and_then(|m| m.get(&base.id).cloned()) {
            return Ok(l);
        }
        let l = Arc::new(Layer::from_diff(&Vfs::new(), &base.rootfs, WriteOptions::default()).map_err(|e| e.to_string())?);
        if let Ok(mut m) = memo.lock() {
            m.insert(base.id.clone(), l.clone());
        }
        Ok(l)
    }

    /// Builds the context's Dockerfile.
    pub fn build(&mut self, ctx: &BuildContext, opts: &BuildOptions, host: &mut dyn Host) -> Result<Built, Box<BuildFailure>> {
        let mut b = Builder {
            engine: self,
            host,
            opts,
            ctx,
            summary: Summary::default(),
            next_v: 1,
            total: 0,
            t_start: 0.0,
            text: String::from_utf8_lossy(&ctx.dockerfile).into_owned(),
            epoch: opts.source_date_epoch.unwrap_or_else(|| ctx.newest_mtime().max(PLAYGROUND_EPOCH)),
            stage_reports: Vec::new(),
        };
        b.t_start = b.host.now();
        match b.run() {
            Ok(built) => Ok(built),
            Err(f) => Err(Box::new(b.failure(f))),
        }
    }
}

struct Builder<'a> {
    engine: &'a mut Engine,
    host: &'a mut dyn Host,
    opts: &'a BuildOptions,
    ctx: &'a BuildContext,
    summary: Summary,
    next_v: u32,
    total: usize,
    t_start: f64,
    text: String,
    epoch: i64,
    stage_reports: Vec<StageReport>,
}

/// Per-stage progress through its instructions.
struct StageRun {
    /// Instructions to run (ONBUILD triggers of the base first).
    instructions: Vec<Instruction>,
    /// Index of the next instruction.
    next: usize,
    /// Index into the plan's per-step `sources` for each instruction (None for triggers).
    plan_step: Vec<Option<usize>>,
    state: Option<StageState>,
    done: bool,
}

impl Builder<'_> {
    fn emit(&mut self, e: Event) {
        self.summary.apply(&e);
        self.host.event(&e);
    }

    fn start(&mut self, name: String, lines: Option<(usize, usize)>, stage: Option<usize>) -> (u32, f64) {
        let v = self.next_v;
        self.next_v += 1;
        self.emit(Event::Start { v, name, lines, stage });
        (v, self.host.now())
    }

    fn done(&mut self, v: u32, t0: f64) {
        let secs = (self.host.now() - t0).max(0.0);
        self.emit(Event::Done { v, secs });
    }

    fn status(&mut self, v: u32, text: String, t0: f64) {
        let secs = (self.host.now() - t0).max(0.0);
        self.emit(Event::Status { v, text, secs });
    }

    fn failure(&mut self, f: Fail) -> BuildFailure {
        let elapsed = self.host.now() - self.t_start;
        let excerpt = f.lines.map(|(s, e)| excerpt::render(path::basename(&self.ctx.dockerfile_name), &self.text, s, e)).filter(|x| !x.is_empty());
        let failed = f.vertex.and_then(|v| self.summary.vertices.iter().find(|x| x.v == v).cloned());
        let partial = f.partial.map(|(_, st)| self.image_of(&st));
        BuildFailure {
            message: format!("failed to solve: {}", f.message),
            excerpt,
            lines: f.lines,
            failed,
            partial,
            stages: self.stage_reports.clone(),
            summary: self.summary.clone(),
            total: self.total.max(self.summary.vertices.len()),
            elapsed,
        }
    }

    fn created(&self) -> String {
        format_rfc3339(self.epoch, 0)
    }

    fn run(&mut self) -> Result<Built, Fail> {
        // #1: the Dockerfile
        let (v1, t1) = self.start("[internal] load build definition from Dockerfile".into(), None, None);
        self.status(v1, format!("transferring dockerfile: {} done", human_size(self.ctx.dockerfile.len() as u64)), t1);
        self.done(v1, t1);
        let parsed = crate::syntax::parse(&self.ctx.dockerfile);
        if let Some(d) = parsed.diagnostics.iter().find(|d| d.is_error()) {
            return Err(Fail::at(d.buildkit_message(), Some((d.line as usize, d.end_line.max(d.line) as usize))));
        }
        let lowered = ins::lower(&parsed.tree);
        if let Some(d) = lowered.diagnostics.iter().find(|d| d.is_error()) {
            return Err(Fail::at(d.buildkit_message(), Some((d.line as usize, d.end_line.max(d.line) as usize))));
        }
        let escape = lowered.escape;
        let lexer = Lexer::new(escape);

        // global scope: automatic args and the ARGs before the first FROM
        let global = global_scope(&lowered, &lexer, self.opts).map_err(|(m, l)| Fail::at(m, l))?;

        // the stage graph
        let pstages = plan_stages(&lowered, &global, &lexer).map_err(|(m, l)| Fail::at(m, l))?;
        let plan = plan::plan(&pstages, self.opts.target.as_deref()).map_err(|e| Fail::at(e.to_string(), e.lines()))?;
        self.stage_reports = plan
            .stages
            .iter()
            .map(|s| StageReport {
                index: s.index,
                name: s.display_name.clone(),
                base: pstages[s.index].base.clone(),
                deps: s.deps.clone(),
                needed: s.needed,
                target: s.index == plan.target,
            })
            .collect();

        // images to resolve: bases of needed stages, then COPY --from images
        let mut image_refs: Vec<(String, (usize, usize))> = Vec::new();
        for &i in &plan.order {
            if let Base::Image(r) = &plan.stages[i].base {
                if !image_refs.iter().any(|(x, _)| x == r) {
                    image_refs.push((r.clone(), pstages[i].lines));
                }
            }
        }
        for &i in &plan.order {
            for (k, srcs) in plan.stages[i].sources.iter().enumerate() {
                for s in srcs {
                    if let Source::Image(r) = s {
                        if !image_refs.iter().any(|(x, _)| x == r) {
                            image_refs.push((r.clone(), pstages[i].steps[k].lines));
                        }
                    }
                }
            }
        }
        let ctx_needed = plan.order.iter().any(|&i| {
            lowered.stages[i].commands.iter().any(|c| match &c.command {
                Command::Copy(cp) => cp.from.is_none() && !cp.sources.is_empty(),
                Command::Add(a) => !a.sources.is_empty(),
                Command::Run(r) => r.mounts.iter().any(|m| m.mount.as_ref().is_some_and(|mm| mm.mount_type() == ins::MountType::Bind && mm.from.is_none())),
                _ => false,
            })
        });
        let from_vertices: Vec<usize> = {
            let mut seen = HashSet::new();
            plan.order.iter().copied().filter(|&i| matches!(&plan.stages[i].base, Base::Image(r) if seen.insert(r.clone()))).collect()
        };
        let n_steps: usize = plan.order.iter().map(|&i| pstages[i].steps.iter().filter(|s| s.is_vertex).count()).sum();
        self.total = 1 + image_refs.len() + 1 + from_vertices.len() + usize::from(ctx_needed) + n_steps + 1;

        let mut resolved: HashMap<String, ResolvedImage> = HashMap::new();
        for (r, lines) in &image_refs {
            let full = Reference::parse(r).map(|x| x.full()).unwrap_or_else(|_| r.clone());
            let (v, t0) = self.start(format!("[internal] load metadata for {full}"), None, None);
            match self.resolve_image(r) {
                Ok(img) => {
                    self.done(v, t0);
                    resolved.insert(r.clone(), img);
                }
                Err(e) => {
                    let secs = self.host.now() - t0;
                    self.emit(Event::Error { v, secs, message: e.clone() });
                    return Err(Fail::at(format!("{r}: {e}"), Some(*lines)));
                }
            }
        }

        // .dockerignore
        let (vi, ti) = self.start("[internal] load .dockerignore".into(), None, None);
        let ignore_size = self.ctx.ignore_file().map(|(_, d)| d.len() as u64).unwrap_or(2);
        self.status(vi, format!("transferring context: {} done", human_size(ignore_size)), ti);
        let ignore = match self.ctx.ignore() {
            Ok(i) => i,
            Err(e) => {
                let secs = self.host.now() - ti;
                self.emit(Event::Error { v: vi, secs, message: e.to_string() });
                return Err(Fail::at(e.to_string(), None));
            }
        };
        self.done(vi, ti);

        // FROM vertices
        for &i in &from_vertices {
            let Base::Image(r) = &plan.stages[i].base else { continue };
            let img = &resolved[r];
            let shown = img.reference.as_written_full();
            let (v, t0) = self.start(format!("{} FROM {shown}", plan.label(i, 1)), Some(pstages[i].lines), Some(i));
            let key = img.reference.full();
            let seen = self.host.seen_base(&key);
            if self.engine.pulled.contains(&key) || seen {
                self.emit(Event::Cached { v });
            } else {
                let note = match &img.source {
                    BaseSource::Standin { stands_for, .. } => format!("resolve {} (dfplay stand-in image: {stands_for}) done", img.reference.full()),
                    BaseSource::Local { id, .. } => format!("resolve {} ({}) done", img.reference.full(), &id[..id.len().min(19)]),
                    BaseSource::Scratch => String::new(),
                };
                self.status(v, note, t0);
                self.done(v, t0);
                self.engine.pulled.insert(key);
            }
        }

        // the build context
        let context_fs = if ctx_needed {
            let (v, t0) = self.start("[internal] load build context".into(), None, None);
            let fs = self.ctx.filtered(&ignore);
            self.status(v, format!("transferring context: {} done", human_size(BuildContext::transfer_size(&fs))), t0);
            self.done(v, t0);
            Some(fs)
        } else {
            None
        };

        // the stages, in waves
        let mut runs: Vec<StageRun> = lowered
            .stages
            .iter()
            .map(|s| StageRun { instructions: s.commands.clone(), next: 0, plan_step: (0..s.commands.len()).map(Some).collect(), state: None, done: false })
            .collect();
        let mut executed: HashMap<String, (Vfs, Arc<Layer>)> = HashMap::new();
        loop {
            if self.host.cancelled() {
                return Err(Fail::at("Canceled: context canceled", None));
            }
            let mut progressed = false;
            let mut all_done = true;
            for &i in &plan.order {
                if runs[i].done {
                    continue;
                }
                all_done = false;
                // start the stage when its base is ready
                if runs[i].state.is_none() {
                    let st = match &plan.stages[i].base {
                        Base::Stage(j) => match &runs[*j].state {
                            Some(parent) if runs[*j].done => {
                                let mut st = parent.clone();
                                st.cmd_set = false;
                                st.step_no = 0;
                                st.scope = StageScope::from_stage(&parent.scope);
                                st
                            }
                            _ => continue,
                        },
                        Base::Scratch => self.scratch_state(&global),
                        Base::Image(r) => {
                            let img = resolved[r].clone();
                            self.image_state(&global, img, usize::from(true))
                        }
                    };
                    // ONBUILD triggers of the base run first
                    let triggers = st.config.config.on_build.clone();
                    let mut st = st;
                    if !triggers.is_empty() {
                        st.config.config.on_build.clear();
                        let mut trig = Vec::new();
                        for t in &triggers {
                            match parse_trigger(t) {
                                Ok(ins) => trig.push(ins),
                                Err(e) => return Err(Fail::at(e, Some(pstages[i].lines))),
                            }
                        }
                        let n = trig.len();
                        let mut all = trig;
                        all.append(&mut runs[i].instructions);
                        runs[i].instructions = all;
                        let mut ps: Vec<Option<usize>> = vec![None; n];
                        ps.append(&mut runs[i].plan_step);
                        runs[i].plan_step = ps;
                    }
                    runs[i].state = Some(st);
                    progressed = true;
                }
                // run instructions up to and including the next vertex step
                loop {
                    let idx = runs[i].next;
                    if idx >= runs[i].instructions.len() {
                        runs[i].done = true;
                        progressed = true;
                        break;
                    }
                    let ins = runs[i].instructions[idx].clone();
                    // wait for stages this step reads
                    let srcs: Vec<Source> = runs[i].plan_step[idx].map(|k| plan.stages[i].sources[k].clone()).unwrap_or_default();
                    if srcs.iter().any(|s| matches!(s, Source::Stage(j) if !runs[*j].done)) {
                        break;
                    }
                    let mut st = runs[i].state.take().expect("started");
                    let is_meta = match dispatch::apply_meta(&mut st, &ins, &lexer) {
                        Ok(m) => m,
                        Err(e) => return Err(Fail { message: e.message, lines: Some(lines_of(&ins)), vertex: None, partial: Some((i, st)) }),
                    };
                    runs[i].next += 1;
                    progressed = true;
                    if is_meta {
                        runs[i].state = Some(st);
                        continue;
                    }
                    let before = st.clone();
                    match self.step(i, &plan, &mut st, &ins, &lexer, escape, &srcs, &runs, &resolved, context_fs.as_ref(), &mut executed) {
                        Ok(()) => runs[i].state = Some(st),
                        Err(mut f) => {
                            f.partial = Some((i, before));
                            return Err(f);
                        }
                    }
                    break;
                }
            }
            if all_done {
                break;
            }
            if !progressed {
                return Err(Fail::at("internal error: the build could not make progress (a stage waits on itself)", None));
            }
        }

        // export
        let target = plan.target;
        let st = runs[target].state.clone().expect("target built");
        let image = self.image_of(&st);
        let (v, t0) = self.start("exporting to image".into(), None, None);
        self.status(v, "exporting layers done".into(), t0);
        self.status(v, format!("writing image {} done", image.id), t0);
        for t in &self.opts.tags {
            let name = Reference::parse(t).map(|r| r.full()).unwrap_or_else(|_| t.clone());
            let name = name.strip_suffix(":latest").map(str::to_string).filter(|_| !t.ends_with(":latest")).unwrap_or(name);
            self.status(v, format!("naming to {name} done"), t0);
        }
        self.done(v, t0);
        let mut warnings = Vec::new();
        let declared: Vec<String> = global.declared_args().iter().map(|(k, _)| k.clone()).collect();
        let mut consumed: HashSet<String> = declared.into_iter().collect();
        for r in runs.iter().filter_map(|r| r.state.as_ref()) {
            consumed.extend(r.scope.declared_args().iter().map(|(k, _)| k.clone()));
        }
        let unconsumed: Vec<String> = self.opts.build_args.iter().map(|(k, _)| k.clone()).filter(|k| !consumed.contains(k) && !words::AUTOMATIC_ARGS.contains(&k.as_str()) && !words::PROXY_ARGS.iter().any(|p| p.eq_ignore_ascii_case(k))).collect();
        if let Some(w) = words::unconsumed_warning(&unconsumed) {
            warnings.push(w);
        }
        Ok(Built {
            image,
            stages: self.stage_reports.clone(),
            summary: self.summary.clone(),
            total: self.total.max(self.summary.vertices.len()),
            elapsed: self.host.now() - self.t_start,
            warnings,
        })
    }

    fn resolve_image(&mut self, r: &str) -> Result<ResolvedImage, String> {
        let reference = Reference::parse(r).map_err(|e| e.to_string())?;
        if let Some(img) = self.host.local_image(r) {
            let layers = img.config.history.iter().filter(|h| !h.empty_layer).zip(img.layers.iter()).map(|(h, l)| ImageLayer { layer: l.clone(), created_by: h.created_by.clone() }).collect();
            return Ok(ResolvedImage {
                key: format!("image:{}", img.id),
                reference: reference.clone(),
                config: img.config.clone(),
                fs: img.rootfs.clone(),
                layers,
                source: BaseSource::Local { reference: reference.familiar(), id: img.id.clone() },
                size: img.size,
            });
        }
        let base = crate::bases::lookup(r).map_err(|e| e.to_string())?;
        let layer = self.engine.standin_layer(&base)?;
        let mut config = dispatch::image_config_for_base(&base.config);
        let stamp = format_rfc3339(crate::bases::rootfs::STANDIN_MTIME, 0);
        let created_by = format!("ADD dfplay-standin:{} / # {}", reference.familiar(), base.stands_for);
        config.push_layer(layer.diff_id().clone(), History { created: Some(stamp.clone()), created_by: created_by.clone(), comment: "dfplay stand-in base image".into(), ..Default::default() });
        if !config.config.cmd.is_empty() {
            config.push_empty(History { created: Some(stamp), created_by: format!("CMD {}", crate::image::history::go_quoted_list(&config.config.cmd)), comment: "dfplay stand-in base image".into(), ..Default::default() });
        }
        Ok(ResolvedImage {
            key: format!("base:{}", base.id),
            reference,
            config,
            fs: base.rootfs.clone(),
            layers: vec![ImageLayer { layer, created_by }],
            source: BaseSource::Standin { reference: base.reference.familiar(), stands_for: base.stands_for.clone(), real_size: base.real_size },
            size: base.real_size,
        })
    }

    fn scratch_state(&self, global: &GlobalScope) -> StageState {
        let config = ImageConfig::scratch("amd64");
        let scope = StageScope::from_image(global, &[] as &[&str]);
        StageState {
            fs: Vfs::new(),
            config,
            scope,
            key: "scratch".into(),
            layers: Vec::new(),
            unhashed: 0,
            base: BaseSource::Scratch,
            base_size: 0,
            cmd_set: false,
            step_no: 0,
            created: self.created(),
        }
    }

    fn image_state(&self, global: &GlobalScope, img: ResolvedImage, from_step: usize) -> StageState {
        let scope = StageScope::from_image(global, &img.config.config.env);
        let mut config = img.config.clone();
        config.config.env = scope.config_env();
        let mut fs = img.fs;
        fs.set_limits(crate::vfs::Limits::default());
        StageState {
            fs,
            config,
            scope,
            key: img.key,
            layers: img.layers,
            unhashed: 0,
            base: img.source,
            base_size: img.size,
            cmd_set: false,
            step_no: from_step,
            created: self.created(),
        }
    }

    /// Runs one vertex instruction of stage `i`.
    #[allow(clippy::too_many_arguments)]
    fn step(
        &mut self,
        i: usize,
        plan: &plan::Plan,
        st: &mut StageState,
        ins: &Instruction,
        lexer: &Lexer,
        escape: char,
        srcs: &[Source],
        runs: &[StageRun],
        resolved: &HashMap<String, ResolvedImage>,
        context_fs: Option<&Vfs>,
        executed: &mut HashMap<String, (Vfs, Arc<Layer>)>,
    ) -> Result<(), Fail> {
        let lines = Some(lines_of(ins));
        let prepared = dispatch::prepare(st, ins, lexer, escape).map_err(|e| Fail::at(e.message, lines))?;
        st.step_no += 1;
        let label = format!("{} {}", plan.label(i, st.step_no), prepared.text);
        let Prepared { work, created_by, mut key, .. } = prepared;
        if matches!(work, Work::Run { .. }) && self.host.host_executor().is_some() {
            // a real run and a builtin/simulated one of the same command are different steps
            key.part("executor:host");
        }

        // where COPY reads from, and its content checksum for the key
        let mut copy_src: Option<Vfs> = None;
        if let Work::Copy { sources, add: true, .. } = &work {
            if let Some(url) = sources.iter().find(|s| is_remote(s)) {
                let (v, t0) = self.start(label.clone(), lines, Some(i));
                let msg = format!(
                    "failed to load cache key: the playground is offline and cannot download {url} (ADD from a URL or git repository needs the network; COPY a local file instead)"
                );
                let secs = self.host.now() - t0;
                self.emit(Event::Error { v, secs, message: msg.clone() });
                return Err(Fail { message: msg, lines, vertex: Some(v), partial: None });
            }
        }
        if let Work::Copy { from, sources, excludes, .. } = &work {
            let src = match from {
                CopyFrom::Context => context_fs.cloned().unwrap_or_default(),
                _ => match srcs.first() {
                    Some(Source::Stage(j)) => runs[*j].state.as_ref().map(|s| s.fs.clone()).unwrap_or_default(),
                    Some(Source::Image(r)) => resolved.get(r).map(|x| x.fs.clone()).unwrap_or_default(),
                    None => Vfs::new(),
                },
            };
            if !sources.is_empty() {
                match copy::checksum(&src, sources, excludes) {
                    Ok(sum) => {
                        key.part(&sum);
                    }
                    Err(e) => {
                        let (v, t0) = self.start(label.clone(), lines, Some(i));
                        let what = match from {
                            CopyFrom::Context => "context".to_string(),
                            _ => format!("stage {}", srcs.first().map(|s| format!("{s:?}")).unwrap_or_default()),
                        };
                        let msg = format!("failed to calculate checksum of ref {what}: {e}");
                        let secs = self.host.now() - t0;
                        self.emit(Event::Error { v, secs, message: msg.clone() });
                        return Err(Fail { message: format!("failed to compute cache key: {msg}"), lines, vertex: Some(v), partial: None });
                    }
                }
            }
            copy_src = Some(src);
        }
        let key = key.finish();

        // the same vertex earlier in this build: BuildKit merges them
        if let Some((fs, layer)) = executed.get(&key) {
            st.fs = fs.clone();
            self.finish_step(st, layer.clone(), key, &created_by);
            return Ok(());
        }
        let (v, t0) = self.start(label, lines, Some(i));
        if !self.opts.no_cache {
            let mut hit = self.engine.cache.get(&key).cloned();
            if hit.is_none() {
                if let Some(layer) = self.host.cache_get(&key) {
                    // a layer from an earlier process: rebuild the filesystem from it
                    let mut fs = st.fs.clone();
                    if crate::layer::apply_tar(&mut fs, &layer.tar.contiguous(), &crate::layer::ApplyOptions::default()).is_ok() {
                        let c = CachedStep { layer, fs };
                        self.engine.cache.put(key.clone(), c.clone());
                        hit = Some(c);
                    }
                }
            }
            if let Some(c) = hit {
                self.emit(Event::Cached { v });
                st.fs = c.fs.clone();
                executed.insert(key.clone(), (c.fs, c.layer.clone()));
                self.finish_step(st, c.layer, key, &created_by);
                return Ok(());
            }
        }
        let before = st.fs.clone();
        let mut fs = st.fs.clone();
        fs.now = self.epoch;
        let result = match &work {
            Work::Run { .. } => self.run_step(v, t0, &mut fs, &work, context_fs, runs, plan),
            Work::Copy { .. } => self.copy_step(&mut fs, st, &work, copy_src.as_ref().expect("source")),
            Work::Workdir { path } => {
                let r = fs.mkdir_all(path, 0o755).map_err(|e| StepError::new(format!("failed to create working directory: {e}")));
                if r.is_ok() && !st.config.config.user.is_empty() {
                    if let Ok(id) = users::resolve_user(&before, &st.config.config.user) {
                        let _ = fs.chown(path, id.uid, id.gid, true);
                    }
                }
                r
            }
        };
        if let Err(e) = result {
            let secs = self.host.now() - t0;
            self.emit(Event::Error { v, secs, message: e.message.clone() });
            return Err(Fail { message: e.message, lines, vertex: Some(v), partial: None });
        }
        let layer = Layer::from_diff(&before, &fs, WriteOptions { source_date_epoch: Some(self.epoch) }).map_err(|e| Fail { message: e.to_string(), lines, vertex: Some(v), partial: None })?;
        let layer = Arc::new(layer);
        self.done(v, t0);
        st.fs = fs.clone();
        self.engine.cache.put(key.clone(), CachedStep { layer: layer.clone(), fs: fs.clone() });
        self.host.cache_put(&key, &layer);
        executed.insert(key.clone(), (fs, layer.clone()));
        self.finish_step(st, layer, key, &created_by);
        Ok(())
    }

    fn finish_step(&self, st: &mut StageState, layer: Arc<Layer>, key: String, created_by: &str) {
        st.config.history.push(History::step(Some(st.created.clone()), created_by, false));
        st.layers.push(ImageLayer { layer, created_by: created_by.to_string() });
        st.unhashed += 1;
        st.key = key;
    }

    #[allow(clippy::too_many_arguments)]
    fn run_step(&mut self, v: u32, t0: f64, fs: &mut Vfs, work: &Work, context_fs: Option<&Vfs>, runs: &[StageRun], plan: &plan::Plan) -> Result<(), StepError> {
        let Work::Run { argv, env, cwd, user, mounts, network } = work else { unreachable!() };
        let shown = argv.join(" ");
        let fail = |m: String| StepError::new(format!("process \"{shown}\" did not complete successfully: {m}"));
        let id = users::resolve_user(fs, user).map_err(fail)?;
        let mut env = env.clone();
        if !env.iter().any(|(k, _)| k == "HOME") {
            env.push(("HOME".into(), id.home.clone()));
        }
        if fs.stat(cwd).is_err() {
            let _ = fs.mkdir_all(cwd, 0o755);
        }
        // mounts: put them in place, remember what was there
        let mut restore: Vec<(String, Option<Node>, Option<String>)> = Vec::new();
        for m in mounts {
            let target = path::normalize(&path::join(cwd, m.target.as_deref().unwrap_or("/")));
            let previous = fs.get(&target, false).ok();
            let node = match m.mount_type() {
                ins::MountType::Cache => {
                    let id = m.id.clone().unwrap_or_else(|| target.clone());
                    let n = self.engine.cache_mounts.get(&id).cloned().unwrap_or_else(|| Node::new_dir(crate::vfs::Meta::new(0o755, self.epoch)));
                    restore.push((target.clone(), previous, Some(id)));
                    n
                }
                ins::MountType::Tmpfs => {
                    restore.push((target.clone(), previous, None));
                    Node::new_dir(crate::vfs::Meta::new(0o1777, self.epoch))
                }
                ins::MountType::Bind => {
                    let src_fs = match &m.from {
                        None => context_fs.cloned().unwrap_or_default(),
                        Some(f) => {
                            let lower = f.to_ascii_lowercase();
                            match plan.stages.iter().position(|s| s.name.as_deref() == Some(lower.as_str())).or_else(|| f.parse::<usize>().ok()) {
                                Some(j) if j < runs.len() => runs[j].state.as_ref().map(|s| s.fs.clone()).unwrap_or_default(),
                                _ => return Err(StepError::new(format!("failed to resolve mount source {f:?}: only stages can be mounted in the playground"))),
                            }
                        }
                    };
                    let src = path::normalize(&path::join("/", m.source.as_deref().unwrap_or("/")));
                    let n = src_fs.get(&src, true).map_err(|e| StepError::new(format!("failed to compute cache key: \"{src}\": not found ({e})")))?;
                    restore.push((target.clone(), previous, None));
                    n
                }
                ins::MountType::Secret | ins::MountType::Ssh => {
                    if m.required {
                        return Err(StepError::new(format!("{:?} mounts need secrets the playground does not have", m.mount_type()).to_lowercase()));
                    }
                    continue;
                }
                #[allow(unreachable_patterns)]
                _ => continue,
            };
            let _ = fs.mkdir_all(path::parent(&target), 0o755);
            fs.insert(&target, node).map_err(|e| StepError::new(e.to_string()))?;
        }
        let (status, output, limit) = if let Some(ex) = self.host.host_executor() {
            // a real run: the executor's filesystem after the step replaces the stage's
            let req = crate::executor::ExecRequest {
                argv: argv.clone(),
                env,
                cwd: cwd.clone(),
                user: user.clone(),
                uid: id.uid,
                gid: id.gid,
                rootfs: fs.clone(),
                network: *network,
                hostname: "buildkitsandbox".into(),
            };
            let res = ex.run(&req).map_err(|e| StepError::new(e.to_string()))?;
            *fs = res.rootfs;
            (res.status, res.output, None)
        } else {
            let inv = crate::shell::Invocation {
                argv: argv.clone(),
                env,
                cwd: cwd.clone(),
                uid: id.uid,
                gid: id.gid,
                stdin: Vec::new(),
                limits: self.opts.shell_limits,
                clock: self.epoch,
            };
            let sim = crate::executor::Simulation::new();
            let outcome = crate::shell::execute(fs, &inv, &sim);
            if let Some(tool) = sim.deferred() {
                self.engine.deferred = Some(tool.clone());
                return Err(StepError::new(format!("{tool}: {}", crate::executor::NEEDS_SIMULATIONS)));
            }
            (outcome.status, outcome.output, outcome.limit.map(|l| l.message))
        };
        // take the mounts away again
        for (target, previous, cache_id) in restore.into_iter().rev() {
            if let Some(id) = cache_id {
                if let Ok(n) = fs.get(&target, false) {
                    self.engine.cache_mounts.insert(id, n);
                }
            }
            let _ = fs.remove_all(&target);
            if let Some(p) = previous {
                let _ = fs.insert(&target, p);
            }
        }
        let at = self.host.now() - t0;
        // BuildKit passes a step's output on at 200 KiB a second at most; a step's output
        // all comes at once here, so past 200 KiB the log is clipped as BuildKit clips it.
        let mut logged = 0usize;
        'streams: for c in &output {
            let stream = match c.stream {
                crate::shell::Stream::Stdout => Stream::Stdout,
                crate::shell::Stream::Stderr => Stream::Stderr,
            };
            let text = String::from_utf8_lossy(&c.data);
            for line in text.split_inclusive('\n') {
                logged += line.len();
                if logged > LOG_RATE_LIMIT_BYTES {
                    for line in ["", "[output clipped, log limit 200KiB/s reached]"] {
                        self.emit(Event::Log { v, stream, at, line: line.to_string() });
                    }
                    break 'streams;
                }
                self.emit(Event::Log { v, stream, at, line: line.trim_end_matches('\n').to_string() });
            }
        }
        if status != 0 {
            let mut m = format!("exit code: {status}");
            if let Some(l) = &limit {
                m.push_str(&format!(" ({l})"));
            }
            return Err(fail(m));
        }
        Ok(())
    }

    fn copy_step(&mut self, fs: &mut Vfs, st: &StageState, work: &Work, src: &Vfs) -> Result<(), StepError> {
        let Work::Copy { from, sources, inline, dest, chown, chmod, excludes, parents, add } = work else { unreachable!() };
        let owner = match chown {
            Some(c) => Some(users::resolve_chown(fs, c).map_err(StepError::new)?),
            None => None,
        };
        let mode = chmod.as_deref().map(dispatch::parse_chmod).transpose()?;
        let wd = dispatch::workdir(st);
        let req = CopyRequest {
            sources,
            dest,
            workdir: &wd,
            from_context: matches!(from, CopyFrom::Context),
            chown: owner,
            chmod: mode,
            excludes,
            parents: *parents,
            unpack: *add,
            now: self.epoch,
        };
        if !sources.is_empty() {
            copy::copy(src, fs, &req).map_err(|e| StepError::new(e.to_string()))?;
        }
        if !inline.is_empty() {
            let mut tmp = Vfs::new();
            tmp.now = self.epoch;
            let mut names = Vec::new();
            for (n, d) in inline {
                tmp.write(&format!("/{n}"), d.as_bytes().to_vec(), 0o644).map_err(|e| StepError::new(e.to_string()))?;
                names.push(n.clone());
            }
            copy::copy(&tmp, fs, &CopyRequest { sources: &names, from_context: true, unpack: false, ..req }).map_err(|e| StepError::new(e.to_string()))?;
        }
        Ok(())
    }

    /// The image of a stage state.
    fn image_of(&self, st: &StageState) -> BuiltImage {
        let mut config = st.config.clone();
        let built = &st.layers[st.layers.len().saturating_sub(st.unhashed)..];
        hash_large_layers_in_parallel(built);
        config.rootfs.diff_ids.extend(built.iter().map(|l| l.layer.diff_id().clone()));
        config.created = Some(self.created());
        let id = config.id().as_str().to_string();
        let built_size: u64 = st.layers.iter().skip(usize::from(!matches!(st.base, BaseSource::Scratch))).map(|l| l.layer.content_size).sum();
        BuiltImage { id, config, layers: st.layers.clone(), rootfs: st.fs.clone(), base: st.base.clone(), size: st.base_size + built_size }
    }
}

/// Bytes of a step's output BuildKit shows before it clips the log (its default
/// rate limit, 200 KiB a second).
const LOG_RATE_LIMIT_BYTES: usize = 200 * 1024;

/// ADD sources fetched over the network: URLs and git repositories.
fn is_remote(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://") || s.starts_with("git@") || s.starts_with("git://")
}

/// An error before the build starts: BuildKit's message and the Dockerfile lines.
pub type PlanProblem = (String, Option<(usize, usize)>);

/// The global scope of a build: automatic args, `--build-arg`s and the ARGs before
/// the first FROM.
fn global_scope(lowered: &ins::Lowered, lexer: &Lexer, opts: &BuildOptions) -> Result<GlobalScope, PlanProblem> {
    let mut global = GlobalScope::new(&words::BuildOptions {
        build_args: opts.build_args.iter().cloned().collect::<BTreeMap<_, _>>(),
        target_stage: opts.target.clone().unwrap_or_default(),
        ..Default::default()
    });
    for a in &lowered.meta_args {
        if let Command::Arg(arg) = &a.command {
            for d in &arg.args {
                global.declare_arg(lexer, &d.key.text, d.value.as_ref().map(|v| v.text.as_str())).map_err(|e| (e.to_string(), Some(lines_of(a))))?;
            }
        }
    }
    Ok(global)
}

/// The planner's view of each stage: its base after ARG expansion, which
/// instructions make a vertex, and what each reads with `--from`.
fn plan_stages(lowered: &ins::Lowered, global: &GlobalScope, lexer: &Lexer) -> Result<Vec<PlanStage>, PlanProblem> {
    let mut pstages = Vec::new();
    for s in &lowered.stages {
        let base = global.expand(lexer, &s.base.text).result.map_err(|e| (e.to_string(), Some(lines_of(&s.from))))?;
        if base.is_empty() {
            return Err(("base name (${}) should not be blank".replace("${}", &s.base.text), Some(lines_of(&s.from))));
        }
        let steps = s
            .commands
            .iter()
            .map(|c| PlanStep {
                is_vertex: matches!(c.command, Command::Run(_) | Command::Copy(_) | Command::Add(_) | Command::Workdir(_)),
                from: step_sources(c),
                lines: lines_of(c),
            })
            .collect();
        pstages.push(PlanStage { name: s.name.clone(), base, lines: lines_of(&s.from), steps, triggers: 0 });
    }
    Ok(pstages)
}

/// Plans a Dockerfile as a build with `opts` would (target, build args), without
/// building: the planner's input stages and the plan. Errors are the ones the build
/// would stop with (parse, ARG expansion, unknown target, cycles), with their lines.
pub fn plan_dockerfile(dockerfile: &[u8], opts: &BuildOptions) -> Result<(Vec<PlanStage>, plan::Plan), PlanProblem> {
    let parsed = crate::syntax::parse(dockerfile);
    if let Some(d) = parsed.diagnostics.iter().find(|d| d.is_error()) {
        return Err((d.buildkit_message(), Some((d.line as usize, d.end_line.max(d.line) as usize))));
    }
    let lowered = ins::lower(&parsed.tree);
    if let Some(d) = lowered.diagnostics.iter().find(|d| d.is_error()) {
        return Err((d.buildkit_message(), Some((d.line as usize, d.end_line.max(d.line) as usize))));
    }
    let lexer = Lexer::new(lowered.escape);
    let global = global_scope(&lowered, &lexer, opts)?;
    let pstages = plan_stages(&lowered, &global, &lexer)?;
    let plan = plan::plan(&pstages, opts.target.as_deref()).map_err(|e| (e.to_string(), e.lines()))?;
    Ok((pstages, plan))
}

/// The `--from` values a step reads (COPY --from, RUN --mount=from=).
fn step_sources(c: &Instruction) -> Vec<String> {
    match &c.command {
        Command::Copy(cp) => cp.from.iter().map(|w| w.text.clone()).collect(),
        Command::Run(r) => r.mounts.iter().filter_map(|m| m.mount.as_ref().and_then(|mm| mm.from.clone())).collect(),
        _ => Vec::new(),
    }
}

/// Parses an ONBUILD trigger stored in an image config.
fn parse_trigger(expr: &str) -> Result<Instruction, String> {
    let parsed = crate::syntax::parse(expr.as_bytes());
    if let Some(d) = parsed.diagnostics.iter().find(|d| d.is_error()) {
        return Err(d.buildkit_message());
    }
    let first = parsed.tree.instructions().first().ok_or_else(|| "empty ONBUILD trigger".to_string())?;
    crate::instructions::lower_instruction(&parsed.tree, first).map_err(|d| d.buildkit_message())
}

/// Natively, the digests of several large layers are computed side by side (sha256 is
/// the bulk of a cold build with a big binary); each layer keeps its digest.
fn hash_large_layers_in_parallel(layers: &[ImageLayer]) {
    #[cfg(not(target_arch = "wasm32"))]
    {
        const LARGE: usize = 1 << 20;
        let large: Vec<&ImageLayer> = layers.iter().filter(|l| l.layer.tar.len() >= LARGE).collect();
        if large.len() > 1 {
            std::thread::scope(|s| {
                for l in &large[1..] {
                    s.spawn(|| {
                        l.layer.diff_id();
                    });
                }
                large[0].layer.diff_id();
            });
        }
    }
    #[cfg(target_arch = "wasm32")]
    let _ = layers;
}

