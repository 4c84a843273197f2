//! Attachments: files on a page, each with its versions.
//!
//! Rules, as Confluence applies them:
//! - a file name is unique on its page (exact match): a second upload under the same name is
//!   refused with 400 unless the client asks to update (`allowDuplicated`, Cloud's `PUT`);
//! - a new version of an attachment keeps its id; uploading under another name renames it,
//!   unless that name is taken by another attachment of the page;
//! - uploading needs edit permission on the page, reading needs view permission;
//! - ids are content ids, written `att<id>` in JSON; both forms are accepted in paths.
//!
//! The media type is the part's `Content-Type`, or (when that is missing or
//! `application/octet-stream`) guessed from the file extension, as Confluence does.

use serde::Serialize;
use thiserror::Error;

use crate::auth::Identity;
use crate::sha256::sha256_hex;
use crate::time::now_iso8601;

use super::{PageError, Store};

/// Extensions Confluence recognises, and their media types.
const MEDIA_TYPES: [(&str, &str); 14] = [
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("svg", "image/svg+xml"),
    ("webp", "image/webp"),
    ("pdf", "application/pdf"),
    ("txt", "text/plain"),
    ("md", "text/markdown"),
    ("csv", "text/csv"),
    ("json", "application/json"),
    ("zip", "application/zip"),
    ("mp4", "video/mp4"),
    ("mp3", "audio/mpeg"),
];
const OCTET_STREAM: &str = "application/octet-stream";

/// One attachment of a page.
#[derive(Clone, Debug)]
pub struct Attachment {
    pub id: u64,
    pub file_name: String,
    /// Oldest first; never empty.
    pub versions: Vec<AttachmentVersion>,
}

/// One uploaded version of an attachment.
#[derive(Clone, Debug)]
pub struct AttachmentVersion {
    pub number: u64,
    pub media_type: String,
    pub comment: String,
    pub minor_edit: bool,
    pub bytes: Vec<u8>,
    /// SHA-256 of `bytes`, lower-case hex.
    pub sha256: String,
    /// User name of the uploader.
    pub author: String,
    pub when: String,
}

/// An attachment as `GET /__emulator/pages` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentSnapshot {
    /// `att<id>`, as the REST API writes it.
    pub id: String,
    pub file_name: String,
    /// Size of the current version in bytes.
    pub size: u64,
    /// SHA-256 of the current version, lower-case hex.
    pub sha256: String,
    pub version: u64,
    pub comment: String,
    pub media_type: String,
}

/// A file as uploaded.
#[derive(Clone, Debug)]
pub struct Upload {
    pub file_name: String,
    /// The part's `Content-Type`, if it had one.
    pub media_type: Option<String>,
    pub comment: Option<String>,
    pub minor_edit: bool,
    pub bytes: Vec<u8>,
}

/// Why an attachment cannot be read or written; [`AttachmentError::status`] gives the status.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum AttachmentError {
    #[error(transparent)]
    Page(#[from] PageError),
    #[error("Cannot add a new attachment with same file name as an existing attachment: {0}")]
    SameFileName(String),
    #[error("No attachment with id {attachment} on content {page}")]
    NotFound { attachment: String, page: String },
    #[error("An attachment needs a file name (filename in the file part's Content-Disposition)")]
    NoFileName,
}

impl AttachmentError {
    pub fn status(&self) -> u16 {
        match self {
            Self::Page(error) => error.status(),
            Self::SameFileName(_) | Self::NoFileName => 400,
            Self::NotFound { .. } => 404,
        }
    }
}

impl Attachment {
    /// The latest version.
    pub fn current(&self) -> &AttachmentVersion {
        self.versions
            .last()
            .expect("an attachment is created with its first version")
    }

    /// The version with this number, if it exists.
    pub fn version(&self, number: u64) -> Option<&AttachmentVersion> {
        self.versions
            .iter()
            .find(|version| version.number == number)
    }

    pub(super) fn snapshot(&self) -> AttachmentSnapshot {
        let current = self.current();
        AttachmentSnapshot {
            id: format!("att{}", self.id),
            file_name: self.file_name.clone(),
            size: current.bytes.len() as u64,
            sha256: current.sha256.clone(),
            version: current.number,
            comment: current.comment.clone(),
            media_type: current.media_type.clone(),
        }
    }
}

/// `65540` from `att65540` or `65540`.
pub fn parse_attachment_id(text: &str) -> Option<u64> {
    text.strip_prefix("att").unwrap_or(text).parse().ok()
}

impl Store {
    /// Adds a file to a page as `who`; with `update_existing`, a file of the same name gets a
    /// new version instead of a refusal. Returns the attachment id.
    pub fn attach(
        &mut self,
        who: &Identity,
        page_id: &str,
        upload: Upload,
        update_existing: bool,
    ) -> Result<u64, AttachmentError> {
        let page_id = self.editable_page(page_id, who)?;
        if upload.file_name.is_empty() {
            return Err(AttachmentError::NoFileName);
        }
        let existing = self.pages[&page_id]
            .attachment_named(&upload.file_name)
            .map(|attachment| attachment.id);
        match (existing, update_existing) {
            (Some(_), false) => Err(AttachmentError::SameFileName(upload.file_name)),
            (Some(id), true) => {
                self.add_version(page_id, id, upload, who.name());
                Ok(id)
            }
            (None, _) => Ok(self.add_attachment(page_id, upload, who.name())),
        }
    }

