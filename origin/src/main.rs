//! `tessella`: the command line of Tessella's native origin.
//!
//! `tessella serve` (the default with no arguments) serves the IIIF Image API; `tessella inspect [PATH...]`
//! probes images by ranged reads and prints their info.json, canonical request URLs and tile plans;
//! `tessella manifests BATCH.csv` builds IIIF Presentation manifests from a CSV batch.

mod convert_cli;
mod inspect;
mod manifests_command;
mod source_file;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tessella_origin::config::{Config, SourceKind};

#[derive(Parser)]
#[command(name = "tessella", version, about = "IIIF image suite: serve the Image API, inspect sources")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the IIIF Image API 3.0 and 2.1 (default: the sample folder on 127.0.0.1:8080).
    Serve(ServeArgs),
    /// Print info.json, canonical request URLs and tile plans for images (default: the sample folder).
    Inspect(inspect::Args),
    /// Convert a CSV batch of TIFFs (Bucketeer's columns) into serving derivatives, with a result CSV.
    Convert(convert_cli::Args),
    /// Build IIIF manifests and collections from a CSV batch into the manifest store, and write the CSV
    /// with an `IIIF Manifest URL` column (exit 2 when rows were left out).
    Manifests(manifests_command::Args),
}

#[derive(clap::Args, Default)]
struct ServeArgs {
    /// Serve images from this folder (overrides `source` in the config).
    #[arg(long)]
    images: Option<PathBuf>,
    /// Address to listen on, e.g. 0.0.0.0:8080 (overrides `listen`).
    #[arg(long)]
    listen: Option<String>,
    /// TOML configuration file (see tessella.example.toml); TESSELLA_* variables override it.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Print the effective configuration as JSON and exit.
    #[arg(long)]
    print_config: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve(ServeArgs::default()));
    // The server logs one line per request; inspect's stdout is JSON, so it only warns.
    let default_filter = if matches!(command, Command::Serve(_)) { "info" } else { "warn" };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TESSELLA_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_filter)),
        )
        .with_writer(std::io::stderr)
        .init();
    match command {
        Command::Inspect(args) => inspect::run(&args),
        Command::Convert(args) => convert_cli::run(&args),
        Command::Manifests(args) => manifests_command::run(&args),
        Command::Serve(args) => serve(&args),
    }
}

fn serve(args: &ServeArgs) -> ExitCode {
    // The flags go in before the checks: `--images` must not name a folder inside the cache store either.
    let flags = |config: &mut Config| {
        if let Some(images) = &args.images {
            config.source.kind = SourceKind::Local;
            config.source.path = images.clone();
        }
        if let Some(listen) = &args.listen {
            config.listen = listen.clone();
        }
    };
    let config = match Config::load_then(args.config.as_deref(), flags) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("tessella serve: {e}");
            return ExitCode::FAILURE;
        }
    };
    if args.print_config {
        println!("{}", serde_json::to_string_pretty(&config).unwrap_or_default());
        return ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("tessella serve: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&config.listen).await?;
        tessella_origin::serve(listener, config).await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tessella serve: {e}");
            ExitCode::FAILURE
        }
    }
}
