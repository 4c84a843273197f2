//! Which handler answers a request, by path:
//!
//! ```text
//! outside the site prefix (context path, or /wiki on Cloud) -> 404 page (HTML, as Cloud's)
//! <prefix>/rest/applinks/1.0/manifest, and paths a client
//!   probes to tell flavours apart                     -> system: outside the OpenAPI documents
//! <prefix>/rest/...     Data Center v1 or Cloud v1   -> rest: faults, auth, OpenAPI, operation
//! /wiki/api/v2/...      Cloud v2                     -> rest: faults, auth, OpenAPI, operation
//! <prefix>/download/attachments/PAGE/FILE            -> attachments: the bytes, for viewers
//! anything else under the prefix                     -> views: HTML pages for people, or 404
//! ```
//!
//! Inspection requests (`/__emulator/...`) never get here: the server answers them itself.

mod attachments;
mod cloud;
mod cloud_json;
mod dc;
mod dc_json;
mod faulted;
mod labels;
mod lists;
mod properties;
mod rest;
mod system;
mod views;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::auth::{AuthPolicy, Identity};
use crate::config::Flavor;
use crate::error::StartError;
use crate::escape::percent_decode;
use crate::faults::FaultState;
use crate::openapi::{load_shared, ApiDocument};
use crate::request::{Incoming, Reply};
use crate::store::Store;
use crate::version::ServerVersion;

use system::Probe;

/// The Data Center document, and the two Cloud ones.
const DATA_CENTER_SPEC: &str = "confluence-dc-10.0.3.openapi.json";
const CLOUD_V1_SPEC: &str = "confluence-cloud-v1.openapi.json";
const CLOUD_V2_SPEC: &str = "confluence-cloud-v2.openapi.json";

/// Where Cloud v2 lives under `/wiki`; its document's paths leave this out.
const CLOUD_V2_PREFIX: &str = "/api/v2";

/// The deployment being emulated: flavour, addresses and OpenAPI documents.
pub struct Site {
    pub flavor: Flavor,
    /// `http://127.0.0.1:PORT`.
    pub origin: String,
    /// The context path on Data Center (possibly empty), `/wiki` on Cloud.
    pub prefix: String,
    /// Release, authentication and limits.
    pub settings: SiteSettings,
    documents: Documents,
}

/// What differs between sites of one flavour.
#[derive(Clone, Copy, Debug)]
pub struct SiteSettings {
    /// The release reported, and deciding version-dependent behaviour.
    pub version: ServerVersion,
    /// What Data Center accepts as credentials.
    pub auth: AuthPolicy,
    /// Largest attachment accepted, in bytes.
    pub max_attachment_bytes: u64,
}

enum Documents {
    DataCenter(Arc<ApiDocument>),
    Cloud {
        v1: Arc<ApiDocument>,
        v2: Arc<ApiDocument>,
    },
}

/// The REST family a request belongs to; it decides the error body shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    DataCenter,
    CloudV1,
    CloudV2,
}

enum Target<'s> {
    Rest {
        api: Api,
        document: &'s ApiDocument,
        spec_path: String,
    },
    Probe(Probe),
    Download {
        page_id: String,
        file_name: String,
    },
    View(String),
    OutsideSite,
}

/// What the log records about a request besides its method, path and status.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    /// Whether it was a REST request (faults and `restRequests` count only those).
    pub rest: bool,
    pub auth_scheme: Option<String>,
    pub user: Option<String>,
    pub operation_id: Option<String>,
    pub spec_violation: Option<String>,
    /// The fault that decided the answer, by its JSON name.
    pub fault: Option<String>,
    /// Remarks that are not errors, such as references to attachments a page lacks.
    pub notes: Vec<String>,
    /// What the request changed, for the counters.
    pub effect: Effect,
}

/// A successful write, for the counters of `GET /__emulator/stats`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Effect {
    #[default]
    None,
    PageCreated,
    PageUpdated,
    /// Files uploaded (new attachments or new versions).
    Uploaded(u64),
}

/// A reply with its trace.
pub struct Handled {
    pub reply: Reply,
    pub trace: Trace,
    /// Close the connection without sending the reply (the reply is still logged).
    pub drop_connection: bool,
}

