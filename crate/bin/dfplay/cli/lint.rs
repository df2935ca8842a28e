//! `dfplay lint FILE [--format text|json]`

use super::{CliError, CliResult};

#[derive(clap::Args)]
pub struct Args {
    /// Output format
    #[arg(long, default_value = "text")]
    format: String,
    /// The Dockerfile, or - for standard input
    file: String,
}

pub fn main(args: Args) -> CliResult {
    let _ = super::read_input(&args.file)?;
    Err(CliError::new(format!("lint --format {}: not implemented yet", args.format)))
}
