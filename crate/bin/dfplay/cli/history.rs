//! `dfplay history [--no-trunc] [-H] [-q] [--format F] IMAGE`

use super::{now, open_session, print, CliResult};

#[derive(clap::Args)]
pub struct Args {
    /// Don't truncate output
    #[arg(long)]
    no_trunc: bool,
    /// Print sizes and dates in human readable format
    #[arg(short = 'H', long, default_value_t = true, action = clap::ArgAction::Set)]
    human: bool,
    /// Only show image IDs
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Format output using a Go template subset ('table {{.ID}}\t{{.CreatedBy}}')
    #[arg(long)]
    format: Option<String>,
    /// The image
    image: String,
}

pub fn main(args: Args) -> CliResult {
    let session = open_session()?;
    let h = dfplay::terminal::History { image: args.image, no_trunc: args.no_trunc, quiet: args.quiet, human: args.human, format: args.format };
    Ok(dfplay::terminal::exec::history(&session, &h, now(), &mut print).status)
}
