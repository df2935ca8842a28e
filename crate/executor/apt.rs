//! The simulated APT and dpkg of the Debian and Ubuntu stand-ins: `apt-get`
//! (`update`, `install`, `remove`/`purge`, `upgrade`, `clean`, `autoremove`),
//! `apt`, `apt-cache` (`policy`, `show`, `search`) and `dpkg`/`dpkg-query`
//! (`-l`, `-s`, `-L`, `-W`). Behaviour a learner meets in a Dockerfile is real:
//! `install` before `update` cannot locate anything (the images ship without
//! package lists), `install` without `-y` asks `Do you want to continue? [Y/n]`,
//! reads no answer (a build has no terminal) and aborts with status 1, the lists
//! stay in the layer until `rm -rf /var/lib/apt/lists/*`, a non-root user cannot
//! take the dpkg lock. Installed packages are recorded in /var/lib/dpkg/status
//! and leave their files (catalogue in `packages`). The log follows the image's
//! APT version: 1.0 on Ubuntu 14.04, 2.x elsewhere.

use super::packages::{self, Family};
use super::support::{self, errln, label, outln, Res, Stop};
use crate::shell::proc::Ctx;
use crate::vfs::path;

const LISTS: &str = "/var/lib/apt/lists";
const STATUS: &str = "/var/lib/dpkg/status";

/// What the image is.
struct Distro {
    family: Family,
    codename: String,
    ubuntu: bool,
    sources: Vec<Source>,
}

#[derive(Clone)]
struct Source {
    url: String,
    suite: String,
    components: Vec<String>,
}

impl Distro {
    fn read(ctx: &Ctx<'_>) -> Distro {
        let os = ctx.fs.read("/etc/os-release").map(|d| String::from_utf8_lossy(&d).into_owned()).unwrap_or_default();
        let field = |k: &str| os.lines().find_map(|l| l.strip_prefix(&format!("{k}="))).map(|v| v.trim_matches('"').to_string()).unwrap_or_default();
        let id = field("ID");
        let version = field("VERSION_ID");
        let codename = {
            let c = field("VERSION_CODENAME");
            if c.is_empty() {
                if version.starts_with("14.04") {
                    "trusty".into()
                } else {
                    "bookworm".into()
                }
            } else {
                c
            }
        };
        let ubuntu = id == "ubuntu";
        let family = if ubuntu && version.starts_with("14.") { Family::Trusty } else { Family::Debian };
        let mut sources = Vec::new();
        let mut files = vec!["/etc/apt/sources.list".to_string()];
        if let Ok(entries) = ctx.fs.read_dir("/etc/apt/sources.list.d") {
            for (n, _) in entries {
                if n.ends_with(".list") {
                    files.push(format!("/etc/apt/sources.list.d/{n}"));
                }
            }
        }
        for f in files {
            let text = ctx.fs.read(&f).map(|d| String::from_utf8_lossy(&d).into_owned()).unwrap_or_default();
            for line in text.lines() {
                let mut w = line.split('#').next().unwrap_or("").split_whitespace().filter(|w| !w.starts_with('['));
                if w.next() != Some("deb") {
                    continue;
                }
                let (Some(url), Some(suite)) = (w.next(), w.next()) else { continue };
                sources.push(Source { url: url.trim_end_matches('/').to_string(), suite: suite.to_string(), components: w.map(str::to_string).collect() });
            }
        }
        Distro { family, codename, ubuntu, sources }
    }

    fn trusty(&self) -> bool {
        self.family == Family::Trusty
    }

    /// The host part of a URL, as apt 1.0 prints it (`http://archive.ubuntu.com`).
    fn short_url(url: &str) -> String {
        let rest = url.split("://").nth(1).unwrap_or(url);
        let host = rest.split('/').next().unwrap_or(rest);
        format!("{}://{host}", url.split("://").next().unwrap_or("http"))
    }
}

/// A list file name as apt writes it: the URL without scheme, `/` → `_`.
fn list_name(url: &str, rest: &str) -> String {
    let u = url.split("://").nth(1).unwrap_or(url);
    format!("{}_{}", u.trim_end_matches('/').replace('/', "_"), rest.replace('/', "_"))
}

/// Whether `apt-get update` has run (the lists directory holds indexes).
fn have_lists(ctx: &Ctx<'_>) -> bool {
    ctx.fs.read_dir(LISTS).map(|e| e.iter().any(|(n, _)| n.ends_with("Packages") || n.ends_with("InRelease") || n.ends_with("Release"))).unwrap_or(false)
}

/// Installed packages: (name, version) from dpkg's status file.
fn installed(ctx: &Ctx<'_>) -> Vec<(String, String, String)> {
    let text = ctx.fs.read(STATUS).map(|d| String::from_utf8_lossy(&d).into_owned()).unwrap_or_default();
    let mut out = Vec::new();
    for stanza in text.split("\n\n") {
        let get = |k: &str| stanza.lines().find_map(|l| l.strip_prefix(&format!("{k}: "))).map(str::to_string);
        if let (Some(p), Some(v)) = (get("Package"), get("Version")) {
            if get("Status").is_some_and(|s| s.ends_with(" installed")) {
                out.push((p, v, get("Description").unwrap_or_default()));
            }
        }
    }
    out
}

fn stanza_of(ctx: &Ctx<'_>, name: &str) -> Option<String> {
    let text = ctx.fs.read(STATUS).map(|d| String::from_utf8_lossy(&d).into_owned()).unwrap_or_default();
    text.split("\n\n").find(|s| s.lines().next() == Some(&format!("Package: {name}"))).map(|s| s.trim_end().to_string())
}

