//! The user's settings, checked once into a [`Connection`] before any request is built.
//!
//! [`Settings`] is what the settings tab (or the command line) holds, fields named as the user
//! sees them. [`Settings::validate`] turns it into a [`Connection`]: a normalised [`Site`], the
//! [`Credentials`] chosen by the "Use personal access token" toggle, and the target space. A
//! missing or malformed field is a [`SettingsError`] that names the field, so nothing is sent
//! with settings that cannot work.
//!
//! Base URLs: a trailing slash is ignored, a context path (`https://host/confluence`) is kept,
//! and a Cloud URL works with or without `/wiki` (anything after `/wiki` is dropped, so a page
//! address pasted from the browser works too).

use serde::Deserialize;
use thiserror::Error;
use url::Url;

use crate::auth::{Credentials, Secret};

/// Settings as entered by the user. Every field defaults to empty.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// "Confluence base URL".
    pub base_url: String,
    /// "Space key".
    pub space_key: String,
    /// "Parent page ID" (optional): empty puts new pages at the space's top level.
    pub parent_page_id: String,
    /// Which kind of Confluence; automatic by default.
    pub deployment: DeploymentChoice,
    /// "Use personal access token": on for Server / Data Center, off for Cloud.
    pub use_personal_access_token: bool,
    /// "Personal access token", used when the toggle is on.
    pub personal_access_token: Secret,
    /// "Atlassian username" (the account's email), used when the toggle is off.
    pub username: String,
    /// "Atlassian API token", used when the toggle is off.
    pub api_token: Secret,
    /// "Allow unencrypted http": send credentials over `http://` to a host other than this
    /// machine. Off by default: the token would cross the network readable by anyone on it.
    pub allow_insecure_http: bool,
    /// "Data Center 8.0 to 8.2 code blocks": those versions refuse `]]>` split across two
    /// CDATA sections in code (CONFSERVER-82849); on, an invisible zero-width space goes
    /// between `]]` and `>` instead. Off by default.
    pub data_center_cdata_workaround: bool,
    /// "Labels from tags": the note's tags become page labels. On by default.
    pub labels_from_tags: bool,
    /// "Protect edits made in Confluence": ask before overwriting a page edited in Confluence
    /// since the last publish. On by default.
    pub protect_remote_edits: bool,
}

impl Default for Settings {
    /// Everything empty and off, but labels from tags and the protection of edits made in
    /// Confluence, which are on.
    fn default() -> Self {
        Self {
            base_url: String::new(),
            space_key: String::new(),
            parent_page_id: String::new(),
            deployment: DeploymentChoice::default(),
            use_personal_access_token: false,
            personal_access_token: Secret::default(),
            username: String::new(),
            api_token: Secret::default(),
            allow_insecure_http: false,
            data_center_cdata_workaround: false,
            labels_from_tags: true,
            protect_remote_edits: true,
        }
    }
}

/// The kind of Confluence as chosen in the settings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeploymentChoice {
    /// Cloud when the host ends in `atlassian.net`, else Server / Data Center.
    #[default]
    Auto,
    Cloud,
    Datacenter,
}

/// The kind of Confluence requests are built for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deployment {
    Cloud,
    DataCenter,
}

impl Deployment {
    pub fn name(self) -> &'static str {
        match self {
            Self::Cloud => "cloud",
            Self::DataCenter => "datacenter",
        }
    }
}

/// A setting that cannot work. Each message names the field as the settings tab shows it.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SettingsError {
    #[error("{field} is empty: fill it in the plugin's settings.")]
    MissingField { field: &'static str },
    #[error(
        "Confluence base URL \"{url}\" is not a web address: {reason}. \
         Write it like https://confluence.example.com or https://your-site.atlassian.net/wiki."
    )]
    InvalidBaseUrl { url: String, reason: String },
    #[error(
        "Confluence base URL holds a user name or password (the part before @). Take it out: \
         the address is shown in messages, and credentials belong in the token fields."
    )]
    CredentialsInBaseUrl,
    #[error(
        "Confluence base URL \"{url}\" starts with http://, so your token would cross the \
         network unencrypted. Use the https:// address, or turn on \"Allow unencrypted http\" \
         if you trust this network."
    )]
    InsecureUrl { url: String },
    #[error(
        "Space key \"{key}\" is not valid: a space key has only letters, digits and ~ \
         (for example DOCS). Find it in the space's address after /spaces/ or /display/."
    )]
    InvalidSpaceKey { key: String },
    #[error(
        "Parent page ID \"{id}\" is not a number. Copy the digits from the page's address \
         (pageId=123456 or /pages/123456/), or leave the field empty."
    )]
    InvalidParentPageId { id: String },
}

