//! Content properties: JSON values stored on a page under a key, versioned like pages.
//!
//! Rules: keys are 1 to 255 characters and unique per page (creating one twice is 409); a value
//! is any JSON but `null`; an update carries the current version plus one (409 otherwise), and
//! on Data Center an update with version 1 of a missing key creates it. Reading needs view
//! permission on the page, writing edit permission. Property ids are numbers of their own.

use serde_json::Value;
use thiserror::Error;

use crate::auth::Identity;
use crate::time::now_iso8601;

use super::{PageError, Store};

/// The longest key Confluence accepts.
const MAX_KEY_CHARS: usize = 255;

/// One content property.
#[derive(Clone, Debug)]
pub struct Property {
    pub id: u64,
    pub key: String,
    pub value: Value,
    pub version: u64,
    pub message: String,
    pub minor_edit: bool,
    /// User name of the last writer.
    pub author: String,
    pub when: String,
}

/// A new value for a property.
#[derive(Clone, Debug)]
pub struct PropertyChange {
    pub key: String,
    pub value: Value,
    /// Must be the current version plus one.
    pub version_number: i64,
    pub message: String,
    pub minor_edit: bool,
}

/// Why a property cannot be read or written; [`PropertyError::status`] gives the status.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum PropertyError {
    #[error(transparent)]
    Page(#[from] PageError),
    #[error("Cannot find content property with key: {key} on content {page}")]
    NotFound { key: String, page: String },
    #[error("Cannot find content property with id: {id} on content {page}")]
    IdNotFound { id: String, page: String },
    #[error("A content property with key {key} already exists on content {page}")]
    Exists { key: String, page: String },
    #[error("Version must be incremented on update. Current version is: {current}")]
    StaleVersion { current: u64 },
    #[error("A content property needs a key of 1 to {MAX_KEY_CHARS} characters")]
    BadKey,
    #[error("A content property needs a value (JSON, not null)")]
    NoValue,
    #[error("The key in the body ({body}) does not match the key in the URL ({path})")]
    KeyMismatch { body: String, path: String },
}

impl PropertyError {
    pub fn status(&self) -> u16 {
        match self {
            Self::Page(error) => error.status(),
            Self::NotFound { .. } | Self::IdNotFound { .. } => 404,
            Self::Exists { .. } | Self::StaleVersion { .. } => 409,
            Self::BadKey | Self::NoValue | Self::KeyMismatch { .. } => 400,
        }
    }
}

impl Store {
    /// A property of a page `who` may view, by key.
    pub fn property(
        &self,
        who: &Identity,
        page_id: &str,
        key: &str,
    ) -> Result<&Property, PropertyError> {
        let page = self.viewable_page(page_id, who)?;
        page.properties
            .iter()
            .find(|property| property.key == key)
            .ok_or_else(|| PropertyError::NotFound {
                key: key.to_owned(),
                page: page_id.to_owned(),
            })
    }

    /// The key of a property of a page `who` may view, by property id.
    pub fn property_key(
        &self,
        who: &Identity,
        page_id: &str,
        property_id: &str,
    ) -> Result<String, PropertyError> {
        let page = self.viewable_page(page_id, who)?;
        let id: Option<u64> = property_id.parse().ok();
        page.properties
            .iter()
            .find(|property| Some(property.id) == id)
            .map(|property| property.key.clone())
            .ok_or_else(|| PropertyError::IdNotFound {
                id: property_id.to_owned(),
                page: page_id.to_owned(),
            })
    }

    /// Creates a property at version 1 as `who`.
    pub fn create_property(
        &mut self,
        who: &Identity,
        page_id: &str,
        key: &str,
        value: Value,
    ) -> Result<&Property, PropertyError> {
        let page = self.editable_page(page_id, who)?;
        check(key, &value)?;
        if self.pages[&page].properties.iter().any(|p| p.key == key) {
            return Err(PropertyError::Exists {
                key: key.to_owned(),
                page: page_id.to_owned(),
            });
        }
        let id = self.next_property_id;
        self.next_property_id += 1;
        let property = Property {
            id,
            key: key.to_owned(),
            value,
            version: 1,
            message: String::new(),
            minor_edit: false,
            author: who.name().to_owned(),
            when: now_iso8601(),
        };
        let properties = &mut self.page_mut(page).properties;
        properties.push(property);
        Ok(properties.last().expect("just pushed"))
    }

    /// Updates a property as `who`; with `create_missing`, version 1 of a missing key creates
    /// it (Data Center's rule).
    pub fn update_property(
        &mut self,
        who: &Identity,
        page_id: &str,
        change: PropertyChange,
        create_missing: bool,
    ) -> Result<&Property, PropertyError> {
        let page = self.editable_page(page_id, who)?;
        check(&change.key, &change.value)?;
        let index = self.pages[&page]
            .properties
            .iter()
            .position(|p| p.key == change.key);
        let Some(index) = index else {
            return match create_missing && change.version_number == 1 {
                true => self.create_property(who, page_id, &change.key, change.value),
                false => Err(PropertyError::NotFound {
                    key: change.key,
                    page: page_id.to_owned(),
                }),
            };
        };
        let property = &mut self.page_mut(page).properties[index];
        if change.version_number != property.version as i64 + 1 {
            return Err(PropertyError::StaleVersion {
                current: property.version,
            });
        }
        property.value = change.value;
        property.version += 1;
        property.message = change.message;
        property.minor_edit = change.minor_edit;
        property.author = who.name().to_owned();
        property.when = now_iso8601();
        Ok(property)
    }

    /// Deletes a property as `who`.
    pub fn delete_property(
        &mut self,
        who: &Identity,
        page_id: &str,
        key: &str,
    ) -> Result<(), PropertyError> {
        let page = self.editable_page(page_id, who)?;
        let properties = &mut self.page_mut(page).properties;
        let before = properties.len();
        properties.retain(|property| property.key != key);
        match properties.len() == before {
            true => Err(PropertyError::NotFound {
                key: key.to_owned(),
                page: page_id.to_owned(),
            }),
            false => Ok(()),
        }
    }
}

fn check(key: &str, value: &Value) -> Result<(), PropertyError> {
    if key.is_empty() || key.chars().count() > MAX_KEY_CHARS {
        return Err(PropertyError::BadKey);
    }
    match value.is_null() {
        true => Err(PropertyError::NoValue),
        false => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::seed::Seed;

    fn change(version_number: i64) -> PropertyChange {
        PropertyChange {
            key: "hash".into(),
            value: json!({"sha": "b"}),
            version_number,
            message: String::new(),
            minor_edit: false,
        }
    }

    #[test]
    fn versions_must_increment_and_keys_are_unique() {
        let mut store = Store::from_seed(&Seed::default(), false);
        let ada = Identity::User("ada".into());
        store
            .create_property(&ada, "65537", "hash", json!({"sha": "a"}))
            .unwrap();
        let twice = store
            .create_property(&ada, "65537", "hash", json!(1))
            .unwrap_err();
        assert_eq!(twice.status(), 409);
        let updated = store
            .update_property(&ada, "65537", change(2), false)
            .unwrap();
        assert_eq!(updated.version, 2);
        let stale = store
            .update_property(&ada, "65537", change(2), false)
            .unwrap_err();
        assert_eq!(
            stale.to_string(),
            "Version must be incremented on update. Current version is: 2"
        );
        store.delete_property(&ada, "65537", "hash").unwrap();
        let created = store
            .update_property(&ada, "65537", change(1), true)
            .unwrap();
        assert_eq!(created.version, 1);
    }
}
