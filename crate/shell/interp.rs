//! The interpreter: evaluates the syntax tree the way dash's `evaltree` does —
//! `set -e` checked where dash checks it (simple commands, pipelines,
//! subshells; not in conditions or the left of `&&`/`||`), subshells as
//! copies of the shell state sharing the filesystem, pipelines stage by stage,
//! background jobs run to completion at once (so `$!` and `wait` still work),
//! functions with `local` frames, traps on EXIT, and every step charged to the
//! budget.
//!
//! Invariant: control flow (`break`, `return`, `exit`, fatal errors, limits) is
//! a [`Flow`] value unwinding through `Result`, never a panic; recursion is
//! bounded by [`ShellLimits::depth`].

use super::ast::*;
use super::io::{Fd, Fds, LimitKind as IoLimit, Output, Target, WriteFail};
use super::parse::Parser;
use super::proc::{Budget, Clock, Input, Natives, Sink};
use super::vars::Vars;
use super::{LimitHit, LimitKind, ShellLimits};
use crate::vfs::Vfs;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// How evaluation stops early.
#[derive(Debug)]
pub(crate) enum Flow {
    Break(u32),
    Continue(u32),
    Return(i32),
    /// `exit`, `set -e`, or a fatal error: the (sub)shell ends with this status.
    Exit(i32),
    /// Killed by a signal (a broken pipe): ends the (sub)shell, no traps.
    Killed(i32),
    /// A playground limit: the whole run stops.
    Abort(LimitHit),
}

pub(crate) type Ex<T = i32> = Result<T, Flow>;

/// Shell options, in dash's order (`set -o` lists them so; `$-` shows them reversed).
pub(crate) const OPTIONS: &[(&str, Option<char>)] = &[
    ("errexit", Some('e')),
    ("noglob", Some('f')),
    ("ignoreeof", Some('I')),
    ("interactive", Some('i')),
    ("monitor", Some('m')),
    ("noexec", Some('n')),
    ("stdin", Some('s')),
    ("xtrace", Some('x')),
    ("verbose", Some('v')),
    ("vi", Some('V')),
    ("emacs", Some('E')),
    ("noclobber", Some('C')),
    ("allexport", Some('a')),
    ("notify", Some('b')),
    ("nounset", Some('u')),
    ("privileged", Some('p')),
    ("nolog", None),
    ("debug", None),
];

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Opts {
    bits: u32,
    /// bash's `pipefail` (only `bash` accepts it).
    pub pipefail: bool,
}

impl Opts {
    pub fn index(name: &str) -> Option<usize> {
        OPTIONS.iter().position(|(n, _)| *n == name)
    }
    pub fn letter_index(c: char) -> Option<usize> {
        OPTIONS.iter().position(|(_, l)| *l == Some(c))
    }
    pub fn get(&self, i: usize) -> bool {
        self.bits & (1 << i) != 0
    }
    pub fn set(&mut self, i: usize, on: bool) {
        if on {
            self.bits |= 1 << i;
        } else {
            self.bits &= !(1 << i);
        }
    }
    pub fn errexit(&self) -> bool {
        self.get(0)
    }
    pub fn noglob(&self) -> bool {
        self.get(1)
    }
    pub fn noexec(&self) -> bool {
        self.get(5)
    }
    pub fn xtrace(&self) -> bool {
        self.get(7)
    }
    pub fn noclobber(&self) -> bool {
        self.get(11)
    }
    pub fn allexport(&self) -> bool {
        self.get(12)
    }
    pub fn nounset(&self) -> bool {
        self.get(14)
    }
    /// `$-`
    pub fn flags_string(&self) -> String {
        let mut s = String::new();
        for i in (0..OPTIONS.len()).rev() {
            if let (true, Some(c)) = (self.get(i), OPTIONS[i].1) {
                s.push(c);
            }
        }
        s
    }
}

#[derive(Debug)]
pub(crate) struct FuncDef {
    pub body: Rc<Cmd>,
}

