//! "Publish current note": create the note's page the first time, update it afterwards, and
//! bring its labels and attachments along, with as few requests as it can.
//!
//! ```text
//!  start ─▶ titles of linked pages (GET each page id the caller found in linked notes)
//!        ─▶ convert the note (once; links resolved by those titles)
//!        ─▶ locate the page:
//!             linked (confluence-page-id) ─▶ GET page ─▶ GET record ─┐
//!             not linked ─▶ (Cloud: GET space) ─▶ find by title:      │
//!                  none ─▶ POST page                                  │
//!                  found, link_existing_page ─▶ GET record ───────────┤
//!                  found ─▶ Error: title taken                        ▼
//!        ─▶ decide (record.rs): unchanged ─────────────┐    edited in Confluence ─▶ Error
//!                                write ─▶ PUT page     │    (unless overwrite_remote_edits)
//!        ─▶ after a write: labels (GET, POST added, DELETE removed), save the record
//!        ─▶ attachments: GET the page's list (not for a new page) ─▶ POST each new or
//!           changed file ─▶ Done
//!  a personal access token refused (401, Data Center) ─▶ GET applinks manifest ─▶ Error:
//!        the server predates tokens (before 7.9), or the token was refused
//! ```
//!
//! A page with the note's title that the note is not linked to is never taken over unless the
//! caller says so (`link_existing_page`, after asking the user). The note is converted before
//! the page is located, so a note that cannot be read sends nothing but the title look-ups.

mod plan;
mod record;

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use self::plan::FileInfo;
use self::plan::PlannedUpload;
use self::record::{Decision, Record};
use crate::api::{Api, PageContent, RecordRef};
use crate::convert::{to_storage_with, Conversion, ConvertOptions, Links};
use crate::error::{ApiError, Error};
use crate::flow::{Flow, Step};
use crate::http::{HttpRequest, HttpResponse};
use crate::multipart::{media_type, Upload};
use crate::note;
use crate::response::{self, check, read_first_page, read_page, read_space, Page, Purpose};
use crate::settings::{Connection, Deployment, Settings};

/// The note and what the caller found in the vault for it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PublishInput {
    /// The note's path in the vault.
    pub path: String,
    /// The whole note, frontmatter included.
    pub markdown: String,
    /// Link targets resolved by the caller (pages by title, files, notes to embed).
    pub links: Links,
    /// Link targets whose notes have a `confluence-page-id`: the flow asks Confluence for
    /// those pages' current titles and links to them.
    pub linked_page_ids: BTreeMap<String, String>,
    /// Hash and size of each vault file the note embeds, by vault path. A file not listed is
    /// reported missing.
    pub files: BTreeMap<String, FileInfo>,
    /// Publish onto an existing page with the note's title (the user agreed).
    pub link_existing_page: bool,
    /// Overwrite edits made in Confluence since the last publish (the user agreed).
    pub overwrite_remote_edits: bool,
    /// A title chosen by the caller (a folder publish makes titles unique), over the note's.
    pub title: Option<String>,
    /// The parent page for a new page, over the note's and the settings' (a folder publish
    /// puts each note under its folder's page).
    pub parent_page_id: Option<String>,
    /// The space's id on Cloud, when the caller knows it already (a folder publish): saves
    /// a request.
    pub space_id: Option<String>,
}

/// What a publish did to the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PublishAction {
    Created,
    Updated,
    /// Nothing had changed: no new version.
    Unchanged,
}

/// The result of a publish, for the Notice and for writing the page id back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishOutcome {
    pub action: PublishAction,
    pub page_id: String,
    pub title: String,
    pub version: u64,
    pub url: String,
    pub auth_method: String,
    /// File names uploaded (new or new versions).
    pub uploaded: Vec<String>,
    /// Vault paths of embedded files that are not in the vault.
    pub missing_files: Vec<String>,
    /// Links left as text: no published page was found for them.
    pub unresolved_links: Vec<String>,
    pub warnings: Vec<String>,
    /// Requests this publish sent.
    pub requests: usize,
    pub summary: String,
}

