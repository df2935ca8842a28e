//! Builds every folder of `../shared/examples/` and checks every fact line of its
//! `expected.txt` (header, step, run-stdout, file, absent, config, cache, size, run).
//! `lint:` facts are checked in `tests/lint.rs`, `images:` facts in `tests/cli.rs`.

use crate::util;
use dfplay::build::context::BuildContext;
use dfplay::build::progress::{render_tty, Event};
use dfplay::build::{BuildOptions, Built, Engine, Host};
use dfplay::vfs::Vfs;
use std::path::Path;

/// A host with a fixed clock that records events.
#[derive(Default)]
pub struct TestHost {
    pub events: Vec<Event>,
}

impl Host for TestHost {
    fn now(&self) -> f64 {
        0.0
    }
    fn event(&mut self, e: &Event) {
        self.events.push(e.clone());
    }
}

pub fn build_dir(engine: &mut Engine, dir: &Path) -> (Result<Built, Box<dfplay::build::BuildFailure>>, TestHost) {
    let ctx = dfplay::host::load_context(dir, None).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    build_ctx(engine, &ctx)
}

pub fn build_ctx(engine: &mut Engine, ctx: &BuildContext) -> (Result<Built, Box<dfplay::build::BuildFailure>>, TestHost) {
    let mut host = TestHost::default();
    let r = engine.build(ctx, &BuildOptions { tags: vec!["example".into()], ..Default::default() }, &mut host);
    (r, host)
}

/// Whether a vertex name is a step line as `expected.txt` counts them: a
/// `[stage n/m]` step or `[internal] load build context`.
pub fn is_step(name: &str) -> bool {
    if name.starts_with("[internal]") {
        name == "[internal] load build context"
    } else {
        name.starts_with('[')
    }
}

/// Vertex names as the log shows them, without `CACHED `.
pub fn step_lines(b: &Built) -> Vec<String> {
    b.summary.vertices.iter().map(|v| v.name.clone()).filter(|n| is_step(n)).collect()
}

/// Runs the image's default command; returns (stdout, stderr, status).
pub fn run_image(b: &Built, args: &[&str]) -> (String, String, i32) {
    let cfg = dfplay::run::ImageRunConfig {
        entrypoint: Some(b.image.config.config.entrypoint.clone()).filter(|v| !v.is_empty()),
        cmd: Some(b.image.config.config.cmd.clone()).filter(|v| !v.is_empty()),
        env: b.image.config.config.env.clone(),
        working_dir: b.image.config.config.working_dir.clone(),
        user: b.image.config.config.user.clone(),
    };
    let opts = dfplay::run::RunOptions { args: args.iter().map(|s| s.to_string()).collect(), ..Default::default() };
    let p = dfplay::run::process(&cfg, &opts, &|_| None).expect("process");
    let mut fs = b.image.rootfs.clone();
    let inv = dfplay::shell::Invocation { argv: p.argv, env: p.env, cwd: p.cwd, uid: 0, gid: 0, stdin: vec![], limits: Default::default(), clock: 0 };
    let o = dfplay::shell::execute(&mut fs, &inv, &dfplay::executor::Simulation::new());
    (String::from_utf8_lossy(&o.stdout()).into_owned(), String::from_utf8_lossy(&o.stderr()).into_owned(), o.status)
}

fn unescape(s: &str) -> String {
    s.replace("\\n", "\n")
}

/// Splits `a; b; c` facts and drops `(explanations)`.
fn items(s: &str) -> Vec<String> {
    s.split("; ").map(|x| match x.find(" (") {
        Some(i) if x.trim_end().ends_with(')') => x[..i].trim().to_string(),
        _ => x.trim().to_string(),
    }).collect()
}

