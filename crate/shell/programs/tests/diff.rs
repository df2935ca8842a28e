//! A small differential check that needs no shell: each case is a list of
//! command lines (words split with `'…'`/`"…"` quoting, no expansions), run one
//! by one by the host's GNU tools in a temp directory (`LC_ALL=C`) and by our
//! programs on a vfs whose working directory holds the same files. Each
//! command's stdout, stderr and status and the final tree (paths, types, modes,
//! contents, link targets) must agree. Skipped when the host lacks GNU tools.

use super::World;
use std::path::Path;
use std::process::Command;

/// Splits a command line into words (`'…'`, `"…"` with `\"`/`\\`, `\x`).
pub fn words(line: &str) -> Vec<String> {
    let mut v = Vec::new();
    let mut cur = String::new();
    let mut have = false;
    let mut it = line.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            ' ' | '\t' => {
                if have {
                    v.push(std::mem::take(&mut cur));
                    have = false;
                }
            }
            '\'' => {
                have = true;
                for d in it.by_ref() {
                    if d == '\'' {
                        break;
                    }
                    cur.push(d);
                }
            }
            '"' => {
                have = true;
                while let Some(d) = it.next() {
                    match d {
                        '"' => break,
                        '\\' if matches!(it.peek(), Some('"' | '\\' | '$' | '`')) => cur.push(it.next().unwrap_or('\\')),
                        d => cur.push(d),
                    }
                }
            }
            '\\' => {
                have = true;
                if let Some(d) = it.next() {
                    cur.push(d);
                }
            }
            c => {
                have = true;
                cur.push(c);
            }
        }
    }
    if have {
        v.push(cur);
    }
    v
}

/// One command line with stdin: `cmd <<< text` is written `text|>cmd` here.
fn split_stdin(line: &str) -> (String, &str) {
    match line.split_once("|>") {
        Some((input, cmd)) => (input.replace("\\n", "\n").replace("\\t", "\t").replace("\\0", "\0"), cmd),
        None => (String::new(), line),
    }
}

fn host_available() -> bool {
    Command::new("ls").arg("--version").output().map(|o| String::from_utf8_lossy(&o.stdout).contains("GNU")).unwrap_or(false)
}

static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Runs the case both ways; panics with a side-by-side report on a difference.
pub fn check(lines: &[&str]) {
    if !host_available() {
        eprintln!("skipping differential case: no GNU coreutils on this host");
        return;
    }
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let tmp = std::env::temp_dir().join(format!("dfplay-utils-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    let mut w = World::new();
    // the same clock as the host, so dates agree
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    w.fs.now = now;
    w.clock.now = now;
    w.fs.mkdir_all("/w", 0o755).unwrap();
    w.cwd = "/w".into();
    let mut report = String::new();
    let mut differs = false;
    for line in lines {
        // `S:` compares stdout with its lines sorted (directory order differs)
        let (sorted, line) = match line.strip_prefix("S:") {
            Some(rest) => (true, rest),
            None => (false, *line),
        };
        let (input, cmd) = split_stdin(line);
        let argv = words(cmd);
        let host = Command::new(&argv[0])
            .args(&argv[1..])
            .current_dir(&tmp)
            .env_clear()
            .env("LC_ALL", "C")
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("TZ", "UTC")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                if let Some(mut i) = c.stdin.take() {
                    let _ = i.write_all(input.as_bytes());
                }
                c.wait_with_output()
            })
            .unwrap();
        let ours = w.run(&argv, input.as_bytes());
        let tmp_s = tmp.to_string_lossy().into_owned();
        let hout = String::from_utf8_lossy(&host.stdout).replace(&tmp_s, "/w");
        let herr = String::from_utf8_lossy(&host.stderr).replace(&tmp_s, "/w");
        let hstatus = host.status.code().unwrap_or(-1);
        let sort_lines = |s: &str| {
            let mut v: Vec<&str> = s.lines().collect();
            v.sort();
            v.join("\n")
        };
        let (hout, ours) = if sorted {
            (sort_lines(&hout), super::Done { out: sort_lines(&ours.out), ..ours })
        } else {
            (hout, ours)
        };
        let same = hout == ours.out && herr == ours.err && hstatus == ours.status;
        report.push_str(&format!("$ {line}\n"));
        if same {
            report.push_str(&indent(&hout));
            report.push_str(&indent(&herr));
        } else {
            differs = true;
            report.push_str(&format!(
                "  ** DIFFERS **\n  host (status {hstatus}):\n{}{}  ours (status {}):\n{}{}",
                indent(&hout),
                indent(&herr),
                ours.status,
                indent(&ours.out),
                indent(&ours.err)
            ));
        }
    }
    let ht = host_tree(&tmp);
    let ot = vfs_tree(&w, "/w");
    let _ = std::fs::remove_dir_all(&tmp);
    if ht != ot {
        differs = true;
        report.push_str(&format!("** trees differ **\nhost:\n{}\nours:\n{}\n", ht.join("\n"), ot.join("\n")));
    }
    if differs {
        panic!("differential case failed:\n{report}");
    }
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("    |{l}\n")).collect()
}

fn host_tree(root: &Path) -> Vec<String> {
    use std::os::unix::fs::PermissionsExt;
    let mut v = Vec::new();
    fn walk(root: &Path, p: &Path, v: &mut Vec<String>) {
        let mut ents: Vec<_> = std::fs::read_dir(p).unwrap().filter_map(|e| e.ok()).collect();
        ents.sort_by_key(|e| e.file_name());
        for e in ents {
            let path = e.path();
            let rel = path.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            let md = std::fs::symlink_metadata(&path).unwrap();
            let mode = md.permissions().mode() & 0o7777;
            if md.file_type().is_symlink() {
                v.push(format!("{rel} -> {}", std::fs::read_link(&path).unwrap().to_string_lossy()));
            } else if md.is_dir() {
                v.push(format!("{rel}/ {mode:o}"));
                walk(root, &path, v);
            } else {
                let data = std::fs::read(&path).unwrap();
                v.push(format!("{rel} {mode:o} {:?}", String::from_utf8_lossy(&data)));
            }
        }
    }
    walk(root, root, &mut v);
    v
}

fn vfs_tree(w: &World, root: &str) -> Vec<String> {
    use crate::vfs::Node;
    let mut v = Vec::new();
    for (p, n) in w.fs.walk(root).unwrap().into_iter().skip(1) {
        let rel = &p[root.len() + 1..];
        match n {
            Node::Symlink(s) => v.push(format!("{rel} -> {}", s.target)),
            Node::Dir(d) => v.push(format!("{rel}/ {:o}", d.meta.mode)),
            Node::File(f) => v.push(format!("{rel} {:o} {:?}", f.meta.mode, String::from_utf8_lossy(&f.data))),
        }
    }
    v
}

#[test]
fn splits_words() {
    assert_eq!(words(r#"a 'b c' "d \"e\"" f\ g ''"#), vec!["a", "b c", "d \"e\"", "f g", ""]);
}
