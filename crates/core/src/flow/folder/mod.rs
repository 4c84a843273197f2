//! "Publish folder": every note of a folder, the folder structure becoming the page tree.
//!
//! The plan ([`plan`]) is made first, from the notes' titles and paths alone. Then, one
//! request at a time:
//!
//! ```text
//!  for each folder, parents first:
//!     folder note ─▶ a PublishJob for it, under the parent folder's page
//!     no note     ─▶ (Cloud: GET space, once) ─▶ find page by title ─▶ found: use it
//!                                                                    └▶ none: POST page
//!  for each other note, in path order: a PublishJob under its folder's page
//!  ─▶ Done: what was published, what failed, which titles were changed
//! ```
//!
//! Every note's links to the other notes of the folder resolve on the first run: the planned
//! titles are handed to each note's conversion. One failing note does not stop the others; a
//! folder whose page could not be made leaves its notes under the nearest page that exists.

mod plan;

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use serde::{Deserialize, Serialize};

pub use self::plan::Layout;
use self::plan::{FolderPlan, NoteTitle};
use crate::api::{Api, PageContent};
use crate::convert::{LinkIndex, Links};
use crate::error::{ApiError, Error};
use crate::flow::publish::{
    missing_space, PublishAction, PublishInput, PublishJob, PublishOutcome,
};
use crate::flow::{Flow, Step};
use crate::http::{HttpRequest, HttpResponse};
use crate::note;
use crate::response::{check, read_first_page, read_page, read_space, Purpose};
use crate::settings::{Connection, Deployment, Settings};

/// The storage format of a folder page made by the plugin: a list of its child pages.
const FOLDER_PAGE_BODY: &str = "<ac:structured-macro ac:name=\"children\" />";

/// A folder and every note in it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FolderInput {
    /// The folder's vault path ("" for the whole vault).
    pub folder: String,
    pub notes: Vec<PublishInput>,
    /// How the notes become a page tree: by folder (the default), or, for a note published
    /// with the notes it links to (it comes first), under its page or beside it.
    pub layout: Layout,
}

/// What a folder publish did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FolderOutcome {
    pub published: Vec<PublishedNote>,
    pub failed: Vec<FailedNote>,
    pub retitled: Vec<RetitledNote>,
    pub requests: usize,
    pub summary: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublishedNote {
    pub path: String,
    pub outcome: PublishOutcome,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FailedNote {
    pub path: String,
    pub error: NoteFailure,
}

/// A failure as the front ends show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteFailure {
    pub kind: String,
    pub message: String,
    /// The page concerned, when there is one (a title taken, an edit in Confluence).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    /// The note's page, when it was made before the failure: link the note to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RetitledNote {
    pub path: String,
    pub title: String,
}

/// A note whose page exists now: a front end writes its `confluence-page-id` at once (see
/// [`FolderJob::take_linked`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkedNote {
    pub path: String,
    pub page_id: String,
}

/// Where a folder publish is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FolderProgress {
    pub notes_done: usize,
    pub notes_total: usize,
    pub current: String,
}

/// The publish of a folder, one request at a time.
#[derive(Debug)]
pub struct FolderJob {
    settings: Settings,
    connection: Connection,
    plan: FolderPlan,
    /// Each note's vault path, and its input until its publish starts.
    paths: Vec<String>,
    notes: Vec<Option<PublishInput>>,
    /// Page id of each folder whose page exists, by folder path.
    folder_pages: HashMap<String, String>,
    /// Page id of each note published, by index.
    note_pages: HashMap<usize, String>,
    space_id: Option<String>,
    work: VecDeque<Work>,
    current: Current,
    outcome: FolderOutcome,
    notes_done: usize,
    /// Notes whose page became known and that [`Self::take_linked`] has not handed out yet.
    linked: Vec<LinkedNote>,
    /// Indexes of the notes handed to `linked` so far.
    linked_notes: HashSet<usize>,
    /// Notes whose `confluence-page-id` another note has too (a copied note), by index, with
    /// the others' paths: none of them is published, since which one owns the page is unknown.
    shared_pages: HashMap<usize, String>,
}

