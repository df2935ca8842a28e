//! The simulated Go toolchain: `go build|run|install|test|vet|version|env|mod|get|fmt|clean|list`,
//! `gofmt`, and `go-program`, the stand-in binaries `go build` writes.
//!
//! `go build` finds the package the way the go command does (file arguments,
//! `.`, relative directories, module or GOPATH mode by Go version and
//! `GO111MODULE`), checks what the real compiler would refuse first (no Go
//! files, a missing package clause, mixed packages, a `main` package without
//! `func main`, imports that cannot be found), then writes a stand-in binary at
//! `-o` (or named after the directory, module or first file) with mode 0755 and
//! the size of the real one, recording what the program prints on start-up.
//! Running it (`go-program`) prints that. Module downloads are simulated like
//! npm's; `go get` needs the network and fails as it would offline.
//!
//! Invariant: every message is the go command's own wording, after one
//! `(simulated)` line on stderr.

use super::program::{self, Record};
use super::scan::{self, lex::Lang, Analysis};
use super::support::{self, errln, label, out, outln, Res, Stop};
use crate::shell::proc::Ctx;
use crate::vfs::path;

/// What the go command knows about its environment.
struct GoEnv {
    version: String,
    minor: u32,
    gopath: String,
    goroot: String,
    module_mode: bool,
    cgo: bool,
}

impl GoEnv {
    fn read(ctx: &Ctx<'_>) -> GoEnv {
        let goroot = support::env_nonempty(ctx, "GOROOT").unwrap_or("/usr/local/go").to_string();
        let version = support::env_nonempty(ctx, "GOLANG_VERSION")
            .map(str::to_string)
            .or_else(|| ctx.fs.read(&format!("{goroot}/VERSION")).ok().map(|d| String::from_utf8_lossy(&d).lines().next().unwrap_or("").trim_start_matches("go").to_string()))
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "1.22.0".into());
        let (_, minor) = support::major_minor(&version);
        let gopath = support::env_nonempty(ctx, "GOPATH").map(|p| p.split(':').next().unwrap_or("/go").to_string()).unwrap_or_else(|| format!("{}/go", support::home(ctx)));
        let module_mode = match ctx.getenv("GO111MODULE").unwrap_or("") {
            "on" => true,
            "off" => false,
            _ => minor >= 16 || find_go_mod(ctx, &ctx.cwd).is_some(),
        };
        let cgo = ctx.getenv("CGO_ENABLED") != Some("0");
        GoEnv { version, minor, gopath, goroot, module_mode, cgo }
    }

    fn old(&self) -> bool {
        self.minor < 16
    }
}

/// The nearest go.mod at or above `dir`.
fn find_go_mod(ctx: &Ctx<'_>, dir: &str) -> Option<String> {
    let mut d = path::normalize(dir);
    loop {
        let cand = path::join(&d, "go.mod");
        if ctx.fs.stat(&cand).map(|s| s.is_file()).unwrap_or(false) {
            return Some(cand);
        }
        if d == "/" {
            return None;
        }
        d = path::parent(&d).to_string();
    }
}

/// What go.mod says.
#[derive(Default)]
struct GoMod {
    module: String,
    requires: Vec<(String, String)>,
}

fn parse_go_mod(text: &str) -> GoMod {
    let mut m = GoMod::default();
    let mut in_require = false;
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or("").trim();
        if in_require {
            if line.starts_with(')') {
                in_require = false;
            } else if let Some((p, v)) = line.split_once(char::is_whitespace) {
                m.requires.push((p.trim().to_string(), v.trim().to_string()));
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("module ") {
            m.module = rest.trim().trim_matches('"').to_string();
        } else if line == "require (" || line == "require(" {
            in_require = true;
        } else if let Some(rest) = line.strip_prefix("require ") {
            if let Some((p, v)) = rest.trim().split_once(char::is_whitespace) {
                m.requires.push((p.trim().to_string(), v.trim().to_string()));
            }
        }
    }
    m
}

/// Build flags that take a value.
const VALUE_FLAGS: &[&str] = &[
    "o", "ldflags", "gcflags", "asmflags", "tags", "mod", "installsuffix", "p", "buildmode", "compiler", "pkgdir", "modfile", "overlay", "pgo", "C", "gccgoflags", "toolexec", "coverpkg", "covermode", "run", "count", "timeout", "bench", "cpu", "parallel", "exec",
];

struct BuildArgs {
    out: Option<String>,
    rest: Vec<String>,
}

fn parse_build_args(args: &[String], stop_at_files: bool) -> Result<BuildArgs, String> {
    let mut out = None;
    let mut rest = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if !rest.is_empty() && stop_at_files {
            rest.push(a.clone());
            i += 1;
            continue;
        }
        if a == "--" {
            rest.extend(args[i + 1..].iter().cloned());
            break;
        }
        if a.starts_with('-') && a.len() > 1 {
            let flag = a.trim_start_matches('-');
            let (name, inline) = match flag.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (flag, None),
            };
            if VALUE_FLAGS.contains(&name) {
                let v = match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        match args.get(i) {
                            Some(v) => v.clone(),
                            None => return Err(format!("flag needs an argument: -{name}")),
                        }
                    }
                };
                if name == "o" {
                    out = Some(v);
                }
            }
            i += 1;
            continue;
        }
        rest.push(a.clone());
        i += 1;
    }
    Ok(BuildArgs { out, rest })
}