fn lock_error(ctx: &mut Ctx<'_>, d: &Distro, lists: bool) -> i32 {
    if lists {
        errln(ctx, "E: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)\nE: Unable to lock directory /var/lib/apt/lists/");
    } else if d.trusty() {
        errln(ctx, "E: Could not open lock file /var/lib/dpkg/lock - open (13: Permission denied)\nE: Unable to lock the administration directory (/var/lib/dpkg/), are you root?");
    } else {
        errln(ctx, "E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?");
    }
    100
}

struct Flags {
    yes: bool,
    quiet: u32,
    no_recommends: bool,
    purge: bool,
    ops: Vec<String>,
}

fn flags(args: &[String]) -> Result<Flags, String> {
    let mut f = Flags { yes: false, quiet: 0, no_recommends: false, purge: false, ops: Vec::new() };
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-y" | "--yes" | "--assume-yes" | "--force-yes" => f.yes = true,
            "-q" | "--quiet" => f.quiet += 1,
            "-qq" => f.quiet += 2,
            "--no-install-recommends" => f.no_recommends = true,
            "--purge" => f.purge = true,
            "-o" | "-t" | "-c" | "--target-release" | "--option" => i += 1,
            _ if a.starts_with("--") => {}
            _ if a.starts_with('-') && a.len() > 1 => {
                for c in a[1..].chars() {
                    match c {
                        'y' => f.yes = true,
                        'q' => f.quiet += 1,
                        'f' | 'm' | 'u' | 'V' | 'd' | 's' | 'b' => {}
                        other => return Err(format!("E: Command line option '{other}' [from {a}] is not understood in combination with the other options.")),
                    }
                }
            }
            _ => f.ops.push(a.to_string()),
        }
        i += 1;
    }
    if f.quiet >= 2 {
        f.yes = true; // -qq implies -y
    }
    Ok(f)
}

pub fn apt_get(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, |ctx, argv| apt_main(ctx, argv, false))
}

pub fn apt(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, |ctx, argv| apt_main(ctx, argv, true))
}

fn apt_main(ctx: &mut Ctx<'_>, argv: &[String], is_apt: bool) -> Res {
    let d = Distro::read(ctx);
    let f = match flags(argv.get(1..).unwrap_or(&[])) {
        Ok(f) => f,
        Err(e) => {
            label(ctx, argv, "the playground has no network; packages are simulated");
            errln(ctx, &e);
            return Ok(100);
        }
    };
    let op = f.ops.first().cloned().unwrap_or_default();
    let pkgs: Vec<String> = f.ops.iter().skip(1).cloned().collect();
    label(ctx, argv, "the playground has no network; package indexes and packages are simulated (placeholder files, real dpkg records)");
    if is_apt && !d.trusty() {
        errln(ctx, "\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n");
    }
    match op.as_str() {
        "update" => update(ctx, &d, &f),
        "install" | "reinstall" => install(ctx, &d, &f, &pkgs),
        "remove" | "purge" | "autoremove" | "autopurge" => remove(ctx, &d, &f, &pkgs, op.contains("purge") || f.purge, op.starts_with("auto")),
        "upgrade" | "dist-upgrade" | "full-upgrade" => {
            if ctx.uid != 0 {
                return Ok(lock_error(ctx, &d, false));
            }
            reading(ctx, &f)?;
            if f.quiet < 2 {
                outln(ctx, if d.trusty() { "" } else { "Calculating upgrade..." }.trim_end())?;
                outln(ctx, "0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.")?;
            }
            Ok(0)
        }
        "clean" | "autoclean" => {
            for dir in ["/var/cache/apt/archives", "/var/cache/apt"] {
                if let Ok(entries) = ctx.fs.read_dir(dir) {
                    for (n, node) in entries {
                        if n.ends_with(".deb") || n.ends_with(".bin") || (dir == "/var/cache/apt/archives" && n == "partial" && matches!(node, crate::vfs::Node::Dir(_))) {
                            let p = path::join(dir, &n);
                            let _ = ctx.fs.remove_all(&p);
                        }
                    }
                }
            }
            if op == "autoclean" {
                reading(ctx, &f)?;
            }
            Ok(0)
        }
        "check" => {
            reading(ctx, &f)?;
            Ok(0)
        }
        "" => {
            let v = if d.trusty() { "1.0.1ubuntu2" } else { "2.6.1" };
            outln(ctx, &format!("apt {v} for amd64 compiled on Apr  1 2024 00:00:00\nUsage: apt-get [options] command\n       apt-get [options] install|remove pkg1 [pkg2 ...]\n       apt-get [options] source pkg1 [pkg2 ...]\n\nMost used commands:\n  update - Retrieve new lists of packages\n  upgrade - Perform an upgrade\n  install - Install new packages (pkg is libc6 not libc6.deb)\n  remove - Remove packages\n  purge - Remove packages and config files\n  clean - Erase downloaded archive files"))?;
            Ok(1)
        }
        other => {
            errln(ctx, &format!("E: Invalid operation {other}"));
            Ok(100)
        }
    }
}

fn reading(ctx: &mut Ctx<'_>, f: &Flags) -> Result<(), Stop> {
    if f.quiet >= 2 {
        return Ok(());
    }
    outln(ctx, "Reading package lists...")?;
    outln(ctx, "Building dependency tree...")?;
    outln(ctx, "Reading state information...")
}

