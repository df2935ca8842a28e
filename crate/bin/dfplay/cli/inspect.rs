//! `dfplay inspect IMAGE...` — `docker image inspect`-shaped JSON.

use super::{open_session, CliError, CliResult};

#[derive(clap::Args)]
pub struct Args {
    /// Images to inspect
    #[arg(required = true)]
    images: Vec<String>,
}

pub fn main(args: Args) -> CliResult {
    let session = open_session()?;
    let mut items = Vec::new();
    let mut missing = Vec::new();
    for r in &args.images {
        match session.store.resolve(r) {
            Ok(id) => {
                let mut i = dfplay::image::inspect::inspect(&session.store, &id).map_err(|e| CliError::new(e.to_string()))?;
                if let Some(m) = dfplay::session::image_meta(&session.store, &id) {
                    i.size = m.size;
                }
                items.push(i);
            }
            Err(_) => missing.push(r.clone()),
        }
    }
    println!("{}", dfplay::image::inspect::inspect_text(&items));
    for m in &missing {
        eprintln!("Error: No such image: {m}");
    }
    Ok(if missing.is_empty() { 0 } else { 1 })
}
