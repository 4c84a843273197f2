//! A request as the routes see it, and the reply they give: plain data, no sockets.

use serde_json::{json, Value};

use crate::multipart::{self, MultipartError, Part};

/// One HTTP request, read in full.
#[derive(Clone, Debug)]
pub struct Incoming {
    /// Upper-case method.
    pub method: String,
    /// Path as received, without the query.
    pub path: String,
    /// Decoded query pairs, in order.
    pub query: Vec<(String, String)>,
    /// Headers with lower-case names.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
    /// The body parsed as JSON, or why it is not JSON; `None` for an empty body.
    pub json: Option<Result<Value, String>>,
    /// The body parsed as a form, or why it is not one; `None` unless the body is
    /// `multipart/form-data`.
    pub form: Option<Result<Vec<Part>, MultipartError>>,
}

impl Incoming {
    /// Splits `url` into path and query and parses a non-empty body as JSON.
    pub fn new(method: &str, url: &str, headers: Vec<(String, String)>, body: Vec<u8>) -> Self {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let query = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        let content_type = headers
            .iter()
            .find(|(name, _)| name == "content-type")
            .map(|(_, value)| value.as_str());
        let is_form = content_type.is_some_and(|value| {
            let media_type = value.split(';').next().unwrap_or_default().trim();
            media_type.eq_ignore_ascii_case("multipart/form-data")
        });
        let form = content_type
            .filter(|_| is_form)
            .map(|value| multipart::boundary(value).and_then(|b| multipart::parse(&body, &b)));
        let json = (!body.is_empty() && !is_form)
            .then(|| serde_json::from_slice(&body).map_err(|error| error.to_string()));
        Self {
            method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            query,
            headers,
            body,
            json,
            form,
        }
    }

    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The first value of a query parameter.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The media type of the body, lower case, without parameters such as `charset`.
    pub fn media_type(&self) -> Option<String> {
        let content_type = self.header("content-type")?;
        let media_type = content_type.split(';').next().unwrap_or_default().trim();
        Some(media_type.to_ascii_lowercase())
    }

    /// The body as JSON, if it parsed.
    pub fn json_body(&self) -> Option<&Value> {
        self.json.as_ref().and_then(|parsed| parsed.as_ref().ok())
    }

    /// The parts of a `multipart/form-data` body, if it parsed.
    pub fn form_parts(&self) -> Option<&[Part]> {
        self.form.as_ref().and_then(|parsed| parsed.as_deref().ok())
    }
}

/// What to send back.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    pub status: u16,
    /// `None` for a reply without a body (204).
    pub content_type: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

const JSON: &str = "application/json;charset=UTF-8";
const HTML: &str = "text/html;charset=UTF-8";
const TEXT: &str = "text/plain;charset=UTF-8";
const XML: &str = "application/xml;charset=UTF-8";

impl Reply {
    pub fn json(status: u16, body: &Value) -> Self {
        Self {
            status,
            content_type: Some(JSON.to_owned()),
            headers: Vec::new(),
            body: body.to_string().into_bytes(),
        }
    }

    pub fn html(status: u16, page: String) -> Self {
        Self {
            status,
            content_type: Some(HTML.to_owned()),
            headers: Vec::new(),
            body: page.into_bytes(),
        }
    }

    pub fn text(status: u16, text: &str) -> Self {
        Self {
            status,
            content_type: Some(TEXT.to_owned()),
            headers: Vec::new(),
            body: text.as_bytes().to_vec(),
        }
    }

    pub fn xml(status: u16, document: String) -> Self {
        Self::bytes(status, XML, document.into_bytes())
    }

    /// Bytes of any media type, such as an attachment download.
    pub fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Self {
            status,
            content_type: Some(content_type.to_owned()),
            headers: Vec::new(),
            body,
        }
    }

    /// 204, as deletes answer.
    pub fn no_content() -> Self {
        Self {
            status: 204,
            content_type: None,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Data Center and Cloud v1 error body: `{statusCode, data, message, reason}`.
    pub fn v1_error(status: u16, message: &str) -> Self {
        let body = json!({
            "statusCode": status,
            "data": {
                "authorized": !matches!(status, 401 | 403),
                "valid": status != 400,
                "errors": [],
                "successful": false
            },
            "message": message,
            "reason": reason_phrase(status),
        });
        Self::json(status, &body)
    }

    /// Cloud v2 error body: `{errors: [{status, code, title, detail}]}`.
    pub fn v2_error(status: u16, title: &str) -> Self {
        let code = reason_phrase(status).to_ascii_uppercase().replace(' ', "_");
        let error = json!({"status": status, "code": code, "title": title, "detail": null});
        Self::json(status, &json!({"errors": [error]}))
    }
}

/// The standard reason phrase of the statuses the emulator gives.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        204 => "No Content",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        410 => "Gone",
        408 => "Request Timeout",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_url_and_parses_json() {
        let request = Incoming::new("get", "/a/b?x=1&t=A+%26+B", vec![], b"{\"a\":1}".to_vec());
        assert_eq!(request.method, "GET");
        assert_eq!(request.path, "/a/b");
        assert_eq!(request.query_value("t"), Some("A & B"));
        assert_eq!(request.json_body(), Some(&json!({"a": 1})));
    }

    #[test]
    fn error_bodies_have_confluence_shapes() {
        let reply = Reply::v1_error(404, "No space with key : X");
        let body: Value = serde_json::from_slice(&reply.body).unwrap();
        assert_eq!(body["reason"], "Not Found");
        assert_eq!(body["data"]["successful"], false);
        let reply = Reply::v2_error(400, "Bad");
        let body: Value = serde_json::from_slice(&reply.body).unwrap();
        assert_eq!(body["errors"][0]["code"], "BAD_REQUEST");
    }
}
