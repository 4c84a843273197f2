//! Who a request runs as, decided the way each flavour of Confluence decides it.
//!
//! Data Center: `Bearer <PAT>` or Basic `username:password`. A PAT sent as the Basic password is
//! refused (401), as on real servers. With anonymous access on, an unknown PAT or no credentials
//! at all run the request as the anonymous user (CONFSERVER-98199), but bad Basic credentials
//! are still refused. Before 7.9 there are no PATs: a Bearer header is ignored, as if no
//! credentials were sent. An admin may switch Basic authentication off: `user:password` then
//! gets 401.
//!
//! Cloud: Basic `email:api-token` only. Bearer is refused, and Basic with the account password
//! gets 401 "Basic authentication with passwords is deprecated". With anonymous access on, GET
//! requests without valid credentials run as the anonymous user, as Cloud does on anonymously
//! readable endpoints.
//!
//! Tokens never leave this module: the log gets the scheme and the user name only.

use base64::Engine;
use thiserror::Error;

use crate::config::Flavor;
use crate::seed::SeedUser;

/// The user a request runs as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Identity {
    User(String),
    Anonymous,
}

impl Identity {
    /// The user name, or `anonymous`.
    pub fn name(&self) -> &str {
        match self {
            Self::User(username) => username,
            Self::Anonymous => "anonymous",
        }
    }
}

/// Why a request is refused with 401.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum AuthFailure {
    #[error("Client must be authenticated to access this resource.")]
    NoCredentials,
    #[error("The personal access token is not valid: it is unknown, revoked or expired.")]
    UnknownToken,
    #[error("Basic authentication failed: wrong user name or password.")]
    WrongPassword,
    #[error(
        "Basic authentication with passwords is deprecated.  For more information, see: \
         https://developer.atlassian.com/cloud/confluence/deprecation-notice-basic-auth/"
    )]
    CloudPassword,
    #[error("Unauthorized: Confluence Cloud takes Basic email:api-token, not a Bearer token.")]
    CloudBearer,
    #[error("Basic authentication failed: wrong email or API token.")]
    WrongApiToken,
    #[error("Unsupported Authorization header: use Basic or Bearer.")]
    UnsupportedScheme,
    #[error(
        "Basic authentication with a password is disabled on this Confluence; use a personal \
         access token (Authorization: Bearer)."
    )]
    BasicDisabled,
}

/// What a Data Center site accepts, which depends on its release and its admin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthPolicy {
    /// Bearer personal access tokens (7.9 and later).
    pub bearer_tokens: bool,
    /// Basic `user:password` (unless an admin switched it off).
    pub basic_passwords: bool,
}

impl Default for AuthPolicy {
    fn default() -> Self {
        Self {
            bearer_tokens: true,
            basic_passwords: true,
        }
    }
}

/// The outcome of authentication, and the scheme the client used (for the log).
#[derive(Clone, Debug)]
pub struct Authentication {
    pub scheme: Option<String>,
    pub outcome: Result<Identity, AuthFailure>,
}

/// What the `Authorization` header holds.
enum Credentials {
    None,
    Bearer(String),
    Basic { user: String, secret: String },
    Unreadable,
}

/// Decides who a request runs as; `policy` applies to Data Center only.
pub fn authenticate(
    flavor: Flavor,
    users: &[SeedUser],
    authorization: Option<&str>,
    method: &str,
    anonymous_access: bool,
    policy: AuthPolicy,
) -> Authentication {
    let scheme = authorization.map(scheme_of);
    let credentials = match parse(authorization) {
        Credentials::Bearer(_) if flavor == Flavor::DataCenter && !policy.bearer_tokens => {
            Credentials::None
        }
        Credentials::Basic { .. } if flavor == Flavor::DataCenter && !policy.basic_passwords => {
            return Authentication {
                scheme,
                outcome: Err(AuthFailure::BasicDisabled),
            };
        }
        credentials => credentials,
    };
    let outcome = match flavor {
        Flavor::DataCenter => data_center(users, credentials, anonymous_access),
        Flavor::Cloud => cloud(users, credentials, anonymous_access && method == "GET"),
    };
    Authentication { scheme, outcome }
}

