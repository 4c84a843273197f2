//! Counters tests read at `GET /__emulator/stats` or [`crate::RunningEmulator::stats`].
//!
//! They count from the start (or the last reset): requests answered (inspection requests
//! excluded), REST requests among them, faults fired by kind, and writes that succeeded.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What the emulator has done so far.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// Requests answered (or dropped), REST and HTML views alike.
    pub requests: u64,
    /// REST requests among them (`rest/...`, `api/v2/...`).
    pub rest_requests: u64,
    /// Faults fired, by their name in `POST /__emulator/faults` (`rateLimit`, `captcha`...).
    pub faults: BTreeMap<String, u64>,
    /// Pages stored now, space home pages included.
    pub pages: u64,
    /// Pages created through the REST API.
    pub pages_created: u64,
    /// Page updates that succeeded (a new version each).
    pub pages_updated: u64,
    /// Attachments stored now.
    pub attachments: u64,
    /// Files uploaded successfully: new attachments and new versions of existing ones.
    pub attachments_uploaded: u64,
}

/// The counters the server keeps; pages and attachments stored are read from the store.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counters {
    pub requests: u64,
    pub rest_requests: u64,
    pub pages_created: u64,
    pub pages_updated: u64,
    pub attachments_uploaded: u64,
}
