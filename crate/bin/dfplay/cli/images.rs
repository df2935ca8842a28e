//! `dfplay images [-a] [-q] [--no-trunc] [--filter K=V]... [--format F] [REPOSITORY[:TAG]]`

use super::{now, open_session, print, CliError, CliResult};

#[derive(clap::Args)]
pub struct Args {
    /// Show all images (default hides intermediate images)
    #[arg(short = 'a', long)]
    all: bool,
    /// Only show image IDs
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Don't truncate output
    #[arg(long)]
    no_trunc: bool,
    /// Filter output based on conditions provided (label=…, dangling=true, reference=…)
    #[arg(short = 'f', long = "filter")]
    filters: Vec<String>,
    /// Format output using a Go template subset ('table {{.Repository}}\t{{.Size}}')
    #[arg(long)]
    format: Option<String>,
    /// Show only images of this repository
    repository: Option<String>,
}

pub fn main(args: Args) -> CliResult {
    let session = open_session()?;
    let mut filters = Vec::new();
    for f in &args.filters {
        match f.split_once('=') {
            Some((k, v)) if !k.is_empty() => filters.push((k.to_string(), v.to_string())),
            _ => return Err(CliError::new(format!("invalid argument {f:?} for \"-f, --filter\" flag: bad format of filter (expected name=value)"))),
        }
    }
    let i = dfplay::terminal::Images { all: args.all, filters, quiet: args.quiet, no_trunc: args.no_trunc, digests: false, format: args.format, reference: args.repository };
    Ok(dfplay::terminal::exec::images(&session, &i, now(), &mut print).status)
}
