//! Cloud flavour: Basic email:api-token, v1 who am I, v1 content gone, v2 spaces and pages.

mod common;

use common::*;
use confluence_emulator::Flavor;
use serde_json::{json, Value};

fn v2(emulator: &confluence_emulator::RunningEmulator, path: &str) -> String {
    format!("{}/api/v2{path}", emulator.base_url())
}

fn new_page(title: &str, value: &str) -> Value {
    json!({
        "spaceId": "98305",
        "status": "current",
        "title": title,
        "body": {"representation": "storage", "value": value}
    })
}

#[test]
fn base_url_ends_in_wiki() {
    let emulator = cloud();
    assert!(
        emulator.base_url().ends_with("/wiki"),
        "{}",
        emulator.base_url()
    );
    let outside = get(
        &format!("{}/rest/api/user/current", emulator.origin()),
        Some(&ada_cloud()),
    );
    assert_eq!(outside.status, 404, "without /wiki Cloud answers 404");
}

#[test]
fn api_token_signs_in_as_a_known_user() {
    let emulator = cloud();
    let answer = get(
        &format!("{}/rest/api/user/current", emulator.base_url()),
        Some(&ada_cloud()),
    );
    assert_eq!(answer.status, 200);
    let user = answer.json();
    assert_eq!(user["type"], "known");
    assert_eq!(user["email"], "ada@example.com");
    assert_eq!(user["displayName"], "Ada Lovelace");
    assert_eq!(user["publicName"], "Ada Lovelace");
    assert!(user["accountId"].as_str().is_some_and(|id| !id.is_empty()));
    assert_no_violations(&emulator);
}

#[test]
fn bearer_and_passwords_are_refused() {
    let emulator = cloud();
    let url = format!("{}/rest/api/user/current", emulator.base_url());
    assert_eq!(
        get(&url, Some(&bearer("api-ada-0001"))).status,
        401,
        "API tokens are not Bearer"
    );
    assert_eq!(
        get(&url, Some(&bearer("pat-ada-0001"))).status,
        401,
        "PATs do not exist on Cloud"
    );
    let wrong = get(&url, Some(&basic("ada@example.com", "api-bob-0001")));
    assert_eq!(
        wrong.status, 401,
        "another user's token should not sign Ada in"
    );
    let password = get(&url, Some(&basic("ada@example.com", "ada-password")));
    assert_eq!(password.status, 401);
    assert!(
        password.content_type.starts_with("text/plain"),
        "{}",
        password.content_type
    );
    assert!(password
        .text
        .starts_with("Basic authentication with passwords is deprecated"));
}

#[test]
fn bad_credentials_read_as_anonymous_when_anonymous_access_is_on() {
    let emulator = start(
        Flavor::Cloud,
        Options {
            anonymous_access: true,
            ..Options::default()
        },
    );
    let url = format!("{}/rest/api/user/current", emulator.base_url());
    let answer = get(&url, Some(&basic("ada@example.com", "wrong")));
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["type"], "anonymous");
    assert_eq!(get(&url, None).json()["type"], "anonymous");
    let create = post(
        &v2(&emulator, "/pages"),
        Some(&bearer("x")),
        &new_page("A", ""),
    );
    assert_eq!(create.status, 401, "writes are never anonymous on Cloud");
}

#[test]
fn v1_content_and_space_are_gone() {
    let emulator = cloud();
    let base = emulator.base_url();
    let find = get(
        &format!("{base}/rest/api/content?spaceKey=DOCS&title=X"),
        Some(&ada_cloud()),
    );
    assert_eq!(find.status, 410);
    assert!(
        find.message().contains("/wiki/api/v2"),
        "{}",
        find.message()
    );
    assert_eq!(
        get(&format!("{base}/rest/api/space/DOCS"), Some(&ada_cloud())).status,
        410
    );
    assert_eq!(
        get(
            &format!("{base}/rest/api/content/65537"),
            Some(&ada_cloud())
        )
        .status,
        410
    );
}

#[test]
fn spaces_by_key_and_unknown_keys() {
    let emulator = cloud();
    let answer = get(&v2(&emulator, "/spaces?keys=DOCS"), Some(&ada_cloud()));
    assert_eq!(answer.status, 200);
    let space = &answer.json()["results"][0];
    assert_eq!(space["key"], "DOCS");
    assert_eq!(space["id"], "98305");
    assert_eq!(space["homepageId"], "65537");
    let unknown = get(&v2(&emulator, "/spaces?keys=NOPE"), Some(&ada_cloud()));
    assert_eq!(
        unknown.status, 200,
        "an unknown key is 200 with no results on v2"
    );
    assert_eq!(unknown.json()["results"], json!([]));
    let hidden = get(
        &v2(&emulator, "/spaces?keys=SECRET"),
        Some(&basic("bob@example.com", "api-bob-0001")),
    );
    assert_eq!(
        hidden.json()["results"],
        json!([]),
        "a hidden space looks unknown"
    );
    assert_no_violations(&emulator);
}

