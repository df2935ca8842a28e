//! The simulated npm, npx and Yarn 1. `npm install`/`ci`/`i <pkg>` read
//! package.json (any JSON; what is not an object of strings is skipped), put
//! each dependency in `node_modules/<name>/` as a placeholder package (the
//! playground downloads nothing), fill npm's cache (`~/.npm/_cacache`, so
//! `npm cache clean --force` has something to teach) and write the lockfile;
//! the log is npm's own, in the shape of the image's npm (6 for Node ≤ 14,
//! otherwise 7+): warnings, `added N packages … in Ns`, `found 0
//! vulnerabilities`, and npm's errors (ENOENT, EJSONPARSE, `npm ci` without a
//! lockfile, a missing script). `npm start`/`run`/`test` run the script
//! through the shell that started npm, as npm does.

use super::support::{self, errln, label, out, outln, Res, Stop};
use crate::shell::proc::Ctx;
use crate::vfs::path;
use serde_json::{Map, Value};

/// Which npm the image has.
struct Npm {
    version: String,
    /// npm 6 (Node ≤ 14) words things differently.
    v6: bool,
    node: String,
}

impl Npm {
    fn read(ctx: &Ctx<'_>) -> Npm {
        let node = support::env_nonempty(ctx, "NODE_VERSION")
            .map(str::to_string)
            .or_else(|| support::standin_version(ctx, "/usr/local/bin/node", "Node.js v"))
            .or_else(|| support::installed_version(ctx, "nodejs"))
            .unwrap_or_else(|| "20.11.1".into());
        let version = match support::major_minor(&node).0 {
            0..=9 => "5.6.0",
            10 => "6.9.0",
            11..=14 => "6.14.18",
            15 | 16 => "8.19.4",
            17..=21 => "10.8.2",
            22 | 23 => "10.9.2",
            _ => "11.6.2",
        }
        .to_string();
        let v6 = support::major_minor(&version).0 < 7;
        Npm { version, v6, node }
    }
    fn err_prefix(&self) -> &'static str {
        if self.v6 {
            "npm ERR!"
        } else if support::major_minor(&self.version).0 >= 10 {
            "npm error"
        } else {
            "npm ERR!"
        }
    }
    fn warn_prefix(&self) -> &'static str {
        if support::major_minor(&self.version).0 >= 10 {
            "npm warn"
        } else {
            "npm WARN"
        }
    }
}

fn log_file(ctx: &mut Ctx<'_>, npm: &Npm) -> String {
    let stamp = format!("{}_000Z", support::iso_time(ctx.clock.now).trim_end_matches('Z').replace(':', "_"));
    let name = if npm.v6 { format!("{stamp}-debug.log") } else { format!("{stamp}-debug-0.log") };
    let p = format!("{}/.npm/_logs/{name}", support::home(ctx));
    let _ = support::write_file(ctx, &p, format!("0 verbose cli /usr/local/bin/node /usr/local/bin/npm\n1 info using npm@{}\n2 info using node@v{}\n3 verbose exit 1\n", npm.version, npm.node).into_bytes(), 0o644);
    p
}

/// Prints npm's error block (lines without the prefix) and the log-file note.
fn npm_error(ctx: &mut Ctx<'_>, npm: &Npm, lines: &[String]) {
    let p = npm.err_prefix();
    for l in lines {
        if l.is_empty() {
            errln(ctx, p);
        } else {
            errln(ctx, &format!("{p} {l}"));
        }
    }
    let log = log_file(ctx, npm);
    if npm.v6 {
        errln(ctx, &format!("\n{p} A complete log of this run can be found in:\n{p}     {log}"));
    } else if support::major_minor(&npm.version).0 >= 10 {
        errln(ctx, &format!("{p} A complete log of this run can be found in: {log}"));
    } else {
        errln(ctx, &format!("\n{p} A complete log of this run can be found in:\n{p}     {log}"));
    }
}

/// A dependency spec to a version to install: `^8.5.1` → `8.5.1`.
fn version_of(spec: &str, name: &str) -> String {
    let s = spec.trim();
    let s = s.split("||").next().unwrap_or("").trim();
    let s = s.split_whitespace().next().unwrap_or("");
    let s = s.trim_start_matches(|c: char| "^~>=<v".contains(c));
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        let parts: Vec<String> = s.split('.').take(3).map(|p| if p == "x" || p == "*" { "0".into() } else { p.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect() }).collect();
        let mut v = parts.join(".");
        for _ in parts.len()..3 {
            v.push_str(".0");
        }
        return v;
    }
    // "latest", "*", tags, git and file specs: a version from the name, stable across runs
    let h = support::fnv(name.as_bytes());
    format!("{}.{}.{}", 1 + h % 5, (h >> 8) % 20, (h >> 16) % 10)
}

/// Packages whose bin commands go in node_modules/.bin.
const BINS: &[(&str, &[&str])] = &[
    ("nodemon", &["nodemon"]),
    ("typescript", &["tsc", "tsserver"]),
    ("pm2", &["pm2", "pm2-runtime"]),
    ("http-server", &["http-server"]),
    ("serve", &["serve"]),
    ("webpack", &["webpack"]),
    ("webpack-cli", &["webpack-cli"]),
    ("jest", &["jest"]),
    ("mocha", &["mocha"]),
    ("eslint", &["eslint"]),
    ("prettier", &["prettier"]),
    ("react-scripts", &["react-scripts"]),
    ("next", &["next"]),
    ("vite", &["vite"]),
    ("ts-node", &["ts-node"]),
    ("concurrently", &["concurrently"]),
    ("rimraf", &["rimraf"]),
    ("cross-env", &["cross-env"]),
    ("@nestjs/cli", &["nest"]),
    ("@angular/cli", &["ng"]),
];

