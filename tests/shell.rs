//! The builtin shell against real dash.
//!
//! Every script under `tests/shell/*.sh` runs twice: by `/usr/bin/dash` (as
//! `/bin/sh -c SCRIPT`) in a fresh temporary directory `T/work`, and by
//! `dfplay::shell::execute` (`["/bin/sh", "-c", SCRIPT]`) on a vfs whose
//! `/work` is the working directory. Both get the same environment (PATH of
//! `usr/bin` and `bin` under their root, HOME, LC_ALL=C) and the same
//! programs on PATH: on the vfs, stand-in executables for every name in
//! `shell::programs::NAMES` (symlinks to a `busybox` stand-in, as the bases
//! do) plus `sh`, `dash`, `bash`; for dash, symlinks to the host's programs
//! (GNU coreutils, which the programs follow; busybox where Debian has none)
//! and to dash for the shells. stdout, stderr (with `T` removed from dash's), the exit status and
//! the file tree under `work/` (paths, types, modes, contents) must be equal.
//!
//! A file holds one case, or several separated by lines `#### name`.
//! Directives are comment lines in a case:
//! - `#@ needs: cat sed` — programs the case runs; while one of them is not in
//!   `programs::NAMES` yet the case is a known gap.
//! - `#@ gap: reason` — a known difference, listed by the test; a gap case
//!   that starts passing fails the test (remove the mark).
//! - `#@ stdin: text` — standard input (`\n` for newlines).
//!
//! `SHELL_CASE=substring` runs only the matching cases; `SHELL_SHOW=1` prints
//! both sides of every case.

use crate::util::root;
use dfplay::shell::{self, Invocation, ShellLimits};
use dfplay::vfs::{Node, Vfs};
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DASH: &str = "/usr/bin/dash";
const BUSYBOX: &str = "/bin/busybox";

/// One script to compare.
#[derive(Clone, Debug)]
pub struct Case {
    pub name: String,
    pub script: String,
    pub needs: Vec<String>,
    pub gap: Option<String>,
    pub stdin: Vec<u8>,
}

/// What one side did.
#[derive(Debug, PartialEq, Eq, Clone)]
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
    pub tree: Vec<String>,
}

pub fn parse_cases(file: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut cases = Vec::new();
    let mut cur: Option<(String, String)> = None;
    let has_sep = text.lines().any(|l| l.starts_with("#### "));
    if !has_sep {
        cases.push(make_case(stem.clone(), text));
        return cases;
    }
    for line in text.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix("#### ") {
            if let Some((n, s)) = cur.take() {
                cases.push(make_case(n, s));
            }
            cur = Some((format!("{stem}/{}", name.trim()), String::new()));
        } else if let Some((_, s)) = cur.as_mut() {
            s.push_str(line);
        }
    }
    if let Some((n, s)) = cur.take() {
        cases.push(make_case(n, s));
    }
    cases
}

fn make_case(name: String, script: String) -> Case {
    let mut needs = Vec::new();
    let mut gap = None;
    let mut stdin = Vec::new();
    for line in script.lines() {
        if let Some(rest) = line.strip_prefix("#@ needs:") {
            needs.extend(rest.split_whitespace().map(str::to_string));
        } else if let Some(rest) = line.strip_prefix("#@ gap:") {
            gap = Some(rest.trim().to_string());
        } else if let Some(rest) = line.strip_prefix("#@ stdin:") {
            stdin = rest.trim_start().replace("\\n", "\n").into_bytes();
        }
    }
    Case { name, script, needs, gap, stdin }
}

pub fn all_cases() -> Vec<Case> {
    let dir = root().join("tests/shell");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "sh")).collect())
        .unwrap_or_default();
    files.sort();
    files.iter().flat_map(|f| parse_cases(f)).collect()
}

/// Programs both sides have on PATH.
fn program_names() -> Vec<&'static str> {
    let mut v: Vec<&str> = shell::programs::NAMES.to_vec();
    v.sort();
    v.dedup();
    v.retain(|n| !matches!(*n, "sh" | "dash" | "bash" | "ash" | "busybox"));
    v
}

fn proc_status_field(field: &str) -> Option<String> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines().find_map(|l| l.strip_prefix(field).map(|v| v.trim().to_string()))
}

fn my_uid() -> u32 {
    proc_status_field("Uid:").and_then(|v| v.split_whitespace().next().and_then(|x| x.parse().ok())).unwrap_or(0)
}

fn my_gid() -> u32 {
    proc_status_field("Gid:").and_then(|v| v.split_whitespace().next().and_then(|x| x.parse().ok())).unwrap_or(0)
}

static TMP_COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A fresh temporary root for dash.
fn temp_root() -> PathBuf {
    let n = TMP_COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let p = std::env::temp_dir().join(format!("dfplay-shell-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).expect("temp dir");
    p
}

/// The host program dash runs for `name`: the Debian (GNU) one, as the
/// programs follow coreutils, or busybox's where Debian has none.
fn host_program(name: &str, applets: &[String]) -> String {
    for dir in ["/usr/bin", "/bin", "/usr/sbin", "/sbin"] {
        let p = format!("{dir}/{name}");
        if Path::new(&p).exists() {
            return p;
        }
    }
    if applets.iter().any(|a| a == name) {
        return BUSYBOX.to_string();
    }
    format!("/nonexistent/{name}")
}

fn busybox_applets() -> &'static [String] {
    static APPLETS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    APPLETS.get_or_init(|| {
        Command::new(BUSYBOX).arg("--list").output().map(|o| String::from_utf8_lossy(&o.stdout).lines().map(str::to_string).collect()).unwrap_or_default()
    })
}

/// The directory of programs dash gets on PATH, made once per test run.
fn shared_bin() -> &'static Path {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let b = std::env::temp_dir().join(format!("dfplay-shell-bin-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&b);
        std::fs::create_dir_all(&b).expect("bin dir");
        for sh in ["sh", "dash", "bash"] {
            let _ = std::os::unix::fs::symlink(DASH, b.join(sh));
        }
        let applets = busybox_applets();
        for name in program_names() {
            let _ = std::os::unix::fs::symlink(host_program(name, applets), b.join(name));
        }
        b
    })
}