/// Where a publish is, for a progress indicator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishProgress {
    /// What it is doing, in a few words: "Finding the page", "Uploading 2 of 5 files".
    pub step: String,
}

/// The publish of one note, one request at a time.
#[derive(Debug)]
pub struct PublishJob {
    connection: Connection,
    title: String,
    page_id: Option<String>,
    labels: Vec<String>,
    body: String,
    input: PublishInput,
    /// Page ids still to look up, each with the link targets that point to it.
    title_lookups: VecDeque<(String, Vec<String>)>,
    lookup_warnings: Vec<String>,
    conversion: Option<Conversion>,
    fingerprint: String,
    page: Option<Page>,
    record: Option<(RecordRef, Option<Record>)>,
    action: Option<PublishAction>,
    tasks: VecDeque<Task>,
    uploaded: Vec<String>,
    missing_files: Vec<String>,
    requests: usize,
    waiting: Waiting,
    /// Where a new page goes: the space key (Data Center) or id (Cloud).
    space: String,
    /// A write was already recovered once; a second failure is reported.
    recovered: bool,
    /// Follow-up requests recovered so far.
    task_recoveries: u32,
    /// Write `]]>` in code without splitting CDATA (Data Center 8.0 to 8.2).
    cdata_workaround: bool,
    labels_from_tags: bool,
    protect_remote_edits: bool,
}

/// The answer the flow waits for.
#[derive(Clone, Debug)]
enum Waiting {
    Nothing,
    Title {
        page_id: String,
        targets: Vec<String>,
    },
    Space,
    LinkedPage {
        page_id: String,
    },
    Search {
        space: String,
    },
    Record,
    Write(PublishAction),
    /// A create got no clear answer: did it make the page?
    Recheck,
    /// An update got a conflict or no clear answer: which version is the page at?
    Refetch,
    Task(Task),
    /// The personal access token was refused: which version is the server?
    ServerVersion,
}

/// Work after the page itself is settled.
#[derive(Clone, Debug)]
enum Task {
    ListLabels,
    AddLabels(Vec<String>),
    RemoveLabel(String),
    SaveRecord,
    LoadRecord,
    ListAttachments,
    Upload(PlannedUpload),
}

/// How many times the follow-up work of one publish may be recovered after a failure.
const MAX_TASK_RECOVERIES: u32 = 3;

impl Flow for PublishJob {
    type Outcome = PublishOutcome;

    fn start(&mut self) -> Result<Step<PublishOutcome>, Error> {
        if !matches!(self.waiting, Waiting::Nothing) || self.requests > 0 {
            return Err(Error::Protocol("the publish was started twice"));
        }
        self.next_title_lookup()
    }

    fn resume(&mut self, response: &HttpResponse) -> Result<Step<PublishOutcome>, Error> {
        let asked_version = matches!(self.waiting, Waiting::ServerVersion);
        let step = self.step(response);
        if let (Err(Error::Api(ApiError::PersonalAccessTokenRejected)), false) =
            (&step, asked_version)
        {
            // Before blaming the token: servers older than 7.9 have no tokens at all.
            let request = self.api().manifest();
            return self.send(request, Waiting::ServerVersion);
        }
        match (step, &self.page, self.action) {
            (Err(source), Some(page), Some(_)) => Err(Error::AfterPageWritten {
                page_id: page.id.clone(),
                url: page.url.clone(),
                source: Box::new(source),
            }),
            (step, _, _) => step,
        }
    }
}

