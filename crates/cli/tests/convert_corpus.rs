//! `confluence-publish convert` on every note of Obsidian's help vault prints well-formed
//! storage format.

use std::path::{Path, PathBuf};
use std::process::Command;

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/obsidian-help-en")
}

fn notes_under(dir: &Path, found: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a readable directory entry").path();
        if path.is_dir() {
            notes_under(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "md") {
            found.push(path);
        }
    }
}

/// Parse storage format as XML with the `ac:` and `ri:` prefixes declared, as Confluence does:
/// every element closed and nested, attributes quoted, only XML's own entities, no unknown
/// prefix.
fn well_formed(storage: &str) -> Result<(), String> {
    let document = format!(
        "<root xmlns=\"http://www.w3.org/1999/xhtml\" \
         xmlns:ac=\"http://atlassian.com/content\" \
         xmlns:ri=\"http://atlassian.com/resource/identifier\">{storage}</root>"
    );
    let mut reader = NsReader::from_str(&document);
    loop {
        let (resolved, event) = reader
            .read_resolved_event()
            .map_err(|e| format!("XML error: {e}"))?;
        if let ResolveResult::Unknown(prefix) = resolved {
            return Err(format!(
                "unknown prefix {}",
                String::from_utf8_lossy(&prefix)
            ));
        }
        match event {
            Event::Eof => return Ok(()),
            Event::Text(text) => {
                text.unescape().map_err(|e| format!("text: {e}"))?;
            }
            Event::Start(element) | Event::Empty(element) => {
                for attribute in element.attributes() {
                    let attribute = attribute.map_err(|e| format!("attribute: {e}"))?;
                    attribute
                        .unescape_value()
                        .map_err(|e| format!("attribute value: {e}"))?;
                }
            }
            _ => {}
        }
    }
}

#[test]
fn every_corpus_note_converts_to_well_formed_storage_format() {
    let mut notes = Vec::new();
    notes_under(&corpus_dir(), &mut notes);
    assert_eq!(notes.len(), 173, "the corpus should hold 173 notes");
    let mut failures = Vec::new();
    for note in &notes {
        let output = Command::new(env!("CARGO_BIN_EXE_confluence-publish"))
            .arg("convert")
            .arg(note)
            .output()
            .expect("the binary runs");
        let storage = String::from_utf8(output.stdout).expect("UTF-8 output");
        if !output.status.success() {
            failures.push(format!("{}: exit {}", note.display(), output.status));
        } else if storage.trim().is_empty() {
            failures.push(format!("{}: empty output", note.display()));
        } else if let Err(reason) = well_formed(&storage) {
            failures.push(format!("{}: {reason}", note.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} notes failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_checker_refuses_malformed_storage() {
    assert!(well_formed("<p>a<br></p>").is_err());
    assert!(well_formed("<p>&nbsp;</p>").is_err());
    assert!(well_formed("<x:y/>").is_err());
    assert!(
        well_formed("<p><ac:link><ri:page ri:content-title=\"A &amp; B\"/></ac:link></p>").is_ok()
    );
}
