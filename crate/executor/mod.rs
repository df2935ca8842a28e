//! The seam for RUN commands the builtin shell lacks: the [`host`] executor
//! contract, and [`Simulation`] — the clearly labelled simulation of the
//! toolchains a textbook Dockerfile runs (`go build`, `mvn package`, `npm install`,
//! `apt-get install`, `apk add`, `pip install`, servers such as `apachectl` and
//! `nginx`, `git`, `gcc`, `make`) so every example builds offline.
//!
//! Each simulated tool is a [`Program`] the builtin shell runs when it executes a
//! stand-in executable of that name. A tool first writes one `(simulated) …`
//! line on stderr saying what is simulated, then speaks in the real tool's words:
//! its log lines, its error messages and exit statuses, and the files a real run
//! leaves (a binary at `-o`, `target/<artifactId>-<version>.jar`,
//! `node_modules/`, dpkg/apk records). Anything that needs the network and is not
//! a package download (`git clone`, `go get`, `curl`) fails as it would offline,
//! with a one-line note that the playground has no network.
//!
//! Invariant: the simulation works only on the process's [`Ctx`] (its vfs, env,
//! streams, clock and budget); it does no IO, never panics on user input, and
//! charges the budget for every file it reads or writes.

pub mod host;
pub mod program;
pub mod scan;

mod apk;
mod apt;
mod cc;
mod git;
mod go;
mod java;
mod maven;
mod node;
mod npm;
mod packages;
mod pom;
mod python;
mod servers;
mod support;
mod zip;

#[cfg(test)]
mod testkit;
#[cfg(test)]
mod tests;

pub use host::{ExecError, ExecErrorKind, ExecRequest, ExecResult, HostExecutor, OutputChunk, OutputStream};

use crate::shell::proc::{Ctx, Natives, Program};

/// The labelled toolchain simulation, as the shell's [`Natives`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Simulation;

/// Every simulated program by the stand-in name it answers to.
const PROGRAMS: &[(&str, Program)] = &[
    ("go", go::go),
    ("gofmt", go::gofmt),
    ("go-program", go::go_program),
    ("mvn", maven::mvn),
    ("java", java::java),
    ("javac", java::javac),
    ("jar", java::jar),
    ("jshell", java::jshell),
    ("npm", npm::npm),
    ("npx", npm::npx),
    ("yarn", npm::yarn),
    ("yarnpkg", npm::yarn),
    ("node", node::node),
    ("nodejs", node::node),
    ("apt-get", apt::apt_get),
    ("apt", apt::apt),
    ("apt-cache", apt::apt_cache),
    ("dpkg", apt::dpkg),
    ("dpkg-query", apt::dpkg),
    ("apk", apk::apk),
    ("pip", python::pip),
    ("pip3", python::pip),
    ("python3", python::python),
    ("python", python::python),
    ("httpd", servers::httpd),
    ("apachectl", servers::apachectl),
    ("apache2ctl", servers::apachectl),
    ("apache2", servers::apache2),
    ("nginx", servers::nginx),
    ("git", git::git),
    ("gcc", cc::gcc),
    ("cc", cc::gcc),
    ("g++", cc::gcc),
    ("c++", cc::gcc),
    ("clang", cc::gcc),
    ("make", cc::make),
    ("c-program", cc::c_program),
    ("python-console-script", python::console_script),
];

impl Simulation {
    /// The names of every simulated program (the catalogue's installed tools included).
    pub fn names() -> impl Iterator<Item = &'static str> {
        PROGRAMS.iter().map(|(n, _)| *n).chain(packages::tool_names())
    }
}

impl Natives for Simulation {
    fn lookup(&self, name: &str) -> Option<Program> {
        PROGRAMS.iter().find(|(n, _)| *n == name).map(|(_, p)| *p).or_else(|| packages::is_tool(name).then_some(packages::installed_tool as Program))
    }
}

/// Runs a simulated program directly (for callers that resolved the name themselves).
pub fn run(ctx: &mut Ctx<'_>, name: &str, argv: &[String]) -> Option<i32> {
    Simulation.lookup(name).map(|p| p(ctx, argv))
}
