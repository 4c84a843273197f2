//! `confluence-publish`: the plugin's core for terminals and CI pipelines.
//!
//! `convert NOTE.md` prints the note as storage format; `check` tests the connection;
//! `publish NOTE.md` creates or updates the note's page and writes `confluence-page-id` back
//! into the note. Settings come from flags or the environment (`CONFLUENCE_BASE_URL`,
//! `CONFLUENCE_PAT`, `CONFLUENCE_USERNAME`, `CONFLUENCE_API_TOKEN`, `CONFLUENCE_SPACE`,
//! `CONFLUENCE_PARENT_ID`); a personal access token, when given, wins over username and API
//! token, as the toggle does in the plugin.
//!
//! This is one of the two places that do IO (the other is the TypeScript shim): it reads and
//! writes the note and sends the requests the core builds, with `ureq`. It never prints a
//! token: errors come from the core, whose messages hold none.

mod transport;
mod vault;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::builder::BoolishValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};
use publish_core::auth::Secret;
use publish_core::convert::{to_storage, ConvertOptions};
use publish_core::flow::{ConnectionCheck, FolderInput, FolderJob, Layout, PublishJob};
use publish_core::note;
use publish_core::settings::{DeploymentChoice, Settings};

use crate::transport::{drive, drive_observed, Transport};
use crate::vault::Vault;

#[derive(Parser)]
#[command(
    name = "confluence-publish",
    version,
    about = "Publish Obsidian notes to Confluence"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print a note as Confluence storage format.
    Convert { note: PathBuf },
    /// Test the connection: who the credentials belong to and whether the space can be read.
    Check(ConnectionArgs),
    /// Create or update the note's page, then write confluence-page-id into the note. Given a
    /// folder, publish every note in it, the folders becoming parent pages.
    Publish {
        note: PathBuf,
        /// The vault folder (default: the nearest folder above the note with .obsidian, else
        /// the note's folder). Links and embeds are resolved within it.
        #[arg(long)]
        vault: Option<PathBuf>,
        /// When a page with the note's title exists and the note is not linked to it, publish
        /// onto that page and link the note to it (for a folder: every note).
        #[arg(long)]
        link_existing: bool,
        /// Overwrite edits made in Confluence since the note was last published (for a folder:
        /// on every note's page).
        #[arg(long)]
        overwrite: bool,
        /// Also publish the notes this note links to that have no page yet, down to this many
        /// levels of links (0 keeps such links as plain text). At most 50 notes.
        #[arg(long, default_value_t = 0)]
        publish_linked: usize,
        /// Where linked notes published with --publish-linked go.
        #[arg(long, value_enum, default_value_t = Placement::Children)]
        linked_as: Placement,
        #[command(flatten)]
        connection: ConnectionArgs,
    },
}

