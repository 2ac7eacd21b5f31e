//! `tessella`: the command line of Tessella's native origin.
//!
//! Today it inspects sources: `tessella inspect [PATH...]` probes each image by ranged reads through the
//! core's sans-IO probe loop and prints its info.json, the canonical form of typical viewer requests and
//! the tile plan for each. The IIIF server (`tessella serve`) comes with the origin issue.

mod inspect;
mod source_file;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "tessella", version, about = "IIIF image suite: inspect sources, serve the Image API")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Print info.json, canonical request URLs and tile plans for images (default: the sample folder).
    Inspect(inspect::Args),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TESSELLA_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Inspect(inspect::Args::default()));
    match command {
        Command::Inspect(args) => inspect::run(&args),
    }
}

/// The sample images shipped with the repository: `./samples` when run from the repository root,
/// otherwise the folder beside this crate.
pub fn default_samples_dir() -> PathBuf {
    let local = PathBuf::from("samples");
    if local.is_dir() { local } else { PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../samples")) }
}
