//! `confluence-emulator`: runs the emulator until killed.
//!
//! Prints exactly one line once it serves, `confluence-emulator listening on <BASE_URL>`, so a
//! script can wait for it and read the base URL from it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use confluence_emulator::{Emulator, EmulatorConfig, Flavor, Seed};

/// A local stand-in for Confluence, checked against Atlassian's OpenAPI documents.
#[derive(Parser)]
#[command(name = "confluence-emulator", version)]
struct Args {
    /// Which Confluence to emulate.
    #[arg(long, value_enum)]
    flavor: FlavorArg,
    /// Data Center context path, such as /confluence.
    #[arg(long)]
    context_path: Option<String>,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Seed file (users, spaces, permissions); see seed.example.json.
    #[arg(long)]
    seed: Option<PathBuf>,
    /// Turn anonymous access on.
    #[arg(long)]
    anonymous_access: bool,
    /// Folder of Atlassian's OpenAPI documents [default: $CONFLUENCE_SPECS, then
    /// ../shared/specs, ../../shared/specs, ../../../shared/specs].
    #[arg(long)]
    specs: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum FlavorArg {
    Dc,
    Cloud,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("confluence-emulator: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), String> {
    let seed = match &args.seed {
        Some(path) => Seed::from_file(path).map_err(|error| error.to_string())?,
        None => Seed::default(),
    };
    let config = EmulatorConfig {
        flavor: match args.flavor {
            FlavorArg::Dc => Flavor::DataCenter,
            FlavorArg::Cloud => Flavor::Cloud,
        },
        context_path: args.context_path,
        port: args.port,
        host: args.host,
        seed,
        anonymous_access: args.anonymous_access,
        specs_dir: args.specs,
    };
    let emulator = Emulator::start(config).map_err(|error| error.to_string())?;
    let mut stdout = std::io::stdout();
    writeln!(
        stdout,
        "confluence-emulator listening on {}",
        emulator.base_url()
    )
    .and_then(|()| stdout.flush())
    .map_err(|error| format!("cannot write to stdout: {error}"))?;
    // Serve until the process is killed; SIGTERM and SIGINT end it at once.
    loop {
        std::thread::park();
    }
}
