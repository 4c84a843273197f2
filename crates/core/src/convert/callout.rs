//! Obsidian callouts (`> [!tip]- Title`) and GitHub alerts (`> [!NOTE]`).
//!
//! A block quote whose first line starts with `[!type]` is a callout. The type is
//! case-insensitive; Obsidian's aliases share their type's look, and an unknown type looks
//! like `note`, as in Obsidian. Output:
//!
//! - a foldable callout (`[!type]-` or `[!type]+`) becomes an `expand` macro titled with the
//!   callout's title (Confluence has no foldable panel);
//! - `quote` and `cite` become a block quote whose first paragraph is the title in bold;
//! - any other type becomes the panel macro closest in colour: `info` (blue), `tip` (green),
//!   `note` (yellow) or `warning` (red), with a `title` parameter.
//!
//! Metadata after the type (`[!note|wide]`), which themes use for layout, is left out.
//!
//! The title is the rest of the first line, as plain text, or else the type with its first
//! letter in upper case (`[!faq]` → `Faq`), which is what Obsidian shows.
//!
//! Reference: Obsidian Help, "Callouts"; GitHub Docs, "Alerts".

/// What a callout becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Look {
    /// A panel macro of this name.
    Panel(&'static str),
    /// An `expand` macro.
    Expand,
    /// A block quote with a bold title.
    Quote,
}

/// The marker opening a callout: `[!type]`, an optional fold sign, then the title text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    /// The type as written (`faq`).
    pub kind: String,
    /// Whether `-` or `+` follows the type.
    pub foldable: bool,
    /// Bytes of the first line the marker (with its fold sign and one space) takes.
    pub length: usize,
}

impl Marker {
    /// The marker at the start of `line`, if it opens a callout.
    pub fn parse(line: &str) -> Option<Self> {
        let rest = line.strip_prefix("[!")?;
        let end = rest.find(']')?;
        // `[!type|metadata]`: themes read the metadata; the type alone decides here.
        let kind = rest[..end].split('|').next().unwrap_or_default();
        let valid = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
        if kind.is_empty() || !kind.chars().all(valid) {
            return None;
        }
        let after = &rest[end + 1..];
        let foldable = after.starts_with(['-', '+']);
        let mut length = 2 + end + 1 + usize::from(foldable);
        if line[length..].starts_with([' ', '\t']) {
            length += 1;
        }
        Some(Self {
            kind: kind.to_owned(),
            foldable,
            length,
        })
    }

    /// How the callout is shown.
    pub fn look(&self) -> Look {
        if self.foldable {
            return Look::Expand;
        }
        match panel(&self.kind.to_lowercase()) {
            Some(name) => Look::Panel(name),
            None => Look::Quote,
        }
    }

    /// The title Obsidian shows when the callout gives none.
    pub fn default_title(&self) -> String {
        let mut chars = self.kind.chars();
        let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
        [first.unwrap_or_default(), chars.as_str().to_lowercase()].concat()
    }
}

/// The panel macro for a callout type; `None` for the quote types.
fn panel(kind: &str) -> Option<&'static str> {
    let name = match kind {
        "quote" | "cite" => return None,
        "tip" | "hint" | "important" | "success" | "check" | "done" => "tip",
        "question" | "help" | "faq" | "warning" | "caution" | "attention" => "note",
        "failure" | "fail" | "missing" | "danger" | "error" | "bug" => "warning",
        // note, abstract, summary, tldr, info, todo, example, and unknown types.
        _ => "info",
    };
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_give_type_fold_and_length() {
        let marker = Marker::parse("[!faq]- Why?").unwrap();
        assert_eq!(marker.kind, "faq");
        assert!(marker.foldable);
        assert_eq!(&"[!faq]- Why?"[marker.length..], "Why?");
        assert_eq!(marker.look(), Look::Expand);
        assert_eq!(marker.default_title(), "Faq");

        let marker = Marker::parse("[!tip|wide-2]+ Wide").unwrap();
        assert_eq!(marker.kind, "tip");
        assert!(marker.foldable);
        assert_eq!(&"[!tip|wide-2]+ Wide"[marker.length..], "Wide");
        assert_eq!(Marker::parse("[!|wide] x"), None);
    }

    #[test]
    fn types_and_aliases_map_to_panels() {
        let look = |line: &str| Marker::parse(line).unwrap().look();
        assert_eq!(look("[!NOTE]"), Look::Panel("info"));
        assert_eq!(look("[!caution]"), Look::Panel("note"));
        assert_eq!(look("[!bug]"), Look::Panel("warning"));
        assert_eq!(look("[!done]"), Look::Panel("tip"));
        assert_eq!(look("[!custom-type]"), Look::Panel("info"));
        assert_eq!(look("[!cite]"), Look::Quote);
    }

    #[test]
    fn other_brackets_are_no_marker() {
        assert_eq!(Marker::parse("[!] x"), None);
        assert_eq!(Marker::parse("[link](x)"), None);
        assert_eq!(Marker::parse("[!a b]"), None);
        assert_eq!(Marker::parse("[!open"), None);
    }
}