/// Everything a subshell copies: variables, functions, parameters, options,
/// working directory, fds, traps.
#[derive(Clone)]
pub(crate) struct State {
    pub vars: Vars,
    pub funcs: HashMap<String, Rc<FuncDef>>,
    pub args: Vec<String>,
    pub arg0: String,
    pub opts: Opts,
    pub cwd: String,
    pub fds: Fds,
    /// Signal number (0 = EXIT) to action.
    pub traps: BTreeMap<u32, String>,
    pub status: i32,
    pub last_bg: Option<u32>,
    pub jobs: Vec<(u32, i32)>,
    pub umask: u32,
    pub pid: u32,
    pub loop_depth: u32,
    pub func_depth: u32,
    pub dot_depth: u32,
    pub line: u32,
    /// `getopts`: position inside the current argument.
    pub optoff: usize,
    /// Started as `bash`: `source`, `set -o pipefail` accepted.
    pub bash: bool,
    /// Started as BusyBox's ash (alpine's `/bin/sh`): `set -o pipefail` accepted.
    pub ash: bool,
    pub aliases: BTreeMap<String, String>,
    /// dash's command hash table (name to the path PATH gave), valid for `hash_path`.
    pub hash: HashMap<String, String>,
    pub hash_path: String,
    /// `getopts`: the next argument (1-based) and the OPTIND value it last wrote.
    pub optind: usize,
    pub optind_seen: String,
    /// Options saved by `local -`, one slot per running function.
    pub opt_frames: Vec<Option<Opts>>,
    pub ulimits: BTreeMap<char, String>,
}

impl State {
    /// The state of a new shell process: keeps the working directory, fds and
    /// umask, starts everything else afresh.
    pub fn reset_for_process(&mut self, pid: u32, arg0: String, args: Vec<String>, bash: bool) {
        self.vars = Vars::new();
        self.funcs.clear();
        self.args = args;
        self.arg0 = arg0;
        self.opts = Opts::default();
        self.traps.clear();
        self.status = 0;
        self.last_bg = None;
        self.jobs.clear();
        self.pid = pid;
        self.loop_depth = 0;
        self.func_depth = 0;
        self.dot_depth = 0;
        self.line = 1;
        self.optoff = 0;
        self.optind = 1;
        self.optind_seen = "1".into();
        self.bash = bash;
        self.aliases.clear();
        self.hash.clear();
        self.opt_frames.clear();
    }

    /// The variables dash sets at startup (IFS, PS1, PS2, PS4, OPTIND, PPID,
    /// PWD, and PATH when the environment has none).
    pub fn init_defaults(&mut self, uid: u32, ppid: u32) {
        let _ = self.vars.set("IFS", " \t\n".into());
        let _ = self.vars.set("PS1", if uid == 0 { "# ".into() } else { "$ ".into() });
        let _ = self.vars.set("PS2", "> ".into());
        let _ = self.vars.set("PS4", "+ ".into());
        let _ = self.vars.set("OPTIND", "1".into());
        let _ = self.vars.set("PPID", ppid.to_string());
        if self.vars.get("PATH").is_none() {
            let _ = self.vars.set("PATH", super::DEFAULT_PATH.into());
        }
        let cwd = self.cwd.clone();
        if self.vars.get("PWD") != Some(cwd.as_str()) {
            let _ = self.vars.export("PWD", Some(cwd));
        } else {
            let _ = self.vars.export("PWD", None);
        }
    }
}

/// The interpreter for one process (and its subshells).
pub(crate) struct Shell<'a> {
    pub fs: &'a mut Vfs,
    pub natives: &'a dyn Natives,
    pub clock: &'a mut Clock,
    pub budget: &'a mut Budget,
    pub limits: ShellLimits,
    pub out: Rc<RefCell<Output>>,
    /// The streams of the program that started this shell (see [`Target::Extern`]).
    pub ext: [Option<&'a mut dyn Sink>; 2],
    pub st: State,
    pub depth: u32,
    pub uid: u32,
    pub gid: u32,
    pub next_pid: Rc<Cell<u32>>,
    /// Status of the last command substitution (for commands with no words).
    pub back_status: i32,
    /// A builtin's write failed (dash prints `cmd: I/O error`).
    pub io_error: bool,
    /// dash's `commandname`: the builtin (or `.` file) running, named in errors.
    pub cmdname: Option<String>,
    /// Whether the running builtin was called where `set -e` is off (for `eval`).
    pub cur_tested: bool,
    /// A limit hit inside a command a program started (see the child runner).
    pub abort: Rc<RefCell<Option<LimitHit>>>,
    /// Where the parser is (dash reports syntax errors found while running,
    /// like a bad `>&$fd`, at this line).
    pub parser_line: u32,
}

