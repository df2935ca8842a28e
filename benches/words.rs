//! Throughput of BuildKit-style word processing: typical instruction words, a long
//! line of substitutions, and pattern trimming on a large value.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use dfplay::words::Lexer;

fn typical_words() -> Vec<String> {
    let words = [
        "/usr/local/bin",
        "${APP_HOME:-/opt/app}/bin",
        "\"$HOME/.cache\" 'literal $x'",
        "${VERSION#v}",
        "app-${VERSION%%-*}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz",
        "${URL/http:/https:}",
        "he\\$PWD \\\"quoted\\\"",
        "8080/tcp",
    ];
    words.iter().cycle().take(4096).map(|w| w.to_string()).collect()
}

fn bench(c: &mut Criterion) {
    let lex = Lexer::default();
    let env = [
        ("HOME", "/root"),
        ("VERSION", "v1.2.3-rc1"),
        ("TARGETOS", "linux"),
        ("TARGETARCH", "amd64"),
        ("TARGETVARIANT", ""),
        ("URL", "http://example.com/x"),
        ("PWD", "/"),
    ];
    let words = typical_words();
    let bytes: usize = words.iter().map(String::len).sum();
    let mut g = c.benchmark_group("words");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("process_word typical", |b| {
        b.iter(|| {
            for w in &words {
                black_box(lex.process_word(black_box(w), &env).ok());
            }
        })
    });
    g.bench_function("process_words typical", |b| {
        b.iter(|| {
            for w in &words {
                black_box(lex.process_words(black_box(w), &env).ok());
            }
        })
    });
    let line = "a$HOME ${VERSION:-x} \"q\" ".repeat(40_000);
    g.throughput(Throughput::Bytes(line.len() as u64));
    g.bench_function("process_word 1 MiB line", |b| b.iter(|| black_box(lex.process_word(black_box(&line), &env).ok())));
    let big = "ab/".repeat(300_000);
    let big_env = [("BIG", big.as_str())];
    g.throughput(Throughput::Bytes(big.len() as u64));
    g.bench_function("${BIG%%/*} on 900 KiB", |b| {
        b.iter(|| black_box(lex.process_word(black_box("${BIG%%/*}"), &big_env).ok()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
