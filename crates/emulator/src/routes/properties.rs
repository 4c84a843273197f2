//! Content properties over REST (where tools keep a hash of what they last published).
//!
//! - Data Center v1: `GET/POST content/{id}/property`, `GET/PUT/POST/DELETE
//!   content/{id}/property/{key}` with `{key, value, version: {number}}`; `PUT` needs the
//!   current version plus one (409 otherwise) and creates a missing key when sent version 1.
//!   Cloud flags these v1 operations deprecated, so there they answer 410 like the others.
//! - Cloud v2: `GET/POST pages/{page-id}/properties`, `GET/PUT/DELETE
//!   pages/{page-id}/properties/{property-id}`; `PUT` needs the current version plus one.
//!
//! Deletes answer 204. The rules live in the store (`store/properties.rs`).

use serde_json::{json, Value};

use crate::escape::path_segment;
use crate::request::Reply;
use crate::store::{Property, PropertyChange, PropertyError, Store};

use super::cloud_json::CloudJson;
use super::lists::{v1_list, v2_list};
use super::rest::{Answer, Refusal, Replied};
use super::Call;

/// Page sizes when no `limit` is given.
const V1_LIMIT: usize = 10;
const V2_LIMIT: usize = 25;

/// `GET content/{id}/property`.
pub fn list_v1(call: &Call, store: &Store) -> Answer {
    let page_id = call.path_param("id");
    let page = store.viewable_page(page_id, &call.who)?;
    let items = page
        .properties
        .iter()
        .map(|property| property_v1(call, page_id, property))
        .collect();
    Ok(v1_list(call, items, V1_LIMIT))
}

/// `GET content/{id}/property/{key}`.
pub fn get_v1(call: &Call, store: &Store) -> Answer {
    let page_id = call.path_param("id");
    let property = store.property(&call.who, page_id, call.path_param("key"))?;
    Ok(single_v1(call, page_id, property))
}

/// `POST content/{id}/property` (key in the body) and `POST content/{id}/property/{key}`.
pub fn create_v1(call: &Call, store: &mut Store) -> Answer {
    let body = json_body(call);
    let key = key_of(call, &body)?;
    let page_id = call.path_param("id");
    let value = body["value"].clone();
    let property = store.create_property(&call.who, page_id, &key, value)?;
    Ok(single_v1(call, page_id, property))
}

/// `PUT content/{id}/property/{key}`.
pub fn update_v1(call: &Call, store: &mut Store) -> Answer {
    let body = json_body(call);
    let change = change_of(&body, key_of(call, &body)?)?;
    let page_id = call.path_param("id");
    let property = store.update_property(&call.who, page_id, change, true)?;
    Ok(single_v1(call, page_id, property))
}

/// `DELETE content/{id}/property/{key}`.
pub fn delete_v1(call: &Call, store: &mut Store) -> Replied {
    store.delete_property(&call.who, call.path_param("id"), call.path_param("key"))?;
    Ok(Reply::no_content())
}

/// Cloud v2 `GET pages/{page-id}/properties?key=`.
pub fn list_v2(call: &Call, store: &Store) -> Answer {
    let page = store.viewable_page(call.path_param("page-id"), &call.who)?;
    let key = call.request.query_value("key");
    let json = CloudJson {
        site: call.site,
        store,
    };
    let items = page
        .properties
        .iter()
        .filter(|property| key.map_or(true, |key| property.key == key))
        .map(|property| property_v2(&json, property))
        .collect();
    Ok(v2_list(call, items, V2_LIMIT))
}

/// Cloud v2 `POST pages/{page-id}/properties`.
pub fn create_v2(call: &Call, store: &mut Store) -> Answer {
    let body = json_body(call);
    let key = body["key"].as_str().unwrap_or_default().to_owned();
    let page_id = call.path_param("page-id");
    let value = body["value"].clone();
    let id = store.create_property(&call.who, page_id, &key, value)?.id;
    v2_answer(call, store, page_id, &id.to_string())
}

/// Cloud v2 `GET pages/{page-id}/properties/{property-id}`.
pub fn get_v2(call: &Call, store: &Store) -> Answer {
    v2_answer(
        call,
        store,
        call.path_param("page-id"),
        call.path_param("property-id"),
    )
}

