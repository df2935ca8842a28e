//! The contract between the shell interpreter and the programs it runs
//! (`cat`, `cp`, `sed`, … and the labelled toolchain simulations): what a
//! program sees of its process — filesystem, working directory, environment,
//! standard streams, a way to start other commands, the virtual clock and the
//! step budget — and what it returns (an exit status).
//!
//! Invariant: a program never panics on user input and never loops without
//! charging the budget; every error is written to `stderr` in the words of its
//! busybox/coreutils namesake and reported by the exit status.

use crate::vfs::Vfs;
use std::sync::Arc;

/// A program: called with its context and its argv (argv[0] is the name it was
/// invoked as). Returns the exit status.
pub type Program = fn(&mut Ctx<'_>, &[String]) -> i32;

/// Standard input of a process: bytes with a read position that the shell shares
/// between the commands of one redirection (so `while read l; do …; done < f`
/// reads each line once).
#[derive(Clone, Debug, Default)]
pub struct Input {
    data: Arc<Vec<u8>>,
    pos: usize,
}

impl Input {
    pub fn new(data: Vec<u8>) -> Self {
        Input { data: Arc::new(data), pos: 0 }
    }
    pub fn from_shared(data: Arc<Vec<u8>>) -> Self {
        Input { data, pos: 0 }
    }
    pub fn empty() -> Self {
        Input::default()
    }
    /// Everything not read yet; consumes it.
    pub fn read_all(&mut self) -> &[u8] {
        let start = self.pos.min(self.data.len());
        self.pos = self.data.len();
        &self.data[start..]
    }
    /// One line without its `\n`, or `None` at end of input. The second value is
    /// false when the line ended at end of input without a newline.
    pub fn read_line(&mut self) -> Option<(&[u8], bool)> {
        let start = self.pos.min(self.data.len());
        if start >= self.data.len() {
            return None;
        }
        match self.data[start..].iter().position(|&b| b == b'\n') {
            Some(i) => {
                self.pos = start + i + 1;
                Some((&self.data[start..start + i], true))
            }
            None => {
                self.pos = self.data.len();
                Some((&self.data[start..], false))
            }
        }
    }
    /// Up to `n` bytes.
    pub fn read_bytes(&mut self, n: usize) -> &[u8] {
        let start = self.pos.min(self.data.len());
        let end = start.saturating_add(n).min(self.data.len());
        self.pos = end;
        &self.data[start..end]
    }
    pub fn is_at_end(&self) -> bool {
        self.pos >= self.data.len()
    }
}

/// Why a write did not go through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteError {
    /// The reader is gone (a pipe's output cap was reached): the program should
    /// stop as if killed by SIGPIPE (status 141).
    BrokenPipe,
    /// A playground limit (output size, file size) was reached; the shell stops the
    /// whole run and reports the limit.
    Limit,
}

/// Where a program writes: a pipe, a file (through a redirection), or the step's
/// log. Implemented by the shell.
pub trait Sink {
    fn write(&mut self, data: &[u8]) -> Result<(), WriteError>;
}

impl Sink for Vec<u8> {
    fn write(&mut self, data: &[u8]) -> Result<(), WriteError> {
        self.extend_from_slice(data);
        Ok(())
    }
}

/// What a running program may ask of the shell that started it.
pub trait Runner {
    /// Runs a command as `execvp` would: `argv[0]` is found through `PATH` in
    /// `env` (or used as a path when it has a `/`), then run with the given
    /// environment, working directory and streams, on the given filesystem.
    /// Shell builtins and functions are not found (`env cd` fails, as it does
    /// for real). Returns the command's exit status, or why it could not be
    /// started: the caller prints that in its own words (`env: 'foo': No such
    /// file or directory`, status 127; 126 for [`SpawnError::PermissionDenied`]).
    fn run(&mut self, req: Spawn<'_>) -> Result<i32, SpawnError>;
}

/// Why [`Runner::run`] could not start a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SpawnError {
    /// No such file, or nothing of that name on `PATH` (exit status 127).
    NotFound,
    /// The file is not executable or is a directory (exit status 126).
    PermissionDenied,
}

