//! `dfplay prune [-f] [-a]` — `docker image prune`: removes dangling images.

use super::{open_session, print, CliResult};

#[derive(clap::Args)]
pub struct Args {
    /// Do not prompt for confirmation
    #[arg(short = 'f', long)]
    force: bool,
    /// Remove all unused images, not just dangling ones
    #[arg(short = 'a', long)]
    all: bool,
}

pub fn main(args: Args) -> CliResult {
    let _ = args.force;
    let mut session = open_session()?;
    Ok(dfplay::terminal::exec::prune(&mut session, args.all, &mut print).status)
}
