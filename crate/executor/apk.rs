//! The simulated apk-tools of the Alpine stand-ins: `apk add` (`--no-cache`,
//! `--update`/`-U`, `--virtual`/`-t NAME`, `name=version`), `apk update`, `apk del`,
//! `apk info`, `apk --version`. Packages are recorded in /etc/apk/world and
//! /lib/apk/db/installed and leave their files (a `bash` stand-in at /bin/bash,
//! curl, git, …). Without `--no-cache` the fetched indexes stay in
//! /var/cache/apk, as they do for real, which is the lesson of `--no-cache`.
//!
//! Which names apk refuses: names that are not valid package names, and the
//! Debian/Ubuntu names that Alpine does not have (`build-essential`,
//! `python3-pip`, `libssl-dev`, …): `ERROR: unable to select packages:` with
//! status 1 per missing name. Any other well-formed name installs (as a
//! placeholder record when the catalogue does not know it): the playground
//! cannot see the real index, and refusing plausible names would break builds
//! that work.

use super::packages::{self, Family};
use super::support::{self, errln, label, outln, Res, Stop};
use crate::shell::proc::Ctx;

const WORLD: &str = "/etc/apk/world";
const DB: &str = "/lib/apk/db/installed";

struct Alpine {
    version: String,
    family: Family,
    repos: Vec<String>,
}

impl Alpine {
    fn read(ctx: &Ctx<'_>) -> Alpine {
        let version = ctx.fs.read("/etc/alpine-release").map(|d| String::from_utf8_lossy(&d).trim().to_string()).unwrap_or_else(|_| "3.20.3".into());
        let (_, minor) = support::major_minor(&version);
        let family = if minor < 10 { Family::Alpine39 } else { Family::Alpine };
        let repos = ctx
            .fs
            .read("/etc/apk/repositories")
            .map(|d| String::from_utf8_lossy(&d).lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect())
            .unwrap_or_default();
        Alpine { version, family, repos }
    }
    fn apk_tools(&self) -> &'static str {
        if self.family == Family::Alpine39 {
            "2.10.8"
        } else {
            "2.14.4"
        }
    }
}

fn installed(ctx: &Ctx<'_>) -> Vec<(String, String)> {
    let text = ctx.fs.read(DB).map(|d| String::from_utf8_lossy(&d).into_owned()).unwrap_or_default();
    let mut out = Vec::new();
    for stanza in text.split("\n\n") {
        let p = stanza.lines().find_map(|l| l.strip_prefix("P:"));
        let v = stanza.lines().find_map(|l| l.strip_prefix("V:"));
        if let (Some(p), Some(v)) = (p, v) {
            out.push((p.to_string(), v.to_string()));
        }
    }
    out
}

fn world(ctx: &Ctx<'_>) -> Vec<String> {
    ctx.fs.read(WORLD).map(|d| String::from_utf8_lossy(&d).split_whitespace().map(str::to_string).collect()).unwrap_or_default()
}

fn total_mib(ctx: &Ctx<'_>, pkgs: &[(String, String)]) -> u64 {
    let _ = ctx;
    let kb: u64 = pkgs.iter().map(|(n, _)| if n == "busybox" || n == "musl" { 800 } else { packages::size_kb(n) as u64 }).sum();
    (kb / 1024).max(1) + 4
}

pub fn apk(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, apk_main)
}

