//! The simulated git. Everything that talks to a remote (`clone`, `fetch`,
//! `pull`, `push`, `ls-remote`, `submodule update`) fails as git does without a
//! network — `fatal: unable to access '…': Could not resolve host: …`, status
//! 128 — followed by a one-line note that the playground has no network.
//! `--version`, `init` (a real-looking `.git` directory) and `config` work; other
//! commands outside a repository say `fatal: not a git repository`.

use super::support::{self, errln, label, outln, Res};
use crate::shell::proc::Ctx;
use crate::vfs::path;

fn version(ctx: &Ctx<'_>) -> String {
    let status = ctx.fs.read("/var/lib/dpkg/status").map(|d| String::from_utf8_lossy(&d).into_owned()).unwrap_or_default();
    if let Some(v) = status.split("\n\n").find(|s| s.starts_with("Package: git\n")).and_then(|s| s.lines().find_map(|l| l.strip_prefix("Version: "))) {
        return v.split(':').last().unwrap_or(v).split('-').next().unwrap_or(v).to_string();
    }
    let apk = ctx.fs.read("/lib/apk/db/installed").map(|d| String::from_utf8_lossy(&d).into_owned()).unwrap_or_default();
    if let Some(v) = apk.split("\n\n").find(|s| s.starts_with("P:git\n")).and_then(|s| s.lines().find_map(|l| l.strip_prefix("V:"))) {
        return v.split('-').next().unwrap_or(v).to_string();
    }
    let os = ctx.fs.read("/etc/os-release").map(|d| String::from_utf8_lossy(&d).into_owned()).unwrap_or_default();
    if os.contains("buster") {
        "2.20.1".into()
    } else if os.contains("14.04") {
        "1.9.1".into()
    } else {
        "2.39.5".into()
    }
}

/// (scheme://host/path/, host) of a remote, as git's error names it.
fn remote_parts(url: &str) -> (String, String, bool) {
    if let Some(rest) = url.split("://").nth(1) {
        let host = rest.split('/').next().unwrap_or(rest).rsplit('@').next().unwrap_or(rest).split(':').next().unwrap_or("").to_string();
        let ssh = url.starts_with("ssh://") || url.starts_with("git://");
        let shown = if url.ends_with('/') { url.to_string() } else { format!("{url}/") };
        return (shown, host, ssh);
    }
    // scp-like: git@github.com:user/repo.git
    let host = url.split(':').next().unwrap_or(url).rsplit('@').next().unwrap_or("").to_string();
    (url.to_string(), host, true)
}

fn network_failure(ctx: &mut Ctx<'_>, url: &str) -> i32 {
    let (shown, host, ssh) = remote_parts(url);
    if ssh {
        errln(ctx, &format!("ssh: Could not resolve hostname {host}: Name or service not known\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists."));
    } else {
        errln(ctx, &format!("fatal: unable to access '{shown}': Could not resolve host: {host}"));
    }
    support::no_network_note(ctx);
    128
}

fn in_repo(ctx: &Ctx<'_>) -> bool {
    let mut d = ctx.cwd.clone();
    loop {
        if ctx.fs.stat(&path::join(&d, ".git")).is_ok() {
            return true;
        }
        if d == "/" {
            return false;
        }
        d = path::parent(&d).to_string();
    }
}

pub fn git(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, git_main)
}

