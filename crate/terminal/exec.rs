//! Runs parsed docker commands ([`super::Command`]) on a [`Session`] and writes what the
//! docker CLI would print: the page's terminal runs whole lines through
//! [`run_line`], and the `dfplay` CLI uses the same functions (build options and the
//! rendering of a build's end, `images`, `history`, `inspect`, `tag`, `rmi`, `run`,
//! `prune`), so both front ends print the same text.
//!
//! Invariant: no IO. Text goes to the caller's [`Sink`]; files come from the page's
//! context entries; what only the page can do (clear the screen, download a tar) is
//! returned as an [`Effect`].

use super::template::Template;
use super::{parse_line, Build, Command, History, Images, Inspect, Join, Rmi, Run, Save};
use crate::build::progress::{render_tty, Event, PlainRenderer};
use crate::build::{BuildFailure, BuildOptions, Built};
use crate::context::{self, Entry, EntryKind};
use crate::image::inspect::{ellipsis, history_table, human_size, images_table, inspect_text, tabwrite};
use crate::image::store::Filter;
use crate::image::time;
use crate::session::Session;
use crate::shell::Stream;

/// Where a command's output goes: text for stdout or stderr, in order.
pub type Sink<'a> = dyn FnMut(Stream, &str) + 'a;

/// What a command needs from its surroundings.
pub struct Env<'a> {
    /// The page's files: the terminal's working directory is their root.
    pub files: &'a [Entry],
    /// The current Unix time (for `… ago`).
    pub now: i64,
    /// Seconds on any epoch, for build timings.
    pub clock: &'a dyn Fn() -> f64,
    /// True when the build was cancelled (checked between steps).
    pub cancel: &'a dyn Fn() -> bool,
    /// Columns of the terminal (the tty build frame's width).
    pub width: usize,
}

/// What the page does after a command, beyond printing.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[non_exhaustive]
pub enum Effect {
    /// `clear`: empty the screen.
    Clear,
    /// `docker save -o NAME`: offer these bytes as a download.
    Download {
        name: String,
        #[serde(with = "serde_bytes")]
        data: Vec<u8>,
    },
    /// The image store changed (build, tag, rmi, prune, load).
    ImagesChanged,
}

/// How a command or a line ended.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Outcome {
    /// The exit status of the last command that ran.
    pub status: i32,
    pub effects: Vec<Effect>,
}

impl Outcome {
    fn status(status: i32) -> Self {
        Outcome { status, effects: Vec::new() }
    }
    fn changed(status: i32) -> Self {
        Outcome { status, effects: vec![Effect::ImagesChanged] }
    }
}

fn line(sink: &mut Sink, stream: Stream, text: &str) {
    sink(stream, text);
    if !text.ends_with('\n') {
        sink(stream, "\n");
    }
}

fn no_such_image(r: &str) -> String {
    format!("Error response from daemon: No such image: {r}")
}

/// Runs a terminal line: every command of it, `&&` ones only after a success, as a shell
/// would. A line that does not parse prints docker's error and ends with status 1.
pub fn run_line(session: &mut Session, text: &str, env: &Env, sink: &mut Sink) -> Outcome {
    let steps = match parse_line(text) {
        Ok(s) => s,
        Err(e) => {
            line(sink, Stream::Stderr, &e.message);
            return Outcome::status(1);
        }
    };
    let mut total = Outcome::default();
    for step in steps {
        if step.join == Join::IfOk && total.status != 0 {
            continue;
        }
        let o = execute(session, &step.command, env, sink);
        total.status = o.status;
        for e in o.effects {
            if !total.effects.contains(&e) {
                total.effects.push(e);
            }
        }
    }
    total
}

/// Runs one command.
pub fn execute(session: &mut Session, command: &Command, env: &Env, sink: &mut Sink) -> Outcome {
    match command {
        Command::Build(b) => build(session, b, env, sink),
        Command::Run(r) => run(session, r, sink),
        Command::Images(i) => images(session, i, env.now, sink),
        Command::History(h) => history(session, h, env.now, sink),
        Command::Inspect(i) => inspect(session, i, sink),
        Command::Tag { source, target } => tag(session, source, target, sink),
        Command::Rmi(r) => rmi(session, r, sink),
        Command::Save(s) => save(session, s, sink),
        Command::Prune { all } => prune(session, *all, sink),
        Command::Help { topic } => {
            sink(Stream::Stdout, &super::help(topic.as_deref()));
            Outcome::status(0)
        }
        Command::Version => {
            line(sink, Stream::Stdout, &format!("dfplay {} — a Dockerfile playground; commands answer as Docker 26 does (simulated: no daemon)", env!("CARGO_PKG_VERSION")));
            Outcome::status(0)
        }
        Command::Clear => Outcome { status: 0, effects: vec![Effect::Clear] },
        Command::Unsupported { command, reason } => {
            line(sink, Stream::Stderr, &format!("{command}: {reason}"));
            Outcome::status(1)
        }
    }
}