#[derive(Clone, Copy, Debug)]
enum Work {
    Folder(usize),
    Note(usize),
}

#[derive(Debug)]
enum Current {
    Idle,
    Note {
        index: usize,
        folder: Option<usize>,
        job: Box<PublishJob>,
    },
    /// The space's id on Cloud, looked up once for every page made.
    FolderSpace,
    FolderSearch {
        folder: usize,
    },
    FolderCreate {
        folder: usize,
    },
}

impl Flow for FolderJob {
    type Outcome = FolderOutcome;

    fn start(&mut self) -> Result<Step<FolderOutcome>, Error> {
        if !matches!(self.current, Current::Idle) || self.outcome.requests > 0 {
            return Err(Error::Protocol("the folder publish was started twice"));
        }
        self.advance()
    }

    fn resume(&mut self, response: &HttpResponse) -> Result<Step<FolderOutcome>, Error> {
        match std::mem::replace(&mut self.current, Current::Idle) {
            Current::Note {
                index,
                folder,
                mut job,
            } => {
                let step = job.resume(response);
                match self.on_note_step(index, folder, job, step) {
                    Some(step) => Ok(step),
                    None => self.advance(),
                }
            }
            Current::FolderSpace => self.on_folder_space(response),
            Current::FolderSearch { folder } => self.on_folder_search(response, folder),
            Current::FolderCreate { folder } => self.on_folder_created(response, folder),
            Current::Idle => Err(Error::Protocol(
                "the folder publish was resumed when it was not waiting",
            )),
        }
    }
}

impl FolderJob {
    /// Check the settings and plan the publish. A note that cannot be read is reported as
    /// failed when its turn comes; the others go on.
    pub fn new(settings: &Settings, input: FolderInput) -> Result<Self, Error> {
        let connection = settings.validate()?;
        let parsed: Vec<(String, Option<String>)> = input
            .notes
            .iter()
            .map(|note| match note::parse(&note.path, &note.markdown) {
                Ok(parsed) => (parsed.title, parsed.page_id),
                Err(_) => (note.path.clone(), None),
            })
            .collect();
        let shared_pages = shared_pages(&input.notes, &parsed);
        let titles: Vec<String> = parsed.into_iter().map(|(title, _)| title).collect();
        let named: Vec<NoteTitle<'_>> = input
            .notes
            .iter()
            .zip(&titles)
            .map(|(note, title)| NoteTitle {
                path: &note.path,
                title,
            })
            .collect();
        let plan = plan::plan(&input.folder, &named, input.layout);
        let work = plan
            .folders
            .iter()
            .enumerate()
            .map(|(index, _)| Work::Folder(index))
            .chain(plan.order.iter().map(|&index| Work::Note(index)))
            .collect();
        let paths: Vec<String> = input.notes.iter().map(|note| note.path.clone()).collect();
        let notes = with_folder_titles(input.notes, &plan);
        let outcome = FolderOutcome {
            retitled: retitled(&paths, &plan),
            ..FolderOutcome::default()
        };
        Ok(Self {
            settings: settings.clone(),
            connection,
            plan,
            paths,
            notes,
            folder_pages: HashMap::new(),
            note_pages: HashMap::new(),
            space_id: None,
            work,
            current: Current::Idle,
            outcome,
            notes_done: 0,
            linked: Vec::new(),
            linked_notes: HashSet::new(),
            shared_pages,
        })
    }

    /// How far the publish is.
    pub fn progress(&self) -> FolderProgress {
        let current = match &self.current {
            Current::Note { index, .. } => self.paths[*index].clone(),
            Current::Idle
            | Current::FolderSpace
            | Current::FolderSearch { .. }
            | Current::FolderCreate { .. } => String::new(),
        };
        FolderProgress {
            notes_done: self.notes_done,
            notes_total: self.notes.len(),
            current,
        }
    }

    /// Notes whose page became known since the last call, the moment it did (a page made, even
    /// if a later step of its publish failed). Writing their page ids straight away means a
    /// folder publish that is interrupted leaves no page without its note.
    pub fn take_linked(&mut self) -> Vec<LinkedNote> {
        std::mem::take(&mut self.linked)
    }

