//! File descriptors of the builtin shell: what fds 0–9 point at (the run's
//! output streams, a file, a pipe buffer, a command substitution's capture,
//! `/dev/null`, or the streams of the program that spawned this shell), the
//! collected output with its cap, and the [`Sink`]s programs write through.
//!
//! There is no concurrency: a pipeline's stages run one after another, each
//! writing into a bounded buffer the next one reads. A writer that goes past
//! the buffer's cap gets [`WriteError::BrokenPipe`], as a real writer gets
//! SIGPIPE when its reader has gone (`yes | head -1` ends).
//!
//! Invariant: nothing here grows without bound: the output, pipes, captures
//! and files are all capped, and hitting a cap is reported, never a panic.

use super::proc::{Input, Sink, WriteError};
use crate::vfs::Vfs;
use std::cell::RefCell;
use std::rc::Rc;

/// Which of the run's output streams a chunk belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stream {
    Stdout,
    Stderr,
}

/// A piece of the run's output, in the order it was written.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Chunk {
    pub stream: Stream,
    pub data: Vec<u8>,
}

/// The run's stdout and stderr, interleaved, with a cap on their total size.
#[derive(Debug, Default)]
pub struct Output {
    pub chunks: Vec<Chunk>,
    pub bytes: usize,
    pub cap: usize,
    /// Set when the cap was reached.
    pub full: bool,
}

impl Output {
    pub fn new(cap: usize) -> Self {
        Output { chunks: Vec::new(), bytes: 0, cap, full: false }
    }

    /// Appends to the stream; past the cap, keeps what fits and fails.
    pub fn write(&mut self, stream: Stream, data: &[u8]) -> Result<(), WriteError> {
        if self.full {
            return Err(WriteError::Limit);
        }
        let room = self.cap.saturating_sub(self.bytes);
        let (take, over) = if data.len() > room { (&data[..room], true) } else { (data, false) };
        if !take.is_empty() {
            self.bytes += take.len();
            match self.chunks.last_mut() {
                Some(c) if c.stream == stream => c.data.extend_from_slice(take),
                _ => self.chunks.push(Chunk { stream, data: take.to_vec() }),
            }
        }
        if over {
            self.full = true;
            return Err(WriteError::Limit);
        }
        Ok(())
    }

    /// A note that is always recorded (the limit message), even past the cap.
    pub fn force(&mut self, stream: Stream, data: &[u8]) {
        self.bytes += data.len();
        match self.chunks.last_mut() {
            Some(c) if c.stream == stream => c.data.extend_from_slice(data),
            _ => self.chunks.push(Chunk { stream, data: data.to_vec() }),
        }
    }
}

/// Where an output fd leads.
#[derive(Debug)]
pub enum Target {
    /// The run's own stdout or stderr.
    Stream(Stream),
    /// The stdout or stderr of the program that started this shell
    /// (`env sh -c …`, `xargs sh -c …`).
    Extern(Stream),
    /// A regular file: writes go at `pos` (or at the end for `>>`).
    File { path: String, pos: usize, append: bool },
    /// A pipe to the next stage of a pipeline.
    Pipe { buf: Vec<u8>, cap: usize },
    /// The output of a command substitution.
    Capture { buf: Vec<u8>, cap: usize },
    /// `/dev/null`
    Null,
}

pub type In = Rc<RefCell<Input>>;
pub type Out = Rc<RefCell<Target>>;

/// An open file descriptor.
#[derive(Clone, Debug)]
pub enum Fd {
    Read(In),
    Write(Out),
    ReadWrite(In, Out),
}

impl Fd {
    pub fn reader(&self) -> Option<&In> {
        match self {
            Fd::Read(i) | Fd::ReadWrite(i, _) => Some(i),
            Fd::Write(_) => None,
        }
    }
    pub fn writer(&self) -> Option<&Out> {
        match self {
            Fd::Write(o) | Fd::ReadWrite(_, o) => Some(o),
            Fd::Read(_) => None,
        }
    }
}