/// Runs the case with real dash.
pub fn run_dash(case: &Case) -> Run {
    let t = temp_root();
    for d in ["work", "home", "usr"] {
        std::fs::create_dir_all(t.join(d)).expect("mkdir");
    }
    let bin = shared_bin();
    std::os::unix::fs::symlink(bin, t.join("bin")).expect("bin link");
    std::os::unix::fs::symlink(bin, t.join("usr/bin")).expect("usr/bin link");
    let ts = t.to_string_lossy().into_owned();
    let mut child = Command::new(DASH)
        .arg0("/bin/sh")
        .arg("-c")
        .arg(&case.script)
        .current_dir(t.join("work"))
        .env_clear()
        .env("PATH", format!("{ts}/usr/bin:{ts}/bin"))
        .env("HOME", format!("{ts}/home"))
        .env("LC_ALL", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dash (installed by scripts/test.sh)");
    if let Some(mut si) = child.stdin.take() {
        use std::io::Write;
        let data = case.stdin.clone();
        std::thread::spawn(move || {
            let _ = si.write_all(&data);
        });
    }
    let out_pipe = child.stdout.take();
    let err_pipe = child.stderr.take();
    let out_h = std::thread::spawn(move || {
        let mut v = Vec::new();
        if let Some(mut p) = out_pipe {
            use std::io::Read;
            let _ = p.read_to_end(&mut v);
        }
        v
    });
    let err_h = std::thread::spawn(move || {
        let mut v = Vec::new();
        if let Some(mut p) = err_pipe {
            use std::io::Read;
            let _ = p.read_to_end(&mut v);
        }
        v
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s.code().unwrap_or(128 + 9),
            Ok(None) if start.elapsed() > Duration::from_secs(20) => {
                let _ = child.kill();
                let _ = child.wait();
                break -1;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(_) => break -1,
        }
    };
    let stdout = out_h.join().unwrap_or_default();
    let stderr = err_h.join().unwrap_or_default();
    let norm = |b: Vec<u8>| String::from_utf8_lossy(&b).replace(&ts, "");
    let tree = host_tree(&t.join("work"));
    let _ = std::fs::remove_dir_all(&t);
    Run { stdout: norm(stdout), stderr: norm(stderr), status, tree }
}

fn host_tree(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(dir: &Path, rel: &str, out: &mut Vec<String>) {
        let mut entries: Vec<_> = match std::fs::read_dir(dir) {
            Ok(rd) => rd.filter_map(|e| e.ok()).collect(),
            Err(_) => return,
        };
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            let p = e.path();
            let r = format!("{rel}/{name}");
            let Ok(md) = std::fs::symlink_metadata(&p) else { continue };
            let mode = md.mode() & 0o7777;
            if md.file_type().is_symlink() {
                let target = std::fs::read_link(&p).map(|t| t.to_string_lossy().into_owned()).unwrap_or_default();
                out.push(format!("{r} -> {target}"));
            } else if md.is_dir() {
                out.push(format!("{r}/ {mode:o}"));
                walk(&p, &r, out);
            } else {
                let data = std::fs::read(&p).unwrap_or_default();
                out.push(format!("{r} {mode:o} {}", describe_bytes(&data)));
            }
        }
    }
    walk(root, "", &mut out);
    out
}

fn describe_bytes(data: &[u8]) -> String {
    if data.len() <= 200 {
        format!("{:?}", String::from_utf8_lossy(data))
    } else {
        use sha2::Digest;
        let h = sha2::Sha256::digest(data);
        format!("{} bytes sha256:{}", data.len(), h.iter().map(|b| format!("{b:02x}")).collect::<String>())
    }
}

/// The vfs fixture: stand-ins on PATH, `/work`, `/home` (built once, cloned).
pub fn fixture() -> Vfs {
    static FS: std::sync::OnceLock<Vfs> = std::sync::OnceLock::new();
    FS.get_or_init(build_fixture).clone()
}

fn build_fixture() -> Vfs {
    let mut fs = Vfs::new();
    let uid = my_uid();
    let gid = my_gid();
    for d in ["/bin", "/usr", "/usr/bin", "/work", "/home", "/tmp"] {
        fs.mkdir(d, 0o755).expect("mkdir");
    }
    for dir in ["/bin", "/usr/bin"] {
        for sh in ["sh", "dash", "bash"] {
            fs.write(&format!("{dir}/{sh}"), shell::proc::standin_executable(sh, "dash"), 0o755).expect("standin");
        }
        fs.write(&format!("{dir}/busybox"), shell::proc::standin_executable("busybox", "busybox"), 0o755).expect("busybox");
        for name in program_names() {
            fs.symlink("busybox", &format!("{dir}/{name}")).expect("symlink");
        }
    }
    for (p, _) in fs.walk("/work").unwrap_or_default() {
        let _ = fs.chown(&p, uid, gid, false);
    }
    let _ = fs.chown("/work", uid, gid, false);
    let _ = fs.chown("/home", uid, gid, false);
    fs
}

/// Runs the case with the builtin shell.
pub fn run_builtin(case: &Case) -> Run {
    let mut fs = fixture();
    let inv = Invocation {
        argv: vec!["/bin/sh".into(), "-c".into(), case.script.clone()],
        env: vec![("PATH".into(), "/usr/bin:/bin".into()), ("HOME".into(), "/home".into()), ("LC_ALL".into(), "C".into())],
        cwd: "/work".into(),
        uid: my_uid(),
        gid: my_gid(),
        stdin: case.stdin.clone(),
        limits: ShellLimits::default(),
        clock: 1_700_000_000,
    };
    let out = shell::execute(&mut fs, &inv, &shell::proc::NoNatives);
    Run {
        stdout: String::from_utf8_lossy(&out.stdout()).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr()).into_owned(),
        status: out.status,
        tree: vfs_tree(&fs, "/work"),
    }
}