/// Checked settings, ready to build requests.
#[derive(Clone, Debug)]
pub struct Connection {
    pub site: Site,
    pub credentials: Credentials,
    pub space_key: String,
    pub parent_page_id: Option<String>,
}

/// The Confluence site: its kind and normalised base URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    deployment: Deployment,
    base: Url,
}

impl Settings {
    /// Check every field that the chosen authentication needs and normalise the base URL.
    pub fn validate(&self) -> Result<Connection, SettingsError> {
        let site = Site::parse(&self.base_url, self.deployment)?;
        if !site.is_safe_for_secrets() && !self.allow_insecure_http {
            return Err(SettingsError::InsecureUrl {
                url: site.base_url(),
            });
        }
        let credentials = self.credentials()?;
        let space_key = valid_space_key(&self.space_key)?;
        let parent_page_id = valid_parent_page_id(&self.parent_page_id)?;
        Ok(Connection {
            site,
            credentials,
            space_key,
            parent_page_id,
        })
    }

    /// The toggle decides: on, only the personal access token counts (the username is
    /// ignored even when filled in); off, the username and API token.
    fn credentials(&self) -> Result<Credentials, SettingsError> {
        if self.use_personal_access_token {
            require_secret(&self.personal_access_token, "Personal access token")?;
            return Ok(Credentials::PersonalAccessToken(
                self.personal_access_token.clone(),
            ));
        }
        if self.username.trim().is_empty() {
            return Err(SettingsError::MissingField {
                field: "Atlassian username",
            });
        }
        require_secret(&self.api_token, "Atlassian API token")?;
        Ok(Credentials::ApiToken {
            username: self.username.trim().to_owned(),
            token: self.api_token.clone(),
        })
    }
}

fn require_secret(secret: &Secret, field: &'static str) -> Result<(), SettingsError> {
    if secret.is_blank() {
        return Err(SettingsError::MissingField { field });
    }
    Ok(())
}

fn valid_space_key(key: &str) -> Result<String, SettingsError> {
    let key = key.trim();
    if key.is_empty() {
        return Err(SettingsError::MissingField { field: "Space key" });
    }
    let allowed = |c: char| c.is_alphanumeric() || c == '~' || c == '_';
    if !key.chars().all(allowed) {
        return Err(SettingsError::InvalidSpaceKey {
            key: key.to_owned(),
        });
    }
    Ok(key.to_owned())
}

fn valid_parent_page_id(id: &str) -> Result<Option<String>, SettingsError> {
    let id = id.trim();
    if id.is_empty() {
        return Ok(None);
    }
    if !id.chars().all(|c| c.is_ascii_digit()) {
        return Err(SettingsError::InvalidParentPageId { id: id.to_owned() });
    }
    Ok(Some(id.to_owned()))
}

impl Site {
    /// Parse and normalise a base URL as the user typed it.
    pub fn parse(input: &str, choice: DeploymentChoice) -> Result<Self, SettingsError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(SettingsError::MissingField {
                field: "Confluence base URL",
            });
        }
        if has_user_info(text) {
            return Err(SettingsError::CredentialsInBaseUrl);
        }
        let invalid = |reason: &str| SettingsError::InvalidBaseUrl {
            url: text.to_owned(),
            reason: reason.to_owned(),
        };
        let mut base = Url::parse(text).map_err(|error| invalid(&error.to_string()))?;
        if !matches!(base.scheme(), "http" | "https") || base.host_str().is_none() {
            return Err(invalid(
                "it must start with https:// (or http://) and name a host",
            ));
        }
        let deployment = match choice {
            DeploymentChoice::Cloud => Deployment::Cloud,
            DeploymentChoice::Datacenter => Deployment::DataCenter,
            DeploymentChoice::Auto if is_cloud_host(&base) => Deployment::Cloud,
            DeploymentChoice::Auto => Deployment::DataCenter,
        };
        base.set_query(None);
        base.set_fragment(None);
        let path = normalised_path(base.path(), deployment);
        base.set_path(&path);
        Ok(Self { deployment, base })
    }

    pub fn deployment(&self) -> Deployment {
        self.deployment
    }

    /// The base URL without a trailing slash, e.g. `https://site.atlassian.net/wiki`.
    pub fn base_url(&self) -> String {
        self.base.as_str().trim_end_matches('/').to_owned()
    }

    /// The URL of a REST resource: `segments` are appended to the base path, each
    /// percent-encoded, then the query pairs are form-encoded.
    pub fn endpoint(&self, segments: &[&str], query: &[(&str, &str)]) -> String {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .expect("a base URL with a host always has path segments")
            .pop_if_empty()
            .extend(segments);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url.into()
    }

    /// Whether credentials may go to this site: over https, or to this machine.
    pub fn is_safe_for_secrets(&self) -> bool {
        let local = match self.base.host() {
            Some(url::Host::Domain(name)) => name == "localhost",
            Some(url::Host::Ipv4(address)) => address.is_loopback(),
            Some(url::Host::Ipv6(address)) => address.is_loopback(),
            None => false,
        };
        self.base.scheme() == "https" || local
    }

    /// The host (and port, if any), for messages.
    pub fn host(&self) -> String {
        let host = self.base.host_str().unwrap_or_default();
        match self.base.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        }
    }

    /// A link for people from a path the server gave (`_links.webui`), when it gave no base.
    pub fn page_link(&self, webui: &str) -> String {
        format!("{}{}", self.base_url(), webui)
    }
}

