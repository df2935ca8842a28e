//! Starting processes as `execve` would: a file with `#!` runs its
//! interpreter, a stand-in executable runs the builtin shell (`sh`, `dash`,
//! `ash`, `bash`), a multi-call applet (`busybox`, `coreutils`), one of the
//! playground's programs or a caller's native simulation; a text file without
//! `#!` runs as a shell script (dash's ENOEXEC rule); a real binary cannot run
//! here and says so. Also the [`Runner`] programs use to start commands, and
//! the entry point [`execute`].

use super::builtins;
use super::interp::{limit_hit, Ex, Flow, Shell};
use super::io::{write_target, Fd, Output, ProgramSink, Router, Stream, Target};
use super::proc::{self, Budget, Clock, Ctx, Input, Natives, Program, Runner, Spawn, SpawnError};
use super::{Invocation, LimitHit, LimitKind, Outcome, ShellLimits, DEFAULT_PATH, LIMIT_STATUS};
use crate::vfs::{path, Vfs};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// Most `#!` interpreters chained (Linux allows a handful).
const MAX_SHEBANG_HOPS: u32 = 4;

/// Runs one process; see [`super::execute`].
pub(crate) fn execute(fs: &mut Vfs, inv: &Invocation, natives: &dyn Natives) -> Outcome {
    let out = Rc::new(RefCell::new(Output::new(inv.limits.output_bytes)));
    let mut budget = Budget::new(inv.limits.steps);
    let mut clock = Clock { now: inv.clock };
    fs.now = inv.clock;
    let next_pid = Rc::new(Cell::new(1));
    let abort = Rc::new(RefCell::new(None));
    let result = {
        let mut sh = Shell::new(fs, natives, &mut clock, &mut budget, inv.limits, out.clone(), [None, None], inv.uid, inv.gid, next_pid, 0);
        sh.abort = abort.clone();
        sh.st.cwd = inv.cwd.clone();
        sh.st.fds.set(0, Some(Fd::Read(Rc::new(RefCell::new(Input::new(inv.stdin.clone()))))));
        sh.st.fds.set(1, Some(Fd::Write(Rc::new(RefCell::new(Target::Stream(Stream::Stdout))))));
        sh.st.fds.set(2, Some(Fd::Write(Rc::new(RefCell::new(Target::Stream(Stream::Stderr))))));
        start(&mut sh, &inv.argv, &inv.env)
    };
    let mut out = match Rc::try_unwrap(out) {
        Ok(o) => o.into_inner(),
        Err(rc) => std::mem::take(&mut *rc.borrow_mut()),
    };
    let (status, limit) = match result {
        Ok(s) => (s & 0xff, None),
        Err(hit) => {
            out.force(Stream::Stderr, format!("{}\n", hit.message).as_bytes());
            (LIMIT_STATUS, Some(hit))
        }
    };
    Outcome { status, output: out.chunks, limit }
}

/// `execve(argv[0], argv, env)` from outside any shell.
fn start(sh: &mut Shell<'_>, argv: &[String], env: &[(String, String)]) -> Result<i32, LimitHit> {
    let Some(name) = argv.first() else {
        let _ = sh.out2(b"exec: no command given\n");
        return Ok(127);
    };
    for (k, v) in env {
        let _ = sh.st.vars.export(k, Some(v.clone()));
    }
    let path_var = env.iter().rev().find(|(k, _)| k == "PATH").map(|(_, v)| v.clone()).unwrap_or_else(|| DEFAULT_PATH.to_string());
    let resolved = if name.contains('/') {
        Some(name.clone())
    } else {
        let saved = sh.st.vars.var("PATH").cloned();
        let _ = sh.st.vars.set("PATH", path_var);
        let r = sh.search_path(name);
        sh.st.vars.restore("PATH", saved);
        r
    };
    let r = match resolved {
        None => {
            let msg = format!("exec: \"{name}\": executable file not found in $PATH\n");
            sh.out2(msg.as_bytes()).map(|_| 127)
        }
        Some(p) => match sh.exec_file(&p, argv, env.to_vec()) {
            Ok(Ok(s)) => Ok(s),
            Ok(Err(e)) => {
                let msg = match e {
                    SpawnError::PermissionDenied => format!("exec: \"{p}\": permission denied\n"),
                    _ => format!("exec: \"{p}\": stat {p}: no such file or directory\n"),
                };
                sh.out2(msg.as_bytes()).map(|_| e.status())
            }
            Err(f) => Err(f),
        },
    };
    match r {
        Ok(s) => Ok(s),
        Err(Flow::Abort(hit)) => Err(hit),
        Err(Flow::Exit(s)) | Err(Flow::Killed(s)) | Err(Flow::Return(s)) => Ok(s),
        Err(Flow::Break(_)) | Err(Flow::Continue(_)) => Ok(0),
    }
}

