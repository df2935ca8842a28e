//! The simulated C/C++ compilers (`gcc`, `cc`, `g++`, `c++`, `clang`), `make`
//! and `c-program`, the stand-in binaries the compilers write. `gcc -o prog
//! prog.c` checks its inputs (gcc's own `No such file or directory` / `no input
//! files` / `undefined reference to 'main'`), writes `-o` (or `a.out`, or `.o`
//! files with `-c`) as a stand-in recording what `main` prints. `make` reads the
//! Makefile (variables, rules, `$@ $< $^`, `.PHONY`, the built-in `%: %.c` rule),
//! decides what is out of date by mtime and runs the recipes in the shell that
//! started it, echoing them as make does.

use super::program::{self, Record};
use super::scan::{self, lex::Lang};
use super::support::{self, errln, label, outln, Res};
use crate::shell::proc::Ctx;
use crate::vfs::path;
use std::collections::HashMap;

pub fn gcc(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, gcc_main)
}

fn gcc_main(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let me = support::prog_name(argv).to_string();
    if argv.iter().any(|a| a == "--version" || a == "-v") && argv.len() == 2 {
        label(ctx, argv, "the playground has no C compiler; this is the stand-in");
        let alpine = ctx.fs.stat("/etc/alpine-release").is_ok();
        outln(ctx, &if alpine { format!("{me} (Alpine 13.2.1_git20240309) 13.2.1 20240309") } else { format!("{me} (Debian 12.2.0-14) 12.2.0") })?;
        outln(ctx, "Copyright (C) 2022 Free Software Foundation, Inc.\nThis is free software; see the source for copying conditions.  There is NO\nwarranty; not even for MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.\n")?;
        return Ok(0);
    }
    label(ctx, argv, "the playground has no C compiler; writing a stand-in binary");
    let mut out: Option<String> = None;
    let mut compile_only = false;
    let mut is_static = false;
    let mut inputs = Vec::new();
    let args = argv.get(1..).unwrap_or(&[]);
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-o" => {
                i += 1;
                out = args.get(i).cloned();
            }
            "-c" => compile_only = true,
            "-static" => is_static = true,
            "-I" | "-L" | "-D" | "-U" | "-include" | "-x" | "-MF" | "-MT" => i += 1,
            _ if a.starts_with("-o") && a.len() > 2 => out = Some(a[2..].to_string()),
            _ if a.starts_with('-') => {}
            f => inputs.push(f.to_string()),
        }
        i += 1;
    }
    for f in &inputs {
        if !support::is_file(ctx, f) {
            errln(ctx, &format!("{me}: error: {f}: No such file or directory"));
            errln(ctx, &format!("{me}: fatal error: no input files\ncompilation terminated."));
            return Ok(1);
        }
    }
    if inputs.is_empty() {
        errln(ctx, &format!("{me}: fatal error: no input files\ncompilation terminated."));
        return Ok(1);
    }
    let mut main_rec: Option<Record> = None;
    let mut sources = Vec::new();
    for f in &inputs {
        let data = support::read_bytes(ctx, f).map_err(|e| support::fs_fail(ctx, &me, &e))?;
        support::charge_bytes(ctx, data.len() * 4)?;
        let rec = if f.ends_with(".o") || f.ends_with(".a") {
            program::read_record(&data).filter(|r| !r.actions.is_empty() || r.lang == "c-main")
        } else {
            let a = scan::analyze(Lang::C, &String::from_utf8_lossy(&data), "");
            let abs = ctx.abs(f);
            sources.push(abs.clone());
            if compile_only {
                let obj = match (&out, inputs.len()) {
                    (Some(o), 1) => o.clone(),
                    _ => format!("{}.o", path::basename(f).rsplit_once('.').map(|(b, _)| b).unwrap_or(f)),
                };
                let rec = Record { lang: if a.has_main { "c-main".into() } else { "c".into() }, sources: vec![abs.clone()], actions: a.actions.clone(), spring_boot: None };
                let mut bytes = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\n".to_vec();
                bytes.extend_from_slice(&program::binary("c-object", &format!("an object file compiled from {f} by the simulated {me}"), &rec, 0));
                support::pad_to(&mut bytes, 1_500 + data.len());
                support::write_file(ctx, &obj, bytes, 0o644).map_err(|e| support::fs_fail(ctx, &me, &e))?;
                continue;
            }
            a.has_main.then(|| Record { lang: "c-main".into(), sources: vec![abs], actions: a.actions, spring_boot: None })
        };
        if main_rec.is_none() {
            main_rec = rec;
        }
    }
    if compile_only {
        return Ok(0);
    }
    let Some(mut rec) = main_rec else {
        let crt = if ctx.fs.stat("/etc/alpine-release").is_ok() { "/usr/lib/gcc/x86_64-alpine-linux-musl/13.2.1/../../../../lib/Scrt1.o" } else { "/usr/bin/ld: /usr/lib/gcc/x86_64-linux-gnu/12/../../../x86_64-linux-gnu/Scrt1.o" };
        errln(ctx, &format!("{crt}: in function `_start':\n(.text+0x17): undefined reference to `main'\ncollect2: error: ld returned 1 exit status"));
        return Ok(1);
    };
    rec.lang = "c".into();
    if !sources.is_empty() {
        rec.sources = sources;
    }
    let dest = out.unwrap_or_else(|| "a.out".into());
    let size = if is_static { 780_000 } else { 15_960 };
    let data = program::binary("c-program", &format!("a program built by the simulated {me}"), &rec, size);
    support::write_file(ctx, &dest, data, 0o777 & !support::UMASK).map_err(|e| support::fs_fail(ctx, &me, &e))?;
    Ok(0)
}

