//! Every REST request goes through the same steps, in this order:
//!
//! 1. authenticate (the outcome is kept, not acted on yet, so the log has the user);
//! 2. check the request against the OpenAPI document (a mismatch is recorded as a violation);
//! 3. let a switched-on fault answer instead (`faults.rs`), as a proxy in front would;
//! 4. refuse a mismatch as the router would: 404 unknown path, 405 undeclared method (with
//!    `Allow`), 400 otherwise;
//! 5. refuse failed authentication with 401;
//! 6. run the matched operation;
//! 7. afterwards: count what it changed, note references to attachments a page lacks, and let
//!    `dropAfterCreate` or `concurrentEdit` strike.
//!
//! Probes (`system.rs`) skip steps 2, 4 and 5.

use serde_json::Value;

use crate::auth::{authenticate, AuthFailure, Authentication, Identity};
use crate::config::Flavor;
use crate::faults::{FaultState, Injection};
use crate::openapi::{ApiDocument, MatchedOperation, RequestParts, Violation};
use crate::request::{Incoming, Reply};
use crate::store::{AttachmentError, LabelError, PageError, PropertyError, Store};

use super::system::{self, Probe};
use super::{cloud, dc, faulted, Api, Call, Effect, Handled, Site, Trace};

/// What an operation does, as far as faults and counters care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    PageCreate,
    PageUpdate,
    PageRead,
    Upload,
    Other,
}

impl Kind {
    fn of(operation_id: Option<&str>) -> Self {
        match operation_id.unwrap_or_default() {
            "createContent" | "createPage" => Self::PageCreate,
            "update_2" | "updatePage" => Self::PageUpdate,
            "getContentById" | "getPageById" | "getContent" | "getPages" => Self::PageRead,
            "createAttachments"
            | "createAttachment"
            | "createOrUpdateAttachments"
            | "updateData"
            | "updateAttachmentData" => Self::Upload,
            _ => Self::Other,
        }
    }
}

pub fn handle(
    site: &Site,
    store: &mut Store,
    faults: &mut FaultState,
    request: &Incoming,
    api: Api,
    document: &ApiDocument,
    spec_path: &str,
) -> Handled {
    // Who is asking, and what the document says about it.
    let auth = who_is_asking(site, store, request);
    let mut trace = trace_of(&auth);
    let checked = check(document, request, spec_path, &mut trace);
    let kind = Kind::of(trace.operation_id.as_deref());

    // A fault may answer first; then the router and the authentication refuse.
    let injection = faults.before_request(kind == Kind::PageCreate);
    if let Some(reply) = injected_reply(site, api, injection.as_ref(), &mut trace) {
        return finished(reply, trace, false);
    }
    let operation = match checked {
        Ok(operation) => operation,
        Err(violation) => return finished(refused_by_router(api, &violation), trace, false),
    };
    let who = match auth.outcome {
        Ok(who) => who,
        Err(failure) => return finished(auth_failure(api, &failure), trace, false),
    };

    // Run the operation, then what follows it.
    let call = Call {
        site,
        request,
        who,
        path_params: &operation.path_params,
    };
    let reply = run(api, &call, store, &operation, &mut trace);
    let after = After {
        store,
        faults,
        who: &call.who,
        trace: &mut trace,
    };
    let drop_connection = after.run(kind, &reply, injection.as_ref());
    finished(reply, trace, drop_connection)
}

/// Checks a request against the document, recording the operation and any violation.
fn check(
    document: &ApiDocument,
    request: &Incoming,
    spec_path: &str,
    trace: &mut Trace,
) -> Result<MatchedOperation, Violation> {
    let media_type = request.media_type();
    let parts = RequestParts {
        method: &request.method,
        path: spec_path,
        query: &request.query,
        media_type: media_type.as_deref(),
        has_body: !request.body.is_empty(),
        json: request.json.as_ref(),
        form: request.form.as_ref(),
    };
    let checked = document.check(&parts);
    match &checked {
        Ok(operation) => trace.operation_id = operation.operation_id.clone(),
        Err(violation) => {
            trace.operation_id = violation.operation_id.clone();
            trace.spec_violation = Some(violation.to_string());
        }
    }
    checked
}