fn check_file(fs: &Vfs, ctx_dir: &Path, fact: &str) -> Result<(), String> {
    if let Some((p, rest)) = fact.split_once(" = ") {
        let got = fs.read(p).map_err(|e| format!("{p}: {e}"))?;
        let want = unescape(rest);
        return if got.as_slice() == want.as_bytes() { Ok(()) } else { Err(format!("{p}: got {:?}, want {want:?}", String::from_utf8_lossy(&got))) };
    }
    let (p, what) = fact.split_once(' ').ok_or_else(|| format!("unreadable fact {fact:?}"))?;
    match what {
        "exists" => fs.stat(p).map(|_| ()).map_err(|e| format!("{p} should exist: {e}")),
        "must NOT exist" => if fs.lstat(p.trim_end_matches('/')).is_ok() { Err(format!("{p} must not exist")) } else { Ok(()) },
        "exists and is executable" => {
            let st = fs.stat(p).map_err(|e| format!("{p}: {e}"))?;
            if st.meta.mode & 0o111 == 0o111 { Ok(()) } else { Err(format!("{p}: mode {:o} is not executable", st.meta.mode)) }
        }
        "equals the context file" => {
            let want = std::fs::read(ctx_dir.join(dfplay::vfs::path::basename(p))).map_err(|e| e.to_string())?;
            let got = fs.read(p).map_err(|e| format!("{p}: {e}"))?;
            if *got == want { Ok(()) } else { Err(format!("{p} differs from the context file")) }
        }
        other => Err(format!("unknown file fact {other:?} in {fact:?}")),
    }
}

fn check_config(b: &Built, fact: &str) -> Result<(), String> {
    let c = &b.image.config;
    let (field, want) = fact.split_once(' ').ok_or_else(|| format!("unreadable config fact {fact:?}"))?;
    let json = |v: &Vec<String>| serde_json::to_string(v).unwrap_or_default();
    match field {
        "ExposedPorts" => c.config.exposed_ports.contains_key(want).then_some(()).ok_or_else(|| format!("ExposedPorts {:?} lacks {want}", c.config.exposed_ports.keys().collect::<Vec<_>>())),
        "Cmd" => (json(&c.config.cmd) == want).then_some(()).ok_or_else(|| format!("Cmd is {}, want {want}", json(&c.config.cmd))),
        "Entrypoint" => (json(&c.config.entrypoint) == want).then_some(()).ok_or_else(|| format!("Entrypoint is {}, want {want}", json(&c.config.entrypoint))),
        "WorkingDir" => (c.config.working_dir == want).then_some(()).ok_or_else(|| format!("WorkingDir is {:?}, want {want}", c.config.working_dir)),
        "Author" => (c.author == want).then_some(()).ok_or_else(|| format!("Author is {:?}, want {want}", c.author)),
        "Labels" => {
            let (k, v) = want.split_once('=').ok_or("bad label fact")?;
            (c.config.labels.get(k).map(String::as_str) == Some(v)).then_some(()).ok_or_else(|| format!("Labels {:?} lack {want}", c.config.labels))
        }
        "Env" => {
            for kv in want.split(", ") {
                if !c.config.env.iter().any(|e| e == kv) {
                    return Err(format!("Env {:?} lacks {kv}", c.config.env));
                }
            }
            Ok(())
        }
        other => Err(format!("unknown config field {other}")),
    }
}

fn example_dirs() -> Option<Vec<std::path::PathBuf>> {
    let shared = util::shared()?;
    let mut dirs: Vec<_> = std::fs::read_dir(shared.join("examples")).ok()?.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.join("expected.txt").is_file()).collect();
    dirs.sort();
    Some(dirs)
}

/// Builds `dir` after replacing one file's contents; returns the build.
fn rebuild_with(engine: &mut Engine, dir: &Path, file: &str, extra: &str) -> Built {
    let mut ctx = dfplay::host::load_context(dir, None).expect("context");
    let old = ctx.files.read(&format!("/{file}")).expect("file").to_vec();
    let mut new = old.clone();
    new.extend_from_slice(extra.as_bytes());
    ctx.add_file(file, new, 0o644, 0).expect("edit");
    build_ctx(engine, &ctx).0.unwrap_or_else(|f| panic!("rebuild failed: {}", f.render()))
}

