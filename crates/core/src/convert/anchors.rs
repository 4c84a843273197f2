//! Same-page anchors: every heading carries an `anchor` macro whose name this module derives.
//!
//! Confluence derives its own heading anchors differently on Data Center (`PageTitle-Heading`,
//! spaces removed) and Cloud (spaces as `-`, some punctuation dropped), and both change when
//! the page is renamed. So each heading gets an explicit `anchor` macro, and links point at it
//! with `ac:link ac:anchor`, which works the same on every version.
//!
//! The name is the heading's text, lower-cased, with every run of characters other than
//! letters and digits replaced by one `-`, trimmed of `-` (`Tips & tricks (2)` →
//! `tips-tricks-2`): the same for the heading and for a link to it however the link spells the
//! punctuation, and free of the `()` that Cloud strips. A heading whose name is taken gets
//! `--2`, `--3`...; links match the first, as in Obsidian. A derived name never holds `--`, so
//! the second `Intro` (`intro--2`) cannot take the name of a heading `Intro 2` (`intro-2`). A
//! name with no letter or digit is `section`. Block ids (`^abc-1`) keep their own anchor, `abc-1`.

use std::collections::{HashMap, HashSet};

/// The anchor names already given on the page.
#[derive(Debug, Default)]
pub struct Anchors {
    taken: HashSet<String>,
    /// The last number given to each repeated name, so repeats cost no rescan.
    counters: HashMap<String, usize>,
}

impl Anchors {
    /// A fresh anchor name for a heading whose text is `heading`.
    pub fn for_heading(&mut self, heading: &str) -> String {
        let base = anchor_name(heading);
        let mut name = base.clone();
        let counter = self.counters.entry(base.clone()).or_insert(1);
        while self.taken.contains(&name) {
            *counter += 1;
            name = [base.as_str(), "--", &counter.to_string()].concat();
        }
        self.taken.insert(name.clone());
        name
    }
}

/// The anchor a link to the heading or block `section` points at.
pub fn anchor_name(section: &str) -> String {
    if let Some(block) = section.strip_prefix('^') {
        return block.trim().to_owned();
    }
    let mut name = String::with_capacity(section.len());
    for c in section.chars() {
        if c.is_alphanumeric() {
            name.extend(c.to_lowercase());
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let trimmed = name.trim_end_matches('-');
    if trimmed.is_empty() {
        "section".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_drop_punctuation_and_case() {
        assert_eq!(anchor_name("Tips & tricks (2)"), "tips-tricks-2");
        assert_eq!(anchor_name("  Ünïcode  héading "), "ünïcode-héading");
        assert_eq!(anchor_name("!!!"), "section");
        assert_eq!(anchor_name("^abc-1"), "abc-1");
    }

    #[test]
    fn repeated_headings_get_numbers() {
        let mut anchors = Anchors::default();
        assert_eq!(anchors.for_heading("Setup"), "setup");
        assert_eq!(anchors.for_heading("setup"), "setup--2");
        assert_eq!(anchors.for_heading("Setup!"), "setup--3");
        assert_eq!(anchors.for_heading("Setup 2"), "setup-2");
    }
}
