//! Starting, serving and stopping an emulator.
//!
//! A few worker threads take requests from one `tiny_http` server. Each request is read in full,
//! then answered under one lock over the store and the log, so the log order is the order in
//! which requests were answered. Inspection requests (`/__emulator/...`, at the server root) are
//! answered without being logged:
//!
//! - `GET /__emulator/requests`: the log, as a JSON array of [`LoggedRequest`];
//! - `GET /__emulator/pages`: every stored page, as a JSON array of [`PageSnapshot`];
//! - `POST /__emulator/reset`: back to the seed, and an empty log.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::json;

use crate::config::{find_specs_dir, normalize_context_path, site_prefix, EmulatorConfig, Flavor};
use crate::error::StartError;
use crate::log::LoggedRequest;
use crate::request::{Incoming, Reply};
use crate::routes::{self, Handled, Site};
use crate::seed::Seed;
use crate::store::{PageSnapshot, Store};

/// Threads answering requests.
const WORKERS: usize = 4;
/// How often an idle worker checks whether the emulator is stopping.
const POLL_INTERVAL: Duration = Duration::from_millis(50);
/// Where the inspection endpoints live, at the server root.
const INSPECTION_PREFIX: &str = "/__emulator/";

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
        let specs_dir = specs_dir(config.specs_dir)?;
        let (server, origin) = bind(&config.host, config.port)?;
        let prefix = site_prefix(config.flavor, context_path.as_deref());
        let site = Site::load(config.flavor, origin.clone(), prefix, &specs_dir)?;
        let store = Store::from_seed(&config.seed, config.anonymous_access);
        let shared = Arc::new(Shared {
            site,
            seed: config.seed,
            anonymous_access: config.anonymous_access,
            state: Mutex::new(State {
                store,
                log: Vec::new(),
            }),
        });
        Ok(RunningEmulator::spawn(origin, shared, server))
    }
}

fn specs_dir(configured: Option<PathBuf>) -> Result<PathBuf, StartError> {
    match configured {
        Some(dir) if dir.is_dir() => Ok(dir),
        Some(dir) => Err(StartError::SpecsNotFound { tried: vec![dir] }),
        None => find_specs_dir().map_err(|tried| StartError::SpecsNotFound { tried }),
    }
}

/// The server and the origin it answers at, such as `http://127.0.0.1:43127`.
fn bind(host: &str, port: u16) -> Result<(tiny_http::Server, String), StartError> {
    let address = match host.contains(':') {
        true => format!("[{host}]:{port}"),
        false => format!("{host}:{port}"),
    };
    let server = tiny_http::Server::http(&address).map_err(|error| StartError::Bind {
        address: address.clone(),
        reason: error.to_string(),
    })?;
    let listening = server
        .server_addr()
        .to_ip()
        .ok_or(StartError::NotIp(None))?;
    let origin = match host.contains(':') {
        true => format!("http://[{host}]:{}", listening.port()),
        false => format!("http://{host}:{}", listening.port()),
    };
    Ok((server, origin))
}

/// What the workers share.
struct Shared {
    site: Site,
    seed: Seed,
    anonymous_access: bool,
    state: Mutex<State>,
}

struct State {
    store: Store,
    log: Vec<LoggedRequest>,
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
    }
}

/// A serving emulator; stops when dropped.
pub struct RunningEmulator {
    origin: String,
    base_url: String,
    shared: Arc<Shared>,
    server: Arc<tiny_http::Server>,
    stopping: Arc<AtomicBool>,
    workers: Vec<JoinHandle<()>>,
}

impl RunningEmulator {
    fn spawn(origin: String, shared: Arc<Shared>, server: tiny_http::Server) -> Self {
        let server = Arc::new(server);
        let stopping = Arc::new(AtomicBool::new(false));
        let workers = (0..WORKERS)
            .map(|_| {
                let (shared, server, stopping) = (shared.clone(), server.clone(), stopping.clone());
                std::thread::spawn(move || work(&shared, &server, &stopping))
            })
            .collect();
        let base_url = shared.site.base_url();
        Self {
            origin,
            base_url,
            shared,
            server,
            stopping,
            workers,
        }
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

    /// Every stored page.
    pub fn pages(&self) -> Vec<PageSnapshot> {
        self.shared.lock().store.snapshots()
    }

    /// Back to the seed, with an empty log.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Stops serving and waits for the workers.
    pub fn stop(self) {
        drop(self);
    }

    fn shut_down(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        for _ in &self.workers {
            self.server.unblock();
        }
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        self.shut_down();
    }
}

fn work(shared: &Shared, server: &tiny_http::Server, stopping: &AtomicBool) {
    while !stopping.load(Ordering::SeqCst) {
        match server.recv_timeout(POLL_INTERVAL) {
            Ok(Some(request)) => serve(shared, request),
            Ok(None) => {}
            Err(_) => break,
        }
    }
}

fn serve(shared: &Shared, mut request: tiny_http::Request) {
    let incoming = read(&mut request);
    let reply = match incoming.path.starts_with(INSPECTION_PREFIX) {
        true => inspect(shared, &incoming),
        false => answer_and_log(shared, &incoming),
    };
    let mut response = tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
    let headers = std::iter::once(("Content-Type".to_owned(), reply.content_type.to_owned()));
    for (name, value) in headers.chain(reply.headers) {
        if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    // The client may have gone away; there is nobody left to tell.
    let _ = request.respond(response);
}

fn read(request: &mut tiny_http::Request) -> Incoming {
    let headers = request
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_ascii_lowercase(),
                h.value.as_str().to_owned(),
            )
        })
        .collect();
    let mut body = Vec::new();
    // A body cut short is answered as far as it arrived.
    let _ = request.as_reader().read_to_end(&mut body);
    Incoming::new(request.method().as_str(), request.url(), headers, body)
}

fn answer_and_log(shared: &Shared, incoming: &Incoming) -> Reply {
    let mut state = shared.lock();
    let handled = catch_unwind(AssertUnwindSafe(|| {
        routes::handle(&shared.site, &mut state.store, incoming)
    }))
    .unwrap_or_else(|_| Handled {
        reply: Reply::v1_error(
            500,
            "The Confluence emulator failed on this request (a bug)",
        ),
        trace: routes::Trace::default(),
    });
    state.log.push(log_entry(incoming, &handled));
    handled.reply
}

fn log_entry(incoming: &Incoming, handled: &Handled) -> LoggedRequest {
    let trace = handled.trace.clone();
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
    }
}

fn inspect(shared: &Shared, incoming: &Incoming) -> Reply {
    let what = &incoming.path[INSPECTION_PREFIX.len()..];
    match (incoming.method.as_str(), what) {
        ("GET", "requests") => Reply::json(200, &json!(shared.lock().log)),
        ("GET", "pages") => Reply::json(200, &json!(shared.lock().store.snapshots())),
        ("POST", "reset") => {
            shared.reset();
            Reply::json(200, &json!({"reset": true}))
        }
        _ => Reply::json(
            404,
            &json!({"message": "unknown inspection endpoint", "known": [
                "GET /__emulator/requests", "GET /__emulator/pages", "POST /__emulator/reset"
            ]}),
        ),
    }
}
