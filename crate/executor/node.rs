//! The simulated Node.js runtime (`node`): `--version`, `-e`/`-p`, a script file
//! (or the script on standard input, as node reads it when not on a terminal).
//! Before "running", it resolves the script and every `require`/`import` the way
//! Node does (builtins, relative files, `node_modules` up the directory tree,
//! `NODE_PATH`), so a missing dependency fails with Node's own
//! `Error: Cannot find module '…'` — the lesson of forgetting to copy
//! `node_modules` into the final stage. Then it prints what the script prints on
//! start-up and, for a server, where it would listen.

use super::program::{self, Record};
use super::scan::{self, lex::Lang, NODE_BUILTINS};
use super::support::{self, errln, label, outln, Res};
use crate::shell::proc::Ctx;
use crate::vfs::path;

fn version(ctx: &Ctx<'_>) -> String {
    support::env_nonempty(ctx, "NODE_VERSION")
        .map(str::to_string)
        .or_else(|| support::standin_version(ctx, "/usr/local/bin/node", "Node.js v"))
        .unwrap_or_else(|| "20.11.1".into())
}

fn modern(v: &str) -> bool {
    support::major_minor(v).0 >= 12
}

pub fn node(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, node_main)
}

fn node_main(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let v = version(ctx);
    let args = argv.get(1..).unwrap_or(&[]);
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-v" | "--version" => {
                label(ctx, argv, "the playground has no JavaScript engine; this is the stand-in node");
                outln(ctx, &format!("v{v}"))?;
                return Ok(0);
            }
            "-e" | "--eval" | "-p" | "--print" => {
                label(ctx, argv, "the playground has no JavaScript engine; printing what the code prints");
                let code = args.get(i + 1).cloned().unwrap_or_default();
                let code = if a.starts_with("-p") || a == "--print" { format!("console.log({code})") } else { code };
                let mut pargv = vec![argv.first().cloned().unwrap_or_else(|| "node".into())];
                pargv.extend(args.get(i + 2..).unwrap_or(&[]).iter().cloned());
                return run_source(ctx, &code, "[eval]", &ctx.cwd.clone(), &v, &pargv);
            }
            "-r" | "--require" | "--loader" | "--import" | "--env-file" | "--title" => i += 1,
            "-h" | "--help" => {
                outln(ctx, "Usage: node [options] [ script.js ] [arguments]\n       node inspect [options] [ script.js | host:port ] [arguments]\n\nOptions:\n  -e, --eval script           evaluate script\n  -p, --print [...]           evaluate script and print result\n  -v, --version               print Node.js version")?;
                return Ok(0);
            }
            _ if a.starts_with('-') => {}
            script => {
                label(ctx, argv, "the playground has no JavaScript engine; printing what the script prints on start-up");
                let abs = path::normalize(&ctx.abs(script));
                let Some(file) = resolve_file(ctx, &abs) else {
                    cannot_find(ctx, &v, &abs, None);
                    return Ok(1);
                };
                let src = support::read_text(ctx, &file).unwrap_or_default();
                support::charge_bytes(ctx, src.len() * 4)?;
                let mut pargv = vec![argv.first().cloned().unwrap_or_else(|| "node".into()), file.clone()];
                pargv.extend(args.get(i + 1..).unwrap_or(&[]).iter().cloned());
                let dir = path::parent(&file).to_string();
                return run_source(ctx, &src, &file, &dir, &v, &pargv);
            }
        }
        i += 1;
    }
    // no script: node reads the program from standard input
    label(ctx, argv, "the playground has no JavaScript engine; node reads its program from standard input");
    let src = String::from_utf8_lossy(ctx.stdin.read_all()).into_owned();
    let pargv = vec![argv.first().cloned().unwrap_or_else(|| "node".into())];
    run_source(ctx, &src, "[stdin]", &ctx.cwd.clone(), &v, &pargv)
}

/// Checks the modules a script loads, then plays what it prints.
fn run_source(ctx: &mut Ctx<'_>, src: &str, file: &str, dir: &str, v: &str, pargv: &[String]) -> Res {
    let a = scan::analyze(Lang::Js, src, "");
    for m in &a.imports {
        if !module_exists(ctx, m, dir) {
            let at = src.find(&format!("require('{m}')")).or_else(|| src.find(&format!("require(\"{m}\")"))).or_else(|| src.find(m.as_str())).unwrap_or(0);
            let line = src[..at.min(src.len())].matches('\n').count() + 1;
            let col = at - src[..at.min(src.len())].rfind('\n').map(|p| p + 1).unwrap_or(0) + 1;
            cannot_find(ctx, v, m, Some((file, line, col)));
            return Ok(1);
        }
    }
    let rec = Record { lang: "node".into(), sources: vec![file.to_string()], actions: a.actions, spring_boot: None };
    program::play(ctx, &rec, pargv, "the script")
}

