//! The request log tests read: one entry per request, in the order they were answered.
//!
//! Entries never hold credentials: only the authentication scheme and the user name; nor file
//! contents: only the names and sizes of form parts.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One request the emulator answered (inspection requests under `/__emulator/` excluded).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedRequest {
    /// Upper-case method.
    pub method: String,
    /// Full path as received, without the query.
    pub path: String,
    /// Query parameters, decoded; a repeated name keeps its last value.
    pub query: BTreeMap<String, String>,
    /// `Bearer`, `Basic`, another scheme word as sent, or `None` without an `Authorization`.
    pub auth_scheme: Option<String>,
    /// The user the request ran as (`anonymous` included), or `None` if authentication failed
    /// or did not apply.
    pub user: Option<String>,
    /// The status answered.
    pub status: u16,
    /// The OpenAPI operation the request matched.
    pub operation_id: Option<String>,
    /// Why the request does not match the OpenAPI document, if it does not.
    pub spec_violation: Option<String>,
    /// The request body parsed as JSON, or `None` (no body, or not JSON).
    pub body: Option<Value>,
    /// The parts of a `multipart/form-data` body (names, file names, sizes; not the bytes).
    #[serde(default)]
    pub form: Option<Vec<LoggedPart>>,
    /// The fault that decided the answer (`rateLimit`, `dropAfterCreate`...), if any.
    #[serde(default)]
    pub fault: Option<String>,
    /// Whether the connection was closed without sending the answer (`status` is what the
    /// operation answered).
    #[serde(default)]
    pub dropped: bool,
    /// Remarks that are not errors, such as a page referencing attachments it does not have,
    /// or a Cloud v1 operation the document flags as deprecated.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// One part of a logged `multipart/form-data` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedPart {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    /// Size of the part's body in bytes.
    pub size: u64,
}
