//! Starting, serving and stopping an emulator.
//!
//! The HTTP server (`http.rs`) reads each request in full on its connection's thread; the
//! request is then answered under one lock over the store, the log, the faults and the counters,
//! so the log order is the order in which requests were answered. Inspection requests
//! (`/__emulator/...`, at the server root) are answered without being logged or faulted:
//!
//! - `GET /__emulator/requests`: the log, as a JSON array of [`LoggedRequest`];
//! - `GET /__emulator/pages`: every stored page, as a JSON array of [`PageSnapshot`];
//! - `GET /__emulator/stats`: the counters, as [`Stats`];
//! - `GET /__emulator/faults`: the faults switched on; `POST` switches some on (see
//!   `faults.rs` for the body), `DELETE` switches all off;
//! - `POST /__emulator/reset`: back to the seed, an empty log, no faults, counters at zero.

use std::net::TcpListener;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{json, Value};

use crate::auth::AuthPolicy;
use crate::config::{
    find_specs_dir, normalize_context_path, site_prefix, EmulatorConfig, Flavor,
    DEFAULT_MAX_ATTACHMENT_BYTES,
};
use crate::error::StartError;
use crate::faults::{self, Fault, FaultError, FaultState};
use crate::http::{HttpServer, Outcome, RawRequest, RawResponse};
use crate::log::{LoggedPart, LoggedRequest};
use crate::request::{Incoming, Reply};
use crate::routes::{self, Effect, Handled, Site, SiteSettings};
use crate::seed::Seed;
use crate::stats::{Counters, Stats};
use crate::store::{PageSnapshot, Store};
use crate::version::{self, ServerVersion};

/// Where the inspection endpoints live, at the server root.
const INSPECTION_PREFIX: &str = "/__emulator/";
/// What an unknown inspection endpoint lists.
const INSPECTION_ENDPOINTS: [&str; 7] = [
    "GET /__emulator/requests",
    "GET /__emulator/pages",
    "GET /__emulator/stats",
    "GET /__emulator/faults",
    "POST /__emulator/faults",
    "DELETE /__emulator/faults",
    "POST /__emulator/reset",
];

/// Starts emulators.
pub struct Emulator;

impl Emulator {
    /// Binds the address, loads the OpenAPI documents and the seed, and starts serving.
    pub fn start(config: EmulatorConfig) -> Result<RunningEmulator, StartError> {
        let context_path = normalize_context_path(config.context_path.as_deref());
        if config.flavor == Flavor::Cloud && context_path.is_some() {
            return Err(StartError::ContextPathOnCloud);
        }
        config.seed.check()?;
        let settings = settings(&config)?;
        let specs_dir = specs_dir(config.specs_dir)?;
        let (listener, origin) = bind(&config.host, config.port)?;
        let prefix = site_prefix(config.flavor, context_path.as_deref());
        let site = Site::load(config.flavor, origin.clone(), prefix, settings, &specs_dir)?;
        let store = Store::from_seed(&config.seed, config.anonymous_access);
        let shared = Arc::new(Shared {
            site,
            seed: config.seed,
            anonymous_access: config.anonymous_access,
            state: Mutex::new(State {
                store,
                log: Vec::new(),
                faults: FaultState::default(),
                counters: Counters::default(),
            }),
        });
        RunningEmulator::spawn(origin, shared, listener)
    }
}

/// Release, authentication policy and attachment limit from the configuration and the seed.
fn settings(config: &EmulatorConfig) -> Result<SiteSettings, StartError> {
    let version = match (config.flavor, config.server_version.as_deref()) {
        (Flavor::Cloud, _) => ServerVersion::parse(version::CLOUD)?,
        (Flavor::DataCenter, asked) => {
            ServerVersion::parse(asked.unwrap_or(version::DEFAULT_DATA_CENTER))?
        }
    };
    let auth = AuthPolicy {
        bearer_tokens: version.has_personal_access_tokens(),
        basic_passwords: !config.basic_auth_disabled,
    };
    let max_attachment_bytes = config
        .max_attachment_bytes
        .or(config.seed.max_attachment_bytes)
        .unwrap_or(DEFAULT_MAX_ATTACHMENT_BYTES);
    Ok(SiteSettings {
        version,
        auth,
        max_attachment_bytes,
    })
}

fn specs_dir(configured: Option<PathBuf>) -> Result<PathBuf, StartError> {
    match configured {
        Some(dir) if dir.is_dir() => Ok(dir),
        Some(dir) => Err(StartError::SpecsNotFound { tried: vec![dir] }),
        None => find_specs_dir().map_err(|tried| StartError::SpecsNotFound { tried }),
    }
}

