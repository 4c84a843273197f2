//! Fixture tests for the Markdown to storage format converter.
//!
//! Each fixture is a set of files in `tests/fixtures/convert/`: `NAME.md` (the note),
//! `NAME.storage` (the exact expected output) and, when the conversion warns, `NAME.warnings`
//! (the expected warnings, one a line; no file means no warning). `NAME.extras` lists the
//! attachments, unresolved links, tags and diagrams the conversion reports (no file: none).
//! `NAME.links.json`, if present, is the resolver ([`Links`], as the plugin would pass it).
//! Every output must also pass [`check::check_storage`]. Fixtures are named by construct, or
//! by what broke for a regression.
//!
//! To review a change of output, run with `CONVERT_FIXTURES_BLESS=1`: mismatching expected files
//! are rewritten, and `git diff` shows what changed.

#[path = "convert_check.rs"]
mod check;

use std::path::{Path, PathBuf};

use publish_core::convert::{to_storage_with, Conversion, ConvertOptions, Links, MathOutput};

/// One `#[test]` per fixture, with the default options unless `with` gives others.
macro_rules! fixtures {
    ($($name:ident $(with $options:expr)?),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                run_fixture(stringify!($name), &fixtures!(@options $($options)?));
            }
        )*

        /// Every fixture the tests above run.
        const LISTED: &[&str] = &[$(stringify!($name)),*];
    };
    (@options) => { ConvertOptions::default() };
    (@options $options:expr) => { $options };
}

fixtures! {
    // Blocks and inline formatting.
    headings,
    heading_anchor_links,
    paragraphs_and_breaks,
    inline_formatting,
    rule,
    blockquote,
    list_tight,
    list_loose,
    list_nested,
    list_ordered_start,
    task_list,
    task_states_and_mixed_lists,
    table,
    table_cells,
    table_extra_cells,
    footnotes,
    // Callouts.
    callout_types,
    callout_titles,
    callout_foldable,
    callout_nested,
    github_alerts,
    // Code and math.
    code_fenced,
    code_indented,
    code_unknown_language,
    code_mermaid,
    code_cdata_end_split,
    code_cdata_end_zero_width with ConvertOptions::default().with_split_cdata(false),
    math_code,
    math_macro with ConvertOptions::default().with_math(MathOutput::Macro {
        inline: "mathinline".to_owned(),
        display: "mathblock".to_owned(),
    }),
    // Links, images and embeds.
    links,
    links_resolved,
    links_dotted_names,
    image_remote,
    image_local,
    image_unsupported,
    embed_images,
    embed_files,
    embed_notes,
    embed_recursion,
    wikilinks,
    highlights_and_comments,
    tags_block_ids_and_emoji,
    inline_html_relayed,
    // Regressions: text that broke pages in other tools.
    heading_ampersand,
    heading_code_first,
    inline_html_as_text,
    html_blocks,
    html_comments,
    entities,
    control_characters,
    image_after_text,
    front_matter,
    front_matter_lookalike,
    obsidian_syntax,
}

#[test]
fn every_fixture_on_disk_is_listed() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixture_dir())
        .expect("the fixture folder should exist")
        .map(|entry| entry.expect("fixture entries should be readable").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "md"))
        .filter(|path| !path.to_string_lossy().ends_with(".links.json"))
        .map(|path| {
            path.file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = LISTED.iter().map(|name| name.to_string()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "every NAME.md should have a line in fixtures!"
    );
}

fn run_fixture(name: &str, options: &ConvertOptions) {
    let markdown = read(&fixture_path(name, "md"));
    let links_path = fixture_path(name, "links.json");
    let links: Links = match std::fs::read_to_string(&links_path) {
        Ok(json) => serde_json::from_str(&json).expect("a links file should be valid JSON"),
        Err(_) => Links::default(),
    };
    let conversion = to_storage_with(&markdown, options, &links);
    let warnings: String = conversion
        .warnings
        .iter()
        .map(|w| [w.as_str(), "\n"].concat())
        .collect();

    let bless = std::env::var_os("CONVERT_FIXTURES_BLESS").is_some();
    compare(name, "storage", &conversion.storage, bless);
    compare(name, "warnings", &warnings, bless);
    compare(name, "extras", &extras(&conversion), bless);
    if let Err(problem) = check::check_storage(&conversion.storage) {
        panic!("{name}: the output should be valid storage format, but {problem}");
    }
}

/// The attachments, unresolved links, tags and diagrams, one a line.
fn extras(conversion: &Conversion) -> String {
    let mut lines = Vec::new();
    for attachment in &conversion.attachments {
        let (path, name, kind) = (
            &attachment.vault_path,
            &attachment.file_name,
            attachment.kind,
        );
        lines.push(format!("attachment {kind:?}: {path} -> {name}"));
    }
    for target in &conversion.unresolved_links {
        lines.push(format!("unresolved: {target}"));
    }
    for tag in &conversion.tags {
        lines.push(format!("tag: {tag}"));
    }
    for diagram in &conversion.diagrams_to_render {
        lines.push(format!(
            "diagram {}: {:?}",
            diagram.language, diagram.source
        ));
    }
    lines
        .iter()
        .map(|line| [line.as_str(), "\n"].concat())
        .collect()
}

/// Asserts that `actual` matches `NAME.EXTENSION` (a missing file stands for empty), or
/// rewrites the file when blessing.
fn compare(name: &str, extension: &str, actual: &str, bless: bool) {
    let path = fixture_path(name, extension);
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected == actual {
        return;
    }
    if bless {
        write(&path, actual);
        return;
    }
    assert_eq!(
        actual,
        expected,
        "{name}: the {extension} should match {}",
        path.display()
    );
}

fn write(path: &Path, contents: &str) {
    if contents.is_empty() {
        std::fs::remove_file(path).expect("a stale expected file should be removable");
    } else {
        std::fs::write(path, contents).expect("an expected file should be writable");
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("{} should be readable: {error}", path.display()))
}

fn fixture_path(name: &str, extension: &str) -> PathBuf {
    fixture_dir().join(format!("{name}.{extension}"))
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/convert")
}
