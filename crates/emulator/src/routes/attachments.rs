//! Attachments over REST: v1 (Data Center, and Cloud, which keeps v1 for uploads) and Cloud v2.
//!
//! - List: v1 `GET content/{id}/child/attachment?filename=&mediaType=&expand=version,container`
//!   (`version` and `container` only when expanded), v2 `GET pages/{id}/attachments`.
//! - Upload: v1 `POST content/{id}/child/attachment` (Cloud's `PUT` also updates a file of the
//!   same name, as does Data Center's `allowDuplicated=true`); answers `{results: [...]}`.
//! - New version: v1 `POST content/{id}/child/attachment/{attachmentId}/data`; answers the
//!   attachment.
//! - Download: `GET <base>/download/attachments/PAGE/FILE?version=N` (the `_links.download` of
//!   every attachment), and Cloud v1 `GET .../child/attachment/{attachmentId}/download`.
//!
//! Uploads are checked the way Confluence's servlet filters do, in order: the header
//! `X-Atlassian-Token: no-check` (else 403 text/plain "XSRF check failed"; the old `nocheck` is
//! refused too), at least one `file` part with a file name (400), as many `comment` parts as
//! files if any (400), each file within the site's size limit (413, naming the limit).

use serde_json::{json, Value};

use crate::config::Flavor;
use crate::escape::path_segment;
use crate::multipart::Part;
use crate::request::{Incoming, Reply};
use crate::store::{Attachment, AttachmentVersion, Page, Store, Upload};

use super::cloud_json::CloudJson;
use super::dc_json::{DcJson, Expand};
use super::lists::{v1_list, v2_list};
use super::rest::{error, who_is_asking, Answer, Refusal, Replied};
use super::{views, Api, Call, Handled, Site, Trace};

/// The only value of `X-Atlassian-Token` that passes the XSRF check.
const XSRF_NO_CHECK: &str = "no-check";
/// Page sizes of the attachment lists when no `limit` is given.
const DC_LIMIT: usize = 50;
const CLOUD_V1_LIMIT: usize = 25;
const V2_LIMIT: usize = 50;

/// `GET content/{id}/child/attachment`.
pub fn list_v1(call: &Call, store: &Store) -> Answer {
    let page = store.viewable_page(call.path_param("id"), &call.who)?;
    let expand = Expand::parse(call.request.query_value("expand"), "");
    let items = filtered(call, page)
        .map(|attachment| attachment_v1(call, store, page, attachment, &expand))
        .collect();
    let limit = match call.site.flavor {
        Flavor::DataCenter => DC_LIMIT,
        Flavor::Cloud => CLOUD_V1_LIMIT,
    };
    Ok(v1_list(call, items, limit))
}

/// `POST content/{id}/child/attachment` (and Cloud's `PUT`, with `update_existing`).
pub fn upload_v1(call: &Call, store: &mut Store, update_existing: bool) -> Answer {
    let uploads = read_uploads(call)?;
    let page_id = call.path_param("id");
    let page = store.viewable_page(page_id, &call.who)?;
    if !update_existing {
        refuse_taken_names(page, &uploads)?;
    }
    let mut ids = Vec::new();
    for upload in uploads {
        ids.push(store.attach(&call.who, page_id, upload, update_existing)?);
    }
    let page = store.viewable_page(page_id, &call.who)?;
    let expand = Expand::parse(call.request.query_value("expand"), "version,container");
    let items: Vec<Value> = ids
        .iter()
        .filter_map(|id| page.attachments.iter().find(|a| a.id == *id))
        .map(|attachment| attachment_v1(call, store, page, attachment, &expand))
        .collect();
    let count = items.len();
    Ok(v1_list(call, items, count.max(1)))
}

/// `POST content/{id}/child/attachment/{attachmentId}/data`.
pub fn new_version_v1(call: &Call, store: &mut Store) -> Answer {
    let mut uploads = read_uploads(call)?;
    if uploads.len() != 1 {
        return Err(Refusal::new(
            400,
            "A new version takes exactly one file part",
        ));
    }
    let upload = uploads.remove(0);
    let (page_id, attachment_id) = (call.path_param("id"), call.path_param("attachmentId"));
    let id = store.update_attachment(&call.who, page_id, attachment_id, upload)?;
    let page = store.viewable_page(page_id, &call.who)?;
    let attachment = page.attachments.iter().find(|a| a.id == id);
    let attachment = attachment.ok_or_else(|| Refusal::new(500, "the attachment is gone"))?;
    let expand = Expand::parse(call.request.query_value("expand"), "version,container");
    let mut value = attachment_v1(call, store, page, attachment, &expand);
    value["_links"]["base"] = json!(call.site.base_url());
    value["_links"]["context"] = json!(call.site.prefix);
    Ok(value)
}