// ----- build ----------------------------------------------------------------------------

/// The build options of a `docker build` command line: tags checked as buildx checks
/// them, `--build-arg NAME` without a value taken from `host_env` (and left out when
/// unset, as docker does).
pub fn build_options(b: &Build, host_env: &dyn Fn(&str) -> Option<String>) -> Result<BuildOptions, String> {
    let mut tags = Vec::new();
    for t in &b.tags {
        crate::reference::Reference::parse(t).map_err(|e| format!("invalid tag {t:?}: {e}"))?;
        tags.push(t.clone());
    }
    let build_args = b
        .build_args
        .iter()
        .filter_map(|a| match &a.value {
            Some(v) => Some((a.name.clone(), v.clone())),
            None => host_env(&a.name).map(|v| (a.name.clone(), v)),
        })
        .collect();
    Ok(BuildOptions { tags, target: b.target.clone(), build_args, no_cache: b.no_cache, ..Default::default() })
}

/// How a build shows its progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgressMode {
    /// The final `[+] Building … FINISHED` frame.
    Tty,
    /// `#N …` lines as the events come.
    Plain,
    /// Nothing but the image ID (`-q`) or the error.
    Quiet,
}

impl ProgressMode {
    /// `--progress` and `-q` as docker reads them; `auto` is tty on a terminal.
    pub fn of(progress: Option<&str>, quiet: bool, terminal: bool) -> ProgressMode {
        match (quiet, progress.unwrap_or("auto")) {
            (true, _) | (_, "quiet") => ProgressMode::Quiet,
            (_, "plain" | "rawjson") => ProgressMode::Plain,
            (_, "tty") => ProgressMode::Tty,
            _ if terminal => ProgressMode::Tty,
            _ => ProgressMode::Plain,
        }
    }
}

/// What `docker build` prints after the build: the final tty frame (tty mode), the
/// warnings, and for a failure BuildKit's error block; the image ID on stdout for `-q`.
pub fn render_build_end(result: &Result<Built, Box<BuildFailure>>, mode: ProgressMode, width: usize, sink: &mut Sink) {
    match result {
        Ok(built) => {
            if mode == ProgressMode::Tty {
                sink(Stream::Stderr, &render_tty(&built.summary, built.total, built.elapsed, true, width));
            }
            for w in &built.warnings {
                line(sink, Stream::Stderr, w);
            }
            if mode == ProgressMode::Quiet {
                line(sink, Stream::Stdout, &built.image.id);
            }
        }
        Err(f) => {
            if mode == ProgressMode::Tty {
                sink(Stream::Stderr, &render_tty(&f.summary, f.total, f.elapsed, false, width));
            }
            sink(Stream::Stderr, &f.render());
        }
    }
}

/// The context a `docker build PATH` sees in the page's files: the entries under PATH
/// (paths made relative to it), and the Dockerfile (`-f`, relative to the terminal's
/// working directory, default `PATH/Dockerfile`), which may lie outside PATH.
pub fn context_of(files: &[Entry], path: &str, file: Option<&str>) -> Result<crate::build::context::BuildContext, String> {
    if path == "-" {
        return Err("the playground terminal has no standard input: give a folder of the page's files (docker build .)".into());
    }
    if path.contains("://") || path.starts_with("git@") {
        return Err(format!("unable to prepare context: {path}: the playground cannot reach the network; build from the page's files (docker build .)"));
    }
    let dir = match path.trim_start_matches("./").trim_end_matches('/') {
        "" | "." => String::new(),
        d => context::clean_path(d).map_err(|e| format!("unable to prepare context: {e}"))?,
    };
    let under = |p: &str| if dir.is_empty() { Some(p.to_string()) } else { p.strip_prefix(&format!("{dir}/")).map(String::from) };
    let is_dir = dir.is_empty() || files.iter().any(|e| e.path == dir && e.kind == EntryKind::Dir) || files.iter().any(|e| under(&e.path).is_some());
    if !is_dir {
        return Err(format!("unable to prepare context: path {path:?} not found"));
    }
    let entries: Vec<Entry> = files.iter().filter_map(|e| under(&e.path).filter(|p| !p.is_empty()).map(|p| Entry { path: p, ..e.clone() })).collect();
    let file_path = match file {
        Some(f) if f != "-" => context::clean_path(f.trim_start_matches("./")).map_err(|e| format!("unable to prepare context: {e}"))?,
        Some(_) => return Err("the playground terminal has no standard input: -f - is not supported".into()),
        None if dir.is_empty() => "Dockerfile".to_string(),
        None => format!("{dir}/Dockerfile"),
    };
    let Some(df) = files.iter().find(|e| e.path == file_path && e.kind == EntryKind::File) else {
        return Err(format!("failed to solve: failed to read dockerfile: open {file_path}: no such file or directory"));
    };
    let name = under(&file_path).unwrap_or_else(|| file_path.rsplit('/').next().unwrap_or("Dockerfile").to_string());
    let mut ctx = context::to_build_context(&entries, &name).map_err(|e| e.to_string())?;
    // A Dockerfile outside the context: docker sends it beside the context.
    ctx.dockerfile = df.data.clone();
    ctx.dockerfile_mtime = df.mtime.clamp(0, context::MAX_MTIME);
    Ok(ctx)
}

