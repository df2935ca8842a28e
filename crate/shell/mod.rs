//! The builtin POSIX shell that RUN and `run` use: parsing, expansion, execution
//! on a vfs, and the programs (`cat`, `cp`, `sed`, …) found through PATH in the
//! image. Its reference is dash (Debian's `/bin/sh`): the language, the
//! builtins, the error messages and their line numbers, the exit statuses.
//!
//! Entry point: [`execute`] runs one process (`["/bin/sh", "-c", "…"]`, a
//! script with a `#!` line, a stand-in executable) on a filesystem and returns
//! its exit status and output. Everything is bounded by [`ShellLimits`]: a run
//! that exceeds one stops with a message naming the limit.
//!
//! Invariant: no IO outside the given [`Vfs`]; no panics on any script; no
//! concurrency (pipelines run stage by stage through bounded buffers).

pub mod arith;
pub mod ast;
mod builtins;
mod expand;
mod glob;
mod interp;
pub mod io;
mod launch;
pub mod parse;
pub mod pattern;
pub mod proc;
pub mod programs;
mod simple;
mod vars;

pub use io::{Chunk, Stream};

use crate::vfs::Vfs;
use proc::Natives;

/// How the process is started: what `execve` would get.
#[derive(Clone, Debug)]
pub struct Invocation {
    /// Exec form: `["/bin/sh", "-c", "…"]`, `["/bin/bash", "-c", "…"]`,
    /// `["/web/server"]`. `argv[0]` is a path (looked up in the vfs) or a bare
    /// name (looked up through `PATH` from `env`).
    pub argv: Vec<String>,
    pub env: Vec<(String, String)>,
    /// Absolute working directory.
    pub cwd: String,
    pub uid: u32,
    pub gid: u32,
    pub stdin: Vec<u8>,
    pub limits: ShellLimits,
    /// The virtual clock (seconds since the epoch) `date` shows and `sleep` advances.
    pub clock: i64,
}

impl Invocation {
    /// `/bin/sh -c script` as root in `/`, with the default PATH.
    pub fn sh(script: &str) -> Invocation {
        Invocation {
            argv: vec!["/bin/sh".into(), "-c".into(), script.into()],
            env: vec![("PATH".into(), DEFAULT_PATH.into())],
            cwd: "/".into(),
            uid: 0,
            gid: 0,
            stdin: Vec::new(),
            limits: ShellLimits::default(),
            clock: 0,
        }
    }
}

/// The PATH a process gets when its environment has none.
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Bounds on one run. Hitting any of them stops the whole run with a message
/// naming the limit ([`Outcome::limit`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShellLimits {
    /// Steps: every command, loop iteration, expansion and program's work
    /// charges one or more. Default 10 000 000 (well under 2 s of work).
    pub steps: u64,
    /// Bytes of stdout and stderr kept. Default 4 MiB.
    pub output_bytes: usize,
    /// Nesting of functions, `eval`, `.`, subshells and nested `sh -c`.
    /// Default 100.
    pub depth: u32,
    /// Bytes a pipe or a command substitution holds. A pipe's writer past it
    /// gets a broken pipe (SIGPIPE, status 141); a command substitution past
    /// it stops the run. Default 16 MiB.
    pub pipe_bytes: usize,
}

impl Default for ShellLimits {
    fn default() -> Self {
        ShellLimits { steps: 10_000_000, output_bytes: 4 << 20, depth: 100, pipe_bytes: 16 << 20 }
    }
}

/// Which limit stopped a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum LimitKind {
    Steps,
    Output,
    Depth,
    /// The filesystem's size or file-count limit (`No space left on device`).
    FileSystem,
    /// A command substitution's output.
    Capture,
}

/// The limit a run hit and the message shown for it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LimitHit {
    pub kind: LimitKind,
    /// `dfplay: step limit reached (10000000 steps): the script was stopped`
    pub message: String,
}

/// Exit status of a run a limit stopped (as if killed: 128 + SIGKILL).
pub const LIMIT_STATUS: i32 = 137;

/// What a run did.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Outcome {
    pub status: i32,
    /// stdout and stderr in the order they were written.
    pub output: Vec<Chunk>,
    /// Set when a limit stopped the run (the message is also the last stderr chunk).
    pub limit: Option<LimitHit>,
}

impl Outcome {
    /// All stdout bytes.
    pub fn stdout(&self) -> Vec<u8> {
        self.stream(Stream::Stdout)
    }
    /// All stderr bytes.
    pub fn stderr(&self) -> Vec<u8> {
        self.stream(Stream::Stderr)
    }
    fn stream(&self, s: Stream) -> Vec<u8> {
        let mut v = Vec::new();
        for c in &self.output {
            if c.stream == s {
                v.extend_from_slice(&c.data);
            }
        }
        v
    }
}

/// Runs one process on `fs` as `execve(argv[0], argv, env)` would, with the
/// builtin shell for shell scripts and stand-in executables, the builtin
/// programs, and `natives` for the labelled toolchain simulations.
pub fn execute(fs: &mut Vfs, inv: &Invocation, natives: &dyn Natives) -> Outcome {
    launch::execute(fs, inv, natives)
}
