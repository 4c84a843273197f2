//! What a conversion could not carry over faithfully, told to the user once each.

use std::collections::HashSet;
use std::fmt;

/// One thing the page shows differently from the note.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Warning {
    /// Raw HTML was shown as text.
    RawHtmlShownAsText,
    /// HTML or Obsidian comments were left out.
    CommentsLeftOut,
    /// Inline code opening a heading was written as plain text.
    HeadingCodeAsText,
    /// A code block's language is not one Confluence is known to accept.
    UnknownCodeLanguage(String),
    /// `]]>` in code got a zero-width space because CDATA splitting is off.
    CdataEndBroken,
    /// An image address Confluence cannot show was replaced by its alt text.
    UnsupportedImage,
    /// Links to notes without a published page kept their text only.
    UnresolvedLinks,
    /// Embedded notes the caller did not supply became links.
    EmbedsAsLinks,
    /// A note embedded inside a line of text became a link.
    EmbedInLine,
    /// A note embeds itself, directly or through others, or embeds are nested too deep.
    EmbedLoop,
    /// The heading or block an embed names is not in the note.
    EmbedSectionMissing(String),
    /// Task states other than `[ ]` and `[x]` were shown as done.
    TaskStates,
    /// Diagrams are shown as their source code for now.
    DiagramsAsCode,
    /// Characters XML does not allow were removed.
    IllegalCharacters,
    /// A table row had more cells than the header row; the extra ones are not on the page.
    TableCellsLeftOut,
    /// A link that would run code (`javascript:`) kept its text only.
    ScriptLinkAsText,
    /// A PDF embedded at a page (`#page=3`) is shown from its first page.
    PdfPageLeftOut,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::RawHtmlShownAsText => write!(f, "raw HTML is shown as text on the page"),
            Self::CommentsLeftOut => {
                write!(f, "comments (<!-- --> and %% %%) were left out of the page")
            }
            Self::HeadingCodeAsText => write!(
                f,
                "code at the start of a heading is shown as plain text \
                 (Confluence Cloud rejects a heading that starts with code)"
            ),
            Self::UnknownCodeLanguage(language) => write!(
                f,
                "code language \"{language}\" is not one Confluence is known to accept: \
                 shown without highlighting"
            ),
            Self::CdataEndBroken => write!(
                f,
                "\"]]>\" in code was written with an invisible zero-width space after \"]]\""
            ),
            Self::UnsupportedImage => write!(
                f,
                "an image that is neither a web address nor a local file is shown as its alt text"
            ),
            Self::UnresolvedLinks => write!(
                f,
                "links to notes that are not published are shown as plain text"
            ),
            Self::EmbedsAsLinks => write!(
                f,
                "embedded notes (![[...]]) whose content was not available are shown as links"
            ),
            Self::EmbedInLine => write!(
                f,
                "a note embedded within a line of text is shown as a link"
            ),
            Self::EmbedLoop => write!(
                f,
                "a note that embeds itself, or embeds nested more than {} deep, is shown as a link",
                super::page::MAX_EMBED_DEPTH
            ),
            Self::EmbedSectionMissing(section) => write!(
                f,
                "the embedded section \"{section}\" was not found: shown as a link"
            ),
            Self::TaskStates => write!(
                f,
                "task states other than [ ] and [x] are shown as done tasks"
            ),
            Self::DiagramsAsCode => write!(f, "diagrams are shown as their source code"),
            Self::PdfPageLeftOut => write!(
                f,
                "a PDF embedded at a page (#page=N) is shown from its first page"
            ),
            Self::ScriptLinkAsText => write!(
                f,
                "a link that would run code (javascript:, vbscript: or data:) is shown as its text"
            ),
            Self::TableCellsLeftOut => write!(
                f,
                "a table row has more cells than the header row: the extra cells are left out \
                 (a | inside a cell, even in code, needs a backslash: \\|)"
            ),
            Self::IllegalCharacters => {
                write!(f, "control characters that XML does not allow were removed")
            }
        }
    }
}

/// Warnings in the order first met, each once.
#[derive(Debug, Default)]
pub struct Warnings {
    list: Vec<Warning>,
    seen: HashSet<Warning>,
}

impl Warnings {
    /// Records `warning` unless it is already there.
    pub fn add(&mut self, warning: Warning) {
        if !self.seen.contains(&warning) {
            self.seen.insert(warning.clone());
            self.list.push(warning);
        }
    }

    /// The messages, for [`super::Conversion::warnings`].
    pub fn into_messages(self) -> Vec<String> {
        self.list.iter().map(Warning::to_string).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_are_deduplicated_in_order() {
        let mut warnings = Warnings::default();
        warnings.add(Warning::TaskStates);
        warnings.add(Warning::UnknownCodeLanguage("a".to_owned()));
        warnings.add(Warning::TaskStates);
        warnings.add(Warning::UnknownCodeLanguage("b".to_owned()));
        assert_eq!(warnings.into_messages().len(), 3);
    }
}