    fn note_linked(&mut self, index: usize, page_id: Option<&str>) {
        if let Some(page_id) = page_id {
            if self.linked_notes.insert(index) {
                self.linked.push(LinkedNote {
                    path: self.paths[index].clone(),
                    page_id: page_id.to_owned(),
                });
            }
        }
    }

    /// Start the next piece of work that sends a request, or finish.
    fn advance(&mut self) -> Result<Step<FolderOutcome>, Error> {
        let cloud = self.connection.site.deployment() == Deployment::Cloud;
        if cloud && self.space_id.is_none() && !self.work.is_empty() {
            let request = Api::new(&self.connection).space(&self.connection.space_key);
            return Ok(self.send(request, Current::FolderSpace).expect("a request"));
        }
        while let Some(work) = self.work.pop_front() {
            let step = match work {
                Work::Folder(folder) => self.start_folder(folder)?,
                Work::Note(index) => self.start_note(index, None)?,
            };
            if let Some(step) = step {
                return Ok(step);
            }
        }
        Ok(Step::Done(self.finish()))
    }

    fn send(&mut self, request: HttpRequest, current: Current) -> Option<Step<FolderOutcome>> {
        self.outcome.requests += 1;
        self.current = current;
        Some(Step::Send(request))
    }

    // ── Notes ───────────────────────────────────────────────────────────────────────────

    fn start_note(
        &mut self,
        index: usize,
        folder: Option<usize>,
    ) -> Result<Option<Step<FolderOutcome>>, Error> {
        let Some(mut input) = self.notes[index].take() else {
            return Ok(None);
        };
        if let Some(others) = self.shared_pages.get(&index).cloned() {
            self.notes_done += 1;
            self.refuse_shared_page(index, &others);
            return Ok(None);
        }
        input.space_id = self.space_id.clone();
        let planned = &self.plan.notes[index];
        input.parent_page_id = match planned.parent_note {
            Some(parent) => match self.note_pages.get(&parent) {
                Some(page) => Some(page.clone()),
                None => {
                    // Its page belongs under a note that was not published: not elsewhere.
                    let parent_path = self.paths[parent].clone();
                    self.notes_done += 1;
                    self.skip(index, &parent_path);
                    return Ok(None);
                }
            },
            None => self.parent_page(planned.parent_folder.as_deref()),
        };
        match PublishJob::new(&self.settings, input) {
            Ok(job) => {
                let mut job = Box::new(job);
                let step = job.start();
                Ok(self.on_note_step(index, folder, job, step))
            }
            Err(error) => {
                self.notes_done += 1;
                self.fail(&self.paths[index].clone(), &error);
                Ok(None)
            }
        }
    }

    /// Forward a note's request (`Some`), or record how the note ended (`None`).
    fn on_note_step(
        &mut self,
        index: usize,
        folder: Option<usize>,
        job: Box<PublishJob>,
        step: Result<Step<PublishOutcome>, Error>,
    ) -> Option<Step<FolderOutcome>> {
        let path = self.paths[index].clone();
        match step {
            Ok(Step::Send(request)) => {
                self.note_linked(index, job.page_id());
                self.send(request, Current::Note { index, folder, job })
            }
            Ok(Step::Done(outcome)) => {
                self.note_linked(index, Some(&outcome.page_id));
                self.notes_done += 1;
                self.note_pages.insert(index, outcome.page_id.clone());
                if let Some(folder) = folder {
                    let folder_path = self.plan.folders[folder].path.clone();
                    self.folder_pages
                        .insert(folder_path, outcome.page_id.clone());
                }
                self.outcome.published.push(PublishedNote { path, outcome });
                None
            }
            Err(error) => {
                self.note_linked(index, error.written_page_id());
                self.notes_done += 1;
                self.fail(&path, &error);
                None
            }
        }
    }