fn apk_main(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let a = Alpine::read(ctx);
    let args: Vec<String> = argv.iter().skip(1).cloned().collect();
    let mut no_cache = false;
    let mut update_first = false;
    let mut virtual_name: Option<String> = None;
    let mut quiet = false;
    let mut words = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let x = args[i].as_str();
        match x {
            "--no-cache" => no_cache = true,
            "-U" | "--update" | "--update-cache" => update_first = true,
            "-t" | "--virtual" => {
                i += 1;
                virtual_name = args.get(i).cloned();
            }
            "-q" | "--quiet" => quiet = true,
            "-X" | "--repository" | "-p" | "--root" | "--arch" | "--keys-dir" => i += 1,
            "--version" | "-V" => {
                label(ctx, argv, "the playground's stand-in apk");
                outln(ctx, &format!("apk-tools {}, compiled for x86_64.", a.apk_tools()))?;
                return Ok(0);
            }
            _ if x.starts_with('-') => {}
            _ => words.push(x.to_string()),
        }
        i += 1;
    }
    let op = words.first().cloned().unwrap_or_default();
    let names: Vec<String> = words.iter().skip(1).cloned().collect();
    label(ctx, argv, "the playground has no network; package indexes and packages are simulated (placeholder files, real apk records)");
    let write_op = matches!(op.as_str(), "add" | "del" | "update" | "upgrade" | "fix");
    if write_op && ctx.uid != 0 {
        errln(ctx, "ERROR: Unable to lock database: Permission denied\nERROR: Failed to open apk database: Permission denied");
        return Ok(99);
    }
    match op.as_str() {
        "update" => {
            fetch_indexes(ctx, &a, false, quiet)?;
            for r in &a.repos {
                if !quiet {
                    outln(ctx, &format!("v{}-{} [{r}]", a.version, if r.contains("community") { "81-gb2a4a5b0d2" } else { "82-g8d1b07a1c0" }))?;
                }
            }
            if !quiet {
                outln(ctx, &format!("OK: {} distinct packages available", if a.family == Family::Alpine39 { 10_132 } else { 24_186 }))?;
            }
            Ok(0)
        }
        "add" => add(ctx, &a, &names, no_cache, update_first, virtual_name, quiet),
        "del" | "delete" => del(ctx, &a, &names, quiet),
        "upgrade" => {
            fetch_indexes(ctx, &a, no_cache, quiet)?;
            let have = installed(ctx);
            if !quiet {
                outln(ctx, &format!("OK: {} MiB in {} packages", total_mib(ctx, &have), have.len()))?;
            }
            Ok(0)
        }
        "info" => {
            let have = installed(ctx);
            let verbose = args.iter().any(|x| x == "-v" || x == "-vv");
            let exists = args.iter().any(|x| x == "-e" || x == "--installed");
            if names.is_empty() {
                for (n, v) in &have {
                    outln(ctx, &if verbose { format!("{n}-{v}") } else { n.clone() })?;
                }
                return Ok(0);
            }
            let mut status = 0;
            for n in &names {
                match have.iter().find(|(p, _)| p == n) {
                    Some((p, _)) if exists => outln(ctx, p)?,
                    Some((p, v)) => outln(ctx, &format!("{p}-{v} description:\n{}\n\n{p}-{v} webpage:\nhttps://pkgs.alpinelinux.org/package/{p}\n\n{p}-{v} installed size:\n{} KiB\n", packages::description(p), packages::size_kb(p)))?,
                    None => status = 1,
                }
            }
            Ok(status)
        }
        "search" => {
            for n in &names {
                if packages::locatable(a.family, n) {
                    outln(ctx, &format!("{n}-{}", packages::version(a.family, n)))?;
                }
            }
            Ok(0)
        }
        "cache" => Ok(0),
        "" => {
            outln(ctx, &format!("apk-tools {}, compiled for x86_64.\n\nusage: apk [<OPTIONS>...] COMMAND [<ARGUMENTS>...]\n\nPackage installation and removal:\n  add        Add packages to WORLD and commit changes\n  del        Remove packages from WORLD and commit changes", a.apk_tools()))?;
            Ok(1)
        }
        other => {
            errln(ctx, &format!("apk: applet '{other}' not found"));
            Ok(1)
        }
    }
}

/// Prints the fetch lines; keeps the index files in /var/cache/apk unless `no_cache`.
fn fetch_indexes(ctx: &mut Ctx<'_>, a: &Alpine, no_cache: bool, quiet: bool) -> Result<(), Stop> {
    for r in &a.repos {
        if !quiet {
            outln(ctx, &format!("fetch {r}/x86_64/APKINDEX.tar.gz"))?;
        }
        if !no_cache {
            let h = support::fnv(r.as_bytes());
            let file = format!("/var/cache/apk/APKINDEX.{:08x}.tar.gz", h as u32);
            let size = if r.contains("community") { 1_050_000 } else { 760_000 };
            let d = support::padded(vec![0x1f, 0x8b, 0x08, 0x00], size);
            support::write_file(ctx, &file, d, 0o644).map_err(|e| support::fs_fail(ctx, "apk", &e))?;
        }
    }
    Ok(())
}