fn build(session: &mut Session, b: &Build, env: &Env, sink: &mut Sink) -> Outcome {
    for flag in &b.ignored {
        line(sink, Stream::Stderr, &format!("note: {flag} has no effect in the playground"));
    }
    if !b.labels.is_empty() {
        line(sink, Stream::Stderr, "note: --label is not applied in the playground; write LABEL in the Dockerfile");
    }
    let opts = match build_options(b, &|_| None) {
        Ok(o) => o,
        Err(e) => {
            line(sink, Stream::Stderr, &format!("ERROR: {e}"));
            return Outcome::status(1);
        }
    };
    let ctx = match context_of(env.files, &b.context, b.file.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            line(sink, Stream::Stderr, &format!("ERROR: {e}"));
            return Outcome::status(1);
        }
    };
    let mode = ProgressMode::of(b.progress.as_deref(), b.quiet, true);
    let mut plain = PlainRenderer::new();
    if mode == ProgressMode::Plain {
        sink(Stream::Stderr, &PlainRenderer::header());
    }
    let result = {
        let mut events = |e: &Event| {
            if mode == ProgressMode::Plain {
                sink(Stream::Stderr, &plain.render(e));
            }
        };
        session.build(&ctx, &opts, env.clock, &mut events, env.cancel)
    };
    render_build_end(&result, mode, env.width, sink);
    Outcome::changed(if result.is_ok() { 0 } else { 1 })
}

// ----- run ------------------------------------------------------------------------------

/// `docker run` / `docker container run` (simulated, in the builtin shell).
pub fn run(session: &mut Session, r: &Run, sink: &mut Sink) -> Outcome {
    for flag in &r.ignored {
        line(sink, Stream::Stderr, &format!("note: {flag} has no effect in the playground"));
    }
    if !r.publish.is_empty() {
        line(sink, Stream::Stderr, "note: ports are not published: the playground has no network (simulated run)");
    }
    if r.detach {
        line(sink, Stream::Stderr, "note: -d: the playground runs the container to completion and shows its output (simulated run)");
    }
    let opts = crate::run::RunOptions { entrypoint: r.entrypoint.clone(), args: r.command.clone(), env: r.env.clone(), workdir: r.workdir.clone(), user: r.user.clone() };
    match session.run(&r.image, &opts, Default::default()) {
        Ok(o) => {
            for c in &o.output {
                sink(c.stream, &String::from_utf8_lossy(&c.data));
            }
            Outcome::status(o.status)
        }
        Err(e) => {
            line(sink, Stream::Stderr, &e.to_string());
            Outcome::status(e.status)
        }
    }
}

// ----- images, history, inspect -------------------------------------------------------------

/// Column names of `--format 'table …'` fields, as the docker CLI prints them.
const IMAGE_HEADERS: &[(&str, &str)] = &[("ID", "IMAGE ID"), ("CreatedSince", "CREATED"), ("CreatedAt", "CREATED AT"), ("CreatedBy", "CREATED BY")];

/// Writes rows through a `--format` template (a `table` one tab-aligned with a header).
fn templated(t: &Template, rows: &[serde_json::Value]) -> String {
    let body: Vec<String> = rows.iter().map(|r| t.render(r)).collect();
    if !t.table {
        return body.iter().map(|l| format!("{l}\n")).collect();
    }
    let mut table: Vec<Vec<String>> = vec![t.header(IMAGE_HEADERS).split('\t').map(String::from).collect()];
    table.extend(body.iter().map(|l| l.split('\t').map(String::from).collect()));
    tabwrite(&table)
}

