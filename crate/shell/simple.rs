//! Simple commands as dash's `evalcommand` runs them: words expanded
//! (assignment-looking arguments of `export`/`readonly`/`local` without field
//! splitting), redirections, then assignments (permanent before a special
//! builtin or no command, temporary otherwise), `set -x` tracing, command
//! lookup (special builtins, functions, builtins, PATH with a hash table) and
//! dispatch. Also the redirections themselves.

use super::ast::*;
use super::builtins::{self, Builtin};
use super::interp::{Ex, Flow, FuncDef, Shell};
use super::io::{device, Device, Fd, Target};
use super::proc::{pseudo_random, Input, DEVICE_READ_BYTES};
use super::vars::Var;
use crate::vfs::{path, FsErrorKind};
use std::cell::RefCell;
use std::rc::Rc;

/// What a command name leads to.
pub(crate) enum Found {
    Builtin(Builtin, bool),
    Function(Rc<FuncDef>),
    Path(String),
    NotFound,
    /// PATH has the name, but no executable one (dash: `Permission denied`, 127).
    Denied,
}

pub(crate) type Saved = Vec<(u32, Option<Fd>)>;

fn rc_in(i: Input) -> Fd {
    Fd::Read(Rc::new(RefCell::new(i)))
}

impl Shell<'_> {
    pub(crate) fn eval_simple(&mut self, s: &Simple, tested: bool) -> Ex {
        self.st.line = s.line;
        self.back_status = 0;
        let argv = self.expand_args(&s.words)?;
        let found = argv.first().map(|name| self.lookup_command(name, false, false));
        let special = matches!(found, Some(Found::Builtin(_, true)));
        let err_fd = if self.st.opts.xtrace() { self.st.fds.get(2).cloned() } else { None };
        let keep = special && argv.len() == 1 && argv[0] == "exec";
        let saved = match self.apply_redirs(&s.redirs)? {
            Ok(v) => v,
            Err(()) => {
                if special {
                    return Err(Flow::Exit(2));
                }
                return Ok(2);
            }
        };
        let r = self.simple_body(s, &argv, found, special, err_fd, tested);
        if !keep {
            self.restore_fds(saved);
        }
        r
    }

    /// Expands a command's words; after `export`, `readonly` or `local`,
    /// arguments written as `name=value` are expanded like assignments.
    fn expand_args(&mut self, words: &[Word]) -> Ex<Vec<String>> {
        let mut out: Vec<String> = Vec::with_capacity(words.len());
        let mut assign_mode = false;
        for (i, w) in words.iter().enumerate() {
            if i > 0 && assign_mode && is_assignment_word(w) {
                let (name, value) = split_assignment(w);
                let v = self.expand_string(&value, true)?;
                out.push(format!("{name}={v}"));
                continue;
            }
            self.expand_word_into(w, &mut out)?;
            if i == 0 && out.len() == 1 {
                assign_mode = matches!(out[0].as_str(), "export" | "readonly" | "local");
            }
        }
        Ok(out)
    }

    fn simple_body(&mut self, s: &Simple, argv: &[String], found: Option<Found>, special: bool, err_fd: Option<Fd>, tested: bool) -> Ex {
        let Some(found) = found else {
            let mut traced = Vec::new();
            for a in &s.assigns {
                let v = self.expand_string(&a.value, true)?;
                self.set_var(&a.name, v.clone())?;
                traced.push(format!("{}={}", a.name, v));
            }
            if err_fd.is_some() {
                self.xtrace(err_fd, &traced)?;
            }
            return Ok(self.back_status);
        };
        let mut saved_vars: Vec<(String, Option<Var>)> = Vec::new();
        let mut traced = Vec::new();
        for a in &s.assigns {
            let v = match self.expand_string(&a.value, true) {
                Ok(v) => v,
                Err(e) => {
                    self.restore_vars(saved_vars);
                    return Err(e);
                }
            };
            if err_fd.is_some() {
                traced.push(format!("{}={}", a.name, v));
            }
            if special {
                self.set_var(&a.name, v)?;
            } else {
                if !saved_vars.iter().any(|(n, _)| *n == a.name) {
                    saved_vars.push((a.name.clone(), self.st.vars.var(&a.name).cloned()));
                }
                if let Err(msg) = self.st.vars.export(&a.name, Some(v)) {
                    self.restore_vars(saved_vars);
                    return Err(self.fatal(&msg));
                }
            }
        }
        if err_fd.is_some() {
            traced.extend(argv.iter().cloned());
            if let Err(e) = self.xtrace(err_fd, &traced) {
                self.restore_vars(saved_vars);
                return Err(e);
            }
        }
        let r = self.dispatch(found, argv, tested);
        self.restore_vars(saved_vars);
        r
    }

    fn restore_vars(&mut self, saved: Vec<(String, Option<Var>)>) {
        for (name, v) in saved.into_iter().rev() {
            self.st.vars.restore(&name, v);
        }
    }

    /// `set -x`: `+ a=1 cmd args` on the stderr the command had before its
    /// own redirections.
    fn xtrace(&mut self, err_fd: Option<Fd>, items: &[String]) -> Ex<()> {
        let ps4 = self.get_var("PS4").unwrap_or("").to_string();
        let ps4 = if ps4.contains('$') || ps4.contains('`') {
            let w = super::parse::Parser::new("").heredoc_word(&ps4);
            match w {
                Some(w) => self.expand_heredoc(&w)?,
                None => ps4,
            }
        } else {
            ps4
        };
        let mut line = ps4;
        line.push_str(&items.join(" "));
        line.push('\n');
        let cur = self.st.fds.get(2).cloned();
        self.st.fds.set(2, err_fd);
        let r = self.out2(line.as_bytes());
        self.st.fds.set(2, cur);
        r
    }

    pub(crate) fn dispatch(&mut self, found: Found, argv: &[String], tested: bool) -> Ex {
        match found {
            Found::Builtin(b, _) => self.run_builtin(b, argv, tested),
            Found::Function(f) => self.call_function(f, argv, tested),
            Found::Path(p) => self.run_path(&p, argv),
            Found::NotFound => {
                self.warn(None, &format!("{}: not found", argv[0]))?;
                Ok(127)
            }
            Found::Denied => {
                self.warn(None, &format!("{}: Permission denied", argv[0]))?;
                Ok(127)
            }
        }
    }

    pub(crate) fn run_builtin(&mut self, b: Builtin, argv: &[String], tested: bool) -> Ex {
        let saved_cmd = self.cmdname.replace(argv[0].clone());
        let saved_tested = std::mem::replace(&mut self.cur_tested, tested);
        let saved_io = std::mem::replace(&mut self.io_error, false);
        let r = b(self, argv);
        let r = match r {
            Ok(mut s) => {
                if self.io_error {
                    let name = argv[0].clone();
                    match self.warn(None, &format!("{name}: I/O error")) {
                        Ok(()) => s |= 1,
                        Err(e) => {
                            self.cmdname = saved_cmd;
                            return Err(e);
                        }
                    }
                }
                Ok(s)
            }
            Err(e) => Err(e),
        };
        self.io_error = saved_io;
        self.cur_tested = saved_tested;
        self.cmdname = saved_cmd;
        r
    }

    /// Runs a program file found at `path` (a PATH hit or a name with a `/`).
    fn run_path(&mut self, path: &str, argv: &[String]) -> Ex {
        let env = self.st.vars.environment();
        match self.exec_file(path, argv, env)? {
            Ok(status) => Ok(status),
            Err(e) => {
                let msg = match e {
                    super::proc::SpawnError::PermissionDenied => "Permission denied",
                    _ => "not found",
                };
                self.warn(None, &format!("{}: {}", argv[0], msg))?;
                Ok(e.status())
            }
        }
    }

    /// `command name args`: like a simple command, but functions are skipped.
    pub(crate) fn run_command_skipping_functions(&mut self, argv: &[String], default_path: bool) -> Ex {
        let found = self.lookup_command(&argv[0], true, default_path);
        let tested = self.cur_tested;
        let saved_cmd = self.cmdname.take();
        let r = self.dispatch(found, argv, tested);
        self.cmdname = saved_cmd;
        r
    }

    // ----- lookup ------------------------------------------------------------------------

    pub(crate) fn lookup_command(&mut self, name: &str, skip_funcs: bool, default_path: bool) -> Found {
        if name.contains('/') {
            return Found::Path(name.to_string());
        }
        let bash = self.st.bash;
        if bash && !skip_funcs {
            // bash (outside POSIX mode) lets functions shadow special builtins
            if let Some(f) = self.st.funcs.get(name) {
                return Found::Function(f.clone());
            }
        }
        if let Some((b, true)) = builtins::find(name, bash) {
            return Found::Builtin(b, true);
        }
        if !skip_funcs {
            if let Some(f) = self.st.funcs.get(name) {
                return Found::Function(f.clone());
            }
        }
        if let Some((b, false)) = builtins::find(name, bash) {
            return Found::Builtin(b, false);
        }
        if !default_path {
            if let Some(p) = self.cached_path(name) {
                return Found::Path(p);
            }
        }
        let pathvar = if default_path { super::DEFAULT_PATH.to_string() } else { self.get_var("PATH").unwrap_or("").to_string() };
        match self.search_in(name, &pathvar) {
            Ok(p) => {
                if !default_path {
                    self.st.hash.insert(name.to_string(), p.clone());
                }
                Found::Path(p)
            }
            Err(true) => Found::Denied,
            Err(false) => Found::NotFound,
        }
    }

    fn cached_path(&mut self, name: &str) -> Option<String> {
        let path_now = self.get_var("PATH").unwrap_or("").to_string();
        if self.st.hash_path != path_now {
            self.st.hash.clear();
            self.st.hash_path = path_now;
            return None;
        }
        let p = self.st.hash.get(name)?.clone();
        // a hashed file that went away is looked up again
        if self.fs.stat(&path::join(&self.st.cwd, &p)).is_ok_and(|s| s.is_file()) {
            Some(p)
        } else {
            self.st.hash.remove(name);
            None
        }
    }

    pub(crate) fn hashed(&mut self, name: &str) -> bool {
        self.cached_path(name).is_some()
    }

    /// Finds `name` on PATH: the first executable regular file.
    pub(crate) fn search_path(&self, name: &str) -> Option<String> {
        let p = self.get_var("PATH").unwrap_or("").to_string();
        self.search_in(name, &p).ok()
    }

    /// The first executable regular file on `pathvar`; `Err(true)` when only
    /// non-executable ones were found.
    fn search_in(&self, name: &str, pathvar: &str) -> Result<String, bool> {
        let mut denied = false;
        for dir in pathvar.split(':') {
            let cand = if dir.is_empty() { name.to_string() } else { format!("{}/{}", dir.trim_end_matches('/'), name) };
            let abs = path::join(&self.st.cwd, &cand);
            if let Ok(st) = self.fs.stat(&abs) {
                if st.is_file() {
                    if self.may(&abs, 1) {
                        return Ok(cand);
                    }
                    denied = true;
                }
            }
        }
        Err(denied)
    }

    /// `.`'s search: PATH only, readable regular files.
    pub(crate) fn find_dot_file(&self, name: &str) -> Option<String> {
        let p = self.get_var("PATH").unwrap_or("").to_string();
        for dir in p.split(':') {
            let cand = if dir.is_empty() { name.to_string() } else { format!("{}/{}", dir.trim_end_matches('/'), name) };
            let abs = path::join(&self.st.cwd, &cand);
            if self.fs.stat(&abs).is_ok_and(|s| s.is_file()) {
                return Some(cand);
            }
        }
        None
    }

    /// Whether the current user may read (4), write (2) or execute/search (1) `abs`.
    pub(crate) fn may(&self, abs: &str, want: u32) -> bool {
        let Ok(st) = self.fs.stat(abs) else {
            return false;
        };
        let mode = st.meta.mode;
        if self.uid == 0 {
            if want == 1 {
                return st.is_dir() || mode & 0o111 != 0;
            }
            return true;
        }
        let bits = if st.meta.uid == self.uid {
            (mode >> 6) & 7
        } else if st.meta.gid == self.gid {
            (mode >> 3) & 7
        } else {
            mode & 7
        };
        bits & want == want
    }

    /// Whether `name` (with a `/`) is an executable file.
    pub(crate) fn executable_at(&self, name: &str) -> bool {
        let abs = path::join(&self.st.cwd, name);
        self.fs.stat(&abs).is_ok_and(|s| s.is_file()) && self.may(&abs, 1)
    }

    // ----- getopts state --------------------------------------------------------------------

    pub(crate) fn reset_getopts(&mut self) {
        self.st.optind = 1;
        self.st.optoff = 0;
    }

    /// An assignment to OPTIND since getopts last set it restarts parsing.
    pub(crate) fn sync_optind(&mut self) {
        let cur = self.get_var("OPTIND").unwrap_or("").to_string();
        if cur != self.st.optind_seen {
            self.st.optind = cur.trim().parse().unwrap_or(1).max(1);
            self.st.optoff = 0;
            self.st.optind_seen = cur;
        }
    }

    // ----- redirections ----------------------------------------------------------------------

    /// Applies redirections in order. `Ok(Err(()))` when one failed (the
    /// message is printed and the fds are as before).
    pub(crate) fn apply_redirs(&mut self, redirs: &[Redir]) -> Ex<Result<Saved, ()>> {
        let mut saved: Saved = Vec::new();
        for r in redirs {
            let new_fd = match self.open_redir(r) {
                Ok(Ok(fd)) => fd,
                Ok(Err(msg)) => {
                    self.restore_fds(saved);
                    self.warn(None, &msg)?;
                    return Ok(Err(()));
                }
                Err(e) => {
                    self.restore_fds(saved);
                    return Err(e);
                }
            };
            if !saved.iter().any(|(f, _)| *f == r.fd) {
                saved.push((r.fd, self.st.fds.get(r.fd).cloned()));
            }
            self.st.fds.set(r.fd, new_fd);
        }
        Ok(Ok(saved))
    }

    fn dup_of(&self, fd: u32) -> Result<Option<Fd>, String> {
        match self.st.fds.get(fd) {
            Some(f) => Ok(Some(f.clone())),
            None => Err(format!("{fd}: Bad file descriptor")),
        }
    }

    /// The fd a redirection opens (None closes), or the error message.
    fn open_redir(&mut self, r: &Redir) -> Ex<Result<Option<Fd>, String>> {
        match r.op {
            RedirOp::HereDoc => {
                let Some(h) = &r.heredoc else {
                    return Ok(Ok(Some(rc_in(Input::empty()))));
                };
                let body = if h.quoted {
                    let w = h.body.borrow();
                    w.parts
                        .iter()
                        .map(|p| match p {
                            Part::Quoted(s) | Part::Lit(s) => s.as_str(),
                            _ => "",
                        })
                        .collect::<String>()
                } else {
                    let w = h.body.borrow().clone();
                    self.expand_heredoc(&w)?
                };
                Ok(Ok(Some(rc_in(Input::new(body.into_bytes())))))
            }
            RedirOp::DupIn | RedirOp::DupOut => {
                let t = self.expand_string(&r.target, false)?;
                if t == "-" {
                    return Ok(Ok(None));
                }
                match t.parse::<u32>() {
                    Ok(n) if t.len() == 1 => Ok(self.dup_of(n)),
                    _ => {
                        self.st.line = self.parser_line;
                        Err(self.fatal("Syntax error: Bad fd number"))
                    }
                }
            }
            op => {
                let name = self.expand_string(&r.target, false)?;
                self.open_file(op, &name)
            }
        }
    }

    fn open_file(&mut self, op: RedirOp, name: &str) -> Ex<Result<Option<Fd>, String>> {
        let abs = path::join(&self.st.cwd, name);
        let norm = path::normalize(&abs);
        if let Some(dev) = device(&norm) {
            let reading = op == RedirOp::In;
            return Ok(match dev {
                Device::Null if reading => Ok(Some(rc_in(Input::empty()))),
                Device::Zero if reading => Ok(Some(rc_in(Input::new(vec![0u8; DEVICE_READ_BYTES])))),
                Device::Random if reading => Ok(Some(rc_in(Input::new(pseudo_random(DEVICE_READ_BYTES, 0x5eed))))),
                Device::Null | Device::Zero | Device::Random => Ok(Some(Fd::Write(Rc::new(RefCell::new(Target::Null))))),
                Device::Stdin => self.dup_of(0),
                Device::Stdout => self.dup_of(1),
                Device::Stderr => self.dup_of(2),
                Device::Fd(n) => self.dup_of(n),
            });
        }
        self.fs.now = self.clock.now;
        let mode = 0o666 & !self.st.umask;
        match op {
            RedirOp::In => {
                if self.uid != 0 && self.fs.exists(&abs) && !self.may(&abs, 4) {
                    return Ok(Err(format!("cannot open {name}: Permission denied")));
                }
                match self.fs.read(&abs) {
                    Ok(data) => Ok(Ok(Some(Fd::Read(Rc::new(RefCell::new(Input::from_shared(data))))))),
                    Err(e) => match e.kind {
                        FsErrorKind::IsADirectory => Ok(Ok(Some(rc_in(Input::empty())))),
                        FsErrorKind::NotFound | FsErrorKind::NotADirectory => Ok(Err(format!("cannot open {name}: No such file"))),
                        _ => Ok(Err(format!("cannot open {name}: {}", e.message()))),
                    },
                }
            }
            RedirOp::Out | RedirOp::Clobber | RedirOp::Append | RedirOp::ReadWrite => {
                let exists = self.fs.stat(&abs).ok();
                if op == RedirOp::Out && self.st.opts.noclobber() && exists.as_ref().is_some_and(|s| s.is_file()) {
                    return Ok(Err(format!("cannot create {name}: File exists")));
                }
                if self.uid != 0 {
                    let ok = match &exists {
                        Some(_) => self.may(&abs, 2),
                        None => {
                            let parent = path::parent(&path::normalize(&abs)).to_string();
                            self.may(&parent, 3)
                        }
                    };
                    if !ok {
                        return Ok(Err(format!("cannot create {name}: Permission denied")));
                    }
                }
                let r = match op {
                    RedirOp::Append => self.fs.append(&abs, &[], mode),
                    RedirOp::ReadWrite if exists.is_some() => Ok(()),
                    RedirOp::ReadWrite => self.fs.write(&abs, Vec::new(), mode),
                    _ => self.fs.write(&abs, Vec::new(), mode),
                };
                if let Err(e) = r {
                    return match e.kind {
                        FsErrorKind::NoSpace => Err(self.limit(super::LimitKind::FileSystem)),
                        FsErrorKind::NotFound | FsErrorKind::NotADirectory => Ok(Err(format!("cannot create {name}: Directory nonexistent"))),
                        _ => Ok(Err(format!("cannot create {name}: {}", e.message()))),
                    };
                }
                let target = Rc::new(RefCell::new(Target::File { path: abs.clone(), pos: 0, append: op == RedirOp::Append }));
                if op == RedirOp::ReadWrite {
                    let data = self.fs.read(&abs).unwrap_or_default();
                    return Ok(Ok(Some(Fd::ReadWrite(Rc::new(RefCell::new(Input::from_shared(data))), target))));
                }
                Ok(Ok(Some(Fd::Write(target))))
            }
            _ => Ok(Ok(None)),
        }
    }
}

/// An argument that looks like an assignment (`name=…` with an unquoted name).
fn is_assignment_word(w: &Word) -> bool {
    match w.parts.first() {
        Some(Part::Lit(s)) => match s.find('=') {
            Some(i) => super::parse::is_name(&s[..i]),
            None => false,
        },
        _ => false,
    }
}

fn split_assignment(w: &Word) -> (String, Word) {
    let Some(Part::Lit(first)) = w.parts.first() else {
        return (String::new(), w.clone());
    };
    let eq = first.find('=').unwrap_or(0);
    let name = first[..eq].to_string();
    let mut parts = Vec::new();
    let rest = &first[eq + 1..];
    if !rest.is_empty() {
        parts.push(Part::Lit(rest.to_string()));
    }
    parts.extend(w.parts[1..].iter().cloned());
    (name, Word { parts })
}