fn add(ctx: &mut Ctx<'_>, a: &Alpine, requested: &[String], no_cache: bool, update_first: bool, virtual_name: Option<String>, quiet: bool) -> Res {
    let cached = ctx.fs.read_dir("/var/cache/apk").map(|e| e.iter().any(|(n, _)| n.starts_with("APKINDEX"))).unwrap_or(false);
    if no_cache || update_first || !cached {
        fetch_indexes(ctx, a, no_cache, quiet)?;
    }
    let mut names = Vec::new();
    let mut missing = Vec::new();
    for r in requested {
        let name = r.split(['=', '<', '>', '~']).next().unwrap_or("").to_string();
        if !packages::locatable(a.family, &name) {
            missing.push(name);
        } else if !names.contains(&name) {
            names.push(name);
        }
    }
    if !missing.is_empty() {
        errln(ctx, "ERROR: unable to select packages:");
        for m in &missing {
            let why = if a.family == Family::Alpine39 { "missing" } else { "no such package" };
            errln(ctx, &format!("  {m} ({why}):\n    required by: world[{m}]"));
        }
        return Ok(missing.len() as i32);
    }
    let have = installed(ctx);
    let is_installed = |n: &str| have.iter().any(|(p, _)| p == n);
    let mut to_install: Vec<String> = Vec::new();
    let mut queue: Vec<String> = names.clone();
    while let Some(p) = queue.pop() {
        if is_installed(&p) || to_install.contains(&p) {
            continue;
        }
        to_install.push(p.clone());
        for d in packages::deps(a.family, &p) {
            if packages::locatable(a.family, d) && !is_installed(d) && !to_install.iter().any(|t| t == d) {
                queue.push(d.to_string());
            }
        }
        if to_install.len() > 200 {
            break;
        }
    }
    // dependencies first, as apk orders them
    to_install.reverse();
    let virt = virtual_name.clone();
    let total = to_install.len() + usize::from(virt.is_some());
    let mut k = 0;
    let mut triggers: Vec<String> = Vec::new();
    for p in &to_install {
        k += 1;
        let v = packages::version(a.family, p);
        if !quiet {
            outln(ctx, &format!("({k}/{total}) Installing {p} ({v})"))?;
        }
        let files = packages::install_files(ctx, a.family, p, &v).map_err(|e| {
            errln(ctx, &format!("ERROR: {p}-{v}: {}", e));
            Stop(1)
        })?;
        let mut rec = format!("P:{p}\nV:{v}\nA:x86_64\nT:{}\nI:{}\n", packages::description(p), packages::size_kb(p) as u64 * 1024);
        let deps = packages::deps(a.family, p);
        if !deps.is_empty() {
            rec.push_str(&format!("D:{}\n", deps.join(" ")));
        }
        let mut last_dir = String::new();
        for f in &files {
            let rel = f.trim_start_matches('/');
            let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
            if dir != last_dir {
                rec.push_str(&format!("F:{dir}\n"));
                last_dir = dir.to_string();
            }
            rec.push_str(&format!("R:{file}\n"));
        }
        rec.push('\n');
        support::append_file(ctx, DB, rec.as_bytes()).map_err(|e| support::fs_fail(ctx, "apk", &e))?;
        if p == "ca-certificates" {
            triggers.push(format!("ca-certificates-{v}.trigger"));
        }
    }
    let stamp = support::iso_time(ctx.clock.now).replace(['-', ':'], "").replace('T', ".").trim_end_matches('Z').to_string();
    if let Some(v) = &virt {
        k += 1;
        if !quiet {
            outln(ctx, &format!("({k}/{total}) Installing {v} ({stamp})"))?;
        }
        let rec = format!("P:{v}\nV:{stamp}\nA:noarch\nT:virtual meta package\nD:{}\n\n", names.join(" "));
        support::append_file(ctx, DB, rec.as_bytes()).map_err(|e| support::fs_fail(ctx, "apk", &e))?;
    }
    // world: the virtual package stands for its members
    let mut w = world(ctx);
    match &virt {
        Some(v) => {
            if !w.contains(v) {
                w.push(v.clone());
            }
        }
        None => {
            for n in &names {
                if !w.contains(n) {
                    w.push(n.clone());
                }
            }
        }
    }
    w.sort();
    support::write_file(ctx, WORLD, (w.join("\n") + "\n").into_bytes(), 0o644).map_err(|e| support::fs_fail(ctx, "apk", &e))?;
    if !quiet {
        if k > 0 {
            let bb = if a.family == Family::Alpine39 { "busybox-1.29.3-r10.trigger" } else { "busybox-1.36.1-r29.trigger" };
            outln(ctx, &format!("Executing {bb}"))?;
            for t in &triggers {
                outln(ctx, &format!("Executing {t}"))?;
            }
        }
        let have = installed(ctx);
        outln(ctx, &format!("OK: {} MiB in {} packages", total_mib(ctx, &have), have.len()))?;
    }
    Ok(0)
}

