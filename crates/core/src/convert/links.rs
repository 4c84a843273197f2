//! What the caller knows about the vault: the data that resolves links and embeds.
//!
//! The converter is sans-IO, so it cannot ask the vault where `[[Other note]]` points. The
//! caller builds a [`Links`] beforehand (in the plugin, from Obsidian's metadata cache) with
//! three maps, each keyed by a link target as the note writes it:
//!
//! - [`Links::pages`]: the Confluence page title of each published note (`Other note` →
//!   `Other note`), so `[[Other note]]` becomes an `ac:link` to that page;
//! - [`Links::files`]: the vault path of each attachment file (`shot.png` →
//!   `Attachments/shot.png`), reported back in [`super::Attachment::vault_path`];
//! - [`Links::notes`]: the Markdown of each note embedded with `![[Other note]]`.
//!
//! Lookup is forgiving the way Obsidian is: a target matches a key written with or without
//! `.md`, with `\` or `/`, percent-encoded or not, in any case; failing that, a target matches
//! a key with the same file name in another folder (the shortest such key, then the first in
//! sort order, so the choice never depends on hash order). [`LinkIndex`] does this matching in
//! time linear in the size of the maps, built once per conversion.
//!
//! Also here: splitting a link target into note and section (`Note#Heading`, `Note#^block`).

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Deserialize;

use super::target;

/// Link targets the caller resolved, as plain data (the wasm side passes a plain object).
///
/// ```
/// use publish_core::convert::{to_storage_with, ConvertOptions, Links};
///
/// let mut links = Links::default();
/// links.pages.insert("Setup".to_owned(), "Setup guide".to_owned());
/// let page = to_storage_with("See [[setup]].", &ConvertOptions::default(), &links);
/// assert!(page.storage.contains("ri:content-title=\"Setup guide\""));
/// assert!(page.unresolved_links.is_empty());
/// ```
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct Links {
    /// Confluence page title of each published note, by link target.
    pub pages: HashMap<String, String>,
    /// Vault path of each attachment file, by link target.
    pub files: HashMap<String, String>,
    /// Markdown (whole note, front matter included or not) of each note to embed, by target.
    pub notes: HashMap<String, String>,
}

/// A link target split at its first `#`: the note or file, and the section within it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target<'t> {
    /// The note or file; empty for a link within the page (`[[#Heading]]`).
    pub path: &'t str,
    /// What follows `#`, if anything: a heading (`A#B` for nested headings) or `^block`.
    pub section: Option<&'t str>,
}

impl<'t> Target<'t> {
    /// Splits `target` (already percent-decoded) at its first `#`.
    pub fn parse(target: &'t str) -> Self {
        match target.split_once('#') {
            Some((path, section)) => Self {
                path: path.trim(),
                section: Some(section.trim()),
            },
            None => Self {
                path: target.trim(),
                section: None,
            },
        }
    }

    /// The innermost heading or block of the section (`A#B` → `B`).
    pub fn last_section(&self) -> Option<&'t str> {
        let section = self.section?.rsplit('#').next().unwrap_or_default().trim();
        (!section.is_empty()).then_some(section)
    }

    /// What Obsidian shows for a wiki link without alias: `Note > Heading`, or `Heading`.
    pub fn display(&self) -> String {
        let mut shown = self.path.to_owned();
        for part in self.section.unwrap_or_default().split('#').map(str::trim) {
            if part.is_empty() {
                continue;
            }
            if !shown.is_empty() {
                shown.push_str(" > ");
            }
            shown.push_str(part);
        }
        shown
    }
}

/// One of [`Links`]' maps, indexed for forgiving lookup.
#[derive(Debug, Default)]
pub struct LinkIndex<'l> {
    exact: HashMap<String, &'l str>,
    by_name: HashMap<String, &'l str>,
}

impl<'l> LinkIndex<'l> {
    /// Indexes `map`.
    pub fn new(map: &'l HashMap<String, String>) -> Self {
        let mut keys: Vec<(&'l String, &'l String)> = map.iter().collect();
        keys.sort_by(|(a, _), (b, _)| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        let mut index = Self::default();
        for (key, value) in keys {
            let normal = normalize(key);
            let name = target::file_name(&normal).to_owned();
            index.by_name.entry(name).or_insert(value);
            index.exact.entry(normal.into_owned()).or_insert(value);
        }
        index
    }

    /// The value for `target`, if any.
    pub fn get(&self, target: &str) -> Option<&'l str> {
        if self.exact.is_empty() {
            return None;
        }
        let normal = normalize(target);
        if normal.is_empty() {
            return None;
        }
        let found = self.exact.get(normal.as_ref());
        let found = found.or_else(|| self.by_name.get(target::file_name(&normal)));
        found.copied()
    }
}

/// The three maps of [`Links`], indexed.
#[derive(Debug, Default)]
pub struct Resolver<'l> {
    pub pages: LinkIndex<'l>,
    pub files: LinkIndex<'l>,
    pub notes: LinkIndex<'l>,
}

impl<'l> Resolver<'l> {
    /// Indexes every map of `links`.
    pub fn new(links: &'l Links) -> Self {
        Self {
            pages: LinkIndex::new(&links.pages),
            files: LinkIndex::new(&links.files),
            notes: LinkIndex::new(&links.notes),
        }
    }
}

/// A target reduced to what matching ignores: case, `.md`, `\`, percent-encoding, a leading
/// `./` or `/`.
fn normalize(target: &str) -> Cow<'_, str> {
    let target = target.trim();
    let already_normal = !target.starts_with(['.', '/'])
        && !target
            .bytes()
            .any(|b| matches!(b, b'%' | b'\\') || b.is_ascii_uppercase() || !b.is_ascii());
    if already_normal {
        return Cow::Borrowed(target.strip_suffix(".md").unwrap_or(target));
    }
    let decoded = target::percent_decode(target).replace('\\', "/");
    let trimmed = decoded.trim_start_matches("./").trim_start_matches('/');
    let lower = trimmed.to_lowercase();
    Cow::Owned(match lower.strip_suffix(".md") {
        Some(stem) => stem.to_owned(),
        None => lower,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn lookup_forgives_case_extension_and_folder() {
        let pages = map(&[
            ("Folder/Other note.md", "Other"),
            ("b/Other note", "Longer"),
        ]);
        let index = LinkIndex::new(&pages);
        assert_eq!(index.get("folder/other note"), Some("Other"));
        assert_eq!(index.get("Other%20note.md"), Some("Longer"));
        assert_eq!(index.get("OTHER NOTE"), Some("Longer"));
        assert_eq!(index.get("Missing"), None);
        assert_eq!(index.get(""), None);
    }

    #[test]
    fn targets_split_into_path_and_section() {
        let target = Target::parse("Note#Head#Sub");
        assert_eq!(target.path, "Note");
        assert_eq!(target.last_section(), Some("Sub"));
        assert_eq!(target.display(), "Note > Head > Sub");
        assert_eq!(Target::parse("#^abc").display(), "^abc");
        assert_eq!(Target::parse("Note").section, None);
    }
}