/// Highest fd number a script can name (`9>`), as in dash.
pub const MAX_FD: usize = 10;

/// The fd table of a shell.
#[derive(Clone, Debug, Default)]
pub struct Fds {
    slots: [Option<Fd>; MAX_FD],
}

impl Fds {
    pub fn get(&self, fd: u32) -> Option<&Fd> {
        self.slots.get(fd as usize).and_then(|s| s.as_ref())
    }
    pub fn set(&mut self, fd: u32, v: Option<Fd>) {
        if let Some(s) = self.slots.get_mut(fd as usize) {
            *s = v;
        }
    }
}

/// Why a write failed, for the shell's own writes.
#[derive(Debug)]
pub enum WriteFail {
    /// The fd is closed or not open for writing.
    BadFd,
    /// The pipe's reader is gone.
    BrokenPipe,
    /// A playground limit (output, file size) was reached.
    Limit(LimitKind),
    /// A filesystem error writing a file.
    Fs(crate::vfs::FsError),
}

/// Which limit a write ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKind {
    Output,
    Capture,
    FsSize,
}

/// Writes `data` to an output target on behalf of the shell itself.
pub fn write_target(
    t: &mut Target,
    data: &[u8],
    fs: &mut Vfs,
    out: &RefCell<Output>,
    ext: &mut [Option<&mut dyn Sink>; 2],
    umask: u32,
) -> Result<(), WriteFail> {
    match t {
        Target::Stream(s) => out.borrow_mut().write(*s, data).map_err(|_| WriteFail::Limit(LimitKind::Output)),
        Target::Extern(s) => {
            let i = if *s == Stream::Stdout { 0 } else { 1 };
            match ext[i].as_mut() {
                Some(sink) => sink.write(data).map_err(|e| match e {
                    WriteError::BrokenPipe => WriteFail::BrokenPipe,
                    WriteError::Limit => WriteFail::Limit(LimitKind::Output),
                }),
                None => Err(WriteFail::BadFd),
            }
        }
        Target::Null => Ok(()),
        Target::Pipe { buf, cap } => {
            let room = cap.saturating_sub(buf.len());
            if data.len() > room {
                buf.extend_from_slice(&data[..room]);
                return Err(WriteFail::BrokenPipe);
            }
            buf.extend_from_slice(data);
            Ok(())
        }
        Target::Capture { buf, cap } => {
            if buf.len() + data.len() > *cap {
                return Err(WriteFail::Limit(LimitKind::Capture));
            }
            buf.extend_from_slice(data);
            Ok(())
        }
        Target::File { path, pos, append } => write_file(fs, path, pos, *append, data, umask),
    }
}

/// Writes at the file position (appending when it is at the end, the common case).
pub fn write_file(fs: &mut Vfs, path: &str, pos: &mut usize, append: bool, data: &[u8], umask: u32) -> Result<(), WriteFail> {
    if data.is_empty() {
        return Ok(());
    }
    let len = match fs.stat(path) {
        Ok(st) => st.size as usize,
        Err(_) => 0,
    };
    let r = if append || *pos >= len {
        if !append && *pos > len {
            // a hole: fill with zeros up to the position, as a sparse write reads back
            let zeros = vec![0u8; *pos - len];
            fs.append(path, &zeros, 0o666 & !umask).map_err(fs_fail)?;
        }
        let r = fs.append(path, data, 0o666 & !umask);
        *pos = if append { len + data.len() } else { *pos + data.len() };
        r
    } else {
        let old = fs.read(path).map(|a| a.as_ref().clone()).unwrap_or_default();
        let mut new = old;
        let end = *pos + data.len();
        if new.len() < end {
            new.resize(end, 0);
        }
        new[*pos..end].copy_from_slice(data);
        *pos = end;
        fs.write(path, new, 0o666 & !umask)
    };
    r.map_err(fs_fail)
}

