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
    /// Build an image from a Dockerfile
    Build(cli::build::Args),
    /// List images
    Images(cli::images::Args),
    /// Show the history of an image
    History(cli::history::Args),
    /// Display detailed information on one or more images
    Inspect(cli::inspect::Args),
    /// Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE
    Tag(cli::tag::Args),
    /// Remove one or more images
    Rmi(cli::rmi::Args),
    /// Run a command in a new container
    Run(cli::run::Args),
    /// Remove unused (dangling) images
    Prune(cli::prune::Args),
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(a) => cli::parse::main(a),
        Command::Lint(a) => cli::lint::main(a),
        Command::Save(a) => cli::save::main(a),
        Command::Load(a) => cli::load::main(a),
        Command::Build(a) => cli::build::main(a),
        Command::Images(a) => cli::images::main(a),
        Command::History(a) => cli::history::main(a),
        Command::Inspect(a) => cli::inspect::main(a),
        Command::Tag(a) => cli::tag::main(a),
        Command::Rmi(a) => cli::rmi::main(a),
        Command::Run(a) => cli::run::main(a),
        Command::Prune(a) => cli::prune::main(a),
    };
    std::process::exit(cli::finish(result));
}