/// What a `#!` line says: interpreter and optional single argument.
fn shebang(data: &[u8]) -> Option<(String, Option<String>)> {
    let rest = data.strip_prefix(b"#!")?;
    let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len()).min(255);
    let line = String::from_utf8_lossy(&rest[..end]).into_owned();
    let line = line.trim_matches([' ', '\t', '\r']);
    let (interp, arg) = match line.find([' ', '\t']) {
        Some(i) => (&line[..i], Some(line[i..].trim_matches([' ', '\t', '\r']).to_string()).filter(|a| !a.is_empty())),
        None => (line, None),
    };
    if interp.is_empty() {
        return None;
    }
    Some((interp.to_string(), arg))
}

/// The shell's own program for a stand-in name.
fn shell_name(name: &str) -> Option<bool> {
    match name {
        "sh" | "dash" | "ash" => Some(false),
        "bash" => Some(true),
        _ => None,
    }
}

impl<'a> Shell<'a> {
    /// Executes the file at `path` with `argv`. `Ok(Err(_))` when it could not
    /// be started (the caller words the error).
    pub(crate) fn exec_file(&mut self, path: &str, argv: &[String], env: Vec<(String, String)>) -> Ex<Result<i32, SpawnError>> {
        self.exec_file_hops(path, argv, env, 0)
    }

    fn exec_file_hops(&mut self, file: &str, argv: &[String], env: Vec<(String, String)>, hops: u32) -> Ex<Result<i32, SpawnError>> {
        self.step(1)?;
        let abs = path::join(&self.st.cwd, file);
        let st = match self.fs.stat(&abs) {
            Ok(s) => s,
            Err(_) => return Ok(Err(SpawnError::NotFound)),
        };
        if !st.is_file() || !self.may(&abs, 1) {
            return Ok(Err(SpawnError::PermissionDenied));
        }
        let data = match self.fs.read(&abs) {
            Ok(d) => d,
            Err(_) => return Ok(Err(SpawnError::NotFound)),
        };
        if let Some(name) = proc::standin_name(&data) {
            let name = name.to_string();
            return self.run_standin(&name, argv, env).map(Ok);
        }
        if let Some((interp, arg)) = shebang(&data) {
            if hops >= MAX_SHEBANG_HOPS {
                self.warn(None, &format!("{}: Exec format error", argv.first().map(String::as_str).unwrap_or(file)))?;
                return Ok(Ok(126));
            }
            let mut nargv = vec![interp.clone()];
            if let Some(a) = arg {
                nargv.push(a);
            }
            nargv.push(file.to_string());
            nargv.extend(argv.iter().skip(1).cloned());
            return self.exec_file_hops(&interp, &nargv, env, hops + 1);
        }
        if data.starts_with(b"\x7fELF") || data.iter().take(512).any(|&b| b == 0) {
            // A real binary of a loaded image (busybox, dash, coreutils, …): when the
            // playground has a builtin of that name, the builtin stands in for it.
            if let Some(name) = self.builtin_for_binary(&abs, argv) {
                return self.run_standin(&name, argv, env).map(Ok);
            }
            let shown = argv.first().map(String::as_str).unwrap_or(file).to_string();
            self.warn(
                None,
                &format!("{shown}: cannot run native program {abs} here: the playground's builtin shell runs shell scripts and its own programs only (a real run needs the host executor)"),
            )?;
            return Ok(Ok(126));
        }
        // ENOEXEC: dash runs the file as a shell script
        let src = String::from_utf8_lossy(&data).into_owned();
        let arg0 = argv.first().cloned().unwrap_or_else(|| file.to_string());
        let args = argv.iter().skip(1).cloned().collect();
        let ash = self.st.ash;
        self.run_shell_script(&src, arg0, args, env, (false, ash), Vec::new()).map(Ok)
    }

