//! Every Confluence REST request the plugin sends, built as data.
//!
//! Server and Data Center speak the v1 API (`rest/api/...`). Cloud speaks v2 for spaces and
//! pages (`api/v2/...`) and keeps v1 for `user/current`; its v1 content and space endpoints are
//! deprecated and not used. Each builder returns a complete [`HttpRequest`]: URL under the
//! site's base, `Authorization` from the chosen credentials, JSON headers and body. Paths and
//! bodies follow Atlassian's OpenAPI documents (Data Center 10.0.3, Cloud v1 and v2).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::http::{Body, HttpRequest, Method};
use crate::multipart::{self, Upload};
use crate::settings::{Connection, Deployment};

/// The message stored with each version the plugin writes.
pub const VERSION_MESSAGE: &str = "Published from Obsidian";

/// The content property that records what the plugin last published to a page.
pub const PROPERTY_KEY: &str = "obsidian-confluence-publish";

/// How many attachments or labels one listing asks for.
pub const MAX_LISTED: usize = 250;

/// An existing content property: its id (Cloud needs it) and version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordRef {
    pub id: String,
    pub version: u64,
}

/// A page to create or update.
#[derive(Clone, Copy, Debug)]
pub struct PageContent<'a> {
    pub title: &'a str,
    /// Storage format.
    pub storage: &'a str,
}

/// Builds requests for one connection.
#[derive(Clone, Copy, Debug)]
pub struct Api<'a> {
    connection: &'a Connection,
}

impl<'a> Api<'a> {
    pub fn new(connection: &'a Connection) -> Self {
        Self { connection }
    }

    fn deployment(&self) -> Deployment {
        self.connection.site.deployment()
    }

    /// `GET rest/applinks/1.0/manifest`: Server and Data Center describe themselves here,
    /// version included, to anyone (XML).
    pub fn manifest(&self) -> HttpRequest {
        let mut request = self.get(&["rest", "applinks", "1.0", "manifest"], &[]);
        request
            .headers
            .insert("accept".to_owned(), "application/xml".to_owned());
        request
    }

    /// `GET rest/api/user/current`: who the credentials belong to (both kinds).
    pub fn current_user(&self) -> HttpRequest {
        self.get(&["rest", "api", "user", "current"], &[])
    }

    /// The space by key: `GET rest/api/space/{key}` or, on Cloud, `GET api/v2/spaces?keys=`.
    pub fn space(&self, key: &str) -> HttpRequest {
        match self.deployment() {
            Deployment::DataCenter => self.get(&["rest", "api", "space", key], &[]),
            Deployment::Cloud => self.get(&["api", "v2", "spaces"], &[("keys", key)]),
        }
    }

    /// Pages with exactly this title in the space. Cloud needs the space's id, Data Center its
    /// key.
    pub fn find_page(&self, space: &str, title: &str) -> HttpRequest {
        match self.deployment() {
            Deployment::DataCenter => self.get(
                &["rest", "api", "content"],
                &[
                    ("spaceKey", space),
                    ("title", title),
                    ("type", "page"),
                    ("expand", "version"),
                ],
            ),
            Deployment::Cloud => self.get(
                &["api", "v2", "pages"],
                &[("space-id", space), ("title", title), ("status", "current")],
            ),
        }
    }

    /// One page with its version.
    pub fn get_page(&self, id: &str) -> HttpRequest {
        match self.deployment() {
            Deployment::DataCenter => self.get(
                &["rest", "api", "content", id],
                &[("expand", "version,space")],
            ),
            Deployment::Cloud => self.get(&["api", "v2", "pages", id], &[]),
        }
    }

    /// Create a page in the space (Data Center: its key; Cloud: its id), under `parent_id`
    /// or at the space's top level.
    pub fn create_page(
        &self,
        space: &str,
        parent_id: Option<&str>,
        page: PageContent<'_>,
    ) -> HttpRequest {
        match self.deployment() {
            Deployment::DataCenter => {
                let mut body = json!({
                    "type": "page",
                    "title": page.title,
                    "space": { "key": space },
                    "body": { "storage": { "value": page.storage, "representation": "storage" } },
                });
                if let Some(id) = parent_id {
                    body["ancestors"] = json!([{ "id": id }]);
                }
                self.send(Method::Post, &["rest", "api", "content"], &body)
            }
            Deployment::Cloud => {
                let mut body = json!({
                    "spaceId": space,
                    "status": "current",
                    "title": page.title,
                    "body": { "representation": "storage", "value": page.storage },
                });
                if let Some(id) = parent_id {
                    body["parentId"] = json!(id);
                }
                self.send(Method::Post, &["api", "v2", "pages"], &body)
            }
        }
    }