fn update(ctx: &mut Ctx<'_>, d: &Distro, f: &Flags) -> Res {
    if ctx.uid != 0 {
        return Ok(lock_error(ctx, d, true));
    }
    let mut n = 0;
    let mut total: u64 = 0;
    let now = ctx.clock.now;
    for s in &d.sources {
        n += 1;
        let rel_kb = if d.ubuntu { 265 } else { 151 };
        let short = Distro::short_url(&s.url);
        if f.quiet < 2 {
            if d.trusty() {
                outln(ctx, &format!("Get:{n} {short} {} InRelease [{rel_kb}.0 kB]", s.suite))?;
            } else {
                outln(ctx, &format!("Get:{n} {} {} InRelease [{rel_kb} kB]", s.url, s.suite))?;
            }
        }
        total += rel_kb * 1000;
        let inrelease = path::join(LISTS, &list_name(&s.url, &format!("dists/{}/InRelease", s.suite)));
        let rel = format!("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nOrigin: {}\nSuite: {}\nCodename: {}\nDate: {}\nArchitectures: amd64 arm64 i386\nComponents: {}\nDescription: dfplay placeholder: a simulated download (the playground has no network)\n", if d.ubuntu { "Ubuntu" } else { "Debian" }, s.suite, d.codename, support::iso_time(now), s.components.join(" ")).into_bytes();
        support::write_file(ctx, &inrelease, support::padded(rel, (rel_kb * 1000) as usize), 0o644).map_err(|e| support::fs_fail(ctx, "apt-get", &e))?;
        for comp in &s.components {
            n += 1;
            let main = comp == "main";
            let kb: u64 = match (main, d.ubuntu) {
                (true, true) => 1_743,
                (true, false) => 8_792,
                (false, _) => 190 + support::fnv(comp.as_bytes()) % 600,
            };
            if f.quiet < 2 {
                if d.trusty() {
                    outln(ctx, &format!("Get:{n} {short} {}/{comp} amd64 Packages [{} kB]", s.suite, kb))?;
                } else {
                    outln(ctx, &format!("Get:{n} {} {}/{comp} amd64 Packages [{} kB]", s.url, s.suite, support::thousands(kb)))?;
                }
            }
            total += kb * 1000;
            let name = list_name(&s.url, &format!("dists/{}/{comp}/binary-amd64/Packages", s.suite));
            let body = format!("Package: base-files\nVersion: placeholder\nDescription: dfplay placeholder index of {} {}/{comp} (simulated apt-get update)\n\n", s.url, s.suite).into_bytes();
            // uncompressed indexes are several times the download
            let body = support::padded(body, (kb * 1000 * if d.trusty() { 4 } else { 1 }) as usize);
            support::write_file(ctx, &path::join(LISTS, &name), body, 0o644).map_err(|e| support::fs_fail(ctx, "apt-get", &e))?;
        }
    }
    support::mkdir_p(ctx, &format!("{LISTS}/partial")).map_err(|e| support::fs_fail(ctx, "apt-get", &e))?;
    if f.quiet < 2 {
        let secs = 1 + total / 4_000_000;
        let rate = total / 1000 / secs.max(1);
        if d.trusty() {
            // APT 1.0 prints the amount in MB
            outln(ctx, &format!("Fetched {:.1} MB in {secs}s ({} kB/s)", total as f64 / 1_000_000.0, support::thousands(rate)))?;
        } else {
            outln(ctx, &format!("Fetched {} kB in {secs}s ({} kB/s)", support::thousands(total / 1000), support::thousands(rate)))?;
        }
        outln(ctx, "Reading package lists...")?;
    }
    Ok(0)
}

/// Wraps package names the way apt prints lists: two-space indent, 80 columns.
fn wrapped(names: &[String]) -> String {
    let mut out = String::new();
    let mut line = String::from(" ");
    for n in names {
        if line.len() + 1 + n.len() > 79 && line.len() > 1 {
            out.push_str(&line);
            out.push('\n');
            line = String::from(" ");
        }
        line.push(' ');
        line.push_str(n);
    }
    out.push_str(&line);
    out
}