fn parse_template(format: &Option<String>, sink: &mut Sink) -> Result<Option<Template>, Outcome> {
    match format.as_deref() {
        None | Some("") => Ok(None),
        Some(f) => Template::parse(f).map(Some).map_err(|e| {
            line(sink, Stream::Stderr, &e);
            Outcome::status(1)
        }),
    }
}

/// `docker images` / `docker image ls`.
pub fn images(session: &Session, i: &Images, now: i64, sink: &mut Sink) -> Outcome {
    let mut filters = Vec::new();
    for (k, v) in &i.filters {
        match Filter::parse(&format!("{k}={v}")) {
            Ok(f) => filters.push(f),
            Err(e) => {
                line(sink, Stream::Stderr, &format!("Error response from daemon: {e}"));
                return Outcome::status(1);
            }
        }
    }
    if let Some(r) = &i.reference {
        filters.push(Filter::Reference(r.clone()));
    }
    let template = match parse_template(&i.format, sink) {
        Ok(t) => t,
        Err(o) => return o,
    };
    let (list, standins) = match session.list_images(&filters) {
        Ok(l) => l,
        Err(e) => {
            line(sink, Stream::Stderr, &format!("Error response from daemon: {e}"));
            return Outcome::status(1);
        }
    };
    match template {
        Some(t) => {
            let mut rows = Vec::new();
            for s in &list {
                let created = s.record.created.as_deref().and_then(time::parse_rfc3339).map(|(c, _)| c);
                let id = if i.no_trunc { s.record.id.to_string() } else { s.record.id.short().to_string() };
                let tags: Vec<(String, String)> = if s.tags.is_empty() { vec![("<none>".into(), "<none>".into())] } else { s.tags.iter().map(|r| (r.familiar_name(), r.tag_or_latest().to_string())).collect() };
                for (repo, tag) in tags {
                    rows.push(serde_json::json!({
                        "ID": id, "Repository": repo, "Tag": tag, "Digest": "<none>",
                        "CreatedSince": created.map(|c| time::ago(c, now)).unwrap_or_else(|| "N/A".into()),
                        "CreatedAt": s.record.created.clone().unwrap_or_default(),
                        "Size": human_size(s.record.size), "Containers": "N/A", "SharedSize": "N/A", "UniqueSize": "N/A", "VirtualSize": human_size(s.record.size),
                    }));
                }
            }
            sink(Stream::Stdout, &templated(&t, &rows));
        }
        None => sink(Stream::Stdout, &images_table(&list, now, i.no_trunc, i.quiet)),
    }
    if !standins.is_empty() && !i.quiet {
        line(sink, Stream::Stderr, &format!("note: sizes include the real size of the stand-in base images ({}); the playground's own copies are small", standins.join("; ")));
    }
    Outcome::status(0)
}

/// `docker history`.
pub fn history(session: &Session, h: &History, now: i64, sink: &mut Sink) -> Outcome {
    let Ok(id) = session.store.resolve(&h.image) else {
        line(sink, Stream::Stderr, &no_such_image(&h.image));
        return Outcome::status(1);
    };
    let template = match parse_template(&h.format, sink) {
        Ok(t) => t,
        Err(o) => return o,
    };
    let rows = match crate::image::inspect::history(&session.store, &id) {
        Ok(r) => r,
        Err(e) => {
            line(sink, Stream::Stderr, &format!("Error response from daemon: {e}"));
            return Outcome::status(1);
        }
    };
    let short = |d: &Option<crate::layer::Digest>| match d {
        Some(d) if h.no_trunc => d.to_string(),
        Some(d) => d.short().to_string(),
        None => "<missing>".into(),
    };
    if h.quiet {
        for r in &rows {
            line(sink, Stream::Stdout, &short(&r.image));
        }
    } else if let Some(t) = template {
        let values: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                let created = r.created.as_deref().and_then(time::parse_rfc3339).map(|(c, _)| c);
                let by = if h.no_trunc { r.created_by.clone() } else { ellipsis(&r.created_by, 45) };
                serde_json::json!({
                    "ID": short(&r.image), "CreatedSince": created.map(|c| time::ago(c, now)).unwrap_or_else(|| "N/A".into()),
                    "CreatedAt": r.created.clone().unwrap_or_default(), "CreatedBy": by,
                    "Size": if h.human { human_size(r.size) } else { r.size.to_string() }, "Comment": r.comment,
                })
            })
            .collect();
        sink(Stream::Stdout, &templated(&t, &values));
    } else {
        sink(Stream::Stdout, &history_table(&rows, now, h.no_trunc, h.human));
    }
    Outcome::status(0)
}

