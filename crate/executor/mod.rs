//! The seam for RUN commands the builtin shell lacks: the [`host`] executor
//! contract with one implementation natively, [`bwrap`] (RUN for real in
//! bubblewrap: `dfplay build --executor bwrap`), and [`Simulation`] — the clearly labelled simulation of the
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
//!
//! The simulations are the cargo feature `full` (on by default). The page's
//! first engine is built without it, to load fast: there [`Simulation`] runs none of
//! them but notes the first program it was asked for and stops the shell, and the
//! caller reports [`NEEDS_SIMULATIONS`] so the page loads the engine with the
//! simulations and repeats the call (builds are deterministic, so the repeat gives what
//! one engine would have given).

pub mod host;
#[cfg(all(target_os = "linux", not(target_arch = "wasm32")))]
pub mod bwrap;
/// Items of the full engine only (cargo feature `full`).
macro_rules! full_only {
    ($($item:item)*) => { $(#[cfg(feature = "full")] $item)* };
}

full_only! {
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
}

#[cfg(all(test, feature = "full"))]
mod testkit;
#[cfg(all(test, feature = "full"))]
mod tests;

pub use host::{ExecError, ExecErrorKind, ExecRequest, ExecResult, HostExecutor};

use crate::shell::proc::{Ctx, Natives, Program};

/// The page's error kind for a call that reached a simulated program in an engine
/// built without the simulations.
pub const NEEDS_SIMULATIONS: &str = "needs-simulations";

/// The labelled toolchain simulation, as the shell's [`Natives`]. Without the
/// `simulations` feature it runs none, and [`Simulation::deferred`] names the first
/// program a run asked for (see the module doc).
#[derive(Debug, Default)]
pub struct Simulation {
    deferred: std::cell::RefCell<Option<String>>,
}

impl Simulation {
    pub fn new() -> Self {
        Simulation::default()
    }

    /// The simulated program a run needed and this engine lacks (always `None` when
    /// built with the simulations).
    pub fn deferred(&self) -> Option<String> {
        self.deferred.borrow().clone()
    }
}

#[cfg(not(feature = "full"))]
impl Natives for Simulation {
    fn lookup(&self, name: &str) -> Option<Program> {
        // Only dfplay's own stand-ins reach here; the engine with the simulations
        // answers for every one of them (those it cannot run say so).
        self.deferred.borrow_mut().get_or_insert_with(|| name.to_string());
        Some(deferred)
    }
}

/// Stops the whole shell run: its result is thrown away and the call repeated.
#[cfg(not(feature = "full"))]
fn deferred(ctx: &mut Ctx<'_>, _argv: &[String]) -> i32 {
    ctx.budget.exhausted = true;
    ctx.budget.steps_left = 0;
    127
}

/// Declares the simulations: [`SIMULATED`], their names, in both builds; the table of
/// programs behind them in the full engine only.
macro_rules! simulations {
    ($($name:literal => $program:path),* $(,)?) => {
        /// The stand-in names the simulations answer to, in the order of the table. The
        /// lean engine, which has none of the programs, names them too (see
        /// [`full_engine_names`]).
        pub const SIMULATED: &[&str] = &[$($name),*];

        /// Every simulated program by the stand-in name it answers to.
        #[cfg(feature = "full")]
        const PROGRAMS: &[(&str, Program)] = &[$(($name, $program)),*];
    };
}

simulations! {
    "go" => go::go,
    "gofmt" => go::gofmt,
    "go-program" => go::go_program,
    "mvn" => maven::mvn,
    "java" => java::java,
    "javac" => java::javac,
    "jar" => java::jar,
    "jshell" => java::jshell,
    "javadoc" => java::javadoc,
    "jlink" => java::jlink,
    "npm" => npm::npm,
    "npx" => npm::npx,
    "yarn" => npm::yarn,
    "yarnpkg" => npm::yarn,
    "node" => node::node,
    "nodejs" => node::node,
    "apt-get" => apt::apt_get,
    "apt" => apt::apt,
    "apt-cache" => apt::apt_cache,
    "dpkg" => apt::dpkg,
    "dpkg-query" => apt::dpkg,
    "dpkg-deb" => apt::dpkg_deb,
    "apt-mark" => apt::apt_mark,
    "apt-config" => apt::apt_config,
    "debconf-set-selections" => apt::debconf_set_selections,
    "update-alternatives" => apt::update_alternatives,
    "apk" => apk::apk,
    "pip" => python::pip,
    "pip3" => python::pip,
    "python3" => python::python,
    "python" => python::python,
    "httpd" => servers::httpd,
    "apachectl" => servers::apachectl,
    "apache2ctl" => servers::apachectl,
    "apache2" => servers::apache2,
    "nginx" => servers::nginx,
    "git" => git::git,
    "gcc" => cc::gcc,
    "cc" => cc::gcc,
    "g++" => cc::gcc,
    "c++" => cc::gcc,
    "clang" => cc::gcc,
    "make" => cc::make,
    "c-program" => cc::c_program,
    "python-console-script" => python::console_script,
}

/// The program names only the full engine answers: the second group of the shell's
/// programs ([`crate::shell::programs::FULL_ONLY`]) and the simulations ([`SIMULATED`]),
/// without repeats. Both builds compile the names (not the programs), so the lean engine
/// reports them and the page can load the full engine as soon as a Dockerfile names one.
/// The package catalogue's tools (`vim`, `jq`, …) are not among them: only a simulated
/// package manager writes those stand-ins, and the package managers are.
pub fn full_engine_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::with_capacity(crate::shell::programs::FULL_ONLY.len() + SIMULATED.len());
    for n in crate::shell::programs::FULL_ONLY.iter().chain(SIMULATED) {
        if !names.contains(n) {
            names.push(n);
        }
    }
    names
}

#[cfg(feature = "full")]
impl Simulation {
    /// The names of every simulated program (the catalogue's installed tools included).
    pub fn names() -> impl Iterator<Item = &'static str> {
        PROGRAMS.iter().map(|(n, _)| *n).chain(packages::tool_names())
    }
}