/// Cloud v1 `GET content/{id}/child/attachment/{attachmentId}/download`.
pub fn download_v1(call: &Call, store: &Store) -> Replied {
    let (page_id, attachment_id) = (call.path_param("id"), call.path_param("attachmentId"));
    let attachment = store.viewable_attachment(&call.who, page_id, attachment_id)?;
    let version = match call.request.query_value("version") {
        Some(number) => number.parse().ok().and_then(|n| attachment.version(n)),
        None => Some(attachment.current()),
    };
    let version = version.ok_or_else(|| Refusal::new(404, "No such attachment version"))?;
    Ok(bytes_of(version))
}

/// Cloud v2 `GET pages/{id}/attachments`.
pub fn list_v2(call: &Call, store: &Store) -> Answer {
    let page = store.viewable_page(call.path_param("id"), &call.who)?;
    let statuses = call.request.query_value("status").unwrap_or("current");
    let current_wanted = statuses.split(',').any(|status| status == "current");
    let json = CloudJson {
        site: call.site,
        store,
    };
    let items = filtered(call, page)
        .filter(|_| current_wanted)
        .map(|attachment| attachment_v2(&json, page, attachment))
        .collect();
    Ok(v2_list(call, items, V2_LIMIT))
}

/// `GET <base>/download/attachments/PAGE/FILE`: the bytes, for whoever may view the page.
pub fn download(
    site: &Site,
    store: &Store,
    request: &Incoming,
    page_id: &str,
    file_name: &str,
) -> Handled {
    let auth = who_is_asking(site, store, request);
    let trace = Trace {
        auth_scheme: auth.scheme.clone(),
        user: auth.outcome.as_ref().ok().map(|who| who.name().to_owned()),
        ..Trace::default()
    };
    let reply = match &auth.outcome {
        Err(failure) => error(Api::DataCenter, 401, &failure.to_string()),
        Ok(who) => {
            let page = store.viewable_page(page_id, who).ok();
            let attachment = page.and_then(|page| page.attachment_named(file_name));
            let version = match request.query_value("version") {
                Some(n) => attachment.and_then(|a| n.parse().ok().and_then(|n| a.version(n))),
                None => attachment.map(Attachment::current),
            };
            version.map_or_else(|| views::not_found(site, &request.path), bytes_of)
        }
    };
    Handled {
        reply,
        trace,
        drop_connection: false,
    }
}

fn bytes_of(version: &AttachmentVersion) -> Reply {
    Reply::bytes(200, &version.media_type, version.bytes.clone())
}

/// The attachments of a page matching `filename` and `mediaType`, if given.
fn filtered<'p>(call: &Call<'p>, page: &'p Page) -> impl Iterator<Item = &'p Attachment> {
    let file_name = call.request.query_value("filename");
    let media_type = call.request.query_value("mediaType");
    page.attachments.iter().filter(move |attachment| {
        file_name.map_or(true, |name| attachment.file_name == name)
            && media_type.map_or(true, |wanted| attachment.current().media_type == wanted)
    })
}

/// The uploads of a multipart request, or why it is refused.
fn read_uploads(call: &Call) -> Result<Vec<Upload>, Refusal> {
    if call.request.header("x-atlassian-token") != Some(XSRF_NO_CHECK) {
        return Err(Refusal::plain(403, "XSRF check failed"));
    }
    let refuse = |status, message: String| Err(Refusal::new(status, message));
    let Some(parts) = call.request.form_parts() else {
        return refuse(400, "The request body must be multipart/form-data".into());
    };
    let files: Vec<&Part> = parts.iter().filter(|part| part.name == "file").collect();
    if files.is_empty() {
        return refuse(
            400,
            "At least one file must be sent, in a part named \"file\"".into(),
        );
    }
    if files.iter().any(|file| file.file_name.is_none()) {
        return refuse(
            400,
            "A \"file\" part needs a filename in its Content-Disposition".into(),
        );
    }
    let comments: Vec<String> = parts
        .iter()
        .filter(|part| part.name == "comment")
        .map(|part| part.text().unwrap_or_default().to_owned())
        .collect();
    if !comments.is_empty() && comments.len() != files.len() {
        let message = format!(
            "There must be as many comments as files: {} comments for {} files",
            comments.len(),
            files.len()
        );
        return refuse(400, message);
    }
    let limit = call.site.settings.max_attachment_bytes;
    if let Some(big) = files.iter().find(|file| file.data.len() as u64 > limit) {
        let message = format!(
            "The attachment {} is {} bytes, over this Confluence's attachment size limit of \
             {limit} bytes",
            big.file_name.as_deref().unwrap_or_default(),
            big.data.len()
        );
        return refuse(413, message);
    }
    let minor_edit = parts
        .iter()
        .any(|part| part.name == "minorEdit" && part.text() == Some("true"));
    let uploads = files.into_iter().enumerate().map(|(index, file)| Upload {
        file_name: file.file_name.clone().unwrap_or_default(),
        media_type: file.content_type.clone(),
        comment: comments.get(index).cloned(),
        minor_edit,
        bytes: file.data.clone(),
    });
    Ok(uploads.collect())
}

