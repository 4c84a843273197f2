//! "Publish current note": create the note's page the first time, update it afterwards.
//!
//! ```text
//!            note has confluence-page-id?
//!              yes │                       no │
//!                  ▼                          ▼
//!          GET page {id}            (Cloud) GET space ──▶ space id
//!                  │                          ▼
//!                  │                  find page by title in the space
//!                  │                    found │            none │
//!                  ▼                          ▼                 ▼
//!   PUT page, version = current + 1   Error: title taken   POST page (under the parent)
//!                  ▼                                            ▼
//!          Done (updated)                                Done (created)
//! ```
//!
//! A page with the note's title that the note is not linked to is never taken over: the
//! error says which page it is and how to link the note to it. The note is converted once,
//! before the first request, so a note that cannot be read sends nothing.

use serde::Serialize;

use crate::api::{Api, PageContent};
use crate::convert::{to_storage, ConvertOptions};
use crate::error::{ApiError, Error};
use crate::flow::{Flow, Step};
use crate::http::HttpResponse;
use crate::note;
use crate::response::{check, read_first_page, read_page, read_space, Page, Purpose};
use crate::settings::{Connection, Deployment, Settings};

/// What a publish did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PublishAction {
    Created,
    Updated,
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
    pub warnings: Vec<String>,
    pub summary: String,
}

/// The publish of one note, one request at a time.
#[derive(Debug)]
pub struct PublishJob {
    connection: Connection,
    title: String,
    page_id: Option<String>,
    storage: String,
    warnings: Vec<String>,
    state: State,
}

#[derive(Debug)]
enum State {
    Ready,
    AwaitingSpace,
    AwaitingLinkedPage { page_id: String },
    AwaitingSearch { space: String },
    AwaitingWrite { action: PublishAction },
    Finished,
}

impl Flow for PublishJob {
    type Outcome = PublishOutcome;

    /// The first request.
    fn start(&mut self) -> Result<Step<Self::Outcome>, Error> {
        if !matches!(self.state, State::Ready) {
            return Err(Error::Protocol("the publish was started twice"));
        }
        let api = Api::new(&self.connection);
        let key = self.connection.space_key.clone();
        let (state, request) = match (&self.page_id, self.connection.site.deployment()) {
            (Some(id), _) => (
                State::AwaitingLinkedPage {
                    page_id: id.clone(),
                },
                api.get_page(id),
            ),
            (None, Deployment::Cloud) => (State::AwaitingSpace, api.space(&key)),
            (None, Deployment::DataCenter) => {
                let request = api.find_page(&key, &self.title);
                (State::AwaitingSearch { space: key }, request)
            }
        };
        self.state = state;
        Ok(Step::Send(request))
    }

    /// Take the response to the last request.
    fn resume(&mut self, response: &HttpResponse) -> Result<Step<Self::Outcome>, Error> {
        match std::mem::replace(&mut self.state, State::Finished) {
            State::AwaitingSpace => self.on_space(response),
            State::AwaitingLinkedPage { page_id } => self.on_linked_page(response, &page_id),
            State::AwaitingSearch { space } => self.on_search(response, &space),
            State::AwaitingWrite { action } => self.on_written(response, action),
            State::Ready | State::Finished => Err(Error::Protocol(
                "the publish was resumed when it was not waiting",
            )),
        }
    }
}

impl PublishJob {
    /// Check the settings, read the note and convert it. `path` is the note's path in the
    /// vault; `markdown` its whole text, frontmatter included.
    pub fn new(settings: &Settings, path: &str, markdown: &str) -> Result<Self, Error> {
        let connection = settings.validate()?;
        let note = note::parse(path, markdown)?;
        let conversion = to_storage(note.body, &ConvertOptions::default());
        Ok(Self {
            connection,
            title: note.title,
            page_id: note.page_id,
            storage: conversion.storage,
            warnings: conversion.warnings,
            state: State::Ready,
        })
    }

    fn on_space(&mut self, response: &HttpResponse) -> Result<Step<PublishOutcome>, Error> {
        let key = self.connection.space_key.clone();
        let action = format!("read space {key}");
        let json = self.checked(response, &action, &action)?;
        let deployment = self.connection.site.deployment();
        let space = read_space(&json, deployment).ok_or(ApiError::SpaceNotFound { key })?;
        let request = Api::new(&self.connection).find_page(&space.id, &self.title);
        self.state = State::AwaitingSearch { space: space.id };
        Ok(Step::Send(request))
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
        let current = read_page(&json, &json, &self.connection.site);
        let content = PageContent {
            title: &self.title,
            storage: &self.storage,
        };
        let request = Api::new(&self.connection).update_page(page_id, current.version + 1, content);
        self.state = State::AwaitingWrite {
            action: PublishAction::Updated,
        };
        Ok(Step::Send(request))
    }

    fn on_search(
        &mut self,
        response: &HttpResponse,
        space: &str,
    ) -> Result<Step<PublishOutcome>, Error> {
        let key = self.connection.space_key.clone();
        if response.status == 404 {
            return Err(ApiError::SpaceNotFound { key }.into());
        }
        let action = format!("read space {key}");
        let json = self.checked(response, &action, &action)?;
        if let Some(existing) = read_first_page(&json, &self.connection.site) {
            let title = self.title.clone();
            return Err(ApiError::TitleTaken {
                title,
                space: key,
                page_id: existing.id,
            }
            .into());
        }
        let parent = self.connection.parent_page_id.as_deref();
        let content = PageContent {
            title: &self.title,
            storage: &self.storage,
        };
        let request = Api::new(&self.connection).create_page(space, parent, content);
        self.state = State::AwaitingWrite {
            action: PublishAction::Created,
        };
        Ok(Step::Send(request))
    }

    fn on_written(
        &mut self,
        response: &HttpResponse,
        action: PublishAction,
    ) -> Result<Step<PublishOutcome>, Error> {
        let key = &self.connection.space_key;
        let (doing, subject) = match action {
            PublishAction::Created => (format!("create pages in space {key}"), "The parent page"),
            PublishAction::Updated => (format!("edit this page in space {key}"), "The page"),
        };
        let json = self.checked(response, &doing, subject)?;
        let page = read_page(&json, &json, &self.connection.site);
        Ok(Step::Done(self.outcome(action, page)))
    }

    fn outcome(&self, action: PublishAction, page: Page) -> PublishOutcome {
        let verb = match action {
            PublishAction::Created => "Created",
            PublishAction::Updated => "Updated",
        };
        let summary = format!(
            "{verb} \"{}\" (version {}): {}",
            page.title, page.version, page.url
        );
        PublishOutcome {
            action,
            page_id: page.id,
            title: page.title,
            version: page.version,
            url: page.url,
            auth_method: self.connection.credentials.method_name().to_owned(),
            warnings: self.warnings.clone(),
            summary,
        }
    }

    fn checked(
        &self,
        response: &HttpResponse,
        action: &str,
        subject: &str,
    ) -> Result<serde_json::Value, Error> {
        let connection = &self.connection;
        let purpose = Purpose { action, subject };
        Ok(check(
            response,
            &connection.credentials,
            &connection.site,
            &purpose,
        )?)
    }
}
