//! What a conversion could not carry over faithfully, told to the user once each.

use std::fmt;

/// One thing the page shows differently from the note.
#[derive(Clone, Debug, PartialEq, Eq)]
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
    /// Wiki links became their text.
    WikiLinksAsText,
    /// Embeds of notes or non-image files became their name.
    EmbedsAsText,
    /// Task list items became list items with a check-box character.
    TasksAsText,
    /// Characters XML does not allow were removed.
    IllegalCharacters,
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
            Self::WikiLinksAsText => {
                write!(f, "links to other notes ([[...]]) are shown as plain text")
            }
            Self::EmbedsAsText => write!(
                f,
                "embedded notes and files other than images (![[...]]) are shown as their name"
            ),
            Self::TasksAsText => write!(f, "tasks are shown as list items with ☐ or ☑"),
            Self::IllegalCharacters => {
                write!(f, "control characters that XML does not allow were removed")
            }
        }
    }
}

/// Warnings in the order first met, each once.
#[derive(Debug, Default)]
pub struct Warnings(Vec<Warning>);

impl Warnings {
    /// Records `warning` unless it is already there.
    pub fn add(&mut self, warning: Warning) {
        if !self.0.contains(&warning) {
            self.0.push(warning);
        }
    }

    /// Records each of `others` not already there.
    pub fn extend(&mut self, others: Warnings) {
        for warning in others.0 {
            self.add(warning);
        }
    }

    /// The messages, for [`super::Conversion::warnings`].
    pub fn into_messages(self) -> Vec<String> {
        self.0.iter().map(Warning::to_string).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_are_deduplicated_in_order() {
        let mut warnings = Warnings::default();
        warnings.add(Warning::TasksAsText);
        warnings.add(Warning::UnknownCodeLanguage("a".to_owned()));
        warnings.add(Warning::TasksAsText);
        warnings.add(Warning::UnknownCodeLanguage("b".to_owned()));
        assert_eq!(warnings.into_messages().len(), 3);
    }
}
