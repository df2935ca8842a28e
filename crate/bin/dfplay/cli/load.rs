//! `dfplay load [-i FILE] [-q]`: reads a `docker save` tar or an OCI layout tar
//! (plain or gzip) into the store, verifying every digest, and prints what
//! `docker load` prints (`Loaded image: name:tag`).

use super::{CliError, CliResult};
use dfplay::image::{self, LoadOptions, Store};
use std::io::{IsTerminal, Read};

#[derive(clap::Args)]
pub struct Args {
    /// Read from tar archive file, instead of STDIN
    #[arg(short, long)]
    input: Option<std::path::PathBuf>,
    /// Suppress the load output
    #[arg(short, long)]
    quiet: bool,
}

pub fn main(args: Args) -> CliResult {
    let data = match &args.input {
        Some(p) => read_bounded(std::fs::File::open(p).map_err(|e| CliError::new(format!("open {}: {e}", p.display())))?)?,
        None => {
            if std::io::stdin().is_terminal() {
                return Err(CliError::new("requested load from stdin, but stdin is empty"));
            }
            read_bounded(std::io::stdin().lock())?
        }
    };
    let mut store = Store::open_default()?;
    let loaded = image::load(&mut store, &data, &LoadOptions::default())?;
    if !args.quiet {
        for l in &loaded {
            for line in l.report() {
                println!("{line}");
            }
        }
    }
    Ok(0)
}

/// Reads at most the archive limit (+1 byte, so an oversize input is refused, not cut).
fn read_bounded(r: impl Read) -> Result<Vec<u8>, CliError> {
    let limit = dfplay::limits::MAX_ARCHIVE_BYTES;
    let mut buf = Vec::new();
    r.take(limit + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > limit {
        return Err(CliError::new(format!("image archive larger than the playground limit of {} MiB", limit >> 20)));
    }
    Ok(buf)
}
