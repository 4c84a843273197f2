//! Spaces and pages, with Confluence's rules for reading and writing them.
//!
//! The rules are the same for both flavours; only the JSON around them differs:
//! - a user who may not view a space (or page) gets "not found", never "forbidden";
//! - a user who may view but not edit gets "forbidden" (403);
//! - titles are trimmed, 1 to 255 characters, unique per space regardless of case;
//! - an update carries the current version number plus one, or is refused with 409;
//! - a parent must be a viewable page of the same space, and a page cannot move under itself;
//! - bodies must be well-formed storage format ([`crate::xhtml`]).
//!
//! Each space gets a home page, titled after the space plus `" Home"`, at seed time.
//!
//! Pages carry attachments ([`attachments`]), labels ([`labels`]) and content properties
//! ([`properties`]), each with its own rules; reading them needs view permission, changing them
//! edit permission, as for the page itself.

mod attachments;
mod labels;
mod properties;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;
use thiserror::Error;

use crate::auth::Identity;
use crate::seed::{Seed, SeedSpace, SeedUser};
use crate::time::now_iso8601;
use crate::xhtml::{attachment_references, check_storage_format, XhtmlError};

pub use attachments::{Attachment, AttachmentError, AttachmentSnapshot, AttachmentVersion, Upload};
pub use labels::{Label, LabelError};
pub use properties::{Property, PropertyChange, PropertyError};

/// The longest title Confluence accepts, in characters.
const MAX_TITLE_CHARS: usize = 255;
/// Ids of the first space and the first page, like a fresh Confluence.
const FIRST_SPACE_ID: u64 = 98_305;
const FIRST_PAGE_ID: u64 = 65_537;
/// Ids of the first content property and the first label.
const FIRST_PROPERTY_ID: u64 = 196_609;
const FIRST_LABEL_ID: u64 = 327_681;
/// Who makes the edits of the `concurrentEdit` fault when the seed has nobody else.
const OTHER_EDITOR: &str = "another-user";

/// A space and who may do what in it.
#[derive(Clone, Debug)]
pub struct Space {
    pub id: u64,
    pub key: String,
    pub name: String,
    pub homepage_id: u64,
    pub created_at: String,
    viewers: BTreeSet<String>,
    editors: BTreeSet<String>,
    anonymous_view: bool,
}

/// The current state of one page.
#[derive(Clone, Debug)]
pub struct Page {
    pub id: u64,
    pub space_key: String,
    pub title: String,
    pub parent_id: Option<u64>,
    pub body: String,
    pub version: Version,
    pub created_at: String,
    pub created_by: String,
    /// Attachments in upload order.
    pub attachments: Vec<Attachment>,
    /// Labels in the order they were added.
    pub labels: Vec<Label>,
    /// Content properties in creation order.
    pub properties: Vec<Property>,
}

/// The latest version of a page.
#[derive(Clone, Debug)]
pub struct Version {
    pub number: u64,
    pub message: String,
    pub minor_edit: bool,
    /// User name of the author.
    pub author: String,
    pub when: String,
}

/// A page as `GET /__emulator/pages` and [`crate::RunningEmulator::pages`] show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageSnapshot {
    pub id: String,
    pub space_key: String,
    pub title: String,
    pub version: u64,
    pub parent_id: Option<String>,
    pub body: String,
    /// Attachments, in upload order.
    pub attachments: Vec<AttachmentSnapshot>,
    /// Label names (any prefix), in the order they were added.
    pub labels: Vec<String>,
    /// Content property values by key.
    pub properties: BTreeMap<String, Value>,
    /// File names the body references with `ri:attachment` (this page's own attachments) that
    /// the page does not have.
    pub missing_attachments: Vec<String>,
}

/// A page to create.
#[derive(Clone, Debug)]
pub struct NewPage {
    pub space_key: String,
    pub title: String,
    pub parent_id: Option<String>,
    pub body: String,
}

