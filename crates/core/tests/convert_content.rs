//! No content is lost: the visible text of every help note appears in its page, in order.
//!
//! The visible text of a note is taken from pulldown-cmark's text events of its source, after
//! these are set aside, each for a stated reason:
//!
//! - front matter and `%%comments%%`: not content (comments are cut naively here, even in
//!   code, which only removes words from the check);
//! - callout markers `[!type]`: they become the macro's look, and the type word shows only
//!   when the callout has no title;
//! - the text inside images and embeds: an alt text or a size (`|300`), which is an attribute
//!   of the image, not text; an embedded note's own text is checked when that note is;
//! - raw HTML tags: markup, not text (relayed or shown as text, their words may only add);
//! - footnote definitions: moved to the end of the page, so checked in order on their own.
//!
//! The words (runs of letters and digits, lower-cased) of that text must appear in the words
//! of the page's text and CDATA, in the same order; other words may come between (anchor
//! names, default callout titles, embedded notes).

#[path = "convert_vault.rs"]
mod vault;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use quick_xml::events::Event as XmlEvent;
use quick_xml::reader::Reader;

use publish_core::convert::{to_storage_with, ConvertOptions};

use self::vault::{markdown_files, vault_links, vault_path, vault_root, NOTE_COUNT};

#[test]
fn every_help_note_keeps_its_words_in_order() {
    let root = vault_root();
    let links = vault_links(&root);
    let notes = markdown_files(&root);
    assert_eq!(
        notes.len(),
        NOTE_COUNT,
        "the corpus should hold {NOTE_COUNT} notes"
    );
    let mut failures = Vec::new();
    for path in &notes {
        let markdown = std::fs::read_to_string(path).expect("notes should be readable");
        let page = to_storage_with(&markdown, &ConvertOptions::default(), &links);
        let shown = words(&page_text(&page.storage));
        let (body, footnotes) = visible_words(&markdown);
        for (part, expected) in [("body", body), ("footnotes", footnotes)] {
            if let Err(missing) = in_order(&expected, &shown) {
                let name = vault_path(&root, path);
                failures.push(format!("{name} ({part}): lost {missing}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} notes lost text:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_check_finds_lost_words() {
    let shown = words("one two three");
    assert_eq!(in_order(&words("one three"), &shown), Ok(()));
    assert!(in_order(&words("three one"), &shown).is_err());
    let (body, footnotes) =
        visible_words("> [!tip]- Title\n> Body [^1] ![[a.png|300]]\n\n[^1]: Foot.\n");
    assert_eq!(body, ["title", "body"]);
    assert_eq!(footnotes, ["foot"]);
}

/// The words of the note's visible text: the body's, and the footnote definitions'.
fn visible_words(markdown: &str) -> (Vec<String>, Vec<String>) {
    let source = without_callout_markers(&without_comments(without_front_matter(markdown)));
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_MATH;
    let (mut body, mut footnotes) = (String::new(), String::new());
    let (mut in_image, mut in_footnote) = (0usize, 0usize);
    for event in Parser::new_ext(&source, options) {
        match event {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image -= 1,
            Event::Start(Tag::FootnoteDefinition(_)) => in_footnote += 1,
            Event::End(TagEnd::FootnoteDefinition) => in_footnote -= 1,
            Event::Text(text)
            | Event::Code(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text)
                if in_image == 0 =>
            {
                let target = if in_footnote > 0 {
                    &mut footnotes
                } else {
                    &mut body
                };
                target.push_str(&text);
                target.push(' ');
            }
            _ => {}
        }
    }
    (words(&body), words(&footnotes))
}

fn without_front_matter(markdown: &str) -> &str {
    let Some(rest) = markdown.strip_prefix("---\n") else {
        return markdown;
    };
    match rest.find("\n---\n") {
        Some(end) => &rest[end + 5..],
        None => markdown,
    }
}

fn without_comments(text: &str) -> String {
    text.split("%%").step_by(2).collect::<Vec<_>>().join(" ")
}

/// Each line's `[!type]` (with `+` or `-`) after its `>` markers, removed.
fn without_callout_markers(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let quoted = line.trim_start_matches(['>', ' ', '\t']);
        let prefix = &line[..line.len() - quoted.len()];
        let marker_end = quoted.strip_prefix("[!").and_then(|rest| rest.find(']'));
        match marker_end.filter(|_| prefix.contains('>')) {
            Some(end) => {
                let rest = quoted[end + 3..].trim_start_matches(['+', '-']);
                kept.push_str(prefix);
                kept.push_str(rest);
            }
            None => kept.push_str(line),
        }
    }
    kept
}

/// The text and CDATA of a storage-format body.
fn page_text(storage: &str) -> String {
    let document = ["<root>", storage, "</root>"].concat();
    let mut reader = Reader::from_str(&document);
    let mut text = String::new();
    loop {
        match reader.read_event().expect("the page should be well-formed") {
            XmlEvent::Text(piece) => text.push_str(&piece.unescape().unwrap_or_default()),
            XmlEvent::CData(piece) => text.push_str(&String::from_utf8_lossy(&piece)),
            XmlEvent::Eof => return text,
            _ => text.push(' '),
        }
    }
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// `Ok` if `expected` is a subsequence of `shown`; else the first word not found, with the
/// words before it.
fn in_order(expected: &[String], shown: &[String]) -> Result<(), String> {
    let mut shown = shown.iter();
    for (index, word) in expected.iter().enumerate() {
        if !shown.any(|candidate| candidate == word) {
            let before = expected[index.saturating_sub(6)..index].join(" ");
            return Err(format!("{word:?} after \"{before}\""));
        }
    }
    Ok(())
}