/// A package to build: its directory, import path, files and what they say.
struct Package {
    dir: String,
    import_path: String,
    files: Vec<(String, Analysis)>,
    name: String,
    file_args: bool,
}

/// The go command's error wording, with Go 1.13's `can't load package` prefix where it had one.
fn load_error(env: &GoEnv, arg: &str, msg: &str) -> String {
    if env.old() {
        format!("can't load package: package {arg}: {msg}")
    } else {
        msg.to_string()
    }
}

/// Loads the package named by `args` (files or one directory pattern).
fn load(ctx: &mut Ctx<'_>, env: &GoEnv, args: &[String]) -> Result<Package, String> {
    let files: Vec<&String> = args.iter().filter(|a| a.ends_with(".go")).collect();
    if !files.is_empty() {
        if files.len() != args.len() {
            return Err("named files must be .go files".into());
        }
        let mut dir: Option<String> = None;
        let mut loaded = Vec::new();
        for f in files {
            let abs = path::normalize(&ctx.abs(f));
            let d = path::parent(&abs).to_string();
            match &dir {
                Some(prev) if *prev != d => return Err(format!("named files must all be in one directory; have {prev} and {d}")),
                _ => dir = Some(d),
            }
            match ctx.fs.stat(&abs) {
                Ok(st) if st.is_file() => {}
                Ok(_) => return Err(format!("read {f}: is a directory")),
                Err(_) => return Err(load_error(env, f, &format!("stat {f}: no such file or directory"))),
            }
            loaded.push((f.clone(), abs));
        }
        let dir = dir.unwrap_or_else(|| ctx.cwd.clone());
        let files = analyze_files(ctx, loaded)?;
        return finish_package(env, dir, "command-line-arguments".into(), files, true, ".");
    }
    let arg = args.first().map(String::as_str).unwrap_or(".");
    if args.len() > 1 {
        // several packages: the simulation builds the first and says so
        errln(ctx, &format!("(simulated) only the first package ({arg}) is built"));
    }
    let arg = arg.trim_end_matches("/...");
    let dir = if arg == "." || arg.starts_with("./") || arg.starts_with("../") || arg.starts_with('/') {
        path::normalize(&ctx.abs(arg))
    } else if env.module_mode {
        let gomod = find_go_mod(ctx, &ctx.cwd.clone()).ok_or_else(|| "go: go.mod file not found in current directory or any parent directory; see 'go help modules'".to_string())?;
        let m = parse_go_mod(&support::read_text(ctx, &gomod).unwrap_or_default());
        let root = path::parent(&gomod).to_string();
        if arg == m.module {
            root
        } else if let Some(sub) = arg.strip_prefix(&format!("{}/", m.module)) {
            path::join(&root, sub)
        } else if !arg.split('/').next().unwrap_or("").contains('.') {
            return Err(format!("package {arg} is not in std ({}/src/{arg})", env.goroot));
        } else {
            return Err(format!("no required module provides package {arg}; to add it:\n\tgo get {arg}"));
        }
    } else {
        path::join(&format!("{}/src", env.gopath), arg)
    };
    let import_path = import_path_for(ctx, env, &dir);
    if env.module_mode && find_go_mod(ctx, &dir).is_none() {
        return Err(if env.old() { "go: cannot find main module; see 'go help modules'".into() } else { "go: go.mod file not found in current directory or any parent directory; see 'go help modules'".into() });
    }
    if !ctx.fs.stat(&dir).map(|s| s.is_dir()).unwrap_or(false) {
        return Err(load_error(env, arg, &format!("cannot find package \"{arg}\" in:\n\t{dir}")));
    }
    let entries = ctx.fs.read_dir(&dir).map_err(|e| e.to_string())?;
    let mut loaded = Vec::new();
    for (name, node) in entries {
        if name.ends_with(".go") && !name.ends_with("_test.go") && !name.starts_with('_') && !name.starts_with('.') && matches!(node, crate::vfs::Node::File(_) | crate::vfs::Node::Symlink(_)) {
            loaded.push((name.clone(), path::join(&dir, &name)));
        }
    }
    if loaded.is_empty() {
        return Err(load_error(env, arg, &format!("no Go files in {dir}")));
    }
    let files = analyze_files(ctx, loaded)?;
    finish_package(env, dir, import_path, files, false, arg)
}