    fn fail(&mut self, path: &str, error: &Error) {
        let error = NoteFailure {
            kind: error.kind().to_owned(),
            message: error.to_string(),
            page_url: error.page_url().map(str::to_owned),
            page_id: error.written_page_id().map(str::to_owned),
        };
        self.outcome.failed.push(FailedNote {
            path: path.to_owned(),
            error,
        });
    }

    fn refuse_shared_page(&mut self, index: usize, others: &str) {
        let error = NoteFailure {
            kind: "shared-page".to_owned(),
            message: format!(
                "Not published: {others} has the same confluence-page-id, and both would write \
                 one page. A copied note keeps the page id of the note it came from: remove \
                 confluence-page-id from the copy to publish it as a page of its own."
            ),
            page_url: None,
            page_id: None,
        };
        self.outcome.failed.push(FailedNote {
            path: self.paths[index].clone(),
            error,
        });
    }

    fn skip(&mut self, index: usize, parent_path: &str) {
        let error = NoteFailure {
            kind: "skipped".to_owned(),
            message: format!("Not published: it goes under {parent_path}, which was not."),
            page_url: None,
            page_id: None,
        };
        self.outcome.failed.push(FailedNote {
            path: self.paths[index].clone(),
            error,
        });
    }

    /// The page id of `folder`'s page, or of the nearest folder above it that has one, or the
    /// settings' parent.
    fn parent_page(&self, folder: Option<&str>) -> Option<String> {
        let mut folder = folder?;
        loop {
            if let Some(id) = self.folder_pages.get(folder) {
                return Some(id.clone());
            }
            folder = folder.rsplit_once('/')?.0;
        }
    }

    // ── Folder pages ────────────────────────────────────────────────────────────────────

    fn start_folder(&mut self, folder: usize) -> Result<Option<Step<FolderOutcome>>, Error> {
        if let Some(note) = self.plan.folders[folder].note {
            return self.start_note(note, Some(folder));
        }
        let key = self.connection.space_key.clone();
        let title = self.plan.folders[folder].title.clone();
        let space = self.space_id.clone().unwrap_or(key);
        let request = Api::new(&self.connection).find_page(&space, &title);
        Ok(self.send(request, Current::FolderSearch { folder }))
    }

    fn on_folder_space(&mut self, response: &HttpResponse) -> Result<Step<FolderOutcome>, Error> {
        let key = self.connection.space_key.clone();
        let json = self.checked(response, &format!("read space {key}"))?;
        let space = read_space(&json, Deployment::Cloud).ok_or(ApiError::SpaceNotFound { key })?;
        self.space_id = Some(space.id);
        self.advance()
    }

    fn on_folder_search(
        &mut self,
        response: &HttpResponse,
        folder: usize,
    ) -> Result<Step<FolderOutcome>, Error> {
        let key = self.connection.space_key.clone();
        if response.status == 404 {
            let base_url = self.connection.site.base_url();
            return Err(missing_space(response, key, base_url).into());
        }
        let json = self.checked(response, &format!("read space {key}"))?;
        if let Some(existing) = read_first_page(&json, &self.connection.site) {
            self.folder_pages
                .insert(self.plan.folders[folder].path.clone(), existing.id);
            return self.advance();
        }
        let planned = &self.plan.folders[folder];
        let parent_folder = planned
            .path
            .rsplit_once('/')
            .map(|(parent, _)| parent.to_owned());
        let parent = self
            .parent_page(parent_folder.as_deref())
            .or_else(|| self.connection.parent_page_id.clone());
        let space = self.space_id.clone().unwrap_or(key);
        let content = PageContent {
            title: &planned.title,
            storage: FOLDER_PAGE_BODY,
        };
        let request = Api::new(&self.connection).create_page(&space, parent.as_deref(), content);
        Ok(self
            .send(request, Current::FolderCreate { folder })
            .expect("a request"))
    }

    fn on_folder_created(
        &mut self,
        response: &HttpResponse,
        folder: usize,
    ) -> Result<Step<FolderOutcome>, Error> {
        let planned = self.plan.folders[folder].clone();
        match self.checked(
            response,
            &format!("create pages in space {}", self.connection.space_key),
        ) {
            Ok(json) => {
                let page = read_page(&json, &json, &self.connection.site);
                self.folder_pages.insert(planned.path, page.id);
            }
            Err(error) => self.fail(&planned.path, &error),
        }
        self.advance()
    }

