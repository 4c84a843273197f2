//! What a client asks to learn which Confluence it talks to (`docs/CONFLUENCE.md` section 1).
//!
//! - `GET rest/applinks/1.0/manifest`: anonymous, XML, with `<version>` (both flavours; Cloud
//!   reports 1000.0.0). Not in the OpenAPI documents, so not checked against them.
//! - `GET rest/api/server-information` (Data Center 9.0 and later here, see `version.rs`):
//!   `{baseUrl, version, buildNumber, marketplaceBuildNumber, buildDate}`, signed in.
//! - `GET rest/api/settings/systemInfo` (Cloud only): `{cloudId, commitHash, baseUrl, ...}`.
//!
//! Asking the other flavour's question (or server-information of an older Data Center) gets
//! the 404 Jersey gives for an unknown resource, `null for uri: URL`, and is not logged as a
//! violation of the document: a client may probe on purpose.

use serde_json::{json, Value};

use crate::config::Flavor;
use crate::ids::account_id;
use crate::request::Reply;

use super::Site;

const MANIFEST: &str = "/rest/applinks/1.0/manifest";
const SERVER_INFORMATION: &str = "/rest/api/server-information";
const SYSTEM_INFO: &str = "/rest/api/settings/systemInfo";

/// A request outside the OpenAPI documents, answered here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Probe {
    Manifest,
    /// A resource this flavour or release does not have.
    Missing,
}

/// The probe `inside` (the path below the site prefix) is, if it is one.
pub fn probe(site: &Site, inside: &str) -> Option<Probe> {
    match (site.flavor, inside) {
        (_, MANIFEST) => Some(Probe::Manifest),
        (Flavor::DataCenter, SYSTEM_INFO) => Some(Probe::Missing),
        (Flavor::DataCenter, SERVER_INFORMATION) => {
            (!site.settings.version.has_server_information()).then_some(Probe::Missing)
        }
        (Flavor::Cloud, SERVER_INFORMATION) => Some(Probe::Missing),
        (Flavor::DataCenter | Flavor::Cloud, _) => None,
    }
}

/// The answer to a probe; `url` is the full URL asked for.
pub fn answer(site: &Site, probe: Probe, method: &str, url: &str) -> Reply {
    match (probe, method) {
        (Probe::Manifest, "GET") => Reply::xml(200, manifest(site)),
        (Probe::Manifest, _) => {
            Reply::v1_error(405, "Method Not Allowed").with_header("Allow", "GET")
        }
        (Probe::Missing, _) => Reply::v1_error(404, &format!("null for uri: {url}")),
    }
}

/// `GET rest/api/server-information`.
pub fn server_information(site: &Site) -> Value {
    let version = site.settings.version;
    json!({
        "baseUrl": site.base_url(),
        "version": version.to_string(),
        "buildNumber": version.build_number(),
        "marketplaceBuildNumber": version.build_number(),
        "buildDate": "2024-01-01T00:00:00.000Z"
    })
}

/// `GET /wiki/rest/api/settings/systemInfo`.
pub fn system_info(site: &Site) -> Value {
    json!({
        "cloudId": cloud_id(site),
        "commitHash": "0000000000000000000000000000000000000000",
        "baseUrl": site.base_url(),
        "edition": "standard",
        "siteTitle": "Confluence",
        "defaultLocale": "en_US",
        "defaultTimeZone": "UTC",
        "microsImpactLevel": "commercial"
    })
}

/// A stable UUID-shaped id for the site.
fn cloud_id(site: &Site) -> String {
    let hex = format!(
        "{}{}",
        account_id(&site.origin),
        &account_id(&site.base_url())[..8]
    );
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn manifest(site: &Site) -> String {
    let version = site.settings.version;
    let base = crate::escape::html_text(&site.base_url());
    let id = cloud_id(site);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <manifest><id>{id}</id><name>Confluence</name><i18nKey>applinks.confluence</i18nKey>\
         <type>confluence</type><version>{version}</version>\
         <buildNumber>{build}</buildNumber><applinksVersion>9.0.0</applinksVersion>\
         <inboundAuthenticationTypes>com.atlassian.applinks.api.auth.types.\
         OAuthAuthenticationProvider</inboundAuthenticationTypes>\
         <outboundAuthenticationTypes>com.atlassian.applinks.api.auth.types.\
         OAuthAuthenticationProvider</outboundAuthenticationTypes>\
         <publicSignup>false</publicSignup><url>{base}</url>\
         <iconUrl>{base}/images/icons/favicon.png</iconUrl></manifest>",
        build = version.build_number(),
    )
}