/// The listener and the origin it answers at, such as `http://127.0.0.1:43127`.
fn bind(host: &str, port: u16) -> Result<(TcpListener, String), StartError> {
    let address = match host.contains(':') {
        true => format!("[{host}]:{port}"),
        false => format!("{host}:{port}"),
    };
    let failed = |reason: String| StartError::Bind {
        address: address.clone(),
        reason,
    };
    let listener = TcpListener::bind(&address).map_err(|error| failed(error.to_string()))?;
    let listening = listener
        .local_addr()
        .map_err(|error| failed(error.to_string()))?;
    let origin = match host.contains(':') {
        true => format!("http://[{host}]:{}", listening.port()),
        false => format!("http://{host}:{}", listening.port()),
    };
    Ok((listener, origin))
}

/// What the connection threads share.
struct Shared {
    site: Site,
    seed: Seed,
    anonymous_access: bool,
    state: Mutex<State>,
}

struct State {
    store: Store,
    log: Vec<LoggedRequest>,
    faults: FaultState,
    counters: Counters,
}

impl Shared {
    /// The state, even after a panicking handler (its answer was already a 500).
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn reset(&self) {
        let mut state = self.lock();
        state.store = Store::from_seed(&self.seed, self.anonymous_access);
        state.log.clear();
        state.faults = FaultState::default();
        state.counters = Counters::default();
    }

    fn stats(&self) -> Stats {
        let state = self.lock();
        let counters = state.counters;
        Stats {
            requests: counters.requests,
            rest_requests: counters.rest_requests,
            faults: state.faults.fired(),
            pages: state.store.page_count() as u64,
            pages_created: counters.pages_created,
            pages_updated: counters.pages_updated,
            attachments: state.store.attachment_count() as u64,
            attachments_uploaded: counters.attachments_uploaded,
        }
    }

    fn inject(&self, fault: Fault) -> Result<(), FaultError> {
        faults::check(&fault, self.site.flavor == Flavor::DataCenter)?;
        self.lock().faults.set(fault);
        Ok(())
    }
}

/// A serving emulator; stops when dropped.
pub struct RunningEmulator {
    origin: String,
    base_url: String,
    shared: Arc<Shared>,
    server: Option<HttpServer>,
}

impl RunningEmulator {
    fn spawn(
        origin: String,
        shared: Arc<Shared>,
        listener: TcpListener,
    ) -> Result<Self, StartError> {
        let handler = {
            let shared = shared.clone();
            Arc::new(move |request: RawRequest| serve(&shared, request))
        };
        let server = HttpServer::start(listener, handler).map_err(|error| StartError::Bind {
            address: origin.clone(),
            reason: error.to_string(),
        })?;
        let base_url = shared.site.base_url();
        Ok(Self {
            origin,
            base_url,
            shared,
            server: Some(server),
        })
    }

    /// What a user types as the Confluence base URL: `http://127.0.0.1:PORT` (Data Center),
    /// `http://127.0.0.1:PORT/confluence` (with a context path), `http://127.0.0.1:PORT/wiki`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `http://127.0.0.1:PORT`, where the `/__emulator/` endpoints live.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Every request answered so far (inspection requests excluded), in order.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.lock().log.clone()
    }

    /// The logged requests that do not match the OpenAPI document.
    pub fn violations(&self) -> Vec<LoggedRequest> {
        self.requests()
            .into_iter()
            .filter(|entry| entry.spec_violation.is_some())
            .collect()
    }

    /// Every stored page, with its attachments, labels and properties.
    pub fn pages(&self) -> Vec<PageSnapshot> {
        self.shared.lock().store.snapshots()
    }

    /// The bytes of the current version of a page's attachment, by file name.
    pub fn attachment_bytes(&self, page_id: &str, file_name: &str) -> Option<Vec<u8>> {
        let state = self.shared.lock();
        let attachment = state.store.page(page_id)?.attachment_named(file_name)?;
        Some(attachment.current().bytes.clone())
    }

    /// Switches a fault on (or off); see [`Fault`].
    pub fn inject(&self, fault: Fault) -> Result<(), FaultError> {
        self.shared.inject(fault)
    }

    /// Switches every fault off (the counts in [`RunningEmulator::stats`] stay).
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// Requests, faults fired, pages and attachments, since the start or the last reset.
    pub fn stats(&self) -> Stats {
        self.shared.stats()
    }

    /// Back to the seed, with an empty log, no faults and counters at zero.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Stops serving: the port closes, open connections are cut.
    pub fn stop(self) {
        drop(self);
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.stop();
        }
    }
}