impl PublishJob {
    /// The step after `response`, before a failure is tied to a page already written.
    fn step(&mut self, response: &HttpResponse) -> Result<Step<PublishOutcome>, Error> {
        match std::mem::replace(&mut self.waiting, Waiting::Nothing) {
            Waiting::Title { page_id, targets } => self.on_title(response, &page_id, targets),
            Waiting::Space => self.on_space(response),
            Waiting::LinkedPage { page_id } => self.on_linked_page(response, &page_id),
            Waiting::Search { space } => self.on_search(response, &space),
            Waiting::Record => self.on_record(response),
            Waiting::Write(action) => self.on_written(response, action),
            Waiting::Recheck => self.on_recheck(response),
            Waiting::Refetch => self.on_refetch(response),
            Waiting::Task(task) => self.on_task(response, task),
            Waiting::ServerVersion => Err(on_server_version(response).into()),
            Waiting::Nothing => Err(Error::Protocol(
                "the publish was resumed when it was not waiting",
            )),
        }
    }
}

/// Why the personal access token was refused, from the server's applinks manifest: a server
/// older than 7.9 has no tokens; otherwise (or when it does not say) the token itself.
fn on_server_version(response: &HttpResponse) -> ApiError {
    match response::server_version(response) {
        Some(version) if response::predates_pats(&version) => {
            ApiError::PersonalAccessTokenTooNew { version }
        }
        _ => ApiError::PersonalAccessTokenRejected,
    }
}

impl PublishJob {
    /// The note's page, once it is found or made.
    pub fn page_id(&self) -> Option<&str> {
        self.page.as_ref().map(|page| page.id.as_str())
    }

    /// What the publish is doing now.
    pub fn progress(&self) -> PublishProgress {
        let uploads_left = self
            .tasks
            .iter()
            .filter(|task| matches!(task, Task::Upload(_)))
            .count();
        let step = match &self.waiting {
            Waiting::Nothing | Waiting::Title { .. } => "Looking up linked pages".to_owned(),
            Waiting::Space | Waiting::LinkedPage { .. } | Waiting::Search { .. } => {
                "Finding the page".to_owned()
            }
            Waiting::Record | Waiting::Recheck | Waiting::Refetch => "Checking the page".to_owned(),
            Waiting::ServerVersion => "Checking the server".to_owned(),
            Waiting::Write(_) => "Writing the page".to_owned(),
            Waiting::Task(Task::Upload(_)) => {
                let total = self.uploaded.len() + uploads_left + 1;
                format!("Uploading {} of {total} files", self.uploaded.len() + 1)
            }
            Waiting::Task(Task::ListAttachments) => "Comparing files".to_owned(),
            Waiting::Task(_) => "Updating labels".to_owned(),
        };
        PublishProgress { step }
    }

    /// Check the settings and read the note; nothing is sent when either cannot work.
    pub fn new(settings: &Settings, input: PublishInput) -> Result<Self, Error> {
        let mut connection = settings.validate()?;
        let note = note::parse(&input.path, &input.markdown)?;
        if let Some(space) = &note.space_key {
            connection.space_key = space.clone();
        }
        if let Some(parent) = input.parent_page_id.as_ref().or(note.parent_id.as_ref()) {
            connection.parent_page_id = Some(parent.clone());
        }
        let tags = note.tags.iter().filter(|_| settings.labels_from_tags);
        let labels = tags.chain(&note.labels).cloned().collect();
        let title = input.title.clone().unwrap_or(note.title);
        let (page_id, body) = (note.page_id, note.body.to_owned());
        Ok(Self {
            title_lookups: lookups(&input.linked_page_ids),
            connection,
            title,
            page_id,
            labels,
            body,
            input,
            lookup_warnings: Vec::new(),
            conversion: None,
            fingerprint: String::new(),
            page: None,
            record: None,
            action: None,
            tasks: VecDeque::new(),
            uploaded: Vec::new(),
            missing_files: Vec::new(),
            requests: 0,
            waiting: Waiting::Nothing,
            space: String::new(),
            recovered: false,
            task_recoveries: 0,
            cdata_workaround: settings.data_center_cdata_workaround,
            labels_from_tags: settings.labels_from_tags,
            protect_remote_edits: settings.protect_remote_edits,
        })
    }

