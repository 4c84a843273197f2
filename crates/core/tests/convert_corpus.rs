//! Every note of Obsidian's help vault converts to storage format Confluence will take.
//!
//! The vault lives in `shared/corpus/obsidian-help-en/`, beside the repository. Each note is
//! converted with the default options, once knowing nothing of the vault and once with a
//! resolver knowing every file (so embedded notes are written in place), and run through
//! [`check::check_storage`]; the test reports every failing file at once. The checker's own
//! tests follow.

#[path = "convert_check.rs"]
mod check;
#[path = "convert_vault.rs"]
mod vault;

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use publish_core::convert::{to_storage, to_storage_with, ConvertOptions, Links};

use self::vault::{markdown_files, vault_links, vault_root, NOTE_COUNT};

#[test]
fn every_help_note_converts_to_valid_storage() {
    let root = vault_root();
    let notes = markdown_files(&root);
    let empty = Links::default();
    let links = vault_links(&root);
    let failures: Vec<String> = notes
        .iter()
        .flat_map(|path| [failure(&root, path, &empty), failure(&root, path, &links)])
        .flatten()
        .collect();

    assert_eq!(
        notes.len(),
        NOTE_COUNT,
        "the corpus should hold {NOTE_COUNT} notes"
    );
    assert!(
        failures.is_empty(),
        "{} notes failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn converting_twice_gives_the_same_page() {
    let root = vault_root();
    let note = root.join("Editing and formatting/Basic formatting syntax.md");
    let markdown = std::fs::read_to_string(&note).expect("the corpus should hold this note");
    let options = ConvertOptions::default();
    assert_eq!(
        to_storage(&markdown, &options),
        to_storage(&markdown, &options)
    );
}

/// What is wrong with the conversion of `path`, if anything, named by its place in the vault.
fn failure(root: &Path, path: &Path, links: &Links) -> Option<String> {
    let name = path
        .strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string();
    let markdown = match std::fs::read_to_string(path) {
        Ok(markdown) => markdown,
        Err(error) => return Some(format!("{name}: unreadable: {error}")),
    };
    let converted = panic::catch_unwind(AssertUnwindSafe(|| {
        to_storage_with(&markdown, &ConvertOptions::default(), links)
    }));
    match converted {
        Ok(conversion) => check::check_storage(&conversion.storage)
            .err()
            .map(|problem| format!("{name}: {problem}")),
        Err(_) => Some(format!("{name}: the converter panicked")),
    }
}

// The checker itself.

fn rejects(storage: &str, should_mention: &str) {
    let problem = check::check_storage(storage).expect_err("the checker should reject this");
    assert!(
        problem.contains(should_mention),
        "should mention {should_mention:?}: {problem}"
    );
}

#[test]
fn checker_accepts_typical_storage() {
    let storage = "<h2>A &amp; B</h2>\n<ul>\n<li>x<ul><li>y</li></ul></li>\n</ul>\n\
                   <ac:structured-macro ac:name=\"code\"><ac:parameter ac:name=\"language\">py\
                   </ac:parameter><ac:plain-text-body><![CDATA[a]]]]><![CDATA[>]]>\
                   </ac:plain-text-body></ac:structured-macro>\n\
                   <p><ac:image ac:alt=\"&quot;\"><ri:url ri:value=\"https://x?a=1&amp;b\"/>\
                   </ac:image></p>\n<table><tbody><tr><th><p>h</p></th></tr></tbody></table>";
    assert_eq!(check::check_storage(storage), Ok(()));
}

#[test]
fn checker_rejects_malformed_markup() {
    rejects("<p>open", "");
    rejects("<p><em>crossed</p></em>", "");
    rejects("<details open></details>", "");
    rejects("<p a=\"1\" a=\"2\"></p>", "");
    rejects("<x:y/>", "undeclared prefix");
}

#[test]
fn checker_rejects_named_entities_and_illegal_characters() {
    rejects("<p>a&nbsp;b</p>", "");
    rejects("<p>a\u{1}b</p>", "U+0001");
    rejects("<a href=\"&mdash;\">x</a>", "");
    rejects("<a href=\"<\">x</a>", "unescaped <");
}

#[test]
fn checker_rejects_bad_structure() {
    rejects("<ul><p>x</p></ul>", "<p> inside <ul>");
    rejects("<ol>loose</ol>", "directly in <ol>");
    rejects(
        "<ac:task-list><li>x</li></ac:task-list>",
        "<li> inside <ac:task-list>",
    );
    rejects("<table><tr><td>x</td></tr></table>", "<tr> inside <table>");
    rejects("<h1><code>x</code> y</h1>", "starts with <code>");
}

#[test]
fn checker_rejects_bad_tasks_links_and_attachments() {
    let task = |id: &str| {
        format!(
            "<ac:task><ac:task-id>{id}</ac:task-id><ac:task-status>complete</ac:task-status>\
             <ac:task-body>x</ac:task-body></ac:task>"
        )
    };
    let tasks = format!("<ac:task-list>{}{}</ac:task-list>", task("1"), task("1"));
    rejects(&tasks, "used twice");
    let text_body = "<ac:link><ac:plain-text-link-body>x</ac:plain-text-link-body></ac:link>";
    rejects(text_body, "outside CDATA");
    let element_body =
        "<ac:link><ac:plain-text-link-body><b>x</b></ac:plain-text-link-body></ac:link>";
    rejects(element_body, "<b> inside <ac:plain-text-link-body>");
    let parameter = "<ac:structured-macro ac:name=\"view-file\"><ac:parameter ac:name=\"name\">\
                     <ri:attachment ri:filename=\"a.pdf\"/>x</ac:parameter></ac:structured-macro>";
    rejects(parameter, "ri:attachment and something else");
}

#[test]
fn checker_rejects_bad_macros() {
    let late_parameter = "<ac:structured-macro ac:name=\"code\"><ac:plain-text-body>\
                          <![CDATA[x]]></ac:plain-text-body><ac:parameter ac:name=\"language\">\
                          py</ac:parameter></ac:structured-macro>";
    rejects(late_parameter, "parameter after");
    let empty_language = "<ac:structured-macro ac:name=\"code\"><ac:parameter \
                          ac:name=\"language\"></ac:parameter></ac:structured-macro>";
    rejects(empty_language, "empty code language");
}
