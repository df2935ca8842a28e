//! Speed of `lint::check`, which the page runs on every (debounced) keystroke: a typical
//! multi-stage Dockerfile, a large generated one (throughput), and a hostile fan-out of
//! stages built on one large stage.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use dfplay::lint::{check, LintOptions};

const TYPICAL: &str = r#"# syntax=docker/dockerfile:1
ARG GO_VERSION=1.22
FROM golang:${GO_VERSION} as builder
WORKDIR /src
ENV CGO_ENABLED=0
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o /out/app ./cmd/app

FROM alpine:3.19
MAINTAINER someone
LABEL org.opencontainers.image.source=https://example.com
RUN apk add --no-cache ca-certificates
COPY --from=builder /out/app /usr/local/bin/app
EXPOSE 8080/tcp
USER 65534
ENV APP_HOME=/srv PASSWORD=nope
WORKDIR $APP_HOME
CMD app --listen :8080
"#;

fn large() -> String {
    let mut s = String::from("ARG BASE=alpine\n");
    for i in 0..500 {
        s.push_str(&format!("FROM $BASE AS stage{i}\nARG V{i}=1\nENV E{i}=$V{i} P=$PATH\nWORKDIR /app/{i}\n"));
        s.push_str(&format!("COPY src/{i}/ ./\nRUN make -C /app/{i} \\\n    && echo done\nEXPOSE {}\nCMD [\"run\"]\n", 8000 + i));
    }
    s
}

fn fan_out() -> String {
    let mut s = String::from("FROM alpine AS base\n");
    for i in 0..2_000 {
        s.push_str(&format!("ENV E{i}=1\n"));
    }
    for _ in 0..2_000 {
        s.push_str("FROM base\nCOPY $UNDEFINED /x\n");
    }
    s
}

fn bench(c: &mut Criterion) {
    let options = LintOptions::default();
    let mut g = c.benchmark_group("lint");
    g.throughput(Throughput::Bytes(TYPICAL.len() as u64));
    g.bench_function("typical", |b| b.iter(|| black_box(check(black_box(TYPICAL.as_bytes()), &options))));
    let large = large();
    g.throughput(Throughput::Bytes(large.len() as u64));
    g.bench_function("large (500 stages)", |b| b.iter(|| black_box(check(black_box(large.as_bytes()), &options))));
    let fan = fan_out();
    g.throughput(Throughput::Bytes(fan.len() as u64));
    g.sample_size(10);
    g.bench_function("hostile fan-out", |b| b.iter(|| black_box(check(black_box(fan.as_bytes()), &options))));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