struct Opts {
    production: bool,
    quiet: bool,
    audit: bool,
    global: bool,
    save_dev: bool,
    frozen: bool,
}

fn opts(ctx: &Ctx<'_>, args: &[String]) -> Opts {
    let has = |f: &str| args.iter().any(|a| a == f);
    let production = has("--production")
        || has("--omit=dev")
        || args.iter().any(|a| a == "--only=prod" || a == "--only=production")
        || args.windows(2).any(|w| w[0] == "--omit" && w[1] == "dev")
        || ctx.getenv("NODE_ENV") == Some("production");
    let quiet = has("--silent") || has("-s") || has("--quiet") || args.iter().any(|a| a == "--loglevel=silent" || a == "--loglevel=error") || args.windows(2).any(|w| w[0] == "--loglevel" && (w[1] == "silent" || w[1] == "error"));
    Opts { production, quiet, audit: !has("--no-audit"), global: has("-g") || has("--global"), save_dev: has("-D") || has("--save-dev"), frozen: has("--frozen-lockfile") || has("--immutable") }
}

fn read_package_json(ctx: &mut Ctx<'_>, file: &str) -> Result<Option<Value>, String> {
    let data = match ctx.fs.read(file) {
        Ok(d) => d,
        Err(_) => return Ok(None),
    };
    support::charge_bytes(ctx, data.len()).map_err(|_| "budget".to_string())?;
    let text = String::from_utf8_lossy(&data).into_owned();
    match serde_json::from_str::<Value>(&text) {
        Ok(v) => Ok(Some(v)),
        Err(e) => {
            // serde's line/column to a byte position, as JSON.parse reports it
            let line = e.line().max(1);
            let col = e.column().max(1);
            let pos: usize = text.split('\n').take(line - 1).map(|l| l.len() + 1).sum::<usize>() + col - 1;
            let pos = pos.min(text.len());
            let near: String = text.get(pos.saturating_sub(10)..).unwrap_or("").chars().take(20).collect();
            let tok = text.get(pos..).and_then(|t| t.chars().next()).map(|c| c.to_string()).unwrap_or_else(|| "end of JSON input".into());
            Err(format!("{tok}\u{0}{pos}\u{0}{near}"))
        }
    }
}

/// Dependencies of a package.json object, in order: (name, spec, dev).
fn deps_of(pkg: &Value, production: bool) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    let mut add = |key: &str, dev: bool| {
        if let Some(Value::Object(m)) = pkg.get(key) {
            for (k, v) in m {
                if let Some(spec) = v.as_str() {
                    if !k.is_empty() && !k.contains("..") && !k.starts_with('/') && !out.iter().any(|(n, _, _): &(String, String, bool)| n == k) {
                        out.push((k.clone(), spec.to_string(), dev));
                    }
                }
            }
        }
    };
    add("dependencies", false);
    add("optionalDependencies", false);
    if !production {
        add("devDependencies", true);
    }
    out
}

fn str_field<'v>(pkg: &'v Value, key: &str) -> Option<&'v str> {
    pkg.get(key).and_then(Value::as_str)
}

pub fn npm(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, npm_main)
}

