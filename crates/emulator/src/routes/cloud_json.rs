//! The JSON Cloud answers with: the v1 current user, v2 spaces and v2 pages.
//!
//! v2 ids are numeric strings; a page's link for people is `_links.base + _links.webui` with
//! `webui` = `/spaces/KEY/pages/ID/Title-with-dashes`.

use serde_json::{json, Value};

use crate::auth::Identity;
use crate::escape::path_segment;
use crate::ids::account_id;
use crate::store::{Page, Space, Store};

use super::Site;

/// Builds Cloud JSON for one site and store.
pub struct CloudJson<'a> {
    pub site: &'a Site,
    pub store: &'a Store,
}

impl CloudJson<'_> {
    /// `GET /wiki/rest/api/user/current`.
    pub fn current_user(&self, who: &Identity) -> Value {
        let links = json!({
            "self": format!("{}/rest/api/user/current", self.site.base_url()),
            "base": self.site.base_url(),
            "context": self.site.prefix
        });
        let user = match who {
            Identity::User(username) => self.store.user(username),
            Identity::Anonymous => None,
        };
        let Some(user) = user else {
            return json!({
                "type": "anonymous",
                "profilePicture": profile_picture(),
                "displayName": "Anonymous",
                "isExternalCollaborator": false,
                "_links": links
            });
        };
        json!({
            "type": "known",
            "accountId": account_id(&user.username),
            "accountType": "atlassian",
            "email": user.email,
            "publicName": user.display_name,
            "displayName": user.display_name,
            "profilePicture": profile_picture(),
            "isExternalCollaborator": false,
            "_expandable": {"operations": "", "personalSpace": ""},
            "_links": links
        })
    }

    /// A user as v1 content shows them (`version.by`), or the anonymous user.
    pub fn person(&self, username: &str) -> Value {
        let Some(user) = self.store.user(username) else {
            return json!({"type": "anonymous", "displayName": "Anonymous"});
        };
        json!({
            "type": "known",
            "accountId": account_id(&user.username),
            "accountType": "atlassian",
            "publicName": user.display_name,
            "displayName": user.display_name,
            "profilePicture": profile_picture(),
            "isExternalCollaborator": false
        })
    }

    /// The account id of a user, or `null` for someone the seed does not know.
    pub fn author_id(&self, username: &str) -> Value {
        match self.store.user(username) {
            Some(user) => json!(account_id(&user.username)),
            None => Value::Null,
        }
    }

    pub fn space(&self, space: &Space) -> Value {
        json!({
            "id": space.id.to_string(),
            "key": space.key,
            "name": space.name,
            "type": "global",
            "status": "current",
            "authorId": self.author_id(&self.owner_of(space)),
            "createdAt": space.created_at,
            "homepageId": space.homepage_id.to_string(),
            "description": null,
            "icon": null,
            "_links": {"webui": format!("/spaces/{}", space.key)}
        })
    }

    /// A v2 page; `body` is `{}` unless the storage body is asked for.
    pub fn page(&self, page: &Page, with_body: bool) -> Value {
        let space = self.store.space(&page.space_key);
        let body = match with_body {
            true => json!({"storage": {"representation": "storage", "value": page.body}}),
            false => json!({}),
        };
        json!({
            "id": page.id.to_string(),
            "status": "current",
            "title": page.title,
            "spaceId": space.map(|s| s.id.to_string()),
            "parentId": page.parent_id.map(|id| id.to_string()),
            "parentType": page.parent_id.map(|_| "page"),
            "position": page.id,
            "authorId": self.author_id(&page.created_by),
            "ownerId": self.author_id(&page.created_by),
            "lastOwnerId": null,
            "createdAt": page.created_at,
            "version": {
                "createdAt": page.version.when,
                "message": page.version.message,
                "number": page.version.number,
                "minorEdit": page.version.minor_edit,
                "authorId": self.author_id(&page.version.author)
            },
            "body": body,
            "_links": {
                "webui": webui(page),
                "editui": format!("/pages/resumedraft.action?draftId={}", page.id),
                "tinyui": format!("/x/{}", page.id)
            }
        })
    }

    /// A page as a top-level answer, with `_links.base`.
    pub fn page_answer(&self, page: &Page, with_body: bool) -> Value {
        let mut value = self.page(page, with_body);
        value["_links"]["base"] = json!(self.site.base_url());
        value
    }

    fn owner_of(&self, space: &Space) -> String {
        self.store
            .page(&space.homepage_id.to_string())
            .map(|home| home.created_by.clone())
            .unwrap_or_default()
    }
}

/// `/spaces/KEY/pages/ID/Title-with-dashes`.
pub fn webui(page: &Page) -> String {
    let slug: Vec<&str> = page.title.split_whitespace().collect();
    format!(
        "/spaces/{}/pages/{}/{}",
        page.space_key,
        page.id,
        path_segment(&slug.join("-"))
    )
}

fn profile_picture() -> Value {
    json!({
        "path": "/wiki/aa-avatar/default.png",
        "width": 48,
        "height": 48,
        "isDefault": true
    })
}
