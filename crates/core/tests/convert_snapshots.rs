//! Approval snapshots: whole pages for a dozen real notes of the help vault.
//!
//! Each snapshot in `tests/snapshots/NAME.snap` holds the page body, then the warnings,
//! attachments, unresolved links, tags and diagrams, for one note converted with the default
//! options and a resolver knowing the whole vault. To review a change of output, run with
//! `CONVERT_SNAPSHOTS_BLESS=1`, which rewrites the snapshots that differ, and read `git diff`.

#[path = "convert_check.rs"]
mod check;
#[path = "convert_vault.rs"]
mod vault;

use std::fmt::Write as _;
use std::path::PathBuf;

use publish_core::convert::{to_storage_with, Conversion, ConvertOptions};

use self::vault::{vault_links, vault_root};

/// One `#[test]` per snapshot: the test name, then the note's path in the vault.
macro_rules! snapshots {
    ($($name:ident: $note:literal),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                run_snapshot(stringify!($name), $note);
            }
        )*
    };
}

snapshots! {
    basic_formatting_syntax: "Editing and formatting/Basic formatting syntax.md",
    advanced_formatting_syntax: "Editing and formatting/Advanced formatting syntax.md",
    callouts: "Editing and formatting/Callouts.md",
    html_content: "Editing and formatting/HTML content.md",
    obsidian_flavored_markdown: "Editing and formatting/Obsidian Flavored Markdown.md",
    tags: "Editing and formatting/Tags.md",
    properties: "Editing and formatting/Properties.md",
    embed_files: "Linking notes and files/Embed files.md",
    internal_links: "Linking notes and files/Internal links.md",
    aliases: "Linking notes and files/Aliases.md",
    templates: "Plugins/Templates.md",
    home: "Home.md",
}

fn run_snapshot(name: &str, note: &str) {
    let root = vault_root();
    let markdown = std::fs::read_to_string(root.join(note)).expect("the note should exist");
    let conversion = to_storage_with(&markdown, &ConvertOptions::default(), &vault_links(&root));
    if let Err(problem) = check::check_storage(&conversion.storage) {
        panic!("{name}: the output should be valid storage format, but {problem}");
    }

    let actual = snapshot(&conversion);
    let path = snapshot_dir().join(format!("{name}.snap"));
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if actual == expected {
        return;
    }
    if std::env::var_os("CONVERT_SNAPSHOTS_BLESS").is_some() {
        std::fs::write(&path, actual).expect("a snapshot should be writable");
        return;
    }
    assert_eq!(
        actual,
        expected,
        "{name}: the page should match {}",
        path.display()
    );
}

/// The whole result as text.
fn snapshot(conversion: &Conversion) -> String {
    let mut text = conversion.storage.clone();
    let mut section = |title: &str, lines: Vec<String>| {
        let _ = writeln!(text, "--- {title}");
        for line in lines {
            let _ = writeln!(text, "{line}");
        }
    };
    section("warnings", conversion.warnings.clone());
    let attachments = conversion.attachments.iter();
    let attachments =
        attachments.map(|a| format!("{:?}: {} -> {}", a.kind, a.vault_path, a.file_name));
    section("attachments", attachments.collect());
    section("unresolved links", conversion.unresolved_links.clone());
    section("tags", conversion.tags.clone());
    let diagrams = conversion.diagrams_to_render.iter();
    section(
        "diagrams",
        diagrams
            .map(|d| format!("{}: {:?}", d.language, d.source))
            .collect(),
    );
    text
}

fn snapshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}
