//! Labels on pages.
//!
//! A label has a prefix (`global` for what users type, `my`, `team`) and a name. Names must be
//! lower case, 1 to 255 characters, with no white space and none of `: ; , . ? & [ ] ( ) # ^ * @
//! ! ' < > "` or a backquote (400 otherwise). Confluence's editor lowercases what users type; the
//! REST API is held to the stricter rule so a client sends names as they will be stored.
//! Adding a label the page has is a no-op; removing one it lacks is 404. Label ids are shared
//! between pages, one per name, like Confluence's label table.

use thiserror::Error;

use crate::auth::Identity;

use super::{PageError, Store};

/// The longest label name Confluence stores.
const MAX_NAME_CHARS: usize = 255;
/// Characters a label name may not hold, besides white space and upper case.
const FORBIDDEN: &str = ":;,.?&[]()#^*@!'`<>\"";
/// Prefixes a client may set.
const PREFIXES: [&str; 3] = ["global", "my", "team"];

/// One label of a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub prefix: String,
    pub name: String,
}

/// Why labels cannot be read or changed; [`LabelError::status`] gives the status.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum LabelError {
    #[error(transparent)]
    Page(#[from] PageError),
    #[error(
        "Invalid label name '{0}': label names are lower case, without spaces and without any of \
         {FORBIDDEN}"
    )]
    BadName(String),
    #[error("Label names are at most {MAX_NAME_CHARS} characters: '{0}'")]
    LongName(String),
    #[error("Invalid label prefix '{0}': use global, my or team")]
    BadPrefix(String),
    #[error("Label '{label}' is not on content {page}")]
    NotOnPage { label: String, page: String },
}

impl LabelError {
    pub fn status(&self) -> u16 {
        match self {
            Self::Page(error) => error.status(),
            Self::BadName(_) | Self::LongName(_) | Self::BadPrefix(_) => 400,
            Self::NotOnPage { .. } => 404,
        }
    }
}

/// Checks a label's prefix and name.
pub fn check_label(label: &Label) -> Result<(), LabelError> {
    if !PREFIXES.contains(&label.prefix.as_str()) {
        return Err(LabelError::BadPrefix(label.prefix.clone()));
    }
    let name = &label.name;
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(LabelError::LongName(name.clone()));
    }
    let bad = |c: char| c.is_whitespace() || c.is_uppercase() || FORBIDDEN.contains(c);
    match name.is_empty() || name.chars().any(bad) {
        true => Err(LabelError::BadName(name.clone())),
        false => Ok(()),
    }
}

impl Store {
    /// Adds labels to a page as `who`; all are checked before any is added.
    pub fn add_labels(
        &mut self,
        who: &Identity,
        page_id: &str,
        labels: Vec<Label>,
    ) -> Result<u64, LabelError> {
        let page_id = self.editable_page(page_id, who)?;
        labels.iter().try_for_each(check_label)?;
        for label in labels {
            self.label_id(&label.name);
            let page = self.page_mut(page_id);
            if !page.labels.contains(&label) {
                page.labels.push(label);
            }
        }
        Ok(page_id)
    }

    /// Removes a label (any prefix) from a page as `who`.
    pub fn remove_label(
        &mut self,
        who: &Identity,
        page_id: &str,
        name: &str,
    ) -> Result<(), LabelError> {
        let id = self.editable_page(page_id, who)?;
        let page = self.page_mut(id);
        let before = page.labels.len();
        page.labels.retain(|label| label.name != name);
        match page.labels.len() == before {
            true => Err(LabelError::NotOnPage {
                label: name.to_owned(),
                page: page_id.to_owned(),
            }),
            false => Ok(()),
        }
    }

    /// The id of a label name, made on first use.
    pub fn label_id(&mut self, name: &str) -> u64 {
        let next = super::FIRST_LABEL_ID + self.label_ids.len() as u64;
        *self.label_ids.entry(name.to_owned()).or_insert(next)
    }

    /// The id of a label name already in use (0 for one never added).
    pub fn known_label_id(&self, name: &str) -> u64 {
        self.label_ids.get(name).copied().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::Seed;

    fn global(name: &str) -> Label {
        Label {
            prefix: "global".into(),
            name: name.into(),
        }
    }

    #[test]
    fn names_are_lower_case_without_spaces() {
        assert_eq!(check_label(&global("release-notes_2")), Ok(()));
        assert_eq!(check_label(&global("café")), Ok(()));
        for bad in ["Docs", "two words", "", "a:b", "a.b"] {
            assert_eq!(
                check_label(&global(bad)),
                Err(LabelError::BadName(bad.into())),
                "{bad:?}"
            );
        }
        let prefixed = Label {
            prefix: "system".into(),
            name: "x".into(),
        };
        assert_eq!(
            check_label(&prefixed),
            Err(LabelError::BadPrefix("system".into()))
        );
    }

    #[test]
    fn adding_twice_keeps_one_and_removing_a_missing_label_is_404() {
        let mut store = Store::from_seed(&Seed::default(), false);
        let ada = Identity::User("ada".into());
        store
            .add_labels(&ada, "65537", vec![global("a"), global("a")])
            .unwrap();
        assert_eq!(store.page("65537").unwrap().labels.len(), 1);
        store.remove_label(&ada, "65537", "a").unwrap();
        let missing = store.remove_label(&ada, "65537", "a").unwrap_err();
        assert_eq!(missing.status(), 404);
    }
}