/// Runs a matched operation; notes a deprecated one that answered.
fn run(
    api: Api,
    call: &Call,
    store: &mut Store,
    operation: &MatchedOperation,
    trace: &mut Trace,
) -> Reply {
    let operation_id = operation.operation_id.as_deref().unwrap_or_default();
    let reply = match api {
        Api::DataCenter => dc::handle(call, store, operation_id),
        Api::CloudV1 => cloud::handle_v1(call, store, operation_id, operation.deprecated),
        Api::CloudV2 => cloud::handle_v2(call, store, operation_id),
    };
    if operation.deprecated && reply.status < 400 {
        trace.notes.push(format!(
            "{operation_id} is deprecated in the Cloud v1 document; Cloud may remove it"
        ));
    }
    with_user_header(api, reply, &call.who)
}

/// A probe: faults apply, the document and authentication do not.
pub fn handle_probe(
    site: &Site,
    store: &Store,
    faults: &mut FaultState,
    request: &Incoming,
    probe: Probe,
) -> Handled {
    let mut trace = trace_of(&who_is_asking(site, store, request));
    let api = match site.flavor {
        Flavor::DataCenter => Api::DataCenter,
        Flavor::Cloud => Api::CloudV1,
    };
    let injection = faults.before_request(false);
    if let Some(reply) = injected_reply(site, api, injection.as_ref(), &mut trace) {
        return finished(reply, trace, false);
    }
    let url = format!("{}{}", site.origin, request.path);
    let reply = system::answer(site, probe, &request.method, &url);
    finished(reply, trace, false)
}

pub fn who_is_asking(site: &Site, store: &Store, request: &Incoming) -> Authentication {
    authenticate(
        site.flavor,
        store.users(),
        request.header("authorization"),
        &request.method,
        store.anonymous_access(),
        site.settings.auth,
    )
}

fn trace_of(auth: &Authentication) -> Trace {
    Trace {
        rest: true,
        auth_scheme: auth.scheme.clone(),
        user: auth.outcome.as_ref().ok().map(|who| who.name().to_owned()),
        ..Trace::default()
    }
}

fn finished(reply: Reply, trace: Trace, drop_connection: bool) -> Handled {
    Handled {
        reply,
        trace,
        drop_connection,
    }
}

/// The reply of a fault that answers instead of the operation, recorded in the trace.
fn injected_reply(
    site: &Site,
    api: Api,
    injection: Option<&Injection>,
    trace: &mut Trace,
) -> Option<Reply> {
    let injection = injection.filter(|i| **i != Injection::DropAfterRun)?;
    let name = match injection {
        Injection::Captcha => "captcha",
        Injection::HtmlLogin => "htmlLogin",
        Injection::Status { kind, .. } => kind,
        Injection::DropAfterRun => "randomFailures",
    };
    trace.fault = Some(name.to_owned());
    Some(faulted::reply(site, api, injection))
}

/// 404 for an unknown path, 405 (with `Allow`) for an undeclared method, else 400.
fn refused_by_router(api: Api, violation: &Violation) -> Reply {
    let reply = error(api, violation.status, &violation.to_string());
    match violation.allowed.is_empty() {
        true => reply,
        false => reply.with_header("Allow", &violation.allowed.join(", ")),
    }
}

/// What happens after an operation ran: counters, notes, late faults.
struct After<'a> {
    store: &'a mut Store,
    faults: &'a mut FaultState,
    who: &'a Identity,
    trace: &'a mut Trace,
}

