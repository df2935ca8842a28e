//! A host executor that runs RUN steps for real with bubblewrap (`bwrap`), natively
//! on Linux: the stage's filesystem is written to a scratch directory, the
//! command runs there as the root of new mount, PID, IPC and UTS namespaces (and a
//! network namespace for `--network=none`), and the directory is read back as the
//! step's filesystem — the layer is the diff, as for the builtin shell.
//!
//! What it needs: real programs in the image. The builtin stand-in bases hold
//! stand-in files, not Linux executables, so a RUN whose program is one is refused
//! with a message saying so (build `FROM scratch` with real binaries, or `FROM` an
//! image loaded with `dfplay load`). Unchanged files are not read back: a file whose
//! size, mode and mtime are what was written keeps its node, so the diff (and the
//! layer) holds only what the command changed, as overlayfs would.
//!
//! Limits: a time limit per step (the process group is killed past it), the stage's
//! byte and file limits (the scratch directory is measured while the step runs, and
//! the step is stopped once it holds more, so a runaway write does not fill the
//! host's disk), a cap on the output kept, and the scratch directory is removed
//! whatever happens.
//! Approximations: a step with a non-root USER runs with that uid/gid mapped in a
//! user namespace; device nodes, FIFOs and sockets the command leaves are not kept;
//! hard links read back as separate files.

use super::host::{ExecError, ExecErrorKind, ExecRequest, ExecResult, HostExecutor};
use crate::shell::io::{Chunk, Stream};
use crate::shell::proc::STANDIN_MAGIC;
use crate::vfs::{path, Meta, Node, Vfs};
use std::fs;
use std::io::Read;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Runs RUN steps in bubblewrap.
#[derive(Clone, Debug)]
pub struct Bwrap {
    /// The `bwrap` program.
    pub program: PathBuf,
    /// Where scratch directories are made.
    pub scratch: PathBuf,
    /// Longest a step may run.
    pub timeout: Duration,
    /// Bytes of output kept per step (the rest is read and dropped).
    pub max_output: usize,
}

impl Default for Bwrap {
    fn default() -> Self {
        Bwrap { program: PathBuf::from("bwrap"), scratch: std::env::temp_dir(), timeout: Duration::from_secs(600), max_output: 16 << 20 }
    }
}

impl Bwrap {
    /// Whether `bwrap` can start a sandbox here (installed, namespaces allowed).
    pub fn available(&self) -> Result<(), String> {
        let out = Command::new(&self.program)
            .args(["--ro-bind", "/", "/", "--unshare-pid", "--die-with-parent", "--", "/bin/true"])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {}: {e} (install bubblewrap)", self.program.display()))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("{} cannot make a sandbox here: {}", self.program.display(), String::from_utf8_lossy(&out.stderr).trim()))
        }
    }
}

fn err(kind: ExecErrorKind, message: impl Into<String>) -> ExecError {
    ExecError { kind, message: message.into() }
}

impl HostExecutor for Bwrap {
    fn run(&mut self, req: &ExecRequest) -> Result<ExecResult, ExecError> {
        check_program(req)?;
        let scratch = Scratch::new(&self.scratch).map_err(|e| err(ExecErrorKind::Unavailable, format!("cannot make a scratch directory in {}: {e}", self.scratch.display())))?;
        let root = scratch.0.join("rootfs");
        crate::image::export::write_rootfs_dir(&req.rootfs, &root).map_err(|e| err(ExecErrorKind::Limit, e.to_string()))?;
        let as_root = is_root();
        if as_root {
            chown_tree(&req.rootfs, &root);
        }
        let (status, output) = self.spawn(req, &root, as_root)?;
        let rootfs = read_back(&root, req, as_root).map_err(|e| err(ExecErrorKind::Limit, e))?;
        Ok(ExecResult { status, output, rootfs })
    }
}

