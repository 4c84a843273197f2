//! Fixture tests for the Markdown to storage format converter.
//!
//! Each fixture is a set of files in `tests/fixtures/convert/`: `NAME.md` (the note),
//! `NAME.storage` (the exact expected output) and, when the conversion warns, `NAME.warnings`
//! (the expected warnings, one a line; no file means no warning). Every output must also pass
//! [`check::check_storage`]. Fixtures are named by construct, or by what broke for a regression.
//!
//! To review a change of output, run with `CONVERT_FIXTURES_BLESS=1`: mismatching expected files
//! are rewritten, and `git diff` shows what changed.

#[path = "convert_check.rs"]
mod check;

use std::path::{Path, PathBuf};

use publish_core::convert::{to_storage, ConvertOptions};

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
    paragraphs_and_breaks,
    inline_formatting,
    rule,
    blockquote,
    list_tight,
    list_loose,
    list_nested,
    list_ordered_start,
    task_list,
    table,
    footnotes,
    // Code.
    code_fenced,
    code_indented,
    code_unknown_language,
    code_cdata_end_split,
    code_cdata_end_zero_width with ConvertOptions { split_cdata: false },
    // Links, images and embeds.
    links,
    image_remote,
    image_local,
    image_unsupported,
    wikilinks,
    highlights_and_comments,
    // Regressions: text that broke pages in other tools.
    heading_ampersand,
    heading_code_first,
    inline_html_as_text,
    html_block_as_text,
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
    let conversion = to_storage(&markdown, options);
    let warnings: String = conversion
        .warnings
        .iter()
        .map(|w| [w.as_str(), "\n"].concat())
        .collect();

    let bless = std::env::var_os("CONVERT_FIXTURES_BLESS").is_some();
    compare(name, "storage", &conversion.storage, bless);
    compare(name, "warnings", &warnings, bless);
    if let Err(problem) = check::check_storage(&conversion.storage) {
        panic!("{name}: the output should be valid storage format, but {problem}");
    }
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
