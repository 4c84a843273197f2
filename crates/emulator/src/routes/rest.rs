//! Every REST request goes through the same steps, in this order:
//!
//! 1. authenticate (the outcome is kept, not acted on yet, so the log has the user);
//! 2. check the request against the OpenAPI document: a mismatch answers 400 and is recorded
//!    as a violation, whoever sent it;
//! 3. refuse failed authentication with 401;
//! 4. run the matched operation.

use crate::auth::{authenticate, AuthFailure, Identity};
use crate::openapi::{ApiDocument, RequestParts};
use crate::request::{Incoming, Reply};
use crate::store::{PageError, Store};

use super::{cloud, dc, Api, Call, Handled, Site, Trace};

pub fn handle(
    site: &Site,
    store: &mut Store,
    request: &Incoming,
    api: Api,
    document: &ApiDocument,
    spec_path: &str,
) -> Handled {
    // Who is asking.
    let authorization = request.header("authorization");
    let anonymous_access = store.anonymous_access();
    let auth = authenticate(
        site.flavor,
        store.users(),
        authorization,
        &request.method,
        anonymous_access,
    );
    let mut trace = Trace {
        auth_scheme: auth.scheme.clone(),
        user: auth.outcome.as_ref().ok().map(|who| who.name().to_owned()),
        ..Trace::default()
    };

    // What the document says about it.
    let media_type = request.media_type();
    let parts = RequestParts {
        method: &request.method,
        path: spec_path,
        query: &request.query,
        media_type: media_type.as_deref(),
        has_body: !request.body.is_empty(),
        json: request.json.as_ref(),
    };
    let operation = match document.check(&parts) {
        Ok(operation) => operation,
        Err(violation) => {
            let message = violation.to_string();
            trace.operation_id = violation.operation_id;
            trace.spec_violation = Some(message.clone());
            return Handled {
                reply: error(api, 400, &message),
                trace,
            };
        }
    };
    trace.operation_id = operation.operation_id.clone();

    // Refuse failed authentication, then run the operation.
    let who = match auth.outcome {
        Ok(who) => who,
        Err(failure) => {
            return Handled {
                reply: auth_failure(api, &failure),
                trace,
            }
        }
    };
    let call = Call {
        site,
        request,
        who,
        path_params: &operation.path_params,
    };
    let operation_id = operation.operation_id.as_deref().unwrap_or_default();
    let reply = match api {
        Api::DataCenter => dc::handle(&call, store, operation_id),
        Api::CloudV1 => cloud::handle_v1(&call, store, operation_id, operation.deprecated),
        Api::CloudV2 => cloud::handle_v2(&call, store, operation_id),
    };
    Handled {
        reply: with_user_header(api, reply, &call.who),
        trace,
    }
}

/// Why an operation refuses a request: the status and the message of the error body.
pub struct Refusal {
    pub status: u16,
    pub message: String,
}

impl Refusal {
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
}

impl From<PageError> for Refusal {
    fn from(error: PageError) -> Self {
        Self::new(error.status(), error.to_string())
    }
}

/// What an operation answers: a JSON body with 200, or a refusal.
pub type Answer = Result<serde_json::Value, Refusal>;

/// The reply for an answer, errors in the shape of the API family.
pub fn reply(api: Api, answer: Answer) -> Reply {
    match answer {
        Ok(body) => Reply::json(200, &body),
        Err(refusal) => error(api, refusal.status, &refusal.message),
    }
}

/// An error body in the shape of the API family.
pub fn error(api: Api, status: u16, message: &str) -> Reply {
    match api {
        Api::DataCenter | Api::CloudV1 => Reply::v1_error(status, message),
        Api::CloudV2 => Reply::v2_error(status, message),
    }
}

/// The 501 for an operation the document declares but the emulator does not serve.
pub fn not_implemented(api: Api, call: &Call, operation_id: &str) -> Reply {
    let message = format!(
        "The Confluence emulator does not implement {operation_id} ({} {})",
        call.request.method, call.request.path
    );
    error(api, 501, &message)
}

/// 401 as each flavour sends it: Cloud refuses passwords in plain text, Data Center adds
/// Seraph's reason header to failed Basic sign-ins.
fn auth_failure(api: Api, failure: &AuthFailure) -> Reply {
    let message = failure.to_string();
    match failure {
        AuthFailure::CloudPassword => Reply::text(401, &message),
        AuthFailure::WrongPassword => error(api, 401, &message)
            .with_header("X-Seraph-LoginReason", "AUTHENTICATED_FAILED")
            .with_header("WWW-Authenticate", "Basic realm=\"Confluence\""),
        AuthFailure::NoCredentials
        | AuthFailure::UnknownToken
        | AuthFailure::CloudBearer
        | AuthFailure::WrongApiToken
        | AuthFailure::UnsupportedScheme => error(api, 401, &message),
    }
}

/// Data Center names the user a request ran as in `X-AUSERNAME`.
fn with_user_header(api: Api, reply: Reply, who: &Identity) -> Reply {
    match api {
        Api::DataCenter => reply.with_header("X-AUSERNAME", who.name()),
        Api::CloudV1 | Api::CloudV2 => reply,
    }
}