/// A change to an existing page.
#[derive(Clone, Debug)]
pub struct PageChange {
    pub title: String,
    /// `Some` moves the page under that parent.
    pub parent_id: Option<String>,
    /// `None` keeps the body.
    pub body: Option<String>,
    /// Must be the current version plus one.
    pub version_number: i64,
    pub message: String,
    pub minor_edit: bool,
    /// If given, must be the page's space: pages do not move between spaces here.
    pub space_key: Option<String>,
}

/// Why a read or write is refused; [`PageError::status`] gives the HTTP status.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum PageError {
    #[error("No space with key : {0}")]
    SpaceNotFound(String),
    #[error("No content found with id: ContentId{{id={0}}}")]
    PageNotFound(String),
    #[error("Parent page not found: no content found with id {0}")]
    ParentNotFound(String),
    #[error("User {user} is not permitted to create or edit pages in space {space}")]
    NotPermitted { user: String, space: String },
    #[error("Title cannot be empty.")]
    EmptyTitle,
    #[error("Title cannot be longer than {MAX_TITLE_CHARS} characters.")]
    LongTitle,
    #[error(
        "A page with this title already exists: A page already exists with the title {title} in \
         the space with key {space}"
    )]
    DuplicateTitle { title: String, space: String },
    #[error("Version must be incremented on update. Current version is: {current}")]
    StaleVersion { current: u64 },
    #[error("The parent page {parent} is not in space {space}")]
    ParentInOtherSpace { parent: String, space: String },
    #[error("A page cannot be moved under itself or one of its descendants ({0})")]
    ParentCycle(String),
    #[error("Moving a page to another space is not supported (page {page} is in space {space})")]
    SpaceChange { page: String, space: String },
    #[error("Error parsing xhtml: {0}")]
    Xhtml(XhtmlError),
}

impl PageError {
    /// The status Confluence answers with.
    pub fn status(&self) -> u16 {
        match self {
            Self::SpaceNotFound(_) | Self::PageNotFound(_) | Self::ParentNotFound(_) => 404,
            Self::NotPermitted { .. } => 403,
            Self::StaleVersion { .. } => 409,
            Self::EmptyTitle
            | Self::LongTitle
            | Self::DuplicateTitle { .. }
            | Self::ParentInOtherSpace { .. }
            | Self::ParentCycle(_)
            | Self::SpaceChange { .. }
            | Self::Xhtml(_) => 400,
        }
    }
}

/// Everything the emulator knows.
#[derive(Clone, Debug)]
pub struct Store {
    users: Vec<SeedUser>,
    anonymous_access: bool,
    spaces: Vec<Space>,
    pages: BTreeMap<u64, Page>,
    /// Pages and attachments share ids, as both are content in Confluence.
    next_content_id: u64,
    next_property_id: u64,
    label_ids: BTreeMap<String, u64>,
}

impl Store {
    /// The state a seed describes: its users, its spaces, and one home page per space.
    pub fn from_seed(seed: &Seed, anonymous_access: bool) -> Self {
        let mut store = Self {
            users: seed.users.clone(),
            anonymous_access: anonymous_access || seed.anonymous_access,
            spaces: Vec::new(),
            pages: BTreeMap::new(),
            next_content_id: FIRST_PAGE_ID,
            next_property_id: FIRST_PROPERTY_ID,
            label_ids: BTreeMap::new(),
        };
        for (index, space) in seed.spaces.iter().enumerate() {
            store.add_space(FIRST_SPACE_ID + index as u64, space);
        }
        store
    }

    fn add_space(&mut self, id: u64, seed: &SeedSpace) {
        let created_at = now_iso8601();
        let owner = seed
            .editors
            .first()
            .or(seed.viewers.first())
            .cloned()
            .unwrap_or_default();
        let homepage_id = self.insert_page(
            NewPage {
                space_key: seed.key.clone(),
                title: format!("{} Home", seed.name),
                parent_id: None,
                body: format!(
                    "<p>Welcome to {}.</p>",
                    crate::escape::html_text(&seed.name)
                ),
            },
            None,
            &owner,
        );
        self.spaces.push(Space {
            id,
            key: seed.key.clone(),
            name: seed.name.clone(),
            homepage_id,
            created_at,
            viewers: seed.viewers.iter().chain(&seed.editors).cloned().collect(),
            editors: seed.editors.iter().cloned().collect(),
            anonymous_view: seed.anonymous_view,
        });
    }