impl After<'_> {
    /// Whether the connection should be dropped: a random failure chose it before the request
    /// ran, or `dropAfterCreate` strikes a successful create.
    fn run(mut self, kind: Kind, reply: &Reply, injection: Option<&Injection>) -> bool {
        let random_drop = injection == Some(&Injection::DropAfterRun);
        if random_drop {
            self.trace.fault = Some("randomFailures".into());
        }
        if reply.status != 200 {
            return random_drop;
        }
        let body: Value = serde_json::from_slice(&reply.body).unwrap_or(Value::Null);
        match kind {
            Kind::PageCreate => {
                self.trace.effect = Effect::PageCreated;
                self.note_missing_attachments(&body);
                if !random_drop && self.faults.drop_after_create() {
                    self.trace.fault = Some("dropAfterCreate".into());
                    return true;
                }
            }
            Kind::PageUpdate => {
                self.trace.effect = Effect::PageUpdated;
                self.note_missing_attachments(&body);
            }
            Kind::PageRead => self.maybe_edit_concurrently(&body),
            Kind::Upload => {
                let files = body["results"].as_array().map_or(1, Vec::len);
                self.trace.effect = Effect::Uploaded(files as u64);
            }
            Kind::Other => {}
        }
        random_drop
    }

    fn note_missing_attachments(&mut self, body: &Value) {
        let Some(page) = body["id"].as_str().and_then(|id| self.store.page(id)) else {
            return;
        };
        let missing = page.missing_attachments();
        if !missing.is_empty() {
            self.trace.notes.push(format!(
                "page {} references attachments it does not have (yet): {}",
                page.id,
                missing.join(", ")
            ));
        }
    }

    /// A page read (by id, or a find's first result) followed by another user's edit.
    fn maybe_edit_concurrently(self, body: &Value) {
        let id = body["id"]
            .as_str()
            .or_else(|| body["results"][0]["id"].as_str());
        let Some(page_id) = id.and_then(|id| id.parse::<u64>().ok()) else {
            return;
        };
        if self.faults.concurrent_edit() {
            self.store.edit_by_someone_else(page_id, self.who.name());
            self.trace.fault = Some("concurrentEdit".into());
        }
    }
}

/// Why an operation refuses a request: the status and the message of the error body.
pub struct Refusal {
    pub status: u16,
    pub message: String,
    /// Sent as `text/plain` rather than the API family's JSON error (servlet filters do so).
    pub plain_text: bool,
}

impl Refusal {
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            plain_text: false,
        }
    }

    /// A refusal answered as plain text, such as "XSRF check failed".
    pub fn plain(status: u16, message: impl Into<String>) -> Self {
        Self {
            plain_text: true,
            ..Self::new(status, message)
        }
    }

    fn into_reply(self, api: Api) -> Reply {
        match self.plain_text {
            true => Reply::text(self.status, &self.message),
            false => error(api, self.status, &self.message),
        }
    }
}

impl From<PageError> for Refusal {
    fn from(error: PageError) -> Self {
        Self::new(error.status(), error.to_string())
    }
}

impl From<AttachmentError> for Refusal {
    fn from(error: AttachmentError) -> Self {
        Self::new(error.status(), error.to_string())
    }
}

impl From<LabelError> for Refusal {
    fn from(error: LabelError) -> Self {
        Self::new(error.status(), error.to_string())
    }
}

impl From<PropertyError> for Refusal {
    fn from(error: PropertyError) -> Self {
        Self::new(error.status(), error.to_string())
    }
}

/// What an operation answers: a JSON body with 200, or a refusal.
pub type Answer = Result<serde_json::Value, Refusal>;

/// The reply for an answer, errors in the shape of the API family.
pub fn reply(api: Api, answer: Answer) -> Reply {
    match answer {
        Ok(body) => Reply::json(200, &body),
        Err(refusal) => refusal.into_reply(api),
    }
}

/// What an operation with an answer other than 200 JSON gives: a reply, or a refusal.
pub type Replied = Result<Reply, Refusal>;

/// The reply, errors in the shape of the API family.
pub fn finish(api: Api, replied: Replied) -> Reply {
    replied.unwrap_or_else(|refusal| refusal.into_reply(api))
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
        AuthFailure::BasicDisabled => {
            error(api, 401, &message).with_header("WWW-Authenticate", "Bearer realm=\"Confluence\"")
        }
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
