//! A small process harness for the simulation's unit tests: a stand-in image's
//! filesystem and config, a command line split on blanks (single quotes group),
//! `PATH` lookup of the stand-in executable and a run of the program it names,
//! with stdout, stderr and the status collected. Commands spawned by a program
//! (npm scripts, make recipes) are recorded, not run: the builtin shell is not
//! part of this module.

use super::Simulation;
use crate::shell::proc::{standin_name, Budget, Clock, Ctx, Input, Natives, Runner, Spawn, SpawnError};
use crate::vfs::Vfs;

/// The virtual clock tests start at: 2024-06-01T00:00:00Z plus one hour.
pub const T0: i64 = 1_717_203_600;

pub struct Proc {
    pub fs: Vfs,
    pub cwd: String,
    pub env: Vec<(String, String)>,
    pub uid: u32,
    pub gid: u32,
    pub clock: Clock,
    pub stdin: Vec<u8>,
    /// Commands the programs asked the runner to start.
    pub spawned: Vec<Vec<String>>,
}

#[derive(Debug)]
pub struct Outcome {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// Asserts the status and returns self (for chaining).
    #[track_caller]
    pub fn status(self, want: i32) -> Self {
        assert_eq!(self.status, want, "status\n--- stdout\n{}--- stderr\n{}", self.stdout, self.stderr);
        self
    }
    #[track_caller]
    pub fn ok(self) -> Self {
        self.status(0)
    }
    /// The first stderr line, which must be the simulation label.
    #[track_caller]
    pub fn labelled(self, start: &str) -> Self {
        let first = self.stderr.lines().next().unwrap_or("");
        assert!(first.starts_with(&format!("(simulated) {start}")), "label: {first:?}\n{}", self.stderr);
        self
    }
    /// Stderr without the label line.
    pub fn err_body(&self) -> String {
        self.stderr.lines().skip(1).map(|l| format!("{l}\n")).collect()
    }
}

struct Recorder<'a> {
    spawned: &'a mut Vec<Vec<String>>,
}

impl Runner for Recorder<'_> {
    fn run(&mut self, req: Spawn<'_>) -> Result<i32, SpawnError> {
        self.spawned.push(req.argv.to_vec());
        Ok(0)
    }
}

impl Proc {
    /// A process in a stand-in base image, as a RUN step of a stage `FROM image` starts.
    pub fn image(name: &str) -> Proc {
        let img = crate::bases::lookup(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let cwd = if img.config.working_dir.is_empty() { "/".to_string() } else { img.config.working_dir.clone() };
        let mut env = img.config.env.clone();
        if !env.iter().any(|(k, _)| k == "HOME") {
            env.push(("HOME".into(), "/root".into()));
        }
        Proc { fs: img.rootfs.clone(), cwd, env, uid: 0, gid: 0, clock: Clock { now: T0 }, stdin: Vec::new(), spawned: Vec::new() }
    }

    /// `WORKDIR dir` (created, as Docker does).
    pub fn workdir(&mut self, dir: &str) -> &mut Self {
        let d = crate::vfs::path::normalize(&crate::vfs::path::join(&self.cwd, dir));
        self.fs.mkdir_all(&d, 0o755).expect("workdir");
        self.cwd = d;
        self
    }

    /// `ENV k=v`.
    pub fn setenv(&mut self, k: &str, v: &str) -> &mut Self {
        self.env.retain(|(a, _)| a != k);
        self.env.push((k.into(), v.into()));
        self
    }

    /// A file as COPY would put it (parents created).
    pub fn put(&mut self, path: &str, content: &str) -> &mut Self {
        let abs = crate::vfs::path::join(&self.cwd, path);
        self.fs.mkdir_all(crate::vfs::path::parent(&abs), 0o755).expect("parents");
        self.fs.write(&abs, content.as_bytes().to_vec(), 0o644).expect("write");
        self
    }

    pub fn read(&self, path: &str) -> String {
        let abs = crate::vfs::path::join(&self.cwd, path);
        String::from_utf8_lossy(&self.fs.read(&abs).unwrap_or_else(|e| panic!("{path}: {e}"))).into_owned()
    }

    pub fn exists(&self, path: &str) -> bool {
        self.fs.lstat(&crate::vfs::path::join(&self.cwd, path)).is_ok()
    }

    /// Runs a command line: argv[0] through PATH, its stand-in's simulation.
    pub fn run(&mut self, line: &str) -> Outcome {
        let argv = split(line);
        self.run_argv(&argv)
    }

    pub fn run_argv(&mut self, argv: &[String]) -> Outcome {
        let mut stdout = Vec::new();
        let mut stderr = Vec::new();
        let mut stdin = Input::new(self.stdin.clone());
        let mut budget = Budget::new(50_000_000);
        let name = argv.first().cloned().unwrap_or_default();
        let program = {
            let probe = Ctx {
                fs: &mut self.fs,
                cwd: self.cwd.clone(),
                env: self.env.clone(),
                uid: self.uid,
                gid: self.gid,
                stdin: &mut stdin,
                stdout: &mut stdout,
                stderr: &mut stderr,
                runner: &mut Recorder { spawned: &mut Vec::new() },
                clock: &mut self.clock,
                budget: &mut budget,
            };
            super::support::which(&probe, &name).and_then(|p| probe.fs.read(&p).ok()).and_then(|d| standin_name(&d).map(str::to_string))
        };
        let Some(program) = program else {
            return Outcome { status: 127, stdout: String::new(), stderr: format!("/bin/sh: 1: {name}: not found\n") };
        };
        let Some(p) = Simulation::new().lookup(&program) else {
            return Outcome { status: 127, stdout: String::new(), stderr: format!("(test harness) {program}: not a simulated program\n") };
        };
        let mut runner = Recorder { spawned: &mut self.spawned };
        let mut ctx = Ctx {
            fs: &mut self.fs,
            cwd: self.cwd.clone(),
            env: self.env.clone(),
            uid: self.uid,
            gid: self.gid,
            stdin: &mut stdin,
            stdout: &mut stdout,
            stderr: &mut stderr,
            runner: &mut runner,
            clock: &mut self.clock,
            budget: &mut budget,
        };
        let status = p(&mut ctx, argv);
        Outcome { status, stdout: String::from_utf8_lossy(&stdout).into_owned(), stderr: String::from_utf8_lossy(&stderr).into_owned() }
    }
}

/// Splits a command line on blanks; single or double quotes group words.
pub fn split(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}
