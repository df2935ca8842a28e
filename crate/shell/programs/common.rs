//! What every program shares: how a run stops early ([`Halt`]: a broken pipe, a
//! playground limit, the step budget), GNU-style option parsing, GNU's quoting
//! of file names in messages (as in the C locale, which containers default to),
//! reading operands (`-` is stdin), and the step costs charged to the budget.
//!
//! Cost model (tune here): one budget step is about one line or directory entry
//! handled, [`BYTES_PER_STEP`] bytes copied or scanned, or [`REGEX_STEPS_PER_STEP`]
//! steps of the regex matcher.

use crate::shell::proc::{pseudo_random, Ctx, Input, Spawn, SpawnError, WriteError};
use crate::vfs::FsError;
use std::sync::Arc;

/// Bytes of input or output one budget step pays for.
pub const BYTES_PER_STEP: u64 = 256;
/// Regex matcher steps one budget step pays for.
pub const REGEX_STEPS_PER_STEP: u64 = 16;

/// Why a program stops before it is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Halt {
    /// A write found its reader gone: stop silently with status 141 (SIGPIPE).
    Pipe,
    /// A playground limit on output or file size: the shell reports it.
    Limit,
    /// The step budget is spent: the shell reports it.
    Budget,
}

impl From<WriteError> for Halt {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::BrokenPipe => Halt::Pipe,
            WriteError::Limit => Halt::Limit,
        }
    }
}

/// What a program's body returns: its exit status, or why it stopped.
pub type Res<T = i32> = Result<T, Halt>;

/// Turns a body's result into the exit status the shell sees.
pub fn finish(r: Res<i32>) -> i32 {
    match r {
        Ok(s) => s,
        Err(Halt::Pipe) => 141,
        Err(Halt::Limit) | Err(Halt::Budget) => 1,
    }
}

/// Charges `n` budget steps.
pub fn tick(ctx: &mut Ctx<'_>, n: u64) -> Res<()> {
    if ctx.budget.charge(n) {
        Ok(())
    } else {
        Err(Halt::Budget)
    }
}

/// Charges for handling `bytes` bytes (at least one step).
pub fn tick_bytes(ctx: &mut Ctx<'_>, bytes: usize) -> Res<()> {
    tick(ctx, 1 + bytes as u64 / BYTES_PER_STEP)
}

/// Writes to stdout, charging for the bytes.
pub fn out(ctx: &mut Ctx<'_>, data: &[u8]) -> Res<()> {
    if data.len() as u64 > BYTES_PER_STEP {
        tick_bytes(ctx, data.len())?;
    }
    ctx.out(data)?;
    Ok(())
}

/// Writes `prog: msg\n` to stderr.
pub fn err(ctx: &mut Ctx<'_>, prog: &str, msg: &str) {
    ctx.err(&format!("{prog}: {msg}\n"));
}

/// `prog: msg` plus GNU's "Try 'prog --help'" line; returns `status`.
pub fn usage_err(ctx: &mut Ctx<'_>, prog: &str, msg: &str, status: i32) -> i32 {
    if !msg.is_empty() {
        err(ctx, prog, msg);
    }
    ctx.err(&format!("Try '{prog} --help' for more information.\n"));
    status
}

/// The strerror text of a vfs error, with the playground limit it names, if any.
pub fn ferr(e: &FsError) -> String {
    match &e.detail {
        Some(d) => format!("{} ({d})", e.message()),
        None => e.message().to_string(),
    }
}

// ----- quoting -------------------------------------------------------------------

fn shell_special(c: u8, first: bool) -> bool {
    match c {
        b'#' | b'~' => first,
        b' ' | b'!' | b'"' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b':' | b';' | b'<' | b'=' | b'>' | b'?'
        | b'[' | b'\\' | b'^' | b'`' | b'|' | b'\t' | b'\n' => true,
        c => !(0x20..0x7f).contains(&c),
    }
}