fn install(ctx: &mut Ctx<'_>, d: &Distro, f: &Flags, requested: &[String]) -> Res {
    if ctx.uid != 0 {
        return Ok(lock_error(ctx, d, false));
    }
    reading(ctx, f)?;
    let lists = have_lists(ctx);
    let mut names: Vec<String> = Vec::new();
    for r in requested {
        let name = r.split(['=', '/']).next().unwrap_or("").trim_end_matches(":amd64").to_string();
        if name.ends_with(".deb") {
            errln(ctx, &format!("E: Unsupported file {r} given on commandline"));
            return Ok(100);
        }
        if !lists || !packages::locatable(d.family, &name) {
            errln(ctx, &format!("E: Unable to locate package {name}"));
            return Ok(100);
        }
        if !names.contains(&name) {
            names.push(name);
        }
    }
    if names.is_empty() {
        if f.quiet < 2 {
            outln(ctx, "0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.")?;
        }
        return Ok(0);
    }
    let have = installed(ctx);
    let is_installed = |n: &str| have.iter().any(|(p, _, _)| p == n);
    let mut new_requested = Vec::new();
    for n in &names {
        if is_installed(n) {
            if f.quiet < 2 {
                let v = packages::version(d.family, n);
                if d.trusty() {
                    outln(ctx, &format!("{n} is already the newest version."))?;
                } else {
                    outln(ctx, &format!("{n} is already the newest version ({v})."))?;
                }
            }
        } else {
            new_requested.push(n.clone());
        }
    }
    // the extra packages: dependencies (transitively), then recommends
    let mut extra: Vec<String> = Vec::new();
    let mut queue: Vec<String> = new_requested.clone();
    let mut recommended: Vec<String> = Vec::new();
    while let Some(p) = queue.pop() {
        let mut more: Vec<&str> = packages::deps(d.family, &p).to_vec();
        if let Some(pk) = packages::find(&p) {
            if f.no_recommends {
                recommended.extend(pk.recommends.iter().map(|s| s.to_string()));
            } else {
                more.extend(pk.recommends.iter());
            }
        }
        for dep in more {
            if !packages::locatable(d.family, dep) {
                continue;
            }
            if !names.iter().any(|n| n == dep) && !extra.iter().any(|n| n == dep) && !is_installed(dep) {
                extra.push(dep.to_string());
                queue.push(dep.to_string());
            }
            if extra.len() > 200 {
                break;
            }
        }
    }
    let mut all: Vec<String> = new_requested.iter().chain(extra.iter()).cloned().collect();
    all.sort();
    if all.is_empty() {
        if f.quiet < 2 {
            outln(ctx, "0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.")?;
        }
        return Ok(0);
    }
    let mut extra_sorted = extra.clone();
    extra_sorted.sort();
    let need_kb: u64 = all.iter().map(|n| packages::size_kb(n) as u64 / 3 + 20).sum();
    let after_kb: u64 = all.iter().map(|n| packages::size_kb(n) as u64).sum();
    if f.quiet < 2 {
        if !extra_sorted.is_empty() {
            outln(ctx, if d.trusty() { "The following extra packages will be installed:" } else { "The following additional packages will be installed:" })?;
            outln(ctx, &wrapped(&extra_sorted))?;
        }
        let suggests: Vec<String> = new_requested.iter().filter_map(|n| packages::find(n)).flat_map(|p| p.suggests.iter().map(|s| s.to_string())).collect();
        if !suggests.is_empty() {
            outln(ctx, "Suggested packages:")?;
            outln(ctx, &wrapped(&suggests))?;
        }
        if !recommended.is_empty() {
            outln(ctx, "Recommended packages:")?;
            outln(ctx, &wrapped(&recommended))?;
        }
        outln(ctx, "The following NEW packages will be installed:")?;
        outln(ctx, &wrapped(&all))?;
        outln(ctx, &format!("0 upgraded, {} newly installed, 0 to remove and 0 not upgraded.", all.len()))?;
        outln(ctx, &format!("Need to get {} kB of archives.", support::thousands(need_kb)))?;
        outln(ctx, &format!("After this operation, {} kB of additional disk space will be used.", support::thousands(after_kb)))?;
    }
    if !f.yes && !extra.is_empty() {
        // a build has no terminal: apt reads no answer and aborts
        support::out(ctx, "Do you want to continue? [Y/n] ")?;
        outln(ctx, "Abort.")?;
        return Ok(1);
    }
    let debconf_quiet = ctx.getenv("DEBIAN_FRONTEND") == Some("noninteractive");
    // download
    let mut n = 0;
    let src = d.sources.first().cloned().unwrap_or(Source { url: "http://deb.debian.org/debian".into(), suite: d.codename.clone(), components: vec!["main".into()] });
    for p in &all {
        n += 1;
        let v = packages::version(d.family, p);
        let kb = packages::size_kb(p) / 3 + 20;
        if f.quiet < 2 {
            if d.trusty() {
                outln(ctx, &format!("Get:{n} {}/ {}/main {p} amd64 {v} [{} kB]", src.url, src.suite, kb))?;
            } else {
                outln(ctx, &format!("Get:{n} {} {}/main amd64 {p} amd64 {v} [{} kB]", src.url, src.suite, support::thousands(kb as u64)))?;
            }
        }
    }
    if !debconf_quiet {
        if d.trusty() {
            errln(ctx, "debconf: unable to initialize frontend: Dialog\ndebconf: (TERM is not set, so the dialog frontend is not usable.)\ndebconf: falling back to frontend: Readline\ndebconf: unable to initialize frontend: Readline\ndebconf: (This frontend requires a controlling tty.)\ndebconf: falling back to frontend: Teletype\ndpkg-preconfigure: unable to re-open stdin: ");
        } else {
            errln(ctx, "debconf: delaying package configuration, since apt-utils is not installed");
        }
    }
    if f.quiet < 2 {
        outln(ctx, &format!("Fetched {} kB in 1s ({} kB/s)", support::thousands(need_kb), support::thousands(need_kb)))?;
    }
    // unpack, in dependency order: extras first
    let order: Vec<String> = extra.iter().rev().chain(new_requested.iter()).cloned().collect();
    let files_now = ctx.fs.usage().nodes;
    let mut first = true;
    for p in &order {
        let v = packages::version(d.family, p);
        outln(ctx, &format!("Selecting previously unselected package {p}{}.", if p.starts_with("lib") { ":amd64" } else { "" }))?;
        if first {
            outln(ctx, &format!("(Reading database ... {files_now} files and directories currently installed.)"))?;
            first = false;
        }
        let deb = format!("{p}_{}_amd64.deb", v.replace(':', "%3a"));
        outln(ctx, &format!("Preparing to unpack .../{deb} ..."))?;
        outln(ctx, &format!("Unpacking {p}{} ({v}) ...", if p.starts_with("lib") { ":amd64" } else { "" }))?;
        let written = packages::install_files(ctx, d.family, p, &v).map_err(|e| {
            errln(ctx, &format!("dpkg: error processing archive /var/cache/apt/archives/{deb} (--unpack):\n unable to create '{}': {}", e.path, e.message()));
            Stop(100)
        })?;
        record(ctx, d, p, &v, &written)?;
    }
    for p in &order {
        let v = packages::version(d.family, p);
        outln(ctx, &format!("Setting up {p}{} ({v}) ...", if p.starts_with("lib") { ":amd64" } else { "" }))?;
        match p.as_str() {
            "apache2" => {
                for m in ["mpm_event", "authz_core", "authz_host", "authn_core", "auth_basic", "access_compat", "authn_file", "authz_user", "alias", "dir", "autoindex", "env", "mime", "negotiation", "setenvif", "filter", "deflate", "status"] {
                    outln(ctx, &format!("Enabling module {m}."))?;
                }
                outln(ctx, "Enabling site 000-default.")?;
                if d.trusty() {
                    outln(ctx, " * Starting web server apache2")?;
                    errln(ctx, "invoke-rc.d: policy-rc.d denied execution of start.");
                } else {
                    outln(ctx, "invoke-rc.d: could not determine current runlevel\ninvoke-rc.d: policy-rc.d denied execution of start.")?;
                }
            }
            "nginx" | "nginx-core"
                if !d.trusty() => {
                    outln(ctx, "invoke-rc.d: could not determine current runlevel\ninvoke-rc.d: policy-rc.d denied execution of start.")?;
                }
            "ca-certificates" => outln(ctx, "Updating certificates in /etc/ssl/certs...\n140 added, 0 removed; done.")?,
            _ => {}
        }
    }
    outln(ctx, &format!("Processing triggers for libc-bin ({}) ...", if d.trusty() { "2.19-0ubuntu6.15" } else { "2.36-9+deb12u9" }))?;
    Ok(0)
}