impl Handled {
    fn plain(reply: Reply) -> Self {
        Self {
            reply,
            trace: Trace::default(),
            drop_connection: false,
        }
    }
}

/// What a REST handler gets: the site, the request, who runs it and the path parameters.
pub struct Call<'a> {
    pub site: &'a Site,
    pub request: &'a Incoming,
    pub who: Identity,
    pub path_params: &'a BTreeMap<String, String>,
}

impl Call<'_> {
    pub fn path_param(&self, name: &str) -> &str {
        self.path_params.get(name).map_or("", String::as_str)
    }
}

impl Site {
    /// Loads the OpenAPI documents the flavour needs from `specs_dir`.
    pub fn load(
        flavor: Flavor,
        origin: String,
        prefix: String,
        settings: SiteSettings,
        specs_dir: &Path,
    ) -> Result<Self, StartError> {
        let documents = match flavor {
            Flavor::DataCenter => {
                Documents::DataCenter(load_shared(&specs_dir.join(DATA_CENTER_SPEC))?)
            }
            Flavor::Cloud => Documents::Cloud {
                v1: load_shared(&specs_dir.join(CLOUD_V1_SPEC))?,
                v2: load_shared(&specs_dir.join(CLOUD_V2_SPEC))?,
            },
        };
        Ok(Self {
            flavor,
            origin,
            prefix,
            settings,
            documents,
        })
    }

    /// What a user types as the Confluence base URL: origin plus prefix.
    pub fn base_url(&self) -> String {
        format!("{}{}", self.origin, self.prefix)
    }

    fn classify(&self, path: &str) -> Target<'_> {
        let Some(inside) = strip_site_prefix(path, &self.prefix) else {
            return Target::OutsideSite;
        };
        if let Some(probe) = system::probe(self, inside) {
            return Target::Probe(probe);
        }
        if let Some(target) = download_target(inside) {
            return target;
        }
        match &self.documents {
            Documents::DataCenter(document) if inside.starts_with("/rest/") => Target::Rest {
                api: Api::DataCenter,
                document,
                spec_path: inside.to_owned(),
            },
            Documents::Cloud { v1, .. } if inside.starts_with("/rest/") => Target::Rest {
                api: Api::CloudV1,
                document: v1,
                spec_path: path.to_owned(),
            },
            Documents::Cloud { v2, .. } if inside.starts_with(&format!("{CLOUD_V2_PREFIX}/")) => {
                let spec_path = inside[CLOUD_V2_PREFIX.len()..].to_owned();
                Target::Rest {
                    api: Api::CloudV2,
                    document: v2,
                    spec_path,
                }
            }
            Documents::DataCenter(_) | Documents::Cloud { .. } => Target::View(inside.to_owned()),
        }
    }
}

/// The path below `prefix`, if the path is inside it.
fn strip_site_prefix<'p>(path: &'p str, prefix: &str) -> Option<&'p str> {
    let inside = path.strip_prefix(prefix)?;
    match inside {
        "" => Some("/"),
        _ if inside.starts_with('/') => Some(inside),
        _ => None,
    }
}

/// `/download/attachments/PAGE/FILE`, decoded.
fn download_target(inside: &str) -> Option<Target<'static>> {
    let rest = inside.strip_prefix("/download/attachments/")?;
    let (page_id, file_name) = rest.split_once('/')?;
    let file_name = percent_decode(file_name).filter(|name| !name.contains('/'))?;
    Some(Target::Download {
        page_id: page_id.to_owned(),
        file_name,
    })
}

/// Answers one request (inspection requests excluded).
pub fn handle(
    site: &Site,
    store: &mut Store,
    faults: &mut FaultState,
    request: &Incoming,
) -> Handled {
    match site.classify(&request.path) {
        Target::Rest {
            api,
            document,
            spec_path,
        } => rest::handle(site, store, faults, request, api, document, &spec_path),
        Target::Probe(probe) => rest::handle_probe(site, store, faults, request, probe),
        Target::Download { page_id, file_name } => {
            attachments::download(site, store, request, &page_id, &file_name)
        }
        Target::View(inside) => Handled::plain(views::handle(site, store, request, &inside)),
        Target::OutsideSite => Handled::plain(views::not_found(site, &request.path)),
    }
}
