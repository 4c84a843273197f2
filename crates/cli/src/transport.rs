//! Sends the core's requests with `ureq` and drives a flow to its end.
//!
//! Every status comes back as a response (no status is an error here): the core decides what
//! a status means. A request that gets no answer comes back as status 0 with the reason as its
//! body, so the core can retry it or look before repeating a create. Flows run inside the
//! core's [`Retrying`], and a request the core delays is sent after that delay.

use std::path::{Path, PathBuf};
use std::time::Duration;

use std::time::SystemTime;

use publish_core::error::Error;
use publish_core::flow::{Flow, RetryPolicy, Retrying, Step};
use publish_core::http::{Body, HttpRequest, HttpResponse, Method};

/// How long one request may take before it counts as a network failure.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// A blocking HTTP client for the core's requests.
pub struct Transport {
    agent: ureq::Agent,
    /// The folder that vault paths in upload bodies are relative to.
    vault: PathBuf,
}

impl Transport {
    pub fn new(vault: &Path) -> Self {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(REQUEST_TIMEOUT))
            .build();
        Self {
            agent: config.into(),
            vault: vault.to_owned(),
        }
    }

    /// Send one request and read the whole answer; no answer is status 0.
    pub fn send(&self, request: &HttpRequest) -> Result<HttpResponse, String> {
        if request.delay_ms > 0 {
            if let Some(message) = &request.retry_message {
                eprintln!("{message}");
            }
            std::thread::sleep(Duration::from_millis(request.delay_ms));
        }
        match self.exchange(request) {
            Ok(response) => Ok(response),
            Err(Failure::Local(message)) => Err(message),
            Err(Failure::NoAnswer(reason)) => Ok(HttpResponse {
                status: 0,
                body: reason,
                ..Default::default()
            }),
        }
    }

    fn exchange(&self, request: &HttpRequest) -> Result<HttpResponse, Failure> {
        let unreachable = |error: ureq::Error| Failure::NoAnswer(error.to_string());
        let mut builder = ureq::http::Request::builder().method(method_name(request.method));
        builder = builder.uri(&request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let body = self
            .body_bytes(request.body.as_ref())
            .map_err(Failure::Local)?;
        let built = builder
            .body(body)
            .map_err(|error| Failure::Local(format!("invalid request: {error}")))?;
        let mut response = self.agent.run(built).map_err(unreachable)?;
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    value.to_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().map_err(unreachable)?;
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

/// Why a request has no response.
enum Failure {
    /// Nothing was sent: the request could not be made here.
    Local(String),
    /// It was sent (perhaps) but no answer came.
    NoAnswer(String),
}

impl Transport {
    /// The bytes to send: the text, or the multipart texts around the file read from the vault.
    fn body_bytes(&self, body: Option<&Body>) -> Result<Vec<u8>, String> {
        match body {
            None => Ok(Vec::new()),
            Some(Body::Text { text }) => Ok(text.as_bytes().to_vec()),
            Some(Body::Multipart {
                before,
                file_path,
                after,
            }) => {
                let path = self.vault.join(file_path);
                let file = std::fs::read(&path)
                    .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
                Ok([before.as_bytes(), &file, after.as_bytes()].concat())
            }
        }
    }
}

/// Run a flow until it is done, sending each request it asks for and retrying busy answers.
/// On failure: the message, and the id of a page the flow made before it failed.
pub fn drive<F: Flow>(flow: F, transport: &Transport) -> Result<F::Outcome, Stopped> {
    drive_observed(flow, transport, |_| {})
}

/// [`drive`], calling `after_step` with the flow after each of its answers is handed to it.
pub fn drive_observed<F: Flow>(
    flow: F,
    transport: &Transport,
    mut after_step: impl FnMut(&mut F),
) -> Result<F::Outcome, Stopped> {
    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(1, |elapsed| elapsed.as_nanos() as u64);
    let mut flow = Retrying::new(flow, RetryPolicy::default(), seed);
    let mut step = flow.start().map_err(Stopped::from)?;
    loop {
        match step {
            Step::Done(outcome) => return Ok(outcome),
            Step::Send(request) => {
                let response = transport.send(&request).map_err(Stopped::local)?;
                step = flow.resume(&response).map_err(Stopped::from)?;
                after_step(flow.inner_mut());
            }
        }
    }
}

/// Why a flow stopped before its outcome.
pub struct Stopped {
    pub message: String,
    /// The error's kind, as `Error::kind` names it ("" for a local failure).
    pub kind: &'static str,
    /// The note's page, when the flow had made it before failing.
    pub page_id: Option<String>,
}

impl Stopped {
    fn local(message: String) -> Self {
        Self {
            message,
            kind: "",
            page_id: None,
        }
    }
}

impl From<Error> for Stopped {
    fn from(error: Error) -> Self {
        let page_id = error.written_page_id().map(str::to_owned);
        Self {
            message: error.to_string(),
            kind: error.kind(),
            page_id,
        }
    }
}

impl From<Stopped> for String {
    fn from(stopped: Stopped) -> Self {
        stopped.message
    }
}

fn method_name(method: Method) -> &'static str {
    match method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Put => "PUT",
        Method::Delete => "DELETE",
    }
}
