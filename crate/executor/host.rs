//! The seam for a real host executor: something outside the engine that runs a
//! whole RUN step for real — natively [`super::bwrap::Bwrap`] (bubblewrap on the
//! stage's filesystem); later a page's JS callback that reaches one.
//!
//! How the build uses it: when a [`HostExecutor`] is configured, every RUN step
//! goes to it as one [`ExecRequest`] — the exec-form argv (a shell-form RUN is
//! `["/bin/sh", "-c", "<command>"]`, or the stage's SHELL), the step's environment
//! (ENV, ARG values, the image's Env), working directory, user and the stage's
//! filesystem before the step. The answer's [`ExecResult::rootfs`] replaces the
//! stage's filesystem (the layer is the diff, as for the builtin shell), its
//! output chunks are the step's log lines in order, and a non-zero `status` fails
//! the step as BuildKit does (`process "…" did not complete successfully: exit
//! code: N`). An [`ExecError`] is not a failing command but an executor that
//! could not run it (unreachable, refused, timed out); the build reports it as
//! such and does not fall back silently. Without a host executor, RUN goes to the
//! builtin shell with [`super::Simulation`] as its natives, and the log says so.
//!
//! Invariant: this module only defines the contract; it does no IO.

use crate::vfs::Vfs;

/// One RUN step to execute for real.
#[derive(Clone, Debug)]
pub struct ExecRequest {
    /// What to execute (exec form): `["/bin/sh", "-c", "go build -o /server"]`.
    pub argv: Vec<String>,
    /// The complete environment of the process, in order.
    pub env: Vec<(String, String)>,
    /// Absolute working directory (the stage's WORKDIR, `/` by default).
    pub cwd: String,
    /// The USER of the stage as written (`root`, `1000`, `node:node`).
    pub user: String,
    /// That user's uid and gid, resolved in the stage's `/etc/passwd` and `/etc/group`.
    pub uid: u32,
    pub gid: u32,
    /// The stage's filesystem before the step (cheap to clone: copy-on-write).
    pub rootfs: Vfs,
    /// Whether the step may use the network (`RUN --network=none` says no).
    pub network: bool,
    /// The sandbox's host name (`buildkitsandbox` in a build, the container's short ID in a run).
    pub hostname: String,
}

/// What the step did.
#[derive(Clone, Debug)]
pub struct ExecResult {
    /// The process's exit status (128 + N when killed by signal N).
    pub status: i32,
    /// stdout and stderr in the order the process wrote them, as the builtin shell gives them.
    pub output: Vec<crate::shell::io::Chunk>,
    /// The filesystem after the step.
    pub rootfs: Vfs,
}

/// Why the executor could not run the step at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExecErrorKind {
    /// No executor is reachable (not running, wrong address).
    Unavailable,
    /// The executor refused the request (not allowed, the user did not consent).
    Refused,
    /// The step ran past the executor's time limit.
    Timeout,
    /// The request or the answer broke a limit (size of the filesystem, of the output).
    Limit,
    /// The executor answered something that is not a valid result.
    Protocol,
}

/// An executor failure, with a message in the executor's own words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("host executor: {message}")]
pub struct ExecError {
    pub kind: ExecErrorKind,
    pub message: String,
}

/// Runs RUN steps for real, outside the engine.
pub trait HostExecutor {
    fn run(&mut self, req: &ExecRequest) -> Result<ExecResult, ExecError>;
}