/// Adds a package's stanza to dpkg's status file and its file list.
fn record(ctx: &mut Ctx<'_>, d: &Distro, name: &str, version: &str, files: &[String]) -> Result<(), Stop> {
    let deps: Vec<&str> = packages::deps(d.family, name).to_vec();
    let mut s = format!(
        "Package: {name}\nStatus: install ok installed\nPriority: optional\nSection: {}\nInstalled-Size: {}\nMaintainer: {}\nArchitecture: amd64\nVersion: {version}\n",
        if name.starts_with("lib") { "libs" } else { "misc" },
        packages::size_kb(name),
        if d.ubuntu { "Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>" } else { "Debian Developers <debian-devel@lists.debian.org>" }
    );
    if !deps.is_empty() {
        s.push_str(&format!("Depends: {}\n", deps.join(", ")));
    }
    s.push_str(&format!("Description: {}\n\n", packages::description(name)));
    support::append_file(ctx, STATUS, s.as_bytes()).map_err(|e| support::fs_fail(ctx, "dpkg", &e))?;
    let mut list = String::from("/.\n");
    for f in files {
        list.push_str(f);
        list.push('\n');
    }
    support::write_file(ctx, &format!("/var/lib/dpkg/info/{name}.list"), list.into_bytes(), 0o644).map_err(|e| support::fs_fail(ctx, "dpkg", &e))?;
    Ok(())
}

fn remove(ctx: &mut Ctx<'_>, d: &Distro, f: &Flags, pkgs: &[String], purge: bool, auto: bool) -> Res {
    if ctx.uid != 0 {
        return Ok(lock_error(ctx, d, false));
    }
    reading(ctx, f)?;
    if auto {
        outln(ctx, "0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.")?;
        return Ok(0);
    }
    let have = installed(ctx);
    let mut gone = Vec::new();
    for p in pkgs {
        if have.iter().any(|(n, _, _)| n == p) {
            gone.push(p.clone());
        } else if packages::locatable(d.family, p) {
            outln(ctx, &format!("Package '{p}' is not installed, so not removed"))?;
        } else {
            errln(ctx, &format!("E: Unable to locate package {p}"));
            return Ok(100);
        }
    }
    if gone.is_empty() {
        outln(ctx, "0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.")?;
        return Ok(0);
    }
    outln(ctx, &format!("The following packages will be REMOVED:\n{}", wrapped(&gone.iter().map(|g| if purge { format!("{g}*") } else { g.clone() }).collect::<Vec<_>>())))?;
    outln(ctx, &format!("0 upgraded, 0 newly installed, {} to remove and 0 not upgraded.", gone.len()))?;
    if !f.yes {
        support::out(ctx, "Do you want to continue? [Y/n] ")?;
        outln(ctx, "Abort.")?;
        return Ok(1);
    }
    outln(ctx, &format!("(Reading database ... {} files and directories currently installed.)", ctx.fs.usage().nodes))?;
    let status = ctx.fs.read(STATUS).map(|d| String::from_utf8_lossy(&d).into_owned()).unwrap_or_default();
    let mut kept = String::new();
    for stanza in status.split("\n\n").filter(|s| !s.trim().is_empty()) {
        let name = stanza.lines().next().and_then(|l| l.strip_prefix("Package: ")).unwrap_or("");
        if gone.iter().any(|g| g == name) {
            continue;
        }
        kept.push_str(stanza.trim_end());
        kept.push_str("\n\n");
    }
    for g in &gone {
        let v = have.iter().find(|(n, _, _)| n == g).map(|(_, v, _)| v.clone()).unwrap_or_default();
        outln(ctx, &format!("Removing {g} ({v}) ..."))?;
        let list = format!("/var/lib/dpkg/info/{g}.list");
        let files = ctx.fs.read(&list).map(|d| String::from_utf8_lossy(&d).into_owned()).unwrap_or_default();
        for file in files.lines().rev() {
            if file == "/." {
                continue;
            }
            let keep_conf = !purge && file.starts_with("/etc/");
            if keep_conf {
                continue;
            }
            if ctx.fs.lstat(file).map(|s| !s.is_dir()).unwrap_or(false) {
                let _ = ctx.fs.remove_file(file);
            } else {
                let _ = ctx.fs.remove_dir(file);
            }
        }
        let _ = ctx.fs.remove_file(&list);
        if purge {
            outln(ctx, &format!("Purging configuration files for {g} ({v}) ..."))?;
        }
    }
    support::write_file(ctx, STATUS, kept.into_bytes(), 0o644).map_err(|e| support::fs_fail(ctx, "dpkg", &e))?;
    Ok(0)
}

