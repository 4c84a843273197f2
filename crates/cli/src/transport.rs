//! Sends the core's requests with `ureq` and drives a flow to its end.
//!
//! Every status comes back as a response (no status is an error here): the core decides what
//! a status means. A network failure becomes a message naming the host, never the request's
//! headers.

use std::time::Duration;

use publish_core::flow::{Flow, Step};
use publish_core::http::{HttpRequest, HttpResponse, Method};

/// How long one request may take before it counts as a network failure.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// A blocking HTTP client for the core's requests.
pub struct Transport {
    agent: ureq::Agent,
}

impl Transport {
    pub fn new() -> Self {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(REQUEST_TIMEOUT))
            .build();
        Self {
            agent: config.into(),
        }
    }

    /// Send one request and read the whole answer.
    pub fn send(&self, request: &HttpRequest) -> Result<HttpResponse, String> {
        let unreachable = |error: ureq::Error| {
            let host = request
                .url
                .split('/')
                .nth(2)
                .unwrap_or(&request.url)
                .to_owned();
            format!("could not reach {host}: {error}. Check the base URL and the network.")
        };
        let mut builder = ureq::http::Request::builder().method(method_name(request.method));
        builder = builder.uri(&request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let body = request.body.clone().unwrap_or_default();
        let built = builder
            .body(body)
            .map_err(|error| format!("invalid request: {error}"))?;
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

/// Run a flow until it is done, sending each request it asks for.
pub fn drive<F: Flow>(flow: &mut F, transport: &Transport) -> Result<F::Outcome, String> {
    let mut step = flow.start().map_err(|error| error.to_string())?;
    loop {
        match step {
            Step::Done(outcome) => return Ok(outcome),
            Step::Send(request) => {
                let response = transport.send(&request)?;
                step = flow.resume(&response).map_err(|error| error.to_string())?;
            }
        }
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
