//! Throughput of the shell's programs on a 10 000-line input: grep (BRE and
//! ERE), sed `s///g`, sort -n, wc, and a regex with back-references (the
//! backtracking path), each run as the shell runs it (a Ctx over a vfs).

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use dfplay::shell::proc::{Budget, Clock, Ctx, Input, Runner, Spawn, SpawnError};
use dfplay::shell::programs::lookup;
use dfplay::vfs::Vfs;

struct NoRunner;

impl Runner for NoRunner {
    fn run(&mut self, _req: Spawn<'_>) -> Result<i32, SpawnError> {
        Err(SpawnError::NotFound)
    }
}

fn input() -> Vec<u8> {
    let mut v = Vec::new();
    for i in 0..10_000u32 {
        v.extend_from_slice(format!("{i:05} GET /api/v1/items/{} HTTP/1.1 status={} user=alice{}\n", i * 7 % 1000, [200, 404, 500][i as usize % 3], i % 17).as_bytes());
    }
    v
}

fn run(fs: &mut Vfs, argv: &[&str], stdin: &[u8]) -> (i32, usize) {
    let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
    let prog = lookup(&argv[0]).expect("program");
    let mut input = Input::new(stdin.to_vec());
    let mut out: Vec<u8> = Vec::new();
    let mut err: Vec<u8> = Vec::new();
    let mut runner = NoRunner;
    let mut clock = Clock { now: 1_700_000_000 };
    let mut budget = Budget::new(u64::MAX / 2);
    let mut ctx = Ctx {
        fs,
        cwd: "/".into(),
        env: vec![],
        uid: 0,
        gid: 0,
        stdin: &mut input,
        stdout: &mut out,
        stderr: &mut err,
        runner: &mut runner,
        clock: &mut clock,
        budget: &mut budget,
    };
    let s = prog(&mut ctx, &argv);
    (s, out.len())
}

fn bench(c: &mut Criterion) {
    let data = input();
    let mut fs = Vfs::new();
    let mut g = c.benchmark_group("programs");
    g.throughput(Throughput::Bytes(data.len() as u64));
    let cases: &[(&str, &[&str])] = &[
        ("grep literal", &["grep", "status=404"]),
        ("grep -E alternation", &["grep", "-E", "user=alice(1|3)$|items/99[0-9] "]),
        ("grep -c bracket", &["grep", "-c", "[0-9][0-9]*5 GET"]),
        ("sed s///g", &["sed", "s/[0-9]/#/g"]),
        ("sed -E groups", &["sed", "-E", "s/^([0-9]+) (GET) (.*)$/\\2 \\1/"]),
        ("sort -n -k2", &["sort", "-t/", "-k5n"]),
        ("wc", &["wc"]),
        ("grep backref", &["grep", "-c", "\\(alice1\\)\\1"]),
    ];
    for (name, argv) in cases {
        g.bench_function(*name, |b| b.iter(|| black_box(run(&mut fs, argv, &data))));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
