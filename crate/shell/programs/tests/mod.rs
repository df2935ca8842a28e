//! Unit tests of the programs: each runs on a real [`Vfs`] with `Vec<u8>` sinks
//! and a runner that starts other programs of this module (as `xargs`,
//! `find -exec` and `env CMD` need).

use super::lookup;
use crate::shell::proc::{Budget, Clock, Ctx, Input, Runner, Sink, Spawn, SpawnError, WriteError};
use crate::vfs::Vfs;

/// A finished run: status, stdout, stderr.
#[derive(Debug)]
pub struct Done {
    pub status: i32,
    pub out: String,
    pub err: String,
}

/// A playground for one test: a filesystem, a working directory, an environment.
pub struct World {
    pub fs: Vfs,
    pub cwd: String,
    pub env: Vec<(String, String)>,
    pub clock: Clock,
    pub budget: Budget,
    pub uid: u32,
    pub gid: u32,
}

impl World {
    pub fn new() -> Self {
        let mut fs = Vfs::new();
        fs.now = 1_700_000_000;
        for d in ["/etc", "/tmp", "/root", "/home", "/bin", "/usr/bin"] {
            fs.mkdir_all(d, 0o755).unwrap();
        }
        fs.write("/etc/passwd", b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n".to_vec(), 0o644).unwrap();
        fs.write("/etc/group", b"root:x:0:\nadm:x:4:root\nnogroup:x:65534:\n".to_vec(), 0o644).unwrap();
        for name in super::NAMES {
            if !name.contains('/') && *name != "[" {
                let path = format!("/bin/{name}");
                fs.write(&path, crate::shell::proc::standin_executable(name, "test"), 0o755).unwrap();
            }
        }
        World {
            fs,
            cwd: "/".into(),
            env: vec![("PATH".into(), "/usr/bin:/bin".into()), ("HOME".into(), "/root".into())],
            clock: Clock { now: 1_700_000_000 },
            budget: Budget::new(10_000_000),
            uid: 0,
            gid: 0,
        }
    }

    pub fn file(&mut self, path: &str, data: &str) -> &mut Self {
        let parent = crate::vfs::path::parent(path).to_string();
        self.fs.mkdir_all(&parent, 0o755).unwrap();
        self.fs.write(path, data.as_bytes().to_vec(), 0o644).unwrap();
        self
    }

    pub fn read(&self, path: &str) -> String {
        String::from_utf8_lossy(&self.fs.read(path).unwrap()).into_owned()
    }

    /// Runs `cmd` (split on spaces) with empty stdin.
    pub fn sh(&mut self, cmd: &str) -> Done {
        let argv: Vec<String> = cmd.split(' ').filter(|s| !s.is_empty()).map(str::to_string).collect();
        self.run(&argv, b"")
    }

    pub fn run_args(&mut self, argv: &[&str], stdin: &str) -> Done {
        let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
        self.run(&argv, stdin.as_bytes())
    }

    pub fn run(&mut self, argv: &[String], stdin: &[u8]) -> Done {
        let prog = lookup(&argv[0]).unwrap_or_else(|| panic!("no program {}", argv[0]));
        let mut input = Input::new(stdin.to_vec());
        let mut out: Vec<u8> = Vec::new();
        let mut err: Vec<u8> = Vec::new();
        let mut runner = WorldRunner;
        let status = {
            let mut ctx = Ctx {
                fs: &mut self.fs,
                cwd: self.cwd.clone(),
                env: self.env.clone(),
                uid: self.uid,
                gid: self.gid,
                stdin: &mut input,
                stdout: &mut out,
                stderr: &mut err,
                runner: &mut runner,
                clock: &mut self.clock,
                budget: &mut self.budget,
            };
            prog(&mut ctx, argv)
        };
        Done { status, out: String::from_utf8_lossy(&out).into_owned(), err: String::from_utf8_lossy(&err).into_owned() }
    }
}

/// The runner tests use: runs programs of this module by the basename of
/// argv[0] on the filesystem the caller lends (as the shell's runner does).
pub struct WorldRunner;

impl Runner for WorldRunner {
    fn run(&mut self, req: Spawn<'_>) -> Result<i32, SpawnError> {
        let name = req.argv[0].rsplit('/').next().unwrap_or("").to_string();
        let Some(p) = lookup(&name) else {
            return Err(SpawnError::NotFound);
        };
        let mut runner = WorldRunner;
        let mut ctx = Ctx {
            fs: req.fs,
            cwd: req.cwd.to_string(),
            env: req.env.to_vec(),
            uid: 0,
            gid: 0,
            stdin: req.stdin,
            stdout: req.stdout,
            stderr: req.stderr,
            runner: &mut runner,
            clock: req.clock,
            budget: req.budget,
        };
        Ok(p(&mut ctx, req.argv))
    }
}

/// A sink that accepts `room` bytes, then reports a broken pipe.
pub struct Capped {
    pub data: Vec<u8>,
    pub room: usize,
    pub error: WriteError,
}

impl Sink for Capped {
    fn write(&mut self, data: &[u8]) -> Result<(), WriteError> {
        if self.data.len() + data.len() > self.room {
            return Err(self.error);
        }
        self.data.extend_from_slice(data);
        Ok(())
    }
}

mod basic;
mod diff;
mod files;
mod textproc;
mod grep;
mod sed;
mod info;
mod findx;
mod archive;
mod accounts;
mod misc;
mod robust;