fn import_path_for(ctx: &Ctx<'_>, env: &GoEnv, dir: &str) -> String {
    if env.module_mode {
        if let Some(gomod) = find_go_mod(ctx, dir) {
            let m = parse_go_mod(&String::from_utf8_lossy(&ctx.fs.read(&gomod).unwrap_or_default()));
            let root = path::parent(&gomod);
            let rel = dir.strip_prefix(root).unwrap_or("").trim_start_matches('/');
            return if rel.is_empty() { m.module } else { format!("{}/{rel}", m.module) };
        }
    }
    let src = format!("{}/src/", env.gopath);
    match dir.strip_prefix(&src) {
        Some(rel) if !rel.is_empty() => rel.to_string(),
        _ => format!("_{dir}"),
    }
}

fn analyze_files(ctx: &mut Ctx<'_>, files: Vec<(String, String)>) -> Result<Vec<(String, Analysis)>, String> {
    let mut out = Vec::new();
    for (shown, abs) in files {
        let text = support::read_text(ctx, &abs).map_err(|e| format!("open {shown}: {}", e.message().to_lowercase()))?;
        if support::charge_bytes(ctx, text.len() * 4).is_err() {
            return Err("(simulated) the playground's step budget ran out while reading the sources".into());
        }
        out.push((shown, scan::analyze(Lang::Go, &text, "")));
    }
    Ok(out)
}

fn finish_package(env: &GoEnv, dir: String, import_path: String, files: Vec<(String, Analysis)>, file_args: bool, arg: &str) -> Result<Package, String> {
    for (f, a) in &files {
        let rel = path::basename(f);
        let shown = if file_args { f.as_str() } else { rel };
        match &a.first {
            None => return Err(load_error(env, arg, &format!("{shown}:{}:{}: expected 'package', found 'EOF'", a.eof.0, a.eof.1))),
            Some((tok, false, l, c)) => return Err(load_error(env, arg, &format!("{shown}:{l}:{c}: expected 'package', found {tok}"))),
            Some(_) if a.package.is_none() => return Err(load_error(env, arg, &format!("{shown}:1:9: expected 'IDENT', found newline"))),
            _ => {}
        }
    }
    let name = files.first().and_then(|(_, a)| a.package.clone()).unwrap_or_default();
    if let Some((f2, a2)) = files.iter().find(|(_, a)| a.package.as_deref() != Some(name.as_str())) {
        let f1 = files.first().map(|(f, _)| path::basename(f)).unwrap_or("");
        return Err(load_error(env, arg, &format!("found packages {name} ({f1}) and {} ({}) in {dir}", a2.package.clone().unwrap_or_default(), path::basename(f2))));
    }
    Ok(Package { dir, import_path, files, name, file_args })
}

/// Size of a Go binary importing `imports`, the way real ones grow.
fn binary_size(imports: &[String], source_len: usize) -> usize {
    let mut size = 1_100_000usize;
    for imp in imports {
        size += match imp.as_str() {
            "fmt" => 800_000,
            "net/http" => 5_200_000,
            "os" => 150_000,
            "log" => 120_000,
            "encoding/json" => 450_000,
            "html/template" => 1_100_000,
            "text/template" => 700_000,
            "net" => 1_200_000,
            "time" => 250_000,
            "regexp" => 350_000,
            "database/sql" => 350_000,
            "strings" | "strconv" | "flag" | "path/filepath" => 60_000,
            "io" | "sync" | "context" | "errors" | "sort" | "math" | "bufio" | "bytes" => 30_000,
            p if p.contains('.') => 400_000,
            p if p.starts_with("crypto") => 400_000,
            _ => 100_000,
        };
    }
    size + source_len * 12 + (support::fnv(format!("{imports:?}{source_len}").as_bytes()) % 40_000) as usize
}