pub fn apt_cache(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, |ctx, argv| {
        let d = Distro::read(ctx);
        label(ctx, argv, "answers from the simulated package catalogue");
        let op = argv.get(1).map(String::as_str).unwrap_or("");
        let names: Vec<String> = argv.iter().skip(2).filter(|a| !a.starts_with('-')).cloned().collect();
        let lists = have_lists(ctx);
        match op {
            "policy" => {
                for n in &names {
                    let inst = installed(ctx).into_iter().find(|(p, _, _)| p == n).map(|(_, v, _)| v);
                    if !lists || !packages::locatable(d.family, n) {
                        if d.trusty() {
                            outln(ctx, &format!("{n}:\n  Installed: (none)\n  Candidate: (none)\n  Version table:"))?;
                        } else {
                            errln(ctx, &format!("N: Unable to locate package {n}"));
                        }
                        continue;
                    }
                    let v = packages::version(d.family, n);
                    let src = d.sources.first().map(|s| format!("{} {}/main amd64 Packages", s.url, s.suite)).unwrap_or_default();
                    outln(ctx, &format!("{n}:\n  Installed: {}\n  Candidate: {v}\n  Version table:\n     {v} 500\n        500 {src}", inst.clone().unwrap_or_else(|| "(none)".into())))?;
                }
                Ok(0)
            }
            "show" | "showpkg" => {
                for n in &names {
                    if !lists || !packages::locatable(d.family, n) {
                        errln(ctx, &format!("N: Unable to locate package {n}\nE: No packages found"));
                        return Ok(100);
                    }
                    outln(ctx, &format!("Package: {n}\nVersion: {}\nInstalled-Size: {}\nDescription: {}\n", packages::version(d.family, n), packages::size_kb(n), packages::description(n)))?;
                }
                Ok(0)
            }
            "search" => {
                if lists {
                    for n in &names {
                        if packages::locatable(d.family, n) {
                            outln(ctx, &format!("{n} - {}", packages::description(n)))?;
                        }
                    }
                }
                Ok(0)
            }
            _ => {
                errln(ctx, &format!("E: Invalid operation {op}"));
                Ok(100)
            }
        }
    })
}

pub fn dpkg(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, dpkg_main)
}