fn vfs_tree(fs: &Vfs, root: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (p, node) in fs.walk(root).unwrap_or_default().into_iter().skip(1) {
        let r = p.strip_prefix(root).unwrap_or(&p).to_string();
        let mode = node.meta().mode & 0o7777;
        match &node {
            Node::Symlink(s) => out.push(format!("{r} -> {}", s.target)),
            Node::Dir(_) => out.push(format!("{r}/ {mode:o}")),
            Node::File(f) => out.push(format!("{r} {mode:o} {}", describe_bytes(&f.data))),
        }
    }
    out
}

fn missing_needs(case: &Case) -> Vec<String> {
    let names = shell::programs::NAMES;
    case.needs.iter().filter(|n| !names.contains(&n.as_str())).cloned().collect()
}

fn diff_report(case: &Case, dash: &Run, ours: &Run) -> String {
    let mut s = format!("=== {}\n--- script\n{}\n", case.name, case.script.trim_end());
    if dash.stdout != ours.stdout {
        s.push_str(&format!("--- stdout (dash)\n{}\n--- stdout (builtin)\n{}\n", dash.stdout, ours.stdout));
    }
    if dash.stderr != ours.stderr {
        s.push_str(&format!("--- stderr (dash)\n{}\n--- stderr (builtin)\n{}\n", dash.stderr, ours.stderr));
    }
    if dash.status != ours.status {
        s.push_str(&format!("--- status: dash {} builtin {}\n", dash.status, ours.status));
    }
    if dash.tree != ours.tree {
        s.push_str(&format!("--- tree (dash)\n{}\n--- tree (builtin)\n{}\n", dash.tree.join("\n"), ours.tree.join("\n")));
    }
    s
}

pub fn dash_available() -> bool {
    Path::new(DASH).exists()
}

fn check_umask() {
    let m = proc_status_field("Umask:").unwrap_or_else(|| "0022".into());
    assert_eq!(m, "0022", "the shell suite compares file modes and needs umask 022 (got {m})");
}