/// Checks imports: returns the go command's error, or the modules to "download".
fn check_imports(ctx: &mut Ctx<'_>, env: &GoEnv, pkg: &Package) -> Result<Vec<(String, String)>, String> {
    let mut downloads: Vec<(String, String)> = Vec::new();
    let gomod = if env.module_mode { find_go_mod(ctx, &pkg.dir) } else { None };
    let m = gomod.as_ref().map(|g| parse_go_mod(&support::read_text(ctx, g).unwrap_or_default())).unwrap_or_default();
    for (f, a) in &pkg.files {
        for imp in &a.imports {
            let first = imp.split('/').next().unwrap_or("");
            if env.module_mode && !m.module.is_empty() && (imp == &m.module || imp.starts_with(&format!("{}/", m.module))) {
                let root = gomod.as_deref().map(path::parent).unwrap_or("/");
                let sub = imp.strip_prefix(&m.module).unwrap_or("").trim_start_matches('/');
                if !ctx.fs.stat(&path::join(root, sub)).map(|s| s.is_dir()).unwrap_or(false) {
                    return Err(format!("{}: package {imp} is not in GOROOT ({}/src/{imp})", path::basename(f), env.goroot));
                }
                continue;
            }
            if !first.contains('.') {
                continue; // the standard library
            }
            if !env.module_mode {
                let in_gopath = format!("{}/src/{imp}", env.gopath);
                let vendor = path::join(&pkg.dir, &format!("vendor/{imp}"));
                if ctx.fs.stat(&in_gopath).map(|s| s.is_dir()).unwrap_or(false) || ctx.fs.stat(&vendor).map(|s| s.is_dir()).unwrap_or(false) {
                    continue;
                }
                return Err(format!(
                    "{}: cannot find package \"{imp}\" in any of:\n\t{}/src/{imp} (from $GOROOT)\n\t{}/src/{imp} (from $GOPATH)",
                    path::basename(f),
                    env.goroot,
                    env.gopath
                ));
            }
            match m.requires.iter().find(|(p, _)| imp == p || imp.starts_with(&format!("{p}/"))) {
                Some((p, v)) => {
                    if !downloads.iter().any(|(d, _)| d == p) {
                        downloads.push((p.clone(), v.clone()));
                    }
                }
                None if env.old() => return Err(format!("go: finding {imp} latest\ngo: {imp}: {}", network_error(env, imp))),
                None => return Err(format!("{}: no required module provides package {imp}; to add it:\n\tgo get {imp}", path::basename(f))),
            }
        }
    }
    Ok(downloads)
}

fn network_error(env: &GoEnv, module: &str) -> String {
    let _ = env;
    format!("module {module}: Get \"https://proxy.golang.org/{}/@v/list\": dial tcp: lookup proxy.golang.org on 127.0.0.11:53: no such host", module.to_lowercase())
}

/// Puts simulated module downloads into the module cache (`go: downloading …`).
fn download_modules(ctx: &mut Ctx<'_>, env: &GoEnv, mods: &[(String, String)], announce: bool) -> Result<(), Stop> {
    for (p, v) in mods {
        let dir = format!("{}/pkg/mod/{p}@{v}", env.gopath);
        if ctx.fs.stat(&dir).is_ok() {
            continue;
        }
        if announce {
            errln(ctx, &format!("go: downloading {p} {v}"));
        }
        let cache = format!("{}/pkg/mod/cache/download/{p}/@v", env.gopath);
        let files = [
            (format!("{cache}/{v}.mod"), format!("module {p}\n").into_bytes()),
            (format!("{cache}/{v}.info"), format!("{{\"Version\":\"{v}\",\"Time\":\"{}\"}}", support::iso_time(ctx.clock.now)).into_bytes()),
            (format!("{cache}/{v}.zip"), vec![0u8; 64 * 1024]),
            (format!("{dir}/go.mod"), format!("module {p}\n").into_bytes()),
            (format!("{dir}/README.md"), format!("# {p}\n\n(dfplay) a simulated download: the playground has no network, so the module's sources are not here.\n").into_bytes()),
        ];
        for (f, data) in files {
            support::write_file(ctx, &f, data, 0o444).map_err(|e| support::fs_fail(ctx, "go", &e))?;
        }
    }
    Ok(())
}

/// The program a package's sources make.
fn record_of(pkg: &Package) -> Record {
    let mut actions = Vec::new();
    for (_, a) in &pkg.files {
        if a.has_main {
            actions = a.actions.clone();
        }
    }
    Record { lang: "go".into(), sources: pkg.files.iter().map(|(f, _)| path::join(&pkg.dir, path::basename(f))).collect(), actions, spring_boot: None }
}