/// Runs a stand-in binary written by the simulated C compiler.
pub fn c_program(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, |ctx, argv| super::go::run_recorded(ctx, argv, "a C program built by the simulated compiler"))
}

/// A Makefile: variables and rules.
#[derive(Default)]
struct Makefile {
    vars: HashMap<String, String>,
    rules: Vec<Rule>,
    phony: Vec<String>,
    first: Option<String>,
}

struct Rule {
    targets: Vec<String>,
    deps: Vec<String>,
    recipe: Vec<(String, usize)>,
    line: usize,
}

/// Longest expansion of one make line.
const MAX_EXPANSION: usize = 1 << 16;

fn expand(s: &str, vars: &HashMap<String, String>, auto: &HashMap<&str, String>, depth: u32) -> String {
    if depth > 16 || !s.contains('$') {
        return s.to_string();
    }
    let mut out = String::new();
    let cs: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        if out.len() > MAX_EXPANSION {
            break;
        }
        if cs[i] != '$' {
            out.push(cs[i]);
            i += 1;
            continue;
        }
        match cs.get(i + 1) {
            Some('$') => {
                out.push('$');
                i += 2;
            }
            Some(&open @ ('(' | '{')) => {
                let close = if open == '(' { ')' } else { '}' };
                let end = cs[i + 2..].iter().position(|&c| c == close).map(|p| i + 2 + p);
                let Some(end) = end else {
                    out.extend(&cs[i..]);
                    break;
                };
                let name: String = cs[i + 2..end].iter().collect();
                let val = auto.get(name.as_str()).cloned().or_else(|| vars.get(&name).cloned()).unwrap_or_default();
                out.push_str(&expand(&val, vars, auto, depth + 1));
                i = end + 1;
            }
            Some(&c) => {
                let key = c.to_string();
                let val = auto.get(key.as_str()).cloned().or_else(|| vars.get(&key).cloned()).unwrap_or_default();
                out.push_str(&val);
                i += 2;
            }
            None => {
                out.push('$');
                i += 1;
            }
        }
    }
    out
}

