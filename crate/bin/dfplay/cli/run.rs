//! `dfplay run [--rm] [--entrypoint X] [-e K=V]... [-w DIR] [-u USER]
//! [--executor builtin|bwrap] IMAGE [COMMAND [ARG...]]`

use super::{open_session, CliResult};

#[derive(clap::Args)]
pub struct Args {
    /// Automatically remove the container when it exits (always true here)
    #[arg(long)]
    rm: bool,
    /// Overwrite the default ENTRYPOINT of the image
    #[arg(long)]
    entrypoint: Option<String>,
    /// Set environment variables
    #[arg(short = 'e', long = "env")]
    env: Vec<String>,
    /// Working directory inside the container
    #[arg(short = 'w', long = "workdir")]
    workdir: Option<String>,
    /// Username or UID
    #[arg(short = 'u', long = "user")]
    user: Option<String>,
    /// Keep STDIN open (accepted, ignored)
    #[arg(short = 'i', long)]
    interactive: bool,
    /// Allocate a pseudo-TTY (accepted, ignored)
    #[arg(short = 't', long)]
    tty: bool,
    /// Where the container's process runs: "builtin" (the builtin shell) or "bwrap"
    /// (for real, in bubblewrap; needs real programs in the image)
    #[arg(long, default_value = "builtin")]
    executor: String,
    /// The image
    image: String,
    /// Command and arguments
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    command: Vec<String>,
}

pub fn main(args: Args) -> CliResult {
    let _ = (args.rm, args.interactive, args.tty);
    let executor = super::host_executor(&args.executor)?;
    let mut session = open_session()?;
    session.executor = executor;
    let r = dfplay::terminal::Run { image: args.image, command: args.command, entrypoint: args.entrypoint, env: args.env, workdir: args.workdir, user: args.user, rm: true, ..Default::default() };
    Ok(dfplay::terminal::exec::run(&mut session, &r, &mut super::print).status)
}
