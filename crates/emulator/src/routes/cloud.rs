//! Cloud operations: v1 who am I, system information, attachments and labels (Cloud keeps v1
//! for those); v2 spaces, pages, and a page's attachments, labels and properties.
//!
//! Other v1 operations the Cloud document flags as deprecated (content, space, properties...)
//! answer 410 Gone: clients must use v2 for them. (The v1 attachment and label lists are flagged
//! too, but served, with a note in the log.) v2 answers follow `docs/CONFLUENCE.md` section 3:
//! an unknown space key gives 200 with empty `results`, a page created without `parentId` goes
//! under the space's home page, errors have the `{errors: [{status, code, title, detail}]}` shape.

use serde_json::Value;

use crate::request::Reply;
use crate::store::{NewPage, Page, PageChange, Store};

use super::cloud_json::CloudJson;
use super::lists::v2_list;
use super::rest::{error, finish, not_implemented, reply, Answer, Refusal};
use super::{attachments, labels, properties, system, Api, Call};

/// Cloud refuses page bodies over 5 MiB on create.
const MAX_CREATE_BYTES: usize = 5 * 1024 * 1024;
/// v2 page size when no `limit` is given.
const DEFAULT_LIMIT: usize = 25;

/// The v1 operations served, by the Cloud v1 document's `operationId`.
pub fn handle_v1(call: &Call, store: &mut Store, operation_id: &str, deprecated: bool) -> Reply {
    let api = Api::CloudV1;
    let answer = match operation_id {
        "getCurrentUser" => {
            let json = CloudJson {
                site: call.site,
                store,
            };
            Ok(json.current_user(&call.who))
        }
        "getSystemInfo" => Ok(system::system_info(call.site)),
        "getAttachments" => attachments::list_v1(call, store),
        "createAttachment" => attachments::upload_v1(call, store, false),
        "createOrUpdateAttachments" => attachments::upload_v1(call, store, true),
        "updateAttachmentData" => attachments::new_version_v1(call, store),
        "downloadAttatchment" => return finish(api, attachments::download_v1(call, store)),
        "getLabelsForContent" => labels::list_v1(call, store),
        "addLabelsToContent" => labels::add_v1(call, store),
        "removeLabelFromContent" | "removeLabelFromContentUsingQueryParameter" => {
            return finish(api, labels::remove_v1(call, store))
        }
        _ => return gone_or_not_implemented(call, operation_id, deprecated),
    };
    reply(api, answer)
}

fn gone_or_not_implemented(call: &Call, operation_id: &str, deprecated: bool) -> Reply {
    if deprecated {
        let message = format!(
            "{} {} is deprecated on Confluence Cloud and gone from this emulator: use the v2 API \
             under /wiki/api/v2 instead",
            call.request.method, call.request.path
        );
        return error(Api::CloudV1, 410, &message);
    }
    not_implemented(Api::CloudV1, call, operation_id)
}

/// The v2 operations served, by the Cloud v2 document's `operationId`.
enum Operation {
    GetSpaces,
    GetPages,
    GetPage,
    CreatePage,
    UpdatePage,
    Attachments,
    Labels,
    Properties,
    CreateProperty,
    Property,
    UpdateProperty,
    DeleteProperty,
}

impl Operation {
    fn from_id(operation_id: &str) -> Option<Self> {
        match operation_id {
            "getSpaces" => Some(Self::GetSpaces),
            "getPages" => Some(Self::GetPages),
            "getPageById" => Some(Self::GetPage),
            "createPage" => Some(Self::CreatePage),
            "updatePage" => Some(Self::UpdatePage),
            "getPageAttachments" => Some(Self::Attachments),
            "getPageLabels" => Some(Self::Labels),
            "getPageContentProperties" => Some(Self::Properties),
            "createPageProperty" => Some(Self::CreateProperty),
            "getPageContentPropertiesById" => Some(Self::Property),
            "updatePagePropertyById" => Some(Self::UpdateProperty),
            "deletePagePropertyById" => Some(Self::DeleteProperty),
            _ => None,
        }
    }
}