fn shell_quote(s: &str, always: bool) -> String {
    let b = s.as_bytes();
    let needs = b.is_empty() || b.iter().enumerate().any(|(i, &c)| shell_special(c, i == 0));
    if !needs && !always {
        return s.to_string();
    }
    let ctrl = |c: u8| !(0x20..0x7f).contains(&c);
    let has_sq = b.contains(&b'\'');
    if has_sq && !b.iter().any(|&c| ctrl(c) || matches!(c, b'"' | b'$' | b'`' | b'\\' | b'!')) {
        return format!("\"{s}\"");
    }
    let mut o = String::from("'");
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\'' {
            o.push_str("'\\''");
            i += 1;
        } else if ctrl(c) {
            o.push_str("'$'");
            while i < b.len() && ctrl(b[i]) {
                o.push_str(&c_escape(b[i]));
                i += 1;
            }
            o.push('\'');
            if i < b.len() {
                o.push('\'');
            } else {
                return o;
            }
        } else {
            o.push(c as char);
            i += 1;
        }
    }
    o.push('\'');
    o
}

fn c_escape(c: u8) -> String {
    match c {
        7 => "\\a".into(),
        8 => "\\b".into(),
        12 => "\\f".into(),
        b'\n' => "\\n".into(),
        b'\r' => "\\r".into(),
        b'\t' => "\\t".into(),
        11 => "\\v".into(),
        c => format!("\\{c:03o}"),
    }
}

/// A file name as GNU quotes it where it is always quoted (`rm: cannot remove 'x'`).
pub fn qa(s: &str) -> String {
    shell_quote(s, true)
}

/// A file name as GNU quotes it where it is quoted only when needed (`cat: x: …`).
pub fn qf(s: &str) -> String {
    shell_quote(s, false)
}

// ----- options -------------------------------------------------------------------

/// Whether a long option takes an argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Arg {
    No,
    Required,
    Optional,
}

/// A program's options, as GNU `getopt_long` would be told them.
pub struct Spec {
    /// Short options; a letter followed by `:` takes an argument.
    pub short: &'static str,
    /// Long options: name, argument, and the key reported for it (a short letter
    /// or any other char).
    pub long: &'static [(&'static str, Arg, char)],
    /// GNU permutation: options may follow operands (false: the first operand
    /// ends the options, as `env`, `xargs`, `find` need).
    pub permute: bool,
    /// Exit status of a usage error (1 for most, 2 for `ls`, `grep`, `sort`, …).
    pub status: i32,
    /// `Usage:` text printed for `--help` (without the program name).
    pub usage: &'static str,
}

/// Parsed options (in order) and operands.
#[derive(Debug, Default)]
pub struct Parsed {
    pub opts: Vec<(char, Option<String>)>,
    pub args: Vec<String>,
}

impl Parsed {
    pub fn has(&self, c: char) -> bool {
        self.opts.iter().any(|(k, _)| *k == c)
    }
    /// The last value given for `c`.
    pub fn val(&self, c: char) -> Option<&str> {
        self.opts.iter().rev().find(|(k, _)| *k == c).and_then(|(_, v)| v.as_deref())
    }
    pub fn vals(&self, c: char) -> Vec<&str> {
        self.opts.iter().filter(|(k, _)| *k == c).filter_map(|(_, v)| v.as_deref()).collect()
    }
}

/// Why option parsing ended without options: a usage error (status) or
/// `--help`/`--version` answered (status 0).
pub type OptResult = Result<Parsed, i32>;

fn short_arg(spec: &Spec, c: char) -> Option<bool> {
    let s: Vec<char> = spec.short.chars().collect();
    let mut i = 0;
    while i < s.len() {
        if s[i] == c && c != ':' {
            return Some(s.get(i + 1) == Some(&':'));
        }
        i += 1;
    }
    None
}

