//! `dfplay prune [-f]` — `docker image prune`: removes dangling images.

use super::{open_session, CliError, CliResult};

#[derive(clap::Args)]
pub struct Args {
    /// Do not prompt for confirmation
    #[arg(short = 'f', long)]
    force: bool,
}

pub fn main(args: Args) -> CliResult {
    let _ = args.force;
    let mut session = open_session()?;
    let report = session.store.prune_dangling().map_err(|e| CliError::new(e.to_string()))?;
    if !report.events.is_empty() {
        println!("Deleted Images:");
        for e in &report.events {
            println!("{e}");
        }
        println!();
    }
    println!("Total reclaimed space: {}", dfplay::image::inspect::human_size(report.reclaimed));
    Ok(0)
}