/// Builds the package; returns the stand-in's bytes (or None for a non-main package), or the exit status.
fn compile(ctx: &mut Ctx<'_>, env: &GoEnv, pkg: &Package) -> Result<Option<(std::sync::Arc<Vec<u8>>, Record)>, i32> {
    let downloads = match check_imports(ctx, env, pkg) {
        Ok(d) => d,
        Err(msg) => {
            if msg.contains("no such host") {
                errln(ctx, &msg);
                support::no_network_note(ctx);
            } else {
                errln(ctx, &msg);
            }
            return Err(1);
        }
    };
    if download_modules(ctx, env, &downloads, !env.old()).is_err() {
        return Err(1);
    }
    if pkg.name != "main" {
        return Ok(None);
    }
    if !pkg.files.iter().any(|(_, a)| a.has_main) {
        errln(ctx, &format!("# {}\nruntime.main_main·f: function main is undeclared in the main package", pkg.import_path));
        return Err(if env.old() { 2 } else { 1 });
    }
    let rec = record_of(pkg);
    let mut imports: Vec<String> = pkg.files.iter().flat_map(|(_, a)| a.imports.iter().cloned()).collect();
    imports.sort();
    imports.dedup();
    let src_len: usize = pkg.files.iter().map(|(_, a)| a.eof.0 as usize * 30).sum();
    let size = binary_size(&imports, src_len);
    let cgo = if env.cgo { "dynamically linked (cgo)" } else { "statically linked" };
    let desc = format!("a Go {} program ({}, linux/amd64, {cgo}) built by the simulated go build", env.version, pkg.import_path);
    Ok(Some((program::binary("go-program", &desc, &rec, size), rec)))
}

/// The default output name of a build: the last element of the import path, or the first file's name.
fn default_name(pkg: &Package) -> String {
    if pkg.file_args {
        return pkg.files.first().map(|(f, _)| path::basename(f).trim_end_matches(".go").to_string()).unwrap_or_else(|| "main".into());
    }
    let last = pkg.import_path.rsplit('/').next().unwrap_or("main").to_string();
    // a major-version suffix (example.com/app/v2) names the binary after the element before it
    if last.starts_with('v') && last[1..].chars().all(|c| c.is_ascii_digit()) && last.len() > 1 {
        return pkg.import_path.rsplit('/').nth(1).unwrap_or(&last).to_string();
    }
    last
}

fn write_binary(ctx: &mut Ctx<'_>, dest: &str, data: impl Into<std::sync::Arc<Vec<u8>>>) -> Result<(), Stop> {
    let abs = path::normalize(&ctx.abs(dest));
    support::write_file(ctx, &abs, data, 0o777 & !support::UMASK).map_err(|e| {
        errln(ctx, &format!("go build: copying {}: open {abs}: {}", path::basename(&abs), e.message().to_lowercase()));
        Stop(1)
    })
}

pub fn go(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, go_main)
}

fn go_main(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let env = GoEnv::read(ctx);
    let sub = argv.get(1).map(String::as_str).unwrap_or("");
    let args = argv.get(2..).unwrap_or(&[]);
    match sub {
        "build" | "install" => build(ctx, argv, &env, sub == "install", args),
        "run" => run(ctx, argv, &env, args),
        "version" => {
            label(ctx, argv, "the playground's stand-in go command");
            outln(ctx, &format!("go version go{} linux/amd64", env.version))?;
            Ok(0)
        }
        "env" => go_env(ctx, argv, &env, args),
        "mod" => go_mod(ctx, argv, &env, args),
        "get" => go_get(ctx, argv, &env, args),
        "test" => go_test(ctx, argv, &env, args),
        "vet" | "fmt" | "clean" | "generate" => {
            label(ctx, argv, &format!("the playground has no Go toolchain; `go {sub}` finds nothing to report"));
            Ok(0)
        }
        "list" => {
            label(ctx, argv, "the playground has no Go toolchain; listing the package from its sources");
            match load(ctx, &env, &args.iter().filter(|a| !a.starts_with('-')).cloned().collect::<Vec<_>>()) {
                Ok(p) => {
                    outln(ctx, &p.import_path)?;
                    Ok(0)
                }
                Err(e) => {
                    errln(ctx, &e);
                    Ok(1)
                }
            }
        }
        "help" | "-h" | "--help" => {
            outln(ctx, USAGE)?;
            Ok(0)
        }
        "" => {
            label(ctx, argv, "the playground's stand-in go command");
            errln(ctx, USAGE);
            Ok(2)
        }
        other => {
            label(ctx, argv, "the playground's stand-in go command");
            errln(ctx, &format!("go {other}: unknown command\nRun 'go help' for usage."));
            Ok(2)
        }
    }
}