    /// The builtin that stands in for a real binary: the name of the file itself
    /// (after symlinks: `/bin/sh` → `busybox`), else the name it was run by.
    fn builtin_for_binary(&self, abs: &str, argv: &[String]) -> Option<String> {
        let real = self.fs.canonicalize(abs).unwrap_or_else(|_| abs.to_string());
        let known = |n: &str| {
            !n.is_empty()
                && (shell_name(n).is_some() || n == "busybox" || n == "coreutils" || super::programs::lookup(n).is_some() || builtins::as_program(n).is_some())
        };
        let file = path::basename(&real);
        if known(file) {
            return Some(file.to_string());
        }
        let called = path::basename(argv.first().map(String::as_str).unwrap_or(""));
        known(called).then(|| called.to_string())
    }

    /// A stand-in executable: the builtin shell, a multi-call binary or a program.
    fn run_standin(&mut self, name: &str, argv: &[String], env: Vec<(String, String)>) -> Ex {
        if let Some(bash) = shell_name(name) {
            return self.run_shell_process(argv, env, bash, name == "ash");
        }
        if name == "busybox" || name == "coreutils" {
            let base = path::basename(argv.first().map(String::as_str).unwrap_or(name)).to_string();
            if base == name || base.is_empty() {
                let Some(applet) = argv.get(1) else {
                    let msg = format!("{name}: a multi-call binary (simulated stand-in): give the applet to run, e.g. `{name} ls`\n");
                    self.out2(msg.as_bytes())?;
                    return Ok(1);
                };
                let applet = path::basename(applet).to_string();
                return self.run_applet(&applet, &argv[1..], env, name);
            }
            return self.run_applet(&base, argv, env, name);
        }
        self.run_applet(name, argv, env, "")
    }

    fn run_applet(&mut self, name: &str, argv: &[String], env: Vec<(String, String)>, multicall: &str) -> Ex {
        if let Some(bash) = shell_name(name) {
            // BusyBox's sh is ash, which (unlike dash) has `set -o pipefail`
            return self.run_shell_process(argv, env, bash, name == "ash" || multicall == "busybox");
        }
        if let Some(p) = super::programs::lookup(name) {
            return self.run_program(p, argv, env);
        }
        if let Some(b) = builtins::as_program(name) {
            return self.run_builtin_process(b, argv, env);
        }
        if let Some(p) = self.natives.lookup(name) {
            return self.run_program(p, argv, env);
        }
        let shown = argv.first().cloned().unwrap_or_else(|| name.to_string());
        let msg = if multicall.is_empty() {
            format!("{shown}: {name} is not a program the playground provides (a stand-in with no builtin behind it; a real run needs the host executor)")
        } else {
            format!("{shown}: applet not found ({name} is not one of the playground's {multicall} applets)")
        };
        self.warn(None, &msg)?;
        Ok(127)
    }

    /// A shell builtin run as its own process (`/bin/echo`, `env printf …`).
    fn run_builtin_process(&mut self, b: builtins::Builtin, argv: &[String], env: Vec<(String, String)>) -> Ex {
        self.subshell(|sh| {
            sh.st.vars = super::vars::Vars::new();
            for (k, v) in &env {
                let _ = sh.st.vars.export(k, Some(v.clone()));
            }
            sh.run_builtin(b, argv, false)
        })
    }

