//! Data Center v1 operations: who am I, a space, find, get, create and update a page; and,
//! through their own modules, attachments, labels, content properties and server information.
//!
//! Requests reach here already matched to an operation of the Data Center OpenAPI document and
//! authenticated. Answers follow `docs/CONFLUENCE.md` sections 3 and 4: create answers 200 (not
//! 201), an unknown or hidden space is 404 "No space with key : KEY" (also when finding pages),
//! and errors have the `{statusCode, data, message, reason}` shape.

use serde_json::{json, Value};

use crate::auth::Identity;
use crate::request::Reply;
use crate::store::{NewPage, Page, PageChange, Store};

use super::dc_json::{DcJson, Expand};
use super::rest::{finish, not_implemented, reply, Answer, Refusal};
use super::{attachments, labels, properties, system, Api, Call};

/// What `GET content/{id}` and `GET content` expand when no `expand` is given.
const DEFAULT_READ_EXPAND: &str = "history,space,version";
/// What create and update expand when no `expand` is given (the document's default).
const DEFAULT_WRITE_EXPAND: &str =
    "body.storage,history,space,container.history,container.version,version,ancestors";
/// Page size of `GET content` when no `limit` is given, and the most it allows.
const DEFAULT_LIMIT: usize = 25;
const MAX_LIMIT: usize = 200;

/// The operations served, by the Data Center document's `operationId`.
enum Operation {
    CurrentUser,
    Space,
    FindContent,
    GetContent,
    CreateContent,
    UpdateContent,
    Attachments,
    Upload,
    AttachmentData,
    Labels,
    AddLabels,
    RemoveLabel,
    Properties,
    Property,
    CreateProperty,
    UpdateProperty,
    DeleteProperty,
    ServerInformation,
}

impl Operation {
    fn from_id(operation_id: &str) -> Option<Self> {
        match operation_id {
            "getCurrent" => Some(Self::CurrentUser),
            "space" => Some(Self::Space),
            "getContent" => Some(Self::FindContent),
            "getContentById" => Some(Self::GetContent),
            "createContent" => Some(Self::CreateContent),
            "update_2" => Some(Self::UpdateContent),
            "getAttachments" => Some(Self::Attachments),
            "createAttachments" => Some(Self::Upload),
            "updateData" => Some(Self::AttachmentData),
            "labels" => Some(Self::Labels),
            "addLabels" => Some(Self::AddLabels),
            "deleteLabel" | "deleteLabelWithQueryParam" => Some(Self::RemoveLabel),
            "findAll" => Some(Self::Properties),
            "findByKey" => Some(Self::Property),
            "create_1" | "create_2" => Some(Self::CreateProperty),
            "update_1" => Some(Self::UpdateProperty),
            "delete_2" => Some(Self::DeleteProperty),
            "index_2" => Some(Self::ServerInformation),
            _ => None,
        }
    }
}

pub fn handle(call: &Call, store: &mut Store, operation_id: &str) -> Reply {
    let Some(operation) = Operation::from_id(operation_id) else {
        return not_implemented(Api::DataCenter, call, operation_id);
    };
    let result = match operation {
        Operation::CurrentUser => Ok(current_user(call, store)),
        Operation::Space => space(call, store),
        Operation::FindContent => find_content(call, store),
        Operation::GetContent => get_content(call, store),
        Operation::CreateContent => create_content(call, store),
        Operation::UpdateContent => update_content(call, store),
        Operation::Attachments => attachments::list_v1(call, store),
        Operation::Upload => {
            let update_existing = call.request.query_value("allowDuplicated") == Some("true");
            attachments::upload_v1(call, store, update_existing)
        }
        Operation::AttachmentData => attachments::new_version_v1(call, store),
        Operation::Labels => labels::list_v1(call, store),
        Operation::AddLabels => labels::add_v1(call, store),
        Operation::RemoveLabel => return finish(Api::DataCenter, labels::remove_v1(call, store)),
        Operation::Properties => properties::list_v1(call, store),
        Operation::Property => properties::get_v1(call, store),
        Operation::CreateProperty => properties::create_v1(call, store),
        Operation::UpdateProperty => properties::update_v1(call, store),
        Operation::DeleteProperty => {
            return finish(Api::DataCenter, properties::delete_v1(call, store))
        }
        Operation::ServerInformation => Ok(system::server_information(call.site)),
    };
    reply(Api::DataCenter, result)
}