const USAGE: &str = "Go is a tool for managing Go source code.\n\nUsage:\n\n\tgo <command> [arguments]\n\nThe commands are:\n\n\tbuild       compile packages and dependencies\n\tenv         print Go environment information\n\tget         add dependencies to current module and install them\n\tinstall     compile and install packages and dependencies\n\tmod         module maintenance\n\trun         compile and run Go program\n\ttest        test packages\n\tversion     print Go version\n\nUse \"go help <command>\" for more information about a command.";

fn build(ctx: &mut Ctx<'_>, argv: &[String], env: &GoEnv, install: bool, args: &[String]) -> Res {
    label(ctx, argv, "the playground has no Go compiler; writing a stand-in binary");
    let ba = match parse_build_args(args, false) {
        Ok(b) => b,
        Err(e) => {
            errln(ctx, &e);
            return Ok(2);
        }
    };
    let pkg = match load(ctx, env, &ba.rest) {
        Ok(p) => p,
        Err(e) => {
            errln(ctx, &e);
            return Ok(1);
        }
    };
    let built = match compile(ctx, env, &pkg) {
        Ok(b) => b,
        Err(status) => return Ok(status),
    };
    let name = default_name(&pkg);
    let Some((data, _)) = built else {
        // a library package: compiled and thrown away, or an archive at -o
        if let Some(o) = ba.out {
            let mut ar = b"!<arch>\n__.PKGDEF       0           0     0     644     0         `\n".to_vec();
            support::pad_to(&mut ar, 64 * 1024);
            write_binary(ctx, &o, ar)?;
        }
        return Ok(0);
    };
    let dest = if install {
        let bin = support::env_nonempty(ctx, "GOBIN").map(str::to_string).unwrap_or_else(|| format!("{}/bin", env.gopath));
        path::join(&bin, &name)
    } else {
        match ba.out {
            Some(o) => {
                let abs = path::normalize(&ctx.abs(&o));
                if o.ends_with('/') || ctx.fs.stat(&abs).map(|s| s.is_dir()).unwrap_or(false) {
                    path::join(&abs, &name)
                } else {
                    abs
                }
            }
            None => path::join(&ctx.cwd.clone(), &name),
        }
    };
    if ctx.fs.stat(&dest).map(|s| s.is_dir()).unwrap_or(false) {
        errln(ctx, &format!("go build {}: build output \"{name}\" already exists and is a directory", pkg.import_path));
        return Ok(1);
    }
    write_binary(ctx, &dest, data)?;
    Ok(0)
}

fn run(ctx: &mut Ctx<'_>, argv: &[String], env: &GoEnv, args: &[String]) -> Res {
    label(ctx, argv, "the playground has no Go compiler; running what the source prints on start-up");
    let ba = match parse_build_args(args, true) {
        Ok(b) => b,
        Err(e) => {
            errln(ctx, &e);
            return Ok(2);
        }
    };
    if ba.rest.is_empty() {
        errln(ctx, "go run: no go files listed");
        return Ok(1);
    }
    let (pkg_args, prog_args): (Vec<String>, Vec<String>) = {
        let n = ba.rest.iter().take_while(|a| a.ends_with(".go")).count().max(1);
        (ba.rest[..n].to_vec(), ba.rest[n..].to_vec())
    };
    let pkg = match load(ctx, env, &pkg_args) {
        Ok(p) => p,
        Err(e) => {
            errln(ctx, &e);
            return Ok(1);
        }
    };
    if pkg.name != "main" {
        errln(ctx, &format!("package {} is not a main package", pkg.import_path));
        return Ok(1);
    }
    let rec = match compile(ctx, env, &pkg) {
        Ok(Some((_, rec))) => rec,
        Ok(None) => return Ok(1),
        Err(s) => return Ok(s),
    };
    let mut pargv = vec![format!("/tmp/go-build/b001/exe/{}", default_name(&pkg))];
    pargv.extend(prog_args);
    let status = program::play(ctx, &rec, &pargv, "the program")?;
    if status != 0 {
        errln(ctx, &format!("exit status {status}"));
        return Ok(1);
    }
    Ok(0)
}

