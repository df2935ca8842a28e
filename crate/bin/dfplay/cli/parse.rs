//! `dfplay parse [--format buildkit|json] FILE|-`

use super::{CliError, CliResult};

#[derive(clap::Args)]
pub struct Args {
    /// Output format: BuildKit's Node.Dump() form or typed instructions as JSON
    #[arg(long, default_value = "buildkit")]
    format: String,
    /// The Dockerfile, or - for standard input
    file: String,
}

pub fn main(args: Args) -> CliResult {
    let _ = super::read_input(&args.file)?;
    Err(CliError::new(format!("parse --format {}: not implemented yet", args.format)))
}
