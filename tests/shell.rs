//! The builtin shell against real dash.
//!
//! Every script under `tests/shell/*.sh` runs twice: by `/usr/bin/dash` (as
//! `/bin/sh -c SCRIPT`) in a fresh temporary directory `T/work`, and by
//! `dfplay::shell::execute` (`["/bin/sh", "-c", SCRIPT]`) on a vfs whose
//! `/work` is the working directory. Both get the same environment (PATH of
//! `usr/bin` and `bin` under their root, HOME, LC_ALL=C) and the same
//! programs on PATH: on the vfs, stand-in executables for every name in
//! `shell::programs::NAMES` (symlinks to a `busybox` stand-in, as the bases
//! do) plus `sh`, `dash`, `bash`; for dash, symlinks to `/bin/busybox` and
//! dash. stdout, stderr (with `T` removed from dash's), the exit status and
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

fn busybox_applets() -> Vec<String> {
    Command::new(BUSYBOX).arg("--list").output().map(|o| String::from_utf8_lossy(&o.stdout).lines().map(str::to_string).collect()).unwrap_or_default()
}

/// Runs the case with real dash.
pub fn run_dash(case: &Case) -> Run {
    let t = temp_root();
    for d in ["work", "home", "bin", "usr/bin"] {
        std::fs::create_dir_all(t.join(d)).expect("mkdir");
    }
    let applets = busybox_applets();
    for dir in ["bin", "usr/bin"] {
        for sh in ["sh", "dash", "bash"] {
            let _ = std::os::unix::fs::symlink(DASH, t.join(dir).join(sh));
        }
        for name in program_names() {
            let target = if applets.iter().any(|a| a == name) { BUSYBOX.to_string() } else { format!("/usr/bin/{name}") };
            let _ = std::os::unix::fs::symlink(target, t.join(dir).join(name));
        }
    }
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

/// The vfs fixture: stand-ins on PATH, `/work`, `/home`.
pub fn fixture() -> Vfs {
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
    let cases: Vec<Case> = all_cases().into_iter().filter(|c| filter.as_ref().map_or(true, |f| c.name.contains(f.as_str()))).collect();
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
                            let d = run_dash(&c);
                            let b = run_builtin(&c);
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
        let gap_reason = case.gap.clone().or_else(|| (!missing.is_empty()).then(|| format!("needs {} (not in programs::NAMES yet)", missing.join(", "))));
        match (same, gap_reason) {
            (true, None) => passed += 1,
            (true, Some(r)) => {
                if case.gap.is_some() {
                    fixed.push(format!("{} (was: {r})", case.name));
                } else {
                    passed += 1;
                }
            }
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
