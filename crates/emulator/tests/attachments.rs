//! Attachments: multipart uploads with the XSRF header, new versions, lists, downloads, limits.

mod common;

use common::*;
use confluence_emulator::{Flavor, RunningEmulator};
use serde_json::{json, Value};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR--not-really-a-png\r\n--";

fn attachments_url(emulator: &RunningEmulator, page_id: &str) -> String {
    format!(
        "{}/rest/api/content/{page_id}/child/attachment",
        emulator.base_url()
    )
}

/// A page in DOCS created as Ada on Data Center; its id.
fn dc_page(emulator: &RunningEmulator, title: &str, body: &str) -> String {
    let page = json!({"type": "page", "title": title, "space": {"key": "DOCS"},
                      "body": {"storage": {"value": body, "representation": "storage"}}});
    let url = format!("{}/rest/api/content", emulator.base_url());
    let answer = post(&url, Some(&ada_dc()), &page);
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.json()["id"].as_str().unwrap().to_owned()
}

fn first_result(answer: &Answer) -> Value {
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.json()["results"][0].clone()
}

#[test]
fn upload_list_and_download_on_data_center() {
    let emulator = data_center();
    let page_id = dc_page(&emulator, "With files", "<p>x</p>");
    let url = attachments_url(&emulator, &page_id);

    // Upload with a comment: 200 {results: [attachment]}.
    let form = Form::new()
        .file("file", "diagram.png", "image/png", PNG)
        .text("comment", "first upload")
        .text("minorEdit", "true");
    let uploaded = send_form("POST", &url, &ada_dc(), Some("no-check"), form);
    let attachment = first_result(&uploaded);
    assert_eq!(uploaded.json()["size"], 1);
    assert_eq!(attachment["type"], "attachment");
    assert_eq!(attachment["title"], "diagram.png");
    assert!(attachment["id"].as_str().unwrap().starts_with("att"));
    assert_eq!(attachment["version"]["number"], 1);
    assert_eq!(attachment["extensions"]["fileSize"], PNG.len());
    assert_eq!(attachment["extensions"]["mediaType"], "image/png");
    assert_eq!(attachment["extensions"]["comment"], "first upload");

    // Find it by file name, with its version.
    let listed = get(
        &format!("{url}?filename=diagram.png&expand=version"),
        Some(&ada_dc()),
    );
    let found = first_result(&listed);
    assert_eq!(found["id"], attachment["id"]);
    assert_eq!(found["version"]["number"], 1);
    let unexpanded = first_result(&get(&url, Some(&ada_dc())));
    assert!(
        unexpanded.get("version").is_none(),
        "version only when expanded"
    );
    let other = get(&format!("{url}?filename=other.png"), Some(&ada_dc()));
    assert_eq!(other.json()["results"], json!([]));

    // `_links.download` gives the bytes back, to whoever may view the page.
    let link = found["_links"]["download"].as_str().unwrap();
    let downloaded = get(&format!("{}{link}", emulator.base_url()), Some(&ada_dc()));
    assert_eq!(downloaded.status, 200);
    assert_eq!(downloaded.bytes, PNG);
    assert_eq!(downloaded.content_type, "image/png");
    let bob = get(
        &format!("{}{link}", emulator.base_url()),
        Some(&bearer("pat-bob-0001")),
    );
    assert_eq!(bob.bytes, PNG, "viewers may download");
    assert_eq!(
        emulator
            .attachment_bytes(&page_id, "diagram.png")
            .as_deref(),
        Some(PNG)
    );
    let missing = format!(
        "{}/download/attachments/{page_id}/nope.png",
        emulator.base_url()
    );
    assert_eq!(get(&missing, Some(&ada_dc())).status, 404);

    // People see the attachment under the page.
    let view = get(
        &format!(
            "{}/pages/viewpage.action?pageId={page_id}",
            emulator.base_url()
        ),
        None,
    );
    assert!(view.text.contains(">diagram.png</a>"), "{}", view.text);
    assert_no_violations(&emulator);
}

#[test]
fn same_file_name_twice_is_400() {
    let emulator = data_center();
    let url = attachments_url(&emulator, "65537");
    assert_eq!(upload(&url, &ada_dc(), "a.pdf", b"one").status, 200);
    let again = upload(&url, &ada_dc(), "a.pdf", b"two");
    assert_eq!(again.status, 400);
    assert_eq!(
        again.message(),
        "Cannot add a new attachment with same file name as an existing attachment: a.pdf"
    );
    let duplicated = upload(
        &format!("{url}?allowDuplicated=true"),
        &ada_dc(),
        "a.pdf",
        b"two",
    );
    assert_eq!(first_result(&duplicated)["version"]["number"], 2);
    assert_no_violations(&emulator);
}

