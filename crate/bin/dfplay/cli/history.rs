//! `dfplay history [--no-trunc] [-H] IMAGE`

use super::{now, open_session, CliError, CliResult};

#[derive(clap::Args)]
pub struct Args {
    /// Don't truncate output
    #[arg(long)]
    no_trunc: bool,
    /// Print sizes and dates in human readable format
    #[arg(short = 'H', long, default_value_t = true, action = clap::ArgAction::Set)]
    human: bool,
    /// The image
    image: String,
}

pub fn main(args: Args) -> CliResult {
    let session = open_session()?;
    let id = session.store.resolve(&args.image).map_err(|_| CliError::new(format!("Error response from daemon: No such image: {}", args.image)))?;
    let rows = dfplay::image::inspect::history(&session.store, &id).map_err(|e| CliError::new(e.to_string()))?;
    print!("{}", dfplay::image::inspect::history_table(&rows, now(), args.no_trunc, args.human));
    Ok(0)
}