pub fn handle_v2(call: &Call, store: &mut Store, operation_id: &str) -> Reply {
    let Some(operation) = Operation::from_id(operation_id) else {
        return not_implemented(Api::CloudV2, call, operation_id);
    };
    let result = match operation {
        Operation::GetSpaces => Ok(get_spaces(call, store)),
        Operation::GetPages => get_pages(call, store),
        Operation::GetPage => get_page(call, store),
        Operation::CreatePage => create_page(call, store),
        Operation::UpdatePage => update_page(call, store),
        Operation::Attachments => attachments::list_v2(call, store),
        Operation::Labels => labels::list_v2(call, store),
        Operation::Properties => properties::list_v2(call, store),
        Operation::CreateProperty => properties::create_v2(call, store),
        Operation::Property => properties::get_v2(call, store),
        Operation::UpdateProperty => properties::update_v2(call, store),
        Operation::DeleteProperty => {
            return finish(Api::CloudV2, properties::delete_v2(call, store))
        }
    };
    reply(Api::CloudV2, result)
}

/// `GET spaces?keys=`: the viewable spaces among those asked for; unknown keys are left out.
fn get_spaces(call: &Call, store: &Store) -> Value {
    let request = call.request;
    let keys = query_list(call, "keys");
    let ids = query_list(call, "ids");
    let wanted_type = request
        .query_value("type")
        .map_or(true, |kind| kind == "global");
    let wanted_status = request
        .query_value("status")
        .map_or(true, |status| status == "current");
    let json = CloudJson {
        site: call.site,
        store,
    };
    let spaces: Vec<Value> = store
        .viewable_spaces(&call.who)
        .filter(|space| keys.is_empty() || keys.contains(&space.key))
        .filter(|space| ids.is_empty() || ids.contains(&space.id.to_string()))
        .filter(|_| wanted_type && wanted_status)
        .map(|space| json.space(space))
        .collect();
    v2_list(call, spaces, DEFAULT_LIMIT)
}

/// `GET pages?space-id=&title=&status=current`: exact title; unknown spaces give nothing.
fn get_pages(call: &Call, store: &Store) -> Answer {
    let with_body = wants_storage_body(call)?;
    let space_ids = query_list(call, "space-id");
    let page_ids = query_list(call, "id");
    let statuses = query_list(call, "status");
    let title = call.request.query_value("title");
    let json = CloudJson {
        site: call.site,
        store,
    };
    let pages: Vec<Value> = store
        .viewable_spaces(&call.who)
        .filter(|space| space_ids.is_empty() || space_ids.contains(&space.id.to_string()))
        .flat_map(|space| store.pages_in(&space.key, title))
        .filter(|page| page_ids.is_empty() || page_ids.contains(&page.id.to_string()))
        .filter(|_| statuses.is_empty() || statuses.iter().any(|status| status == "current"))
        .map(|page| json.page(page, with_body))
        .collect();
    Ok(v2_list(call, pages, DEFAULT_LIMIT))
}

fn get_page(call: &Call, store: &Store) -> Answer {
    let with_body = wants_storage_body(call)?;
    let page = store.viewable_page(call.path_param("id"), &call.who)?;
    let asked_version = call.request.query_value("version");
    if asked_version.is_some_and(|version| version != page.version.number.to_string()) {
        return Err(Refusal::new(
            501,
            "The Confluence emulator keeps the current version only",
        ));
    }
    Ok(CloudJson {
        site: call.site,
        store,
    }
    .page_answer(page, with_body))
}

/// `body-format=storage` includes the body; no format leaves it out; others are not served.
fn wants_storage_body(call: &Call) -> Result<bool, Refusal> {
    match call.request.query_value("body-format") {
        None => Ok(false),
        Some("storage") => Ok(true),
        Some(other) => Err(Refusal::new(
            501,
            format!("The Confluence emulator serves body-format=storage only, not {other}"),
        )),
    }
}

