//! `dfplay images [-a] [-q] [--no-trunc] [--filter K=V]... [REPOSITORY[:TAG]]`

use super::{now, open_session, CliError, CliResult};
use dfplay::image::store::Filter;

#[derive(clap::Args)]
pub struct Args {
    /// Show all images (default hides intermediate images)
    #[arg(short = 'a', long)]
    all: bool,
    /// Only show image IDs
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Don't truncate output
    #[arg(long)]
    no_trunc: bool,
    /// Filter output based on conditions provided (label=…, dangling=true, reference=…)
    #[arg(short = 'f', long = "filter")]
    filters: Vec<String>,
    /// Show only images of this repository
    repository: Option<String>,
}

pub fn main(args: Args) -> CliResult {
    let session = open_session()?;
    let mut filters: Vec<Filter> = args.filters.iter().map(|f| Filter::parse(f)).collect::<Result<_, _>>().map_err(|e| CliError::new(e.to_string()))?;
    if let Some(r) = &args.repository {
        filters.push(Filter::Reference(r.clone()));
    }
    let mut list = session.store.list(&filters).map_err(|e| CliError::new(e.to_string()))?;
    let mut standins = Vec::new();
    for s in &mut list {
        if let Some(m) = dfplay::session::image_meta(&session.store, &s.record.id) {
            s.record.size = m.size;
            if let Some(b) = m.standin {
                if !standins.contains(&b) {
                    standins.push(b);
                }
            }
        }
    }
    let _ = args.all;
    print!("{}", dfplay::image::inspect::images_table(&list, now(), args.no_trunc, args.quiet));
    if !standins.is_empty() && !args.quiet {
        eprintln!("note: sizes include the real size of the stand-in base images ({}); the playground's own copies are small", standins.join("; "));
    }
    Ok(0)
}