fn go_env(ctx: &mut Ctx<'_>, argv: &[String], env: &GoEnv, args: &[String]) -> Res {
    let gomod = if env.module_mode { find_go_mod(ctx, &ctx.cwd.clone()).unwrap_or_else(|| "/dev/null".into()) } else { String::new() };
    let vars: Vec<(&str, String)> = vec![
        ("GO111MODULE", ctx.getenv("GO111MODULE").unwrap_or("").to_string()),
        ("GOARCH", "amd64".into()),
        ("GOBIN", ctx.getenv("GOBIN").unwrap_or("").to_string()),
        ("GOCACHE", format!("{}/.cache/go-build", support::home(ctx))),
        ("GOENV", format!("{}/.config/go/env", support::home(ctx))),
        ("GOFLAGS", ctx.getenv("GOFLAGS").unwrap_or("").to_string()),
        ("GOHOSTARCH", "amd64".into()),
        ("GOHOSTOS", "linux".into()),
        ("GOMODCACHE", format!("{}/pkg/mod", env.gopath)),
        ("GOOS", "linux".into()),
        ("GOPATH", env.gopath.clone()),
        ("GOPROXY", ctx.getenv("GOPROXY").unwrap_or("https://proxy.golang.org,direct").to_string()),
        ("GOROOT", env.goroot.clone()),
        ("GOTOOLCHAIN", ctx.getenv("GOTOOLCHAIN").unwrap_or("auto").to_string()),
        ("GOVERSION", format!("go{}", env.version)),
        ("CGO_ENABLED", if env.cgo { "1" } else { "0" }.into()),
        ("GOMOD", gomod),
    ];
    let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if names.is_empty() {
        let q = if env.minor >= 21 { '\'' } else { '"' };
        for (k, v) in &vars {
            outln(ctx, &format!("{k}={q}{v}{q}"))?;
        }
        return Ok(0);
    }
    let _ = argv;
    for n in names {
        let v = vars.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()).unwrap_or_default();
        outln(ctx, &v)?;
    }
    Ok(0)
}

fn go_mod(ctx: &mut Ctx<'_>, argv: &[String], env: &GoEnv, args: &[String]) -> Res {
    let sub = args.first().map(String::as_str).unwrap_or("");
    let cwd = ctx.cwd.clone();
    match sub {
        "init" => {
            label(ctx, argv, "writing go.mod as the go command would");
            let target = path::join(&cwd, "go.mod");
            if ctx.fs.stat(&target).is_ok() {
                errln(ctx, &format!("go: {target} already exists"));
                return Ok(1);
            }
            let module = match args.get(1) {
                Some(m) => m.clone(),
                None => match cwd.strip_prefix(&format!("{}/src/", env.gopath)) {
                    Some(rel) => rel.to_string(),
                    None => {
                        errln(ctx, &format!("go: cannot determine module path for source directory {cwd} (outside GOPATH, module path must be specified)\n\nExample usage:\n\t'go mod init example.com/m' to initialize a v0 or v1 module\n\t'go mod init example.com/m/v2' to initialize a v2 module\n\nRun 'go help mod init' for more information."));
                        return Ok(1);
                    }
                },
            };
            let (_, minor) = support::major_minor(&env.version);
            support::write_file(ctx, &target, format!("module {module}\n\ngo 1.{minor}\n").into_bytes(), 0o644).map_err(|e| support::fs_fail(ctx, "go", &e))?;
            errln(ctx, &format!("go: creating new go.mod: module {module}"));
            Ok(0)
        }
        "download" | "tidy" | "vendor" | "verify" | "graph" | "why" | "edit" => {
            let Some(gomod) = find_go_mod(ctx, &cwd) else {
                label(ctx, argv, "the playground has no network; module downloads are simulated");
                errln(ctx, "go: go.mod file not found in current directory or any parent directory; see 'go help modules'");
                return Ok(1);
            };
            label(ctx, argv, "the playground has no network; module downloads are simulated (placeholders in the module cache)");
            let m = parse_go_mod(&support::read_text(ctx, &gomod).unwrap_or_default());
            if sub == "download" || sub == "tidy" || sub == "vendor" {
                download_modules(ctx, env, &m.requires, sub != "download")?;
            }
            if sub == "tidy" {
                let mut sum = String::new();
                for (p, v) in &m.requires {
                    let h = support::fnv(format!("{p}{v}").as_bytes());
                    sum.push_str(&format!("{p} {v} h1:{h:016x}{h:016x}=\n{p} {v}/go.mod h1:{h:016x}=\n"));
                }
                let target = path::join(path::parent(&gomod), "go.sum");
                support::write_file(ctx, &target, sum.into_bytes(), 0o644).map_err(|e| support::fs_fail(ctx, "go", &e))?;
            }
            if sub == "verify" {
                outln(ctx, "all modules verified")?;
            }
            if sub == "graph" {
                for (p, v) in &m.requires {
                    outln(ctx, &format!("{} {p}@{v}", m.module))?;
                }
            }
            Ok(0)
        }
        _ => {
            errln(ctx, &format!("go mod {sub}: unknown command\nRun 'go help mod' for usage."));
            Ok(2)
        }
    }
}

