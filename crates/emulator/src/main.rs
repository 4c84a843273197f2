//! `confluence-emulator`: runs the emulator until killed.
//!
//! Prints exactly one line once it serves, `confluence-emulator listening on <BASE_URL>`, so a
//! script can wait for it and read the base URL from it. `--version` names the Confluence
//! release to emulate (it does not print the emulator's own version).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use confluence_emulator::{Emulator, EmulatorConfig, Flavor, Seed};

/// A local stand-in for Confluence, checked against Atlassian's OpenAPI documents.
#[derive(Parser)]
#[command(name = "confluence-emulator")]
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
    /// Data Center release to emulate, such as 8.1.0 [default: 9.2.0]; below 7.9 Bearer tokens
    /// are not understood.
    #[arg(long = "version", value_name = "VERSION")]
    server_version: Option<String>,
    /// Data Center with Basic authentication switched off: user:password gets 401.
    #[arg(long)]
    basic_auth_disabled: bool,
    /// Largest attachment accepted, in bytes [default: the seed's maxAttachmentBytes, else
    /// 104857600].
    #[arg(long, value_name = "BYTES")]
    max_attachment_bytes: Option<u64>,
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
        server_version: args.server_version,
        basic_auth_disabled: args.basic_auth_disabled,
        max_attachment_bytes: args.max_attachment_bytes,
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