    pub fn users(&self) -> &[SeedUser] {
        &self.users
    }

    pub fn user(&self, username: &str) -> Option<&SeedUser> {
        self.users.iter().find(|user| user.username == username)
    }

    pub fn anonymous_access(&self) -> bool {
        self.anonymous_access
    }

    fn can_view(&self, space: &Space, who: &Identity) -> bool {
        match who {
            Identity::User(username) => space.viewers.contains(username),
            Identity::Anonymous => self.anonymous_access && space.anonymous_view,
        }
    }

    fn can_edit(space: &Space, who: &Identity) -> bool {
        match who {
            Identity::User(username) => space.editors.contains(username),
            Identity::Anonymous => false,
        }
    }

    /// A space by key, if it exists; permissions not checked (for rendering).
    pub fn space(&self, key: &str) -> Option<&Space> {
        self.spaces.iter().find(|space| space.key == key)
    }

    /// A space `who` may view, by key (exact, as Confluence keys are upper case).
    pub fn viewable_space(&self, key: &str, who: &Identity) -> Result<&Space, PageError> {
        self.space(key)
            .filter(|space| self.can_view(space, who))
            .ok_or_else(|| PageError::SpaceNotFound(key.to_owned()))
    }

    /// A space `who` may view, by numeric id.
    pub fn viewable_space_by_id(&self, id: &str, who: &Identity) -> Option<&Space> {
        let id: u64 = id.parse().ok()?;
        self.spaces
            .iter()
            .find(|space| space.id == id && self.can_view(space, who))
    }

    /// Every space, in seed order.
    pub fn spaces(&self) -> impl Iterator<Item = &Space> {
        self.spaces.iter()
    }

    /// Every space `who` may view.
    pub fn viewable_spaces<'s>(&'s self, who: &'s Identity) -> impl Iterator<Item = &'s Space> {
        self.spaces
            .iter()
            .filter(move |space| self.can_view(space, who))
    }

    /// A page by id, with no permission check (for the views people open in a browser).
    pub fn page(&self, id: &str) -> Option<&Page> {
        self.pages.get(&id.parse().ok()?)
    }

    /// A page `who` may view.
    pub fn viewable_page(&self, id: &str, who: &Identity) -> Result<&Page, PageError> {
        let page = self
            .page(id)
            .ok_or_else(|| PageError::PageNotFound(id.to_owned()))?;
        match self.space(&page.space_key) {
            Some(space) if self.can_view(space, who) => Ok(page),
            Some(_) | None => Err(PageError::PageNotFound(id.to_owned())),
        }
    }

    /// The id of a page `who` may edit: "not found" if they may not view it, else "forbidden".
    fn editable_page(&self, id: &str, who: &Identity) -> Result<u64, PageError> {
        let page = self.viewable_page(id, who)?;
        let space = self
            .space(&page.space_key)
            .ok_or_else(|| PageError::PageNotFound(id.to_owned()))?;
        self.require_edit(space, who)?;
        Ok(page.id)
    }

    fn page_mut(&mut self, id: u64) -> &mut Page {
        self.pages
            .get_mut(&id)
            .expect("callers look the page up first, under the same lock")
    }

    /// Gives a page a new version by someone other than `who`, as if edited in the browser
    /// meanwhile (the `concurrentEdit` fault); body and title stay.
    pub fn edit_by_someone_else(&mut self, page_id: u64, who: &str) {
        let other = self
            .users
            .iter()
            .map(|user| user.username.as_str())
            .find(|name| *name != who)
            .unwrap_or(OTHER_EDITOR)
            .to_owned();
        let Some(page) = self.pages.get_mut(&page_id) else {
            return;
        };
        page.version = Version {
            number: page.version.number + 1,
            message: "Edited in the browser meanwhile (emulator fault concurrentEdit)".into(),
            minor_edit: false,
            author: other,
            when: now_iso8601(),
        };
    }