    /// Send `request`, then expect `waiting`.
    fn send(
        &mut self,
        request: HttpRequest,
        waiting: Waiting,
    ) -> Result<Step<PublishOutcome>, Error> {
        self.requests += 1;
        self.waiting = waiting;
        Ok(Step::Send(request))
    }

    fn api(&self) -> Api<'_> {
        Api::new(&self.connection)
    }

    fn checked(
        &self,
        response: &HttpResponse,
        action: &str,
        subject: &str,
    ) -> Result<Value, Error> {
        let connection = &self.connection;
        let purpose = Purpose { action, subject };
        Ok(check(
            response,
            &connection.credentials,
            &connection.site,
            &purpose,
        )?)
    }

    // ── Titles of linked pages ──────────────────────────────────────────────────────────

    fn next_title_lookup(&mut self) -> Result<Step<PublishOutcome>, Error> {
        match self.title_lookups.pop_front() {
            Some((page_id, targets)) => {
                let request = self.api().get_page(&page_id);
                self.send(request, Waiting::Title { page_id, targets })
            }
            None => self.locate(),
        }
    }

    fn on_title(
        &mut self,
        response: &HttpResponse,
        page_id: &str,
        targets: Vec<String>,
    ) -> Result<Step<PublishOutcome>, Error> {
        if matches!(response.status, 403 | 404) {
            let target = targets.first().cloned().unwrap_or_default();
            self.lookup_warnings.push(format!(
                "The note \"{target}\" links to page {page_id}, which cannot be found; its links \
                 are shown as text."
            ));
            return self.next_title_lookup();
        }
        let subject = format!("Linked page {page_id}");
        let json = self.checked(response, &format!("read page {page_id}"), &subject)?;
        let title = read_page(&json, &json, &self.connection.site).title;
        for target in targets {
            self.input.links.pages.insert(target, title.clone());
        }
        self.next_title_lookup()
    }

    // ── The page itself ─────────────────────────────────────────────────────────────────

    /// Convert the note, then find its page.
    fn locate(&mut self) -> Result<Step<PublishOutcome>, Error> {
        let options = ConvertOptions::default().with_split_cdata(!self.cdata_workaround);
        let conversion = to_storage_with(&self.body, &options, &self.input.links);
        let inline_tags = conversion.tags.iter().filter(|_| self.labels_from_tags);
        self.labels = plan::labels(self.labels.iter().chain(inline_tags));
        self.fingerprint = record::fingerprint(&self.title, &conversion.storage, &self.labels);
        self.conversion = Some(conversion);
        let key = self.connection.space_key.clone();
        match (self.page_id.clone(), self.connection.site.deployment()) {
            (Some(id), _) => {
                let request = self.api().get_page(&id);
                self.send(request, Waiting::LinkedPage { page_id: id })
            }
            (None, Deployment::Cloud) => match self.input.space_id.clone() {
                Some(space) => {
                    let request = self.api().find_page(&space, &self.title);
                    self.send(request, Waiting::Search { space })
                }
                None => {
                    let request = self.api().space(&key);
                    self.send(request, Waiting::Space)
                }
            },
            (None, Deployment::DataCenter) => {
                let request = self.api().find_page(&key, &self.title);
                self.send(request, Waiting::Search { space: key })
            }
        }
    }

    fn on_space(&mut self, response: &HttpResponse) -> Result<Step<PublishOutcome>, Error> {
        let key = self.connection.space_key.clone();
        let action = format!("read space {key}");
        let json = self.checked(response, &action, &action)?;
        let deployment = self.connection.site.deployment();
        let space = read_space(&json, deployment).ok_or(ApiError::SpaceNotFound { key })?;
        let request = self.api().find_page(&space.id, &self.title);
        self.send(request, Waiting::Search { space: space.id })
    }

    fn on_linked_page(
        &mut self,
        response: &HttpResponse,
        page_id: &str,
    ) -> Result<Step<PublishOutcome>, Error> {
        if response.status == 404 {
            return Err(ApiError::LinkedPageMissing {
                page_id: page_id.to_owned(),
            }
            .into());
        }
        let subject = format!("Page {page_id}");
        let json = self.checked(response, &format!("read page {page_id}"), &subject)?;
        self.page = Some(read_page(&json, &json, &self.connection.site));
        let request = self.api().get_record(page_id);
        self.send(request, Waiting::Record)
    }

    fn on_search(
        &mut self,
        response: &HttpResponse,
        space: &str,
    ) -> Result<Step<PublishOutcome>, Error> {
        let key = self.connection.space_key.clone();
        if response.status == 404 {
            return Err(missing_space(response, key, self.connection.site.base_url()).into());
        }
        let action = format!("read space {key}");
        let json = self.checked(response, &action, &action)?;
        match read_first_page(&json, &self.connection.site) {
            Some(existing) if self.input.link_existing_page => {
                let request = self.api().get_record(&existing.id);
                self.page = Some(existing);
                self.send(request, Waiting::Record)
            }
            Some(existing) => {
                let title = self.title.clone();
                Err(ApiError::TitleTaken {
                    title,
                    space: key,
                    page_id: existing.id,
                    url: existing.url,
                }
                .into())
            }
            None => {
                self.space = space.to_owned();
                let parent = self.connection.parent_page_id.clone();
                let request = self
                    .api()
                    .create_page(space, parent.as_deref(), self.content());
                self.send(request, Waiting::Write(PublishAction::Created))
            }
        }
    }

    fn content(&self) -> PageContent<'_> {
        let storage = self.conversion.as_ref().map_or("", |c| c.storage.as_str());
        PageContent {
            title: &self.title,
            storage,
        }
    }

    fn on_record(&mut self, response: &HttpResponse) -> Result<Step<PublishOutcome>, Error> {
        let page = self
            .page
            .clone()
            .expect("a record is read only for a located page");
        if response.status != 404 {
            let json = self.checked(response, "read the page's properties", "The record")?;
            self.record = response::read_record(&json)
                .map(|(reference, value)| (reference, Record::from_value(&value)));
        }
        let recorded = self.record.as_ref().and_then(|(_, record)| record.as_ref());
        match record::decide(recorded, page.version, &self.fingerprint) {
            Decision::Unchanged => {
                self.action = Some(PublishAction::Unchanged);
                self.tasks.push_back(Task::ListAttachments);
                self.next_task()
            }
            Decision::EditedSince { recorded }
                if self.protect_remote_edits && !self.input.overwrite_remote_edits =>
            {
                Err(ApiError::EditedInConfluence {
                    title: page.title,
                    current: page.version,
                    published: recorded,
                    url: page.url,
                }
                .into())
            }
            Decision::EditedSince { .. } | Decision::Write => {
                let request = self
                    .api()
                    .update_page(&page.id, page.version + 1, self.content());
                self.send(request, Waiting::Write(PublishAction::Updated))
            }
        }
    }

    fn on_written(
        &mut self,
        response: &HttpResponse,
        action: PublishAction,
    ) -> Result<Step<PublishOutcome>, Error> {
        let unclear = response.status == 0 || response.status >= 500;
        match action {
            PublishAction::Created if unclear && !self.recovered => return self.recheck(),
            PublishAction::Updated if (unclear || response.status == 409) && !self.recovered => {
                return self.refetch();
            }
            PublishAction::Created | PublishAction::Updated | PublishAction::Unchanged => {}
        }
        let key = &self.connection.space_key;
        let (doing, subject) = match action {
            PublishAction::Created => (format!("create pages in space {key}"), "The parent page"),
            PublishAction::Updated | PublishAction::Unchanged => {
                (format!("edit this page in space {key}"), "The page")
            }
        };
        let json = self.checked(response, &doing, subject)?;
        let page = read_page(&json, &json, &self.connection.site);
        self.written(page, action)
    }

    /// A create failed without a clear answer: it may have made the page. Look before
    /// creating again, so a retry never makes a duplicate.
    fn recheck(&mut self) -> Result<Step<PublishOutcome>, Error> {
        self.recovered = true;
        let request = self.api().find_page(&self.space, &self.title);
        self.send(request, Waiting::Recheck)
    }

    fn on_recheck(&mut self, response: &HttpResponse) -> Result<Step<PublishOutcome>, Error> {
        let action = format!("read space {}", self.connection.space_key);
        let json = self.checked(response, &action, &action)?;
        match read_first_page(&json, &self.connection.site) {
            Some(made) => self.written(made, PublishAction::Created),
            None => {
                let parent = self.connection.parent_page_id.clone();
                let space = self.space.clone();
                let request = self
                    .api()
                    .create_page(&space, parent.as_deref(), self.content());
                self.send(request, Waiting::Write(PublishAction::Created))
            }
        }
    }

    /// An update met a conflict or got no clear answer: see which version the page is at.
    fn refetch(&mut self) -> Result<Step<PublishOutcome>, Error> {
        self.recovered = true;
        let id = self
            .page
            .as_ref()
            .expect("an update follows a located page")
            .id
            .clone();
        let request = self.api().get_page(&id);
        self.send(request, Waiting::Refetch)
    }

    /// Our write landed: go on. Nothing landed: write again. Someone else wrote: ask.
    fn on_refetch(&mut self, response: &HttpResponse) -> Result<Step<PublishOutcome>, Error> {
        let before = self.page.clone().expect("an update follows a located page");
        let json = self.checked(response, "read this page", "The page")?;
        let now = read_page(&json, &json, &self.connection.site);
        if now.version == before.version + 1 && self.wrote_last(&json) {
            return self.written(now, PublishAction::Updated);
        }
        if now.version == before.version || !self.protect_remote_edits {
            let request = self
                .api()
                .update_page(&now.id, now.version + 1, self.content());
            return self.send(request, Waiting::Write(PublishAction::Updated));
        }
        let (title, url) = (now.title, now.url);
        let published = before.version;
        Err(ApiError::EditedInConfluence {
            title,
            current: now.version,
            published,
            url,
        }
        .into())
    }

    /// Whether the page's last version carries this plugin's version message.
    fn wrote_last(&self, json: &Value) -> bool {
        json["version"]["message"].as_str() == Some(crate::api::VERSION_MESSAGE)
    }

    fn written(
        &mut self,
        page: Page,
        action: PublishAction,
    ) -> Result<Step<PublishOutcome>, Error> {
        self.page = Some(page);
        self.action = Some(action);
        self.queue_after_write(action);
        self.next_task()
    }

    fn queue_after_write(&mut self, action: PublishAction) {
        let created = action == PublishAction::Created;
        match (created, self.labels.is_empty()) {
            (true, true) => {}
            (true, false) => self.tasks.push_back(Task::AddLabels(self.labels.clone())),
            (false, _) => self.tasks.push_back(Task::ListLabels),
        }
        self.tasks.push_back(Task::SaveRecord);
        if created {
            self.plan_files(&[]);
        } else {
            self.tasks.push_back(Task::ListAttachments);
        }
    }

    // ── Labels, record and files ────────────────────────────────────────────────────────

    fn next_task(&mut self) -> Result<Step<PublishOutcome>, Error> {
        let Some(task) = self.tasks.pop_front() else {
            return Ok(Step::Done(self.outcome()));
        };
        let page_id = self
            .page
            .as_ref()
            .expect("tasks follow a located page")
            .id
            .clone();
        let request = match &task {
            Task::ListLabels => self.api().list_labels(&page_id),
            Task::AddLabels(names) => self.api().add_labels(&page_id, names),
            Task::RemoveLabel(name) => self.api().remove_label(&page_id, name),
            Task::SaveRecord => self.save_record(&page_id),
            Task::LoadRecord => self.api().get_record(&page_id),
            Task::ListAttachments => self.api().list_attachments(&page_id),
            Task::Upload(planned) => self.upload(&page_id, planned),
        };
        self.send(request, Waiting::Task(task))
    }

    fn save_record(&self, page_id: &str) -> HttpRequest {
        let version = self.page.as_ref().map_or(1, |page| page.version);
        let record = Record {
            fingerprint: self.fingerprint.clone(),
            page_version: version,
        };
        let existing = self.record.as_ref().map(|(reference, _)| reference);
        self.api().put_record(page_id, &record.to_value(), existing)
    }

    fn upload(&self, page_id: &str, planned: &PlannedUpload) -> HttpRequest {
        let comment = plan::hash_comment(&planned.sha256);
        let upload = Upload {
            vault_path: &planned.vault_path,
            file_name: &planned.file_name,
            media_type: media_type(&planned.file_name),
            sha256: &planned.sha256,
            comment: &comment,
        };
        self.api()
            .upload(page_id, planned.replaces.as_deref(), &upload)
    }

    fn on_task(
        &mut self,
        response: &HttpResponse,
        task: Task,
    ) -> Result<Step<PublishOutcome>, Error> {
        if let (Task::Upload(planned), 413) = (&task, response.status) {
            return Err(too_large(planned, response).into());
        }
        if self.recover_task(&task, response) {
            return self.next_task();
        }
        let (doing, subject) = task_purpose(&task);
        let json = self.checked(response, &doing, &subject)?;
        match task {
            Task::ListLabels => {
                let current = response::read_labels(&json);
                let (add, remove) = plan::label_changes(&self.labels, &current);
                let adding = (!add.is_empty()).then_some(Task::AddLabels(add));
                let changes: Vec<Task> = adding
                    .into_iter()
                    .chain(remove.into_iter().map(Task::RemoveLabel))
                    .collect();
                for change in changes.into_iter().rev() {
                    self.tasks.push_front(change);
                }
            }
            Task::ListAttachments => self.plan_files(&response::read_attachments(&json)),
            Task::Upload(planned) => self.uploaded.push(planned.file_name),
            Task::LoadRecord => self.record = response::read_record(&json).map(|(r, _)| (r, None)),
            Task::AddLabels(_) | Task::RemoveLabel(_) | Task::SaveRecord => {}
        }
        self.next_task()
    }

    /// Queue what makes a failed follow-up request good, when it can be made good safely;
    /// true when the failure is dealt with.
    ///
    /// - Removing a label that is gone already (404) is done; a record that is not there
    ///   (404) is none.
    /// - Adding labels is idempotent: send it again.
    /// - An upload that may have landed: list the page's files again and plan anew (the plan
    ///   compares hashes, so nothing is uploaded twice).
    /// - Saving the record may have landed or raced: read the record, then save again.
    fn recover_task(&mut self, task: &Task, response: &HttpResponse) -> bool {
        let unclear = response.status == 0 || response.status >= 500;
        match (task, response.status) {
            (Task::RemoveLabel(_), 404) => return true,
            (Task::LoadRecord, 404) => {
                self.record = None;
                return true;
            }
            _ => {}
        }
        if self.task_recoveries >= MAX_TASK_RECOVERIES {
            return false;
        }
        let redo = match task {
            Task::AddLabels(_) if unclear => vec![task.clone()],
            Task::Upload(_) if unclear || response.status == 400 => {
                self.tasks
                    .retain(|queued| !matches!(queued, Task::Upload(_)));
                vec![Task::ListAttachments]
            }
            Task::SaveRecord if unclear || response.status == 409 => {
                vec![Task::LoadRecord, Task::SaveRecord]
            }
            _ => return false,
        };
        self.task_recoveries += 1;
        for queued in redo.into_iter().rev() {
            self.tasks.push_front(queued);
        }
        true
    }

    fn plan_files(&mut self, listed: &[response::ListedAttachment]) {
        let attachments = self.conversion.as_ref().map_or(&[][..], |c| &c.attachments);
        let plan = plan::files(attachments, &self.input.files, listed);
        self.missing_files = plan.missing;
        self.tasks
            .extend(plan.uploads.into_iter().map(Task::Upload));
    }

    fn outcome(&self) -> PublishOutcome {
        let page = self
            .page
            .clone()
            .expect("the outcome follows a located page");
        let action = self.action.unwrap_or(PublishAction::Unchanged);
        let conversion = self.conversion.clone().unwrap_or_default();
        let mut warnings = self.lookup_warnings.clone();
        warnings.extend(conversion.warnings);
        warnings.extend(
            self.missing_files.iter().map(|path| {
                format!("{path} is embedded but not in the vault; it was not uploaded.")
            }),
        );
        let summary = summary(action, &page, self.uploaded.len());
        PublishOutcome {
            action,
            page_id: page.id,
            title: page.title,
            version: page.version,
            url: page.url,
            auth_method: self.connection.credentials.method_name().to_owned(),
            uploaded: self.uploaded.clone(),
            missing_files: self.missing_files.clone(),
            unresolved_links: conversion.unresolved_links,
            warnings,
            requests: self.requests,
            summary,
        }
    }
}