#[cfg(feature = "full")]
impl Natives for Simulation {
    fn lookup(&self, name: &str) -> Option<Program> {
        PROGRAMS.iter().find(|(n, _)| *n == name).map(|(_, p)| *p).or_else(|| packages::is_tool(name).then_some(packages::installed_tool as Program))
    }
}

/// Runs a simulated program directly (for callers that resolved the name themselves).
#[cfg(feature = "full")]
pub fn run(ctx: &mut Ctx<'_>, name: &str, argv: &[String]) -> Option<i32> {
    Simulation::new().lookup(name).map(|p| p(ctx, argv))
}

/// The lean engine (no feature `full`): `cargo test --lib --no-default-features lean`.
#[cfg(all(test, not(feature = "full")))]
mod lean_tests {
    use super::NEEDS_SIMULATIONS;
    use crate::build::progress::Event;
    use crate::build::context::BuildContext;
    use crate::build::{BuildOptions, Engine, Host};

    struct Quiet;
    impl Host for Quiet {
        fn now(&self) -> f64 {
            0.0
        }
        fn event(&mut self, _e: &Event) {}
    }

    fn build(engine: &mut Engine, dockerfile: &str) -> Result<String, String> {
        let mut ctx = BuildContext::new("Dockerfile", dockerfile);
        ctx.add_file("Dockerfile", dockerfile.as_bytes().to_vec(), 0o644, 0).unwrap();
        ctx.add_file("main.go", b"package main\nfunc main() {}\n".to_vec(), 0o644, 0).unwrap();
        engine.build(&ctx, &BuildOptions::default(), &mut Quiet).map(|b| b.image.id.clone()).map_err(|f| f.message.clone())
    }