    /// How many pages are stored, home pages included.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// How many attachments are stored, over all pages.
    pub fn attachment_count(&self) -> usize {
        self.pages.values().map(|page| page.attachments.len()).sum()
    }

    /// The next id for a page or an attachment.
    fn next_content_id(&mut self) -> u64 {
        let id = self.next_content_id;
        self.next_content_id += 1;
        id
    }

    /// Pages of a space, in id order, optionally with exactly this title.
    pub fn pages_in<'s>(
        &'s self,
        space_key: &'s str,
        title: Option<&'s str>,
    ) -> impl Iterator<Item = &'s Page> {
        self.pages.values().filter(move |page| {
            page.space_key == space_key && title.map_or(true, |title| page.title == title)
        })
    }

    /// The chain of parents of a page: root first, direct parent last.
    pub fn ancestors(&self, page: &Page) -> Vec<&Page> {
        let mut chain = Vec::new();
        let mut next = page.parent_id;
        while let Some(parent) = next.and_then(|id| self.pages.get(&id)) {
            chain.push(parent);
            next = parent.parent_id;
        }
        chain.reverse();
        chain
    }

    /// Direct children of a page, in id order.
    pub fn children(&self, page_id: u64) -> impl Iterator<Item = &Page> {
        self.pages
            .values()
            .filter(move |page| page.parent_id == Some(page_id))
    }

    /// Every page, for inspection.
    pub fn snapshots(&self) -> Vec<PageSnapshot> {
        self.pages.values().map(Page::snapshot).collect()
    }

    /// Creates a page as `who`, checking permissions, title, parent and body.
    pub fn create(&mut self, who: &Identity, draft: NewPage) -> Result<&Page, PageError> {
        let space = self.viewable_space(&draft.space_key, who)?;
        let space_key = space.key.clone();
        self.require_edit(space, who)?;
        let title = checked_title(&draft.title)?;
        let parent_id = self.checked_parent(draft.parent_id.as_deref(), &space_key, None, who)?;
        self.require_unique_title(&space_key, &title, None)?;
        check_storage_format(&draft.body).map_err(PageError::Xhtml)?;
        let draft = NewPage { title, ..draft };
        let id = self.insert_page(draft, parent_id, who.name());
        Ok(&self.pages[&id])
    }

    /// Updates a page as `who`; the version number must be the current one plus one.
    pub fn update(
        &mut self,
        who: &Identity,
        id: &str,
        change: PageChange,
    ) -> Result<&Page, PageError> {
        let page = self.viewable_page(id, who)?;
        let (page_id, space_key, current) = (page.id, page.space_key.clone(), page.version.number);
        let space = self
            .space(&space_key)
            .ok_or_else(|| PageError::PageNotFound(id.to_owned()))?;
        self.require_edit(space, who)?;
        if change.version_number != current as i64 + 1 {
            return Err(PageError::StaleVersion { current });
        }
        if change
            .space_key
            .as_ref()
            .is_some_and(|key| *key != space_key)
        {
            return Err(PageError::SpaceChange {
                page: id.to_owned(),
                space: space_key,
            });
        }
        let title = checked_title(&change.title)?;
        let parent_id =
            self.checked_parent(change.parent_id.as_deref(), &space_key, Some(page_id), who)?;
        self.require_unique_title(&space_key, &title, Some(page_id))?;
        if let Some(body) = &change.body {
            check_storage_format(body).map_err(PageError::Xhtml)?;
        }
        Ok(self.apply(page_id, title, parent_id, change, who.name()))
    }

    fn apply(
        &mut self,
        page_id: u64,
        title: String,
        parent_id: Option<u64>,
        change: PageChange,
        author: &str,
    ) -> &Page {
        let page = self
            .pages
            .get_mut(&page_id)
            .expect("update checked that the page exists");
        page.title = title;
        if change.parent_id.is_some() {
            page.parent_id = parent_id;
        }
        if let Some(body) = change.body {
            page.body = body;
        }
        page.version = Version {
            number: page.version.number + 1,
            message: change.message,
            minor_edit: change.minor_edit,
            author: author.to_owned(),
            when: now_iso8601(),
        };
        page
    }

    fn require_edit(&self, space: &Space, who: &Identity) -> Result<(), PageError> {
        match Self::can_edit(space, who) {
            true => Ok(()),
            false => Err(PageError::NotPermitted {
                user: who.name().to_owned(),
                space: space.key.clone(),
            }),
        }
    }

    /// The parent's id, if one is asked for: it must be viewable, in the space, not `moving`'s
    /// own subtree.
    fn checked_parent(
        &self,
        parent_id: Option<&str>,
        space_key: &str,
        moving: Option<u64>,
        who: &Identity,
    ) -> Result<Option<u64>, PageError> {
        let Some(parent_id) = parent_id else {
            return Ok(None);
        };
        let parent = self
            .viewable_page(parent_id, who)
            .map_err(|_| PageError::ParentNotFound(parent_id.to_owned()))?;
        if parent.space_key != space_key {
            let (parent, space) = (parent_id.to_owned(), space_key.to_owned());
            return Err(PageError::ParentInOtherSpace { parent, space });
        }
        let in_own_subtree = moving.is_some_and(|moving| {
            parent.id == moving || self.ancestors(parent).iter().any(|a| a.id == moving)
        });
        match in_own_subtree {
            true => Err(PageError::ParentCycle(parent_id.to_owned())),
            false => Ok(Some(parent.id)),
        }
    }

    fn require_unique_title(
        &self,
        space_key: &str,
        title: &str,
        except: Option<u64>,
    ) -> Result<(), PageError> {
        let wanted = title.to_lowercase();
        let taken = self
            .pages_in(space_key, None)
            .any(|page| Some(page.id) != except && page.title.to_lowercase() == wanted);
        match taken {
            true => Err(PageError::DuplicateTitle {
                title: title.to_owned(),
                space: space_key.to_owned(),
            }),
            false => Ok(()),
        }
    }

    fn insert_page(&mut self, draft: NewPage, parent_id: Option<u64>, author: &str) -> u64 {
        let id = self.next_content_id();
        let now = now_iso8601();
        let version = Version {
            number: 1,
            message: String::new(),
            minor_edit: false,
            author: author.to_owned(),
            when: now.clone(),
        };
        let page = Page {
            id,
            space_key: draft.space_key,
            title: draft.title,
            parent_id,
            body: draft.body,
            version,
            created_at: now,
            created_by: author.to_owned(),
            attachments: Vec::new(),
            labels: Vec::new(),
            properties: Vec::new(),
        };
        self.pages.insert(id, page);
        id
    }
}