/// A 404 to a search in a space: the space is missing, or (an HTML page) there is no
/// Confluence at the base URL at all.
pub(crate) fn missing_space(response: &HttpResponse, key: String, base_url: String) -> ApiError {
    if response.is_html() {
        return response::no_confluence(response, base_url);
    }
    ApiError::SpaceNotFound { key }
}

/// Page ids to look up, each once, with the link targets that point to it.
fn lookups(linked: &BTreeMap<String, String>) -> VecDeque<(String, Vec<String>)> {
    let mut by_id: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (target, page_id) in linked {
        by_id.entry(page_id).or_default().push(target.clone());
    }
    by_id
        .into_iter()
        .map(|(id, targets)| (id.to_owned(), targets))
        .collect()
}

fn too_large(planned: &PlannedUpload, response: &HttpResponse) -> ApiError {
    ApiError::AttachmentTooLarge {
        file_name: planned.file_name.clone(),
        size: human_size(planned.size),
        detail: crate::error::server_message(response),
    }
}

/// `812 bytes`, `3.4 MB`.
fn human_size(bytes: u64) -> String {
    const MB: f64 = 1_000_000.0;
    match bytes {
        0..=999_999 => format!("{bytes} bytes"),
        _ => format!("{:.1} MB", bytes as f64 / MB),
    }
}

fn task_purpose(task: &Task) -> (String, String) {
    match task {
        Task::ListLabels | Task::AddLabels(_) | Task::RemoveLabel(_) => (
            "change this page's labels".to_owned(),
            "The page's labels".to_owned(),
        ),
        Task::SaveRecord | Task::LoadRecord => (
            "change this page's properties".to_owned(),
            "The page's record".to_owned(),
        ),
        Task::ListAttachments => (
            "read this page's attachments".to_owned(),
            "The page's attachments".to_owned(),
        ),
        Task::Upload(planned) => (
            format!("attach {} to this page", planned.file_name),
            format!("The attachment {}", planned.file_name),
        ),
    }
}

fn summary(action: PublishAction, page: &Page, uploaded: usize) -> String {
    let verb = match action {
        PublishAction::Created => "Created",
        PublishAction::Updated => "Updated",
        PublishAction::Unchanged => "Unchanged:",
    };
    let files = match uploaded {
        0 => String::new(),
        1 => "; uploaded 1 file".to_owned(),
        n => format!("; uploaded {n} files"),
    };
    format!(
        "{verb} \"{}\" (version {}){files}: {}",
        page.title, page.version, page.url
    )
}
