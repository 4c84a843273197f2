//! The JSON Data Center answers with: users, spaces and content, honouring `expand`.
//!
//! Shapes follow what Confluence 7.9 to 10 sends for the fields clients read (`id` as a string,
//! `version.number`, `ancestors` root first, `body.storage.value`, `_links.base + webui`); fields
//! nobody reads are left out. What is not expanded is listed in `_expandable`, as Confluence does.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use crate::ids::user_key;
use crate::store::{Page, Space, Store};

use super::Site;

/// The `expand` parameter: which optional parts to include.
pub struct Expand(BTreeSet<String>);

impl Expand {
    /// The expansions asked for, or `default` (comma-separated) when the parameter is absent.
    pub fn parse(asked: Option<&str>, default: &str) -> Self {
        let list = asked.unwrap_or(default);
        Self(
            list.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        )
    }

    /// Whether `part` is expanded, directly or through a deeper expansion such as `body.storage`.
    pub fn has(&self, part: &str) -> bool {
        self.0.iter().any(|asked| {
            asked == part
                || asked
                    .strip_prefix(part)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    }
}

/// Builds Data Center JSON for one site and store.
pub struct DcJson<'a> {
    pub site: &'a Site,
    pub store: &'a Store,
}

impl DcJson<'_> {
    fn rest_url(&self, path: &str) -> String {
        format!("{}/rest/api{path}", self.site.base_url())
    }

    /// Adds `_links.base` and `_links.context`, as on top-level answers.
    pub fn with_site_links(&self, mut value: Value) -> Value {
        if let Some(links) = value.get_mut("_links").and_then(Value::as_object_mut) {
            links.insert("base".into(), json!(self.site.base_url()));
            links.insert("context".into(), json!(self.site.prefix));
        }
        value
    }

    /// A known user, or the anonymous user when the name is unknown.
    pub fn user(&self, username: &str) -> Value {
        let Some(user) = self.store.user(username) else {
            return self.anonymous();
        };
        let key = user_key(&user.username);
        json!({
            "type": "known",
            "username": user.username,
            "userKey": key,
            "profilePicture": profile_picture(),
            "displayName": user.display_name,
            "_links": {"self": self.rest_url(&format!("/user?key={key}"))},
            "_expandable": {"status": ""}
        })
    }

    pub fn anonymous(&self) -> Value {
        json!({
            "type": "anonymous",
            "profilePicture": profile_picture(),
            "displayName": "Anonymous",
            "_links": {"self": self.rest_url("/user/anonymous")},
            "_expandable": {"operations": ""}
        })
    }

    pub fn space(&self, space: &Space) -> Value {
        json!({
            "id": space.id,
            "key": space.key,
            "name": space.name,
            "type": "global",
            "status": "current",
            "_links": {
                "webui": format!("/display/{}", space.key),
                "self": self.rest_url(&format!("/space/{}", space.key))
            },
            "_expandable": {
                "metadata": "",
                "icon": "",
                "description": "",
                "homepage": format!("/rest/api/content/{}", space.homepage_id)
            }
        })
    }

    /// A page with the parts `expand` asks for.
    pub fn content(&self, page: &Page, expand: &Expand) -> Value {
        let mut content = self.content_summary(page);
        let mut expandable = Map::new();
        let parts: [(&str, Option<Value>); 6] = [
            (
                "space",
                self.store
                    .space(&page.space_key)
                    .map(|space| self.space(space)),
            ),
            ("history", Some(self.history(page))),
            ("version", Some(self.version(page))),
            ("ancestors", Some(self.ancestors(page))),
            (
                "container",
                self.store
                    .space(&page.space_key)
                    .map(|space| self.space(space)),
            ),
            ("body", Some(body(page, expand))),
        ];
        for (name, value) in parts {
            match (expand.has(name), value) {
                (true, Some(value)) => content[name] = value,
                (true, None) | (false, _) => {
                    expandable.insert(name.into(), json!(self.expandable_link(page, name)));
                }
            }
        }
        content["_expandable"] = Value::Object(expandable);
        content
    }

    /// The fields every content carries, as in `ancestors` entries.
    fn content_summary(&self, page: &Page) -> Value {
        json!({
            "id": page.id.to_string(),
            "type": "page",
            "status": "current",
            "title": page.title,
            "_links": {
                "webui": format!("/pages/viewpage.action?pageId={}", page.id),
                "edit": format!("/pages/resumedraft.action?draftId={}", page.id),
                "tinyui": format!("/x/{}", page.id),
                "self": self.rest_url(&format!("/content/{}", page.id))
            }
        })
    }

    fn expandable_link(&self, page: &Page, name: &str) -> String {
        match name {
            "space" => format!("/rest/api/space/{}", page.space_key),
            "history" => format!("/rest/api/content/{}/history", page.id),
            "version" | "ancestors" | "body" | "container" => String::new(),
            other => other.to_owned(),
        }
    }

    fn history(&self, page: &Page) -> Value {
        json!({
            "latest": true,
            "createdBy": self.user(&page.created_by),
            "createdDate": page.created_at,
            "_links": {"self": self.rest_url(&format!("/content/{}/history", page.id))}
        })
    }

    fn version(&self, page: &Page) -> Value {
        let version = &page.version;
        let number = version.number;
        json!({
            "by": self.user(&version.author),
            "when": version.when,
            "message": version.message,
            "number": version.number,
            "minorEdit": version.minor_edit,
            "hidden": false,
            "_links": {"self": self.rest_url(&format!("/content/{}/version/{}", page.id, number))},
            "_expandable": {"content": format!("/rest/api/content/{}", page.id)}
        })
    }

    fn ancestors(&self, page: &Page) -> Value {
        let chain = self.store.ancestors(page);
        Value::Array(
            chain
                .into_iter()
                .map(|ancestor| self.content_summary(ancestor))
                .collect(),
        )
    }
}

/// `body.storage` when asked for; the other representations stay expandable.
fn body(page: &Page, expand: &Expand) -> Value {
    let mut body = json!({
        "_expandable": {
            "editor": "", "view": "", "export_view": "", "styled_view": "",
            "anonymous_export_view": ""
        }
    });
    match expand.has("body.storage") {
        true => {
            body["storage"] = json!({
                "value": page.body,
                "representation": "storage",
                "_expandable": {"content": format!("/rest/api/content/{}", page.id)}
            });
        }
        false => body["_expandable"]["storage"] = json!(""),
    }
    body
}

fn profile_picture() -> Value {
    json!({
        "path": "/images/icons/profilepics/default.svg",
        "width": 48,
        "height": 48,
        "isDefault": true
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expand_covers_deeper_parts() {
        let expand = Expand::parse(Some("body.storage, version"), "");
        assert!(expand.has("body"));
        assert!(expand.has("body.storage"));
        assert!(expand.has("version"));
        assert!(!expand.has("ancestors"));
        assert!(!Expand::parse(Some("bodyx"), "").has("body"));
        assert!(Expand::parse(None, "space,version").has("space"));
    }
}