fn current_user(call: &Call, store: &Store) -> Value {
    let json = DcJson {
        site: call.site,
        store,
    };
    let user = match &call.who {
        Identity::User(username) => json.user(username),
        Identity::Anonymous => json.anonymous(),
    };
    json.with_site_links(user)
}

fn space(call: &Call, store: &Store) -> Answer {
    let space = store.viewable_space(call.path_param("spaceKey"), &call.who)?;
    let json = DcJson {
        site: call.site,
        store,
    };
    Ok(json.with_site_links(json.space(space)))
}

/// `GET content?spaceKey=&title=&type=page`: exact title, unknown space is 404.
fn find_content(call: &Call, store: &Store) -> Answer {
    let request = call.request;
    let is_page = request
        .query_value("type")
        .map_or(true, |kind| kind == "page");
    let is_current = request
        .query_value("status")
        .map_or(true, |s| s == "current" || s == "any");
    let title = request.query_value("title");
    let pages: Vec<&Page> = match request.query_value("spaceKey") {
        Some(key) => {
            let space = store.viewable_space(key, &call.who)?;
            store.pages_in(&space.key, title).collect()
        }
        None => store
            .viewable_spaces(&call.who)
            .flat_map(|space| store.pages_in(&space.key, title))
            .collect(),
    };
    let pages = if is_page && is_current {
        pages
    } else {
        Vec::new()
    };
    Ok(page_of_results(call, store, &pages))
}

/// `{results, start, limit, size, _links}` for the window `start`/`limit` asks for.
fn page_of_results(call: &Call, store: &Store, pages: &[&Page]) -> Value {
    let request = call.request;
    let start = number_param(request.query_value("start"), 0);
    let limit = number_param(request.query_value("limit"), DEFAULT_LIMIT).min(MAX_LIMIT);
    let expand = Expand::parse(request.query_value("expand"), DEFAULT_READ_EXPAND);
    let json = DcJson {
        site: call.site,
        store,
    };
    let window: Vec<Value> = pages
        .iter()
        .skip(start)
        .take(limit)
        .map(|page| json.content(page, &expand))
        .collect();
    let mut links = json!({
        "self": format!("{}/rest/api/content", call.site.base_url()),
        "base": call.site.base_url(),
        "context": call.site.prefix
    });
    if start + window.len() < pages.len() {
        links["next"] = json!(format!(
            "/rest/api/content?start={}&limit={limit}",
            start + limit
        ));
    }
    let size = window.len();
    json!({"results": window, "start": start, "limit": limit, "size": size, "_links": links})
}