fn data_center(
    users: &[SeedUser],
    credentials: Credentials,
    anonymous_access: bool,
) -> Result<Identity, AuthFailure> {
    let anonymous_or = |failure| {
        if anonymous_access {
            Ok(Identity::Anonymous)
        } else {
            Err(failure)
        }
    };
    match credentials {
        Credentials::None => anonymous_or(AuthFailure::NoCredentials),
        Credentials::Bearer(token) => match users
            .iter()
            .find(|u| u.personal_access_tokens.contains(&token))
        {
            Some(user) => Ok(Identity::User(user.username.clone())),
            None => anonymous_or(AuthFailure::UnknownToken),
        },
        Credentials::Basic { user, secret } => {
            let signed_in = users
                .iter()
                .find(|u| u.username == user && u.password.as_deref() == Some(secret.as_str()));
            signed_in
                .map(|u| Identity::User(u.username.clone()))
                .ok_or(AuthFailure::WrongPassword)
        }
        Credentials::Unreadable => Err(AuthFailure::UnsupportedScheme),
    }
}

fn cloud(
    users: &[SeedUser],
    credentials: Credentials,
    anonymous_fallback: bool,
) -> Result<Identity, AuthFailure> {
    let anonymous_or = |failure| {
        if anonymous_fallback {
            Ok(Identity::Anonymous)
        } else {
            Err(failure)
        }
    };
    match credentials {
        Credentials::None => anonymous_or(AuthFailure::NoCredentials),
        Credentials::Bearer(_) => anonymous_or(AuthFailure::CloudBearer),
        Credentials::Basic { user, secret } => {
            let Some(account) = users.iter().find(|u| u.email.eq_ignore_ascii_case(&user)) else {
                return anonymous_or(AuthFailure::WrongApiToken);
            };
            if account.api_tokens.contains(&secret) {
                Ok(Identity::User(account.username.clone()))
            } else if account.password.as_deref() == Some(secret.as_str()) {
                Err(AuthFailure::CloudPassword)
            } else {
                anonymous_or(AuthFailure::WrongApiToken)
            }
        }
        Credentials::Unreadable => anonymous_or(AuthFailure::UnsupportedScheme),
    }
}

/// `Bearer` or `Basic` (normalized), or the scheme word as sent.
fn scheme_of(header: &str) -> String {
    let word = header.split_whitespace().next().unwrap_or_default();
    for known in ["Bearer", "Basic"] {
        if word.eq_ignore_ascii_case(known) {
            return known.to_owned();
        }
    }
    word.chars()
        .filter(char::is_ascii_alphanumeric)
        .take(20)
        .collect()
}

fn parse(header: Option<&str>) -> Credentials {
    let Some(header) = header.map(str::trim).filter(|h| !h.is_empty()) else {
        return Credentials::None;
    };
    let (scheme, value) = header.split_once(' ').unwrap_or((header, ""));
    let value = value.trim();
    if scheme.eq_ignore_ascii_case("Bearer") && !value.is_empty() {
        return Credentials::Bearer(value.to_owned());
    }
    if scheme.eq_ignore_ascii_case("Basic") {
        return parse_basic(value);
    }
    Credentials::Unreadable
}