/// `docker inspect` / `docker image inspect`.
pub fn inspect(session: &Session, i: &Inspect, sink: &mut Sink) -> Outcome {
    let template = match parse_template(&i.format, sink) {
        Ok(t) => t,
        Err(o) => return o,
    };
    let mut items = Vec::new();
    let mut missing = Vec::new();
    for r in &i.objects {
        match session.store.resolve(r).and_then(|id| session.inspect(&id)) {
            Ok(x) => items.push(x),
            Err(_) => missing.push(r.clone()),
        }
    }
    match template {
        Some(t) => {
            for it in &items {
                let v = serde_json::to_value(it).unwrap_or_default();
                line(sink, Stream::Stdout, &t.render(&v));
            }
        }
        None => line(sink, Stream::Stdout, &inspect_text(&items)),
    }
    for m in &missing {
        line(sink, Stream::Stderr, &format!("Error: No such image: {m}"));
    }
    Outcome::status(if missing.is_empty() { 0 } else { 1 })
}

// ----- tag, rmi, save, prune -----------------------------------------------------------------

/// `docker tag SOURCE TARGET`.
pub fn tag(session: &mut Session, source: &str, target: &str, sink: &mut Sink) -> Outcome {
    let Ok(id) = session.store.resolve(source) else {
        line(sink, Stream::Stderr, &no_such_image(source));
        return Outcome::status(1);
    };
    if let Err(e) = crate::reference::Reference::parse(target) {
        line(sink, Stream::Stderr, &format!("Error parsing reference: {target:?} is not a valid repository/tag: {e}"));
        return Outcome::status(1);
    }
    match session.store.tag(&id, target) {
        Ok(_) => Outcome::changed(0),
        Err(e) => {
            line(sink, Stream::Stderr, &format!("Error response from daemon: {e}"));
            Outcome::status(1)
        }
    }
}

/// `docker rmi [-f] IMAGE…`: `Untagged:` / `Deleted:` lines, an error per image that
/// cannot go.
pub fn rmi(session: &mut Session, r: &Rmi, sink: &mut Sink) -> Outcome {
    let mut status = 0;
    for image in &r.images {
        match session.store.remove(image, r.force) {
            Ok(events) => {
                for e in events {
                    line(sink, Stream::Stdout, &e.to_string());
                }
            }
            Err(e) => {
                line(sink, Stream::Stderr, &format!("Error response from daemon: {e}"));
                status = 1;
            }
        }
    }
    Outcome::changed(status)
}

fn save(session: &mut Session, s: &Save, sink: &mut Sink) -> Outcome {
    let Some(name) = &s.output else {
        line(sink, Stream::Stderr, "cowardly refusing to save to a terminal. Use the -o flag or redirect");
        return Outcome::status(1);
    };
    let refs: Vec<&str> = s.images.iter().map(String::as_str).collect();
    match crate::image::save(&mut session.store, &refs) {
        Ok(data) => {
            let name = name.rsplit('/').next().filter(|n| !n.is_empty()).unwrap_or("image.tar").to_string();
            line(sink, Stream::Stderr, &format!("note: {name} ({}) is offered as a download", human_size(data.len() as u64)));
            Outcome { status: 0, effects: vec![Effect::Download { name, data }] }
        }
        Err(e) => {
            line(sink, Stream::Stderr, &format!("Error response from daemon: {e}"));
            Outcome::status(1)
        }
    }
}

/// `docker image prune`: removes dangling images.
pub fn prune(session: &mut Session, all: bool, sink: &mut Sink) -> Outcome {
    if all {
        line(sink, Stream::Stderr, "note: -a: the playground has no containers, so only dangling images are removed");
    }
    match session.store.prune_dangling() {
        Ok(report) => {
            if !report.events.is_empty() {
                line(sink, Stream::Stdout, "Deleted Images:");
                for e in &report.events {
                    line(sink, Stream::Stdout, &e.to_string());
                }
                line(sink, Stream::Stdout, "");
            }
            line(sink, Stream::Stdout, &format!("Total reclaimed space: {}", human_size(report.reclaimed)));
            Outcome::changed(0)
        }
        Err(e) => {
            line(sink, Stream::Stderr, &format!("Error response from daemon: {e}"));
            Outcome::status(1)
        }
    }
}