impl Bwrap {
    fn spawn(&self, req: &ExecRequest, root: &Path, as_root: bool) -> Result<(i32, Vec<Chunk>), ExecError> {
        let mut cmd = Command::new(&self.program);
        cmd.arg("--bind").arg(root).arg("/");
        cmd.args(["--proc", "/proc", "--dev", "/dev", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]);
        cmd.args(["--die-with-parent", "--new-session", "--hostname", &req.hostname]);
        if !req.network {
            cmd.arg("--unshare-net");
        }
        if req.uid != 0 || !as_root {
            cmd.args(["--unshare-user", "--uid", &req.uid.to_string(), "--gid", &req.gid.to_string()]);
        }
        cmd.arg("--chdir").arg(&req.cwd).arg("--clearenv");
        for (k, v) in &req.env {
            cmd.arg("--setenv").arg(k).arg(v);
        }
        cmd.arg("--").args(&req.argv);
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| err(ExecErrorKind::Unavailable, format!("cannot run {}: {e}", self.program.display())))?;
        let chunks: Arc<Mutex<(Vec<Chunk>, usize)>> = Arc::default();
        let readers: Vec<_> = [(child.stdout.take().map(|s| Box::new(s) as Box<dyn Read + Send>), Stream::Stdout), (child.stderr.take().map(|s| Box::new(s) as Box<dyn Read + Send>), Stream::Stderr)]
            .into_iter()
            .filter_map(|(r, stream)| r.map(|r| (r, stream)))
            .map(|(mut r, stream)| {
                let chunks = chunks.clone();
                let max = self.max_output;
                std::thread::spawn(move || {
                    let mut buf = vec![0u8; 64 * 1024];
                    while let Ok(n) = r.read(&mut buf) {
                        if n == 0 {
                            break;
                        }
                        if let Ok(mut c) = chunks.lock() {
                            let keep = n.min(max.saturating_sub(c.1));
                            c.1 += keep;
                            if keep > 0 {
                                c.0.push(Chunk { stream, data: buf[..keep].to_vec() });
                            }
                        }
                    }
                })
            })
            .collect();
        let started = Instant::now();
        let limits = req.rootfs.limits();
        let mut next_disk_check = started + DISK_CHECK_EVERY;
        let stop = |child: &mut std::process::Child, e: ExecError| {
            let _ = child.kill();
            let _ = child.wait();
            Err(e)
        };
        let status = loop {
            match child.try_wait() {
                Ok(Some(s)) => break s,
                Ok(None) if started.elapsed() > self.timeout => {
                    return stop(&mut child, err(ExecErrorKind::Timeout, format!("the step ran past {} s and was stopped", self.timeout.as_secs())));
                }
                Ok(None) if Instant::now() >= next_disk_check => {
                    // the scratch directory is on the host's disk: a command that writes
                    // without end is stopped near the stage's limits, not at a full disk
                    let walk = Instant::now();
                    if let Some(over) = over_limits(root, limits.max_bytes, limits.max_nodes) {
                        return stop(&mut child, err(ExecErrorKind::Limit, over));
                    }
                    // a large tree is walked less often: at most a tenth of the time goes to it
                    next_disk_check = Instant::now() + DISK_CHECK_EVERY.max(walk.elapsed() * 10);
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(2)),
                Err(e) => return Err(err(ExecErrorKind::Protocol, format!("cannot wait for the step: {e}"))),
            }
        };
        for r in readers {
            let _ = r.join();
        }
        let output = std::mem::take(&mut chunks.lock().map_err(|_| err(ExecErrorKind::Protocol, "output lost"))?.0);
        use std::os::unix::process::ExitStatusExt;
        let code = status.code().unwrap_or_else(|| 128 + status.signal().unwrap_or(0));
        Ok((code, output))
    }
}

/// How often a running step's scratch directory is measured (less often when one
/// walk of it takes more than a tenth of this).
const DISK_CHECK_EVERY: Duration = Duration::from_millis(200);

/// What the playground says of a step that left (or is writing) more than a stage keeps.
fn too_much(max_bytes: u64, max_nodes: u64, at: &str) -> String {
    format!("the step left more than the playground keeps ({} MiB or {} files; at {at})", max_bytes >> 20, max_nodes)
}