#[test]
fn the_xsrf_header_must_say_no_check() {
    let emulator = data_center();
    let url = attachments_url(&emulator, "65537");
    let form = || Form::new().file("file", "a.txt", "text/plain", b"hello");
    let missing = send_form("POST", &url, &ada_dc(), None, form());
    assert_eq!(missing.status, 403);
    assert_eq!(missing.text, "XSRF check failed");
    assert!(missing.content_type.starts_with("text/plain"));
    let old_spelling = send_form("POST", &url, &ada_dc(), Some("nocheck"), form());
    assert_eq!(old_spelling.status, 403);
    assert_eq!(old_spelling.text, "XSRF check failed");
    assert!(emulator.pages()[0].attachments.is_empty());
    let right = send_form("POST", &url, &ada_dc(), Some("no-check"), form());
    assert_eq!(right.status, 200);
}

#[test]
fn a_new_version_through_data_keeps_the_id() {
    let emulator = data_center();
    let url = attachments_url(&emulator, "65537");
    let first = first_result(&upload(&url, &ada_dc(), "notes.txt", b"one"));
    let id = first["id"].as_str().unwrap();
    let form = Form::new()
        .file("file", "notes.txt", "text/plain", b"version two")
        .text("comment", "second")
        .text("minorEdit", "false");
    let data_url = format!("{url}/{id}/data");
    let second = send_form("POST", &data_url, &ada_dc(), Some("no-check"), form);
    assert_eq!(second.status, 200, "{}", second.text);
    let second = second.json();
    assert_eq!(second["id"], id);
    assert_eq!(second["version"]["number"], 2);
    assert_eq!(second["extensions"]["fileSize"], 11);
    assert_eq!(second["extensions"]["comment"], "second");
    let snapshot = &emulator.pages()[0].attachments[0];
    assert_eq!((snapshot.version, snapshot.size), (2, 11));
    assert_eq!(
        snapshot.sha256, "a67d5f46542514f52d658493fc9405829d2922cf1647574c838b6b86f125477a",
        "the hash is of the current version's bytes"
    );

    // Unknown attachment: 404.
    let unknown = upload(
        &format!("{url}/att99999/data"),
        &ada_dc(),
        "notes.txt",
        b"x",
    );
    assert_eq!(unknown.status, 404);
    assert_eq!(
        unknown.message(),
        "No attachment with id att99999 on content 65537"
    );
    assert_no_violations(&emulator);
}

#[test]
fn data_center_answers_405_to_clouds_put() {
    let emulator = data_center();
    let url = attachments_url(&emulator, "65537");
    let form = Form::new().file("file", "a.txt", "text/plain", b"x");
    let put = send_form("PUT", &url, &ada_dc(), Some("no-check"), form);
    assert_eq!(put.status, 405);
    assert_eq!(put.header("Allow"), Some("GET, POST"));
    assert!(
        put.message().contains("PUT is not declared"),
        "{}",
        put.message()
    );
    assert_eq!(
        emulator.violations().len(),
        1,
        "the client sent Cloud's form to DC"
    );
}

#[test]
fn uploads_over_the_limit_are_413() {
    let options = Options {
        max_attachment_bytes: Some(1024),
        ..Options::default()
    };
    let emulator = start(Flavor::DataCenter, options);
    let url = attachments_url(&emulator, "65537");
    let big = upload(&url, &ada_dc(), "big.bin", &[7u8; 1025]);
    assert_eq!(big.status, 413);
    assert_eq!(
        big.message(),
        "The attachment big.bin is 1025 bytes, over this Confluence's attachment size limit of \
         1024 bytes"
    );
    assert_eq!(
        upload(&url, &ada_dc(), "fits.bin", &[7u8; 1024]).status,
        200
    );
}

#[test]
fn forms_are_checked_by_hand() {
    let emulator = data_center();
    let url = attachments_url(&emulator, "65537");
    let no_file = Form::new().text("comment", "where is the file?");
    let answer = send_form("POST", &url, &ada_dc(), Some("no-check"), no_file);
    assert_eq!(answer.status, 400);
    assert_eq!(
        answer.message(),
        "At least one file must be sent, in a part named \"file\""
    );
    let misnamed = Form::new().file("files", "a.txt", "text/plain", b"x");
    let answer = send_form("POST", &url, &ada_dc(), Some("no-check"), misnamed);
    assert_eq!(answer.status, 400);
    assert!(
        answer
            .message()
            .contains("multipart part `files` is not declared"),
        "{}",
        answer.message()
    );
    let comments = Form::new()
        .file("file", "a.txt", "text/plain", b"x")
        .file("file", "b.txt", "text/plain", b"y")
        .text("comment", "only one");
    let answer = send_form("POST", &url, &ada_dc(), Some("no-check"), comments);
    assert_eq!(answer.status, 400);
    assert_eq!(
        answer.message(),
        "There must be as many comments as files: 1 comments for 2 files"
    );
    assert_eq!(
        emulator.violations().len(),
        1,
        "only the undeclared part breaks the document"
    );
}