#[test]
fn create_find_get_and_update_a_page() {
    let emulator = cloud();
    let auth = ada_cloud();

    // Create without a parent: it goes under the space home page.
    let created = post(
        &v2(&emulator, "/pages"),
        Some(&auth),
        &new_page("Cloud Guide", "<p>one</p>"),
    );
    assert_eq!(created.status, 200, "{}", created.text);
    let page = created.json();
    let id = page["id"].as_str().unwrap().to_owned();
    assert_eq!(page["version"]["number"], 1);
    assert_eq!(page["parentId"], "65537");
    assert_eq!(page["spaceId"], "98305");
    assert_eq!(page["_links"]["base"], emulator.base_url());
    assert_eq!(
        page["_links"]["webui"],
        format!("/spaces/DOCS/pages/{id}/Cloud-Guide")
    );

    // Find it by title, get it by id with its body.
    let found = get(
        &v2(
            &emulator,
            "/pages?space-id=98305&title=Cloud%20Guide&status=current",
        ),
        Some(&auth),
    );
    assert_eq!(found.json()["results"][0]["id"], id.as_str());
    let fetched = get(
        &v2(&emulator, &format!("/pages/{id}?body-format=storage")),
        Some(&auth),
    )
    .json();
    assert_eq!(fetched["body"]["storage"]["value"], "<p>one</p>");
    assert_eq!(fetched["body"]["storage"]["representation"], "storage");

    // Update to version 2, then a stale update.
    let change = json!({
        "id": id, "status": "current", "title": "Cloud Guide",
        "body": {"representation": "storage", "value": "<p>two</p>"},
        "version": {"number": 2, "message": "second"}
    });
    let updated = put(
        &v2(&emulator, &format!("/pages/{id}")),
        Some(&auth),
        &change,
    );
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.json()["version"]["number"], 2);
    let stale = put(
        &v2(&emulator, &format!("/pages/{id}")),
        Some(&auth),
        &change,
    );
    assert_eq!(stale.status, 409);
    assert_eq!(
        stale.v2_title(),
        "Version must be incremented on update. Current version is: 2"
    );
    assert_no_violations(&emulator);
}

#[test]
fn v2_errors_have_the_v2_shape() {
    let emulator = cloud();
    let auth = ada_cloud();
    post(
        &v2(&emulator, "/pages"),
        Some(&auth),
        &new_page("Twice", ""),
    );
    let duplicate = post(
        &v2(&emulator, "/pages"),
        Some(&auth),
        &new_page("TWICE", ""),
    );
    assert_eq!(duplicate.status, 400);
    let error = &duplicate.json()["errors"][0];
    assert_eq!(error["status"], 400);
    assert_eq!(error["code"], "BAD_REQUEST");
    assert_eq!(
        error["title"],
        "A page with this title already exists: A page already exists with the title TWICE in \
         the space with key DOCS"
    );
    let malformed = post(
        &v2(&emulator, "/pages"),
        Some(&auth),
        &new_page("Bad", "<p>a<br></p>"),
    );
    assert_eq!(malformed.status, 400);
    assert!(malformed
        .v2_title()
        .starts_with("Error parsing xhtml: Unexpected close tag </p>"));
    let bob = basic("bob@example.com", "api-bob-0001");
    assert_eq!(
        post(&v2(&emulator, "/pages"), Some(&bob), &new_page("Bob", "")).status,
        403
    );
    let missing = get(&v2(&emulator, "/pages/99999"), Some(&auth));
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["errors"][0]["code"], "NOT_FOUND");
}

#[test]
fn page_view_lives_at_base_plus_webui() {
    let emulator = cloud();
    let page = post(
        &v2(&emulator, "/pages"),
        Some(&ada_cloud()),
        &new_page("Seen by people", "<p>hi</p>"),
    )
    .json();
    let url = format!(
        "{}{}",
        page["_links"]["base"].as_str().unwrap(),
        page["_links"]["webui"].as_str().unwrap()
    );
    let view = get(&url, None);
    assert_eq!(view.status, 200);
    assert!(view.content_type.starts_with("text/html"));
    assert!(view.text.contains("Seen by people"));
    assert!(view.text.contains("<p>hi</p>"));
}
