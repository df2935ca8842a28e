//! Cold and fully-cached builds of the multi-stage and image-gallery examples
//! (issue goal: under 5 ms cold and under 1 ms cached, natively), and of
//! apache-web, the heaviest gallery example (a 41 MB `apt-get update` layer).
//!
//! "cold" is a new engine with an empty store: every step runs. "first in process"
//! is a cold build that also starts with empty [`dfplay::memo`]s, so the simulated
//! toolchains' large outputs are made and hashed again, as in a new process's (a
//! new page's) first build; only the stand-in base images stay made. Reads the
//! examples from `../shared/examples` (or `$DFPLAY_SHARED`), else from the page's
//! gallery copies in `www/examples`.

use criterion::{criterion_group, criterion_main, Criterion};
use dfplay::build::progress::Event;
use dfplay::build::{BuildOptions, Engine, Host};
use std::path::PathBuf;

struct Quiet;

impl Host for Quiet {
    fn now(&self) -> f64 {
        0.0
    }
    fn event(&mut self, _e: &Event) {}
}

fn example(name: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = std::env::var_os("DFPLAY_SHARED").map(PathBuf::from).unwrap_or_else(|| root.join("../shared"));
    let p = shared.join("examples").join(name);
    if p.is_dir() {
        p
    } else {
        root.join("www/examples").join(name)
    }
}

fn bench(c: &mut Criterion) {
    for name in ["multi-stage", "image-gallery", "apache-web"] {
        let ctx = dfplay::host::load_context(&example(name), None).expect("example context");
        let opts = BuildOptions::default();
        // warm the process-wide stand-in memo once, as a page session would have it
        Engine::new().build(&ctx, &opts, &mut Quiet).expect("builds");
        c.bench_function(&format!("build {name} cold"), |b| {
            b.iter(|| {
                let mut e = Engine::new();
                e.build(&ctx, &opts, &mut Quiet).expect("builds")
            })
        });
        c.bench_function(&format!("build {name} cold, first in process"), |b| {
            b.iter(|| {
                dfplay::memo::clear();
                let mut e = Engine::new();
                e.build(&ctx, &opts, &mut Quiet).expect("builds")
            })
        });
        let mut warm = Engine::new();
        warm.build(&ctx, &opts, &mut Quiet).expect("builds");
        c.bench_function(&format!("build {name} cached"), |b| b.iter(|| warm.build(&ctx, &opts, &mut Quiet).expect("builds")));
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