    /// Replace a page's title and body as version `version`, which must be the current
    /// version plus one. The page stays where it is.
    pub fn update_page(&self, id: &str, version: u64, page: PageContent<'_>) -> HttpRequest {
        match self.deployment() {
            Deployment::DataCenter => {
                let body = json!({
                    "id": id,
                    "type": "page",
                    "title": page.title,
                    "body": { "storage": { "value": page.storage, "representation": "storage" } },
                    "version": { "number": version, "message": VERSION_MESSAGE },
                });
                self.send(Method::Put, &["rest", "api", "content", id], &body)
            }
            Deployment::Cloud => {
                let body = json!({
                    "id": id,
                    "status": "current",
                    "title": page.title,
                    "body": { "representation": "storage", "value": page.storage },
                    "version": { "number": version, "message": VERSION_MESSAGE },
                });
                self.send(Method::Put, &["api", "v2", "pages", id], &body)
            }
        }
    }

    /// The page's publishing record, a content property (see [`PROPERTY_KEY`]).
    pub fn get_record(&self, page_id: &str) -> HttpRequest {
        match self.deployment() {
            Deployment::DataCenter => self.get(
                &["rest", "api", "content", page_id, "property", PROPERTY_KEY],
                &[],
            ),
            Deployment::Cloud => self.get(
                &["api", "v2", "pages", page_id, "properties"],
                &[("key", PROPERTY_KEY)],
            ),
        }
    }

    /// Store the publishing record: create it, or replace version `existing` of it.
    pub fn put_record(
        &self,
        page_id: &str,
        value: &Value,
        existing: Option<&RecordRef>,
    ) -> HttpRequest {
        let mut body = json!({ "key": PROPERTY_KEY, "value": value });
        if let Some(record) = existing {
            body["version"] = json!({ "number": record.version + 1 });
        }
        let cloud = self.deployment() == Deployment::Cloud;
        match (cloud, existing) {
            (false, None) => self.send(
                Method::Post,
                &["rest", "api", "content", page_id, "property"],
                &body,
            ),
            (false, Some(_)) => self.send(
                Method::Put,
                &["rest", "api", "content", page_id, "property", PROPERTY_KEY],
                &body,
            ),
            (true, None) => self.send(
                Method::Post,
                &["api", "v2", "pages", page_id, "properties"],
                &body,
            ),
            (true, Some(record)) => self.send(
                Method::Put,
                &["api", "v2", "pages", page_id, "properties", &record.id],
                &body,
            ),
        }
    }

    /// Every attachment of the page (up to [`MAX_LISTED`]), with versions and comments.
    pub fn list_attachments(&self, page_id: &str) -> HttpRequest {
        let limit = MAX_LISTED.to_string();
        match self.deployment() {
            Deployment::DataCenter => self.get(
                &["rest", "api", "content", page_id, "child", "attachment"],
                &[("limit", &limit), ("expand", "version")],
            ),
            Deployment::Cloud => self.get(
                &["api", "v2", "pages", page_id, "attachments"],
                &[("limit", &limit)],
            ),
        }
    }

    /// Upload a file as a new attachment of the page, or as a new version of attachment
    /// `existing`. Both kinds use v1 here: Cloud has no v2 upload.
    pub fn upload(
        &self,
        page_id: &str,
        existing: Option<&str>,
        upload: &Upload<'_>,
    ) -> HttpRequest {
        let mut segments = vec!["rest", "api", "content", page_id, "child", "attachment"];
        if let Some(attachment_id) = existing {
            segments.extend([attachment_id, "data"]);
        }
        let (content_type, body) = multipart::form(upload);
        let mut headers = self.headers(false);
        headers.insert("content-type".to_owned(), content_type);
        headers.insert("x-atlassian-token".to_owned(), "no-check".to_owned());
        HttpRequest {
            method: Method::Post,
            url: self.connection.site.endpoint(&segments, &[]),
            headers,
            body: Some(body),
            delay_ms: 0,
            retry_message: None,
        }
    }

    /// The page's labels.
    pub fn list_labels(&self, page_id: &str) -> HttpRequest {
        let limit = MAX_LISTED.to_string();
        match self.deployment() {
            Deployment::DataCenter => self.get(
                &["rest", "api", "content", page_id, "label"],
                &[("limit", &limit)],
            ),
            Deployment::Cloud => self.get(
                &["api", "v2", "pages", page_id, "labels"],
                &[("limit", &limit)],
            ),
        }
    }

    /// Add global labels to the page, all in one request.
    pub fn add_labels(&self, page_id: &str, names: &[String]) -> HttpRequest {
        let labels: Vec<Value> = names
            .iter()
            .map(|name| json!({ "prefix": "global", "name": name }))
            .collect();
        self.send(
            Method::Post,
            &["rest", "api", "content", page_id, "label"],
            &json!(labels),
        )
    }

