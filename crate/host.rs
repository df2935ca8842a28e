//! The native host: what the engine needs from a real machine (reading a build
//! context directory, the wall clock). The engine itself does no IO; the `dfplay`
//! binary and the native tests use this module, the page has its own host in JS.

use crate::build::context::{BuildContext, ContextError};
use crate::dockerignore::Dockerignore;
use std::path::Path;

fn io_err(p: &Path, e: std::io::Error) -> ContextError {
    ContextError::Io(format!("{}: {e}", p.display()))
}

fn mtime_of(md: &std::fs::Metadata) -> i64 {
    md.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map(|d| d.as_secs() as i64).unwrap_or(0)
}

#[cfg(unix)]
fn mode_of(md: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    md.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn mode_of(md: &std::fs::Metadata) -> u32 {
    if md.is_dir() {
        0o755
    } else {
        0o644
    }
}

/// Reads a build context directory as the docker CLI sends it: the files below
/// `dir` (symlinks kept as links, special files skipped), leaving out what the
/// `.dockerignore` excludes before the limits are counted. `dockerfile` is the
/// Dockerfile path (default `dir/Dockerfile`).
pub fn load_context(dir: &Path, dockerfile: Option<&Path>) -> Result<BuildContext, ContextError> {
    let df_path = dockerfile.map(Path::to_path_buf).unwrap_or_else(|| dir.join("Dockerfile"));
    let df = std::fs::read(&df_path).map_err(|e| ContextError::Io(format!("failed to read dockerfile: open {}: {e}", df_path.display())))?;
    if df.len() > crate::limits::MAX_DOCKERFILE_BYTES {
        return Err(ContextError::Io(format!("{}: Dockerfile larger than {} MiB (playground limit)", df_path.display(), crate::limits::MAX_DOCKERFILE_BYTES >> 20)));
    }
    let name = df_path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "Dockerfile".into());
    let mut ctx = BuildContext::new(name.clone(), df);
    ctx.dockerfile_mtime = std::fs::metadata(&df_path).map(|m| mtime_of(&m)).unwrap_or(0);
    // the Dockerfile-specific ignore file lives beside the Dockerfile
    let specific = df_path.with_file_name(format!("{name}.dockerignore"));
    if let Ok(d) = std::fs::read(&specific) {
        ctx.dockerfile_ignore = Some(d);
    }
    let ignore_text = match &ctx.dockerfile_ignore {
        Some(d) => Some(d.clone()),
        None => std::fs::read(dir.join(".dockerignore")).ok(),
    };
    let ignore = match ignore_text {
        Some(t) => Dockerignore::parse(&String::from_utf8_lossy(&t))?,
        None => Dockerignore::default(),
    };
    let exceptions = ignore.patterns.iter().any(|p| p.exclusion);
    let md = std::fs::metadata(dir).map_err(|e| io_err(dir, e))?;
    if !md.is_dir() {
        return Err(ContextError::Io(format!("unable to prepare context: path {:?} not found", dir.display().to_string())));
    }
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((abs, rel)) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&abs).map_err(|e| io_err(&abs, e))?.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let fname = e.file_name().to_string_lossy().to_string();
            let r = if rel.is_empty() { fname.clone() } else { format!("{rel}/{fname}") };
            let p = e.path();
            let md = std::fs::symlink_metadata(&p).map_err(|e| io_err(&p, e))?;
            let excluded = ignore.excludes(&r);
            // always keep the ignore files and Dockerfile themselves visible to the engine
            if md.is_dir() {
                if excluded && !exceptions {
                    continue;
                }
                if !excluded {
                    ctx.add_dir(&r, mode_of(&md), mtime_of(&md))?;
                }
                stack.push((p, r));
            } else if excluded && r != ".dockerignore" {
                continue;
            } else if md.file_type().is_symlink() {
                let t = std::fs::read_link(&p).map_err(|e| io_err(&p, e))?;
                ctx.add_symlink(&r, &t.to_string_lossy(), mtime_of(&md))?;
            } else if md.is_file() {
                if md.len() > crate::limits::MAX_CONTEXT_BYTES {
                    return Err(ContextError::TooLarge);
                }
                let data = std::fs::read(&p).map_err(|e| io_err(&p, e))?;
                ctx.add_file(&r, data, mode_of(&md), mtime_of(&md))?;
            }
        }
    }
    Ok(ctx)
}

/// Seconds since the Unix epoch, as a float (for progress timings).
pub fn now_secs() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0)
}