/// Fact lines of `expected.txt` that contradict the real base images of `bases.md`, with
/// the fact the real image gives. diamol/golang is golang:1.13 plus CGO_ENABLED=0, and
/// golang:1.13 ends with `WORKDIR /go`, so the seed's relative `WORKDIR web` resolves to
/// `/go/web` under Docker (expected.txt assumes `/`). The playground follows the real
/// image; a fixture that is fixed makes its entry here stale, and the test says so.
const CORRECTIONS: &[(&str, &str, &str)] = &[
    (
        "go-exercise-as-is",
        "config: WorkingDir /web; Env USER=sixeyed; Cmd [\"/web/server\"]; ExposedPorts 80/tcp",
        "config: WorkingDir /go/web; Env USER=sixeyed; Cmd [\"/web/server\"]; ExposedPorts 80/tcp",
    ),
    (
        "go-exercise-as-is",
        "file: /web/server exists; /web/index.html exists; /web/main.go exists",
        "file: /web/server exists; /go/web/index.html exists; /go/web/main.go exists",
    ),
];

/// The fact lines of an example after [`CORRECTIONS`]; a correction whose line is no
/// longer in the fixture is reported as stale.
fn corrected_facts(name: &str, expected: &str, failures: &mut Vec<String>) -> String {
    let mut text = expected.to_string();
    for (example, written, real) in CORRECTIONS.iter().filter(|c| c.0 == name) {
        if !text.lines().any(|l| l == *written) {
            failures.push(format!("{example}: stale correction, expected.txt no longer says {written:?}"));
        }
        text = text.replace(written, real);
    }
    text
}