fn parse_makefile(text: &str, env: &[(String, String)]) -> Makefile {
    let mut m = Makefile::default();
    for (k, v) in env {
        m.vars.insert(k.clone(), v.clone());
    }
    for (k, v) in [("CC", "cc"), ("CXX", "g++"), ("RM", "rm -f"), ("MAKE", "make"), ("SHELL", "/bin/sh")] {
        m.vars.entry(k.to_string()).or_insert_with(|| v.to_string());
    }
    let empty = HashMap::new();
    let mut cur: Option<usize> = None;
    let mut lines = text.lines().enumerate().peekable();
    while let Some((n, raw)) = lines.next() {
        let mut line = raw.to_string();
        while line.ends_with('\\') {
            line.pop();
            match lines.next() {
                Some((_, more)) => {
                    line.push(' ');
                    line.push_str(more.trim_start());
                }
                None => break,
            }
        }
        if let Some(cmd) = line.strip_prefix('\t') {
            if let Some(r) = cur {
                m.rules[r].recipe.push((cmd.to_string(), n + 1));
            }
            continue;
        }
        let l = line.split('#').next().unwrap_or("").trim_end();
        if l.trim().is_empty() {
            continue;
        }
        let assign = ["?=", ":=", "::=", "+=", "="].iter().filter_map(|op| l.find(op).map(|p| (p, *op))).min_by_key(|(p, _)| *p);
        let colon = l.find(':');
        if let Some((p, op)) = assign {
            if colon.is_none_or(|c| c >= p) {
                let name = l[..p].trim().trim_start_matches("export ").trim().to_string();
                let val = l[p + op.len()..].trim().to_string();
                match op {
                    "?=" => {
                        m.vars.entry(name).or_insert(val);
                    }
                    ":=" | "::=" => {
                        let v = expand(&val, &m.vars, &empty, 0);
                        m.vars.insert(name, v);
                    }
                    "+=" => {
                        let e = m.vars.entry(name).or_default();
                        if !e.is_empty() {
                            e.push(' ');
                        }
                        e.push_str(&val);
                    }
                    _ => {
                        m.vars.insert(name, val);
                    }
                }
                cur = None;
                continue;
            }
        }
        if let Some(c) = colon {
            let targets: Vec<String> = expand(&l[..c], &m.vars, &empty, 0).split_whitespace().map(str::to_string).collect();
            let after = &l[c + 1..];
            let (deps_part, inline) = match after.split_once(';') {
                Some((d, r)) => (d, Some(r.trim().to_string())),
                None => (after, None),
            };
            let deps: Vec<String> = expand(deps_part, &m.vars, &empty, 0).split_whitespace().map(str::to_string).collect();
            if targets.iter().any(|t| t == ".PHONY") {
                m.phony.extend(deps);
                cur = None;
                continue;
            }
            if m.first.is_none() {
                m.first = targets.iter().find(|t| !t.starts_with('.') && !t.contains('%')).cloned();
            }
            let mut recipe = Vec::new();
            if let Some(r) = inline.filter(|r| !r.is_empty()) {
                recipe.push((r, n + 1));
            }
            m.rules.push(Rule { targets, deps, recipe, line: n + 1 });
            cur = Some(m.rules.len() - 1);
        }
    }
    m
}

pub fn make(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, make_main)
}

struct MakeRun<'m> {
    m: &'m Makefile,
    file: String,
    done: Vec<String>,
    ran_any: bool,
    keep_going: bool,
    dry: bool,
}