#[test]
fn scripts_match_dash() {
    if !dash_available() {
        panic!("{DASH} is missing: run scripts/test.sh (it installs dash)");
    }
    check_umask();
    let filter = std::env::var("SHELL_CASE").ok();
    let show = std::env::var("SHELL_SHOW").is_ok();
    let cases: Vec<Case> = all_cases().into_iter().filter(|c| filter.as_ref().is_none_or(|f| c.name.contains(f.as_str()))).collect();
    assert!(filter.is_some() || cases.len() >= 300, "expected at least 300 cases, found {}", cases.len());
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).min(4);
    let chunks: Vec<Vec<Case>> = (0..workers).map(|w| cases.iter().skip(w).step_by(workers).cloned().collect()).collect();
    let results: Vec<(Case, Run, Run)> = std::thread::scope(|s| {
        let hs: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .into_iter()
                        .map(|c| {
                            let t0 = Instant::now();
                            let d = run_dash(&c);
                            let t1 = Instant::now();
                            let b = run_builtin(&c);
                            let t2 = Instant::now();
                            if t2 - t0 > Duration::from_millis(1500) {
                                eprintln!("slow case {}: dash {:?}, builtin {:?}", c.name, t1 - t0, t2 - t1);
                            }
                            (c, d, b)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        hs.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    });
    let mut failures = Vec::new();
    let mut gaps = Vec::new();
    let mut fixed = Vec::new();
    let mut passed = 0;
    for (case, dash, ours) in &results {
        let same = dash == ours;
        if show {
            eprintln!("{}", diff_report(case, dash, ours));
            eprintln!("dash: {dash:?}\nours: {ours:?}\n");
        }
        let missing = missing_needs(case);
        if !missing.is_empty() {
            // both sides lack the program: the case cannot test what it is for yet
            gaps.push(format!("{}: needs {} (not in programs::NAMES yet)", case.name, missing.join(", ")));
            continue;
        }
        match (same, case.gap.clone()) {
            (true, None) => passed += 1,
            (true, Some(r)) => fixed.push(format!("{} (was: {r})", case.name)),
            (false, Some(r)) => gaps.push(format!("{}: {r}", case.name)),
            (false, None) => failures.push(diff_report(case, dash, ours)),
        }
    }
    eprintln!("shell differential suite: {} cases, {passed} equal to dash, {} known gaps, {} failures", results.len(), gaps.len(), failures.len());
    if !gaps.is_empty() {
        eprintln!("KNOWN GAPS ({}):", gaps.len());
        for g in &gaps {
            eprintln!("  - {g}");
        }
    }
    if !fixed.is_empty() {
        panic!("known gaps that now pass (remove their `#@ gap` line):\n  {}", fixed.join("\n  "));
    }
    if !failures.is_empty() {
        panic!("{} of {} cases differ from dash:\n{}", failures.len(), results.len(), failures.join("\n"));
    }
}

// ----- limits ---------------------------------------------------------------------------

/// A tiny `yes` for the limit tests (the real one comes with the programs).
fn test_yes(ctx: &mut shell::proc::Ctx<'_>, argv: &[String]) -> i32 {
    let word = if argv.len() > 1 { argv[1..].join(" ") } else { "y".to_string() };
    let line = format!("{word}\n");
    let block: Vec<u8> = line.as_bytes().iter().copied().cycle().take(line.len() * (8192 / line.len().max(1)).max(1)).collect();
    loop {
        if !ctx.budget.charge(1) {
            return 137;
        }
        match ctx.out(&block) {
            Ok(()) => {}
            Err(shell::proc::WriteError::BrokenPipe) => return 141,
            Err(shell::proc::WriteError::Limit) => return 1,
        }
    }
}

struct TestNatives;
impl shell::proc::Natives for TestNatives {
    fn lookup(&self, name: &str) -> Option<shell::proc::Program> {
        match name {
            "yes" => Some(test_yes),
            _ => None,
        }
    }
}

fn limits_fs() -> Vfs {
    let mut fs = Vfs::new().with_limits(dfplay::vfs::Limits { max_bytes: 8 << 20, max_nodes: 10_000 });
    for d in ["/bin", "/work"] {
        fs.mkdir(d, 0o755).expect("mkdir");
    }
    for sh in ["sh", "bash"] {
        fs.write(&format!("/bin/{sh}"), shell::proc::standin_executable(sh, "dash"), 0o755).expect("sh");
    }
    fs.write("/bin/yes", shell::proc::standin_executable("yes", "test yes"), 0o755).expect("yes");
    fs
}

fn run_limited(argv: &[&str]) -> (shell::Outcome, Duration) {
    let mut fs = limits_fs();
    let inv = Invocation {
        argv: argv.iter().map(|s| s.to_string()).collect(),
        env: vec![("PATH".into(), "/bin".into())],
        cwd: "/work".into(),
        uid: 0,
        gid: 0,
        stdin: Vec::new(),
        limits: ShellLimits::default(),
        clock: 0,
    };
    let t = Instant::now();
    let out = shell::execute(&mut fs, &inv, &TestNatives);
    (out, t.elapsed())
}

fn assert_limit(out: &shell::Outcome, kind: shell::LimitKind, words: &str) {
    let hit = out.limit.as_ref().unwrap_or_else(|| panic!("no limit reported; status {} stderr {:?}", out.status, String::from_utf8_lossy(&out.stderr())));
    assert_eq!(hit.kind, kind, "limit kind: {}", hit.message);
    assert!(hit.message.contains(words), "message {:?} should name the limit ({words})", hit.message);
    assert!(String::from_utf8_lossy(&out.stderr()).contains(&hit.message), "the message is shown on stderr");
    assert_eq!(out.status, shell::LIMIT_STATUS);
}

#[test]
fn endless_loop_stops_at_the_step_limit() {
    let (out, _) = run_limited(&["/bin/sh", "-c", "while :; do :; done"]);
    assert_limit(&out, shell::LimitKind::Steps, "step limit");
}

#[test]
fn fork_bomb_stops_at_the_recursion_limit() {
    // dash refuses `:` as a function name; bash accepts it
    let (out, _) = run_limited(&["/bin/bash", "-c", ":(){ :|:& };:"]);
    assert_limit(&out, shell::LimitKind::Depth, "recursion limit");
    let (out, _) = run_limited(&["/bin/sh", "-c", "f(){ f|f& };f"]);
    assert_limit(&out, shell::LimitKind::Depth, "recursion limit");
    let (out, _) = run_limited(&["/bin/sh", "-c", ":(){ :|:& };:"]);
    assert!(out.limit.is_none());
    assert_eq!(String::from_utf8_lossy(&out.stderr()), "/bin/sh: 1: Syntax error: Bad function name\n");
}

#[test]
fn yes_into_a_file_stops_at_the_filesystem_limit() {
    let (out, _) = run_limited(&["/bin/sh", "-c", "yes > /f"]);
    assert_limit(&out, shell::LimitKind::FileSystem, "filesystem limit");
}

#[test]
fn yes_to_the_log_stops_at_the_output_limit() {
    let (out, _) = run_limited(&["/bin/sh", "-c", "yes"]);
    assert_limit(&out, shell::LimitKind::Output, "output limit");
}

#[test]
fn yes_into_a_pipe_gets_a_broken_pipe() {
    let (out, _) = run_limited(&["/bin/sh", "-c", "yes | { read a; echo \"$a\"; }; echo done"]);
    assert!(out.limit.is_none(), "{:?}", out.limit);
    assert_eq!(String::from_utf8_lossy(&out.stdout()), "y\ndone\n");
}

#[test]
fn deep_recursion_stops_at_the_recursion_limit() {
    let (out, _) = run_limited(&["/bin/sh", "-c", "f() { f; }; f"]);
    assert_limit(&out, shell::LimitKind::Depth, "recursion limit");
    let (out, _) = run_limited(&["/bin/sh", "-c", "x='eval \"$x\"'; eval \"$x\""]);
    assert_limit(&out, shell::LimitKind::Depth, "recursion limit");
    let (out, _) = run_limited(&["/bin/sh", "-c", "f() { sh -c f; (f); }; f"]);
    assert!(out.status != 0);
}

#[test]
fn command_substitution_output_is_capped() {
    let (out, _) = run_limited(&["/bin/sh", "-c", "x=$(yes)"]);
    assert_limit(&out, shell::LimitKind::Capture, "command substitution");
}

/// The wasm build has a 1 MiB stack: the deepest scripts the limits allow must fit.
#[test]
fn deepest_scripts_fit_a_small_stack() {
    let scripts = [
        "f() { f; }; f",
        "f(){ f|f& };f",
        "f() { x=$(f); }; f",
        "f() { (f); }; f",
        "f() { eval f; }; f",
        "f() { sh -c f; }; f",
        "f() { if true; then while true; do case x in x) { f; };; esac; done; fi; }; f",
    ];
    for s in scripts {
        let s = s.to_string();
        let r = std::thread::Builder::new().stack_size(1 << 20).spawn(move || run_limited(&["/bin/sh", "-c", &s]).0).expect("thread").join();
        let out = r.expect("no stack overflow");
        assert!(out.limit.is_some() || out.status != 0, "{out:?}");
    }
    let deep_parse = format!("echo {}x{}", "$(".repeat(150), ")".repeat(150));
    let deep_arith = format!("echo $(({}1{}))", "(".repeat(150), ")".repeat(150));
    for s in [deep_parse, deep_arith] {
        let r = std::thread::Builder::new().stack_size(1 << 20).spawn(move || run_limited(&["/bin/sh", "-c", &s]).0).expect("thread").join();
        assert!(r.is_ok(), "no stack overflow");
    }
}

// ----- randomised ----------------------------------------------------------------------

mod random {
    //! Scripts generated from the grammar the shell supports (arithmetic,
    //! quoting, expansions, control flow, functions, redirections to files),
    //! each run by dash and by the builtin shell and compared like the suite's
    //! scripts. A fixed seed and case count keep it reproducible and quick
    //! (`PROPTEST_RNG_SEED` / `PROPTEST_CASES` change them).
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed};

    fn var() -> impl Strategy<Value = String> {
        prop::sample::select(vec!["a", "b", "c"]).prop_map(str::to_string)
    }

    fn arith() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![(0i64..40).prop_map(|n| n.to_string()), var(), var().prop_map(|v| format!("${v}")),];
        leaf.prop_recursive(3, 12, 2, |inner| {
            let ops = prop::sample::select(vec!["+", "-", "*", "/", "%", "<<", ">>", "<", "<=", ">", ">=", "==", "!=", "&", "|", "^", "&&", "||"]);
            prop_oneof![
                (inner.clone(), ops, inner.clone()).prop_map(|(a, o, b)| format!("({a} {o} {b})")),
                (prop::sample::select(vec!["-", "!", "~", "+"]), inner.clone()).prop_map(|(o, a)| format!("{o}{a}")),
                (inner.clone(), inner.clone(), inner.clone()).prop_map(|(c, a, b)| format!("({c} ? {a} : {b})")),
                (var(), prop::sample::select(vec!["=", "+=", "-=", "*="]), inner).prop_map(|(v, o, a)| format!("({v} {o} {a})")),
            ]
        })
    }

    fn literal() -> impl Strategy<Value = String> {
        "[a-z0-9_.:=-]{1,5}"
    }

    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            literal(),
            "[a-z $*?#{}|;&<>()\\\\\"-]{0,6}".prop_map(|s| format!("'{s}'")),
            (literal(), var()).prop_map(|(l, v)| format!("\"{l} ${v} x\"")),
            var().prop_map(|v| format!("${v}")),
            var().prop_map(|v| format!("\"${v}\"")),
            (var(), literal()).prop_map(|(v, l)| format!("${{{v}:-{l}}}")),
            (var(), literal()).prop_map(|(v, l)| format!("${{{v}:+{l}}}")),
            var().prop_map(|v| format!("${{#{v}}}")),
            (var(), prop::sample::select(vec!["#", "##", "%", "%%"]), prop::sample::select(vec!["?", "*", "1", "a*", "*0", "[0-9]"]))
                .prop_map(|(v, o, p)| format!("${{{v}{o}{p}}}")),
            arith().prop_map(|a| format!("$(({a}))")),
            literal().prop_map(|l| format!("$(echo {l})")),
            prop::sample::select(vec!["\\$", "\\\\", "\\\"", "\\'", "\\ ", "$@", "\"$@\"", "$#", "$*", "\"$*\""]).prop_map(str::to_string),
        ]
    }

    fn word() -> impl Strategy<Value = String> {
        prop::collection::vec(fragment(), 1..3).prop_map(|v| v.concat())
    }

    fn words() -> impl Strategy<Value = String> {
        prop::collection::vec(word(), 0..4).prop_map(|v| v.join(" "))
    }

    fn command() -> impl Strategy<Value = String> {
        let simple = prop_oneof![
            (var(), word()).prop_map(|(v, w)| format!("{v}={w}")),
            (var(), arith()).prop_map(|(v, a)| format!("{v}=$(({a}))")),
            words().prop_map(|w| format!("echo {w}")),
            words().prop_map(|w| format!("printf '[%s]' {w}; echo")),
            words().prop_map(|w| format!("set -- {w}; echo \"$#\" \"$@\"")),
            words().prop_map(|w| format!("echo {w} > f1")),
            words().prop_map(|w| format!("echo {w} >> f1")),
            Just(": >> f1; while read -r l; do echo \"<$l>\"; done < f1".to_string()),
            (var(), var()).prop_map(|(x, y)| format!("[ \"${x}\" = \"${y}\" ]; echo $?")),
            (var(), 0i64..30).prop_map(|(x, n)| format!("[ \"${{{x}:-0}}\" -lt {n} ] 2>/dev/null; echo $?")),
            Just("echo $?".to_string()),
        ];
        simple.prop_recursive(2, 16, 3, |inner| {
            let body = prop::collection::vec(inner.clone(), 1..3).prop_map(|v| v.join("; "));
            prop_oneof![
                (var(), 0i64..20, body.clone(), body.clone())
                    .prop_map(|(v, n, t, e)| format!("if [ \"${{{v}:-0}}\" -lt {n} ] 2>/dev/null; then {t}; else {e}; fi")),
                (words(), body.clone()).prop_map(|(w, b)| format!("for i in {w}; do {b}; done")),
                (0i64..4, "[a-z]{6}", body.clone()).prop_map(|(n, v, b)| format!("n{v}=0; while [ $n{v} -lt {n} ]; do n{v}=$((n{v}+1)); {b}; done")),
                (word(), body.clone(), body.clone()).prop_map(|(w, b1, b2)| format!("case {w} in a*|[0-9]) {b1};; *) {b2};; esac")),
                body.clone().prop_map(|b| format!("( {b} )")),
                body.clone().prop_map(|b| format!("{{ {b}; }}")),
                (body.clone(), words()).prop_map(|(b, w)| format!("f() {{ {b}; }}; f {w}")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} && {b}")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} || {b}")),
                inner.clone().prop_map(|a| format!("! {a}; echo $?")),
                inner.clone().prop_map(|a| format!("{a} | while read -r x; do echo \"[$x]\"; done")),
                inner.prop_map(|a| format!("x=$({a}); echo \"$x\"")),
            ]
        })
    }

    fn script() -> impl Strategy<Value = String> {
        prop::collection::vec(command(), 1..6).prop_map(|v| format!("a=1; b=x2; c=; {}\n", v.join("\n")))
    }

    fn config() -> Config {
        let mut c = Config::with_cases(48);
        if std::env::var("PROPTEST_RNG_SEED").is_err() {
            c.rng_seed = RngSeed::Fixed(0x5eed_da5b);
        }
        c.failure_persistence = None;
        c.max_shrink_iters = 200;
        c
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn generated_scripts_match_dash(script in script()) {
            prop_assume!(dash_available());
            let case = Case { name: "random".into(), script, needs: vec![], gap: None, stdin: vec![] };
            let d = run_dash(&case);
            let b = run_builtin(&case);
            if std::env::var("SHELL_SHOW").is_ok() {
                eprintln!("--- script\n{}--- dash {d:?}", case.script);
            }
            prop_assert!(d == b, "{}", diff_report(&case, &d, &b));
        }
    }

    proptest! {
        #![proptest_config(Config { cases: 256, failure_persistence: None, rng_seed: RngSeed::Fixed(7), ..Config::default() })]

        /// Any bytes: the parser and the interpreter never panic.
        #[test]
        fn arbitrary_input_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let mut p = shell::parse::Parser::new(&text);
            let _ = p.parse_all();
            let mut fs = fixture();
            let inv = Invocation {
                argv: vec!["/bin/sh".into(), "-c".into(), text],
                env: vec![("PATH".into(), "/usr/bin:/bin".into())],
                cwd: "/work".into(),
                uid: 0,
                gid: 0,
                stdin: Vec::new(),
                limits: ShellLimits { steps: 20_000, ..ShellLimits::default() },
                clock: 0,
            };
            let _ = shell::execute(&mut fs, &inv, &shell::proc::NoNatives);
        }

        /// Shell-looking text (operators, quotes, expansions) never panics either.
        #[test]
        fn shellish_input_never_panics(parts in prop::collection::vec(prop::sample::select(vec![
            "echo", "if", "then", "fi", "for", "in", "do", "done", "case", "esac", ";;", "(", ")", "{", "}", "|", "||", "&&", "&", ";", "\n",
            "<<", "<<-", "EOF", ">", ">>", "<", "2>&1", "$", "${", "}", "$(", "$((", "))", "`", "'", "\"", "\\", "#", "x", "=", "*", "?", "[", "]",
            "!", "-", ":", "%", "##", "@", "0", "9", " ", "\t", "while", "until", "else", "elif", "f()", "return", "break", "exit", "eval", "set -e",
        ]), 0..40)) {
            let text: String = parts.concat();
            let mut p = shell::parse::Parser::new(&text);
            let _ = p.parse_all();
            let mut fs = fixture();
            let inv = Invocation {
                argv: vec!["/bin/sh".into(), "-c".into(), text],
                env: vec![("PATH".into(), "/usr/bin:/bin".into())],
                cwd: "/work".into(),
                uid: 0,
                gid: 0,
                stdin: Vec::new(),
                limits: ShellLimits { steps: 20_000, ..ShellLimits::default() },
                clock: 0,
            };
            let _ = shell::execute(&mut fs, &inv, &shell::proc::NoNatives);
        }
    }
}

