//! What the plugin remembers on each page it publishes, and how it tells a change.
//!
//! After each write the plugin stores a content property on the page
//! ([`crate::api::PROPERTY_KEY`]) holding a [`Record`]: a fingerprint of what it sent (title,
//! storage format, labels) and the page version that write made. On the next publish:
//! - the same fingerprint and the same version: nothing to write (the page is unchanged);
//! - a newer page version than recorded: someone edited the page in Confluence since;
//! - anything else: write.
//!
//! Confluence rewrites stored markup, so the fingerprint is always of what the plugin
//! generated, never compared with the body Confluence returns.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The content property's value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    pub fingerprint: String,
    pub page_version: u64,
}

impl Record {
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).expect("a record always serializes")
    }

    /// A record read from the page; `None` when the property holds something else.
    pub fn from_value(value: &Value) -> Option<Self> {
        serde_json::from_value(value.clone()).ok()
    }
}

/// The fingerprint of what a publish sends, as lowercase hex SHA-256.
pub fn fingerprint(title: &str, storage: &str, labels: &[String]) -> String {
    let mut hasher = Sha256::new();
    for part in [title, storage, &labels.join("\n")] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// What to do with a page that exists, given its version and what the plugin recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Unchanged,
    Write,
    /// Someone made a version after the plugin's last one.
    EditedSince {
        recorded: u64,
    },
}

pub fn decide(record: Option<&Record>, page_version: u64, fingerprint: &str) -> Decision {
    match record {
        None => Decision::Write,
        Some(record) if page_version > record.page_version => Decision::EditedSince {
            recorded: record.page_version,
        },
        Some(record) if record.fingerprint == fingerprint => Decision::Unchanged,
        Some(_) => Decision::Write,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_sha256_of_the_parts() {
        // sha256("T\0<p/>\0a\nb\0")
        let value = fingerprint("T", "<p/>", &["a".to_owned(), "b".to_owned()]);
        assert_eq!(value.len(), 64);
        assert_ne!(value, fingerprint("T", "<p/>", &["a".to_owned()]));
        assert_ne!(
            value,
            fingerprint("T2", "<p/>", &["a".to_owned(), "b".to_owned()])
        );
    }

    #[test]
    fn decisions() {
        let record = Record {
            fingerprint: "f".to_owned(),
            page_version: 3,
        };
        assert_eq!(decide(None, 3, "f"), Decision::Write);
        assert_eq!(decide(Some(&record), 3, "f"), Decision::Unchanged);
        assert_eq!(decide(Some(&record), 3, "g"), Decision::Write);
        assert_eq!(
            decide(Some(&record), 4, "f"),
            Decision::EditedSince { recorded: 3 }
        );
    }
}