fn npm_main(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let npm = Npm::read(ctx);
    let sub = argv.iter().skip(1).find(|a| !a.starts_with('-')).cloned().unwrap_or_default();
    let rest: Vec<String> = argv.iter().skip(1).filter(|a| **a != sub).cloned().collect();
    if sub.is_empty() && (rest.iter().any(|a| a == "-v" || a == "--version")) {
        label(ctx, argv, "the playground's stand-in npm");
        outln(ctx, &npm.version)?;
        return Ok(0);
    }
    match sub.as_str() {
        "install" | "i" | "in" | "ins" | "inst" | "insta" | "instal" | "isnt" | "isnta" | "isntal" | "isntall" | "add" => {
            label(ctx, argv, "the playground has no network; packages are simulated (placeholders in node_modules)");
            install(ctx, &npm, &rest, false)
        }
        "ci" | "clean-install" | "ic" | "install-clean" => {
            label(ctx, argv, "the playground has no network; packages are simulated (placeholders in node_modules)");
            install(ctx, &npm, &rest, true)
        }
        "run" | "run-script" | "rum" | "urn" => {
            let name = rest.iter().find(|a| !a.starts_with('-')).cloned();
            label(ctx, argv, "runs the package.json script in the playground's shell");
            match name {
                Some(n) => run_script(ctx, &npm, &n, &rest),
                None => list_scripts(ctx),
            }
        }
        "start" | "test" | "t" | "tst" | "stop" | "restart" => {
            label(ctx, argv, "runs the package.json script in the playground's shell");
            let n = if sub == "t" || sub == "tst" { "test" } else { &sub };
            run_script(ctx, &npm, n, &rest)
        }
        "cache" => {
            label(ctx, argv, "npm's cache in the playground");
            let action = rest.iter().find(|a| !a.starts_with('-')).map(String::as_str).unwrap_or("");
            if action == "clean" || action == "clear" {
                if !rest.iter().any(|a| a == "--force" || a == "-f") && !npm.v6 {
                    errln(ctx, &format!("{} `npm cache clean` requires --force (the cache verifies itself; clean only to save space)", npm.err_prefix()));
                    return Ok(1);
                }
                if rest.iter().any(|a| a == "--force" || a == "-f") {
                    errln(ctx, &format!("{} using --force {}", npm.warn_prefix(), if npm.v6 { "I sure hope you know what you are doing." } else { "Recommended protections disabled." }));
                }
                let cache = format!("{}/.npm/_cacache", support::home(ctx));
                if ctx.fs.lstat(&cache).is_ok() {
                    ctx.fs.remove_all(&cache).map_err(|e| support::fs_fail(ctx, "npm", &e))?;
                }
            }
            Ok(0)
        }
        "init" => {
            label(ctx, argv, "writes package.json as npm init -y would");
            let name = path::basename(&ctx.cwd).to_lowercase().replace(' ', "-");
            let name = if name == "/" || name.is_empty() { "app".to_string() } else { name };
            let body = format!("{{\n  \"name\": \"{name}\",\n  \"version\": \"1.0.0\",\n  \"description\": \"\",\n  \"main\": \"index.js\",\n  \"scripts\": {{\n    \"test\": \"echo \\\"Error: no test specified\\\" && exit 1\"\n  }},\n  \"keywords\": [],\n  \"author\": \"\",\n  \"license\": \"ISC\"\n}}\n");
            let target = path::join(&ctx.cwd.clone(), "package.json");
            support::write_file(ctx, &target, body.clone().into_bytes(), 0o644).map_err(|e| support::fs_fail(ctx, "npm", &e))?;
            outln(ctx, &format!("Wrote to {target}:\n\n{body}\n"))?;
            Ok(0)
        }
        "ls" | "list" | "la" | "ll" => {
            label(ctx, argv, "lists the simulated node_modules");
            let cwd = ctx.cwd.clone();
            let pkg = read_package_json(ctx, &path::join(&cwd, "package.json")).ok().flatten().unwrap_or(Value::Null);
            let name = str_field(&pkg, "name").unwrap_or("").to_string();
            let version = str_field(&pkg, "version").unwrap_or("").to_string();
            outln(ctx, &format!("{name}@{version} {cwd}"))?;
            let deps = deps_of(&pkg, false);
            for (i, (n, _, _)) in deps.iter().enumerate() {
                let v = ctx.fs.read(&path::join(&cwd, &format!("node_modules/{n}/package.json"))).ok().and_then(|d| serde_json::from_slice::<Value>(&d).ok()).and_then(|p| p.get("version").and_then(Value::as_str).map(str::to_string));
                let branch = if i + 1 == deps.len() { "└──" } else { "├──" };
                match v {
                    Some(v) => outln(ctx, &format!("{branch} {n}@{v}"))?,
                    None => outln(ctx, &format!("{branch} UNMET DEPENDENCY {n}"))?,
                }
            }
            Ok(0)
        }
        "audit" => {
            label(ctx, argv, "the playground has no network; the audit is simulated");
            outln(ctx, "found 0 vulnerabilities")?;
            Ok(0)
        }
        "config" | "set" | "get" | "prune" | "dedupe" | "fund" | "update" | "up" | "upgrade" | "outdated" | "rebuild" => {
            label(ctx, argv, "nothing to do in the simulated npm");
            Ok(0)
        }
        "uninstall" | "remove" | "rm" | "r" | "un" | "unlink" => {
            label(ctx, argv, "removes from the simulated node_modules");
            let cwd = ctx.cwd.clone();
            for n in rest.iter().filter(|a| !a.starts_with('-')) {
                let d = path::join(&cwd, &format!("node_modules/{n}"));
                if !n.contains("..") && ctx.fs.lstat(&d).is_ok() {
                    ctx.fs.remove_all(&d).map_err(|e| support::fs_fail(ctx, "npm", &e))?;
                }
            }
            outln(ctx, &format!("\nremoved {} package{} in 1s", rest.len().min(1), if rest.len() == 1 { "" } else { "s" }))?;
            Ok(0)
        }
        "" => {
            outln(ctx, &format!("npm <command>\n\nUsage:\n\nnpm install        install all the dependencies in your project\nnpm install <foo>  add the <foo> dependency to your project\nnpm test           run this project's tests\nnpm run <foo>      run the script named <foo>\n\nnpm@{} /usr/local/lib/node_modules/npm", npm.version))?;
            Ok(1)
        }
        other => {
            label(ctx, argv, "the playground's stand-in npm");
            npm_error(ctx, &npm, &[format!("Unknown command: \"{other}\""), String::new(), "To see a list of supported npm commands, run:".into(), "  npm help".into()]);
            Ok(1)
        }
    }
}