fn git_main(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let mut args: Vec<String> = argv.iter().skip(1).cloned().collect();
    // global options before the command
    while let Some(a) = args.first().cloned() {
        if a == "-C" && args.len() > 1 {
            let dir = path::normalize(&ctx.abs(&args[1]));
            ctx.cwd = dir;
            args.drain(..2);
        } else if a == "-c" && args.len() > 1 {
            args.drain(..2);
        } else if a.starts_with("--") && a != "--version" && a != "--help" {
            args.remove(0);
        } else {
            break;
        }
    }
    let cmd = args.first().cloned().unwrap_or_default();
    let rest: Vec<String> = args.iter().skip(1).cloned().collect();
    match cmd.as_str() {
        "--version" | "version" => {
            label(ctx, argv, "the playground's stand-in git");
            outln(ctx, &format!("git version {}", version(ctx)))?;
            Ok(0)
        }
        "clone" => {
            label(ctx, argv, "git clone needs the network, which the playground does not have");
            let pos: Vec<&String> = {
                let mut v = Vec::new();
                let mut i = 0;
                while i < rest.len() {
                    let a = &rest[i];
                    if matches!(a.as_str(), "-b" | "--branch" | "--depth" | "-o" | "--origin" | "--reference" | "-c" | "--config" | "-j" | "--jobs" | "--filter") {
                        i += 2;
                        continue;
                    }
                    if !a.starts_with('-') {
                        v.push(a);
                    }
                    i += 1;
                }
                v
            };
            let Some(url) = pos.first() else {
                errln(ctx, "fatal: You must specify a repository to clone.\n\nusage: git clone [<options>] [--] <repo> [<dir>]");
                return Ok(129);
            };
            let dir = pos.get(1).map(|s| s.to_string()).unwrap_or_else(|| path::basename(url.trim_end_matches('/')).trim_end_matches(".git").rsplit(':').next().unwrap_or("repo").to_string());
            let abs = path::normalize(&ctx.abs(&dir));
            if ctx.fs.read_dir(&abs).map(|e| !e.is_empty()).unwrap_or(false) {
                errln(ctx, &format!("fatal: destination path '{dir}' already exists and is not an empty directory."));
                return Ok(128);
            }
            if !url.contains("://") && !url.contains('@') && !url.contains(':') {
                // a local path
                errln(ctx, &format!("fatal: repository '{url}' does not exist"));
                return Ok(128);
            }
            errln(ctx, &format!("Cloning into '{dir}'..."));
            Ok(network_failure(ctx, url))
        }
        "fetch" | "pull" | "push" | "ls-remote" => {
            label(ctx, argv, &format!("git {cmd} needs the network, which the playground does not have"));
            if cmd == "ls-remote" {
                if let Some(url) = rest.iter().find(|a| !a.starts_with('-')) {
                    return Ok(network_failure(ctx, url));
                }
            }
            if !in_repo(ctx) {
                errln(ctx, "fatal: not a git repository (or any of the parent directories): .git");
                return Ok(128);
            }
            errln(ctx, "fatal: 'origin' does not appear to be a git repository\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.");
            Ok(128)
        }
        "submodule" => {
            label(ctx, argv, "git submodule needs the network, which the playground does not have");
            if !in_repo(ctx) {
                errln(ctx, "fatal: not a git repository (or any of the parent directories): .git");
                return Ok(128);
            }
            Ok(0)
        }
        "init" => {
            label(ctx, argv, "creates the repository's .git directory");
            let dir = rest.iter().find(|a| !a.starts_with('-')).map(|d| path::normalize(&ctx.abs(d))).unwrap_or_else(|| ctx.cwd.clone());
            let bare = rest.iter().any(|a| a == "--bare");
            let g = if bare { dir.clone() } else { path::join(&dir, ".git") };
            let existed = ctx.fs.stat(&path::join(&g, "HEAD")).is_ok();
            let files = [
                ("HEAD", "ref: refs/heads/master\n".to_string()),
                ("config", format!("[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = {bare}\n\tlogallrefupdates = true\n")),
                ("description", "Unnamed repository; edit this file 'description' to name the repository.\n".to_string()),
                ("info/exclude", "# git ls-files --others --exclude-from=.git/info/exclude\n".to_string()),
            ];
            for (f, body) in files {
                support::write_file(ctx, &path::join(&g, f), body.into_bytes(), 0o644).map_err(|e| support::fs_fail(ctx, "git", &e))?;
            }
            for d in ["objects/info", "objects/pack", "refs/heads", "refs/tags", "hooks"] {
                support::mkdir_p(ctx, &path::join(&g, d)).map_err(|e| support::fs_fail(ctx, "git", &e))?;
            }
            let v = version(ctx);
            let (ma, mi) = support::major_minor(&v);
            if !existed && (ma > 2 || (ma == 2 && mi >= 28)) {
                errln(ctx, "hint: Using 'master' as the name for the initial branch. This default branch name\nhint: is subject to change. To configure the initial branch name to use in all\nhint: of your new repositories, which will suppress this warning, call:\nhint:\nhint: \tgit config --global init.defaultBranch <name>");
            }
            outln(ctx, &format!("{} empty Git repository in {g}/", if existed { "Reinitialized existing" } else { "Initialized" }))?;
            Ok(0)
        }
        "config" => {
            label(ctx, argv, "git settings in the playground");
            let global = rest.iter().any(|a| a == "--global" || a == "--system");
            let kv: Vec<&String> = rest.iter().filter(|a| !a.starts_with('-')).collect();
            if kv.len() >= 2 {
                let file = if global { format!("{}/.gitconfig", support::home(ctx)) } else { path::join(&ctx.cwd.clone(), ".git/config") };
                if !global && !in_repo(ctx) {
                    errln(ctx, "fatal: not in a git directory");
                    return Ok(128);
                }
                let (section, key) = kv[0].rsplit_once('.').unwrap_or(("core", kv[0]));
                ctx.fs.append(&file, format!("[{section}]\n\t{key} = {}\n", kv[1]).as_bytes(), 0o644).map_err(|e| support::fs_fail(ctx, "git", &e))?;
                return Ok(0);
            }
            Ok(1)
        }
        "" => {
            outln(ctx, "usage: git [--version] [--help] [-C <path>] [-c <name>=<value>]\n           <command> [<args>]")?;
            Ok(1)
        }
        other => {
            label(ctx, argv, "the playground's git keeps no history");
            if !in_repo(ctx) {
                errln(ctx, "fatal: not a git repository (or any of the parent directories): .git");
                return Ok(128);
            }
            let _ = other;
            Ok(0)
        }
    }
}
