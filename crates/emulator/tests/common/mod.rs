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
}

/// An emulator with default seed, on a free port, with the shared specs.
pub fn start(flavor: Flavor, options: Options) -> RunningEmulator {
    let mut config = EmulatorConfig::new(flavor);
    config.context_path = options.context_path.map(str::to_owned);
    config.anonymous_access = options.anonymous_access;
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
    pub text: String,
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
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    if let Some(authorization) = authorization {
        builder = builder.header("Authorization", authorization);
    }
    let sent = match body {
        Some(body) => {
            let builder = builder.header("Content-Type", "application/json");
            agent().run(
                builder
                    .body(body.to_string())
                    .expect("the test request should be valid"),
            )
        }
        None => agent().run(builder.body(()).expect("the test request should be valid")),
    };
    let mut response = sent.expect("the emulator should answer");
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
    let text = response
        .body_mut()
        .read_to_string()
        .expect("the body should be text");
    Answer {
        status,
        content_type,
        headers,
        text,
    }
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