fn fs_fail(e: crate::vfs::FsError) -> WriteFail {
    if e.kind == crate::vfs::FsErrorKind::NoSpace {
        WriteFail::Limit(LimitKind::FsSize)
    } else {
        WriteFail::Fs(e)
    }
}

/// Routes a program's writes to the shell's targets while the program holds
/// the filesystem: file writes are buffered (within the filesystem's free
/// space) and written when the program returns.
pub struct Router<'r, 'e> {
    pub out: &'r RefCell<Output>,
    pub ext: &'r mut [Option<&'e mut dyn Sink>; 2],
    /// Buffered file writes, in order.
    pub pending: Vec<(Out, Vec<u8>)>,
    /// Bytes the filesystem can still take.
    pub fs_room: u64,
    pub pending_bytes: u64,
    /// The first limit a write ran into.
    pub hit: Option<LimitKind>,
}

impl Router<'_, '_> {
    fn write(&mut self, target: &Out, data: &[u8]) -> Result<(), WriteError> {
        let mut t = target.borrow_mut();
        let r = match &mut *t {
            Target::Stream(s) => self.out.borrow_mut().write(*s, data).map_err(|_| LimitKind::Output),
            Target::Extern(s) => {
                let i = if *s == Stream::Stdout { 0 } else { 1 };
                match self.ext[i].as_mut() {
                    Some(sink) => return sink.write(data),
                    None => return Err(WriteError::BrokenPipe),
                }
            }
            Target::Null => Ok(()),
            Target::Pipe { buf, cap } => {
                let room = cap.saturating_sub(buf.len());
                if data.len() > room {
                    buf.extend_from_slice(&data[..room]);
                    return Err(WriteError::BrokenPipe);
                }
                buf.extend_from_slice(data);
                Ok(())
            }
            Target::Capture { buf, cap } => {
                if buf.len() + data.len() > *cap {
                    Err(LimitKind::Capture)
                } else {
                    buf.extend_from_slice(data);
                    Ok(())
                }
            }
            Target::File { .. } => {
                drop(t);
                if self.pending_bytes + data.len() as u64 > self.fs_room {
                    Err(LimitKind::FsSize)
                } else {
                    self.pending_bytes += data.len() as u64;
                    match self.pending.last_mut() {
                        Some((o, buf)) if Rc::ptr_eq(o, target) => buf.extend_from_slice(data),
                        _ => self.pending.push((target.clone(), data.to_vec())),
                    }
                    return Ok(());
                }
            }
        };
        r.map_err(|k| {
            if self.hit.is_none() {
                self.hit = Some(k);
            }
            WriteError::Limit
        })
    }
}

/// One of a program's output streams.
pub struct ProgramSink<'a, 'r, 'e> {
    pub router: &'a RefCell<Router<'r, 'e>>,
    /// None when the fd is closed: writes fail.
    pub target: Option<Out>,
}

impl Sink for ProgramSink<'_, '_, '_> {
    fn write(&mut self, data: &[u8]) -> Result<(), WriteError> {
        match &self.target {
            Some(t) => self.router.borrow_mut().write(t, data),
            None => Err(WriteError::BrokenPipe),
        }
    }
}

/// What `/dev/…` paths the shell provides even when the filesystem has no /dev.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Device {
    Null,
    Zero,
    Random,
    Stdin,
    Stdout,
    Stderr,
    Fd(u32),
}

/// The device a path names, if any.
pub fn device(path: &str) -> Option<Device> {
    Some(match path {
        "/dev/null" => Device::Null,
        "/dev/zero" => Device::Zero,
        "/dev/random" | "/dev/urandom" => Device::Random,
        "/dev/stdin" => Device::Stdin,
        "/dev/stdout" => Device::Stdout,
        "/dev/stderr" => Device::Stderr,
        _ => {
            let n = path.strip_prefix("/dev/fd/").or_else(|| path.strip_prefix("/proc/self/fd/"))?;
            Device::Fd(n.parse().ok()?)
        }
    })
}
