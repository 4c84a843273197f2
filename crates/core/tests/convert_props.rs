//! Property tests: whatever the note, the converter returns storage format Confluence will take.
//!
//! Two kinds of notes are generated: arbitrary Unicode strings, and strings built from Markdown,
//! Obsidian and HTML fragments chosen to clash (`<`, `&`, `]]>`, `[[`, `![[`, callouts, `==`,
//! `%%`, `$`, tables, fences, list and task markers, `<details open>`, named entities, control
//! characters, emoji, footnotes). Each is converted under both `split_cdata` settings, with math
//! as code and as app macros, and must pass [`check::check_storage`]: well-formed XML with the
//! `ac:`/`ri:` namespaces, lists holding only `li`, task lists only tasks, macro parameters
//! before the body; and `]]>` may stand only at the end of a CDATA section, which quick-xml does
//! not check. A panic fails the case too.
//!
//! Each property runs 256 cases by default; set `PROPTEST_CASES` for more or fewer, for example
//! `PROPTEST_CASES=20000 cargo test -p publish-core --test convert_props`. A failing case is
//! shrunk and printed, not saved: keep it as a file in `tests/fuzz_regressions/`, which
//! [`fuzz_regressions_convert_to_valid_storage`] replays together with the crashes `cargo fuzz`
//! found (`fuzz/fuzz_targets/convert.rs`).

#[path = "convert_check.rs"]
mod check;

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::Config;
use publish_core::convert::{to_storage, ConvertOptions, MathOutput};

/// Cases per property unless `PROPTEST_CASES` says otherwise.
const DEFAULT_CASES: u32 = 256;

/// Pieces of notes that mean something to CommonMark, Obsidian, HTML or XML, and clash.
const FRAGMENTS: &[&str] = &[
    "\n",
    "\n\n",
    " ",
    "    ",
    "\t",
    "text",
    "# ",
    "###### ",
    "Title\n===\n",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "2) ",
    "  - ",
    "- [ ] ",
    "- [x] ",
    "* [X] ",
    "> ",
    "> [!note] ",
    "> [!warning]- Title\n",
    "> [!tip]+ ",
    "`",
    "``",
    "```",
    "```rust\n",
    "```json title=\"a.json\"\n",
    "~~~\n",
    "*",
    "**",
    "_",
    "__",
    "~~",
    "==",
    "%%",
    "$",
    "$$",
    "|",
    "| a | b |\n|---|:-:|\n",
    "| x | `y|z` |\n",
    "[",
    "]",
    "(",
    ")",
    "[link](https://x.org/?a=1&b=<2>)",
    "![alt](img.png)",
    "[[",
    "]]",
    "![[",
    "[[Note#Heading|alias]]",
    "![[shot.png|300]]",
    "#tag",
    "^block-id",
    "[^1]",
    "[^note]: ",
    "<",
    ">",
    "&",
    "&amp;",
    "&nbsp;",
    "&mdash;",
    "&#0;",
    "&#x1F600;",
    "<br>",
    "<br/>",
    "<details open>",
    "<summary>",
    "</details>",
    "<div class=x>",
    "</div>",
    "<span>",
    "<List<String>>",
    "<!--",
    "-->",
    "<?xml?>",
    "]]>",
    "<![CDATA[",
    "---\n",
    "***\n",
    "\\",
    "\"",
    "'",
    "\u{0}",
    "\u{1}",
    "\u{B}",
    "\u{C}",
    "\u{1F}",
    "\u{7F}",
    "\u{85}",
    "\u{200B}",
    "\u{FEFF}",
    "\u{FFFE}",
    "\u{FFFF}",
    "\r\n",
    "\r",
    "😀",
    "👩‍👩‍👧",
    "é",
    "漢字",
    "\u{202E}",
];

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    Config {
        cases,
        // Failures are printed shrunk; they are kept by hand in `tests/fuzz_regressions/`.
        failure_persistence: None,
        ..Config::default()
    }
}