fn serve(shared: &Shared, raw: RawRequest) -> Outcome {
    let incoming = Incoming::new(&raw.method, &raw.target, raw.headers, raw.body);
    let (reply, drop_connection) = match incoming.path.starts_with(INSPECTION_PREFIX) {
        true => (inspect(shared, &incoming), false),
        false => answer_and_log(shared, &incoming),
    };
    if drop_connection {
        return Outcome::CloseWithoutResponse;
    }
    let content_type = reply
        .content_type
        .map(|value| ("Content-Type".to_owned(), value));
    Outcome::Respond(RawResponse {
        status: reply.status,
        headers: content_type.into_iter().chain(reply.headers).collect(),
        body: reply.body,
    })
}

fn answer_and_log(shared: &Shared, incoming: &Incoming) -> (Reply, bool) {
    let mut guard = shared.lock();
    let state = &mut *guard;
    let handled = catch_unwind(AssertUnwindSafe(|| {
        routes::handle(&shared.site, &mut state.store, &mut state.faults, incoming)
    }))
    .unwrap_or_else(|_| Handled {
        reply: Reply::v1_error(
            500,
            "The Confluence emulator failed on this request (a bug)",
        ),
        trace: routes::Trace::default(),
        drop_connection: false,
    });
    count(&mut state.counters, &handled);
    state.log.push(log_entry(incoming, &handled));
    (handled.reply, handled.drop_connection)
}

fn count(counters: &mut Counters, handled: &Handled) {
    counters.requests += 1;
    counters.rest_requests += u64::from(handled.trace.rest);
    match handled.trace.effect {
        Effect::None => {}
        Effect::PageCreated => counters.pages_created += 1,
        Effect::PageUpdated => counters.pages_updated += 1,
        Effect::Uploaded(files) => counters.attachments_uploaded += files,
    }
}

fn log_entry(incoming: &Incoming, handled: &Handled) -> LoggedRequest {
    let trace = handled.trace.clone();
    let form = incoming.form_parts().map(|parts| {
        let logged = parts.iter().map(|part| LoggedPart {
            name: part.name.clone(),
            file_name: part.file_name.clone(),
            content_type: part.content_type.clone(),
            size: part.data.len() as u64,
        });
        logged.collect()
    });
    LoggedRequest {
        method: incoming.method.clone(),
        path: incoming.path.clone(),
        query: incoming.query.iter().cloned().collect(),
        auth_scheme: trace.auth_scheme,
        user: trace.user,
        status: handled.reply.status,
        operation_id: trace.operation_id,
        spec_violation: trace.spec_violation,
        body: incoming.json_body().cloned(),
        form,
        fault: trace.fault,
        dropped: handled.drop_connection,
        notes: trace.notes,
    }
}

fn inspect(shared: &Shared, incoming: &Incoming) -> Reply {
    let what = &incoming.path[INSPECTION_PREFIX.len()..];
    match (incoming.method.as_str(), what) {
        ("GET", "requests") => Reply::json(200, &json!(shared.lock().log)),
        ("GET", "pages") => Reply::json(200, &json!(shared.lock().store.snapshots())),
        ("GET", "stats") => Reply::json(200, &json!(shared.stats())),
        ("GET", "faults") => Reply::json(200, &shared.lock().faults.active()),
        ("POST", "faults") => set_faults(shared, incoming),
        ("DELETE", "faults") => {
            shared.lock().faults.clear();
            Reply::json(200, &json!({}))
        }
        ("POST", "reset") => {
            shared.reset();
            Reply::json(200, &json!({"reset": true}))
        }
        _ => Reply::json(
            404,
            &json!({"message": "unknown inspection endpoint", "known": INSPECTION_ENDPOINTS}),
        ),
    }
}

/// `POST /__emulator/faults`: switches on what the body names; answers the faults now on.
fn set_faults(shared: &Shared, incoming: &Incoming) -> Reply {
    let body = incoming.json_body().cloned().unwrap_or(Value::Null);
    let data_center = shared.site.flavor == Flavor::DataCenter;
    match faults::parse_faults(&body, data_center) {
        Ok(faults) => {
            let mut state = shared.lock();
            for fault in faults {
                state.faults.set(fault);
            }
            Reply::json(200, &state.faults.active())
        }
        Err(error) => Reply::json(400, &json!({"message": error.to_string()})),
    }
}
