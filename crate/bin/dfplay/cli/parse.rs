//! `dfplay parse [--format buildkit|json] FILE|-`
//!
//! `buildkit` prints BuildKit's `Node.Dump()` of the syntax tree (what BuildKit's parser
//! test corpus holds); `json` prints the typed instructions grouped into stages, with spans.
//! Errors print as `FILE:LINE:COL: message` (standard input is `<stdin>`) and exit 1;
//! warnings print as `FILE:LINE:COL: warning: message` and do not change the exit status.

use super::{CliError, CliResult};
use dfplay::syntax::{self, Diagnostic};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// BuildKit's `Node.Dump()` form, one s-expression per instruction
    Buildkit,
    /// Typed instructions grouped into stages, with byte spans and lines/columns
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// Output format
    #[arg(long, value_enum, default_value = "buildkit")]
    format: Format,
    /// The Dockerfile, or - for standard input
    file: String,
}

/// Prints warnings as `FILE:LINE:COL: warning: message`; errors become one `CliError`
/// of `FILE:LINE:COL: message` lines (exit status 1).
fn report(name: &str, diagnostics: &[Diagnostic]) -> Result<(), CliError> {
    let mut errors = Vec::new();
    for d in diagnostics {
        if d.is_error() {
            errors.push(format!("{name}:{}:{}: {}", d.line, d.col, d.buildkit_message()));
        } else {
            eprintln!("{name}:{}:{}: warning: {}", d.line, d.col, d.buildkit_message());
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(CliError::bare(errors.join("\n"), 1))
    }
}

pub fn main(args: Args) -> CliResult {
    let input = super::read_input(&args.file)?;
    let name = if args.file == "-" { "<stdin>" } else { args.file.as_str() };
    let parsed = syntax::parse(&input);
    match args.format {
        Format::Buildkit => {
            report(name, &parsed.diagnostics)?;
            print!("{}", syntax::dump(&parsed.tree));
            Ok(0)
        }
        Format::Json => {
            let lowered = dfplay::instructions::lower(&parsed.tree);
            let mut all = parsed.diagnostics.clone();
            all.extend(lowered.diagnostics.iter().cloned());
            report(name, &all)?;
            let json = serde_json::to_string_pretty(&lowered).map_err(|e| CliError::new(e.to_string()))?;
            println!("{json}");
            Ok(0)
        }
    }
}