    /// Runs a program with a [`Ctx`] on this shell's filesystem and fds.
    pub(crate) fn run_program(&mut self, prog: Program, argv: &[String], env: Vec<(String, String)>) -> Ex {
        self.step(1)?;
        self.fs.now = self.clock.now;
        let input_rc = self.st.fds.get(0).and_then(|f| f.reader()).cloned();
        let mut input = match &input_rc {
            Some(rc) => rc.borrow().clone(),
            None => Input::empty(),
        };
        let out_t = self.st.fds.get(1).and_then(|f| f.writer()).cloned();
        let err_t = self.st.fds.get(2).and_then(|f| f.writer()).cloned();
        let usage = self.fs.usage();
        let lim = self.fs.limits();
        let mut runner = ChildRunner {
            natives: self.natives,
            limits: self.limits,
            depth: self.depth + 1,
            uid: self.uid,
            gid: self.gid,
            umask: self.st.umask,
            next_pid: self.next_pid.clone(),
            abort: self.abort.clone(),
        };
        let router = RefCell::new(Router {
            out: &self.out,
            ext: &mut self.ext,
            pending: Vec::new(),
            fs_room: lim.max_bytes.saturating_sub(usage.bytes),
            pending_bytes: 0,
            hit: None,
        });
        let status = {
            let mut so = ProgramSink { router: &router, target: out_t };
            let mut se = ProgramSink { router: &router, target: err_t };
            let mut ctx = Ctx {
                fs: &mut *self.fs,
                cwd: self.st.cwd.clone(),
                env,
                uid: self.uid,
                gid: self.gid,
                stdin: &mut input,
                stdout: &mut so,
                stderr: &mut se,
                runner: &mut runner,
                clock: &mut *self.clock,
                budget: &mut *self.budget,
            };
            prog(&mut ctx, argv)
        };
        let Router { pending, hit, .. } = router.into_inner();
        if let Some(rc) = input_rc {
            *rc.borrow_mut() = input;
        }
        let umask = self.st.umask;
        let mut fs_full = false;
        for (t, data) in pending {
            let mut tt = t.borrow_mut();
            if let Err(super::io::WriteFail::Limit(_)) = write_target(&mut tt, &data, self.fs, &self.out, &mut self.ext, umask) {
                fs_full = true;
            }
        }
        if let Some(h) = self.abort.borrow_mut().take() {
            return Err(Flow::Abort(h));
        }
        if let Some(k) = hit {
            return Err(self.limit(super::interp::io_limit(k)));
        }
        if fs_full {
            return Err(self.limit(LimitKind::FileSystem));
        }
        if self.budget.exhausted {
            return Err(self.limit(LimitKind::Steps));
        }
        Ok(status)
    }

