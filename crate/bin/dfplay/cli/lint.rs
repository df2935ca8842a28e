//! `dfplay lint FILE [--format text|json]`: BuildKit's build checks, printed as
//! `docker build --check` prints them.
//!
//! Text goes to standard output exactly as buildx shows it (`Check complete, …`, then each
//! `WARNING: Rule - URL`, message and Dockerfile excerpt). Errors go to standard error as
//! `FILE:LINE:COL: message`; under `# check=error=true` warnings end with BuildKit's
//! `ERROR: lint violation found for rules: …`. `json` prints the whole report. The exit
//! status is 0 when the check passes (warnings alone pass), 1 when it fails.
//!
//! The build context's `.dockerignore` (for `CopyIgnoredFile`) is read as docker does:
//! `<Dockerfile>.dockerignore` beside the Dockerfile, else `.dockerignore` in the context
//! (the Dockerfile's directory unless `--context` says otherwise).

use super::{CliError, CliResult};
use dfplay::lint::{self, LintOptions};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// `docker build --check`'s output
    Text,
    /// The report as JSON (warnings with spans, errors, options in effect)
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// The build context directory (default: the Dockerfile's directory)
    #[arg(long)]
    context: Option<PathBuf>,
    /// A .dockerignore to use instead of the context's
    #[arg(long)]
    dockerignore: Option<PathBuf>,
    /// A build argument, NAME=value (BUILDKIT_DOCKERFILE_CHECK selects the rules)
    #[arg(long = "build-arg", value_name = "NAME=value")]
    build_args: Vec<String>,
    /// Check only the stages this target needs (past the FROM lines)
    #[arg(long)]
    target: Option<String>,
    /// The Dockerfile, or - for standard input
    file: String,
}

/// The `.dockerignore` docker would use, if any.
fn dockerignore(args: &Args) -> Result<Option<Vec<u8>>, CliError> {
    if let Some(p) = &args.dockerignore {
        return std::fs::read(p).map(Some).map_err(|e| CliError::new(format!("{}: {e}", p.display())));
    }
    let mut candidates = Vec::new();
    if args.file != "-" {
        candidates.push(PathBuf::from(format!("{}.dockerignore", args.file)));
    }
    let context = match &args.context {
        Some(c) => Some(c.clone()),
        None if args.file != "-" => Some(Path::new(&args.file).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)),
        None => None,
    };
    if let Some(c) = context {
        let c = if c.as_os_str().is_empty() { PathBuf::from(".") } else { c };
        candidates.push(c.join(".dockerignore"));
    }
    for p in candidates {
        if p.is_file() {
            return std::fs::read(&p).map(Some).map_err(|e| CliError::new(format!("{}: {e}", p.display())));
        }
    }
    Ok(None)
}

pub fn main(args: Args) -> CliResult {
    let input = super::read_input(&args.file)?;
    let ignore = dockerignore(&args)?;
    let mut options = LintOptions { dockerignore: ignore.as_deref(), target: args.target.clone(), ..Default::default() };
    for a in &args.build_args {
        let (k, v) = a.split_once('=').ok_or_else(|| CliError::new(format!("invalid build arg {a:?}: expected NAME=value")))?;
        options.build_args.insert(k.to_owned(), v.to_owned());
    }
    let report = lint::check(&input, &options);
    let (shown, located) = if args.file == "-" {
        ("Dockerfile".to_owned(), "<stdin>")
    } else {
        (Path::new(&args.file).file_name().map_or_else(|| args.file.clone(), |n| n.to_string_lossy().into_owned()), args.file.as_str())
    };
    match args.format {
        Format::Text => print!("{}", lint::render_text(&report, &shown, &input)),
        Format::Json => {
            let json = serde_json::to_string_pretty(&report).map_err(|e| CliError::new(e.to_string()))?;
            println!("{json}");
        }
    }
    if !report.parse_errors.is_empty() {
        let lines: Vec<String> =
            report.parse_errors.iter().map(|d| format!("{located}:{}:{}: {}", d.line, d.col, d.buildkit_message())).collect();
        return Err(CliError::bare(lines.join("\n"), 1));
    }
    if let Some(v) = &report.violation {
        return Err(CliError::new(v.clone()));
    }
    Ok(0)
}