fn make_main(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    label(ctx, argv, "the playground's make (a subset of GNU make) runs the recipes in the builtin shell");
    let mut file: Option<String> = None;
    let mut goals = Vec::new();
    let mut overrides: Vec<(String, String)> = Vec::new();
    let mut dry = false;
    let mut keep_going = false;
    let args = argv.get(1..).unwrap_or(&[]);
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-f" | "--file" | "--makefile" => {
                i += 1;
                file = args.get(i).cloned();
            }
            "-C" | "--directory" => {
                i += 1;
                if let Some(d) = args.get(i) {
                    ctx.cwd = path::normalize(&ctx.abs(d));
                }
            }
            "-n" | "--dry-run" | "--just-print" => dry = true,
            "-k" | "--keep-going" => keep_going = true,
            "-j" | "-l" => {
                if args.get(i + 1).is_some_and(|n| n.chars().all(|c| c.is_ascii_digit())) {
                    i += 1;
                }
            }
            _ if a.starts_with('-') => {}
            _ if a.contains('=') => {
                let (k, v) = a.split_once('=').unwrap_or((a, ""));
                overrides.push((k.to_string(), v.to_string()));
            }
            g => goals.push(g.to_string()),
        }
        i += 1;
    }
    let candidates = ["GNUmakefile", "makefile", "Makefile"];
    let file = file.or_else(|| candidates.iter().find(|c| support::is_file(ctx, c)).map(|c| c.to_string()));
    let text = match &file {
        Some(f) => match support::read_text(ctx, f) {
            Ok(t) => t,
            Err(_) => {
                errln(ctx, &format!("make: {f}: No such file or directory\nmake: *** No rule to make target '{f}'.  Stop."));
                return Ok(2);
            }
        },
        None => String::new(),
    };
    support::charge_bytes(ctx, text.len() * 2)?;
    let mut m = parse_makefile(&text, &ctx.env);
    for (k, v) in overrides {
        m.vars.insert(k, v);
    }
    if goals.is_empty() {
        match &m.first {
            Some(f) => goals.push(f.clone()),
            None if file.is_none() => {
                errln(ctx, "make: *** No targets specified and no makefile found.  Stop.");
                return Ok(2);
            }
            None => {
                errln(ctx, "make: *** No targets.  Stop.");
                return Ok(2);
            }
        }
    }
    let mut run = MakeRun { m: &m, file: file.clone().unwrap_or_else(|| "Makefile".into()), done: Vec::new(), ran_any: false, keep_going, dry };
    for g in &goals {
        run.ran_any = false;
        match build(ctx, &mut run, g, 0)? {
            Ok(_) => {
                if !run.ran_any {
                    if m.rules.iter().any(|r| r.targets.contains(g) && r.recipe.is_empty() && !r.deps.is_empty()) || m.phony.contains(g) {
                        outln(ctx, &format!("make: Nothing to be done for '{g}'."))?;
                    } else {
                        outln(ctx, &format!("make: '{g}' is up to date."))?;
                    }
                }
            }
            Err(status) => return Ok(status),
        }
    }
    Ok(0)
}

fn mtime(ctx: &Ctx<'_>, p: &str) -> Option<i64> {
    ctx.fs.stat(&ctx.abs(p)).ok().map(|s| s.meta.mtime)
}