// ----- execute(): how a process starts ----------------------------------------------------

mod execute {
    use super::*;
    use shell::proc::{Ctx, Natives, Program};

    /// A labelled toolchain simulation, as `crate::executor` provides: writes a
    /// file, echoes its argv, env and stdin, and can start a command.
    fn fake_go(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
        let mut stdin = String::new();
        stdin.push_str(&String::from_utf8_lossy(ctx.stdin.read_all()));
        let line = format!("go argv={:?} cwd={} GOPATH={} stdin={:?}\n", &argv[1..], ctx.cwd, ctx.getenv("GOPATH").unwrap_or("-"), stdin);
        let _ = ctx.out(line.as_bytes());
        if argv.get(1).map(String::as_str) == Some("build") {
            let out = ctx.abs("app");
            let _ = ctx.fs.write(&out, b"\x7fELF fake binary".to_vec(), 0o755);
        }
        if argv.get(1).map(String::as_str) == Some("generate") {
            let argv = vec!["sh".to_string(), "-c".to_string(), "echo from child; echo child-err >&2; exit 3".to_string()];
            let status = ctx.spawn(&argv).unwrap_or_else(|e| e.status());
            let _ = ctx.out(format!("child status {status}\n").as_bytes());
        }
        0
    }

    struct Go;
    impl Natives for Go {
        fn lookup(&self, name: &str) -> Option<Program> {
            (name == "go").then_some(fake_go as Program)
        }
    }