fn dpkg_main(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    label(ctx, argv, "reads the package records the simulated apt-get wrote");
    let args: Vec<String> = argv.iter().skip(1).cloned().collect();
    let op = args.first().cloned().unwrap_or_default();
    let rest: Vec<String> = args.iter().skip(1).filter(|a| !a.starts_with('-')).cloned().collect();
    let have = installed(ctx);
    let not_installed = |ctx: &mut Ctx<'_>, n: &str| {
        errln(ctx, &format!("dpkg-query: package '{n}' is not installed and no information is available\nUse dpkg --info (= dpkg-deb --info) to examine archive files,\nand dpkg --contents (= dpkg-deb --contents) to list their contents."));
    };
    match op.as_str() {
        "-l" | "--list" => {
            let matches: Vec<&(String, String, String)> = have.iter().filter(|(n, _, _)| rest.is_empty() || rest.iter().any(|r| glob(r, n))).collect();
            if matches.is_empty() {
                for r in &rest {
                    errln(ctx, &format!("dpkg-query: no packages found matching {r}"));
                }
                return Ok(1);
            }
            let nw = matches.iter().map(|(n, _, _)| n.len()).max().unwrap_or(4).max(15);
            let vw = matches.iter().map(|(_, v, _)| v.len()).max().unwrap_or(7).max(15);
            outln(ctx, "Desired=Unknown/Install/Remove/Purge/Hold\n| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)")?;
            outln(ctx, &format!("||/ {:<nw$} {:<vw$} {:<12} {}", "Name", "Version", "Architecture", "Description"))?;
            outln(ctx, &format!("+++-{}-{}-{}-{}", "=".repeat(nw), "=".repeat(vw), "=".repeat(12), "=".repeat(40)))?;
            for (n, v, desc) in matches {
                outln(ctx, &format!("ii  {n:<nw$} {v:<vw$} {:<12} {desc}", "amd64"))?;
            }
            Ok(0)
        }
        "-s" | "--status" | "-p" | "--print-avail" => {
            let mut status = 0;
            for n in &rest {
                match stanza_of(ctx, n) {
                    Some(s) => outln(ctx, &format!("{s}\n"))?,
                    None => {
                        not_installed(ctx, n);
                        status = 1;
                    }
                }
            }
            Ok(status)
        }
        "-L" | "--listfiles" => {
            let mut status = 0;
            for n in &rest {
                match ctx.fs.read(&format!("/var/lib/dpkg/info/{n}.list")) {
                    Ok(d) => support::out(ctx, &String::from_utf8_lossy(&d))?,
                    Err(_) => {
                        errln(ctx, &format!("dpkg-query: package '{n}' is not installed\nUse dpkg --contents (= dpkg-deb --contents) to list archive files contents."));
                        status = 1;
                    }
                }
            }
            Ok(status)
        }
        "-W" | "--show" => {
            let separate = args.windows(2).find(|w| w[0] == "-f" || w[0] == "--showformat").map(|w| w[1].clone());
            let inline = args.iter().find_map(|a| a.strip_prefix("--showformat=").or_else(|| a.strip_prefix("-f").filter(|v| !v.is_empty()))).map(|v| v.trim_start_matches('=').to_string());
            let fmt = separate.clone().or(inline).unwrap_or_else(|| "${Package}\t${Version}\n".into());
            let mut status = 0;
            let names: Vec<String> = rest.iter().filter(|r| Some(*r) != separate.as_ref()).cloned().collect();
            let targets: Vec<String> = if names.is_empty() { have.iter().map(|(n, _, _)| n.clone()).collect() } else { names };
            for n in targets {
                match have.iter().find(|(p, _, _)| *p == n) {
                    Some((p, v, _)) => {
                        let line = fmt.replace("${Package}", p).replace("${binary:Package}", p).replace("${Version}", v).replace("${Status}", "install ok installed").replace("${db:Status-Abbrev}", "ii ").replace("\\n", "\n").replace("\\t", "\t");
                        support::out(ctx, &line)?;
                    }
                    None => {
                        errln(ctx, &format!("dpkg-query: no packages found matching {n}"));
                        status = 1;
                    }
                }
            }
            Ok(status)
        }
        "--version" => {
            outln(ctx, "Debian 'dpkg' package management program version 1.21.22 (amd64).\nThis is free software; see the GNU General Public License version 2 or\nlater for copying conditions. There is NO warranty.")?;
            Ok(0)
        }
        "--print-architecture" => {
            outln(ctx, "amd64")?;
            Ok(0)
        }
        "-i" | "--install" => {
            for r in &rest {
                if !support::is_file(ctx, r) {
                    errln(ctx, &format!("dpkg: error: cannot access archive '{r}': No such file or directory"));
                    return Ok(2);
                }
            }
            errln(ctx, "(simulated) dpkg: installing .deb archives is not simulated in the playground");
            Ok(1)
        }
        _ => {
            errln(ctx, "dpkg: error: need an action option\n\nType dpkg --help for help about installing and deinstalling packages [*];\nUse 'apt' or 'aptitude' for user-friendly package management;\nType dpkg -Dhelp for a list of dpkg debug flag values;\nType dpkg --force-help for a list of forcing options;\nType dpkg-deb --help for help about manipulating *.deb files;\n\nOptions marked [*] produce a lot of output - pipe it through 'less' or 'more' !");
            Ok(2)
        }
    }
}

pub fn apt_mark(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, |ctx, argv| {
        let d = Distro::read(ctx);
        label(ctx, argv, "marks packages in the simulated dpkg database");
        let op = argv.get(1).map(String::as_str).unwrap_or("");
        let names: Vec<String> = argv.iter().skip(2).filter(|a| !a.starts_with('-')).cloned().collect();
        let have = installed(ctx);
        match op {
            "hold" | "unhold" | "auto" | "manual" | "minimize-manual" => {
                for n in &names {
                    if !have.iter().any(|(p, _, _)| p == n) && !packages::locatable(d.family, n) {
                        errln(ctx, &format!("E: Unable to locate package {n}"));
                        return Ok(100);
                    }
                    let msg = match op {
                        "hold" => format!("{n} set on hold."),
                        "unhold" => format!("Canceled hold on {n}."),
                        "auto" => format!("{n} set to automatically installed."),
                        _ => format!("{n} set to manually installed."),
                    };
                    outln(ctx, &msg)?;
                }
                Ok(0)
            }
            "showmanual" | "showinstall" => {
                for (p, _, _) in have {
                    outln(ctx, &p)?;
                }
                Ok(0)
            }
            "showhold" | "showauto" => Ok(0),
            _ => {
                errln(ctx, &format!("E: Invalid operation {op}"));
                Ok(100)
            }
        }
    })
}

pub fn apt_config(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, |ctx, argv| {
        label(ctx, argv, "APT's configuration in the playground");
        match argv.get(1).map(String::as_str) {
            Some("dump") => {
                outln(ctx, "APT \"\";\nAPT::Architecture \"amd64\";\nAPT::Build-Essential \"\";\nAPT::Build-Essential:: \"build-essential\";\nDir \"/\";\nDir::State \"var/lib/apt\";\nDir::State::lists \"lists/\";\nDir::Cache \"var/cache/apt\";\nDir::Etc \"etc/apt\";")?;
                Ok(0)
            }
            Some("shell") => Ok(0),
            _ => {
                errln(ctx, "E: Invalid operation");
                Ok(100)
            }
        }
    })
}

