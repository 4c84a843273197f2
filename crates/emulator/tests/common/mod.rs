//! Helpers for the integration tests: start an emulator in-process, speak raw HTTP to it.

#![allow(dead_code)]

use std::time::Duration;

use base64::Engine;
use confluence_emulator::{Emulator, EmulatorConfig, Flavor, LoggedRequest, RunningEmulator};
use serde_json::Value;

/// How to start an emulator; every field defaults to the plain configuration.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub context_path: Option<&'static str>,
    pub anonymous_access: bool,
    pub server_version: Option<&'static str>,
    pub basic_auth_disabled: bool,
    pub max_attachment_bytes: Option<u64>,
}

/// An emulator with default seed, on a free port, with the shared specs.
pub fn start(flavor: Flavor, options: Options) -> RunningEmulator {
    let mut config = EmulatorConfig::new(flavor);
    config.context_path = options.context_path.map(str::to_owned);
    config.anonymous_access = options.anonymous_access;
    config.server_version = options.server_version.map(str::to_owned);
    config.basic_auth_disabled = options.basic_auth_disabled;
    config.max_attachment_bytes = options.max_attachment_bytes;
    Emulator::start(config).expect("the emulator should start with the default seed and specs")
}

pub fn data_center() -> RunningEmulator {
    start(Flavor::DataCenter, Options::default())
}

pub fn cloud() -> RunningEmulator {
    start(Flavor::Cloud, Options::default())
}

pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

pub fn basic(user: &str, secret: &str) -> String {
    let pair = format!("{user}:{secret}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

/// Ada's PAT, for Data Center.
pub fn ada_dc() -> String {
    bearer("pat-ada-0001")
}

/// Ada's API token, for Cloud.
pub fn ada_cloud() -> String {
    basic("ada@example.com", "api-ada-0001")
}

/// A response, read in full.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    /// The body as text (lossy for binary bodies).
    pub text: String,
    /// The body as sent.
    pub bytes: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|error| panic!("body should be JSON ({error}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        let found = self
            .headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name));
        found.map(|(_, value)| value.as_str())
    }

    /// The `message` of a Data Center or Cloud v1 error body.
    pub fn message(&self) -> String {
        self.json()["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The `title` of the first Cloud v2 error.
    pub fn v2_title(&self) -> String {
        self.json()["errors"][0]["title"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

/// Sends one request; `body` goes out as JSON.
pub fn send(method: &str, url: &str, authorization: Option<&str>, body: Option<&Value>) -> Answer {
    let mut headers = Vec::new();
    if let Some(authorization) = authorization {
        headers.push(("Authorization", authorization.to_owned()));
    }
    let bytes = body.map(|body| {
        headers.push(("Content-Type", "application/json".to_owned()));
        body.to_string().into_bytes()
    });
    try_send_raw(method, url, &headers, bytes).expect("the emulator should answer")
}

/// Sends one request with any headers and body; `Err` when no response came back.
pub fn try_send_raw(
    method: &str,
    url: &str,
    headers: &[(&str, String)],
    body: Option<Vec<u8>>,
) -> Result<Answer, ureq::Error> {
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(*name, value.as_str());
    }
    let mut response = match body {
        Some(body) => agent().run(
            builder
                .body(body)
                .expect("the test request should be valid"),
        ),
        None => agent().run(builder.body(()).expect("the test request should be valid")),
    }?;
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.to_string(),
                value.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let status = response.status().as_u16();
    let bytes = response
        .body_mut()
        .with_config()
        .limit(u64::MAX)
        .read_to_vec()?;
    Ok(Answer {
        status,
        content_type,
        headers,
        text: String::from_utf8_lossy(&bytes).into_owned(),
        bytes,
    })
}

pub fn delete(url: &str, authorization: Option<&str>) -> Answer {
    send("DELETE", url, authorization, None)
}

/// A `multipart/form-data` body, built by hand as the plugin must build it.
pub struct Form {
    boundary: String,
    body: Vec<u8>,
}

impl Form {
    pub fn new() -> Self {
        Self {
            boundary: "----emulator-test-boundary-7MA4YWxkTrZu0gW".to_owned(),
            body: Vec::new(),
        }
    }

    /// A file part.
    pub fn file(self, name: &str, file_name: &str, content_type: &str, bytes: &[u8]) -> Self {
        let head = format!(
            "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\n\
             Content-Type: {content_type}\r\n"
        );
        self.part(&head, bytes)
    }

    /// A text part.
    pub fn text(self, name: &str, value: &str) -> Self {
        let head = format!("Content-Disposition: form-data; name=\"{name}\"\r\n");
        self.part(&head, value.as_bytes())
    }

    fn part(mut self, head: &str, data: &[u8]) -> Self {
        self.body
            .extend_from_slice(format!("--{}\r\n{head}\r\n", self.boundary).as_bytes());
        self.body.extend_from_slice(data);
        self.body.extend_from_slice(b"\r\n");
        self
    }

    pub fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    pub fn finish(mut self) -> (String, Vec<u8>) {
        let content_type = self.content_type();
        self.body
            .extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        (content_type, self.body)
    }
}

/// Sends a form; `xsrf` is the `X-Atlassian-Token` value, if any.
pub fn send_form(
    method: &str,
    url: &str,
    authorization: &str,
    xsrf: Option<&str>,
    form: Form,
) -> Answer {
    let (content_type, body) = form.finish();
    let mut headers = vec![
        ("Authorization", authorization.to_owned()),
        ("Content-Type", content_type),
    ];
    if let Some(token) = xsrf {
        headers.push(("X-Atlassian-Token", token.to_owned()));
    }
    try_send_raw(method, url, &headers, Some(body)).expect("the emulator should answer")
}

/// A one-file upload with `minorEdit` (Cloud's document requires it) and the XSRF header.
pub fn upload(url: &str, authorization: &str, file_name: &str, bytes: &[u8]) -> Answer {
    let form = Form::new()
        .file("file", file_name, "application/octet-stream", bytes)
        .text("minorEdit", "true");
    send_form("POST", url, authorization, Some("no-check"), form)
}

/// Switches faults on through `POST /__emulator/faults`.
pub fn set_faults(emulator: &RunningEmulator, faults: &Value) -> Answer {
    let url = format!("{}/__emulator/faults", emulator.origin());
    send("POST", &url, None, Some(faults))
}

pub fn get(url: &str, authorization: Option<&str>) -> Answer {
    send("GET", url, authorization, None)
}

pub fn post(url: &str, authorization: Option<&str>, body: &Value) -> Answer {
    send("POST", url, authorization, Some(body))
}

pub fn put(url: &str, authorization: Option<&str>, body: &Value) -> Answer {
    send("PUT", url, authorization, Some(body))
}

/// The log as `GET /__emulator/requests` serves it.
pub fn logged(emulator: &RunningEmulator) -> Vec<LoggedRequest> {
    let answer = get(&format!("{}/__emulator/requests", emulator.origin()), None);
    assert_eq!(answer.status, 200, "the log should be readable");
    serde_json::from_str(&answer.text).expect("the log should be a list of entries")
}

/// Fails the test if any request broke the OpenAPI document.
pub fn assert_no_violations(emulator: &RunningEmulator) {
    let violations = emulator.violations();
    assert!(
        violations.is_empty(),
        "requests should match the OpenAPI documents: {violations:#?}"
    );
}
