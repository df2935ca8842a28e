//! `dfplay rmi [-f] IMAGE...`

use super::{open_session, print, CliResult};

#[derive(clap::Args)]
pub struct Args {
    /// Force removal of the image
    #[arg(short = 'f', long)]
    force: bool,
    #[arg(required = true)]
    images: Vec<String>,
}

pub fn main(args: Args) -> CliResult {
    let mut session = open_session()?;
    let r = dfplay::terminal::Rmi { images: args.images, force: args.force, no_prune: false };
    Ok(dfplay::terminal::exec::rmi(&mut session, &r, &mut print).status)
}
