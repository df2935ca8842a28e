//! `--output type=docker|oci|tar|local,dest=PATH` as BuildKit's exporters write them.

use super::CliError;
use dfplay::build::BuiltImage;
use dfplay::session::Session;

/// Writes the build's result where `--output` says.
pub fn write_output(session: &mut Session, image: &BuiltImage, spec: &str) -> Result<(), CliError> {
    let mut kind = None;
    let mut dest = None;
    for part in spec.split(',') {
        match part.split_once('=') {
            Some(("type", v)) => kind = Some(v.to_string()),
            Some(("dest", v)) => dest = Some(v.to_string()),
            Some((k, _)) if k == "name" || k == "compression" => {}
            None if kind.is_none() => dest = Some(part.to_string()),
            _ => return Err(CliError::new(format!("invalid output option {part:?}"))),
        }
    }
    let kind = kind.unwrap_or_else(|| "local".into());
    let dest = dest.ok_or_else(|| CliError::new("--output needs dest=PATH"))?;
    let id = image.id.clone();
    let write = |bytes: Vec<u8>| -> Result<(), CliError> {
        if dest == "-" {
            use std::io::Write;
            std::io::stdout().write_all(&bytes).map_err(|e| CliError::new(e.to_string()))
        } else {
            std::fs::write(&dest, bytes).map_err(|e| CliError::new(format!("{dest}: {e}")))
        }
    };
    match kind.as_str() {
        "docker" => write(dfplay::image::save(&mut session.store, &[id.as_str()]).map_err(|e| CliError::new(e.to_string()))?),
        "oci" => write(dfplay::image::export_oci(&mut session.store, &[id.as_str()]).map_err(|e| CliError::new(e.to_string()))?),
        "tar" => write(dfplay::image::export::rootfs_tar(&image.rootfs, Default::default()).map_err(|e| CliError::new(e.to_string()))?),
        "local" => dfplay::image::export::write_rootfs_dir(&image.rootfs, std::path::Path::new(&dest)).map(|_| ()).map_err(|e| CliError::new(e.to_string())),
        other => Err(CliError::new(format!("unsupported output type {other:?}: use docker, oci, tar or local"))),
    }
}