/// Whether the tree at `root` takes more disk (allocated blocks, so a sparse file
/// counts for what it really uses) or more entries than the limits; the walk stops
/// at the first excess.
fn over_limits(root: &Path, max_bytes: u64, max_nodes: u64) -> Option<String> {
    let (mut bytes, mut nodes) = (0u64, 0u64);
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = fs::read_dir(&dir) else { continue };
        for e in rd.filter_map(Result::ok) {
            let Ok(md) = e.metadata() else { continue };
            nodes += 1;
            bytes += md.blocks() * 512;
            if bytes > max_bytes || nodes > max_nodes {
                let at = e.path().strip_prefix(root).map(|p| format!("/{}", p.display())).unwrap_or_default();
                return Some(too_much(max_bytes, max_nodes, &at));
            }
            if md.is_dir() {
                stack.push(e.path());
            }
        }
    }
    None
}

/// Refuses a step whose program is a builtin stand-in (not a Linux executable).
fn check_program(req: &ExecRequest) -> Result<(), ExecError> {
    let Some(prog) = req.argv.first() else { return Err(err(ExecErrorKind::Refused, "empty command")) };
    let candidates: Vec<String> = if prog.contains('/') {
        vec![path::normalize(&path::join(&req.cwd, prog))]
    } else {
        let search = req.env.iter().find(|(k, _)| k == "PATH").map(|(_, v)| v.as_str()).unwrap_or(crate::bases::DEFAULT_PATH);
        search.split(':').map(|d| path::join(if d.is_empty() { "." } else { d }, prog)).collect()
    };
    for c in candidates {
        if let Ok(data) = req.rootfs.read(&c) {
            if data.starts_with(STANDIN_MAGIC) {
                return Err(err(
                    ExecErrorKind::Refused,
                    format!("{c} is a stand-in of the playground's base image, not a program the host can run: build FROM scratch with real binaries or FROM an image loaded with `dfplay load`"),
                ));
            }
            return Ok(());
        }
    }
    Ok(()) // not found: the command fails in the sandbox as it would in Docker
}

/// Whether this process runs as root: `/proc/self` belongs to the effective uid.
fn is_root() -> bool {
    fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false)
}

/// Gives every written path the owner it has in the vfs (only root can), then its mode
/// again: a chown clears the setuid and setgid bits.
fn chown_tree(vfs: &Vfs, root: &Path) {
    if let Ok(all) = vfs.walk("/") {
        for (p, n) in all {
            let m = n.meta();
            let host = root.join(p.trim_start_matches('/'));
            let _ = std::os::unix::fs::lchown(&host, Some(m.uid), Some(m.gid));
            if !matches!(n, Node::Symlink(_)) && m.mode & 0o6000 != 0 {
                let _ = fs::set_permissions(&host, fs::Permissions::from_mode(m.mode & 0o7777));
            }
        }
    }
}

/// Mount points the sandbox makes in the root; not part of the step's change.
const MOUNT_STUBS: [&str; 2] = ["/proc", "/dev"];