/// `base64(user:secret)`; the user may be empty, the colon may not be missing.
fn parse_basic(encoded: &str) -> Credentials {
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok();
    let text = decoded.and_then(|bytes| String::from_utf8(bytes).ok());
    match text.as_deref().and_then(|t| t.split_once(':')) {
        Some((user, secret)) => Credentials::Basic {
            user: user.to_owned(),
            secret: secret.to_owned(),
        },
        None => Credentials::Unreadable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::Seed;

    fn basic(user: &str, secret: &str) -> String {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{secret}"))
        )
    }

    fn run(flavor: Flavor, header: Option<&str>, anonymous: bool) -> Result<Identity, AuthFailure> {
        let users = &Seed::default().users;
        authenticate(
            flavor,
            users,
            header,
            "GET",
            anonymous,
            AuthPolicy::default(),
        )
        .outcome
    }

    #[test]
    fn old_servers_ignore_bearer_and_admins_may_disable_basic() {
        let users = &Seed::default().users;
        let old = AuthPolicy {
            bearer_tokens: false,
            basic_passwords: true,
        };
        let bearer = Some("Bearer pat-ada-0001");
        let run = |header, anonymous, policy| {
            authenticate(Flavor::DataCenter, users, header, "GET", anonymous, policy).outcome
        };
        assert_eq!(run(bearer, false, old), Err(AuthFailure::NoCredentials));
        assert_eq!(run(bearer, true, old), Ok(Identity::Anonymous));
        let no_basic = AuthPolicy {
            bearer_tokens: true,
            basic_passwords: false,
        };
        let password = basic("ada", "ada-password");
        assert_eq!(
            run(Some(&password), true, no_basic),
            Err(AuthFailure::BasicDisabled)
        );
        assert!(run(bearer, false, no_basic).is_ok());
    }

    #[test]
    fn data_center_rules() {
        let ada = Ok(Identity::User("ada".into()));
        assert_eq!(
            run(Flavor::DataCenter, Some("Bearer pat-ada-0001"), false),
            ada
        );
        assert_eq!(
            run(
                Flavor::DataCenter,
                Some(&basic("ada", "ada-password")),
                false
            ),
            ada
        );
        assert_eq!(
            run(Flavor::DataCenter, Some("Bearer nope"), false),
            Err(AuthFailure::UnknownToken)
        );
        assert_eq!(
            run(Flavor::DataCenter, Some("Bearer nope"), true),
            Ok(Identity::Anonymous)
        );
        let pat_as_basic = basic("ada", "pat-ada-0001");
        assert_eq!(
            run(Flavor::DataCenter, Some(&pat_as_basic), true),
            Err(AuthFailure::WrongPassword)
        );
        assert_eq!(
            run(Flavor::DataCenter, Some(&basic("", "pat-ada-0001")), false),
            Err(AuthFailure::WrongPassword)
        );
        assert_eq!(
            run(Flavor::DataCenter, None, false),
            Err(AuthFailure::NoCredentials)
        );
    }

    #[test]
    fn cloud_rules() {
        let ada = Ok(Identity::User("ada".into()));
        assert_eq!(
            run(
                Flavor::Cloud,
                Some(&basic("ada@example.com", "api-ada-0001")),
                false
            ),
            ada
        );
        assert_eq!(
            run(Flavor::Cloud, Some("Bearer api-ada-0001"), false),
            Err(AuthFailure::CloudBearer)
        );
        let password = basic("ada@example.com", "ada-password");
        assert_eq!(
            run(Flavor::Cloud, Some(&password), true),
            Err(AuthFailure::CloudPassword)
        );
        let wrong = basic("ada@example.com", "nope");
        assert_eq!(
            run(Flavor::Cloud, Some(&wrong), false),
            Err(AuthFailure::WrongApiToken)
        );
        assert_eq!(
            run(Flavor::Cloud, Some(&wrong), true),
            Ok(Identity::Anonymous)
        );
    }

    #[test]
    fn scheme_is_logged_without_the_token() {
        let policy = AuthPolicy::default();
        let auth = authenticate(
            Flavor::DataCenter,
            &[],
            Some("bearer secret"),
            "GET",
            false,
            policy,
        );
        assert_eq!(auth.scheme.as_deref(), Some("Bearer"));
    }
}
