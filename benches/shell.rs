//! The builtin shell side by side with real dash on the same script: a loop of
//! 100 000 iterations with arithmetic, a test and a file append. Prints both
//! times (median of several runs) and the ratio. Run with
//! `cargo bench --bench shell`; the goal is a ratio within 3× of dash.

use dfplay::shell::{self, Invocation, ShellLimits};
use dfplay::vfs::Vfs;
use std::process::Command;
use std::time::{Duration, Instant};

const SCRIPT: &str = "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); echo $i >> f; done";
const RUNS: usize = 5;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn script() -> String {
    std::env::var("SHELL_BENCH_SCRIPT").unwrap_or_else(|_| SCRIPT.to_string())
}

fn builtin_once() -> Duration {
    let mut fs = Vfs::new();
    fs.mkdir("/bin", 0o755).expect("mkdir");
    fs.mkdir("/work", 0o755).expect("mkdir");
    fs.write("/bin/sh", shell::proc::standin_executable("sh", "dash"), 0o755).expect("sh");
    let inv = Invocation {
        argv: vec!["/bin/sh".into(), "-c".into(), script()],
        env: vec![("PATH".into(), "/bin".into())],
        cwd: "/work".into(),
        uid: 0,
        gid: 0,
        stdin: Vec::new(),
        limits: ShellLimits::default(),
        clock: 0,
    };
    let t = Instant::now();
    let out = shell::execute(&mut fs, &inv, &shell::proc::NoNatives);
    let d = t.elapsed();
    assert_eq!(out.status, 0, "{:?}", String::from_utf8_lossy(&out.stderr()));
    if std::env::var("SHELL_BENCH_SCRIPT").is_err() {
        let f = fs.read("/work/f").expect("the loop wrote f");
        assert_eq!(f.len(), 588_895, "100000 numbers with newlines");
    }
    d
}

fn dash_once(dir: &std::path::Path) -> Option<Duration> {
    let _ = std::fs::remove_file(dir.join("f"));
    let t = Instant::now();
    let st = Command::new("/usr/bin/dash").arg("-c").arg(script()).current_dir(dir).status().ok()?;
    let d = t.elapsed();
    assert!(st.success());
    Some(d)
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` runs it once as a smoke test
    let quick = !std::env::args().any(|a| a == "--bench");
    let runs = if quick { 1 } else { RUNS };
    let ours = median((0..runs).map(|_| builtin_once()).collect());
    let dir = std::env::temp_dir().join(format!("dfplay-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let dash: Vec<Duration> = (0..runs).filter_map(|_| dash_once(&dir)).collect();
    let _ = std::fs::remove_dir_all(&dir);
    println!("shell loop benchmark: {}", script());
    println!("  builtin shell: {:>8.1} ms (median of {runs})", ours.as_secs_f64() * 1e3);
    if dash.is_empty() {
        println!("  dash:          not installed (scripts/test.sh installs it)");
        return;
    }
    let dash = median(dash);
    println!("  dash:          {:>8.1} ms (median of {runs}, process spawn included)", dash.as_secs_f64() * 1e3);
    println!("  ratio builtin/dash: {:.2}x (goal: within 3x)", ours.as_secs_f64() / dash.as_secs_f64());
}