impl<'a> Shell<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        fs: &'a mut Vfs,
        natives: &'a dyn Natives,
        clock: &'a mut Clock,
        budget: &'a mut Budget,
        limits: ShellLimits,
        out: Rc<RefCell<Output>>,
        ext: [Option<&'a mut dyn Sink>; 2],
        uid: u32,
        gid: u32,
        next_pid: Rc<Cell<u32>>,
        depth: u32,
    ) -> Self {
        Shell {
            fs,
            natives,
            clock,
            budget,
            limits,
            out,
            ext,
            st: State {
                vars: Vars::new(),
                funcs: HashMap::new(),
                args: Vec::new(),
                arg0: "sh".into(),
                opts: Opts::default(),
                cwd: "/".into(),
                fds: Fds::default(),
                traps: BTreeMap::new(),
                status: 0,
                last_bg: None,
                jobs: Vec::new(),
                umask: 0o022,
                pid: 0,
                loop_depth: 0,
                func_depth: 0,
                dot_depth: 0,
                line: 1,
                optoff: 0,
                bash: false,
                ash: false,
                aliases: BTreeMap::new(),
                hash: HashMap::new(),
                hash_path: String::new(),
                optind: 1,
                optind_seen: "1".into(),
                opt_frames: Vec::new(),
                ulimits: BTreeMap::new(),
            },
            depth,
            uid,
            gid,
            next_pid,
            back_status: 0,
            io_error: false,
            cmdname: None,
            cur_tested: false,
            abort: Rc::new(RefCell::new(None)),
            parser_line: 1,
        }
    }

    pub fn alloc_pid(&self) -> u32 {
        let p = self.next_pid.get();
        self.next_pid.set(p.wrapping_add(1).max(1));
        p
    }

    // ----- limits -----------------------------------------------------------------------

    /// Charges the step budget.
    pub fn step(&mut self, n: u64) -> Ex<()> {
        if self.budget.charge(n) {
            Ok(())
        } else {
            Err(self.limit(LimitKind::Steps))
        }
    }

    pub fn limit(&self, kind: LimitKind) -> Flow {
        Flow::Abort(limit_hit(kind, &self.limits, self.fs))
    }

    pub fn enter(&mut self) -> Ex<()> {
        self.depth += 1;
        if self.depth > self.limits.depth {
            self.depth -= 1;
            return Err(self.limit(LimitKind::Depth));
        }
        Ok(())
    }

    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    // ----- output -----------------------------------------------------------------------

    /// Writes to an fd on behalf of the shell or a builtin.
    pub fn write_fd(&mut self, fd: u32, data: &[u8]) -> Result<(), WriteFail> {
        let target = match self.st.fds.get(fd).and_then(|f| f.writer()) {
            Some(t) => t.clone(),
            None => return Err(WriteFail::BadFd),
        };
        let mut t = target.borrow_mut();
        super::io::write_target(&mut t, data, self.fs, &self.out, &mut self.ext, self.st.umask)
    }

    /// Writes a builtin's output to fd 1: a closed fd sets the I/O error flag,
    /// a broken pipe ends the (sub)shell as SIGPIPE would, a limit stops the run.
    pub fn out1(&mut self, data: &[u8]) -> Ex<()> {
        self.out_fd(1, data)
    }

    pub fn out_fd(&mut self, fd: u32, data: &[u8]) -> Ex<()> {
        match self.write_fd(fd, data) {
            Ok(()) => Ok(()),
            Err(WriteFail::BadFd) | Err(WriteFail::Fs(_)) => {
                self.io_error = true;
                Ok(())
            }
            Err(WriteFail::BrokenPipe) => Err(Flow::Killed(141)),
            Err(WriteFail::Limit(k)) => Err(self.limit(io_limit(k))),
        }
    }

    /// Writes to fd 2 (errors writing errors are ignored, limits are not).
    pub fn out2(&mut self, data: &[u8]) -> Ex<()> {
        match self.write_fd(2, data) {
            Err(WriteFail::Limit(k)) => Err(self.limit(io_limit(k))),
            Err(WriteFail::BrokenPipe) => Err(Flow::Killed(141)),
            _ => Ok(()),
        }
    }

    /// dash's error line: `/bin/sh: 3: msg` (or `/bin/sh: 3: cmd: msg` when
    /// `cmd` is given).
    pub fn warn(&mut self, cmd: Option<&str>, msg: &str) -> Ex<()> {
        let cmd = match cmd {
            Some(c) => Some(c.to_string()),
            None => self.cmdname.clone(),
        };
        let s = match cmd {
            Some(c) => format!("{}: {}: {}: {}\n", self.st.arg0, self.st.line, c, msg),
            None => format!("{}: {}: {}\n", self.st.arg0, self.st.line, msg),
        };
        self.out2(s.as_bytes())
    }

    /// A fatal shell error: prints it and ends the (sub)shell with status 2.
    pub fn fatal(&mut self, msg: &str) -> Flow {
        match self.warn(None, msg) {
            Err(f) => f,
            Ok(()) => Flow::Exit(2),
        }
    }

    /// A fatal error inside a special builtin (`shift: can't shift that many`).
    pub fn fatal_in(&mut self, cmd: &str, msg: &str) -> Flow {
        match self.warn(Some(cmd), msg) {
            Err(f) => f,
            Ok(()) => Flow::Exit(2),
        }
    }

    // ----- variables ------------------------------------------------------------------------

    pub fn set_var(&mut self, name: &str, value: String) -> Ex<()> {
        self.st.vars.allexport = self.st.opts.allexport();
        match self.st.vars.set(name, value) {
            Ok(()) => Ok(()),
            Err(msg) => Err(self.fatal(&msg)),
        }
    }

    pub fn get_var(&self, name: &str) -> Option<&str> {
        self.st.vars.get(name)
    }

    // ----- running scripts -----------------------------------------------------------------

    /// Runs a whole script as the shell's main program (`sh -c`, a script
    /// file): command by command, a syntax error ending it with status 2.
    /// Returns the exit status after the EXIT trap.
    pub fn run_main(&mut self, src: &str) -> Ex {
        let mut parser = Parser::new(src);
        parser.bash = self.st.bash;
        let mut status = 0;
        loop {
            let next = parser.next_command();
            self.parser_line = parser.line;
            let cmd = match next {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(e) => {
                    self.st.line = e.line;
                    let msg = format!("Syntax error: {}", e.msg);
                    if let Err(Flow::Abort(h)) = self.warn(None, &msg) {
                        return Err(Flow::Abort(h));
                    }
                    status = 2;
                    return self.exit_shell(status);
                }
            };
            if self.st.opts.noexec() {
                continue;
            }
            match self.eval(&cmd, false) {
                Ok(s) => status = s,
                Err(Flow::Exit(s)) => return self.exit_shell(s),
                Err(Flow::Return(s)) => return self.exit_shell(s),
                Err(Flow::Break(_)) | Err(Flow::Continue(_)) => status = self.st.status,
                Err(Flow::Killed(s)) => return Ok(s),
                Err(a @ Flow::Abort(_)) => return Err(a),
            }
            if matches!(cmd, Cmd::Empty) {
                status = self.st.status;
            }
        }
        self.exit_shell(status)
    }

    /// Runs the EXIT trap and gives the final status.
    pub fn exit_shell(&mut self, status: i32) -> Ex {
        self.st.status = status;
        let mut status = status;
        if let Some(action) = self.st.traps.remove(&0) {
            if !action.is_empty() {
                match self.eval_string(&action, false) {
                    Ok(_) => {}
                    Err(Flow::Exit(s)) => status = s,
                    Err(Flow::Killed(s)) => status = s,
                    Err(a @ Flow::Abort(_)) => return Err(a),
                    Err(_) => {}
                }
            }
        }
        Ok(status)
    }

    /// Parses and runs a string (`eval`, traps): everything is parsed as it
    /// runs, a syntax error is fatal.
    pub fn eval_string(&mut self, src: &str, tested: bool) -> Ex {
        self.enter()?;
        let r = self.eval_string_inner(src, tested);
        self.leave();
        r
    }

    fn eval_string_inner(&mut self, src: &str, tested: bool) -> Ex {
        // dash counts the lines of an eval'd string (or a trap) from 1
        let mut parser = Parser::with_line(src, 1);
        parser.bash = self.st.bash;
        let mut status = 0;
        loop {
            let next = parser.next_command();
            self.parser_line = parser.line;
            match next {
                Ok(Some(cmd)) => {
                    if matches!(cmd, Cmd::Empty) {
                        continue;
                    }
                    status = self.eval(&cmd, tested)?;
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

    // ----- evaluation -------------------------------------------------------------------------

    pub fn eval(&mut self, cmd: &Cmd, tested: bool) -> Ex {
        self.step(1)?;
        if self.st.opts.noexec() {
            return Ok(self.st.status);
        }
        let (status, checkexit) = match cmd {
            Cmd::Simple(s) => (self.eval_simple(s, tested)?, true),
            Cmd::Seq(v) => {
                let mut st = self.st.status;
                for c in v {
                    st = self.eval(c, tested)?;
                }
                (st, false)
            }
            Cmd::Background(c) => (self.eval_background(c)?, true),
            Cmd::And(a, b) => {
                let s = self.eval(a, true)?;
                if s != 0 {
                    (s, false)
                } else {
                    (self.eval(b, tested)?, false)
                }
            }
            Cmd::Or(a, b) => {
                let s = self.eval(a, true)?;
                if s == 0 {
                    (s, false)
                } else {
                    (self.eval(b, tested)?, false)
                }
            }
            Cmd::Not(c) => {
                let s = self.eval(c, true)?;
                ((s == 0) as i32, false)
            }
            Cmd::Pipe(stages) => (self.eval_pipe(stages, tested)?, true),
            Cmd::Redirected(c, redirs, line) => {
                self.st.line = *line;
                match self.apply_redirs(redirs)? {
                    Err(()) => (2, true),
                    Ok(saved) => {
                        let r = self.eval(c, tested);
                        self.restore_fds(saved);
                        (r?, false)
                    }
                }
            }
            Cmd::Group(c) => (self.eval(c, tested)?, false),
            Cmd::Subshell(c, line) => {
                self.st.line = *line;
                (self.subshell(|sh| sh.eval(c, tested))?, true)
            }
            Cmd::If { cond, then, otherwise } => {
                let s = self.eval(cond, true)?;
                if s == 0 {
                    (self.eval(then, tested)?, false)
                } else if let Some(o) = otherwise {
                    (self.eval(o, tested)?, false)
                } else {
                    (0, false)
                }
            }
            Cmd::Loop { cond, body, until } => (self.eval_loop(cond, body, *until, tested)?, false),
            Cmd::For { var, words, body, line } => (self.eval_for(var, words.as_deref(), body, *line, tested)?, false),
            Cmd::Case { word, arms, line } => (self.eval_case(word, arms, *line, tested)?, false),
            Cmd::FuncDef { name, body, .. } => {
                self.st.funcs.insert(name.clone(), Rc::new(FuncDef { body: body.clone() }));
                (0, false)
            }
            Cmd::Empty => (self.st.status, false),
        };
        self.st.status = status;
        if checkexit && !tested && status != 0 && self.st.opts.errexit() {
            return Err(Flow::Exit(status));
        }
        Ok(status)
    }

    /// Runs `f` in a subshell: a copy of the state that is thrown away after.
    pub fn subshell<F: FnOnce(&mut Self) -> Ex>(&mut self, f: F) -> Ex {
        self.enter()?;
        let saved = self.st.clone();
        // traps other than ignored ones are reset in a subshell
        self.st.traps.retain(|_, v| v.is_empty());
        let r = f(self);
        let r = match r {
            Ok(s) => self.exit_shell(s),
            Err(Flow::Exit(s)) => self.exit_shell(s),
            Err(Flow::Return(s)) => self.exit_shell(s),
            Err(Flow::Break(_)) | Err(Flow::Continue(_)) => {
                let s = self.st.status;
                self.exit_shell(s)
            }
            Err(Flow::Killed(s)) => Ok(s),
            Err(a @ Flow::Abort(_)) => Err(a),
        };
        self.st = saved;
        self.leave();
        r
    }

    fn eval_background(&mut self, c: &Cmd) -> Ex {
        let pid = self.alloc_pid();
        let status = self.subshell(|sh| {
            // a background job's stdin is /dev/null
            sh.st.fds.set(0, Some(Fd::Read(Rc::new(RefCell::new(Input::empty())))));
            sh.st.pid_bg(pid);
            sh.eval(c, false)
        })?;
        self.st.jobs.push((pid, status));
        self.st.last_bg = Some(pid);
        Ok(0)
    }

    fn eval_pipe(&mut self, stages: &[Cmd], tested: bool) -> Ex {
        let n = stages.len();
        let mut input: Option<Vec<u8>> = None;
        let mut statuses = Vec::with_capacity(n);
        for (i, stage) in stages.iter().enumerate() {
            let pipe = if i + 1 < n { Some(Rc::new(RefCell::new(Target::Pipe { buf: Vec::new(), cap: self.limits.pipe_bytes }))) } else { None };
            let data = input.take();
            let p2 = pipe.clone();
            let status = self.subshell(move |sh| {
                if let Some(d) = data {
                    sh.st.fds.set(0, Some(Fd::Read(Rc::new(RefCell::new(Input::new(d))))));
                }
                if let Some(p) = p2 {
                    sh.st.fds.set(1, Some(Fd::Write(p)));
                }
                sh.eval(stage, tested)
            })?;
            statuses.push(status);
            if let Some(p) = pipe {
                let buf = match &mut *p.borrow_mut() {
                    Target::Pipe { buf, .. } => std::mem::take(buf),
                    _ => Vec::new(),
                };
                input = Some(buf);
            }
        }
        let last = statuses.last().copied().unwrap_or(0);
        if self.st.opts.pipefail {
            if let Some(s) = statuses.iter().rev().find(|s| **s != 0) {
                return Ok(*s);
            }
        }
        Ok(last)
    }

    fn eval_loop(&mut self, cond: &Cmd, body: &Cmd, until: bool, tested: bool) -> Ex {
        self.st.loop_depth += 1;
        let r = self.loop_inner(cond, body, until, tested);
        self.st.loop_depth -= 1;
        r
    }

    fn loop_inner(&mut self, cond: &Cmd, body: &Cmd, until: bool, tested: bool) -> Ex {
        let mut status = 0;
        loop {
            self.step(1)?;
            let c = match self.eval(cond, true) {
                Ok(c) => c,
                Err(Flow::Break(n)) => {
                    return if n > 1 { Err(Flow::Break(n - 1)) } else { Ok(status) };
                }
                Err(Flow::Continue(n)) => {
                    if n > 1 {
                        return Err(Flow::Continue(n - 1));
                    }
                    continue;
                }
                Err(e) => return Err(e),
            };
            if (c == 0) == until {
                return Ok(status);
            }
            match self.loop_body(body, tested)? {
                std::ops::ControlFlow::Continue(s) => status = s,
                std::ops::ControlFlow::Break(s) => return Ok(s),
            }
        }
    }

    /// One run of a loop's body: `Continue(status)` to go on, `Break(status)` when a
    /// `break` ends this loop; a `break`/`continue` for an outer loop goes up one level.
    fn loop_body(&mut self, body: &Cmd, tested: bool) -> Result<std::ops::ControlFlow<i32, i32>, Flow> {
        use std::ops::ControlFlow;
        match self.eval(body, tested) {
            Ok(s) => Ok(ControlFlow::Continue(s)),
            Err(Flow::Break(n)) if n > 1 => Err(Flow::Break(n - 1)),
            Err(Flow::Break(_)) => Ok(ControlFlow::Break(self.st.status)),
            Err(Flow::Continue(n)) if n > 1 => Err(Flow::Continue(n - 1)),
            Err(Flow::Continue(_)) => Ok(ControlFlow::Continue(self.st.status)),
            Err(e) => Err(e),
        }
    }

    fn eval_for(&mut self, var: &str, words: Option<&[Word]>, body: &Cmd, line: u32, tested: bool) -> Ex {
        self.st.line = line;
        let items = match words {
            Some(ws) => self.expand_words(ws)?,
            None => self.st.args.clone(),
        };
        self.st.loop_depth += 1;
        let r = (|| {
            let mut status = 0;
            for item in items {
                self.step(1)?;
                self.set_var(var, item)?;
                match self.loop_body(body, tested)? {
                    std::ops::ControlFlow::Continue(s) => status = s,
                    std::ops::ControlFlow::Break(s) => return Ok(s),
                }
            }
            Ok(status)
        })();
        self.st.loop_depth -= 1;
        r
    }

    fn eval_case(&mut self, word: &Word, arms: &[CaseArm], line: u32, tested: bool) -> Ex {
        self.st.line = line;
        let subject = self.expand_string(word, false)?;
        let subject: Vec<char> = subject.chars().collect();
        for arm in arms {
            for pat in &arm.patterns {
                self.step(1)?;
                let p = self.expand_pattern(pat)?;
                if p.matches_chars(&subject) {
                    return match &arm.body {
                        Some(b) => self.eval(b, tested),
                        None => Ok(0),
                    };
                }
            }
        }
        Ok(0)
    }

    /// Calls a function with arguments.
    pub fn call_function(&mut self, f: Rc<FuncDef>, argv: &[String], tested: bool) -> Ex {
        self.enter()?;
        let saved_args = std::mem::replace(&mut self.st.args, argv[1..].to_vec());
        let saved_loop = std::mem::replace(&mut self.st.loop_depth, 0);
        let saved_optoff = std::mem::replace(&mut self.st.optoff, 0);
        let saved_optind = std::mem::replace(&mut self.st.optind, 1);
        let seen = self.get_var("OPTIND").unwrap_or("").to_string();
        let saved_seen = std::mem::replace(&mut self.st.optind_seen, seen);
        self.st.vars.push_frame();
        self.st.opt_frames.push(None);
        self.st.func_depth += 1;
        let r = self.eval(&f.body, tested);
        self.st.func_depth -= 1;
        if let Some(Some(o)) = self.st.opt_frames.pop() {
            self.st.opts = o;
        }
        self.st.vars.pop_frame();
        self.st.optoff = saved_optoff;
        self.st.optind = saved_optind;
        self.st.optind_seen = saved_seen;
        self.st.loop_depth = saved_loop;
        self.st.args = saved_args;
        self.leave();
        match r {
            Ok(s) => Ok(s),
            Err(Flow::Return(s)) => Ok(s),
            Err(e) => Err(e),
        }
    }

    /// `$(…)`: the output with trailing newlines removed.
    pub fn command_subst(&mut self, cmd: &Rc<Cmd>) -> Ex<String> {
        let cap = Rc::new(RefCell::new(Target::Capture { buf: Vec::new(), cap: self.limits.pipe_bytes }));
        let c2 = cap.clone();
        let status = self.subshell(|sh| {
            sh.st.fds.set(1, Some(Fd::Write(c2)));
            sh.eval(cmd, false)
        })?;
        self.back_status = status;
        self.st.status = status;
        let mut buf = match &mut *cap.borrow_mut() {
            Target::Capture { buf, .. } => std::mem::take(buf),
            _ => Vec::new(),
        };
        while buf.last() == Some(&b'\n') {
            buf.pop();
        }
        Ok(match String::from_utf8(buf) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        })
    }

    /// Restores fds a redirection list changed.
    pub fn restore_fds(&mut self, saved: Vec<(u32, Option<Fd>)>) {
        for (fd, v) in saved.into_iter().rev() {
            self.st.fds.set(fd, v);
        }
    }
}

impl State {
    /// `$$` stays the parent's in a subshell (POSIX); nothing to do, kept for clarity.
    fn pid_bg(&mut self, _pid: u32) {}
}

pub(crate) fn io_limit(k: IoLimit) -> LimitKind {
    match k {
        IoLimit::Output => LimitKind::Output,
        IoLimit::Capture => LimitKind::Capture,
        IoLimit::FsSize => LimitKind::FileSystem,
    }
}

/// The limit message.
pub(crate) fn limit_hit(kind: LimitKind, l: &ShellLimits, fs: &Vfs) -> LimitHit {
    let message = match kind {
        LimitKind::Steps => format!("dfplay: step limit reached ({} steps): the script was stopped", l.steps),
        LimitKind::Output => format!("dfplay: output limit reached ({} bytes of output): the script was stopped", l.output_bytes),
        LimitKind::Depth => format!(
            "dfplay: recursion limit reached ({} nested functions, subshells or shells): the script was stopped",
            l.depth
        ),
        LimitKind::FileSystem => {
            let lim = fs.limits();
            format!(
                "dfplay: filesystem limit reached ({} MiB of files, {} files): No space left on device: the script was stopped",
                lim.max_bytes >> 20,
                lim.max_nodes
            )
        }
        LimitKind::Capture => format!(
            "dfplay: command substitution output limit reached ({} bytes): the script was stopped",
            l.pipe_bytes
        ),
    };
    LimitHit { kind, message }
}