/// The directory as a vfs: unchanged files keep their nodes from `req.rootfs`.
fn read_back(root: &Path, req: &ExecRequest, as_root: bool) -> Result<Vfs, String> {
    let mut out = Vfs::new().with_limits(req.rootfs.limits());
    out.now = req.rootfs.now;
    let owner = |old: Option<&Node>, md: &fs::Metadata| -> (u32, u32) {
        if as_root {
            (md.uid(), md.gid())
        } else {
            old.map(|n| (n.meta().uid, n.meta().gid)).unwrap_or((req.uid, req.gid))
        }
    };
    // checked before a file is read: a command that wrote 10 GB must not be read into memory
    let limits = req.rootfs.limits();
    let (mut bytes, mut nodes) = (0u64, 0u64);
    // directories get their times last: inserting their entries touches them
    let mut dir_times: Vec<(String, i64)> = Vec::new();
    let mut stack: Vec<(PathBuf, String)> = vec![(root.to_path_buf(), "/".to_string())];
    while let Some((host, at)) = stack.pop() {
        let mut entries: Vec<_> = fs::read_dir(&host).map_err(|e| format!("cannot read {}: {e}", host.display()))?.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            let p = path::join(&at, &name);
            let hp = e.path();
            let md = fs::symlink_metadata(&hp).map_err(|er| format!("cannot stat {}: {er}", hp.display()))?;
            let old = req.rootfs.get(&p, false).ok();
            if MOUNT_STUBS.contains(&p.as_str()) {
                if let Some(n) = old {
                    out.insert(&p, n).map_err(|e| e.to_string())?;
                }
                continue;
            }
            nodes += 1;
            bytes += if md.file_type().is_file() { md.len() } else { 0 };
            if bytes > limits.max_bytes || nodes > limits.max_nodes {
                return Err(too_much(limits.max_bytes, limits.max_nodes, &p));
            }
            let (uid, gid) = owner(old.as_ref(), &md);
            let meta = Meta { mode: md.permissions().mode() & 0o7777, uid, gid, mtime: md.mtime() };
            let ft = md.file_type();
            let node = if ft.is_dir() {
                stack.push((hp.clone(), p.clone()));
                dir_times.push((p.clone(), meta.mtime));
                Node::new_dir(meta)
            } else if ft.is_symlink() {
                let target = fs::read_link(&hp).map_err(|er| format!("cannot read link {}: {er}", hp.display()))?.to_string_lossy().into_owned();
                match &old {
                    Some(Node::Symlink(s)) if s.target == target && s.meta.uid == uid && s.meta.gid == gid => old.clone().expect("old"),
                    _ => Node::new_symlink(meta, target),
                }
            } else if ft.is_file() {
                match &old {
                    Some(Node::File(f)) if f.data.len() as u64 == md.len() && f.meta == meta => old.clone().expect("old"),
                    _ => Node::new_file(meta, fs::read(&hp).map_err(|er| format!("cannot read {}: {er}", hp.display()))?),
                }
            } else {
                continue; // devices, FIFOs, sockets
            };
            out.insert(&p, node).map_err(|e| format!("{p}: {e}"))?;
        }
    }
    if let Ok(md) = fs::metadata(root) {
        let old = req.rootfs.lstat("/").map(|s| s.meta).unwrap_or_default();
        let _ = out.set_meta("/", Meta { mode: md.permissions().mode() & 0o7777, mtime: md.mtime(), ..old });
    }
    for (p, mtime) in dir_times {
        let _ = out.set_mtime(&p, mtime, false);
    }
    Ok(out)
}

/// A scratch directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(base: &Path) -> std::io::Result<Scratch> {
        static N: AtomicU64 = AtomicU64::new(0);
        let dir = base.join(format!("dfplay-run-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
        // a new directory, never one that was there already (nor a symlink in its place)
        fs::DirBuilder::new().mode(0o700).create(&dir)?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_limits_counts_disk_blocks_and_entries() {
        let root = std::env::temp_dir().join(format!("dfplay-over-limits-{}", std::process::id()));
        fs::create_dir_all(root.join("d")).unwrap();
        for i in 0..4 {
            fs::write(root.join(format!("d/f{i}")), b"x").unwrap();
        }
        fs::write(root.join("big"), vec![1u8; 64 * 1024]).unwrap();
        // a sparse file counts for the blocks it uses, not its length
        fs::File::create(root.join("sparse")).unwrap().set_len(1 << 30).unwrap();
        assert_eq!(over_limits(&root, 1 << 20, 100), None);
        let m = over_limits(&root, 1 << 20, 3).expect("too many entries");
        assert!(m.starts_with("the step left more than the playground keeps (1 MiB or 3 files; at /"), "{m}");
        let m = over_limits(&root, 16 * 1024, 100).expect("too many bytes");
        assert!(m.ends_with("at /big)"), "{m}");
        fs::remove_dir_all(&root).unwrap();
    }
}
