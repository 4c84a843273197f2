//! A note as the publisher sees it: its frontmatter keys, its title and its body.
//!
//! The frontmatter is YAML between a first line `---` and a closing `---` (or `...`). Keys read
//! here: `confluence-page-id` (the page this note publishes to; written back after the first
//! publish), `confluence-title`, then `title`; `confluence-labels`, `confluence-parent-id` and
//! `confluence-space`; and, for notes published with the best-known earlier plugin,
//! `connie-page-id` and `connie-title`. Without either title key the file name, less
//! `.md`, is the title. A title is trimmed and must have 1 to 255 characters, as Confluence
//! requires. `tags` and `aliases` are read as lists (or one comma- or space-separated string for
//! tags, as Obsidian accepts), tags without a leading `#`. Broken YAML is an error: publishing
//! must not guess which page a note belongs to.

use thiserror::Error;
use yaml_rust2::{Yaml, YamlLoader};

/// The frontmatter key that links a note to its page.
pub const PAGE_ID_KEY: &str = "confluence-page-id";

/// The longest title Confluence accepts.
const MAX_TITLE_CHARS: usize = 255;

/// A note split into what publishing needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note<'a> {
    pub title: String,
    /// The page this note was published to before, if any.
    pub page_id: Option<String>,
    /// The Markdown after the frontmatter.
    pub body: &'a str,
    /// The frontmatter's `tags`, without `#`.
    pub tags: Vec<String>,
    /// The frontmatter's `aliases`.
    pub aliases: Vec<String>,
    /// `confluence-labels`: labels for the page besides the tags.
    pub labels: Vec<String>,
    /// `confluence-parent-id`: overrides the Parent page ID setting for this note.
    pub parent_id: Option<String>,
    /// `confluence-space`: overrides the Space key setting for this note.
    pub space_key: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum NoteError {
    #[error("The note's frontmatter is not valid YAML ({reason}). Fix it and publish again.")]
    Frontmatter { reason: String },
    #[error(
        "The note's {PAGE_ID_KEY} \"{value}\" is not a page ID (digits only). Correct it, or \
         remove it to publish as a new page."
    )]
    BadPageId { value: String },
    #[error(
        "The note's confluence-parent-id \"{value}\" is not a page ID (digits only). Correct \
         it, or remove it to use the Parent page ID setting."
    )]
    BadParentId { value: String },
    #[error("The note has no title: give the file a name or set confluence-title.")]
    EmptyTitle,
    #[error(
        "The title has {chars} characters; Confluence allows at most {MAX_TITLE_CHARS}. Set a \
         shorter confluence-title in the frontmatter."
    )]
    TitleTooLong { chars: usize },
}

/// Split a note at its frontmatter and read the keys that steer publishing.
pub fn parse<'a>(path: &str, markdown: &'a str) -> Result<Note<'a>, NoteError> {
    let (yaml, body) = split_frontmatter(markdown);
    let fields = match yaml {
        Some(text) => load_mapping(text)?,
        None => Yaml::Null,
    };
    let page_id = match first_scalar(&fields, &[PAGE_ID_KEY, "connie-page-id"]) {
        Some(value) if value.chars().all(|c| c.is_ascii_digit()) => Some(value),
        Some(value) => return Err(NoteError::BadPageId { value }),
        None => None,
    };
    let title = first_scalar(&fields, &["confluence-title", "connie-title", "title"])
        .unwrap_or_else(|| file_stem(path).to_owned());
    let parent_id = match first_scalar(&fields, &["confluence-parent-id"]) {
        Some(id) if !id.chars().all(|c| c.is_ascii_digit()) => {
            return Err(NoteError::BadParentId { value: id })
        }
        parent_id => parent_id,
    };
    let tags = list(&fields["tags"], true);
    let tags = tags
        .iter()
        .map(|tag| tag.trim_start_matches('#').to_owned());
    Ok(Note {
        title: checked_title(&title)?,
        page_id,
        body,
        tags: tags.filter(|tag| !tag.is_empty()).collect(),
        aliases: list(&fields["aliases"], false),
        labels: list(&fields["confluence-labels"], true),
        parent_id,
        space_key: first_scalar(&fields, &["confluence-space"]),
    })
}