fn install(ctx: &mut Ctx<'_>, npm: &Npm, rest: &[String], ci: bool) -> Res {
    let o = opts(ctx, rest);
    let named: Vec<String> = rest.iter().filter(|a| !a.starts_with('-')).cloned().collect();
    let cwd = ctx.cwd.clone();
    let root = if o.global { "/usr/local/lib".to_string() } else { cwd.clone() };
    let pj_path = path::join(&cwd, "package.json");
    let lock_path = path::join(&cwd, "package-lock.json");
    let dir_name = path::basename(&cwd).to_string();
    let pkg = match read_package_json(ctx, &pj_path) {
        Ok(p) => p,
        Err(e) if e == "budget" => return Err(Stop(1)),
        Err(e) => {
            let mut parts = e.split('\u{0}');
            let tok = parts.next().unwrap_or("");
            let pos = parts.next().unwrap_or("0");
            let near = parts.next().unwrap_or("");
            let lines = if npm.v6 {
                vec![
                    "code EJSONPARSE".into(),
                    format!("file {pj_path}"),
                    "JSON.parse Failed to parse json".into(),
                    format!("JSON.parse Unexpected token {tok} in JSON at position {pos} while parsing near '{near}'"),
                    "JSON.parse Failed to parse package.json data.".into(),
                    "JSON.parse package.json must be actual JSON, not just JavaScript.".into(),
                ]
            } else {
                vec![
                    "code EJSONPARSE".into(),
                    format!("JSON.parse Invalid package.json: JSONParseError: Unexpected token \"{tok}\" in JSON at position {pos} while parsing near \"{near}\""),
                    "JSON.parse Failed to parse JSON data.".into(),
                    "JSON.parse Note: package.json must be actual JSON, not just JavaScript.".into(),
                ]
            };
            npm_error(ctx, npm, &lines);
            return Ok(1);
        }
    };
    if pkg.is_none() && !o.global {
        if ci {
            ci_without_lock(ctx, npm);
            return Ok(1);
        }
        if npm.v6 {
            let w = npm.warn_prefix();
            errln(ctx, &format!("{w} saveError ENOENT: no such file or directory, open '{pj_path}'"));
            if !named.is_empty() {
                errln(ctx, "npm notice created a lockfile as package-lock.json. You should commit this file.");
            }
            errln(ctx, &format!("{w} enoent ENOENT: no such file or directory, open '{pj_path}'"));
            for m in ["No description", "No repository field.", "No README data", "No license field."] {
                errln(ctx, &format!("{w} {dir_name} {m}"));
            }
            if named.is_empty() {
                outln(ctx, "\nup to date in 0.389s\nfound 0 vulnerabilities\n")?;
                return Ok(0);
            }
        } else if named.is_empty() {
            npm_error(
                ctx,
                npm,
                &[
                    "code ENOENT".into(),
                    "syscall open".into(),
                    format!("path {pj_path}"),
                    "errno -2".into(),
                    format!("enoent Could not read package.json: Error: ENOENT: no such file or directory, open '{pj_path}'"),
                    "enoent This is related to npm not being able to find a file.".into(),
                    "enoent".into(),
                ],
            );
            return Ok(254);
        }
    }
    if ci && ctx.fs.stat(&lock_path).is_err() && ctx.fs.stat(&path::join(&cwd, "npm-shrinkwrap.json")).is_err() {
        ci_without_lock(ctx, npm);
        return Ok(1);
    }
    let mut pkg = pkg.unwrap_or_else(|| Value::Object(Map::new()));
    if !pkg.is_object() {
        pkg = Value::Object(Map::new());
    }
    let name = str_field(&pkg, "name").unwrap_or(&dir_name).to_string();
    let version = str_field(&pkg, "version").unwrap_or("1.0.0").to_string();
    // packages named on the command line are saved to package.json
    let mut added_named = Vec::new();
    for n in &named {
        let (pname, spec) = split_spec(n);
        if pname.is_empty() || pname.contains("..") {
            continue;
        }
        let v = version_of(&spec, &pname);
        added_named.push((pname.clone(), v.clone()));
        if !o.global {
            let key = if o.save_dev { "devDependencies" } else { "dependencies" };
            if let Some(obj) = pkg.as_object_mut() {
                let entry = obj.entry(key.to_string()).or_insert_with(|| Value::Object(Map::new()));
                if let Some(m) = entry.as_object_mut() {
                    m.insert(pname.clone(), Value::String(format!("^{v}")));
                }
            }
        }
    }
    if !added_named.is_empty() && !o.global {
        let text = serde_json::to_string_pretty(&pkg).unwrap_or_default() + "\n";
        support::write_file(ctx, &pj_path, text.into_bytes(), 0o644).map_err(|e| support::fs_fail(ctx, "npm", &e))?;
    }
    let deps: Vec<(String, String, bool)> = if o.global { added_named.iter().map(|(n, v)| (n.clone(), v.clone(), false)).collect() } else { deps_of(&pkg, o.production) };
    if ci {
        let nm = path::join(&cwd, "node_modules");
        if ctx.fs.lstat(&nm).is_ok() {
            ctx.fs.remove_all(&nm).map_err(|e| support::fs_fail(ctx, "npm", &e))?;
        }
    }
    let lock_existed = ctx.fs.stat(&lock_path).is_ok();
    let mut added = 0usize;
    let mut installed: Vec<(String, String)> = Vec::new();
    for (n, spec, _) in &deps {
        let v = version_of(spec, n);
        let dir = path::join(&root, &format!("node_modules/{n}"));
        let existing = ctx.fs.read(&path::join(&dir, "package.json")).ok().and_then(|d| serde_json::from_slice::<Value>(&d).ok()).and_then(|p| p.get("version").and_then(Value::as_str).map(str::to_string));
        if existing.as_deref() != Some(v.as_str()) {
            place_package(ctx, &root, n, &v, o.global)?;
            added += 1;
        }
        installed.push((n.clone(), v));
    }
    if !o.global {
        write_lock(ctx, npm, &lock_path, &name, &version, &pkg, &installed)?;
    }
    if o.quiet {
        return Ok(0);
    }
    let secs = 1 + deps.len() / 8;
    if npm.v6 {
        let w = npm.warn_prefix();
        if !lock_existed && !o.global {
            errln(ctx, "npm notice created a lockfile as package-lock.json. You should commit this file.");
        }
        if !o.global {
            if pkg.get("description").is_none() {
                errln(ctx, &format!("{w} {name}@{version} No description"));
            }
            if pkg.get("repository").is_none() && pkg.get("private") != Some(&Value::Bool(true)) {
                errln(ctx, &format!("{w} {name}@{version} No repository field."));
            }
            if pkg.get("license").is_none() && pkg.get("private") != Some(&Value::Bool(true)) {
                errln(ctx, &format!("{w} {name}@{version} No license field."));
            }
        }
        outln(ctx, "")?;
        for (n, v) in &added_named {
            outln(ctx, &format!("+ {n}@{v}"))?;
        }
        let t = format!("{}.{:03}s", secs, (support::fnv(name.as_bytes()) % 1000));
        if added == 0 {
            outln(ctx, &format!("up to date in {t}"))?;
        } else {
            let contributors = added + (support::fnv(format!("{deps:?}").as_bytes()) % (added as u64 + 1)) as usize;
            let audited = if o.audit { format!(" and audited {} package{}", installed.len(), plural(installed.len())) } else { String::new() };
            outln(ctx, &format!("added {added} package{} from {contributors} contributor{}{audited} in {t}", plural(added), plural(contributors)))?;
        }
        if o.audit {
            outln(ctx, "found 0 vulnerabilities\n")?;
        }
    } else {
        let audited = installed.len() + 1;
        let summary = match (added, o.audit) {
            (0, true) => format!("up to date, audited {audited} package{} in {secs}s", plural(audited)),
            (0, false) => format!("up to date in {secs}s"),
            (n, true) => format!("added {n} package{}, and audited {audited} package{} in {secs}s", plural(n), plural(audited)),
            (n, false) => format!("added {n} package{} in {secs}s", plural(n)),
        };
        out(ctx, &format!("\n{summary}\n"))?;
        if o.audit {
            out(ctx, "\nfound 0 vulnerabilities\n")?;
        }
    }
    Ok(0)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `name@spec` / `@scope/name@spec` → (name, spec).
fn split_spec(arg: &str) -> (String, String) {
    let (scope, rest) = if let Some(r) = arg.strip_prefix('@') { ("@", r) } else { ("", arg) };
    match rest.split_once('@') {
        Some((n, s)) => (format!("{scope}{n}"), s.to_string()),
        None => (format!("{scope}{rest}"), "latest".to_string()),
    }
}

fn ci_without_lock(ctx: &mut Ctx<'_>, npm: &Npm) {
    if npm.v6 {
        npm_error(ctx, npm, &["cipm can only install packages with an existing package-lock.json or npm-shrinkwrap.json with lockfileVersion >= 1. Run an install with npm@5 or later to generate it, then try again.".into()]);
    } else {
        npm_error(
            ctx,
            npm,
            &[
                "code EUSAGE".into(),
                String::new(),
                "The `npm ci` command can only install with an existing package-lock.json or".into(),
                "npm-shrinkwrap.json with lockfileVersion >= 1. Run an install with npm@5 or".into(),
                "later to generate a package-lock.json file, then try again.".into(),
                String::new(),
                "Clean install a project".into(),
                String::new(),
                "Usage:".into(),
                "npm ci".into(),
                String::new(),
                "Run \"npm help ci\" for more info".into(),
            ],
        );
    }
}

/// A placeholder package in node_modules, its bins and its tarball in npm's cache.
fn place_package(ctx: &mut Ctx<'_>, root: &str, name: &str, version: &str, global: bool) -> Result<(), Stop> {
    let dir = path::join(root, &format!("node_modules/{name}"));
    if ctx.fs.lstat(&dir).is_ok() {
        ctx.fs.remove_all(&dir).map_err(|e| support::fs_fail(ctx, "npm", &e))?;
    }
    let manifest = serde_json::json!({
        "name": name,
        "version": version,
        "description": "(dfplay) a simulated install: the playground has no network, so the package's code is not here",
        "main": "index.js",
    });
    let files = [
        ("package.json", serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n"),
        ("index.js", format!("// dfplay: placeholder for {name}@{version} (simulated npm install)\nmodule.exports = {{}};\n")),
        ("README.md", format!("# {name}\n\n(dfplay) placeholder for {name}@{version}: a simulated download.\n")),
    ];
    for (f, body) in files {
        support::write_file(ctx, &path::join(&dir, f), body.into_bytes(), 0o644).map_err(|e| support::fs_fail(ctx, "npm", &e))?;
    }
    if let Some((_, bins)) = BINS.iter().find(|(p, _)| *p == name) {
        for b in *bins {
            let target = path::join(&dir, &format!("bin/{b}.js"));
            support::write_standin(ctx, &target, "npm-package-bin", &format!("the `{b}` command of the npm package {name}@{version}")).map_err(|e| support::fs_fail(ctx, "npm", &e))?;
            let link = if global { format!("/usr/local/bin/{b}") } else { path::join(root, &format!("node_modules/.bin/{b}")) };
            let rel = if global { format!("../lib/node_modules/{name}/bin/{b}.js") } else { format!("../{name}/bin/{b}.js") };
            support::symlink_force(ctx, &rel, &link).map_err(|e| support::fs_fail(ctx, "npm", &e))?;
        }
    }
    // the tarball in npm's content-addressed cache: real installs leave it in the image
    let h = support::fnv(format!("{name}@{version}").as_bytes());
    let size = 8_000 + (h % 180_000) as usize;
    let cache = format!("{}/.npm/_cacache/content-v2/sha512/{:02x}/{:02x}/{:016x}{:016x}", support::home(ctx), h & 0xff, (h >> 8) & 0xff, h, h.rotate_left(29));
    let tgz = support::padded(vec![0x1f, 0x8b, 0x08, 0x00], size);
    support::write_file(ctx, &cache, tgz, 0o644).map_err(|e| support::fs_fail(ctx, "npm", &e))?;
    Ok(())
}

fn integrity(name: &str, v: &str) -> String {
    let h = support::fnv(format!("{name}@{v}").as_bytes());
    let hex = format!("{h:016x}{:016x}{:016x}{:016x}", h.rotate_left(13), h.rotate_left(27), h.rotate_left(41));
    format!("sha512-{}==", hex.chars().take(86).collect::<String>())
}

fn write_lock(ctx: &mut Ctx<'_>, npm: &Npm, lock_path: &str, name: &str, version: &str, pkg: &Value, installed: &[(String, String)]) -> Result<(), Stop> {
    let tarball = |n: &str, v: &str| format!("https://registry.npmjs.org/{n}/-/{}-{v}.tgz", n.rsplit('/').next().unwrap_or(n));
    let lock = if npm.v6 {
        let mut deps = Map::new();
        for (n, v) in installed {
            deps.insert(n.clone(), serde_json::json!({ "version": v, "resolved": tarball(n, v), "integrity": integrity(n, v) }));
        }
        serde_json::json!({ "name": name, "version": version, "lockfileVersion": 1, "requires": true, "dependencies": deps })
    } else {
        let mut packages = Map::new();
        let mut root = Map::new();
        root.insert("name".into(), Value::String(name.into()));
        root.insert("version".into(), Value::String(version.into()));
        for key in ["dependencies", "devDependencies", "optionalDependencies"] {
            if let Some(d) = pkg.get(key).filter(|d| d.is_object()) {
                root.insert(key.into(), d.clone());
            }
        }
        packages.insert(String::new(), Value::Object(root));
        for (n, v) in installed {
            packages.insert(format!("node_modules/{n}"), serde_json::json!({ "version": v, "resolved": tarball(n, v), "integrity": integrity(n, v) }));
        }
        let lv = if support::major_minor(&npm.version).0 >= 9 { 3 } else { 2 };
        serde_json::json!({ "name": name, "version": version, "lockfileVersion": lv, "requires": true, "packages": packages })
    };
    let text = serde_json::to_string_pretty(&lock).unwrap_or_default() + "\n";
    support::write_file(ctx, lock_path, text.into_bytes(), 0o644).map_err(|e| support::fs_fail(ctx, "npm", &e))?;
    if !npm.v6 {
        let hidden = path::join(path::parent(lock_path), "node_modules/.package-lock.json");
        if !installed.is_empty() {
            let text = serde_json::to_string_pretty(&serde_json::json!({ "name": name, "version": version, "lockfileVersion": 3, "requires": true, "packages": lock.get("packages").cloned().unwrap_or(Value::Null) })).unwrap_or_default() + "\n";
            support::write_file(ctx, &hidden, text.into_bytes(), 0o644).map_err(|e| support::fs_fail(ctx, "npm", &e))?;
        }
    }
    Ok(())
}

fn list_scripts(ctx: &mut Ctx<'_>) -> Res {
    let cwd = ctx.cwd.clone();
    let pkg = read_package_json(ctx, &path::join(&cwd, "package.json")).ok().flatten().unwrap_or(Value::Null);
    if let Some(Value::Object(s)) = pkg.get("scripts") {
        let name = str_field(&pkg, "name").unwrap_or("").to_string();
        let version = str_field(&pkg, "version").unwrap_or("").to_string();
        outln(ctx, &format!("{} scripts included in {name}@{version}:", "Lifecycle"))?;
        for (k, v) in s {
            outln(ctx, &format!("  {k}\n    {}", v.as_str().unwrap_or("")))?;
        }
    }
    Ok(0)
}

fn run_script(ctx: &mut Ctx<'_>, npm: &Npm, script: &str, rest: &[String]) -> Res {
    let cwd = ctx.cwd.clone();
    let pj = path::join(&cwd, "package.json");
    let pkg = match read_package_json(ctx, &pj) {
        Ok(Some(p)) => p,
        Ok(None) => {
            npm_error(
                ctx,
                npm,
                &[
                    "code ENOENT".into(),
                    "syscall open".into(),
                    format!("path {pj}"),
                    "errno -2".into(),
                    format!("enoent {}ENOENT: no such file or directory, open '{pj}'", if npm.v6 { "" } else { "Could not read package.json: Error: " }),
                    "enoent This is related to npm not being able to find a file.".into(),
                    "enoent".into(),
                ],
            );
            return Ok(if npm.v6 { 1 } else { 254 });
        }
        Err(_) => {
            npm_error(ctx, npm, &["code EJSONPARSE".into(), format!("path {pj}"), "JSON.parse Failed to parse JSON data.".into()]);
            return Ok(1);
        }
    };
    let scripts = pkg.get("scripts").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut cmd = scripts.get(script).and_then(Value::as_str).map(str::to_string);
    if cmd.is_none() && script == "start" && ctx.fs.stat(&path::join(&cwd, "server.js")).is_ok() {
        cmd = Some("node server.js".into());
    }
    let Some(cmd) = cmd else {
        if npm.v6 {
            npm_error(ctx, npm, &[format!("missing script: {script}")]);
        } else {
            npm_error(ctx, npm, &[format!("Missing script: \"{script}\""), String::new(), "To see a list of scripts, run:".into(), "  npm run".into()]);
        }
        return Ok(1);
    };
    let name = str_field(&pkg, "name").unwrap_or("").to_string();
    let version = str_field(&pkg, "version").unwrap_or("").to_string();
    let extra: Vec<String> = match rest.iter().position(|a| a == "--") {
        Some(p) => rest[p + 1..].to_vec(),
        None => Vec::new(),
    };
    let mut full = cmd.clone();
    for a in &extra {
        full.push(' ');
        full.push_str(a);
    }
    let mut env = ctx.env.clone();
    let bin = path::join(&cwd, "node_modules/.bin");
    let old_path = ctx.getenv("PATH").unwrap_or(crate::bases::DEFAULT_PATH).to_string();
    env.retain(|(k, _)| k != "PATH");
    env.push(("PATH".into(), format!("{bin}:{old_path}")));
    for (k, v) in [("npm_lifecycle_event", script.to_string()), ("npm_package_name", name.clone()), ("npm_package_version", version.clone()), ("npm_lifecycle_script", cmd.clone())] {
        env.retain(|(a, _)| *a != k);
        env.push((k.into(), v));
    }
    for phase in [format!("pre{script}"), script.to_string(), format!("post{script}")] {
        let c = if phase == script { full.clone() } else {
            match scripts.get(&phase).and_then(Value::as_str) {
                Some(c) => c.to_string(),
                None => continue,
            }
        };
        if npm.v6 {
            outln(ctx, &format!("\n> {name}@{version} {phase} {cwd}\n> {c}\n"))?;
        } else {
            outln(ctx, &format!("\n> {name}@{version} {phase}\n> {c}\n"))?;
        }
        let status = support::spawn(ctx, &["sh".into(), "-c".into(), c.clone()], &env);
        if status != 0 {
            if npm.v6 {
                npm_error(
                    ctx,
                    npm,
                    &[
                        "code ELIFECYCLE".into(),
                        format!("errno {status}"),
                        format!("{name}@{version} {phase}: `{c}`"),
                        format!("Exit status {status}"),
                        String::new(),
                        format!("Failed at the {name}@{version} {phase} script."),
                        "This is probably not a problem with npm. There is likely additional logging output above.".into(),
                    ],
                );
            } else {
                let p = npm.err_prefix();
                errln(ctx, &format!("{p} Lifecycle script `{phase}` failed with error:\n{p} code {status}\n{p} path {cwd}\n{p} workspace {name}@{version}\n{p} location {cwd}\n{p} command failed\n{p} command sh -c {c}"));
            }
            return Ok(status);
        }
    }
    Ok(0)
}

pub fn npx(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, |ctx, argv| {
        let npm = Npm::read(ctx);
        let args: Vec<String> = argv.iter().skip(1).filter(|a| *a != "-y" && *a != "--yes" && *a != "--no-install").cloned().collect();
        let Some(cmd) = args.first().cloned() else {
            label(ctx, argv, "the playground's stand-in npx");
            npm_error(ctx, &npm, &["could not determine executable to run".into()]);
            return Ok(1);
        };
        let local = path::join(&ctx.cwd.clone(), &format!("node_modules/.bin/{cmd}"));
        if ctx.fs.stat(&local).is_ok() {
            label(ctx, argv, "runs the package's command from node_modules/.bin in the playground's shell");
            let mut spawn_argv = vec![local];
            spawn_argv.extend(args[1..].iter().cloned());
            let env = ctx.env.clone();
            return Ok(support::spawn(ctx, &spawn_argv, &env));
        }
        label(ctx, argv, "npx would download the package from the registry, which the playground cannot reach");
        let (pname, _) = split_spec(&cmd);
        npm_error(
            ctx,
            &npm,
            &["code EAI_AGAIN".into(), "syscall getaddrinfo".into(), "errno EAI_AGAIN".into(), format!("request to https://registry.npmjs.org/{pname} failed, reason: getaddrinfo EAI_AGAIN registry.npmjs.org")],
        );
        support::no_network_note(ctx);
        Ok(1)
    })
}

pub fn yarn(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, yarn_main)
}