/// Whether `url` names a user (or password) before its host, as in `https://ada:pw@host`,
/// whether or not the rest parses.
fn has_user_info(url: &str) -> bool {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    authority.contains('@')
}

fn is_cloud_host(url: &Url) -> bool {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    host == "atlassian.net" || host.ends_with(".atlassian.net")
}

/// Cloud keeps the path up to and including `/wiki`, adding it when missing; Server and Data
/// Center keep the context path as given. Neither keeps a trailing slash.
fn normalised_path(path: &str, deployment: Deployment) -> String {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let kept: Vec<&str> = match deployment {
        Deployment::DataCenter => segments,
        Deployment::Cloud => match segments.iter().position(|s| *s == "wiki") {
            Some(index) => segments[..=index].to_vec(),
            None => segments.into_iter().chain(["wiki"]).collect(),
        },
    };
    format!("/{}", kept.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(url: &str, choice: DeploymentChoice) -> Site {
        Site::parse(url, choice).expect("test URL should parse")
    }

    fn pat_settings() -> Settings {
        Settings {
            base_url: "https://confluence.example.com".to_owned(),
            space_key: "DOCS".to_owned(),
            use_personal_access_token: true,
            personal_access_token: Secret::new("pat-123"),
            ..Settings::default()
        }
    }

    #[test]
    fn trailing_slash_is_ignored() {
        let site = site("https://confluence.example.com/", DeploymentChoice::Auto);
        assert_eq!(site.base_url(), "https://confluence.example.com");
        assert_eq!(site.deployment(), Deployment::DataCenter);
    }

    #[test]
    fn context_path_is_kept() {
        let site = site(
            "https://host.example.com/confluence/",
            DeploymentChoice::Auto,
        );
        assert_eq!(
            site.endpoint(&["rest", "api", "user", "current"], &[]),
            "https://host.example.com/confluence/rest/api/user/current"
        );
    }

    #[test]
    fn cloud_works_with_or_without_wiki() {
        for url in [
            "https://acme.atlassian.net",
            "https://acme.atlassian.net/",
            "https://acme.atlassian.net/wiki",
            "https://acme.atlassian.net/wiki/",
            "https://acme.atlassian.net/wiki/spaces/DOCS/overview?x=1",
        ] {
            let site = site(url, DeploymentChoice::Auto);
            assert_eq!(site.deployment(), Deployment::Cloud, "{url}");
            assert_eq!(site.base_url(), "https://acme.atlassian.net/wiki", "{url}");
        }
    }

    #[test]
    fn explicit_cloud_on_another_host_adds_wiki() {
        let site = site("http://127.0.0.1:8090", DeploymentChoice::Cloud);
        assert_eq!(site.base_url(), "http://127.0.0.1:8090/wiki");
    }

    #[test]
    fn query_values_and_path_segments_are_encoded() {
        let site = site("https://c.example.com", DeploymentChoice::Datacenter);
        let url = site.endpoint(&["rest", "api", "content"], &[("title", "A & B/C? 100%")]);
        assert_eq!(
            url,
            "https://c.example.com/rest/api/content?title=A+%26+B%2FC%3F+100%25"
        );
        let url = site.endpoint(&["rest", "api", "space", "a/b"], &[]);
        assert_eq!(url, "https://c.example.com/rest/api/space/a%2Fb");
    }

    #[test]
    fn credentials_in_the_base_url_are_refused_without_repeating_them() {
        for url in [
            "https://ada:s3cret@c.example.com",
            "http://ada@127.0.0.1:8090/wiki",
        ] {
            let error = Site::parse(url, DeploymentChoice::Auto).unwrap_err();
            assert_eq!(error, SettingsError::CredentialsInBaseUrl);
            assert!(!error.to_string().contains("s3cret") && !error.to_string().contains("ada"));
        }
        let site = site("https://c.example.com/x@y", DeploymentChoice::Datacenter);
        assert_eq!(site.base_url(), "https://c.example.com/x@y");
    }

    #[test]
    fn base_url_without_scheme_is_refused() {
        let error = Site::parse("confluence.example.com", DeploymentChoice::Auto).unwrap_err();
        assert!(
            matches!(error, SettingsError::InvalidBaseUrl { .. }),
            "{error:?}"
        );
        assert!(error.to_string().contains("https://confluence.example.com"));
    }

    #[test]
    fn toggle_on_chooses_bearer_and_ignores_username() {
        let settings = Settings {
            username: "ada@example.com".to_owned(),
            api_token: Secret::new("api-1"),
            ..pat_settings()
        };
        let connection = settings.validate().expect("valid settings");
        assert_eq!(
            connection.credentials.authorization_header(),
            "Bearer pat-123"
        );
    }

    #[test]
    fn toggle_off_chooses_basic() {
        let settings = Settings {
            use_personal_access_token: false,
            username: "ada@example.com".to_owned(),
            api_token: Secret::new("api-1"),
            ..pat_settings()
        };
        let connection = settings.validate().expect("valid settings");
        // base64("ada@example.com:api-1")
        assert_eq!(
            connection.credentials.authorization_header(),
            "Basic YWRhQGV4YW1wbGUuY29tOmFwaS0x"
        );
    }

    #[test]
    fn missing_fields_are_named() {
        let cases: [(Settings, &str); 5] = [
            (
                Settings {
                    personal_access_token: Secret::default(),
                    ..pat_settings()
                },
                "Personal access token",
            ),
            (
                Settings {
                    use_personal_access_token: false,
                    ..pat_settings()
                },
                "Atlassian username",
            ),
            (
                Settings {
                    use_personal_access_token: false,
                    username: "ada@example.com".to_owned(),
                    ..pat_settings()
                },
                "Atlassian API token",
            ),
            (
                Settings {
                    space_key: " ".to_owned(),
                    ..pat_settings()
                },
                "Space key",
            ),
            (
                Settings {
                    base_url: String::new(),
                    ..pat_settings()
                },
                "Confluence base URL",
            ),
        ];
        for (settings, field) in cases {
            let error = settings.validate().unwrap_err();
            assert_eq!(error, SettingsError::MissingField { field });
            assert_eq!(
                error.to_string(),
                format!("{field} is empty: fill it in the plugin's settings.")
            );
        }
    }

    #[test]
    fn http_to_another_machine_needs_consent() {
        let settings = Settings {
            base_url: "http://wiki.example.com".to_owned(),
            ..pat_settings()
        };
        let error = settings.validate().unwrap_err();
        assert!(
            matches!(error, SettingsError::InsecureUrl { .. }),
            "{error:?}"
        );
        let allowed = Settings {
            allow_insecure_http: true,
            ..settings
        };
        assert!(allowed.validate().is_ok());
        for local in [
            "http://localhost:8090",
            "http://127.0.0.1:1990/confluence",
            "http://[::1]",
        ] {
            let settings = Settings {
                base_url: local.to_owned(),
                ..pat_settings()
            };
            assert!(settings.validate().is_ok(), "{local}");
        }
    }

    #[test]
    fn parent_page_id_must_be_digits() {
        let settings = Settings {
            parent_page_id: "12ab".to_owned(),
            ..pat_settings()
        };
        let error = settings.validate().unwrap_err();
        assert_eq!(
            error,
            SettingsError::InvalidParentPageId {
                id: "12ab".to_owned()
            }
        );
        let settings = Settings {
            parent_page_id: " 42 ".to_owned(),
            ..pat_settings()
        };
        assert_eq!(
            settings.validate().unwrap().parent_page_id.as_deref(),
            Some("42")
        );
    }

    #[test]
    fn settings_debug_never_shows_tokens() {
        let settings = Settings {
            api_token: Secret::new("api-SEEN-9"),
            ..pat_settings()
        };
        let shown = format!("{settings:?} {:?}", settings.validate().unwrap());
        assert!(
            !shown.contains("pat-123") && !shown.contains("api-SEEN-9"),
            "{shown}"
        );
    }
}