    /// `sh [options] [-c cmd [name [args]] | script [args] | -s [args]]` as a
    /// new process sharing the filesystem and fds.
    /// A shell process: `bash` is bash, `ash` BusyBox's ash (dash's language plus
    /// `set -o pipefail`), neither dash.
    pub(crate) fn run_shell_process(&mut self, argv: &[String], env: Vec<(String, String)>, bash: bool, ash: bool) -> Ex {
        let name = argv.first().cloned().unwrap_or_else(|| "sh".into());
        let mut flags: Vec<(char, bool)> = Vec::new();
        let mut long: Vec<(String, bool)> = Vec::new();
        let mut minus_c = false;
        let mut minus_s = false;
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            let on = a.starts_with('-');
            if !(on || a.starts_with('+')) || a.len() < 2 {
                if a == "-" {
                    i += 1;
                }
                break;
            }
            if a == "--" {
                i += 1;
                break;
            }
            i += 1;
            for c in a[1..].chars() {
                match c {
                    'c' => minus_c = true,
                    's' => minus_s = true,
                    'l' | 'i' => {}
                    'o' => {
                        if let Some(n) = argv.get(i) {
                            long.push((n.clone(), on));
                            i += 1;
                        }
                    }
                    _ => flags.push((c, on)),
                }
            }
        }
        let rest = &argv[i..];
        let (src, arg0, args): (String, String, Vec<String>) = if minus_c {
            let Some(cmd) = rest.first() else {
                self.out2(format!("{name}: 0: -c requires an argument\n").as_bytes())?;
                return Ok(2);
            };
            let arg0 = rest.get(1).cloned().unwrap_or_else(|| name.clone());
            (cmd.clone(), arg0, rest.iter().skip(2).cloned().collect())
        } else if minus_s || rest.is_empty() {
            let data = match self.st.fds.get(0).and_then(|f| f.reader()) {
                Some(rc) => rc.borrow_mut().read_all().to_vec(),
                None => Vec::new(),
            };
            (String::from_utf8_lossy(&data).into_owned(), name.clone(), rest.to_vec())
        } else {
            let script = rest[0].clone();
            let abs = path::join(&self.st.cwd, &script);
            match self.fs.read(&abs) {
                Ok(d) => (String::from_utf8_lossy(&d).into_owned(), script.clone(), rest[1..].to_vec()),
                Err(_) => {
                    self.out2(format!("{name}: 0: cannot open {script}: No such file\n").as_bytes())?;
                    return Ok(2);
                }
            }
        };
        let mut opts = Vec::new();
        for (c, on) in flags {
            opts.push((c.to_string(), on, true));
        }
        for (n, on) in long {
            opts.push((n, on, false));
        }
        self.run_shell_script(&src, arg0, args, env, (bash, ash), opts)
    }

    /// Runs `src` as the main program of a new shell process.
    pub(crate) fn run_shell_script(
        &mut self,
        src: &str,
        arg0: String,
        args: Vec<String>,
        env: Vec<(String, String)>,
        (bash, ash): (bool, bool),
        opts: Vec<(String, bool, bool)>,
    ) -> Ex {
        self.enter()?;
        let saved = self.st.clone();
        let saved_cmd = self.cmdname.take();
        let pid = self.alloc_pid();
        self.st.reset_for_process(pid, arg0, args, bash);
        self.st.ash = ash;
        for (k, v) in &env {
            let _ = self.st.vars.export(k, Some(v.clone()));
        }
        let ppid = saved.pid;
        let uid = self.uid;
        self.st.init_defaults(uid, ppid);
        let mut bad = None;
        for (o, on, letter) in opts {
            let idx = if letter { o.chars().next().and_then(super::interp::Opts::letter_index) } else { super::interp::Opts::index(&o) };
            match idx {
                Some(k) => self.st.opts.set(k, on),
                None if !letter && o == "pipefail" && (bash || ash) => self.st.opts.pipefail = on,
                None => {
                    bad = Some(if letter { format!("Illegal option -{o}") } else { format!("Illegal option -o {o}") });
                }
            }
        }
        self.st.vars.allexport = self.st.opts.allexport();
        let r = match bad {
            Some(msg) => {
                let name = self.st.arg0.clone();
                self.out2(format!("{name}: 0: {msg}\n").as_bytes()).map(|_| 2)
            }
            None => self.run_main(src),
        };
        self.st = saved;
        self.cmdname = saved_cmd;
        self.leave();
        match r {
            Ok(s) => Ok(s),
            Err(Flow::Exit(s)) | Err(Flow::Killed(s)) | Err(Flow::Return(s)) => Ok(s),
            Err(Flow::Break(_)) | Err(Flow::Continue(_)) => Ok(0),
            Err(a @ Flow::Abort(_)) => Err(a),
        }
    }

    /// The body of a `.` file: its own line numbers, errors prefixed with its name.
    pub(crate) fn run_file_body(&mut self, src: &str, name: &str) -> Ex {
        let mut parser = super::parse::Parser::new(src);
        let mut status = 0;
        self.cmdname = Some(name.to_string());
        loop {
            let next = parser.next_command();
            self.parser_line = parser.line;
            match next {
                Ok(Some(cmd)) => {
                    if matches!(cmd, super::ast::Cmd::Empty) {
                        continue;
                    }
                    status = self.eval(&cmd, false)?;
                    self.cmdname = Some(name.to_string());
                }
                Ok(None) => break,
                Err(e) => {
                    self.st.line = e.line;
                    return Err(self.fatal(&format!("Syntax error: {}", e.msg)));
                }
            }
        }
        Ok(status)
    }

    /// `exec cmd args`: runs a program (never a builtin or function) in place
    /// of the shell and gives its status.
    pub(crate) fn exec_replace(&mut self, argv: &[String]) -> Ex {
        let name = &argv[0];
        let found = if name.contains('/') { Some(name.clone()) } else { self.search_path(name) };
        let env = self.st.vars.environment();
        let r = match found {
            Some(p) => self.exec_file(&p, argv, env)?,
            None => Err(SpawnError::NotFound),
        };
        match r {
            Ok(s) => Ok(s),
            Err(e) => {
                let msg = match e {
                    SpawnError::PermissionDenied => "Permission denied",
                    _ => "not found",
                };
                let saved = self.cmdname.replace("exec".into());
                let w = self.warn(None, &format!("{name}: {msg}"));
                self.cmdname = saved;
                w?;
                Err(Flow::Exit(e.status()))
            }
        }
    }
}

