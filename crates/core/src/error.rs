//! Every error the core reports, each with a message a person can act on.
//!
//! [`Error`] gathers the per-operation enums. Its [`Error::kind`] is a stable, short name for
//! the front ends (the TypeScript side receives `{kind, message}`). Messages never contain a
//! token: they are built from settings fields other than secrets and from what the server
//! said, cut to a few hundred characters.

use thiserror::Error;

use crate::http::HttpResponse;
use crate::note::NoteError;
use crate::settings::SettingsError;

/// Any failure of a flow or a conversion.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Error {
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Note(#[from] NoteError),
    #[error(transparent)]
    Api(#[from] ApiError),
    /// A flow was driven out of order (a bug in the front end, not the user's doing).
    #[error("internal error: {0}")]
    Protocol(&'static str),
    /// A publish failed after it had made or found the note's page: the note should still be
    /// linked to it, so the next publish updates that page rather than making another.
    #[error("{source} The page itself exists: {url}")]
    AfterPageWritten {
        page_id: String,
        url: String,
        source: Box<Error>,
    },
}

impl Error {
    /// The address of the page the error is about, when there is one.
    pub fn page_url(&self) -> Option<&str> {
        match self {
            Self::Api(ApiError::TitleTaken { url, .. })
            | Self::Api(ApiError::EditedInConfluence { url, .. })
            | Self::AfterPageWritten { url, .. } => Some(url),
            Self::Settings(_) | Self::Note(_) | Self::Api(_) | Self::Protocol(_) => None,
        }
    }

    /// The id of the note's page when the publish failed after making it: write it into the
    /// note's `confluence-page-id` all the same.
    pub fn written_page_id(&self) -> Option<&str> {
        match self {
            Self::AfterPageWritten { page_id, .. } => Some(page_id),
            Self::Settings(_) | Self::Note(_) | Self::Api(_) | Self::Protocol(_) => None,
        }
    }

    /// A stable name for the kind of failure.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Settings(_) => "settings",
            Self::Note(_) => "note",
            Self::Api(error) => error.kind(),
            Self::Protocol(_) => "internal",
            Self::AfterPageWritten { source, .. } => source.kind(),
        }
    }
}

/// What went wrong talking to Confluence.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ApiError {
    #[error(
        "Confluence did not accept the personal access token (401). Check that it was copied \
         whole and has not expired or been revoked; create a new one under your avatar > \
         Settings > Personal Access Tokens. Servers older than 7.9 have no personal access \
         tokens; on Confluence Cloud, turn off \"Use personal access token\" and use your email \
         and an API token instead."
    )]
    PersonalAccessTokenRejected,
    #[error(
        "Confluence did not accept the Atlassian username and API token (401). Check that the \
         username is your account's email and create a new API token at \
         id.atlassian.com > Security > API tokens. On Server or Data Center 7.9 and later, turn \
         on \"Use personal access token\" instead."
    )]
    ApiTokenRejected,
    #[error(
        "Confluence Cloud does not take personal access tokens (401). Turn off \"Use personal \
         access token\" and fill in your Atlassian email as the username and an API token \
         (made at id.atlassian.com > Security > API tokens)."
    )]
    PersonalAccessTokenOnCloud,
    #[error(
        "This Server / Data Center did not accept the username and password or API token \
         (401); many servers turn that off. On Confluence 7.9 and later, turn on \"Use personal \
         access token\" and paste a token made under your avatar > Settings > Personal Access \
         Tokens."
    )]
    BasicRefusedByServer,
    #[error(
        "This Confluence is version {version}; personal access tokens need 7.9 or later. Turn \
         off \"Use personal access token\" and use your username and password instead."
    )]
    PersonalAccessTokenTooNew { version: String },
    #[error(
        "There is no Confluence at {url} (the server answered {status}). Check the Confluence \
         base URL: {hint}"
    )]
    NoConfluenceAt {
        url: String,
        status: u16,
        hint: &'static str,
    },
    #[error(
        "{url} is Confluence Cloud, but the kind of Confluence is set to Automatic and the \
         address does not end in atlassian.net. Set the kind of Confluence to Cloud, and use \
         your email and an API token."
    )]
    CloudNotDataCenter { url: String },
    #[error(
        "The {method} was not accepted: Confluence answered as an anonymous user, which it \
         does for an unknown token when anonymous access is on. Check the token in the \
         plugin's settings, or create a new one."
    )]
    AnsweredAsAnonymous { method: &'static str },
    #[error(
        "Confluence asks for a CAPTCHA after failed logins (403). Log in once in the browser \
         at {base_url}, then try again."
    )]
    CaptchaRequired { base_url: String },
    #[error(
        "No space with key {key} exists, or you may not view it. Check the Space key setting."
    )]
    SpaceNotFound { key: String },
    #[error(
        "You may not {action} (403): ask a space admin for permission. Confluence said: {detail}"
    )]
    Forbidden { action: String, detail: String },
    #[error("{what} was not found (404). Confluence said: {detail}")]
    NotFound { what: String, detail: String },
    #[error(
        "The page {page_id} named by confluence-page-id no longer exists, or you may not view \
         it. Remove confluence-page-id from the note's frontmatter to publish it as a new page."
    )]
    LinkedPageMissing { page_id: String },
    #[error(
        "A page titled \"{title}\" already exists in space {space} (page {page_id}), and this \
         note is not linked to it. To publish onto that page, add \"confluence-page-id: \
         {page_id}\" to the note's frontmatter; or give the note another title."
    )]
    TitleTaken {
        title: String,
        space: String,
        page_id: String,
        url: String,
    },
    #[error(
        "\"{title}\" was edited in Confluence since it was last published from this note (the \
         page is at version {current}; this note published version {published}). Publishing \
         now would overwrite those edits: open the page and bring them into the note, or \
         publish again and choose to overwrite."
    )]
    EditedInConfluence {
        title: String,
        current: u64,
        published: u64,
        url: String,
    },
    #[error(
        "The page changed in Confluence while publishing (409): {detail} Publish again to \
         retry."
    )]
    VersionConflict { detail: String },
    #[error("Confluence is limiting requests (429). Wait {wait} and publish again.")]
    RateLimited { wait: String },
    #[error(
        "\"{file_name}\" ({size}) is larger than this Confluence accepts for an attachment \
         (413): {detail} Ask an administrator to raise the attachment size limit, or link to \
         the file instead of embedding it."
    )]
    AttachmentTooLarge {
        file_name: String,
        size: String,
        detail: String,
    },
    #[error("Confluence refused the request ({status}): {detail}")]
    Rejected { status: u16, detail: String },
    #[error("Confluence had an internal error ({status}). Try again later. It said: {detail}")]
    ServerError { status: u16, detail: String },
    #[error("Could not reach {host}: {reason}. {hint}")]
    Unreachable {
        host: String,
        reason: String,
        hint: &'static str,
    },
    #[error(
        "The server answered with an HTML page instead of Confluence's JSON (status {status}). \
         A login page, proxy or single sign-on may be in front of Confluence, or the base URL \
         is wrong (Cloud addresses end in /wiki; Server may need its context path such as \
         /confluence)."
    )]
    HtmlInsteadOfJson { status: u16 },
    #[error("Confluence answered in a way this plugin does not understand ({status}): {detail}")]
    Unexpected { status: u16, detail: String },
}