    fn checked(&self, response: &HttpResponse, action: &str) -> Result<serde_json::Value, Error> {
        let connection = &self.connection;
        let purpose = Purpose {
            action,
            subject: action,
        };
        Ok(check(
            response,
            &connection.credentials,
            &connection.site,
            &purpose,
        )?)
    }

    fn finish(&mut self) -> FolderOutcome {
        let mut outcome = std::mem::take(&mut self.outcome);
        outcome.summary = summary(&outcome);
        outcome
    }
}

/// Each note gets its planned title and the planned titles of every other note, so links
/// between them resolve; links the folder resolves need no look-up by page id.
fn with_folder_titles(notes: Vec<PublishInput>, plan: &FolderPlan) -> Vec<Option<PublishInput>> {
    let pages: BTreeMap<String, String> = notes
        .iter()
        .zip(&plan.notes)
        .map(|(note, planned)| {
            let key = note
                .path
                .strip_suffix(".md")
                .unwrap_or(&note.path)
                .to_owned();
            (key, planned.title.clone())
        })
        .collect();
    let pages: HashMap<String, String> = pages.into_iter().collect();
    let index = LinkIndex::new(&pages);
    notes
        .into_iter()
        .zip(&plan.notes)
        .map(|(mut note, planned)| {
            note.title = Some(planned.title.clone());
            note.linked_page_ids
                .retain(|target, _| index.get(target).is_none());
            let mut links: Links = std::mem::take(&mut note.links);
            for (key, title) in &pages {
                links
                    .pages
                    .entry(key.clone())
                    .or_insert_with(|| title.clone());
            }
            note.links = links;
            Some(note)
        })
        .collect()
}

fn retitled(paths: &[String], plan: &FolderPlan) -> Vec<RetitledNote> {
    paths
        .iter()
        .zip(&plan.notes)
        .filter(|(_, planned)| planned.retitled)
        .map(|(path, planned)| RetitledNote {
            path: path.clone(),
            title: planned.title.clone(),
        })
        .collect()
}

fn summary(outcome: &FolderOutcome) -> String {
    let count = |action| {
        outcome
            .published
            .iter()
            .filter(|n| n.outcome.action == action)
            .count()
    };
    let uploaded: usize = outcome
        .published
        .iter()
        .map(|n| n.outcome.uploaded.len())
        .sum();
    let total = outcome.published.len() + outcome.failed.len();
    let mut text = format!(
        "Published {} of {total} notes ({} created, {} updated, {} unchanged); {uploaded} files \
         uploaded; {} requests.",
        outcome.published.len(),
        count(PublishAction::Created),
        count(PublishAction::Updated),
        count(PublishAction::Unchanged),
        outcome.requests,
    );
    if !outcome.failed.is_empty() {
        text.push_str(&format!(" {} failed.", outcome.failed.len()));
    }
    if !outcome.retitled.is_empty() {
        let titles = match outcome.retitled.len() {
            1 => "1 title was".to_owned(),
            count => format!("{count} titles were"),
        };
        text.push_str(&format!(" {titles} made unique."));
    }
    text
}
/// For each note whose page id another note has too, the other notes' paths.
fn shared_pages(
    notes: &[PublishInput],
    parsed: &[(String, Option<String>)],
) -> HashMap<usize, String> {
    let mut by_page: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, (_, page_id)) in parsed.iter().enumerate() {
        if let Some(page_id) = page_id.as_deref() {
            by_page.entry(page_id).or_default().push(index);
        }
    }
    let mut shared = HashMap::new();
    for sharing in by_page.values().filter(|sharing| sharing.len() > 1) {
        for &index in sharing {
            let others: Vec<&str> = sharing
                .iter()
                .filter(|&&other| other != index)
                .map(|&other| notes[other].path.as_str())
                .collect();
            shared.insert(index, others.join(", "));
        }
    }
    shared
}
