//! The `dfplay` command line: docker-shaped subcommands over the engine. Each
//! subcommand lives in its own file; `main` maps every error to an exit code here.

mod cli;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "dfplay", version, about = "A Dockerfile playground: parse, lint, build and run Dockerfiles without a daemon")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse a Dockerfile and print its syntax tree
    Parse(cli::parse::Args),
    /// Run BuildKit's build checks on a Dockerfile
    Lint(cli::lint::Args),
    /// Save one or more images to a tar archive (streamed to STDOUT by default)
    Save(cli::save::Args),
    /// Load an image from a tar archive or STDIN
    Load(cli::load::Args),
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(a) => cli::parse::main(a),
        Command::Lint(a) => cli::lint::main(a),
        Command::Save(a) => cli::save::main(a),
        Command::Load(a) => cli::load::main(a),
    };
    std::process::exit(cli::finish(result));
}