    /// A new version of attachment `attachment_id` of a page, as `who`.
    pub fn update_attachment(
        &mut self,
        who: &Identity,
        page_id: &str,
        attachment_id: &str,
        upload: Upload,
    ) -> Result<u64, AttachmentError> {
        let page = self.editable_page(page_id, who)?;
        let not_found = || AttachmentError::NotFound {
            attachment: attachment_id.to_owned(),
            page: page_id.to_owned(),
        };
        let id = parse_attachment_id(attachment_id).ok_or_else(not_found)?;
        let attachments = &self.pages[&page].attachments;
        if !attachments.iter().any(|attachment| attachment.id == id) {
            return Err(not_found());
        }
        let clash = attachments
            .iter()
            .any(|other| other.id != id && other.file_name == upload.file_name);
        if clash {
            return Err(AttachmentError::SameFileName(upload.file_name));
        }
        if upload.file_name.is_empty() {
            return Err(AttachmentError::NoFileName);
        }
        self.add_version(page, id, upload, who.name());
        Ok(id)
    }

    /// An attachment of a page `who` may view, by id (`att123` or `123`).
    pub fn viewable_attachment(
        &self,
        who: &Identity,
        page_id: &str,
        attachment_id: &str,
    ) -> Result<&Attachment, AttachmentError> {
        let page = self.viewable_page(page_id, who)?;
        let id = parse_attachment_id(attachment_id);
        page.attachments
            .iter()
            .find(|attachment| Some(attachment.id) == id)
            .ok_or_else(|| AttachmentError::NotFound {
                attachment: attachment_id.to_owned(),
                page: page_id.to_owned(),
            })
    }

    fn add_attachment(&mut self, page_id: u64, upload: Upload, author: &str) -> u64 {
        let id = self.next_content_id();
        let file_name = upload.file_name.clone();
        let first = new_version(1, upload, author);
        self.page_mut(page_id).attachments.push(Attachment {
            id,
            file_name,
            versions: vec![first],
        });
        id
    }

    fn add_version(&mut self, page_id: u64, attachment_id: u64, upload: Upload, author: &str) {
        let page = self.page_mut(page_id);
        let Some(attachment) = page.attachments.iter_mut().find(|a| a.id == attachment_id) else {
            return;
        };
        let number = attachment.current().number + 1;
        attachment.file_name = upload.file_name.clone();
        attachment
            .versions
            .push(new_version(number, upload, author));
    }
}

fn new_version(number: u64, upload: Upload, author: &str) -> AttachmentVersion {
    let media_type = media_type(upload.media_type.as_deref(), &upload.file_name);
    AttachmentVersion {
        number,
        media_type,
        comment: upload.comment.unwrap_or_default(),
        minor_edit: upload.minor_edit,
        sha256: sha256_hex(&upload.bytes),
        bytes: upload.bytes,
        author: author.to_owned(),
        when: now_iso8601(),
    }
}

/// The declared media type, or one guessed from the extension.
fn media_type(declared: Option<&str>, file_name: &str) -> String {
    if let Some(declared) = declared.filter(|d| !d.is_empty() && *d != OCTET_STREAM) {
        return declared.to_owned();
    }
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, extension)| extension.to_ascii_lowercase())
        .unwrap_or_default();
    MEDIA_TYPES
        .iter()
        .find(|(known, _)| *known == extension)
        .map_or(OCTET_STREAM, |(_, media_type)| media_type)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::Seed;

    fn ada() -> Identity {
        Identity::User("ada".into())
    }

    fn upload(name: &str, bytes: &[u8]) -> Upload {
        Upload {
            file_name: name.into(),
            media_type: None,
            comment: None,
            minor_edit: true,
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn names_are_unique_per_page_and_versions_keep_the_id() {
        let mut store = Store::from_seed(&Seed::default(), false);
        let id = store
            .attach(&ada(), "65537", upload("a.png", b"one"), false)
            .unwrap();
        let again = store.attach(&ada(), "65537", upload("a.png", b"two"), false);
        assert_eq!(again, Err(AttachmentError::SameFileName("a.png".into())));
        let same = store
            .attach(&ada(), "65537", upload("a.png", b"two"), true)
            .unwrap();
        assert_eq!(same, id);
        let attachment = store.viewable_attachment(&ada(), "65537", &format!("att{id}"));
        let attachment = attachment.unwrap();
        assert_eq!(attachment.current().number, 2);
        assert_eq!(attachment.current().media_type, "image/png");
        assert_eq!(attachment.version(1).unwrap().bytes, b"one");
    }

    #[test]
    fn permissions_and_unknown_ids() {
        let mut store = Store::from_seed(&Seed::default(), false);
        let bob = Identity::User("bob".into());
        let refused = store.attach(&bob, "65537", upload("a.png", b"x"), false);
        assert_eq!(refused.unwrap_err().status(), 403);
        let hidden = store.attach(&bob, "65538", upload("a.png", b"x"), false);
        assert_eq!(hidden.unwrap_err().status(), 404);
        let unknown = store.update_attachment(&ada(), "65537", "att1", upload("a", b""));
        assert_eq!(unknown.unwrap_err().status(), 404);
    }

    #[test]
    fn media_types_come_from_the_part_or_the_extension() {
        assert_eq!(media_type(Some("image/webp"), "x.png"), "image/webp");
        assert_eq!(
            media_type(Some(OCTET_STREAM), "Report.PDF"),
            "application/pdf"
        );
        assert_eq!(media_type(None, "noextension"), OCTET_STREAM);
    }
}