impl Page {
    fn snapshot(&self) -> PageSnapshot {
        PageSnapshot {
            id: self.id.to_string(),
            space_key: self.space_key.clone(),
            title: self.title.clone(),
            version: self.version.number,
            parent_id: self.parent_id.map(|id| id.to_string()),
            body: self.body.clone(),
            attachments: self.attachments.iter().map(Attachment::snapshot).collect(),
            labels: self.labels.iter().map(|label| label.name.clone()).collect(),
            properties: self
                .properties
                .iter()
                .map(|property| (property.key.clone(), property.value.clone()))
                .collect(),
            missing_attachments: self.missing_attachments(),
        }
    }

    /// File names the body references as this page's attachments that the page lacks.
    pub fn missing_attachments(&self) -> Vec<String> {
        let mut missing: Vec<String> = Vec::new();
        for name in attachment_references(&self.body) {
            if self.attachment_named(&name).is_none() && !missing.contains(&name) {
                missing.push(name);
            }
        }
        missing
    }

    /// The attachment with this file name, if any.
    pub fn attachment_named(&self, file_name: &str) -> Option<&Attachment> {
        self.attachments.iter().find(|a| a.file_name == file_name)
    }
}

/// The trimmed title, 1 to 255 characters.
fn checked_title(title: &str) -> Result<String, PageError> {
    let title = title.trim();
    match title.chars().count() {
        0 => Err(PageError::EmptyTitle),
        n if n > MAX_TITLE_CHARS => Err(PageError::LongTitle),
        _ => Ok(title.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ada() -> Identity {
        Identity::User("ada".into())
    }

    fn store() -> Store {
        Store::from_seed(&Seed::default(), false)
    }

    fn draft(title: &str, parent_id: Option<&str>) -> NewPage {
        NewPage {
            space_key: "DOCS".into(),
            title: title.into(),
            parent_id: parent_id.map(str::to_owned),
            body: "<p>x</p>".into(),
        }
    }

    fn change(title: &str, version_number: i64) -> PageChange {
        PageChange {
            title: title.into(),
            parent_id: None,
            body: None,
            version_number,
            message: String::new(),
            minor_edit: false,
            space_key: None,
        }
    }

    #[test]
    fn seed_gives_each_space_a_home_page() {
        let store = store();
        let docs = store.viewable_space("DOCS", &ada()).unwrap();
        assert_eq!(
            store.page(&docs.homepage_id.to_string()).unwrap().title,
            "Documentation Home"
        );
    }

    #[test]
    fn titles_are_trimmed_and_unique_regardless_of_case() {
        let mut store = store();
        let page = store.create(&ada(), draft("  Guide  ", None)).unwrap();
        assert_eq!(page.title, "Guide");
        let error = store.create(&ada(), draft("GUIDE", None)).unwrap_err();
        assert_eq!(error.status(), 400);
        assert_eq!(
            error.to_string(),
            "A page with this title already exists: A page already exists with the title GUIDE \
             in the space with key DOCS"
        );
        assert_eq!(
            store.create(&ada(), draft("  ", None)).unwrap_err(),
            PageError::EmptyTitle
        );
        let long = "x".repeat(256);
        assert_eq!(
            store.create(&ada(), draft(&long, None)).unwrap_err(),
            PageError::LongTitle
        );
    }

    #[test]
    fn versions_must_increment() {
        let mut store = store();
        let id = store
            .create(&ada(), draft("Guide", None))
            .unwrap()
            .id
            .to_string();
        assert_eq!(
            store
                .update(&ada(), &id, change("Guide", 2))
                .unwrap()
                .version
                .number,
            2
        );
        let stale = store.update(&ada(), &id, change("Guide", 2)).unwrap_err();
        assert_eq!(
            stale.to_string(),
            "Version must be incremented on update. Current version is: 2"
        );
        assert_eq!(stale.status(), 409);
    }

    #[test]
    fn permissions_hide_or_forbid() {
        let mut store = store();
        let bob = Identity::User("bob".into());
        assert_eq!(
            store.create(&bob, draft("X", None)).unwrap_err().status(),
            403
        );
        let mut secret = draft("X", None);
        secret.space_key = "SECRET".into();
        assert_eq!(
            store.create(&bob, secret).unwrap_err(),
            PageError::SpaceNotFound("SECRET".into())
        );
        assert_eq!(
            store
                .create(&Identity::Anonymous, draft("X", None))
                .unwrap_err()
                .status(),
            404
        );
    }

    #[test]
    fn ancestors_run_from_root_to_parent_and_cycles_are_refused() {
        let mut store = store();
        let top = store
            .create(&ada(), draft("Top", None))
            .unwrap()
            .id
            .to_string();
        let mid = store
            .create(&ada(), draft("Mid", Some(&top)))
            .unwrap()
            .id
            .to_string();
        let leaf = store
            .create(&ada(), draft("Leaf", Some(&mid)))
            .unwrap()
            .clone();
        let titles: Vec<_> = store
            .ancestors(&leaf)
            .iter()
            .map(|p| p.title.clone())
            .collect();
        assert_eq!(titles, ["Top", "Mid"]);
        let mut cycle = change("Top", 2);
        cycle.parent_id = Some(leaf.id.to_string());
        assert_eq!(store.update(&ada(), &top, cycle).unwrap_err().status(), 400);
        assert_eq!(
            store
                .create(&ada(), draft("Orphan", Some("1")))
                .unwrap_err()
                .status(),
            404
        );
    }
}
