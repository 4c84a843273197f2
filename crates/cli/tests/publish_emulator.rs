//! `confluence-publish` against the emulator: both kinds of Confluence, both authentication
//! methods, create then update, and every corpus note accepted by a strict server.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use confluence_emulator::{Emulator, EmulatorConfig, Flavor, RunningEmulator};

const NOTE: &str = "Getting started/Create a vault.md";

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/obsidian-help-en")
}

fn emulator(flavor: Flavor, anonymous_access: bool) -> RunningEmulator {
    let mut config = EmulatorConfig::new(flavor);
    config.anonymous_access = anonymous_access;
    Emulator::start(config).expect("the emulator starts")
}

/// A copy of a corpus note in a fresh folder, so the test can let the CLI write to it.
fn copy_of(relative: &str, folder: &Path) -> PathBuf {
    let file_name = relative.replace('/', " - ");
    let target = folder.join(file_name);
    std::fs::copy(corpus().join(relative), &target).expect("the corpus note copies");
    target
}

/// Run the CLI with only the given `CONFLUENCE_*` variables set.
fn cli(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_confluence-publish"));
    command.args(args);
    for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("CONFLUENCE_")) {
        command.env_remove(name);
    }
    command
        .envs(env.iter().copied())
        .output()
        .expect("the CLI runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn auth_schemes(emulator: &RunningEmulator) -> Vec<String> {
    let requests = emulator.requests();
    for request in &requests {
        assert_eq!(
            request.spec_violation, None,
            "{} {}",
            request.method, request.path
        );
    }
    requests
        .iter()
        .map(|r| r.auth_scheme.clone().unwrap_or_default())
        .collect()
}

#[test]
fn data_center_with_a_token_creates_then_updates_the_page() {
    let emulator = emulator(Flavor::DataCenter, false);
    let folder = tempfile::tempdir().unwrap();
    let note = copy_of(NOTE, folder.path());
    let note_arg = note.to_str().unwrap();
    let env = [
        ("CONFLUENCE_BASE_URL", emulator.base_url()),
        ("CONFLUENCE_PAT", "pat-ada-0001"),
        ("CONFLUENCE_SPACE", "DOCS"),
    ];

    let first = cli(&["publish", note_arg], &env);
    assert!(first.status.success(), "{}", stderr(&first));
    let pages = emulator.pages();
    let page = pages
        .iter()
        .find(|p| p.title == "Getting started - Create a vault")
        .unwrap();
    assert_eq!(page.version, 1);
    let expected_url = format!(
        "{}/pages/viewpage.action?pageId={}",
        emulator.base_url(),
        page.id
    );
    assert_eq!(
        stdout(&first).trim(),
        format!(
            "Created \"Getting started - Create a vault\" (version 1): {expected_url} \
             (authenticated by personal access token)"
        )
    );
    let linked = std::fs::read_to_string(&note).unwrap();
    let frontmatter = format!(
        "---\naliases:\n  - Local vault\npermalink: vault\nconfluence-page-id: {}\n---\nA vault is",
        page.id
    );
    assert!(linked.starts_with(&frontmatter), "{linked}");

    let second = cli(&["publish", note_arg], &env);
    assert!(second.status.success(), "{}", stderr(&second));
    let updated = "Updated \"Getting started - Create a vault\" (version 2)";
    assert!(stdout(&second).starts_with(updated), "{}", stdout(&second));
    let pages = emulator.pages();
    assert_eq!(
        pages
            .iter()
            .filter(|p| p.id == page.id)
            .map(|p| p.version)
            .next(),
        Some(2)
    );
    assert!(auth_schemes(&emulator)
        .iter()
        .all(|scheme| scheme == "Bearer"));
}

#[test]
fn cloud_with_email_and_api_token_sends_basic() {
    let emulator = emulator(Flavor::Cloud, false);
    let folder = tempfile::tempdir().unwrap();
    let note = copy_of(NOTE, folder.path());
    let env = [
        ("CONFLUENCE_BASE_URL", emulator.base_url()),
        ("CONFLUENCE_USERNAME", "ada@example.com"),
        ("CONFLUENCE_API_TOKEN", "api-ada-0001"),
        ("CONFLUENCE_SPACE", "DOCS"),
        ("CONFLUENCE_DEPLOYMENT", "cloud"),
    ];
    for expected in ["Created", "Updated"] {
        let output = cli(&["publish", note.to_str().unwrap()], &env);
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(stdout(&output).starts_with(expected), "{}", stdout(&output));
    }
    let schemes = auth_schemes(&emulator);
    assert!(!schemes.is_empty() && schemes.iter().all(|scheme| scheme == "Basic"));
}

#[test]
fn a_token_wins_over_username_and_api_token() {
    let emulator = emulator(Flavor::DataCenter, false);
    let env = [
        ("CONFLUENCE_BASE_URL", emulator.base_url()),
        ("CONFLUENCE_PAT", "pat-ada-0001"),
        ("CONFLUENCE_USERNAME", "ada"),
        ("CONFLUENCE_API_TOKEN", "wrong"),
        ("CONFLUENCE_SPACE", "DOCS"),
    ];
    let output = cli(&["check"], &env);
    assert_eq!(
        stdout(&output).trim(),
        "Connected as Ada Lovelace to space Documentation (DOCS), authenticated by personal \
         access token."
    );
    assert_eq!(auth_schemes(&emulator), ["Bearer", "Bearer"]);
}

#[test]
fn a_wrong_token_answered_as_anonymous_fails_the_check() {
    let emulator = emulator(Flavor::DataCenter, true);
    let env = [
        ("CONFLUENCE_BASE_URL", emulator.base_url()),
        ("CONFLUENCE_PAT", "pat-WRONG-4242"),
        ("CONFLUENCE_SPACE", "DOCS"),
    ];
    let output = cli(&["check"], &env);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.starts_with("error: The personal access token was not accepted"),
        "{message}"
    );
    assert!(!message.contains("pat-WRONG-4242"), "{message}");
}

#[test]
fn a_missing_setting_is_named_and_nothing_is_sent() {
    let emulator = emulator(Flavor::DataCenter, false);
    let env = [
        ("CONFLUENCE_BASE_URL", emulator.base_url()),
        ("CONFLUENCE_SPACE", "DOCS"),
    ];
    let output = cli(&["check"], &env);
    assert_eq!(
        stderr(&output).trim(),
        "error: Atlassian username is empty: fill it in the plugin's settings."
    );
    assert!(emulator.requests().is_empty());
}

#[test]
fn the_emulator_accepts_every_corpus_note() {
    let emulator = emulator(Flavor::DataCenter, false);
    let folder = tempfile::tempdir().unwrap();
    let env = [
        ("CONFLUENCE_BASE_URL", emulator.base_url()),
        ("CONFLUENCE_PAT", "pat-ada-0001"),
        ("CONFLUENCE_SPACE", "DOCS"),
    ];
    let mut notes = Vec::new();
    collect_notes(&corpus(), &corpus(), &mut notes);
    assert_eq!(notes.len(), 173);
    let mut failures = Vec::new();
    for relative in &notes {
        let note = copy_of(relative, folder.path());
        let output = cli(&["publish", note.to_str().unwrap()], &env);
        if !output.status.success() {
            failures.push(format!("{relative}: {}", stderr(&output)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} refused:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        emulator.pages().len(),
        173 + 2,
        "173 notes plus the two seeded home pages"
    );
}

fn collect_notes(root: &Path, dir: &Path, found: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_notes(root, &path, found);
        } else if path.extension().is_some_and(|ext| ext == "md") {
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            found.push(relative);
        }
    }
}