    #[test]
    fn lean_defers_simulated_and_full_only_programs() {
        // what the lean engine has: the shell, echo, cat, ls, mkdir, …
        let mut e = Engine::default();
        assert!(build(&mut e, "FROM alpine\nRUN echo hi > /x && cat /x && ls / >/dev/null\n").is_ok());
        assert_eq!(e.deferred, None);
        // a toolchain simulation, even behind `|| true`: the run stops, the call is deferred
        let mut e = Engine::default();
        let err = build(&mut e, "FROM diamol/golang\nCOPY main.go .\nRUN go build -o /server || true\nRUN echo after\n").unwrap_err();
        assert_eq!(e.deferred.as_deref(), Some("go"));
        assert!(err.contains(NEEDS_SIMULATIONS), "{err}");
        // a shell program of the full engine only
        let mut e = Engine::default();
        assert!(build(&mut e, "FROM alpine\nRUN echo a | sed s/a/b/\n").is_err());
        assert_eq!(e.deferred.as_deref(), Some("sed"));
    }
}

/// [`full_engine_names`] is exactly what the full engine adds to the lean one, over the
/// program tables: the lean engine defers a reported name and runs the others; the full
/// engine runs every name. `cargo test --lib full_engine_names` (the full engine) and
/// `cargo test --lib --no-default-features full_engine_names` (the lean one).
#[cfg(test)]
mod full_engine_names_tests {
    use super::{full_engine_names, SIMULATED};
    use crate::build::context::BuildContext;
    use crate::build::progress::Event;
    use crate::build::{BuildOptions, Engine, Host};

    /// Collects the output lines of the RUN steps.
    #[derive(Default)]
    struct Output(String);
    impl Host for Output {
        fn now(&self) -> f64 {
            0.0
        }
        fn event(&mut self, e: &Event) {
            if let Event::Log { line, .. } = e {
                self.0.push_str(line);
                self.0.push('\n');
            }
        }
    }

    /// Builds a stand-in executable called `name` and runs it by its path: what the
    /// engine deferred to the full engine, whether the build passed, and the output.
    fn run_standin(name: &str) -> (Option<String>, Result<(), String>, String) {
        let dockerfile = format!("FROM alpine\nCOPY standin /usr/local/bin/{name}\nRUN /usr/local/bin/{name} --version </dev/null 2>&1 | head -n 5; echo done\n");
        let mut ctx = BuildContext::new("Dockerfile", dockerfile.as_str());
        ctx.add_file("Dockerfile", dockerfile.as_bytes().to_vec(), 0o644, 0).unwrap();
        ctx.add_file("standin", crate::shell::proc::standin_executable(name, "a stand-in of the test"), 0o755, 0).unwrap();
        let mut engine = Engine::default();
        let mut out = Output::default();
        let result = engine.build(&ctx, &BuildOptions::default(), &mut out).map(|_| ()).map_err(|f| f.message.clone());
        (engine.deferred.clone(), result, out.0)
    }

    fn tables() -> impl Iterator<Item = &'static str> {
        crate::shell::programs::NAMES.iter().chain(SIMULATED).copied()
    }

    #[cfg(not(feature = "full"))]
    #[test]
    fn lean_defers_exactly_the_reported_names() {
        let mut reported = full_engine_names();
        let mut deferred = Vec::new();
        for name in tables() {
            let (tool, result, output) = run_standin(name);
            match tool {
                Some(tool) => {
                    assert_eq!(tool, name);
                    assert!(result.is_err_and(|m| m.contains(super::NEEDS_SIMULATIONS)), "{name}");
                    deferred.push(name);
                }
                None => assert!(result.is_ok() && output.ends_with("done\n"), "{name}: {result:?}\n{output}"),
            }
        }
        reported.sort_unstable();
        deferred.sort_unstable();
        deferred.dedup();
        assert_eq!(deferred, reported);
    }

    #[cfg(feature = "full")]
    #[test]
    fn full_engine_names_run_on_the_full_engine() {
        let reported = full_engine_names();
        assert!(reported.contains(&"sed") && reported.contains(&"go") && !reported.contains(&"cat"), "{reported:?}");
        for name in tables() {
            let (tool, result, output) = run_standin(name);
            assert_eq!(tool, None, "{name}");
            assert!(result.is_ok() && output.ends_with("done\n"), "{name}: {result:?}\n{output}");
            assert!(!output.contains("is not a program the playground provides"), "{name}: {output}");
        }
    }
}