pub fn debconf_set_selections(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, |ctx, argv| {
        label(ctx, argv, "records debconf answers for the simulated installs");
        let text = match argv.iter().skip(1).find(|a| !a.starts_with('-')) {
            Some(f) => match support::read_text(ctx, f) {
                Ok(t) => t,
                Err(e) => return Err(support::fs_fail(ctx, "debconf-set-selections", &e)),
            },
            None => String::from_utf8_lossy(ctx.stdin.read_all()).into_owned(),
        };
        support::charge_bytes(ctx, text.len())?;
        let mut rec = String::new();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let mut w = line.splitn(4, char::is_whitespace);
            let (Some(owner), Some(q), Some(kind)) = (w.next(), w.next(), w.next()) else {
                errln(ctx, &format!("error: Cannot parse line \"{line}\""));
                continue;
            };
            rec.push_str(&format!("Name: {q}\nTemplate: {q}\nValue: {}\nOwners: {owner}\nFlags: seen\nType: {kind}\n\n", w.next().unwrap_or("").trim()));
        }
        support::append_file(ctx, "/var/cache/debconf/config.dat", rec.as_bytes()).map_err(|e| support::fs_fail(ctx, "debconf-set-selections", &e))?;
        Ok(0)
    })
}

pub fn update_alternatives(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, |ctx, argv| {
        label(ctx, argv, "maintains /etc/alternatives symlinks");
        let args: Vec<String> = argv.iter().skip(1).filter(|a| *a != "--quiet").cloned().collect();
        match args.first().map(String::as_str) {
            Some("--install") if args.len() >= 5 => {
                let (link, name, target) = (&args[1], &args[2], &args[3]);
                let alt = format!("/etc/alternatives/{name}");
                support::symlink_force(ctx, target, &alt).map_err(|e| support::fs_fail(ctx, "update-alternatives", &e))?;
                support::symlink_force(ctx, &alt, link).map_err(|e| support::fs_fail(ctx, "update-alternatives", &e))?;
                let admin = format!("/var/lib/dpkg/alternatives/{name}");
                support::write_file(ctx, &admin, format!("auto\n{link}\n\n{target}\n{}\n\n", args[4]).into_bytes(), 0o644).map_err(|e| support::fs_fail(ctx, "update-alternatives", &e))?;
                outln(ctx, &format!("update-alternatives: using {target} to provide {link} ({name}) in auto mode"))?;
                Ok(0)
            }
            Some("--set") if args.len() >= 3 => {
                let (name, target) = (&args[1], &args[2]);
                if !support::is_file(ctx, target) {
                    errln(ctx, &format!("update-alternatives: error: alternative {target} for {name} not registered; not setting"));
                    return Ok(2);
                }
                let alt = format!("/etc/alternatives/{name}");
                support::symlink_force(ctx, target, &alt).map_err(|e| support::fs_fail(ctx, "update-alternatives", &e))?;
                outln(ctx, &format!("update-alternatives: using {target} to provide /usr/bin/{name} ({name}) in manual mode"))?;
                Ok(0)
            }
            Some("--display") | Some("--query") | Some("--list") => {
                let name = args.get(1).cloned().unwrap_or_default();
                match ctx.fs.read_link(&format!("/etc/alternatives/{name}")) {
                    Ok(t) => {
                        outln(ctx, &if args[0] == "--list" { t } else { format!("{name} - auto mode\n  link currently points to {t}") })?;
                        Ok(0)
                    }
                    Err(_) => {
                        errln(ctx, &format!("update-alternatives: error: no alternatives for {name}"));
                        Ok(2)
                    }
                }
            }
            _ => Ok(0),
        }
    })
}

pub fn dpkg_deb(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, |ctx, argv| {
        label(ctx, argv, "dpkg-deb in the playground: --build writes a stand-in archive");
        let args: Vec<String> = argv.iter().skip(1).cloned().collect();
        if matches!(args.first().map(String::as_str), Some("--build") | Some("-b")) {
            let Some(dir) = args.get(1) else {
                errln(ctx, "dpkg-deb: error: --build needs a <directory> argument\n\nType dpkg-deb --help for help about manipulating *.deb files;\nType dpkg --help for help about installing and deinstalling packages.");
                return Ok(2);
            };
            let control = path::join(&ctx.abs(dir), "DEBIAN/control");
            let Ok(c) = support::read_text(ctx, &control) else {
                errln(ctx, &format!("dpkg-deb: error: failed to open package info file '{control}' for reading: No such file or directory"));
                return Ok(2);
            };
            let field = |k: &str| c.lines().find_map(|l| l.strip_prefix(&format!("{k}: "))).unwrap_or("").to_string();
            let out = args.get(2).cloned().unwrap_or_else(|| format!("{}.deb", dir.trim_end_matches('/')));
            let mut deb = b"!<arch>\ndebian-binary   0           0     0     100644  4         `\n2.0\n".to_vec();
            deb.extend_from_slice(format!("(dfplay stand-in .deb for {} {})\n", field("Package"), field("Version")).as_bytes());
            support::write_file(ctx, &out, deb, 0o644).map_err(|e| support::fs_fail(ctx, "dpkg-deb", &e))?;
            outln(ctx, &format!("dpkg-deb: building package '{}' in '{out}'.", field("Package")))?;
            return Ok(0);
        }
        errln(ctx, "dpkg-deb: error: need an action option");
        Ok(2)
    })
}

/// dpkg's shell-style pattern match (`*`, `?`), linear in practice (greedy with one backtrack point).
fn glob(pat: &str, name: &str) -> bool {
    let (p, n) = (pat.as_bytes(), name.as_bytes());
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ni));
            pi += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    #[test]
    fn globs() {
        assert!(super::glob("apache*", "apache2"));
        assert!(super::glob("*2", "apache2"));
        assert!(super::glob("a?ache2", "apache2"));
        assert!(!super::glob("nginx", "apache2"));
        assert!(!super::glob(&"*a".repeat(40), &"a".repeat(39)));
    }
}