/// Brings `target` up to date; `Ok(true)` when something ran, `Err(status)` on failure.
fn build(ctx: &mut Ctx<'_>, run: &mut MakeRun<'_>, target: &str, depth: u32) -> Result<Result<bool, i32>, super::support::Stop> {
    if run.done.iter().any(|d| d == target) || depth > 64 {
        return Ok(Ok(false));
    }
    let m = run.m;
    let rule = m.rules.iter().find(|r| r.targets.iter().any(|t| t == target) && (!r.recipe.is_empty() || !r.deps.is_empty()));
    // the built-in rules: prog from prog.c, x.o from x.c
    let implicit: Option<(String, String)> = if rule.is_none_or(|r| r.recipe.is_empty()) {
        let pattern = m.rules.iter().find_map(|r| {
            let t = r.targets.iter().find(|t| t.contains('%'))?;
            let (pre, post) = t.split_once('%')?;
            let stem = target.strip_prefix(pre)?.strip_suffix(post)?;
            let dep = r.deps.first()?.replace('%', stem);
            support::is_file(ctx, &dep).then(|| (dep, r.recipe.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>().join("\n")))
        });
        pattern.or_else(|| {
            if let Some(stem) = target.strip_suffix(".o") {
                let c = format!("{stem}.c");
                support::is_file(ctx, &c).then(|| (c.clone(), "$(CC) $(CFLAGS) $(CPPFLAGS) -c -o $@ $<".to_string()))
            } else {
                let c = format!("{target}.c");
                support::is_file(ctx, &c).then(|| (c.clone(), "$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) $< $(LDLIBS) -o $@".to_string()))
            }
        })
    } else {
        None
    };
    if rule.is_none() && implicit.is_none() {
        if mtime(ctx, target).is_some() {
            return Ok(Ok(false));
        }
        errln(ctx, &format!("make: *** No rule to make target '{target}'.  Stop."));
        return Ok(Err(2));
    }
    let mut deps: Vec<String> = rule.map(|r| r.deps.clone()).unwrap_or_default();
    if let Some((d, _)) = &implicit {
        if !deps.contains(d) {
            deps.insert(0, d.clone());
        }
    }
    let mut any_ran = false;
    for d in &deps {
        match build(ctx, run, d, depth + 1)? {
            Ok(r) => any_ran |= r,
            Err(s) if run.keep_going => return Ok(Err(s)),
            Err(s) => return Ok(Err(s)),
        }
    }
    let phony = m.phony.iter().any(|p| p == target);
    let own = mtime(ctx, target);
    let stale = phony || own.is_none() || any_ran || deps.iter().any(|d| mtime(ctx, d).zip(own).is_some_and(|(dm, om)| dm > om));
    run.done.push(target.to_string());
    if !stale {
        return Ok(Ok(false));
    }
    let recipe: Vec<(String, usize)> = match (rule.filter(|r| !r.recipe.is_empty()), &implicit) {
        (Some(r), _) => r.recipe.clone(),
        (None, Some((_, text))) => text.lines().map(|l| (l.to_string(), 0)).collect(),
        (None, None) => Vec::new(),
    };
    let line_no = rule.map(|r| r.line).unwrap_or(0);
    let mut auto: HashMap<&str, String> = HashMap::new();
    auto.insert("@", target.to_string());
    auto.insert("<", deps.first().cloned().unwrap_or_default());
    auto.insert("^", {
        let mut u: Vec<String> = Vec::new();
        for d in &deps {
            if !u.contains(d) {
                u.push(d.clone());
            }
        }
        u.join(" ")
    });
    auto.insert("*", target.rsplit_once('.').map(|(b, _)| b.to_string()).unwrap_or_else(|| target.to_string()));
    for (raw, ln) in recipe {
        let mut line = expand(&raw, &m.vars, &auto, 0);
        let mut silent = false;
        let mut ignore = false;
        loop {
            if let Some(r) = line.strip_prefix('@') {
                silent = true;
                line = r.to_string();
            } else if let Some(r) = line.strip_prefix('-') {
                ignore = true;
                line = r.to_string();
            } else if let Some(r) = line.strip_prefix('+') {
                line = r.to_string();
            } else {
                break;
            }
        }
        let line = line.trim().to_string();
        if line.is_empty() {
            continue;
        }
        if !silent || run.dry {
            outln(ctx, &line)?;
        }
        run.ran_any = true;
        if run.dry {
            continue;
        }
        let env = ctx.env.clone();
        let status = support::spawn(ctx, &["/bin/sh".into(), "-c".into(), line.clone()], &env);
        if status != 0 {
            let at = if ln > 0 { ln } else { line_no };
            if ignore {
                errln(ctx, &format!("make: [{}:{at}: {target}] Error {status} (ignored)", run.file));
                continue;
            }
            errln(ctx, &format!("make: *** [{}:{at}: {target}] Error {status}", run.file));
            return Ok(Err(2));
        }
    }
    Ok(Ok(true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makefile_parsing_and_expansion() {
        let m = parse_makefile("CC = gcc\nCFLAGS ?= -O2\nOBJS := a.o \\\n  b.o\n.PHONY: all clean\nall: app\napp: $(OBJS)\n\t$(CC) $(CFLAGS) -o $@ $^\nclean:\n\t@rm -f app $(OBJS)\n", &[]);
        assert_eq!(m.first.as_deref(), Some("all"));
        assert_eq!(m.phony, ["all", "clean"]);
        let app = m.rules.iter().find(|r| r.targets == ["app"]).unwrap();
        assert_eq!(app.deps, ["a.o", "b.o"]);
        let mut auto = HashMap::new();
        auto.insert("@", "app".to_string());
        auto.insert("^", "a.o b.o".to_string());
        assert_eq!(expand(&app.recipe[0].0, &m.vars, &auto, 0), "gcc -O2 -o app a.o b.o");
        assert_eq!(expand("$$HOME $(UNSET)x", &m.vars, &auto, 0), "$HOME x");
    }
}