/// The [`Runner`] a program gets: starts commands in a fresh shell process on
/// the program's filesystem, writing to the program's streams.
struct ChildRunner<'n> {
    natives: &'n dyn Natives,
    limits: ShellLimits,
    depth: u32,
    uid: u32,
    gid: u32,
    umask: u32,
    next_pid: Rc<Cell<u32>>,
    abort: Rc<RefCell<Option<LimitHit>>>,
}

impl Runner for ChildRunner<'_> {
    fn run(&mut self, req: Spawn<'_>) -> Result<i32, SpawnError> {
        if req.argv.is_empty() {
            return Err(SpawnError::NotFound);
        }
        if self.depth > self.limits.depth {
            let hit = limit_hit(LimitKind::Depth, &self.limits, req.fs);
            *self.abort.borrow_mut() = Some(hit);
            req.budget.exhausted = true;
            return Ok(LIMIT_STATUS);
        }
        let out = Rc::new(RefCell::new(Output::new(self.limits.output_bytes)));
        let stdin_rc = Rc::new(RefCell::new(req.stdin.clone()));
        let name = req.argv[0].clone();
        let result = {
            let mut sh = Shell::new(
                req.fs,
                self.natives,
                req.clock,
                req.budget,
                self.limits,
                out,
                [Some(req.stdout), Some(req.stderr)],
                self.uid,
                self.gid,
                self.next_pid.clone(),
                self.depth,
            );
            sh.abort = self.abort.clone();
            sh.st.cwd = req.cwd.to_string();
            sh.st.umask = self.umask;
            sh.st.fds.set(0, Some(Fd::Read(stdin_rc.clone())));
            sh.st.fds.set(1, Some(Fd::Write(Rc::new(RefCell::new(Target::Extern(Stream::Stdout))))));
            sh.st.fds.set(2, Some(Fd::Write(Rc::new(RefCell::new(Target::Extern(Stream::Stderr))))));
            for (k, v) in req.env {
                let _ = sh.st.vars.export(k, Some(v.clone()));
            }
            let found = if name.contains('/') { Some(name.clone()) } else { sh.search_path(&name) };
            match found {
                None => Ok(Err(SpawnError::NotFound)),
                Some(p) => sh.exec_file(&p, req.argv, req.env.to_vec()),
            }
        };
        *req.stdin = stdin_rc.borrow().clone();
        match result {
            Ok(r) => r,
            Err(Flow::Abort(hit)) => {
                *self.abort.borrow_mut() = Some(hit);
                Ok(LIMIT_STATUS)
            }
            Err(Flow::Exit(s)) | Err(Flow::Killed(s)) | Err(Flow::Return(s)) => Ok(s),
            Err(_) => Ok(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::shebang;

    #[test]
    fn shebang_lines() {
        assert_eq!(shebang(b"#!/bin/sh\necho"), Some(("/bin/sh".into(), None)));
        assert_eq!(shebang(b"#!/bin/sh -e\n"), Some(("/bin/sh".into(), Some("-e".into()))));
        assert_eq!(shebang(b"#! /usr/bin/env  python3 -u\n"), Some(("/usr/bin/env".into(), Some("python3 -u".into()))));
        assert_eq!(shebang(b"#!\n"), None);
    }
}
