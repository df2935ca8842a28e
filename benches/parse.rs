//! Parse throughput of `dfplay::syntax::parse` (lossless tree, spans, diagnostics) side by
//! side with the `parse-dockerfile` crate, on the same corpus in the same run.
//!
//! The corpus: BuildKit's parser corpus and the seeds' example Dockerfiles from
//! `../shared` (or `$DFPLAY_SHARED`) when present, an embedded Dockerfile otherwise, plus
//! synthetic large Dockerfiles built from realistic instructions. Only files both parsers
//! accept are timed. Run with `cargo bench --bench parse`; criterion prints MiB/s, then an
//! interleaved run (the two parsers alternating, so load changes hit both) prints the
//! best and median MiB/s of each and their ratio.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use std::path::PathBuf;

/// Used when `../shared` is absent: a multi-stage Dockerfile in the style of the seeds.
const EMBEDDED: &str = r#"# syntax=docker/dockerfile:1
ARG GO_VERSION=1.22
FROM golang:${GO_VERSION} AS builder
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM alpine:3.19
LABEL org.opencontainers.image.title="app" maintainer="someone@example.com"
ENV APP_HOME=/app PORT=8080
RUN apk add --no-cache ca-certificates tzdata && \
    addgroup -S app && adduser -S app -G app
COPY --from=builder --chown=app:app /out/app /usr/local/bin/app
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["wget", "-qO-", "http://localhost:8080/health"]
USER app
ENTRYPOINT ["/usr/local/bin/app"]
CMD ["--port", "8080"]
"#;

fn shared() -> Option<PathBuf> {
    let p = std::env::var_os("DFPLAY_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    p.join("conformance").is_dir().then_some(p)
}

/// A large Dockerfile of realistic instructions (about `lines` lines).
fn synthetic(lines: usize, seed: usize) -> String {
    let mut s = String::from("# syntax=docker/dockerfile:1\nARG BASE=debian:bookworm-slim\n");
    let mut i = seed;
    while s.lines().count() < lines {
        i += 1;
        s.push_str(&format!("\nFROM ${{BASE}} AS stage{i}\n"));
        s.push_str("LABEL org.opencontainers.image.source=\"https://example.com/repo\" version=\"1.0\"\n");
        s.push_str(&format!("ENV APP_HOME=/srv/app{i} PATH=/srv/app{i}/bin:$PATH LANG=C.UTF-8\n"));
        s.push_str("RUN apt-get update \\\n    && apt-get install -y --no-install-recommends \\\n        ca-certificates curl git \\\n    && rm -rf /var/lib/apt/lists/*\n");
        s.push_str(&format!("WORKDIR /srv/app{i}\n"));
        s.push_str("COPY --chown=app:app --chmod=0644 requirements.txt setup.cfg ./\n");
        s.push_str("RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n");
        s.push_str(&format!("COPY --from=stage{} /srv /srv\n", i.saturating_sub(1).max(seed + 1)));
        s.push_str("RUN <<EOF\nset -e\necho building\nmake -j4 all\nEOF\n");
        s.push_str("EXPOSE 8080/tcp 9090\nVOLUME [\"/data\"]\nUSER app\n");
        s.push_str("HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD curl -fsS http://localhost:8080/ || exit 1\n");
        s.push_str("ENTRYPOINT [\"/srv/app/bin/server\", \"--config\", \"/etc/app.toml\"]\nCMD [\"--verbose\"]\n");
    }
    s
}

fn corpus() -> Vec<String> {
    let mut files = Vec::new();
    if let Some(shared) = shared() {
        let mut dirs = Vec::new();
        for sub in ["conformance/buildkit-parser", "conformance/buildkit-parser-line", "examples"] {
            let base = shared.join(sub);
            if base.join("Dockerfile").is_file() {
                dirs.push(base.clone());
            }
            if let Ok(rd) = std::fs::read_dir(&base) {
                dirs.extend(rd.filter_map(Result::ok).map(|e| e.path()));
            }
        }
        dirs.sort();
        for d in dirs {
            if let Ok(t) = std::fs::read_to_string(d.join("Dockerfile")) {
                files.push(t);
            }
        }
    } else {
        eprintln!("note: ../shared not found; benchmarking the embedded and synthetic corpus");
        files.push(EMBEDDED.to_owned());
    }
    for (i, n) in [200usize, 2_000, 20_000].iter().enumerate() {
        files.push(synthetic(*n, i * 1000));
    }
    // Time only what both parsers accept, so both do the same work.
    files.retain(|f| parse_dockerfile::parse(f).is_ok() && !dfplay::syntax::parse(f.as_bytes()).has_errors());
    files
}

fn bench(c: &mut Criterion) {
    let files = corpus();
    let bytes: usize = files.iter().map(String::len).sum();
    eprintln!("corpus: {} files, {} bytes ({:.2} MiB)", files.len(), bytes, bytes as f64 / (1 << 20) as f64);
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("dfplay::syntax::parse", |b| {
        b.iter(|| {
            for f in &files {
                black_box(dfplay::syntax::parse(black_box(f.as_bytes())));
            }
        })
    });
    g.bench_function("parse_dockerfile::parse", |b| {
        b.iter(|| {
            for f in &files {
                let _ = black_box(parse_dockerfile::parse(black_box(f)));
            }
        })
    });
    g.bench_function("dfplay parse + instructions::lower", |b| {
        b.iter(|| {
            for f in &files {
                let p = dfplay::syntax::parse(black_box(f.as_bytes()));
                black_box(dfplay::instructions::lower(&p.tree));
            }
        })
    });
    g.finish();
    interleaved(&files, bytes);
}

/// The two parsers timed in alternation (so a change in machine load hits both alike):
/// best and median MiB/s of each over the rounds, and their ratio.
fn interleaved(files: &[String], bytes: usize) {
    use std::time::Instant;
    let rounds = 60;
    let mut times = [Vec::with_capacity(rounds), Vec::with_capacity(rounds)];
    for _ in 0..rounds {
        let t = Instant::now();
        for f in files {
            black_box(dfplay::syntax::parse(black_box(f.as_bytes())));
        }
        times[0].push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        for f in files {
            let _ = black_box(parse_dockerfile::parse(black_box(f)));
        }
        times[1].push(t.elapsed().as_secs_f64());
    }
    let mib = |secs: f64| bytes as f64 / secs / (1 << 20) as f64;
    let mut summary = Vec::new();
    for (name, t) in ["dfplay::syntax::parse", "parse_dockerfile::parse"].iter().zip(times.iter_mut()) {
        t.sort_by(f64::total_cmp);
        let (best, median) = (mib(t[0]), mib(t[t.len() / 2]));
        eprintln!("interleaved {name:<24} best {best:7.1} MiB/s   median {median:7.1} MiB/s");
        summary.push(median);
    }
    eprintln!("interleaved ratio dfplay / parse-dockerfile (median): {:.2}", summary[0] / summary[1]);
}

criterion_group!(benches, bench);
criterion_main!(benches);
