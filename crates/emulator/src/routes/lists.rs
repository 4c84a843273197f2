//! The list envelopes both API families wrap results in.
//!
//! - v1 (Data Center, Cloud v1): `{results, start, limit, size, _links: {self, base, context,
//!   next?}}`, windowed by the `start` and `limit` query parameters.
//! - v2 (Cloud): `{results, _links: {base, next?}}`, windowed by `cursor` and `limit`; the
//!   cursor is an offset here, opaque to clients as on Cloud.

use serde_json::{json, Value};

use super::Call;

/// A v1 list of `items`, windowed by `start`/`limit` (default `default_limit`).
pub fn v1_list(call: &Call, items: Vec<Value>, default_limit: usize) -> Value {
    let request = call.request;
    let start = number(request.query_value("start"), 0);
    let limit = number(request.query_value("limit"), default_limit);
    let total = items.len();
    let window: Vec<Value> = items.into_iter().skip(start).take(limit).collect();
    let base = call.site.base_url();
    let mut links = json!({
        "self": format!("{}{}", call.site.origin, request.path),
        "base": base,
        "context": call.site.prefix
    });
    if start + window.len() < total {
        let path = request
            .path
            .strip_prefix(&call.site.prefix)
            .unwrap_or(&request.path);
        links["next"] = json!(format!("{path}?start={}&limit={limit}", start + limit));
    }
    let size = window.len();
    json!({"results": window, "start": start, "limit": limit, "size": size, "_links": links})
}

/// A v2 list of `items`, windowed by `cursor`/`limit` (default `default_limit`).
pub fn v2_list(call: &Call, items: Vec<Value>, default_limit: usize) -> Value {
    let request = call.request;
    let offset = number(request.query_value("cursor"), 0);
    let limit = number(request.query_value("limit"), default_limit);
    let total = items.len();
    let results: Vec<Value> = items.into_iter().skip(offset).take(limit).collect();
    let mut links = json!({"base": call.site.base_url()});
    if offset + results.len() < total {
        links["next"] = json!(next_link(call, offset + limit));
    }
    json!({"results": results, "_links": links})
}

fn number(value: Option<&str>, default: usize) -> usize {
    value.and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The request's own path and query with `cursor` moved on.
fn next_link(call: &Call, offset: usize) -> String {
    let kept = call.request.query.iter().filter(|(key, _)| key != "cursor");
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query
        .extend_pairs(kept)
        .append_pair("cursor", &offset.to_string());
    format!("{}?{}", call.request.path, query.finish())
}