/// Prefer the environment for tokens: flags show in process lists.
#[derive(Args)]
struct ConnectionArgs {
    /// Confluence base URL, e.g. https://confluence.example.com or https://site.atlassian.net/wiki
    #[arg(long, env = "CONFLUENCE_BASE_URL")]
    base_url: Option<String>,
    /// Personal access token (Server / Data Center 7.9+); wins over username and API token.
    #[arg(long, env = "CONFLUENCE_PAT", hide_env_values = true)]
    pat: Option<String>,
    /// Atlassian username: your account's email (Cloud).
    #[arg(long, env = "CONFLUENCE_USERNAME")]
    username: Option<String>,
    /// Atlassian API token (Cloud).
    #[arg(long, env = "CONFLUENCE_API_TOKEN", hide_env_values = true)]
    api_token: Option<String>,
    /// Space key, e.g. DOCS.
    #[arg(long, env = "CONFLUENCE_SPACE")]
    space: Option<String>,
    /// Parent page ID; empty puts new pages at the space's top level.
    #[arg(long, env = "CONFLUENCE_PARENT_ID")]
    parent_id: Option<String>,
    /// Confluence Data Center 8.0 to 8.2: write `]]>` in code blocks in a form those accept.
    #[arg(long, env = "CONFLUENCE_DC_CDATA_WORKAROUND", value_parser = BoolishValueParser::new())]
    dc_cdata_workaround: bool,
    /// Send credentials over http:// to another machine (unencrypted).
    #[arg(long, env = "CONFLUENCE_ALLOW_HTTP", value_parser = BoolishValueParser::new())]
    allow_http: bool,
    /// Kind of Confluence.
    #[arg(long, env = "CONFLUENCE_DEPLOYMENT", value_enum, default_value_t = Kind::Auto)]
    deployment: Kind,
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    /// Cloud when the host ends in atlassian.net.
    Auto,
    Cloud,
    Datacenter,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<String, String> {
    match command {
        Command::Convert { note } => convert(&note),
        Command::Check(connection) => check(&connection.settings()),
        Command::Publish {
            note,
            vault,
            link_existing,
            overwrite,
            publish_linked,
            linked_as,
            connection,
        } => {
            let choices = Choices {
                vault,
                link_existing,
                overwrite,
                publish_linked,
                linked_as,
            };
            publish(&note, &choices, &connection.settings())
        }
    }
}

fn convert(path: &Path) -> Result<String, String> {
    let markdown = read_note(path)?;
    let note = note::parse(&path.to_string_lossy(), &markdown).map_err(|e| e.to_string())?;
    let conversion = to_storage(note.body, &ConvertOptions::default());
    for warning in &conversion.warnings {
        eprintln!("warning: {warning}");
    }
    Ok(conversion.storage)
}

fn check(settings: &Settings) -> Result<String, String> {
    let flow = ConnectionCheck::new(settings).map_err(|e| e.to_string())?;
    let report = drive(flow, &Transport::new(Path::new(".")))?;
    for step in &report.steps {
        eprintln!("ok: {step}");
    }
    Ok(report.summary)
}

/// What the user chose for one publish.
struct Choices {
    vault: Option<PathBuf>,
    link_existing: bool,
    overwrite: bool,
    publish_linked: usize,
    linked_as: Placement,
}

/// Where linked notes go.
#[derive(Clone, Copy, ValueEnum)]
enum Placement {
    /// Under the note's page.
    Children,
    /// Beside the note's page, under the same parent.
    Siblings,
}

/// The most notes --publish-linked adds.
const MAX_LINKED_NOTES: usize = 50;

fn publish(path: &Path, choices: &Choices, settings: &Settings) -> Result<String, String> {
    let vault = Vault::around(path, choices.vault.as_deref())?;
    if path.is_dir() {
        return publish_folder(&vault, path, choices, settings);
    }
    let relative = vault.relative(path);
    let linked = vault.unpublished_links(&relative, choices.publish_linked, MAX_LINKED_NOTES);
    if !linked.is_empty() {
        return publish_with_linked(&vault, &relative, &linked, choices, settings);
    }
    let markdown = read_note(path)?;
    let mut input = vault.publish_input(&relative, markdown.clone())?;
    input.link_existing_page = choices.link_existing;
    input.overwrite_remote_edits = choices.overwrite;
    let flow = PublishJob::new(settings, input).map_err(|e| e.to_string())?;
    let outcome = match drive(flow, &Transport::new(vault.root())) {
        Ok(outcome) => outcome,
        Err(stopped) => {
            // The page exists even though a later step failed: link the note to it anyway.
            if let Some(page_id) = &stopped.page_id {
                link_note(path, &markdown, page_id)?;
            }
            return Err(with_flag_hint(stopped.kind, stopped.message));
        }
    };
    link_note(path, &markdown, &outcome.page_id)?;
    for warning in &outcome.warnings {
        eprintln!("warning: {warning}");
    }
    Ok(format!(
        "{} (authenticated by {})",
        outcome.summary, outcome.auth_method
    ))
}

/// Publish a note with the unpublished notes it links to.
fn publish_with_linked(
    vault: &Vault,
    main: &str,
    linked: &[String],
    choices: &Choices,
    settings: &Settings,
) -> Result<String, String> {
    let mut notes = Vec::new();
    for path in std::iter::once(main).chain(linked.iter().map(String::as_str)) {
        let mut input = vault.publish_input(path, read_note(&vault.root().join(path))?)?;
        input.link_existing_page = choices.link_existing && path == main;
        input.overwrite_remote_edits = choices.overwrite && path == main;
        notes.push(input);
    }
    let layout = match choices.linked_as {
        Placement::Children => Layout::ChildrenOfFirst,
        Placement::Siblings => Layout::Flat,
    };
    run_folder(
        vault,
        FolderInput {
            folder: String::new(),
            notes,
            layout,
        },
        settings,
    )
}

/// Publish every note under the folder `path`; one note failing does not stop the others.
/// `--link-existing` and `--overwrite` apply to every note.
fn publish_folder(
    vault: &Vault,
    path: &Path,
    choices: &Choices,
    settings: &Settings,
) -> Result<String, String> {
    let mut input = vault.folder_input(&vault.relative(path))?;
    for note in &mut input.notes {
        note.link_existing_page = choices.link_existing;
        note.overwrite_remote_edits = choices.overwrite;
    }
    run_folder(vault, input, settings)
}

/// `message`, with the flag that answers it on the command line, where the plugin would ask.
fn with_flag_hint(kind: &str, message: String) -> String {
    match kind {
        "title-taken" => format!("{message} Or publish onto it with --link-existing."),
        "edited-in-confluence" => format!("{message} Here, that is --overwrite."),
        _ => message,
    }
}

fn run_folder(vault: &Vault, input: FolderInput, settings: &Settings) -> Result<String, String> {
    let flow = FolderJob::new(settings, input).map_err(|e| e.to_string())?;
    // Each note gets its page id the moment its page exists, so that an interrupted run
    // leaves no page behind that the next run would find taken.
    let link_new_pages = |job: &mut FolderJob| {
        for linked in job.take_linked() {
            let note = vault.root().join(&linked.path);
            let written =
                read_note(&note).and_then(|text| link_note(&note, &text, &linked.page_id));
            if let Err(message) = written {
                eprintln!("error: {}: {message}", linked.path);
            }
        }
    };
    let outcome = drive_observed(flow, &Transport::new(vault.root()), link_new_pages)?;
    for published in &outcome.published {
        println!("{}: {}", published.path, published.outcome.summary);
    }
    for renamed in &outcome.retitled {
        eprintln!(
            "note: {} is published as \"{}\"",
            renamed.path, renamed.title
        );
    }
    for failed in &outcome.failed {
        let message = with_flag_hint(&failed.error.kind, failed.error.message.clone());
        eprintln!("error: {}: {message}", failed.path);
    }
    if outcome.failed.is_empty() {
        Ok(outcome.summary)
    } else {
        Err(outcome.summary)
    }
}

/// Write `confluence-page-id` into the note unless it is there already.
fn link_note(path: &Path, markdown: &str, page_id: &str) -> Result<(), String> {
    let linked = note::parse(&path.to_string_lossy(), markdown)
        .ok()
        .and_then(|n| n.page_id);
    if linked.as_deref() == Some(page_id) {
        return Ok(());
    }
    std::fs::write(path, note::with_page_id(markdown, page_id)).map_err(|error| {
        format!(
            "the page was published, but {} could not be updated with confluence-page-id: \
             {page_id}: {error}. Add it by hand before publishing again.",
            path.display()
        )
    })
}

fn read_note(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read the note {}: {error}", path.display()))
}

impl ConnectionArgs {
    fn settings(&self) -> Settings {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        Settings {
            base_url: text(&self.base_url),
            space_key: text(&self.space),
            parent_page_id: text(&self.parent_id),
            deployment: match self.deployment {
                Kind::Auto => DeploymentChoice::Auto,
                Kind::Cloud => DeploymentChoice::Cloud,
                Kind::Datacenter => DeploymentChoice::Datacenter,
            },
            use_personal_access_token: self.pat.as_deref().is_some_and(|pat| !pat.is_empty()),
            personal_access_token: Secret::new(text(&self.pat)),
            username: text(&self.username),
            api_token: Secret::new(text(&self.api_token)),
            allow_insecure_http: self.allow_http,
            data_center_cdata_workaround: self.dc_cdata_workaround,
            // Edits made in Confluence are refused unless `publish --overwrite`.
            ..Settings::default()
        }
    }
}