fn go_get(ctx: &mut Ctx<'_>, argv: &[String], env: &GoEnv, args: &[String]) -> Res {
    label(ctx, argv, "`go get` downloads from the network, which the playground does not have");
    let target = args.iter().find(|a| !a.starts_with('-')).cloned().unwrap_or_default();
    let module = target.split('@').next().unwrap_or("").to_string();
    if module.is_empty() {
        errln(ctx, "go: go.mod file not found in current directory or any parent directory.\n\t'go get' is no longer supported outside a module.");
        return Ok(1);
    }
    if !env.module_mode {
        let host = module.split('/').next().unwrap_or("");
        let url = format!("https://{module}");
        errln(
            ctx,
            &format!("# cd .; git clone -- {url} {}/src/{module}\nCloning into '{}/src/{module}'...\nfatal: unable to access '{url}/': Could not resolve host: {host}\npackage {module}: exit status 128", env.gopath, env.gopath),
        );
    } else {
        errln(ctx, &format!("go: {}", network_error(env, &module)));
    }
    support::no_network_note(ctx);
    Ok(1)
}

fn go_test(ctx: &mut Ctx<'_>, argv: &[String], env: &GoEnv, args: &[String]) -> Res {
    label(ctx, argv, "the playground cannot compile or run Go tests; it lists the test files and reports them as passing");
    let ba = match parse_build_args(args, false) {
        Ok(b) => b,
        Err(e) => {
            errln(ctx, &e);
            return Ok(2);
        }
    };
    let arg = ba.rest.first().cloned().unwrap_or_else(|| ".".into());
    let dir = path::normalize(&ctx.abs(arg.trim_end_matches("/...")));
    let import_path = if env.module_mode && find_go_mod(ctx, &dir).is_none() {
        errln(ctx, "go: go.mod file not found in current directory or any parent directory; see 'go help modules'");
        return Ok(1);
    } else {
        import_path_for(ctx, env, &dir)
    };
    let tests = ctx.fs.read_dir(&dir).map(|e| e.iter().filter(|(n, _)| n.ends_with("_test.go")).count()).unwrap_or(0);
    let ip = if import_path.starts_with('_') { "command-line-arguments".to_string() } else { import_path };
    if tests == 0 {
        outln(ctx, &format!("?   \t{ip}\t[no test files]"))?;
    } else {
        outln(ctx, &format!("ok  \t{ip}\t0.00{}s", 2 + tests % 7))?;
    }
    Ok(0)
}

pub fn gofmt(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, gofmt_main)
}

fn gofmt_main(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    label(ctx, argv, "the playground's gofmt leaves the sources as they are");
    let files: Vec<&String> = argv.iter().skip(1).filter(|a| !a.starts_with('-')).collect();
    let list = argv.iter().any(|a| a == "-l");
    let write = argv.iter().any(|a| a == "-w");
    if files.is_empty() {
        let data = ctx.stdin.read_all().to_vec();
        ctx.out(&data).map_err(Stop::from)?;
        return Ok(0);
    }
    for f in files {
        match support::read_text(ctx, f) {
            Ok(t) => {
                if !list && !write {
                    out(ctx, &t)?;
                }
            }
            Err(e) => {
                errln(ctx, &format!("open {f}: {}", e.message().to_lowercase()));
                return Ok(2);
            }
        }
    }
    Ok(0)
}

/// Runs a stand-in binary written by the simulated `go build`.
pub fn go_program(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, |ctx, argv| run_recorded(ctx, argv, "a Go program built by the simulated go build"))
}

/// Runs the record inside the stand-in file argv[0] names.
pub fn run_recorded(ctx: &mut Ctx<'_>, argv: &[String], what: &str) -> Res {
    let me = argv.first().cloned().unwrap_or_default();
    let file = support::which(ctx, &me);
    let rec = file.as_ref().and_then(|f| ctx.fs.read(f).ok()).and_then(|d| program::read_record(&d));
    label(ctx, argv, &format!("{what}; printing what its source prints on start-up"));
    match rec {
        Some(r) => program::play(ctx, &r, argv, &format!("`{}`", path::basename(&me))),
        None => {
            errln(ctx, &format!("(simulated) {me}: the stand-in binary carries no record of its program; nothing to run"));
            Ok(1)
        }
    }
}