/// `POST pages`: in `spaceId`, under `parentId` or else the space home page, version 1.
fn create_page(call: &Call, store: &mut Store) -> Answer {
    if call.request.body.len() > MAX_CREATE_BYTES {
        return Err(Refusal::new(
            413,
            "Request entity too large: the page body is over 5 MiB",
        ));
    }
    if call.request.query_value("embedded") == Some("true") {
        return Err(Refusal::new(
            501,
            "The Confluence emulator does not create embedded pages",
        ));
    }
    let body = call.request.json_body().cloned().unwrap_or(Value::Null);
    require_current_status(&body)?;
    let space_id = body["spaceId"].as_str().unwrap_or_default();
    let space = store
        .viewable_space_by_id(space_id, &call.who)
        .ok_or_else(|| {
            Refusal::new(
                404,
                format!(
                    "Space not found: there is no space with id {space_id}, or you may not view it"
                ),
            )
        })?;
    let root_level = call.request.query_value("root-level") == Some("true");
    let home = (!root_level).then(|| space.homepage_id.to_string());
    let draft = NewPage {
        space_key: space.key.clone(),
        title: body["title"].as_str().unwrap_or_default().to_owned(),
        parent_id: body["parentId"].as_str().map(str::to_owned).or(home),
        body: storage_value(&body["body"])?.unwrap_or_default(),
    };
    let id = store.create(&call.who, draft)?.id;
    written_answer(call, store, id)
}

/// `PUT pages/{id}`: new title and body (and parent), `version.number` = current + 1.
fn update_page(call: &Call, store: &mut Store) -> Answer {
    let id = call.path_param("id");
    let body = call.request.json_body().cloned().unwrap_or(Value::Null);
    require_current_status(&body)?;
    if let Some(body_id) = body["id"].as_str().filter(|body_id| body_id != &id) {
        return Err(Refusal::new(
            400,
            format!("The id in the body ({body_id}) does not match the id in the URL ({id})"),
        ));
    }
    let version = &body["version"];
    let version_number = version["number"]
        .as_i64()
        .ok_or_else(|| Refusal::new(400, "Version number is required (version.number)"))?;
    let space_key = body["spaceId"]
        .as_str()
        .map(|space_id| space_key_of(store, call, space_id));
    let change = PageChange {
        title: body["title"].as_str().unwrap_or_default().to_owned(),
        parent_id: body["parentId"].as_str().map(str::to_owned),
        body: storage_value(&body["body"])?,
        version_number,
        message: version["message"].as_str().unwrap_or_default().to_owned(),
        minor_edit: false,
        space_key,
    };
    let page_id = store.update(&call.who, id, change)?.id;
    written_answer(call, store, page_id)
}

/// The key of a viewable space by id, or the id itself (which then matches no page's space).
fn space_key_of(store: &Store, call: &Call, space_id: &str) -> String {
    match store.viewable_space_by_id(space_id, &call.who) {
        Some(space) => space.key.clone(),
        None => space_id.to_owned(),
    }
}

fn written_answer(call: &Call, store: &Store, page_id: u64) -> Answer {
    let page: &Page = store
        .page(&page_id.to_string())
        .ok_or_else(|| Refusal::new(500, "the page just written is gone"))?;
    Ok(CloudJson {
        site: call.site,
        store,
    }
    .page_answer(page, true))
}

/// Drafts are out of the emulator's scope.
fn require_current_status(body: &Value) -> Result<(), Refusal> {
    match body["status"].as_str() {
        None | Some("current") => Ok(()),
        Some(other) => Err(Refusal::new(
            501,
            format!("The Confluence emulator stores current pages only, not {other}"),
        )),
    }
}

/// The storage value of a v2 body, `{representation, value}` or `{storage: {...}}`.
fn storage_value(body: &Value) -> Result<Option<String>, Refusal> {
    if body.is_null() {
        return Ok(None);
    }
    let flat = if body.get("representation").is_some() {
        body
    } else {
        &body["storage"]
    };
    match flat["representation"].as_str() {
        Some("storage") => Ok(Some(flat["value"].as_str().unwrap_or_default().to_owned())),
        Some(other) => Err(Refusal::new(
            501,
            format!("The Confluence emulator takes the storage representation only, not {other}"),
        )),
        None => Err(Refusal::new(
            400,
            "body.representation is required (\"storage\")",
        )),
    }
}

/// A query parameter's values, repeated or comma-separated.
fn query_list(call: &Call, name: &str) -> Vec<String> {
    let values = call.request.query.iter().filter(|(key, _)| key == name);
    values
        .flat_map(|(_, value)| value.split(','))
        .map(str::to_owned)
        .collect()
}
