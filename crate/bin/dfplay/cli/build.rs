//! `dfplay build [-f FILE] [-t NAME:TAG]... [--target STAGE] [--build-arg K=V]...
//! [--no-cache] [--progress plain|tty|auto] [--output type=…,dest=…] [-q]
//! [--executor builtin|bwrap] CONTEXT`

use super::{open_session, CliError, CliResult};
use dfplay::build::progress::{render_tty, PlainRenderer, Summary};
use dfplay::terminal::exec::{self, ProgressMode};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Name of the Dockerfile (default: CONTEXT/Dockerfile)
    #[arg(short = 'f', long = "file")]
    file: Option<PathBuf>,
    /// Name and optionally a tag (format: "name:tag")
    #[arg(short = 't', long = "tag")]
    tags: Vec<String>,
    /// Set the target build stage to build
    #[arg(long)]
    target: Option<String>,
    /// Set build-time variables
    #[arg(long = "build-arg")]
    build_args: Vec<String>,
    /// Do not use cache when building the image
    #[arg(long)]
    no_cache: bool,
    /// Set type of progress output ("auto", "plain", "tty")
    #[arg(long, default_value = "auto")]
    progress: String,
    /// Output destination (format: "type=local,dest=path")
    #[arg(short = 'o', long = "output")]
    output: Option<String>,
    /// Suppress the build output and print image ID on success
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Where RUN steps run: "builtin" (the builtin shell and the labelled simulations)
    /// or "bwrap" (for real, in bubblewrap; needs real programs in the image)
    #[arg(long, default_value = "builtin")]
    executor: String,
    /// Build context directory
    context: PathBuf,
}

pub fn main(args: Args) -> CliResult {
    let mut ctx = dfplay::host::load_context(&args.context, args.file.as_deref()).map_err(|e| CliError::new(e.to_string()))?;
    if ctx.dockerfile_name.is_empty() {
        ctx.dockerfile_name = "Dockerfile".into();
    }
    let line = dfplay::terminal::Build {
        tags: args.tags.clone(),
        target: args.target.clone(),
        build_args: args
            .build_args
            .iter()
            .map(|s| match s.split_once('=') {
                Some((k, v)) => dfplay::terminal::BuildArg { name: k.to_string(), value: Some(v.to_string()) },
                None => dfplay::terminal::BuildArg { name: s.clone(), value: None },
            })
            .collect(),
        no_cache: args.no_cache,
        ..Default::default()
    };
    let mut opts = exec::build_options(&line, &|k| std::env::var(k).ok()).map_err(CliError::new)?;
    opts.source_date_epoch = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.parse().ok());
    let mode = match args.progress.as_str() {
        "auto" if std::io::stderr().is_terminal() => "tty",
        "auto" => "plain",
        "plain" | "tty" | "quiet" => args.progress.as_str(),
        other => return Err(CliError::new(format!("invalid progress mode {other:?}: use auto, plain or tty"))),
    };
    let mode = if args.quiet { "quiet" } else { mode };
    let live = mode == "tty" && std::io::stderr().is_terminal();
    let executor = super::host_executor(&args.executor)?;
    let mut session = open_session()?;
    session.executor = executor;
    let start = dfplay::host::now_secs();
    let clock = || dfplay::host::now_secs();
    let mut plain = PlainRenderer::new();
    let mut summary = Summary::default();
    let mut lines_drawn = 0usize;
    let stderr = std::io::stderr();
    if mode == "plain" {
        let _ = write!(stderr.lock(), "{}", PlainRenderer::header());
    }
    let mut sink = |e: &dfplay::build::progress::Event| match mode {
        "plain" => {
            let _ = write!(stderr.lock(), "{}", plain.render(e));
        }
        "tty" => {
            summary.apply(e);
            if live {
                let frame = render_tty(&summary, 0, dfplay::host::now_secs() - start, false, terminal_width());
                let mut err = stderr.lock();
                if lines_drawn > 0 {
                    let _ = write!(err, "\x1b[{lines_drawn}A\x1b[0G");
                }
                for l in frame.lines() {
                    let _ = writeln!(err, "{l}\x1b[K");
                }
                lines_drawn = frame.lines().count();
            }
        }
        _ => {}
    };
    let result = session.build(&ctx, &opts, &clock, &mut sink, &|| false);
    if live && lines_drawn > 0 {
        // the final frame replaces the live one
        let _ = write!(stderr.lock(), "\x1b[{lines_drawn}A\x1b[0G");
    }
    let shown = match mode {
        "tty" => ProgressMode::Tty,
        "plain" => ProgressMode::Plain,
        _ => ProgressMode::Quiet,
    };
    exec::render_build_end(&result, shown, terminal_width(), &mut super::print);
    match result {
        Ok(built) => {
            if let Some(o) = &args.output {
                super::export::write_output(&mut session, &built.image, o)?;
            }
            Ok(0)
        }
        Err(_) => Ok(1),
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).unwrap_or(80)
}

