//! The follow-up work after a page is written: labels to add or remove, files to upload.
//!
//! Labels: the note's tags, inline `#tags` and `confluence-labels`, made valid for Confluence
//! (lowercase; anything but letters, digits, `-` and `_` becomes `-`), once each, sorted. The
//! page's labels that the note no longer has are removed.
//!
//! Files: each attachment the converter reported is uploaded when the page has no attachment
//! of that name (a new attachment), or has one whose comment is not this file's
//! `sha256:<hex>` (a new version of it); otherwise it is left alone. A file the caller did not
//! find in the vault is reported missing and not uploaded.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::convert::Attachment;
use crate::response::ListedAttachment;

/// What the caller knows about a file in the vault.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileInfo {
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
    pub size: u64,
}

/// The comment that marks an upload with its content hash.
pub fn hash_comment(sha256: &str) -> String {
    format!("sha256:{sha256}")
}

/// Labels as Confluence accepts them, once each, sorted.
pub fn labels<'a>(names: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let valid: BTreeSet<String> = names.into_iter().map(|name| label(name)).collect();
    valid
        .into_iter()
        .filter(|name| !name.trim_matches('-').is_empty())
        .collect()
}

fn label(name: &str) -> String {
    let name = name.trim().trim_start_matches('#').to_lowercase();
    let allowed = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    name.chars()
        .map(|c| if allowed(c) { c } else { '-' })
        .collect()
}

/// Labels to add and labels to remove so that the page has exactly `wanted`.
pub fn label_changes(wanted: &[String], current: &[String]) -> (Vec<String>, Vec<String>) {
    let add = wanted
        .iter()
        .filter(|name| !current.contains(name))
        .cloned()
        .collect();
    let remove = current
        .iter()
        .filter(|name| !wanted.contains(name))
        .cloned()
        .collect();
    (add, remove)
}

/// One file to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedUpload {
    pub vault_path: String,
    pub file_name: String,
    pub sha256: String,
    pub size: u64,
    /// The attachment this replaces with a new version, if the page has one of that name.
    pub replaces: Option<String>,
}

/// The files to upload and the files that are missing from the vault.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilePlan {
    pub uploads: Vec<PlannedUpload>,
    pub unchanged: usize,
    pub missing: Vec<String>,
}

/// Compare the converter's attachments with the page's (`listed`; empty for a new page).
pub fn files(
    attachments: &[Attachment],
    known: &BTreeMap<String, FileInfo>,
    listed: &[ListedAttachment],
) -> FilePlan {
    let mut plan = FilePlan::default();
    for attachment in attachments {
        let Some(info) = known.get(&attachment.vault_path) else {
            plan.missing.push(attachment.vault_path.clone());
            continue;
        };
        let on_page = listed
            .iter()
            .find(|item| item.file_name == attachment.file_name);
        if on_page.is_some_and(|item| item.comment == hash_comment(&info.sha256)) {
            plan.unchanged += 1;
            continue;
        }
        plan.uploads.push(PlannedUpload {
            vault_path: attachment.vault_path.clone(),
            file_name: attachment.file_name.clone(),
            sha256: info.sha256.clone(),
            size: info.size,
            replaces: on_page.map(|item| item.id.clone()),
        });
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::AttachmentKind;

    fn attachment(path: &str, name: &str) -> Attachment {
        Attachment {
            vault_path: path.to_owned(),
            file_name: name.to_owned(),
            kind: AttachmentKind::Image,
        }
    }

    fn listed(id: &str, name: &str, sha: &str) -> ListedAttachment {
        ListedAttachment {
            id: id.to_owned(),
            file_name: name.to_owned(),
            comment: hash_comment(sha),
        }
    }

    #[test]
    fn labels_are_made_valid_once_each() {
        let names = ["#How To", "setup", "Setup", "a/b", "###"].map(str::to_owned);
        assert_eq!(labels(&names), ["a-b", "how-to", "setup"]);
    }

    #[test]
    fn label_changes_add_and_remove() {
        let wanted = ["a", "b"].map(str::to_owned);
        let current = ["b", "c"].map(str::to_owned);
        assert_eq!(
            label_changes(&wanted, &current),
            (vec!["a".to_owned()], vec!["c".to_owned()])
        );
    }

    #[test]
    fn new_changed_unchanged_and_missing_files() {
        let attachments = [
            attachment("img/new.png", "new.png"),
            attachment("img/changed.png", "changed.png"),
            attachment("img/same.png", "same.png"),
            attachment("img/gone.png", "gone.png"),
        ];
        let info = |sha: &str| FileInfo {
            sha256: sha.to_owned(),
            size: 1,
        };
        let known = BTreeMap::from([
            ("img/new.png".to_owned(), info("n1")),
            ("img/changed.png".to_owned(), info("c2")),
            ("img/same.png".to_owned(), info("s1")),
        ]);
        let listed = [
            listed("att1", "changed.png", "c1"),
            listed("att2", "same.png", "s1"),
        ];
        let plan = files(&attachments, &known, &listed);
        assert_eq!(plan.uploads.len(), 2);
        assert_eq!(plan.uploads[0].replaces, None);
        assert_eq!(plan.uploads[1].replaces.as_deref(), Some("att1"));
        assert_eq!(plan.unchanged, 1);
        assert_eq!(plan.missing, ["img/gone.png"]);
    }
}
