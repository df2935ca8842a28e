//! `dfplay save [-o FILE] IMAGE...`: writes images from the store as a tar that
//! `docker load` accepts (docker-archive + OCI layout, as Docker 25+ writes).

use super::{CliError, CliResult};
use dfplay::image::{self, Store};
use std::io::{IsTerminal, Write};

#[derive(clap::Args)]
pub struct Args {
    /// Write to a file, instead of STDOUT
    #[arg(short, long)]
    output: Option<std::path::PathBuf>,
    /// Images to save (name, name:tag or ID)
    #[arg(required = true)]
    images: Vec<String>,
}

pub fn main(args: Args) -> CliResult {
    if args.output.is_none() && std::io::stdout().is_terminal() {
        return Err(CliError::new("cowardly refusing to save to a terminal. Use the -o flag or redirect"));
    }
    let mut store = Store::open_default()?;
    let refs: Vec<&str> = args.images.iter().map(String::as_str).collect();
    let tar = image::save(&mut store, &refs)?;
    match args.output {
        Some(path) => write_atomic(&path, &tar)?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&tar)?;
            out.flush()?;
        }
    }
    Ok(0)
}

/// Writes next to the destination, then renames: an interrupted save leaves no half file.
fn write_atomic(path: &std::path::Path, data: &[u8]) -> Result<(), CliError> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "image.tar".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(data)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(CliError::new(format!("failed to save image: {}: {e}", path.display())));
    }
    Ok(())
}