/// Notes of up to 80 pieces, each a fragment or an arbitrary character.
fn clashing_note() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => proptest::sample::select(FRAGMENTS).prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..80).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_text_converts_to_valid_storage(note in any::<String>()) {
        assert_valid_under_all_options(&note)?;
    }

    #[test]
    fn clashing_fragments_convert_to_valid_storage(note in clashing_note()) {
        assert_valid_under_all_options(&note)?;
    }

    #[test]
    fn unsplit_cdata_is_never_split(note in clashing_note()) {
        let options = ConvertOptions { split_cdata: false, ..ConvertOptions::default() };
        let storage = to_storage(&note, &options).storage;
        prop_assert!(
            !storage.contains("]]><![CDATA["),
            "with split_cdata false, CDATA should not be split\nstorage: {:?}",
            storage
        );
    }

    #[test]
    fn warnings_are_not_repeated(note in clashing_note()) {
        let warnings = to_storage(&note, &ConvertOptions::default()).warnings;
        for (index, warning) in warnings.iter().enumerate() {
            prop_assert!(!warnings[..index].contains(warning), "repeated warning {:?}", warning);
        }
    }
}

/// Every input kept in `tests/fuzz_regressions/` (raw bytes, read as lossy UTF-8 like the fuzz
/// target does) converts to valid storage under every option set.
#[test]
fn fuzz_regressions_convert_to_valid_storage() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let entries = std::fs::read_dir(&folder).expect("tests/fuzz_regressions/ should exist");
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.expect("regression entries should be readable").path())
        .filter(|path| path.file_name().is_some_and(|name| name != "README.md"))
        .collect();
    paths.sort();

    let failures: Vec<String> = paths.iter().filter_map(|path| regression(path)).collect();
    assert!(
        failures.is_empty(),
        "{} of {} regressions failed:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}

/// What is wrong with converting the input kept at `path`, if anything.
fn regression(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).expect("regression inputs should be readable");
    let note = String::from_utf8_lossy(&bytes);
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let outcome = std::panic::catch_unwind(|| assert_valid_under_all_options(&note));
    match outcome {
        Ok(Ok(())) => None,
        Ok(Err(problem)) => Some(format!("{name}: {problem}")),
        Err(_) => Some(format!("{name}: the converter panicked")),
    }
}

/// Fails, naming the options, the problem and the output, unless `note` converts to valid
/// storage under every setting of [`option_sets`].
fn assert_valid_under_all_options(note: &str) -> Result<(), TestCaseError> {
    for options in option_sets() {
        let storage = to_storage(note, &options).storage;
        if let Err(problem) = check::check_storage(&storage).and(cdata_ends(&storage)) {
            return Err(TestCaseError::fail(format!(
                "{options:?}: {problem}\nnote: {note:?}\nstorage: {storage:?}"
            )));
        }
    }
    Ok(())
}

/// Split CDATA sections on and off, each with math as code and as app macros.
fn option_sets() -> Vec<ConvertOptions> {
    let macros = MathOutput::Macro {
        inline: "mathinline".to_owned(),
        display: "mathblock".to_owned(),
    };
    let mut sets = Vec::new();
    for split_cdata in [true, false] {
        for math in [MathOutput::Code, macros.clone()] {
            sets.push(ConvertOptions { split_cdata, math });
        }
    }
    sets
}

/// `Err` if `]]>` stands outside a CDATA section. XML 1.0 forbids it in text (section 2.4), but
/// quick-xml, and so [`check::check_storage`], let it pass; it shows that a CDATA section ended
/// early.
fn cdata_ends(storage: &str) -> Result<(), String> {
    const OPEN: &str = "<![CDATA[";
    let mut rest = storage;
    loop {
        let open = rest.find(OPEN).unwrap_or(rest.len());
        if let Some(at) = rest[..open].find("]]>") {
            let at = storage.len() - rest.len() + at;
            return Err(format!("at byte {at}: ]]> outside a CDATA section"));
        }
        // An unclosed section is the checker's to report.
        let Some(close) = rest
            .get(open + OPEN.len()..)
            .and_then(|body| body.find("]]>"))
        else {
            return Ok(());
        };
        rest = &rest[open + OPEN.len() + close + "]]>".len()..];
    }
}