/// The note with `confluence-page-id` set, for front ends that edit the file as text. Other
/// lines are kept as they are; a byte order mark stays first, and the new lines end like the
/// note's first line (`\r\n` or `\n`).
pub fn with_page_id(markdown: &str, page_id: &str) -> String {
    let (bom, text) = match markdown.strip_prefix('\u{feff}') {
        Some(text) => ("\u{feff}", text),
        None => ("", markdown),
    };
    let newline = match text.find('\n') {
        Some(end) if text[..end].ends_with('\r') => "\r\n",
        _ => "\n",
    };
    let line = format!("{PAGE_ID_KEY}: {page_id}");
    let (Some(yaml), body) = split_frontmatter(markdown) else {
        return [bom, "---", newline, &line, newline, "---", newline, text].concat();
    };
    let key_prefix = format!("{PAGE_ID_KEY}:");
    let mut out = [bom, "---", newline].concat();
    for kept in yaml
        .lines()
        .filter(|l| !l.trim_start().starts_with(&key_prefix))
    {
        out.push_str(kept);
        out.push_str(newline);
    }
    for piece in [line.as_str(), newline, "---", newline, body] {
        out.push_str(piece);
    }
    out
}

/// The frontmatter's YAML text (without the fences) and the body after it.
fn split_frontmatter(markdown: &str) -> (Option<&str>, &str) {
    let text = markdown.strip_prefix('\u{feff}').unwrap_or(markdown);
    let Some(first_end) = text.find('\n') else {
        return (None, markdown);
    };
    if text[..first_end].trim_end() != "---" {
        return (None, markdown);
    }
    let rest = &text[first_end + 1..];
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let fence = line.trim_end();
        if fence == "---" || fence == "..." {
            return (Some(&rest[..offset]), &rest[offset + line.len()..]);
        }
        offset += line.len();
    }
    (None, markdown)
}

fn load_mapping(text: &str) -> Result<Yaml, NoteError> {
    let documents = YamlLoader::load_from_str(text).map_err(|error| NoteError::Frontmatter {
        reason: error.to_string(),
    })?;
    match documents.into_iter().next() {
        None | Some(Yaml::Null) => Ok(Yaml::Null),
        Some(mapping @ Yaml::Hash(_)) => Ok(mapping),
        Some(_) => Err(NoteError::Frontmatter {
            reason: "it is not a list of keys".to_owned(),
        }),
    }
}

/// A scalar value as text; `None` for missing, null, empty, lists and maps.
fn scalar(value: &Yaml) -> Option<String> {
    let text = match value {
        Yaml::String(text) | Yaml::Real(text) => text.trim().to_owned(),
        Yaml::Integer(number) => number.to_string(),
        Yaml::Boolean(flag) => flag.to_string(),
        Yaml::Array(_) | Yaml::Hash(_) | Yaml::Alias(_) | Yaml::Null | Yaml::BadValue => {
            return None
        }
    };
    (!text.is_empty()).then_some(text)
}

/// The value of the first of `keys` that is set. Keys of the best-known earlier plugin
/// (`connie-*`) come after ours, so notes published with it keep their pages.
fn first_scalar(fields: &Yaml, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|key| scalar(&fields[*key]))
}

/// A list value as strings: a YAML list of scalars, or one scalar (split at commas, and at
/// white space when `split_spaces`).
fn list(value: &Yaml, split_spaces: bool) -> Vec<String> {
    if let Yaml::Array(items) = value {
        return items.iter().filter_map(scalar).collect();
    }
    let Some(text) = scalar(value) else {
        return Vec::new();
    };
    let separator = |c: char| c == ',' || (split_spaces && c.is_whitespace());
    let parts = text
        .split(separator)
        .map(str::trim)
        .filter(|part| !part.is_empty());
    parts.map(str::to_owned).collect()
}

fn file_stem(path: &str) -> &str {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name)
}

