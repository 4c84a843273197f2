//! Which handler answers a request, by path:
//!
//! ```text
//! outside the site prefix (context path, or /wiki on Cloud)  -> 404 page
//! <prefix>/rest/...     Data Center v1 or Cloud v1   -> rest: auth, OpenAPI check, operation
//! /wiki/api/v2/...      Cloud v2                     -> rest: auth, OpenAPI check, operation
//! anything else under the prefix                     -> views: HTML pages for people, or 404
//! ```
//!
//! Inspection requests (`/__emulator/...`) never get here: the server answers them itself.

mod cloud;
mod cloud_json;
mod dc;
mod dc_json;
mod rest;
mod views;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::auth::Identity;
use crate::config::Flavor;
use crate::error::StartError;
use crate::openapi::{load_shared, ApiDocument};
use crate::request::{Incoming, Reply};
use crate::store::Store;

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
    documents: Documents,
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
    View(String),
    OutsideSite,
}

/// What the log records about a request besides its method, path and status.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    pub auth_scheme: Option<String>,
    pub user: Option<String>,
    pub operation_id: Option<String>,
    pub spec_violation: Option<String>,
}

/// A reply with its trace.
pub struct Handled {
    pub reply: Reply,
    pub trace: Trace,
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

/// Answers one request (inspection requests excluded).
pub fn handle(site: &Site, store: &mut Store, request: &Incoming) -> Handled {
    match site.classify(&request.path) {
        Target::Rest {
            api,
            document,
            spec_path,
        } => rest::handle(site, store, request, api, document, &spec_path),
        Target::View(inside) => {
            let reply = views::handle(site, store, request, &inside);
            Handled {
                reply,
                trace: Trace::default(),
            }
        }
        Target::OutsideSite => {
            let reply = views::not_found(site, &request.path);
            Handled {
                reply,
                trace: Trace::default(),
            }
        }
    }
}
