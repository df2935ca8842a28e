//! `dfplay inspect [--format F] IMAGE...` — `docker image inspect`-shaped JSON.

use super::{open_session, print, CliResult};

#[derive(clap::Args)]
pub struct Args {
    /// Format output using a Go template subset ('{{.Config.Labels}}', '{{json .Config}}')
    #[arg(short = 'f', long)]
    format: Option<String>,
    /// Images to inspect
    #[arg(required = true)]
    images: Vec<String>,
}

pub fn main(args: Args) -> CliResult {
    let session = open_session()?;
    let i = dfplay::terminal::Inspect { objects: args.images, format: args.format };
    Ok(dfplay::terminal::exec::inspect(&session, &i, &mut print).status)
}