    /// Remove one label from the page.
    pub fn remove_label(&self, page_id: &str, name: &str) -> HttpRequest {
        HttpRequest {
            method: Method::Delete,
            url: self
                .connection
                .site
                .endpoint(&["rest", "api", "content", page_id, "label", name], &[]),
            headers: self.headers(false),
            body: None,
            delay_ms: 0,
            retry_message: None,
        }
    }

    fn get(&self, segments: &[&str], query: &[(&str, &str)]) -> HttpRequest {
        HttpRequest {
            method: Method::Get,
            url: self.connection.site.endpoint(segments, query),
            headers: self.headers(false),
            body: None,
            delay_ms: 0,
            retry_message: None,
        }
    }

    fn send(&self, method: Method, segments: &[&str], body: &Value) -> HttpRequest {
        HttpRequest {
            method,
            url: self.connection.site.endpoint(segments, &[]),
            headers: self.headers(true),
            body: Some(Body::Text {
                text: body.to_string(),
            }),
            delay_ms: 0,
            retry_message: None,
        }
    }

    fn headers(&self, json_body: bool) -> BTreeMap<String, String> {
        let mut headers = BTreeMap::new();
        headers.insert("accept".to_owned(), "application/json".to_owned());
        headers.insert(
            "authorization".to_owned(),
            self.connection.credentials.authorization_header(),
        );
        if json_body {
            headers.insert("content-type".to_owned(), "application/json".to_owned());
        }
        headers
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Secret;
    use crate::settings::{DeploymentChoice, Settings};

    fn connection(base_url: &str, deployment: DeploymentChoice) -> Connection {
        Settings {
            base_url: base_url.to_owned(),
            space_key: "DOCS".to_owned(),
            deployment,
            use_personal_access_token: true,
            personal_access_token: Secret::new("pat-1"),
            ..Settings::default()
        }
        .validate()
        .expect("valid test settings")
    }

    #[test]
    fn data_center_requests_use_v1_under_the_context_path() {
        let connection = connection("https://h.example.com/confluence/", DeploymentChoice::Auto);
        let api = Api::new(&connection);
        let find = api.find_page("DOCS", "Tom & Jerry");
        assert_eq!(
            find.url,
            "https://h.example.com/confluence/rest/api/content?spaceKey=DOCS\
             &title=Tom+%26+Jerry&type=page&expand=version"
        );
        assert_eq!(find.header("authorization"), Some("Bearer pat-1"));
        assert_eq!(find.body, None);
        let update = api.update_page(
            "42",
            3,
            PageContent {
                title: "T",
                storage: "<p/>",
            },
        );
        assert_eq!(update.method, Method::Put);
        assert_eq!(
            update.url,
            "https://h.example.com/confluence/rest/api/content/42"
        );
        let body: Value = serde_json::from_str(update.body_text().unwrap()).unwrap();
        assert_eq!(body["version"]["number"], 3);
        assert_eq!(body["body"]["storage"]["representation"], "storage");
    }

    #[test]
    fn data_center_create_puts_the_parent_in_ancestors() {
        let connection = connection("https://h.example.com", DeploymentChoice::Auto);
        let request = Api::new(&connection).create_page(
            "DOCS",
            Some("7"),
            PageContent {
                title: "T",
                storage: "<p>x</p>",
            },
        );
        let body: Value = serde_json::from_str(request.body_text().unwrap()).unwrap();
        assert_eq!(
            body,
            json!({"type": "page", "title": "T", "space": {"key": "DOCS"},
                   "ancestors": [{"id": "7"}],
                   "body": {"storage": {"value": "<p>x</p>", "representation": "storage"}}})
        );
        assert_eq!(request.header("content-type"), Some("application/json"));
    }

    #[test]
    fn cloud_requests_use_v2_for_pages_and_v1_for_the_user() {
        let connection = connection("https://acme.atlassian.net", DeploymentChoice::Auto);
        let api = Api::new(&connection);
        assert_eq!(
            api.current_user().url,
            "https://acme.atlassian.net/wiki/rest/api/user/current"
        );
        assert_eq!(
            api.space("DOCS").url,
            "https://acme.atlassian.net/wiki/api/v2/spaces?keys=DOCS"
        );
        let create = api.create_page(
            "98306",
            None,
            PageContent {
                title: "T",
                storage: "",
            },
        );
        assert_eq!(create.url, "https://acme.atlassian.net/wiki/api/v2/pages");
        let body: Value = serde_json::from_str(create.body_text().unwrap()).unwrap();
        assert_eq!(
            body,
            json!({"spaceId": "98306", "status": "current", "title": "T",
                   "body": {"representation": "storage", "value": ""}})
        );
    }
}
