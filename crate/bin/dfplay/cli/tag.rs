//! `dfplay tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]`

use super::{open_session, print, CliResult};

#[derive(clap::Args)]
pub struct Args {
    source: String,
    target: String,
}

pub fn main(args: Args) -> CliResult {
    let mut session = open_session()?;
    Ok(dfplay::terminal::exec::tag(&mut session, &args.source, &args.target, &mut print).status)
}
