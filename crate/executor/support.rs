//! What every simulated tool shares: the `(simulated)` label line, output that
//! stops on a broken pipe or a playground limit, file writes that create parents
//! and carry the process's owner and the virtual clock's time, the no-network
//! note, versions read from the image, and small argv helpers.
//!
//! Invariant: nothing here knows a particular tool; a write error becomes an exit
//! status, never a panic.

pub use crate::civil::civil;
use crate::shell::proc::{Ctx, WriteError};
use crate::vfs::{path, FsError, FsErrorKind, Node};

/// The umask of a build step (Docker's default).
pub const UMASK: u32 = 0o022;

/// Why a program stopped early: its exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stop(pub i32);

impl From<WriteError> for Stop {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::BrokenPipe => Stop(141),
            WriteError::Limit => Stop(1),
        }
    }
}

/// A program's result: its exit status, or an early stop.
pub type Res = Result<i32, Stop>;

/// Runs a tool body, turning an early stop into its status. Also puts the
/// filesystem's clock on the virtual clock, so new files get the step's time.
pub fn entry(ctx: &mut Ctx<'_>, argv: &[String], body: fn(&mut Ctx<'_>, &[String]) -> Res) -> i32 {
    ctx.fs.now = ctx.clock.now;
    if !ctx.budget.charge(10) {
        return 1;
    }
    match body(ctx, argv) {
        Ok(s) | Err(Stop(s)) => s,
    }
}

/// The name a program was called as, without its directory.
pub fn prog_name(argv: &[String]) -> &str {
    argv.first().map(|a| path::basename(a)).filter(|s| !s.is_empty()).unwrap_or("?")
}

/// The command line as a learner would type it: the program's base name and its
/// arguments, quoted where a shell would need quotes.
pub fn command_line(argv: &[String]) -> String {
    let mut s = prog_name(argv).to_string();
    for a in argv.iter().skip(1) {
        s.push(' ');
        s.push_str(&shell_quote(a));
    }
    s
}

fn shell_quote(a: &str) -> String {
    let plain = !a.is_empty() && a.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./=:,+@%^".contains(&b));
    if plain {
        a.to_string()
    } else {
        format!("'{}'", a.replace('\'', "'\\''"))
    }
}

/// Writes the `(simulated)` label line on stderr: `(simulated) go build -o /server: why`.
pub fn label(ctx: &mut Ctx<'_>, argv: &[String], why: &str) {
    let line = format!("(simulated) {}: {why}\n", command_line(argv));
    ctx.err(&line);
}

/// Writes text to stdout.
pub fn out(ctx: &mut Ctx<'_>, s: &str) -> Result<(), Stop> {
    if !ctx.budget.charge(1 + s.len() as u64 / 256) {
        return Err(Stop(1));
    }
    ctx.out(s.as_bytes()).map_err(Stop::from)
}

/// Writes a line (a newline is added) to stdout.
pub fn outln(ctx: &mut Ctx<'_>, s: &str) -> Result<(), Stop> {
    let mut line = String::with_capacity(s.len() + 1);
    line.push_str(s);
    line.push('\n');
    out(ctx, &line)
}

/// Writes a line (a newline is added) to stderr.
pub fn errln(ctx: &mut Ctx<'_>, s: &str) {
    let mut line = String::with_capacity(s.len() + 1);
    line.push_str(s);
    line.push('\n');
    ctx.err(&line);
}

/// The one line that says why a network operation failed in the playground.
pub fn no_network_note(ctx: &mut Ctx<'_>) {
    errln(ctx, "(dfplay) the playground has no network: nothing can be downloaded during a build here; a host executor can run this step for real");
}

/// Charges the budget for work proportional to `bytes`; an exhausted budget stops the program.
pub fn charge_bytes(ctx: &mut Ctx<'_>, bytes: usize) -> Result<(), Stop> {
    if ctx.budget.charge(1 + bytes as u64 / 1024) {
        Ok(())
    } else {
        Err(Stop(1))
    }
}