fn del(ctx: &mut Ctx<'_>, a: &Alpine, names: &[String], quiet: bool) -> Res {
    let have = installed(ctx);
    let mut w = world(ctx);
    let db = ctx.fs.read(DB).map(|d| String::from_utf8_lossy(&d).into_owned()).unwrap_or_default();
    let mut gone: Vec<(String, String)> = Vec::new();
    for n in names {
        if !w.contains(n) {
            errln(ctx, &format!("WARNING: Ignoring {n}: No such package"));
            continue;
        }
        w.retain(|x| x != n);
        // a virtual package takes its members with it
        let members: Vec<String> = db
            .split("\n\n")
            .find(|s| s.lines().next() == Some(&format!("P:{n}")))
            .and_then(|s| s.lines().find_map(|l| l.strip_prefix("D:")).map(|d| d.split_whitespace().map(str::to_string).collect()))
            .unwrap_or_default();
        for m in std::iter::once(n.clone()).chain(members.into_iter().filter(|m| !w.contains(m))) {
            if let Some((p, v)) = have.iter().find(|(p, _)| *p == m) {
                if !gone.iter().any(|(g, _)| g == p) {
                    gone.push((p.clone(), v.clone()));
                }
            }
        }
    }
    let total = gone.len();
    let mut kept = String::new();
    for stanza in db.split("\n\n").filter(|s| !s.trim().is_empty()) {
        let p = stanza.lines().find_map(|l| l.strip_prefix("P:")).unwrap_or("");
        if gone.iter().any(|(g, _)| g == p) {
            // remove its files
            let mut dir = String::new();
            for l in stanza.lines() {
                if let Some(d) = l.strip_prefix("F:") {
                    dir = d.to_string();
                } else if let Some(f) = l.strip_prefix("R:") {
                    let _ = ctx.fs.remove_file(&format!("/{dir}/{f}").replace("//", "/"));
                }
            }
            continue;
        }
        kept.push_str(stanza.trim_end());
        kept.push_str("\n\n");
    }
    for (k, (p, v)) in gone.iter().enumerate() {
        if !quiet {
            outln(ctx, &format!("({}/{total}) Purging {p} ({v})", k + 1))?;
        }
    }
    support::write_file(ctx, DB, kept.into_bytes(), 0o644).map_err(|e| support::fs_fail(ctx, "apk", &e))?;
    support::write_file(ctx, WORLD, (w.join("\n") + "\n").into_bytes(), 0o644).map_err(|e| support::fs_fail(ctx, "apk", &e))?;
    if !quiet {
        let have = installed(ctx);
        let _ = a;
        outln(ctx, &format!("OK: {} MiB in {} packages", total_mib(ctx, &have), have.len()))?;
    }
    Ok(0)
}
