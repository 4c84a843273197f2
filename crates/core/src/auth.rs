//! Credentials and the `Authorization` header they produce.
//!
//! Server and Data Center 7.9 and later take a personal access token as
//! `Authorization: Bearer <token>`. Cloud takes `Authorization: Basic base64(email:api_token)`.
//! Which one is used follows the "Use personal access token" setting, never a guess.
//!
//! Tokens live in [`Secret`], whose `Debug` output is redacted, so no error, log line or
//! `Debug` print made from these types can show a token.

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::Deserialize;

/// A token or password. Prints as `<redacted>` in `Debug`; read it with [`Secret::expose`].
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the one place that needs it: the `Authorization` header.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// How requests authenticate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credentials {
    /// Server / Data Center 7.9 and later.
    PersonalAccessToken(Secret),
    /// Cloud: the Atlassian account's email and an API token.
    ApiToken { username: String, token: Secret },
}

impl Credentials {
    /// The value of the `Authorization` header.
    pub fn authorization_header(&self) -> String {
        match self {
            Self::PersonalAccessToken(token) => format!("Bearer {}", token.expose().trim()),
            Self::ApiToken { username, token } => {
                let pair = format!("{}:{}", username.trim(), token.expose().trim());
                format!("Basic {}", STANDARD.encode(pair))
            }
        }
    }

    /// The method in words, for messages.
    pub fn method_name(&self) -> &'static str {
        match self {
            Self::PersonalAccessToken(_) => "personal access token",
            Self::ApiToken { .. } => "email and API token",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_access_token_is_sent_as_bearer() {
        let credentials = Credentials::PersonalAccessToken(Secret::new("NjQ2OTk0:abc+/="));
        assert_eq!(credentials.authorization_header(), "Bearer NjQ2OTk0:abc+/=");
    }

    #[test]
    fn api_token_is_sent_as_basic_of_email_and_token() {
        let credentials = Credentials::ApiToken {
            username: "ada@example.com".to_owned(),
            token: Secret::new("ATATT3x"),
        };
        // base64("ada@example.com:ATATT3x")
        assert_eq!(
            credentials.authorization_header(),
            "Basic YWRhQGV4YW1wbGUuY29tOkFUQVRUM3g="
        );
    }

    #[test]
    fn surrounding_whitespace_from_a_paste_is_ignored() {
        let credentials = Credentials::PersonalAccessToken(Secret::new("  tok \n"));
        assert_eq!(credentials.authorization_header(), "Bearer tok");
    }

    #[test]
    fn debug_never_shows_a_token() {
        let credentials = Credentials::ApiToken {
            username: "ada@example.com".to_owned(),
            token: Secret::new("tok-VISIBLE-42"),
        };
        let shown = format!("{credentials:?} {:?}", Secret::new("tok-VISIBLE-42"));
        assert!(!shown.contains("tok-VISIBLE-42"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }
}
