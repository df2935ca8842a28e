//! `dfplay tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]`

use super::{open_session, CliError, CliResult};

#[derive(clap::Args)]
pub struct Args {
    source: String,
    target: String,
}

pub fn main(args: Args) -> CliResult {
    let mut session = open_session()?;
    let id = session.store.resolve(&args.source).map_err(|_| CliError::new(format!("Error response from daemon: No such image: {}", args.source)))?;
    session.store.tag(&id, &args.target).map_err(|e| CliError::new(e.to_string()))?;
    Ok(0)
}