fn checked_title(title: &str) -> Result<String, NoteError> {
    let title = title.trim();
    let chars = title.chars().count();
    match chars {
        0 => Err(NoteError::EmptyTitle),
        1..=MAX_TITLE_CHARS => Ok(title.to_owned()),
        _ => Err(NoteError::TitleTooLong { chars }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_comes_from_the_file_name_without_frontmatter() {
        let note = parse("Folder/Create a vault.md", "# Hello\n").unwrap();
        assert_eq!(note.title, "Create a vault");
        assert_eq!(note.page_id, None);
        assert_eq!(note.body, "# Hello\n");
    }

    #[test]
    fn frontmatter_keys_steer_title_and_page() {
        let text = "---\ntitle: Ignored\nconfluence-title: \" Real title \"\n\
                    confluence-page-id: 65538\n---\nBody\n";
        let note = parse("x.md", text).unwrap();
        assert_eq!(note.title, "Real title");
        assert_eq!(note.page_id.as_deref(), Some("65538"));
        assert_eq!(note.body, "Body\n");
    }

    #[test]
    fn tags_and_aliases_are_read_as_lists() {
        let text = "---\ntags: [\"#a\", b/c]\naliases:\n  - Other name\n---\n";
        let note = parse("x.md", text).unwrap();
        assert_eq!(note.tags, ["a", "b/c"]);
        assert_eq!(note.aliases, ["Other name"]);
        let note = parse("x.md", "---\ntags: one, two three\naliases: Solo\n---\n").unwrap();
        assert_eq!(note.tags, ["one", "two", "three"]);
        assert_eq!(note.aliases, ["Solo"]);
    }

    #[test]
    fn publishing_keys_and_the_earlier_plugins_keys_are_read() {
        let text = "---\nconnie-page-id: 12\nconnie-title: Old plugin title\n\
                    confluence-labels: [howto, setup]\nconfluence-parent-id: 7\n\
                    confluence-space: ENG\n---\n";
        let note = parse("x.md", text).unwrap();
        assert_eq!(note.page_id.as_deref(), Some("12"));
        assert_eq!(note.title, "Old plugin title");
        assert_eq!(note.labels, ["howto", "setup"]);
        assert_eq!(note.parent_id.as_deref(), Some("7"));
        assert_eq!(note.space_key.as_deref(), Some("ENG"));
        let error = parse("x.md", "---\nconfluence-parent-id: top\n---\n").unwrap_err();
        assert_eq!(
            error,
            NoteError::BadParentId {
                value: "top".to_owned()
            }
        );
    }

    #[test]
    fn page_id_may_be_quoted() {
        let note = parse("x.md", "---\nconfluence-page-id: \"42\"\n---\n").unwrap();
        assert_eq!(note.page_id.as_deref(), Some("42"));
    }

    #[test]
    fn broken_yaml_is_an_error() {
        let error = parse("x.md", "---\ntitle: [unclosed\n---\nBody").unwrap_err();
        assert!(matches!(error, NoteError::Frontmatter { .. }), "{error:?}");
    }

    #[test]
    fn a_bad_page_id_is_an_error() {
        let error = parse("x.md", "---\nconfluence-page-id: abc\n---\n").unwrap_err();
        assert_eq!(
            error,
            NoteError::BadPageId {
                value: "abc".to_owned()
            }
        );
    }

    #[test]
    fn titles_over_255_characters_are_refused() {
        let text = format!("---\ntitle: {}\n---\n", "é".repeat(256));
        assert_eq!(
            parse("x.md", &text).unwrap_err(),
            NoteError::TitleTooLong { chars: 256 }
        );
    }

    #[test]
    fn a_rule_that_is_not_frontmatter_stays_in_the_body() {
        let text = "---\nno closing fence";
        assert_eq!(parse("x.md", text).unwrap().body, text);
    }

    #[test]
    fn with_page_id_adds_frontmatter_or_replaces_the_key() {
        assert_eq!(
            with_page_id("Body\n", "7"),
            "---\nconfluence-page-id: 7\n---\nBody\n"
        );
        let text = "---\ntags: [a]\nconfluence-page-id: 1\n---\nBody\n";
        assert_eq!(
            with_page_id(text, "9"),
            "---\ntags: [a]\nconfluence-page-id: 9\n---\nBody\n"
        );
    }

    #[test]
    fn with_page_id_keeps_the_byte_order_mark_and_line_endings() {
        assert_eq!(
            with_page_id("\u{feff}# Heading\r\nBody\r\n", "7"),
            "\u{feff}---\r\nconfluence-page-id: 7\r\n---\r\n# Heading\r\nBody\r\n"
        );
        assert_eq!(
            with_page_id("\u{feff}---\r\ntags: [a]\r\n---\r\nBody\r\n", "9"),
            "\u{feff}---\r\ntags: [a]\r\nconfluence-page-id: 9\r\n---\r\nBody\r\n"
        );
    }
}