impl SpawnError {
    /// The `strerror` text (`No such file or directory`, `Permission denied`).
    pub fn message(self) -> &'static str {
        match self {
            SpawnError::NotFound => "No such file or directory",
            SpawnError::PermissionDenied => "Permission denied",
        }
    }
    /// The exit status a shell reports for it (127 or 126).
    pub fn status(self) -> i32 {
        match self {
            SpawnError::NotFound => 127,
            SpawnError::PermissionDenied => 126,
        }
    }
}

/// A request to run another command from inside a program. The filesystem,
/// clock and budget are the calling program's own (pass `ctx.fs` etc.); most
/// programs use [`Ctx::spawn`] instead of building this by hand.
pub struct Spawn<'a> {
    pub argv: &'a [String],
    /// The child's whole environment (`&ctx.env` to pass the caller's own).
    pub env: &'a [(String, String)],
    pub cwd: &'a str,
    pub stdin: &'a mut Input,
    pub stdout: &'a mut dyn Sink,
    pub stderr: &'a mut dyn Sink,
    pub fs: &'a mut Vfs,
    pub clock: &'a mut Clock,
    pub budget: &'a mut Budget,
}

/// The step budget: every loop iteration, command and byte-heavy operation
/// charges it, so any script ends in bounded time.
#[derive(Clone, Debug)]
pub struct Budget {
    pub steps_left: u64,
    /// Set when the budget ran out; the shell unwinds and reports it.
    pub exhausted: bool,
}

impl Budget {
    pub fn new(steps: u64) -> Self {
        Budget { steps_left: steps, exhausted: false }
    }
    /// Charges `n` steps; false (and `exhausted` set) when the budget is spent.
    pub fn charge(&mut self, n: u64) -> bool {
        if self.exhausted {
            return false;
        }
        if self.steps_left < n {
            self.steps_left = 0;
            self.exhausted = true;
            return false;
        }
        self.steps_left -= n;
        true
    }
}

/// Virtual time: `date` prints it, `sleep` advances it (nobody waits).
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    /// Seconds since the epoch.
    pub now: i64,
}

/// What a program sees of its process.
pub struct Ctx<'a> {
    pub fs: &'a mut Vfs,
    /// Absolute, normalised working directory.
    pub cwd: String,
    /// The exported environment, in order of definition.
    pub env: Vec<(String, String)>,
    pub uid: u32,
    pub gid: u32,
    pub stdin: &'a mut Input,
    pub stdout: &'a mut dyn Sink,
    pub stderr: &'a mut dyn Sink,
    pub runner: &'a mut dyn Runner,
    pub clock: &'a mut Clock,
    pub budget: &'a mut Budget,
}

