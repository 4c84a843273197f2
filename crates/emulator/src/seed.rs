//! The users, spaces and permissions an emulator starts with (and returns to on reset).
//!
//! The JSON shape is documented in the crate doc; unknown fields are rejected so a typo in a
//! seed file fails loudly instead of silently granting nothing.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::SeedError;

/// Users, spaces and the anonymous-access switch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Seed {
    /// Everyone who can sign in.
    #[serde(default)]
    pub users: Vec<SeedUser>,
    /// The spaces, each with its viewers and editors.
    #[serde(default)]
    pub spaces: Vec<SeedSpace>,
    /// Whether the anonymous user exists (Confluence's global "anonymous access" permission).
    #[serde(default)]
    pub anonymous_access: bool,
    /// Largest attachment accepted, in bytes; `None` for Confluence's default of 100 MiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_attachment_bytes: Option<u64>,
}

/// One user and the credentials that sign them in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedUser {
    /// Data Center user name; also the name the request log shows.
    pub username: String,
    /// Name shown in the UI and in `version.by`.
    pub display_name: String,
    /// Cloud signs in with this plus an API token.
    pub email: String,
    /// Data Center Basic password; on Cloud it is refused as "deprecated".
    #[serde(default)]
    pub password: Option<String>,
    /// Data Center Bearer tokens.
    #[serde(default)]
    pub personal_access_tokens: Vec<String>,
    /// Cloud API tokens (Basic `email:token`).
    #[serde(default)]
    pub api_tokens: Vec<String>,
}

/// One space and who may do what in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedSpace {
    /// Space key, such as `DOCS`.
    pub key: String,
    /// Space name; the home page is titled `"<name> Home"`.
    pub name: String,
    /// User names that may view the space (editors may too, without being listed here).
    #[serde(default)]
    pub viewers: Vec<String>,
    /// User names that may create and update pages.
    #[serde(default)]
    pub editors: Vec<String>,
    /// Whether the anonymous user may view the space while anonymous access is on.
    #[serde(default)]
    pub anonymous_view: bool,
}

impl Default for Seed {
    /// Ada (editor of DOCS and SECRET), Bob (viewer of DOCS), anonymous access off.
    fn default() -> Self {
        Self {
            users: vec![
                default_user("ada", "Ada Lovelace", "ada-password"),
                default_user("bob", "Bob Viewer", "bob-password"),
            ],
            spaces: vec![
                SeedSpace {
                    key: "DOCS".to_owned(),
                    name: "Documentation".to_owned(),
                    viewers: vec!["ada".to_owned(), "bob".to_owned()],
                    editors: vec!["ada".to_owned()],
                    anonymous_view: true,
                },
                SeedSpace {
                    key: "SECRET".to_owned(),
                    name: "Secret".to_owned(),
                    viewers: vec!["ada".to_owned()],
                    editors: vec!["ada".to_owned()],
                    anonymous_view: false,
                },
            ],
            anonymous_access: false,
            max_attachment_bytes: None,
        }
    }
}

/// `name`, `name@example.com`, PAT `pat-name-0001`, API token `api-name-0001`.
fn default_user(username: &str, display_name: &str, password: &str) -> SeedUser {
    SeedUser {
        username: username.to_owned(),
        display_name: display_name.to_owned(),
        email: format!("{username}@example.com"),
        password: Some(password.to_owned()),
        personal_access_tokens: vec![format!("pat-{username}-0001")],
        api_tokens: vec![format!("api-{username}-0001")],
    }
}

impl Seed {
    /// Reads and checks a seed file.
    pub fn from_file(path: &Path) -> Result<Self, SeedError> {
        let text = std::fs::read_to_string(path).map_err(|source| SeedError::Unreadable {
            path: path.to_owned(),
            source,
        })?;
        let seed: Seed = serde_json::from_str(&text).map_err(|source| SeedError::NotJson {
            path: path.to_owned(),
            source,
        })?;
        seed.check()?;
        Ok(seed)
    }

    /// Rejects duplicate names, keys and credentials, and permissions for unknown users.
    pub fn check(&self) -> Result<(), SeedError> {
        let usernames = unique(self.users.iter().map(|u| u.username.as_str()), "user name")?;
        unique(self.users.iter().map(|u| u.email.as_str()), "email")?;
        unique(self.spaces.iter().map(|s| s.key.as_str()), "space key")?;
        let tokens = self.users.iter().flat_map(|u| {
            u.personal_access_tokens
                .iter()
                .chain(&u.api_tokens)
                .map(String::as_str)
        });
        unique(tokens, "token")?;
        for space in &self.spaces {
            check_space(space, &usernames)?;
        }
        Ok(())
    }
}

/// Every value once, or the first duplicate.
fn unique<'a>(
    values: impl Iterator<Item = &'a str>,
    what: &'static str,
) -> Result<BTreeSet<&'a str>, SeedError> {
    let mut seen = BTreeSet::new();
    for value in values {
        if !seen.insert(value) {
            return Err(SeedError::Duplicate {
                what,
                value: value.to_owned(),
            });
        }
    }
    Ok(seen)
}

fn check_space(space: &SeedSpace, usernames: &BTreeSet<&str>) -> Result<(), SeedError> {
    if space.key.is_empty() || !space.key.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(SeedError::BadSpaceKey(space.key.clone()));
    }
    let unknown = space
        .viewers
        .iter()
        .chain(&space.editors)
        .find(|name| !usernames.contains(name.as_str()));
    match unknown {
        Some(name) => Err(SeedError::UnknownUser {
            space: space.key.clone(),
            user: name.clone(),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_seed_is_valid() {
        Seed::default()
            .check()
            .expect("default seed should pass its own checks");
    }

    #[test]
    fn example_file_matches_the_documented_shape() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("seed.example.json");
        let seed = Seed::from_file(&path).expect("seed.example.json should load");
        assert_eq!(
            seed,
            Seed::default(),
            "the example should be the default seed"
        );
    }

    #[test]
    fn unknown_editor_is_rejected() {
        let mut seed = Seed::default();
        seed.spaces[0].editors.push("carol".into());
        let error = seed.check().unwrap_err();
        assert_eq!(error.to_string(), "space DOCS lists unknown user carol");
    }
}