/// A file as Node's loader finds it: exact, `.js`/`.json`/`.mjs`/`.cjs`, a directory's `main` or `index.js`.
fn resolve_file(ctx: &Ctx<'_>, abs: &str) -> Option<String> {
    let is_file = |p: &str| ctx.fs.stat(p).map(|s| s.is_file()).unwrap_or(false);
    if is_file(abs) {
        return Some(abs.to_string());
    }
    for ext in [".js", ".json", ".mjs", ".cjs", ".node"] {
        let p = format!("{abs}{ext}");
        if is_file(&p) {
            return Some(p);
        }
    }
    if ctx.fs.stat(abs).map(|s| s.is_dir()).unwrap_or(false) {
        if let Ok(d) = ctx.fs.read(&path::join(abs, "package.json")) {
            if let Some(main) = serde_json::from_slice::<serde_json::Value>(&d).ok().and_then(|j| j.get("main").and_then(|m| m.as_str()).map(str::to_string)) {
                if let Some(f) = resolve_file(ctx, &path::normalize(&path::join(abs, &main))) {
                    return Some(f);
                }
            }
        }
        let idx = path::join(abs, "index.js");
        if is_file(&idx) {
            return Some(idx);
        }
    }
    None
}

fn module_exists(ctx: &Ctx<'_>, m: &str, dir: &str) -> bool {
    let bare = m.strip_prefix("node:").unwrap_or(m);
    let top = bare.split('/').next().unwrap_or("");
    if m.starts_with("node:") || NODE_BUILTINS.contains(&top) {
        return true;
    }
    if m.starts_with("./") || m.starts_with("../") || m.starts_with('/') || m == "." || m == ".." {
        return resolve_file(ctx, &path::normalize(&path::join(dir, m))).is_some();
    }
    let name: String = if m.starts_with('@') { m.splitn(3, '/').take(2).collect::<Vec<_>>().join("/") } else { top.to_string() };
    let mut d = path::normalize(dir);
    loop {
        if ctx.fs.stat(&path::join(&d, &format!("node_modules/{name}"))).map(|s| s.is_dir()).unwrap_or(false) {
            return true;
        }
        if d == "/" {
            break;
        }
        d = path::parent(&d).to_string();
    }
    if let Some(np) = ctx.getenv("NODE_PATH") {
        for p in np.split(':').filter(|p| !p.is_empty()) {
            if ctx.fs.stat(&path::join(p, &name)).map(|s| s.is_dir()).unwrap_or(false) {
                return true;
            }
        }
    }
    false
}

/// Node's `Cannot find module` crash, in the shape of the image's Node version.
fn cannot_find(ctx: &mut Ctx<'_>, v: &str, what: &str, from: Option<(&str, usize, usize)>) {
    let mut s = String::new();
    if modern(v) {
        s.push_str("node:internal/modules/cjs/loader:1228\n  throw err;\n  ^\n\n");
        s.push_str(&format!("Error: Cannot find module '{what}'\n"));
        if let Some((f, _, _)) = from {
            s.push_str(&format!("Require stack:\n- {f}\n"));
        }
        s.push_str("    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)\n    at Module._load (node:internal/modules/cjs/loader:1051:27)\n");
        match from {
            Some((f, l, c)) => {
                s.push_str(&format!("    at Module.require (node:internal/modules/cjs/loader:1311:19)\n    at require (node:internal/modules/helpers:179:18)\n    at Object.<anonymous> ({f}:{l}:{c})\n    at Module._compile (node:internal/modules/cjs/loader:1469:14)\n    at Module._extensions..js (node:internal/modules/cjs/loader:1548:10)\n    at Module.load (node:internal/modules/cjs/loader:1288:32)\n    at Module._load (node:internal/modules/cjs/loader:1104:12)\n    at TracingChannel.traceSync (node:diagnostics_channel:315:14) {{\n  code: 'MODULE_NOT_FOUND',\n  requireStack: [ '{f}' ]\n}}\n"));
            }
            None => s.push_str("    at TracingChannel.traceSync (node:diagnostics_channel:315:14)\n    at wrapModuleLoad (node:internal/modules/cjs/loader:218:24)\n    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:170:5)\n    at node:internal/main/run_main_module:36:49 {\n  code: 'MODULE_NOT_FOUND',\n  requireStack: []\n}\n"),
        }
        s.push_str(&format!("\nNode.js v{v}"));
    } else {
        s.push_str("internal/modules/cjs/loader.js:638\n    throw err;\n    ^\n\n");
        s.push_str(&format!("Error: Cannot find module '{what}'\n    at Function.Module._resolveFilename (internal/modules/cjs/loader.js:636:15)\n    at Function.Module._load (internal/modules/cjs/loader.js:562:25)\n"));
        match from {
            Some((f, l, c)) => s.push_str(&format!("    at Module.require (internal/modules/cjs/loader.js:692:17)\n    at require (internal/modules/cjs/helpers.js:25:18)\n    at Object.<anonymous> ({f}:{l}:{c})\n    at Module._compile (internal/modules/cjs/loader.js:778:30)\n    at Object.Module._extensions..js (internal/modules/cjs/loader.js:789:10)\n    at Module.load (internal/modules/cjs/loader.js:653:32)\n    at tryModuleLoad (internal/modules/cjs/loader.js:593:12)\n    at Function.Module._load (internal/modules/cjs/loader.js:585:3)")),
            None => s.push_str("    at Function.Module.runMain (internal/modules/cjs/loader.js:831:12)\n    at startup (internal/bootstrap/node.js:283:19)\n    at bootstrapNodeJSCore (internal/bootstrap/node.js:622:3)"),
        }
    }
    errln(ctx, &s);
}
