//! A playground session: the build engine and the image store together, as
//! both front ends use them — the `dfplay` CLI (a directory store in
//! `$DFPLAY_HOME`) and the page (an in-memory store). It stores what a build
//! makes (layers, the image, its tags, and the dangling image a failed build
//! leaves), lets `FROM` use images of the store, mirrors the step cache into the
//! store so a later process finds it, and runs images.

use crate::build::progress::Event;
use crate::build::{self, BaseSource, BuildFailure, BuildOptions, Built, BuiltImage, Engine, Host, LocalImage};
use crate::image::inspect::ImageInspect;
use crate::image::store::{Filter, ImageSummary, Store};
use crate::image::ImageResult;
use crate::layer::{Digest, Layer};
use crate::run::{self, ImageRunConfig, RunOptions};
use crate::shell;
use std::sync::Arc;

/// What the store remembers of an image besides its config (`meta/<id>` records).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct ImageMeta {
    /// Size as `docker images` shows it (a stand-in base counts with its real size).
    pub size: u64,
    /// A stand-in base: what it stands for (shown beside the size).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standin: Option<String>,
}

/// The engine and its store.
pub struct Session {
    pub engine: Engine,
    pub store: Store,
    /// Where RUN steps run for real, if anywhere (`dfplay build --executor bwrap`);
    /// without one, the builtin shell and the labelled simulations run them.
    pub executor: Option<Box<dyn crate::executor::HostExecutor>>,
}

/// The output of running an image.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RunOutcome {
    pub status: i32,
    pub output: Vec<shell::io::Chunk>,
    /// The argv that ran.
    pub argv: Vec<String>,
}

struct SessionHost<'a> {
    store: &'a mut Store,
    clock: &'a dyn Fn() -> f64,
    sink: &'a mut dyn FnMut(&Event),
    cancel: &'a dyn Fn() -> bool,
    executor: &'a mut Option<Box<dyn crate::executor::HostExecutor>>,
}

impl Host for SessionHost<'_> {
    fn host_executor(&mut self) -> Option<&mut dyn crate::executor::HostExecutor> {
        match &mut self.executor {
            Some(e) => Some(&mut **e),
            None => None,
        }
    }
    fn now(&self) -> f64 {
        (self.clock)()
    }
    fn event(&mut self, e: &Event) {
        (self.sink)(e)
    }
    fn cancelled(&self) -> bool {
        (self.cancel)()
    }
    fn local_image(&self, reference: &str) -> Option<LocalImage> {
        let id = self.store.resolve(reference).ok()?;
        local_image(self.store, &id).ok()
    }
    fn cache_get(&mut self, key: &str) -> Option<Arc<Layer>> {
        let rec = self.store.record(&format!("cache/{key}")).ok()??;
        let diff_id = Digest::parse(rec.get("diff_id")?.as_str()?)?;
        stored_layer(self.store, &diff_id).ok().map(Arc::new)
    }
    fn cache_put(&mut self, key: &str, layer: &Arc<Layer>) {
        // the engine's own step cache serves this process; the store keeps steps only
        // for a later process (natively), which an in-memory store never sees
        if self.store.persistent() && self.store.put_layer(layer).is_ok() {
            let _ = self.store.put_record(&format!("cache/{key}"), &serde_json::json!({ "diff_id": layer.diff_id().as_str() }));
        }
    }
    fn seen_base(&mut self, reference: &str) -> bool {
        let key = format!("pulled/{reference}");
        if self.store.record(&key).ok().flatten().is_some() {
            return true;
        }
        let _ = self.store.put_record(&key, &serde_json::json!(true));
        false
    }
}

/// An image of the store as `FROM` sees it.
fn local_image(store: &Store, id: &Digest) -> ImageResult<LocalImage> {
    let rec = store.image(id)?;
    let config = store.config(id)?;
    let rootfs = store.rootfs(id)?;
    let mut layers = Vec::new();
    for d in &rec.diff_ids {
        layers.push(Arc::new(stored_layer(store, d)?));
    }
    let size = image_meta(store, id).map(|m| m.size).unwrap_or(rec.size);
    Ok(LocalImage { id: id.as_str().to_string(), config, layers, rootfs, size })
}

/// A layer of the store: its tar (shared, not copied) with the digest and size the
/// store filed it under (the store checked both when the layer was put).
fn stored_layer(store: &Store, diff_id: &Digest) -> ImageResult<Layer> {
    let rec = store.layer(diff_id)?;
    Ok(Layer::with_digest(store.layer_tar(diff_id)?, diff_id.clone(), rec.content_size))
}

/// The `meta/<id>` record of an image, if any.
pub fn image_meta(store: &Store, id: &Digest) -> Option<ImageMeta> {
    let v = store.record(&format!("meta/{}", id.as_str())).ok()??;
    serde_json::from_value(v).ok()
}

impl Session {
    pub fn new(store: Store) -> Self {
        Session { engine: Engine::new(), store, executor: None }
    }