impl ApiError {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::PersonalAccessTokenRejected
            | Self::PersonalAccessTokenOnCloud
            | Self::BasicRefusedByServer
            | Self::PersonalAccessTokenTooNew { .. }
            | Self::ApiTokenRejected
            | Self::AnsweredAsAnonymous { .. }
            | Self::CaptchaRequired { .. } => "auth",
            Self::SpaceNotFound { .. } | Self::NotFound { .. } | Self::LinkedPageMissing { .. } => {
                "not-found"
            }
            Self::Forbidden { .. } => "forbidden",
            Self::TitleTaken { .. } => "title-taken",
            Self::VersionConflict { .. } => "conflict",
            Self::EditedInConfluence { .. } => "edited-in-confluence",
            Self::RateLimited { .. } => "rate-limited",
            Self::Rejected { .. } | Self::AttachmentTooLarge { .. } => "rejected",
            Self::ServerError { .. } => "server",
            Self::HtmlInsteadOfJson { .. } | Self::Unexpected { .. } => "unexpected-response",
            Self::Unreachable { .. } => "network",
            Self::NoConfluenceAt { .. } | Self::CloudNotDataCenter { .. } => "not-confluence",
        }
    }
}

/// The longest piece of a server's message quoted in an error.
const MAX_DETAIL_CHARS: usize = 300;

/// The message Confluence put in an error body: `message` (Data Center and Cloud v1),
/// `errors[0].title` (Cloud v2), else the start of the body.
pub fn server_message(response: &HttpResponse) -> String {
    let parsed: Option<serde_json::Value> = serde_json::from_str(&response.body).ok();
    let from_json = parsed.as_ref().and_then(|value| {
        value["message"]
            .as_str()
            .or_else(|| value["errors"][0]["title"].as_str())
            .or_else(|| value["errors"][0]["detail"].as_str())
            .map(str::to_owned)
    });
    let text = from_json.unwrap_or_else(|| response.body.trim().to_owned());
    let text = if text.is_empty() {
        "(no message)".to_owned()
    } else {
        text
    };
    shorten(&text)
}

fn shorten(text: &str) -> String {
    let mut chars = text.chars();
    let mut short: String = chars.by_ref().take(MAX_DETAIL_CHARS).collect();
    if chars.next().is_some() {
        short.push('…');
    }
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_data_center_and_cloud_v2_messages() {
        let dc = HttpResponse::new(
            409,
            r#"{"statusCode":409,"message":"Version must be incremented"}"#,
        );
        assert_eq!(server_message(&dc), "Version must be incremented");
        let v2 = HttpResponse::new(400, r#"{"errors":[{"status":400,"title":"Bad title"}]}"#);
        assert_eq!(server_message(&v2), "Bad title");
        assert_eq!(
            server_message(&HttpResponse::new(500, "  ")),
            "(no message)"
        );
    }

    #[test]
    fn long_messages_are_cut() {
        let long = "x".repeat(1000);
        let message = server_message(&HttpResponse::new(500, long));
        assert_eq!(message.chars().count(), MAX_DETAIL_CHARS + 1);
        assert!(message.ends_with('…'));
    }
}