impl Ctx<'_> {
    /// The value of an environment variable.
    pub fn getenv(&self, name: &str) -> Option<&str> {
        self.env.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    /// An absolute path for `p`, relative to the working directory.
    pub fn abs(&self, p: &str) -> String {
        crate::vfs::path::join(&self.cwd, p)
    }
    /// Writes to stdout; see [`WriteError`].
    pub fn out(&mut self, data: &[u8]) -> Result<(), WriteError> {
        self.stdout.write(data)
    }
    /// Writes to stderr (errors writing to stderr are ignored, as programs do).
    pub fn err(&mut self, msg: &str) {
        let _ = self.stderr.write(msg.as_bytes());
    }
    /// Runs a command (see [`Runner::run`]) with this process's environment,
    /// working directory and streams.
    pub fn spawn(&mut self, argv: &[String]) -> Result<i32, SpawnError> {
        self.runner.run(Spawn {
            argv,
            env: &self.env,
            cwd: &self.cwd,
            stdin: &mut *self.stdin,
            stdout: &mut *self.stdout,
            stderr: &mut *self.stderr,
            fs: &mut *self.fs,
            clock: &mut *self.clock,
            budget: &mut *self.budget,
        })
    }
    /// Like [`Ctx::spawn`] with another standard input (`xargs`, `find -exec`).
    pub fn spawn_with_stdin(&mut self, argv: &[String], stdin: &mut Input) -> Result<i32, SpawnError> {
        self.runner.run(Spawn {
            argv,
            env: &self.env,
            cwd: &self.cwd,
            stdin,
            stdout: &mut *self.stdout,
            stderr: &mut *self.stderr,
            fs: &mut *self.fs,
            clock: &mut *self.clock,
            budget: &mut *self.budget,
        })
    }
    /// Reads a file the way `open(2)` + `read(2)` would, including the devices
    /// the playground provides without a /dev in the image: `/dev/null`
    /// (empty), `/dev/zero` and `/dev/urandom` (a finite, deterministic
    /// stream: simulated), `/dev/stdin` (the rest of standard input).
    pub fn read_file(&mut self, path: &str) -> crate::vfs::FsResult<Arc<Vec<u8>>> {
        use super::io::{device, Device};
        let abs = self.abs(path);
        match device(&crate::vfs::path::normalize(&abs)) {
            Some(Device::Null) => return Ok(Arc::new(Vec::new())),
            Some(Device::Zero) => return Ok(Arc::new(vec![0u8; DEVICE_READ_BYTES])),
            Some(Device::Random) => return Ok(Arc::new(pseudo_random(DEVICE_READ_BYTES, 0x5eed))),
            Some(Device::Stdin | Device::Fd(0)) => return Ok(Arc::new(self.stdin.read_all().to_vec())),
            _ => {}
        }
        self.fs.read(&abs)
    }
}

/// Bytes a read of `/dev/zero` or `/dev/urandom` gives (they are finite in
/// the playground).
pub const DEVICE_READ_BYTES: usize = 1 << 20;

/// Deterministic pseudo-random bytes (xorshift) for `/dev/urandom`, so runs
/// are reproducible.
pub fn pseudo_random(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    let mut v = Vec::with_capacity(n + 8);
    while v.len() < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.extend_from_slice(&x.to_le_bytes());
    }
    v.truncate(n);
    v
}

/// How a stand-in executable of the builtin base images starts: the bytes
/// `\0dfplay-standin:` then the program's name and a newline, then a line of
/// human text saying what it stands in for. Executing such a file runs the builtin
/// program of that name: `busybox` and `coreutils` are multi-call (the applet is
/// the basename of argv[0], or argv[1] when invoked as `busybox`), `sh`/`dash`/
/// `ash`/`bash` are the builtin shell, anything else is looked up in the shell's
/// programs and then in the [`Natives`] (the labelled toolchain simulations).
pub const STANDIN_MAGIC: &[u8] = b"\0dfplay-standin:";

/// The content of a stand-in executable for `name`.
pub fn standin_executable(name: &str, stands_for: &str) -> Vec<u8> {
    let mut v = STANDIN_MAGIC.to_vec();
    v.extend_from_slice(name.as_bytes());
    v.push(b'\n');
    v.extend_from_slice(format!("dfplay stand-in for {stands_for}: runs in the playground's builtin shell\n").as_bytes());
    v
}

/// The builtin program name a stand-in executable names, if `data` is one.
pub fn standin_name(data: &[u8]) -> Option<&str> {
    let rest = data.strip_prefix(STANDIN_MAGIC)?;
    let end = rest.iter().position(|&b| b == b'\n')?;
    std::str::from_utf8(&rest[..end]).ok()
}

/// Programs outside the shell's own set, provided by the caller: the labelled
/// toolchain simulations (`go`, `mvn`, `npm`, `apt-get`, …) of `crate::executor`.
pub trait Natives {
    fn lookup(&self, name: &str) -> Option<Program>;
}

/// No extra programs.
pub struct NoNatives;

impl Natives for NoNatives {
    fn lookup(&self, _name: &str) -> Option<Program> {
        None
    }
}