    /// `docker images`: the store's images (newest first, filtered) with their size as
    /// `docker images` shows it (a stand-in base counts with its real size), and what
    /// the stand-ins among them stand for.
    pub fn list_images(&self, filters: &[Filter]) -> ImageResult<(Vec<ImageSummary>, Vec<String>)> {
        let mut list = self.store.list(filters)?;
        let mut standins = Vec::new();
        for s in &mut list {
            if let Some(m) = image_meta(&self.store, &s.record.id) {
                s.record.size = m.size;
                if let Some(b) = m.standin {
                    if !standins.contains(&b) {
                        standins.push(b);
                    }
                }
            }
        }
        Ok((list, standins))
    }

    /// `docker image inspect` of one image, its size as `docker images` shows it.
    pub fn inspect(&self, id: &Digest) -> ImageResult<ImageInspect> {
        let mut i = crate::image::inspect::inspect(&self.store, id)?;
        if let Some(m) = image_meta(&self.store, id) {
            i.size = m.size;
        }
        Ok(i)
    }

    /// Puts a built image (its layers, config and meta) into the store.
    pub fn store_image(&mut self, image: &BuiltImage, tags: &[String]) -> ImageResult<Digest> {
        for l in &image.layers {
            self.store.put_layer(&l.layer)?;
        }
        let id = self.store.put_image(&image.config, "built")?;
        let meta = ImageMeta {
            size: image.size,
            standin: match &image.base {
                BaseSource::Standin { stands_for, .. } => Some(stands_for.clone()),
                _ => None,
            },
        };
        self.store.put_record(&format!("meta/{}", id.as_str()), &serde_json::to_value(&meta).unwrap_or_default())?;
        for t in tags {
            self.store.tag(&id, t)?;
        }
        Ok(id)
    }

    /// Builds, storing the result (or, for a failed build, the dangling image of
    /// the last step that worked, as Docker's classic builder leaves it).
    pub fn build(
        &mut self,
        ctx: &build::context::BuildContext,
        opts: &BuildOptions,
        clock: &dyn Fn() -> f64,
        sink: &mut dyn FnMut(&Event),
        cancel: &dyn Fn() -> bool,
    ) -> Result<Built, Box<BuildFailure>> {
        let mut host = SessionHost { store: &mut self.store, clock, sink, cancel, executor: &mut self.executor };
        let result = self.engine.build(ctx, opts, &mut host);
        match result {
            Ok(built) => {
                if let Err(e) = self.store_image(&built.image, &opts.tags) {
                    let mut f = BuildFailure::from_message(format!("failed to solve: failed to export image: {e}"));
                    f.summary = built.summary.clone();
                    f.total = built.total;
                    return Err(Box::new(f));
                }
                Ok(built)
            }
            Err(f) => {
                if let Some(p) = &f.partial {
                    let _ = self.store_image(p, &[]);
                }
                Err(f)
            }
        }
    }

    /// Runs an image of the store as `docker run` would (on a copy of its filesystem).
    pub fn run(&mut self, reference: &str, opts: &RunOptions, limits: shell::ShellLimits) -> Result<RunOutcome, run::RunError> {
        let not_found = || run::RunError { message: format!("Unable to find image '{reference}' locally: the playground cannot pull images"), status: 125 };
        let id = self.store.resolve(reference).map_err(|_| not_found())?;
        let config = self.store.config(&id).map_err(|_| not_found())?;
        let mut fs = self.store.rootfs(&id).map_err(|e| run::RunError { message: e.to_string(), status: 125 })?;
        let c = &config.config;
        let cfg = ImageRunConfig {
            entrypoint: Some(c.entrypoint.clone()).filter(|v| !v.is_empty()),
            cmd: Some(c.cmd.clone()).filter(|v| !v.is_empty()),
            env: c.env.clone(),
            working_dir: c.working_dir.clone(),
            user: c.user.clone(),
        };
        let p = run::process(&cfg, opts, &|_| None)?;
        run::find_executable(&fs, &p)?;
        let id_user = build::users::resolve_user(&fs, &p.user).map_err(|m| run::RunError { message: m, status: 126 })?;
        let mut env = p.env.clone();
        if !env.iter().any(|(k, _)| k == "HOME") {
            env.push(("HOME".into(), id_user.home.clone()));
        }
        if !env.iter().any(|(k, _)| k == "HOSTNAME") {
            env.push(("HOSTNAME".into(), id.hex()[..12].to_string()));
        }
        if let Some(ex) = self.executor.as_mut() {
            // for real: the container's filesystem is thrown away afterwards (`--rm`)
            let req = crate::executor::ExecRequest {
                argv: p.argv.clone(),
                env,
                cwd: p.cwd.clone(),
                user: p.user.clone(),
                uid: id_user.uid,
                gid: id_user.gid,
                rootfs: fs,
                network: true,
                hostname: id.hex()[..12].to_string(),
            };
            let r = ex.run(&req).map_err(|e| run::RunError { message: e.to_string(), status: 125 })?;
            return Ok(RunOutcome { status: r.status, output: r.output, argv: p.argv });
        }
        let inv = shell::Invocation { argv: p.argv.clone(), env, cwd: p.cwd.clone(), uid: id_user.uid, gid: id_user.gid, stdin: Vec::new(), limits, clock: build::PLAYGROUND_EPOCH };
        let sim = crate::executor::Simulation::new();
        let o = shell::execute(&mut fs, &inv, &sim);
        if let Some(tool) = sim.deferred() {
            self.engine.deferred = Some(tool);
        }
        Ok(RunOutcome { status: o.status, output: o.output, argv: p.argv })
    }
}