/// Cloud v2 `PUT pages/{page-id}/properties/{property-id}`.
pub fn update_v2(call: &Call, store: &mut Store) -> Answer {
    let (page_id, property_id) = (call.path_param("page-id"), call.path_param("property-id"));
    let key = store.property_key(&call.who, page_id, property_id)?;
    let body = json_body(call);
    if let Some(sent) = body["key"].as_str().filter(|sent| *sent != key) {
        let (body, path) = (sent.to_owned(), key);
        return Err(PropertyError::KeyMismatch { body, path }.into());
    }
    let change = change_of(&body, key)?;
    store.update_property(&call.who, page_id, change, false)?;
    v2_answer(call, store, page_id, property_id)
}

/// Cloud v2 `DELETE pages/{page-id}/properties/{property-id}`.
pub fn delete_v2(call: &Call, store: &mut Store) -> Replied {
    let (page_id, property_id) = (call.path_param("page-id"), call.path_param("property-id"));
    let key = store.property_key(&call.who, page_id, property_id)?;
    store.delete_property(&call.who, page_id, &key)?;
    Ok(Reply::no_content())
}

fn json_body(call: &Call) -> Value {
    call.request.json_body().cloned().unwrap_or(Value::Null)
}

/// The key from the path, which the body's key (if any) must match, or from the body.
fn key_of(call: &Call, body: &Value) -> Result<String, Refusal> {
    let in_body = body["key"].as_str();
    let Some(in_path) = call.path_params.get("key") else {
        return Ok(in_body.unwrap_or_default().to_owned());
    };
    match in_body {
        Some(sent) if sent != in_path => {
            let (body, path) = (sent.to_owned(), in_path.clone());
            Err(PropertyError::KeyMismatch { body, path }.into())
        }
        Some(_) | None => Ok(in_path.clone()),
    }
}

/// The change a `PUT` body asks for; `version.number` is required.
fn change_of(body: &Value, key: String) -> Result<PropertyChange, Refusal> {
    let version = &body["version"];
    let version_number = version["number"].as_i64().ok_or_else(|| {
        Refusal::new(
            400,
            "Must supply an incremented version when updating a content property \
             (version.number)",
        )
    })?;
    Ok(PropertyChange {
        key,
        value: body["value"].clone(),
        version_number,
        message: version["message"].as_str().unwrap_or_default().to_owned(),
        minor_edit: version["minorEdit"].as_bool().unwrap_or(false),
    })
}

fn property_v1(call: &Call, page_id: &str, property: &Property) -> Value {
    json!({
        "id": property.id.to_string(),
        "key": property.key,
        "value": property.value,
        "version": {
            "when": property.when,
            "message": property.message,
            "number": property.version,
            "minorEdit": property.minor_edit,
            "hidden": false
        },
        "_links": {
            "self": format!(
                "{}/rest/api/content/{page_id}/property/{}",
                call.site.base_url(),
                path_segment(&property.key)
            )
        },
        "_expandable": {"content": format!("/rest/api/content/{page_id}")}
    })
}

/// A property as a top-level answer, with `_links.base` and `context`.
fn single_v1(call: &Call, page_id: &str, property: &Property) -> Value {
    let mut value = property_v1(call, page_id, property);
    value["_links"]["base"] = json!(call.site.base_url());
    value["_links"]["context"] = json!(call.site.prefix);
    value
}

fn property_v2(json: &CloudJson, property: &Property) -> Value {
    json!({
        "id": property.id.to_string(),
        "key": property.key,
        "value": property.value,
        "version": {
            "createdAt": property.when,
            "message": property.message,
            "number": property.version,
            "minorEdit": property.minor_edit,
            "authorId": json.author_id(&property.author)
        }
    })
}

fn v2_answer(call: &Call, store: &Store, page_id: &str, property_id: &str) -> Answer {
    let key = store.property_key(&call.who, page_id, property_id)?;
    let property = store.property(&call.who, page_id, &key)?;
    let json = CloudJson {
        site: call.site,
        store,
    };
    Ok(property_v2(&json, property))
}