fn number_param(value: Option<&str>, default: usize) -> usize {
    value.and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn get_content(call: &Call, store: &Store) -> Answer {
    let page = store.viewable_page(call.path_param("id"), &call.who)?;
    let expand = Expand::parse(call.request.query_value("expand"), DEFAULT_READ_EXPAND);
    Ok(content_answer(call, store, page, &expand))
}

fn content_answer(call: &Call, store: &Store, page: &Page, expand: &Expand) -> Value {
    let json = DcJson {
        site: call.site,
        store,
    };
    json.with_site_links(json.content(page, expand))
}

/// `POST content`: a page in `space.key`, under the last of `ancestors`, version 1.
fn create_content(call: &Call, store: &mut Store) -> Answer {
    let body = call.request.json_body().cloned().unwrap_or(Value::Null);
    require_page_type(&body)?;
    let space_key = str_at(&body["space"]["key"]).ok_or_else(|| {
        Refusal::new(400, "A space key is required to create content (space.key)")
    })?;
    let draft = NewPage {
        space_key: space_key.to_owned(),
        title: str_at(&body["title"]).unwrap_or_default().to_owned(),
        parent_id: parent_id(&body)?,
        body: storage_value(&body)?.unwrap_or_default(),
    };
    let id = store.create(&call.who, draft)?.id;
    written_answer(call, store, id)
}

/// `PUT content/{id}`: new title, body and parent, with `version.number` = current + 1.
fn update_content(call: &Call, store: &mut Store) -> Answer {
    let id = call.path_param("contentId");
    let body = call.request.json_body().cloned().unwrap_or(Value::Null);
    require_page_type(&body)?;
    if let Some(body_id) = str_at(&body["id"]).filter(|body_id| body_id != &id) {
        let message =
            format!("The id in the body ({body_id}) does not match the id in the URL ({id})");
        return Err(Refusal::new(400, message));
    }
    let version = &body["version"];
    let version_number = version["number"].as_i64().ok_or_else(|| {
        Refusal::new(
            400,
            "Must supply an incremented version when updating Content. No version supplied.",
        )
    })?;
    let change = PageChange {
        title: str_at(&body["title"]).unwrap_or_default().to_owned(),
        parent_id: parent_id(&body)?,
        body: storage_value(&body)?,
        version_number,
        message: str_at(&version["message"]).unwrap_or_default().to_owned(),
        minor_edit: version["minorEdit"].as_bool().unwrap_or(false),
        space_key: str_at(&body["space"]["key"]).map(str::to_owned),
    };
    let page_id = store.update(&call.who, id, change)?.id;
    written_answer(call, store, page_id)
}

fn written_answer(call: &Call, store: &Store, page_id: u64) -> Answer {
    let page = store
        .page(&page_id.to_string())
        .ok_or_else(|| Refusal::new(500, "the page just written is gone"))?;
    let expand = Expand::parse(call.request.query_value("expand"), DEFAULT_WRITE_EXPAND);
    Ok(content_answer(call, store, page, &expand))
}

/// `type` must be `page`: blog posts and comments are out of the emulator's scope.
fn require_page_type(body: &Value) -> Result<(), Refusal> {
    match str_at(&body["type"]) {
        Some("page") => Ok(()),
        None => Err(Refusal::new(
            400,
            "Content type is required (type: \"page\")",
        )),
        Some(other) => Err(Refusal::new(
            501,
            format!("The Confluence emulator stores pages only, not {other}"),
        )),
    }
}

/// The id of the last entry of `ancestors` (the direct parent), if any.
fn parent_id(body: &Value) -> Result<Option<String>, Refusal> {
    let Some(last) = body["ancestors"]
        .as_array()
        .and_then(|ancestors| ancestors.last())
    else {
        return Ok(None);
    };
    match str_at(&last["id"]) {
        Some(id) => Ok(Some(id.to_owned())),
        None => Err(Refusal::new(400, "An ancestor must have an id")),
    }
}

/// `body.storage.value`; other representations (`wiki`, `editor`) are not converted here.
fn storage_value(body: &Value) -> Result<Option<String>, Refusal> {
    let Some(bodies) = body["body"].as_object() else {
        return Ok(None);
    };
    let Some(storage) = bodies.get("storage") else {
        let names: Vec<&str> = bodies.keys().map(String::as_str).collect();
        return match names.is_empty() {
            true => Ok(None),
            false => Err(Refusal::new(
                501,
                format!(
                    "The Confluence emulator takes body.storage only, not {}",
                    names.join(", ")
                ),
            )),
        };
    };
    match str_at(&storage["representation"]) {
        Some("storage") => Ok(Some(
            str_at(&storage["value"]).unwrap_or_default().to_owned(),
        )),
        Some(other) => Err(Refusal::new(
            400,
            format!("Unsupported representation for body.storage: {other}"),
        )),
        None => Err(Refusal::new(
            400,
            "body.storage.representation is required (\"storage\")",
        )),
    }
}

/// The string at a place in a JSON body, if it is one.
fn str_at(value: &Value) -> Option<&str> {
    value.as_str()
}