/// Parses `argv[1..]` as GNU `getopt_long` does (unique prefixes of long options,
/// `--opt=value`, bundled short options, `--` ends options), printing GNU's
/// messages on errors. `--help` prints the usage and `--version` a version line
/// unless the program defines them.
pub fn getopt(ctx: &mut Ctx<'_>, prog: &str, argv: &[String], spec: &Spec) -> OptResult {
    let mut p = Parsed::default();
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        i += 1;
        if a == "--" {
            p.args.extend(argv[i..].iter().cloned());
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, val) = match body.find('=') {
                Some(e) => (&body[..e], Some(body[e + 1..].to_string())),
                None => (body, None),
            };
            let exact = spec.long.iter().find(|(n, _, _)| *n == name);
            let cands: Vec<&(&str, Arg, char)> = match exact {
                Some(e) => vec![e],
                None => spec.long.iter().filter(|(n, _, _)| n.starts_with(name)).collect(),
            };
            // prefixes naming options that all map to the same key are not ambiguous
            let distinct = cands.iter().map(|c| (c.1, c.2)).collect::<std::collections::BTreeSet<_>>().len();
            if cands.is_empty() || name.is_empty() {
                if "help".starts_with(name) && !name.is_empty() {
                    let _ = ctx.out(format!("Usage: {prog} {}\n(dfplay builtin stand-in for the {prog} command; see its manual for details)\n", spec.usage).as_bytes());
                    return Err(0);
                }
                if "version".starts_with(name) && !name.is_empty() {
                    let _ = ctx.out(format!("{prog} (dfplay builtin) 1.0\n").as_bytes());
                    return Err(0);
                }
                return Err(usage_err(ctx, prog, &format!("unrecognized option '{a}'"), spec.status));
            }
            if distinct > 1 {
                let poss: Vec<String> = cands.iter().map(|c| format!("'--{}'", c.0)).collect();
                return Err(usage_err(ctx, prog, &format!("option '--{name}' is ambiguous; possibilities: {}", poss.join(" ")), spec.status));
            }
            let (full, kind, key) = *cands[0];
            match kind {
                Arg::No => {
                    if val.is_some() {
                        return Err(usage_err(ctx, prog, &format!("option '--{full}' doesn't allow an argument"), spec.status));
                    }
                    p.opts.push((key, None));
                }
                Arg::Optional => p.opts.push((key, val)),
                Arg::Required => match val {
                    Some(v) => p.opts.push((key, Some(v))),
                    None => {
                        if i < argv.len() {
                            p.opts.push((key, Some(argv[i].clone())));
                            i += 1;
                        } else {
                            return Err(usage_err(ctx, prog, &format!("option '--{full}' requires an argument"), spec.status));
                        }
                    }
                },
            }
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a.chars().skip(1).collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                j += 1;
                match short_arg(spec, c) {
                    None => {
                        return Err(usage_err(ctx, prog, &format!("invalid option -- '{c}'"), spec.status));
                    }
                    Some(false) => p.opts.push((c, None)),
                    Some(true) => {
                        if j < chars.len() {
                            p.opts.push((c, Some(chars[j..].iter().collect())));
                        } else if i < argv.len() {
                            p.opts.push((c, Some(argv[i].clone())));
                            i += 1;
                        } else {
                            return Err(usage_err(ctx, prog, &format!("option requires an argument -- '{c}'"), spec.status));
                        }
                        break;
                    }
                }
            }
            continue;
        }
        p.args.push(a.clone());
        if !spec.permute {
            p.args.extend(argv[i..].iter().cloned());
            break;
        }
    }
    Ok(p)
}

/// Runs another command through the shell's runner (found through `PATH` in
/// `env`, as `execvp` does), lending it this process's filesystem, clock,
/// budget and streams (`stdin`: `None` shares ours). The caller words a
/// [`SpawnError`] as its namesake does.
pub fn spawn(ctx: &mut Ctx<'_>, argv: &[String], env: &[(String, String)], stdin: Option<&mut Input>) -> Result<i32, SpawnError> {
    let cwd = ctx.cwd.clone();
    let stdin = match stdin {
        Some(i) => i,
        None => &mut *ctx.stdin,
    };
    ctx.runner.run(Spawn {
        fs: &mut *ctx.fs,
        clock: &mut *ctx.clock,
        budget: &mut *ctx.budget,
        argv,
        env,
        cwd: &cwd,
        stdin,
        stdout: &mut *ctx.stdout,
        stderr: &mut *ctx.stderr,
    })
}

// ----- input -----------------------------------------------------------------------

/// The contents of operand `name` (`-` is stdin), or `None` after printing
/// `prog: name: <error>` (GNU's wording).
pub fn read_operand(ctx: &mut Ctx<'_>, prog: &str, name: &str) -> Res<Option<Arc<Vec<u8>>>> {
    match read_path(ctx, name) {
        Ok(d) => {
            tick_bytes(ctx, d.len())?;
            Ok(Some(d))
        }
        Err(e) => {
            err(ctx, prog, &format!("{}: {}", qf(name), ferr(&e)));
            Ok(None)
        }
    }
}

/// Reads a file as `open`+`read` would: `-` is stdin, and the devices a
/// container has without a /dev in the image are provided (see [`Ctx::read_file`]).
pub fn read_path(ctx: &mut Ctx<'_>, name: &str) -> Result<Arc<Vec<u8>>, FsError> {
    if name == "-" {
        return Ok(Arc::new(ctx.stdin.read_all().to_vec()));
    }
    ctx.read_file(name)
}