fn yarn_main(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let npm = Npm::read(ctx);
    let yv = support::env_nonempty(ctx, "YARN_VERSION").unwrap_or("1.22.22").to_string();
    let sub = argv.iter().skip(1).find(|a| !a.starts_with('-')).cloned().unwrap_or_else(|| "install".into());
    let rest: Vec<String> = argv.iter().skip(1).filter(|a| **a != sub).cloned().collect();
    if argv.iter().any(|a| a == "-v" || a == "--version") {
        label(ctx, argv, "the playground's stand-in yarn");
        outln(ctx, &yv)?;
        return Ok(0);
    }
    let cwd = ctx.cwd.clone();
    match sub.as_str() {
        "install" | "add" => {
            label(ctx, argv, "the playground has no network; packages are simulated (placeholders in node_modules)");
            let o = opts(ctx, &rest);
            let lock = path::join(&cwd, "yarn.lock");
            let had_lock = ctx.fs.stat(&lock).is_ok();
            outln(ctx, &format!("yarn {sub} v{yv}"))?;
            if o.frozen && !had_lock && sub == "install" {
                outln(ctx, "info No lockfile found.")?;
                errln(ctx, "error Your lockfile needs to be updated, but yarn was run with `--frozen-lockfile`.");
                outln(ctx, "info Visit https://yarnpkg.com/en/docs/cli/install for documentation about this command.")?;
                return Ok(1);
            }
            if !had_lock {
                outln(ctx, "info No lockfile found.")?;
            }
            let pj = path::join(&cwd, "package.json");
            let mut pkg = match read_package_json(ctx, &pj) {
                Ok(p) => p.unwrap_or_else(|| Value::Object(Map::new())),
                Err(_) => {
                    errln(ctx, &format!("error {pj}: Unexpected token in JSON"));
                    outln(ctx, "info Visit https://yarnpkg.com/en/docs/cli/install for documentation about this command.")?;
                    return Ok(1);
                }
            };
            if sub == "add" {
                for n in rest.iter().filter(|a| !a.starts_with('-')) {
                    let (pname, spec) = split_spec(n);
                    let v = version_of(&spec, &pname);
                    if let Some(obj) = pkg.as_object_mut() {
                        let key = if o.save_dev || rest.iter().any(|a| a == "--dev") { "devDependencies" } else { "dependencies" };
                        if let Some(m) = obj.entry(key.to_string()).or_insert_with(|| Value::Object(Map::new())).as_object_mut() {
                            m.insert(pname, Value::String(format!("^{v}")));
                        }
                    }
                }
                let text = serde_json::to_string_pretty(&pkg).unwrap_or_default() + "\n";
                support::write_file(ctx, &pj, text.into_bytes(), 0o644).map_err(|e| support::fs_fail(ctx, "yarn", &e))?;
            }
            outln(ctx, "[1/4] Resolving packages...")?;
            outln(ctx, "[2/4] Fetching packages...")?;
            outln(ctx, "[3/4] Linking dependencies...")?;
            outln(ctx, "[4/4] Building fresh packages...")?;
            let deps = deps_of(&pkg, o.production);
            let mut lock_text = String::from("# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n");
            for (n, spec, _) in &deps {
                let v = version_of(spec, n);
                place_package(ctx, &cwd, n, &v, false)?;
                lock_text.push_str(&format!("\n\"{n}@{spec}\":\n  version \"{v}\"\n  resolved \"https://registry.yarnpkg.com/{n}/-/{}-{v}.tgz\"\n  integrity {}\n", n.rsplit('/').next().unwrap_or(n), integrity(n, &v)));
            }
            support::write_file(ctx, &lock, lock_text.into_bytes(), 0o644).map_err(|e| support::fs_fail(ctx, "yarn", &e))?;
            if !had_lock {
                outln(ctx, "success Saved lockfile.")?;
            }
            let _ = npm;
            outln(ctx, &format!("Done in {}.{:02}s.", 1 + deps.len() / 10, support::fnv(cwd.as_bytes()) % 100))?;
            Ok(0)
        }
        "run" | "start" | "test" => {
            label(ctx, argv, "runs the package.json script in the playground's shell");
            let script = if sub == "run" { rest.iter().find(|a| !a.starts_with('-')).cloned().unwrap_or_default() } else { sub.clone() };
            let pkg = read_package_json(ctx, &path::join(&cwd, "package.json")).ok().flatten().unwrap_or(Value::Null);
            outln(ctx, &format!("yarn run v{yv}"))?;
            let Some(cmd) = pkg.get("scripts").and_then(|s| s.get(&script)).and_then(Value::as_str).map(str::to_string) else {
                errln(ctx, &format!("error Command \"{script}\" not found."));
                outln(ctx, "info Visit https://yarnpkg.com/en/docs/cli/run for documentation about this command.")?;
                return Ok(1);
            };
            outln(ctx, &format!("$ {cmd}"))?;
            let mut env = ctx.env.clone();
            let old_path = ctx.getenv("PATH").unwrap_or(crate::bases::DEFAULT_PATH).to_string();
            env.retain(|(k, _)| k != "PATH");
            env.push(("PATH".into(), format!("{}:{old_path}", path::join(&cwd, "node_modules/.bin"))));
            let status = support::spawn(ctx, &["sh".into(), "-c".into(), cmd], &env);
            if status != 0 {
                errln(ctx, &format!("error Command failed with exit code {status}."));
                outln(ctx, "info Visit https://yarnpkg.com/en/docs/cli/run for documentation about this command.")?;
                return Ok(status);
            }
            outln(ctx, "Done in 0.12s.")?;
            Ok(0)
        }
        "cache" => {
            label(ctx, argv, "yarn's cache in the playground");
            outln(ctx, &format!("yarn cache v{yv}\nsuccess Cleared cache.\nDone in 0.05s."))?;
            Ok(0)
        }
        other => {
            label(ctx, argv, "the playground's stand-in yarn");
            outln(ctx, &format!("yarn run v{yv}"))?;
            errln(ctx, &format!("error Command \"{other}\" not found."));
            Ok(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn versions_from_specs() {
        assert_eq!(version_of("^8.5.1", "restify"), "8.5.1");
        assert_eq!(version_of("~1.2", "x"), "1.2.0");
        assert_eq!(version_of(">=2.0.0 <3", "x"), "2.0.0");
        assert_eq!(version_of("1.x", "x"), "1.0.0");
        assert_eq!(version_of("latest", "express"), version_of("*", "express"));
        assert_eq!(split_spec("@types/node@^20"), ("@types/node".to_string(), "^20".to_string()));
        assert_eq!(split_spec("express"), ("express".to_string(), "latest".to_string()));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn package_json_readers_never_panic(src in ".{0,200}") {
            let v: Value = serde_json::from_str(&src).unwrap_or(Value::Null);
            let _ = deps_of(&v, false);
            let _ = version_of(&src, &src);
            let _ = split_spec(&src);
        }
        #[test]
        fn dependency_objects_of_any_shape(keys in proptest::collection::vec("[a-z@/.~^0-9-]{0,12}", 0..8), vals in proptest::collection::vec("[a-z0-9.^~*<>= |-]{0,12}", 0..8)) {
            let mut m = Map::new();
            for (k, v) in keys.iter().zip(vals.iter()) {
                m.insert(k.clone(), Value::String(v.clone()));
            }
            let pkg = serde_json::json!({ "dependencies": m, "devDependencies": [1, 2], "optionalDependencies": "x" });
            for (n, spec, _) in deps_of(&pkg, false) {
                let _ = version_of(&spec, &n);
            }
        }
    }
}
