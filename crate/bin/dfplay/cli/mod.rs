//! Subcommand implementations and the one place errors become exit codes.

pub mod build;
pub mod export;
pub mod history;
pub mod images;
pub mod inspect;
pub mod lint;
pub mod load;
pub mod parse;
pub mod save;
pub mod prune;
pub mod rmi;
pub mod run;
pub mod tag;

/// What a subcommand returns: its exit status, or an error to print.
pub type CliResult = Result<i32, CliError>;

/// An error for the user: printed as `ERROR: message` (or bare, for messages that
/// already carry their own shape such as `FILE:LINE:COL: ...`) with an exit code.
#[derive(Debug)]
pub struct CliError {
    pub message: String,
    pub code: i32,
    /// Print `message` as is, without the `ERROR: ` prefix.
    pub bare: bool,
}

impl CliError {
    pub fn new(message: impl Into<String>) -> Self {
        CliError { message: message.into(), code: 1, bare: false }
    }
    pub fn bare(message: impl Into<String>, code: i32) -> Self {
        CliError { message: message.into(), code, bare: true }
    }
}

impl<E: std::error::Error> From<E> for CliError {
    fn from(e: E) -> Self {
        CliError::new(e.to_string())
    }
}

/// Prints the error (if any) and gives the process exit code.
pub fn finish(result: CliResult) -> i32 {
    match result {
        Ok(code) => code,
        Err(e) => {
            if e.bare {
                eprintln!("{}", e.message);
            } else {
                eprintln!("ERROR: {}", e.message);
            }
            e.code
        }
    }
}

/// Reads a file argument, `-` meaning standard input.
pub fn read_input(path: &str) -> Result<Vec<u8>, CliError> {
    use std::io::Read;
    if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf)?;
        Ok(buf)
    } else {
        std::fs::read(path).map_err(|e| CliError::new(format!("{path}: {e}")))
    }
}

/// The session over the store in `$DFPLAY_HOME` (default `~/.local/share/dfplay`).
pub fn open_session() -> Result<dfplay::session::Session, CliError> {
    let store = dfplay::image::Store::open_default().map_err(|e| CliError::new(e.to_string()))?;
    Ok(dfplay::session::Session::new(store))
}

/// The host executor `--executor` (else `DFPLAY_EXECUTOR`) asks for: none for
/// "builtin" (the builtin shell and the labelled simulations), bubblewrap for "bwrap".
pub fn host_executor(flag: &str) -> Result<Option<Box<dyn dfplay::executor::HostExecutor>>, CliError> {
    let choice = if flag == "builtin" { std::env::var("DFPLAY_EXECUTOR").unwrap_or_else(|_| flag.to_string()) } else { flag.to_string() };
    match choice.as_str() {
        "builtin" => Ok(None),
        "bwrap" => Ok(Some(real_executor()?)),
        other => Err(CliError::new(format!("invalid executor {other:?}: use builtin or bwrap"))),
    }
}
/// The bubblewrap executor, checked to work here.
#[cfg(target_os = "linux")]
fn real_executor() -> Result<Box<dyn dfplay::executor::HostExecutor>, CliError> {
    let b = dfplay::executor::bwrap::Bwrap::default();
    b.available().map_err(|e| CliError::new(format!("--executor bwrap: {e}")))?;
    Ok(Box::new(b))
}

#[cfg(not(target_os = "linux"))]
fn real_executor() -> Result<Box<dyn dfplay::executor::HostExecutor>, CliError> {
    Err(CliError::new("--executor bwrap: bubblewrap runs on Linux only"))
}

/// The current Unix time.
pub fn now() -> i64 {
    dfplay::host::now_secs() as i64
}

/// Writes a command's output where the docker CLI writes it (the sink of
/// `dfplay::terminal::exec`, which the page's terminal shares).
pub fn print(stream: dfplay::shell::Stream, text: &str) {
    use std::io::Write;
    let _ = match stream {
        dfplay::shell::Stream::Stdout => std::io::stdout().lock().write_all(text.as_bytes()),
        dfplay::shell::Stream::Stderr => std::io::stderr().lock().write_all(text.as_bytes()),
    };
}