/// Reads a file as text (lossy UTF-8), or the error.
pub fn read_text(ctx: &Ctx<'_>, p: &str) -> Result<String, FsError> {
    let abs = ctx.abs(p);
    let data = ctx.fs.read(&abs)?;
    Ok(String::from_utf8_lossy(&data).into_owned())
}

/// Reads a file's bytes, or the error.
pub fn read_bytes(ctx: &Ctx<'_>, p: &str) -> Result<std::sync::Arc<Vec<u8>>, FsError> {
    let abs = ctx.abs(p);
    ctx.fs.read(&abs)
}

pub fn is_file(ctx: &Ctx<'_>, p: &str) -> bool {
    ctx.fs.stat(&ctx.abs(p)).map(|s| s.is_file()).unwrap_or(false)
}

pub fn is_dir(ctx: &Ctx<'_>, p: &str) -> bool {
    ctx.fs.stat(&ctx.abs(p)).map(|s| s.is_dir()).unwrap_or(false)
}

/// `mkdir -p` with the process's owner on what it creates.
pub fn mkdir_p(ctx: &mut Ctx<'_>, p: &str) -> Result<(), FsError> {
    let abs = path::normalize(&ctx.abs(p));
    let mut cur = String::from("/");
    for c in path::components(&abs) {
        cur = path::join(&cur, c);
        match ctx.fs.stat(&cur) {
            Ok(st) if st.is_dir() => {}
            Ok(_) => return Err(FsError::new(FsErrorKind::NotADirectory, &cur)),
            Err(e) if e.kind == FsErrorKind::NotFound => {
                ctx.fs.mkdir(&cur, 0o777 & !UMASK)?;
                let _ = ctx.fs.chown(&cur, ctx.uid, ctx.gid, false);
                let _ = ctx.fs.set_mtime(&cur, ctx.clock.now, false);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Writes a whole file (creating its parents), owned by the process, with `mode`
/// (also on an existing file, as a tool that recreates its output does) and the
/// virtual clock's mtime.
pub fn write_file(ctx: &mut Ctx<'_>, p: &str, data: impl Into<std::sync::Arc<Vec<u8>>>, mode: u32) -> Result<(), FsError> {
    let abs = path::normalize(&ctx.abs(p));
    mkdir_p(ctx, path::parent(&abs))?;
    if let Ok(st) = ctx.fs.lstat(&abs) {
        if st.is_dir() {
            return Err(FsError::new(FsErrorKind::IsADirectory, &abs));
        }
    }
    ctx.fs.write(&abs, data, mode)?;
    let _ = ctx.fs.chmod(&abs, mode);
    let _ = ctx.fs.chown(&abs, ctx.uid, ctx.gid, true);
    let _ = ctx.fs.set_mtime(&abs, ctx.clock.now, true);
    Ok(())
}

/// Appends to a file (creating it and its parents, owned by the process).
pub fn append_file(ctx: &mut Ctx<'_>, p: &str, data: &[u8]) -> Result<(), FsError> {
    let abs = path::normalize(&ctx.abs(p));
    mkdir_p(ctx, path::parent(&abs))?;
    let existed = ctx.fs.lstat(&abs).is_ok();
    ctx.fs.append(&abs, data, 0o644)?;
    if !existed {
        let _ = ctx.fs.chown(&abs, ctx.uid, ctx.gid, true);
    }
    let _ = ctx.fs.set_mtime(&abs, ctx.clock.now, true);
    Ok(())
}

/// Makes a symlink `link` → `target`, replacing what is there (as `ln -sf`).
pub fn symlink_force(ctx: &mut Ctx<'_>, target: &str, link: &str) -> Result<(), FsError> {
    let abs = path::normalize(&ctx.abs(link));
    mkdir_p(ctx, path::parent(&abs))?;
    let mut meta = crate::vfs::Meta::new(0o777, ctx.clock.now);
    meta.uid = ctx.uid;
    meta.gid = ctx.gid;
    ctx.fs.insert(&abs, Node::new_symlink(meta, target))
}

/// Writes a stand-in executable (see `shell::proc::standin_executable`) for a tool a
/// simulated package manager installed.
pub fn write_standin(ctx: &mut Ctx<'_>, p: &str, name: &str, stands_for: &str) -> Result<(), FsError> {
    write_file(ctx, p, crate::shell::proc::standin_executable(name, stands_for), 0o755)
}

/// `text` padded with zeros to `size` bytes, as one shared buffer per (text, size)
/// when large ([`crate::memo::padded`]): what a simulation writes as a placeholder
/// for a large file it cannot really make.
pub fn padded(text: Vec<u8>, size: usize) -> std::sync::Arc<Vec<u8>> {
    crate::memo::padded(text, size)
}

/// Deterministic filler so a stand-in file has the size of the real one: zeros,
/// which cost nothing to compress and keep layers reproducible.
pub fn pad_to(data: &mut Vec<u8>, size: usize) {
    if data.len() < size {
        data.resize(size, 0);
    }
}

/// The value of an environment variable that is set and not empty.
pub fn env_nonempty<'c>(ctx: &'c Ctx<'_>, name: &str) -> Option<&'c str> {
    ctx.getenv(name).filter(|v| !v.is_empty())
}

/// The home directory of the process (`$HOME`, else `/root` for root, else `/`).
pub fn home(ctx: &Ctx<'_>) -> String {
    match env_nonempty(ctx, "HOME") {
        Some(h) => h.to_string(),
        None if ctx.uid == 0 => "/root".to_string(),
        None => "/".to_string(),
    }
}

/// A version named in a stand-in executable's description line (`Apache Maven 3.6.3`
/// → `3.6.3` for `prefix` "Apache Maven "), if the file is one.
pub fn standin_version(ctx: &Ctx<'_>, exe: &str, prefix: &str) -> Option<String> {
    let data = ctx.fs.read(exe).ok()?;
    let head = &data[..data.len().min(512)];
    let text = String::from_utf8_lossy(head);
    let at = text.find(prefix)? + prefix.len();
    let v: String = text[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-' || *c == '+').collect();
    if v.is_empty() {
        None
    } else {
        Some(v)
    }
}

/// The upstream version of a package the simulated apt or apk installed
/// (`1:2.39.5-0+deb12u1` → `2.39.5`, `10.19.0-r0` → `10.19.0`).
pub fn installed_version(ctx: &Ctx<'_>, package: &str) -> Option<String> {
    let upstream = |v: &str| {
        let v = v.rsplit_once(':').map(|(_, r)| r).unwrap_or(v);
        let v = v.split(['-', '~']).next().unwrap_or(v);
        v.split("+dfsg").next().unwrap_or(v).to_string()
    };
    if let Ok(d) = ctx.fs.read("/var/lib/dpkg/status") {
        let text = String::from_utf8_lossy(&d);
        let head = format!("Package: {package}\n");
        if let Some(v) = text.split("\n\n").find(|s| s.starts_with(&head)).and_then(|s| s.lines().find_map(|l| l.strip_prefix("Version: "))) {
            return Some(upstream(v));
        }
    }
    if let Ok(d) = ctx.fs.read("/lib/apk/db/installed") {
        let text = String::from_utf8_lossy(&d);
        let head = format!("P:{package}\n");
        if let Some(v) = text.split("\n\n").find(|s| s.starts_with(&head)).and_then(|s| s.lines().find_map(|l| l.strip_prefix("V:"))) {
            return Some(upstream(v));
        }
    }
    None
}

/// The major and minor parts of a dotted version (`1.13.15` → (1, 13)).
pub fn major_minor(v: &str) -> (u32, u32) {
    let mut it = v.trim_start_matches(|c: char| !c.is_ascii_digit()).split(|c: char| !c.is_ascii_digit());
    let major = it.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let minor = it.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    (major, minor)
}

/// Looks a program up through `PATH` the way `execvp` does: the absolute path of
/// the first regular file called `name`, or `name` itself when it has a slash.
pub fn which(ctx: &Ctx<'_>, name: &str) -> Option<String> {
    if name.contains('/') {
        let abs = ctx.abs(name);
        return ctx.fs.stat(&abs).ok().filter(|s| s.is_file()).map(|_| abs);
    }
    let path_var = ctx.getenv("PATH").unwrap_or(crate::bases::DEFAULT_PATH).to_string();
    for dir in path_var.split(':') {
        let dir = if dir.is_empty() { "." } else { dir };
        let cand = ctx.abs(&path::join(dir, name));
        if ctx.fs.stat(&cand).map(|s| s.is_file()).unwrap_or(false) {
            return Some(cand);
        }
    }
    None
}

/// A date in the shape `2024-06-01T00:00:00Z` for the virtual clock.
pub fn iso_time(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(secs);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// A date in Go's `log` shape: `2024/06/01 00:00:00`.
pub fn log_time(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(secs);
    format!("{y:04}/{mo:02}/{d:02} {h:02}:{mi:02}:{s:02}")
}

/// Apache's error-log date: `Sat Jun 01 00:00:00.000000 2024`.
pub fn apache_time(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(secs);
    let days = secs.div_euclid(86_400);
    let wd = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][(mo - 1) as usize];
    format!("{wd} {mon} {d:02} {h:02}:{mi:02}:{s:02}.000000 {y}")
}

/// Sizes in the shape apt and Maven print: `1,859 kB`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An FS error as `tool: path: No such file or directory`; status 1.
pub fn fs_fail(ctx: &mut Ctx<'_>, tool: &str, e: &FsError) -> Stop {
    errln(ctx, &format!("{tool}: {e}"));
    Stop(1)
}

/// Runs another command through the shell that started this program (npm
/// scripts, make recipes): `argv` found through `PATH` in `env` (the child's whole
/// environment), in this process's working directory and streams. Returns its
/// exit status (127 when not found, the runner printing why).
pub fn spawn(ctx: &mut Ctx<'_>, argv: &[String], env: &[(String, String)]) -> i32 {
    let cwd = ctx.cwd.clone();
    let r = ctx.runner.run(crate::shell::proc::Spawn {
        argv,
        env,
        cwd: &cwd,
        stdin: &mut *ctx.stdin,
        stdout: &mut *ctx.stdout,
        stderr: &mut *ctx.stderr,
        fs: &mut *ctx.fs,
        clock: &mut *ctx.clock,
        budget: &mut *ctx.budget,
    });
    match r {
        Ok(s) => s,
        Err(e) => {
            errln(ctx, &format!("{}: {}", argv.first().map(String::as_str).unwrap_or(""), e.message()));
            e.status()
        }
    }
}

/// A cheap, stable 64-bit hash (FNV-1a) for deterministic pseudo-variety (sizes,
/// timings) derived from names.
pub fn fnv(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in data {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_shapes() {
        assert_eq!(iso_time(1_717_200_000), "2024-06-01T00:00:00Z");
        assert_eq!(log_time(1_717_200_000 + 3661), "2024/06/01 01:01:01");
        assert_eq!(apache_time(1_717_200_000), "Sat Jun 01 00:00:00.000000 2024");
        assert_eq!(iso_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(thousands(1_859), "1,859");
        assert_eq!(thousands(12), "12");
        assert_eq!(major_minor("go1.13.15"), (1, 13));
        assert_eq!(major_minor("11.0.7"), (11, 0));
    }

    #[test]
    fn quoting() {
        let argv: Vec<String> = ["/usr/sbin/nginx", "-g", "daemon off;"].iter().map(|s| s.to_string()).collect();
        assert_eq!(command_line(&argv), "nginx -g 'daemon off;'");
    }
}