#[test]
fn every_example_shows_its_facts() {
    let Some(dirs) = example_dirs() else { return };
    assert!(dirs.len() >= 11, "expected at least 11 examples, found {}", dirs.len());
    let mut failures = Vec::new();
    let mut sizes = std::collections::HashMap::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let expected = std::fs::read_to_string(dir.join("expected.txt")).unwrap();
        let expected = corrected_facts(&name, &expected, &mut failures);
        let mut engine = Engine::new();
        let (r, _) = build_dir(&mut engine, dir);
        let b = match r {
            Ok(b) => b,
            Err(f) => {
                failures.push(format!("{name}: build failed:\n{}", f.render()));
                continue;
            }
        };
        sizes.insert(name.clone(), b.image.size);
        let steps = step_lines(&b);
        let expected_steps: Vec<&str> = expected.lines().filter_map(|l| l.strip_prefix("step: ")).collect();
        let mut fail = |m: String| failures.push(format!("{name}: {m}"));
        for line in expected.lines() {
            let (kind, rest) = match line.split_once(": ") {
                Some(x) if !line.starts_with('#') => x,
                _ => continue,
            };
            match kind {
                "header" => {
                    let tty = render_tty(&b.summary, b.total, b.elapsed, true, 80);
                    if !tty.lines().next().unwrap_or("").contains(rest) {
                        fail(format!("header: want {rest:?}, got {:?}", tty.lines().next()));
                    }
                }
                "step" => {
                    if !steps.iter().any(|s| s == rest) {
                        fail(format!("step line missing: {rest:?}\n  got: {steps:#?}"));
                    }
                }
                "run-stdout" => {
                    let (out, err, status) = run_image(&b, &[]);
                    if out != unescape(rest) || status != 0 {
                        fail(format!("run: stdout {out:?} status {status} (stderr {err:?}), want {:?}", unescape(rest)));
                    }
                }
                "run" => {
                    // "with the host executor, `run go_helloworld` prints hello world": the simulation prints it too
                    let want = rest.rsplit(" prints ").next().unwrap_or("");
                    let (out, err, _) = run_image(&b, &[]);
                    if !out.contains(want) {
                        fail(format!("run: stdout {out:?} (stderr {err:?}) lacks {want:?}"));
                    }
                }
                "file" => {
                    for f in items(rest) {
                        if let Err(e) = check_file(&b.image.rootfs, dir, &f) {
                            fail(format!("file: {e}"));
                        }
                    }
                }
                "absent" => {
                    for p in items(rest) {
                        if b.image.rootfs.lstat(&p).is_ok() {
                            fail(format!("absent: {p} exists"));
                        }
                    }
                }
                "config" => {
                    for f in items(rest) {
                        if let Err(e) = check_config(&b, &f) {
                            fail(format!("config: {e}"));
                        }
                    }
                }
                "cache" => {
                    let file = rest.split("editing ").nth(1).and_then(|x| x.split(' ').next()).unwrap_or("");
                    let again = rebuild_with(&mut engine, dir, file, "<!-- edited -->\n");
                    let ran: Vec<String> = again.summary.vertices.iter().filter(|v| is_step(&v.name) && v.name != "[internal] load build context" && !v.cached && !v.name.contains("] FROM ")).map(|v| v.name.clone()).collect();
                    if rest.contains("the RUN go build step is rebuilt") {
                        if !ran.iter().any(|n| n.contains("RUN go build")) {
                            fail(format!("cache: RUN go build was not rebuilt; ran {ran:?}"));
                        }
                    } else if rest.contains("every builder step is CACHED") {
                        if ran.iter().any(|n| n.starts_with("[builder")) || ran.len() != 1 || !ran[0].ends_with(&format!("COPY {file} .")) {
                            fail(format!("cache: want only the COPY {file} step to run, ran {ran:?}"));
                        }
                    } else {
                        fail(format!("unknown cache fact {rest:?}"));
                    }
                }
                "size" | "images" | "lint" => {} // checked below / elsewhere
                other => fail(format!("unknown fact kind {other:?}")),
            }
        }
        // no other step lines than the expected ones
        if !expected_steps.is_empty() {
            for s in &steps {
                if !expected_steps.contains(&s.as_str()) {
                    failures.push(format!("{name}: unexpected step line {s:?}"));
                }
            }
        }
    }
    // size facts compare examples with each other
    let size = |n: &str| sizes.get(n).copied().unwrap_or(0);
    for (small, big) in [("go-exercise-to-be", "go-exercise-as-is"), ("go-helloworld-multi", "go-helloworld-single")] {
        if !(size(small) > 0 && size(small) * 10 < size(big)) {
            failures.push(format!("size: {small} ({}) should be far smaller than {big} ({})", size(small), size(big)));
        }
    }
    assert!(failures.is_empty(), "{} example facts failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn a_second_build_is_all_cached() {
    let Some(dirs) = example_dirs() else { return };
    for dir in dirs {
        let mut engine = Engine::new();
        let (first, _) = build_dir(&mut engine, &dir);
        let first = first.unwrap_or_else(|f| panic!("{}: {}", dir.display(), f.render()));
        let (second, _) = build_dir(&mut engine, &dir);
        let second = second.unwrap_or_else(|f| panic!("{}: {}", dir.display(), f.render()));
        assert_eq!(first.image.id, second.image.id, "{}: same input, same image ID", dir.display());
        let uncached: Vec<_> = second.summary.vertices.iter().filter(|v| is_step(&v.name) && v.name != "[internal] load build context" && !v.cached).map(|v| v.name.clone()).collect();
        assert!(uncached.is_empty(), "{}: not cached the second time: {uncached:?}", dir.display());
    }
}

#[test]
fn clean_builds_are_reproducible() {
    let Some(dirs) = example_dirs() else { return };
    for dir in dirs {
        let (a, _) = build_dir(&mut Engine::new(), &dir);
        let (b, _) = build_dir(&mut Engine::new(), &dir);
        let id = |r: Result<Built, Box<dfplay::build::BuildFailure>>| r.map(|b| b.image.id).unwrap_or_else(|f| panic!("{}: {}", dir.display(), f.render()));
        assert_eq!(id(a), id(b), "{}", dir.display());
    }
}
