//! Labels over REST.
//!
//! - v1 (Data Center and Cloud): `GET content/{id}/label?prefix=`, `POST content/{id}/label`
//!   with `[{"prefix": "global", "name": "x"}]` or one such object (answers every label of the
//!   page), `DELETE content/{id}/label/{label}` or `DELETE content/{id}/label?name=` (204). The
//!   path form refuses names holding `/` (400), as Confluence does.
//! - Cloud v2: `GET pages/{id}/labels?prefix=`.
//!
//! The rules on names live in the store (`store/labels.rs`).

use serde_json::{json, Value};

use crate::request::Reply;
use crate::store::{Label, Page, Store};

use super::lists::{v1_list, v2_list};
use super::rest::{Answer, Refusal, Replied};
use super::Call;

/// Page sizes when no `limit` is given.
const V1_LIMIT: usize = 200;
const V2_LIMIT: usize = 25;

/// `GET content/{id}/label`.
pub fn list_v1(call: &Call, store: &Store) -> Answer {
    let page = store.viewable_page(call.path_param("id"), &call.who)?;
    Ok(v1_list(call, labels_v1(call, store, page), V1_LIMIT))
}

/// `POST content/{id}/label`: adds labels, answers all of the page's labels.
pub fn add_v1(call: &Call, store: &mut Store) -> Answer {
    let body = call.request.json_body().cloned().unwrap_or(Value::Null);
    let items = match body {
        Value::Array(items) => items,
        single @ Value::Object(_) => vec![single],
        _ => return Err(Refusal::new(400, "Send a label object or a list of them")),
    };
    let labels = items.iter().map(label_of).collect::<Result<Vec<_>, _>>()?;
    let page_id = store.add_labels(&call.who, call.path_param("id"), labels)?;
    let page = store.viewable_page(&page_id.to_string(), &call.who)?;
    let all = labels_v1(call, store, page);
    let count = all.len();
    Ok(v1_list(call, all, count.max(1)))
}

/// `DELETE content/{id}/label/{label}` and `DELETE content/{id}/label?name=`.
pub fn remove_v1(call: &Call, store: &mut Store) -> Replied {
    let name = match call.path_params.get("label") {
        Some(name) if name.contains('/') => {
            return Err(Refusal::new(
                400,
                "A label name holding / must be removed with the query form (label?name=)",
            ))
        }
        Some(name) => name.as_str(),
        None => call
            .request
            .query_value("name")
            .ok_or_else(|| Refusal::new(400, "The label to remove is required (name=)"))?,
    };
    store.remove_label(&call.who, call.path_param("id"), name)?;
    Ok(Reply::no_content())
}

/// Cloud v2 `GET pages/{id}/labels`.
pub fn list_v2(call: &Call, store: &Store) -> Answer {
    let page = store.viewable_page(call.path_param("id"), &call.who)?;
    let items = with_prefix(call, page)
        .map(|label| {
            json!({
                "id": store.known_label_id(&label.name).to_string(),
                "name": label.name,
                "prefix": label.prefix
            })
        })
        .collect();
    Ok(v2_list(call, items, V2_LIMIT))
}

fn labels_v1(call: &Call, store: &Store, page: &Page) -> Vec<Value> {
    with_prefix(call, page)
        .map(|label| {
            json!({
                "prefix": label.prefix,
                "name": label.name,
                "id": store.known_label_id(&label.name).to_string(),
                "label": label.name
            })
        })
        .collect()
}

/// The page's labels with one of the prefixes asked for (all without `prefix`).
fn with_prefix<'p>(call: &Call, page: &'p Page) -> impl Iterator<Item = &'p Label> {
    let prefixes: Vec<String> = call
        .request
        .query
        .iter()
        .filter(|(key, _)| key == "prefix")
        .flat_map(|(_, value)| value.split(',').map(str::to_owned))
        .collect();
    page.labels
        .iter()
        .filter(move |label| prefixes.is_empty() || prefixes.contains(&label.prefix))
}

/// A label from `{"prefix": "global", "name": "x"}`; the prefix defaults to `global`.
fn label_of(item: &Value) -> Result<Label, Refusal> {
    let name = item["name"]
        .as_str()
        .ok_or_else(|| Refusal::new(400, "Each label needs a name"))?;
    let prefix = item["prefix"].as_str().unwrap_or("global");
    Ok(Label {
        prefix: prefix.to_owned(),
        name: name.to_owned(),
    })
}
