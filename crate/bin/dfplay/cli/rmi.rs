//! `dfplay rmi [-f] IMAGE...`

use super::{open_session, CliResult};

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
    let mut code = 0;
    for r in &args.images {
        match session.store.remove(r, args.force) {
            Ok(events) => {
                for e in events {
                    println!("{e}");
                }
            }
            Err(e) => {
                eprintln!("Error response from daemon: {e}");
                code = 1;
            }
        }
    }
    Ok(code)
}