#[test]
fn permissions_apply_to_uploads() {
    let emulator = data_center();
    let bob = bearer("pat-bob-0001");
    let viewer = upload(&attachments_url(&emulator, "65537"), &bob, "a.txt", b"x");
    assert_eq!(viewer.status, 403, "Bob may view DOCS but not edit it");
    let hidden = upload(&attachments_url(&emulator, "65538"), &bob, "a.txt", b"x");
    assert_eq!(hidden.status, 404, "Bob may not view SECRET");
}

#[test]
fn cloud_uploads_through_v1_and_lists_through_v2() {
    let emulator = cloud();
    let url = attachments_url(&emulator, "65537");
    let uploaded = first_result(&upload(&url, &ada_cloud(), "report.pdf", b"%PDF-1.7"));
    assert_eq!(uploaded["extensions"]["mediaType"], "application/pdf");
    assert!(uploaded["extensions"]["fileId"].is_string());

    // Cloud's PUT creates or updates by file name.
    let form = Form::new()
        .file("file", "report.pdf", "application/pdf", b"%PDF-1.7 v2")
        .text("minorEdit", "true");
    let put = send_form("PUT", &url, &ada_cloud(), Some("no-check"), form);
    assert_eq!(first_result(&put)["version"]["number"], 2);

    // v2 list by file name.
    let v2 = get(
        &format!(
            "{}/api/v2/pages/65537/attachments?filename=report.pdf",
            emulator.base_url()
        ),
        Some(&ada_cloud()),
    );
    let listed = first_result(&v2);
    assert_eq!(listed["title"], "report.pdf");
    assert_eq!(listed["fileSize"], 11);
    assert_eq!(listed["mediaType"], "application/pdf");
    assert_eq!(listed["version"]["number"], 2);
    assert_eq!(listed["id"], uploaded["id"]);
    let link = listed["downloadLink"].as_str().unwrap();
    let bytes = get(
        &format!("{}{link}", emulator.base_url()),
        Some(&ada_cloud()),
    )
    .bytes;
    assert_eq!(bytes, b"%PDF-1.7 v2");

    // v1 list (flagged deprecated, still served) and v1 download of an older version.
    let v1 = get(&format!("{url}?filename=report.pdf"), Some(&ada_cloud()));
    assert_eq!(first_result(&v1)["title"], "report.pdf");
    let id = uploaded["id"].as_str().unwrap();
    let first = get(
        &format!("{url}/{id}/download?version=1"),
        Some(&ada_cloud()),
    );
    assert_eq!(first.bytes, b"%PDF-1.7");
    assert_no_violations(&emulator);
}

#[test]
fn cloud_requires_minor_edit_as_its_document_says() {
    let emulator = cloud();
    let url = attachments_url(&emulator, "65537");
    let form = Form::new().file("file", "a.txt", "text/plain", b"x");
    let answer = send_form("POST", &url, &ada_cloud(), Some("no-check"), form);
    assert_eq!(answer.status, 400);
    assert!(
        answer
            .message()
            .contains("required multipart part `minorEdit` is missing"),
        "{}",
        answer.message()
    );
    assert_eq!(emulator.violations().len(), 1);
}

#[test]
fn pages_note_references_to_attachments_they_lack() {
    let emulator = data_center();
    let body = "<p><ac:image><ri:attachment ri:filename=\"d.png\"/></ac:image></p>\
                <ac:structured-macro ac:name=\"view-file\"><ac:parameter ac:name=\"name\">\
                <ri:attachment ri:filename=\"r.pdf\"/></ac:parameter></ac:structured-macro>";
    let page_id = dc_page(&emulator, "Embeds", body);
    let log = emulator.requests();
    assert_eq!(
        log[0].notes,
        [format!(
            "page {page_id} references attachments it does not have (yet): d.png, r.pdf"
        )]
    );
    upload(
        &attachments_url(&emulator, &page_id),
        &ada_dc(),
        "d.png",
        PNG,
    );
    let pages = get(&format!("{}/__emulator/pages", emulator.origin()), None).json();
    let page = &pages[2];
    assert_eq!(page["missingAttachments"], json!(["r.pdf"]));
    let attachment = &page["attachments"][0];
    assert_eq!(attachment["fileName"], "d.png");
    assert_eq!(attachment["size"], PNG.len());
    assert_eq!(attachment["version"], 1);
    assert_eq!(attachment["mediaType"], "image/png");
    assert_eq!(attachment["sha256"].as_str().map(str::len), Some(64));
    let logged_form = emulator.requests()[1].form.clone().unwrap();
    assert_eq!(logged_form[0].file_name.as_deref(), Some("d.png"));
    assert_eq!(logged_form[0].size, PNG.len() as u64);
}