    fn base() -> Vfs {
        let mut fs = Vfs::new();
        for d in ["/bin", "/usr", "/usr/local", "/usr/local/bin", "/app", "/root"] {
            fs.mkdir(d, 0o755).expect("mkdir");
        }
        for sh in ["sh", "bash"] {
            fs.write(&format!("/bin/{sh}"), shell::proc::standin_executable(sh, "dash"), 0o755).expect("sh");
        }
        fs.write("/bin/busybox", shell::proc::standin_executable("busybox", "busybox"), 0o755).expect("busybox");
        fs.symlink("busybox", "/bin/echo").expect("echo");
        fs.write("/usr/local/bin/go", shell::proc::standin_executable("go", "go (simulated)"), 0o755).expect("go");
        fs
    }

    fn inv(argv: &[&str]) -> Invocation {
        Invocation {
            argv: argv.iter().map(|s| s.to_string()).collect(),
            env: vec![("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into())],
            cwd: "/app".into(),
            uid: 0,
            gid: 0,
            stdin: Vec::new(),
            limits: ShellLimits::default(),
            clock: 1_700_000_000,
        }
    }

    fn run(fs: &mut Vfs, i: &Invocation) -> (String, String, i32) {
        let out = shell::execute(fs, i, &Go);
        (String::from_utf8_lossy(&out.stdout()).into_owned(), String::from_utf8_lossy(&out.stderr()).into_owned(), out.status)
    }

    #[test]
    fn sh_c_runs_the_builtin_shell() {
        let mut fs = base();
        let r = run(&mut fs, &inv(&["/bin/sh", "-c", "echo $0 $$ \"$PWD\"; nosuch"]));
        assert_eq!(r, ("/bin/sh 1 /app\n".into(), "/bin/sh: 1: nosuch: not found\n".into(), 127));
        let r = run(&mut fs, &inv(&["sh", "-c", "echo via PATH: $0"]));
        assert_eq!(r.0, "via PATH: sh\n");
    }

    #[test]
    fn output_keeps_the_order_of_the_streams() {
        let mut fs = base();
        let out = shell::execute(&mut fs, &inv(&["/bin/sh", "-c", "echo a; echo b >&2; echo c"]), &Go);
        let chunks: Vec<(shell::Stream, String)> = out.output.iter().map(|c| (c.stream, String::from_utf8_lossy(&c.data).into_owned())).collect();
        assert_eq!(chunks, vec![(shell::Stream::Stdout, "a\n".into()), (shell::Stream::Stderr, "b\n".into()), (shell::Stream::Stdout, "c\n".into())]);
    }

    #[test]
    fn missing_programs_fail_like_a_runtime() {
        let mut fs = base();
        let r = run(&mut fs, &inv(&["nosuch"]));
        assert_eq!((r.1.as_str(), r.2), ("exec: \"nosuch\": executable file not found in $PATH\n", 127));
        let r = run(&mut fs, &inv(&["/web/server"]));
        assert_eq!(r.2, 127);
        assert!(r.1.contains("/web/server"), "{}", r.1);
        let mut scratch = Vfs::new();
        let r = run(&mut scratch, &inv(&["/bin/sh", "-c", "echo hi"]));
        assert_eq!(r.2, 127, "a scratch image has no /bin/sh");
    }

    #[test]
    fn scripts_with_a_shebang_run_through_their_interpreter() {
        let mut fs = base();
        fs.write("/usr/local/bin/entry.sh", b"#!/bin/sh\nset -e\necho \"entry $0 $*\"\nexec \"$@\"\n".to_vec(), 0o755).expect("write");
        let r = run(&mut fs, &inv(&["entry.sh", "echo", "passed on"]));
        assert_eq!(r, ("entry /usr/local/bin/entry.sh echo passed on\npassed on\n".into(), String::new(), 0));
        fs.write("/app/noexec.sh", b"#!/bin/sh\necho hi\n".to_vec(), 0o644).expect("write");
        let r = run(&mut fs, &inv(&["/bin/sh", "-c", "./noexec.sh; echo $?"]));
        assert_eq!(r, ("126\n".into(), "/bin/sh: 1: ./noexec.sh: Permission denied\n".into(), 0));
        let r = run(&mut fs, &inv(&["/app/noexec.sh"]));
        assert_eq!(r.2, 126);
    }

    #[test]
    fn native_binaries_need_the_host_executor() {
        let mut fs = base();
        fs.write("/app/server", b"\x7fELF\x02\x01\x01\0\0\0".to_vec(), 0o755).expect("write");
        let r = run(&mut fs, &inv(&["/app/server"]));
        assert_eq!(r.2, 126);
        assert!(r.1.contains("native program") && r.1.contains("host executor"), "{}", r.1);
        fs.write("/usr/local/bin/javac", shell::proc::standin_executable("javac", "javac"), 0o755).expect("write");
        let r = run(&mut fs, &inv(&["/bin/sh", "-c", "javac Main.java"]));
        assert_eq!(r.2, 127);
        assert!(r.1.contains("javac is not a program the playground provides"), "{}", r.1);
    }

    #[test]
    fn natives_get_argv_env_cwd_stdin_and_the_filesystem() {
        let mut fs = base();
        let mut i = inv(&["/bin/sh", "-c", "GOPATH=/go go build -o app . && ls_status=$?; test -f app && echo built"]);
        i.stdin = b"input".to_vec();
        let r = run(&mut fs, &i);
        assert_eq!(r.0, "go argv=[\"build\", \"-o\", \"app\", \".\"] cwd=/app GOPATH=/go stdin=\"input\"\nbuilt\n");
        assert!(fs.exists("/app/app"));
        assert_eq!(fs.stat("/app/app").map(|s| s.meta.mtime).ok(), Some(1_700_000_000));
    }

    #[test]
    fn programs_can_start_commands() {
        let mut fs = base();
        let r = run(&mut fs, &inv(&["/bin/sh", "-c", "go generate > out 2>&1; while read -r l; do echo \"[$l]\"; done < out"]));
        assert_eq!(r.0, "[go argv=[\"generate\"] cwd=/app GOPATH=- stdin=\"\"]\n[from child]\n[child-err]\n[child status 3]\n");
    }

    #[test]
    fn multi_call_stand_ins_dispatch_on_their_name() {
        let mut fs = base();
        let r = run(&mut fs, &inv(&["/bin/echo", "a", "b"]));
        assert_eq!((r.0.as_str(), r.2), ("a b\n", 0));
        let r = run(&mut fs, &inv(&["/bin/busybox", "echo", "via", "busybox"]));
        assert_eq!((r.0.as_str(), r.2), ("via busybox\n", 0));
        let r = run(&mut fs, &inv(&["/bin/busybox", "nosuchapplet"]));
        assert_eq!(r.2, 127);
    }

    #[test]
    fn bash_accepts_what_dash_refuses() {
        let mut fs = base();
        fs.write("/app/lib.sh", b"greeting=hello\n".to_vec(), 0o644).expect("write");
        let r = run(&mut fs, &inv(&["/bin/bash", "-c", "set -o pipefail; false | true; echo $?; source ./lib.sh; echo $greeting"]));
        assert_eq!(r, ("1\nhello\n".into(), String::new(), 0));
        let r = run(&mut fs, &inv(&["/bin/sh", "-c", "set -o pipefail"]));
        assert_eq!(r, (String::new(), "/bin/sh: 1: set: Illegal option -o pipefail\n".into(), 2));
        let r = run(&mut fs, &inv(&["/bin/sh", "-c", "source ./lib.sh"]));
        assert_eq!(r, (String::new(), "/bin/sh: 1: source: not found\n".into(), 127));
    }

    #[test]
    fn a_user_other_than_root_is_checked() {
        let mut fs = base();
        let mut i = inv(&["/bin/sh", "-c", "echo x > /root/f; echo $?; cd /root && echo in"]);
        i.uid = 1000;
        i.gid = 1000;
        fs.chmod("/root", 0o700).expect("chmod");
        let r = run(&mut fs, &i);
        assert_eq!(r.0, "2\n");
        assert_eq!(r.1, "/bin/sh: 1: cannot create /root/f: Permission denied\n/bin/sh: 1: cd: can't cd to /root\n");
    }

    #[test]
    fn devices_work_without_dev() {
        let mut fs = base();
        let r = run(&mut fs, &inv(&["/bin/sh", "-c", "echo gone > /dev/null; read x < /dev/null; echo $?; echo out > /dev/stdout; echo err > /dev/stderr; read -r z < /dev/zero; echo ${#z}"]));
        assert_eq!(r, ("1\nout\n0\n".into(), "err\n".into(), 0));
        assert!(!fs.exists("/dev"));
    }

    #[test]
    fn the_exit_status_is_a_byte() {
        let mut fs = base();
        assert_eq!(run(&mut fs, &inv(&["/bin/sh", "-c", "exit 300"])).2, 44);
        assert_eq!(run(&mut fs, &inv(&["/bin/sh", "-c", "f() { return 256; }; f; echo $?"])).0, "256\n");
    }
}