/// 400 for a file name already on the page, or sent twice.
fn refuse_taken_names(page: &Page, uploads: &[Upload]) -> Result<(), Refusal> {
    for (index, upload) in uploads.iter().enumerate() {
        let sent_before = uploads[..index]
            .iter()
            .any(|u| u.file_name == upload.file_name);
        if page.attachment_named(&upload.file_name).is_some() || sent_before {
            let message = format!(
                "Cannot add a new attachment with same file name as an existing attachment: {}",
                upload.file_name
            );
            return Err(Refusal::new(400, message));
        }
    }
    Ok(())
}

/// An attachment as v1 shows it; `version` and `container` only when expanded.
fn attachment_v1(
    call: &Call,
    store: &Store,
    page: &Page,
    attachment: &Attachment,
    expand: &Expand,
) -> Value {
    let current = attachment.current();
    let mut value = json!({
        "id": format!("att{}", attachment.id),
        "type": "attachment",
        "status": "current",
        "title": attachment.file_name,
        "metadata": {"mediaType": current.media_type, "comment": current.comment},
        "extensions": {
            "mediaType": current.media_type,
            "fileSize": current.bytes.len(),
            "comment": current.comment
        },
        "_links": {
            "webui": webui(page, attachment),
            "download": download_link(page, attachment, current.number),
            "self": format!("{}/rest/api/content/att{}", call.site.base_url(), attachment.id)
        },
        "_expandable": {}
    });
    if call.site.flavor == Flavor::Cloud {
        value["extensions"]["fileId"] = json!(file_id(current));
        value["extensions"]["collectionName"] = json!(format!("contentId-{}", page.id));
    }
    match expand.has("version") {
        true => value["version"] = version_v1(call, store, current),
        false => value["_expandable"]["version"] = json!(""),
    }
    match expand.has("container") {
        true => value["container"] = container(call, page),
        false => {
            value["_expandable"]["container"] = json!(format!("/rest/api/content/{}", page.id));
        }
    }
    value
}

fn version_v1(call: &Call, store: &Store, version: &AttachmentVersion) -> Value {
    let by = match call.site.flavor {
        Flavor::DataCenter => DcJson {
            site: call.site,
            store,
        }
        .user(&version.author),
        Flavor::Cloud => CloudJson {
            site: call.site,
            store,
        }
        .person(&version.author),
    };
    json!({
        "by": by,
        "when": version.when,
        "message": version.comment,
        "number": version.number,
        "minorEdit": version.minor_edit,
        "hidden": false
    })
}

fn container(call: &Call, page: &Page) -> Value {
    json!({
        "id": page.id.to_string(),
        "type": "page",
        "status": "current",
        "title": page.title,
        "_links": {"self": format!("{}/rest/api/content/{}", call.site.base_url(), page.id)}
    })
}

/// A v2 attachment.
fn attachment_v2(json: &CloudJson, page: &Page, attachment: &Attachment) -> Value {
    let current = attachment.current();
    let download = download_link(page, attachment, current.number);
    json!({
        "id": format!("att{}", attachment.id),
        "status": "current",
        "title": attachment.file_name,
        "createdAt": attachment.versions[0].when,
        "pageId": page.id.to_string(),
        "mediaType": current.media_type,
        "mediaTypeDescription": null,
        "comment": current.comment,
        "fileId": file_id(current),
        "fileSize": current.bytes.len(),
        "webuiLink": webui(page, attachment),
        "downloadLink": download,
        "version": {
            "createdAt": current.when,
            "message": current.comment,
            "number": current.number,
            "minorEdit": current.minor_edit,
            "authorId": json.author_id(&current.author)
        },
        "_links": {"webui": webui(page, attachment), "download": download}
    })
}

/// `/download/attachments/PAGE/FILE?version=N&api=v2`, relative to the base URL.
fn download_link(page: &Page, attachment: &Attachment, version: u64) -> String {
    format!(
        "/download/attachments/{}/{}?version={version}&api=v2",
        page.id,
        path_segment(&attachment.file_name)
    )
}

fn webui(page: &Page, attachment: &Attachment) -> String {
    format!(
        "/pages/viewpageattachments.action?pageId={}&preview=%2F{}%2Fatt{}%2F{}",
        page.id,
        page.id,
        attachment.id,
        path_segment(&attachment.file_name)
    )
}

/// Cloud's media file id: a UUID-shaped digest of the version's bytes.
fn file_id(version: &AttachmentVersion) -> String {
    let hex = &version.sha256;
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}
