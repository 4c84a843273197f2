//! Requests and responses as plain data.
//!
//! The core never sends anything: it returns an [`HttpRequest`] and is handed back an
//! [`HttpResponse`]. Both serialize with camelCase names for the wasm boundary. A request
//! carries the `Authorization` header, so its `Debug` output redacts that header and omits the
//! body: a request can be logged for diagnosis without leaking a token or a page.
//!
//! A body is text (JSON), or a multipart upload whose file the caller reads and places between
//! the two texts the core wrote ([`Body::Multipart`]): attachment bytes never pass through the
//! core, so a large video is held once, by the caller, not copied into and out of wasm.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The HTTP methods the Confluence REST API needs here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

/// One request for the caller to send, exactly as given.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    /// Header names are lowercase.
    pub headers: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
    /// Wait this long before sending (a retry after a busy answer); 0 almost always.
    #[serde(rename = "delayMs", skip_serializing_if = "is_zero")]
    pub delay_ms: u64,
    /// For a retry, what to tell the user while waiting, e.g. "Confluence is busy; trying
    /// again in 2 s."
    #[serde(rename = "retryMessage", skip_serializing_if = "Option::is_none")]
    pub retry_message: Option<String>,
}

fn is_zero(value: &u64) -> bool {
    *value == 0
}

/// What a request carries.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Body {
    /// JSON, as text.
    Text { text: String },
    /// `multipart/form-data` with one file: send `before`, then the bytes of the vault file
    /// at `file_path`, then `after`. The boundary is in the `content-type` header.
    #[serde(rename_all = "camelCase")]
    Multipart {
        before: String,
        file_path: String,
        after: String,
    },
}

impl Body {
    /// The text of a text body.
    pub fn text(&self) -> Option<&str> {
        match self {
            Self::Text { text } => Some(text),
            Self::Multipart { .. } => None,
        }
    }

    /// The size of what the core wrote, without the file.
    fn written_len(&self) -> usize {
        match self {
            Self::Text { text } => text.len(),
            Self::Multipart { before, after, .. } => before.len() + after.len(),
        }
    }
}

impl HttpRequest {
    /// The value of a header, by its lowercase name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    /// The text of a text body.
    pub fn body_text(&self) -> Option<&str> {
        self.body.as_ref().and_then(Body::text)
    }
}

/// Only the kind and size: a page body or a file path is nobody's business in a log.
impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            Self::Text { .. } => "Text",
            Self::Multipart { .. } => "Multipart",
        };
        write!(f, "{kind}({} bytes)", self.written_len())
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: BTreeMap<&str, &str> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if name == "authorization" {
                    "<redacted>"
                } else {
                    value
                };
                (name.as_str(), shown)
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field(
                "body_bytes",
                &self.body.as_ref().map_or(0, Body::written_len),
            )
            .finish()
    }
}

/// What came back. Header names may arrive in any case; [`HttpResponse::header`] ignores it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct HttpResponse {
    pub status: u16,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub body: String,
}

impl HttpResponse {
    /// A response with a status and a body, for tests and front ends.
    pub fn new(status: u16, body: impl Into<String>) -> Self {
        let mut headers = BTreeMap::new();
        headers.insert("content-type".to_owned(), "application/json".to_owned());
        Self {
            status,
            headers,
            body: body.into(),
        }
    }

    /// The value of a header, whatever the case of its name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// True when the body is an HTML page (a login page, a proxy's error page).
    pub fn is_html(&self) -> bool {
        let typed_html = self
            .header("content-type")
            .is_some_and(|t| t.contains("text/html"));
        let starts_html = {
            let start = self.body.trim_start().get(..15).unwrap_or_default();
            start.to_ascii_lowercase().starts_with("<!doctype html") || start.starts_with("<html")
        };
        typed_html || starts_html
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_redacts_authorization_and_body() {
        let mut headers = BTreeMap::new();
        headers.insert(
            "authorization".to_owned(),
            "Bearer tok-SECRET-123".to_owned(),
        );
        let request = HttpRequest {
            method: Method::Post,
            url: "https://c.example.com/rest/api/content".to_owned(),
            headers,
            body: Some(Body::Text {
                text: "<p>page SECRET body</p>".to_owned(),
            }),
            delay_ms: 0,
            retry_message: None,
        };
        let shown = format!("{request:?}");
        assert!(
            !shown.contains("tok-SECRET-123"),
            "should hide the token: {shown}"
        );
        assert!(
            !shown.contains("page SECRET body"),
            "should hide the body: {shown}"
        );
        assert!(shown.contains("<redacted>"));
    }

    #[test]
    fn header_lookup_ignores_case() {
        let mut response = HttpResponse::new(429, "");
        response
            .headers
            .insert("Retry-After".to_owned(), "7".to_owned());
        assert_eq!(response.header("retry-after"), Some("7"));
    }

    #[test]
    fn recognises_html_pages() {
        let mut response = HttpResponse::new(200, "<!DOCTYPE html><html></html>");
        response.headers.clear();
        assert!(response.is_html());
        assert!(!HttpResponse::new(200, "{}").is_html());
    }
}