/// Whether `name` is one of the endless devices (`/dev/zero`: `Some(true)`,
/// `/dev/urandom` and `/dev/random`: `Some(false)`); reading one all at once never
/// ends, so programs stream it with [`stream_device`].
pub fn endless_device(ctx: &Ctx<'_>, name: &str) -> Option<bool> {
    use crate::shell::io::{device, Device};
    match device(&crate::vfs::path::normalize(&ctx.abs(name)))? {
        Device::Zero => Some(true),
        Device::Random => Some(false),
        _ => None,
    }
}

/// Copies `limit` bytes (or, with `None`, bytes without end) of an endless device
/// to stdout, as `cat /dev/zero` or `head -c N /dev/urandom` do.
pub fn stream_device(ctx: &mut Ctx<'_>, zero: bool, limit: Option<u64>) -> Res<()> {
    const CHUNK: usize = 64 * 1024;
    let chunk = if zero { vec![0u8; CHUNK] } else { pseudo_random(CHUNK, 0x5eed) };
    stream_repeated(ctx, &chunk, limit)
}

/// Writes `chunk` over and over to stdout, `limit` bytes in all (or, with `None`,
/// without end: `yes`, endless devices); a full filesystem, the output cap or the
/// step budget ends it.
pub fn stream_repeated(ctx: &mut Ctx<'_>, chunk: &[u8], limit: Option<u64>) -> Res<()> {
    let mut left = limit.unwrap_or(u64::MAX);
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        tick_bytes(ctx, n)?;
        ctx.out(&chunk[..n])?;
        left -= n as u64;
    }
    Ok(())
}

/// Writes (or appends) a file for `tee`, `sort -o`, `sed w` …, with the
/// devices: `/dev/null` swallows, `/dev/stdout` and `/dev/stderr` go to the
/// streams.
pub fn write_path(ctx: &mut Ctx<'_>, name: &str, data: &[u8], append: bool) -> Res<Result<(), FsError>> {
    let path = crate::vfs::path::normalize(&ctx.abs(name));
    match path.as_str() {
        "/dev/null" => return Ok(Ok(())),
        "/dev/stdout" | "/dev/fd/1" | "/proc/self/fd/1" => {
            out(ctx, data)?;
            return Ok(Ok(()));
        }
        "/dev/stderr" | "/dev/fd/2" | "/proc/self/fd/2" => {
            let _ = ctx.stderr.write(data);
            return Ok(Ok(()));
        }
        _ => {}
    }
    let mode = 0o666 & !super::perms::UMASK;
    Ok(if append { ctx.fs.append(&path, data, mode) } else { ctx.fs.write(&path, data.to_vec(), mode) })
}

/// Parses a decimal count the way coreutils does for `-n`: digits with an
/// optional multiplier suffix (`b` 512, `K`/`KiB` 1024, `kB` 1000, `M`, `G`…).
pub fn parse_size(s: &str) -> Option<u64> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let n: u64 = s[..digits].parse().ok().or(Some(u64::MAX))?;
    let mult: u64 = match &s[digits..] {
        "" => 1,
        "b" => 512,
        "K" | "KiB" | "k" => 1 << 10,
        "kB" | "KB" => 1000,
        "M" | "MiB" => 1 << 20,
        "MB" => 1_000_000,
        "G" | "GiB" => 1 << 30,
        "GB" => 1_000_000_000,
        "T" | "TiB" => 1 << 40,
        "TB" => 1_000_000_000_000,
        _ => return None,
    };
    Some(n.saturating_mul(mult))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_gnu_in_the_c_locale() {
        assert_eq!(qf("x"), "x");
        assert_eq!(qf("a b"), "'a b'");
        assert_eq!(qf("x#y"), "x#y");
        assert_eq!(qf("#y"), "'#y'");
        assert_eq!(qf(""), "''");
        assert_eq!(qa("x"), "'x'");
        assert_eq!(qa("nox's"), "\"nox's\"");
        assert_eq!(qf("a'b\"c"), "'a'\\''b\"c'");
        assert_eq!(qf("a\tb"), "'a'$'\\t''b'");
        assert_eq!(qf("é"), "''$'\\303\\251'");
        assert_eq!(qf("a'\tb"), "'a'\\'''$'\\t''b'");
    }

}
