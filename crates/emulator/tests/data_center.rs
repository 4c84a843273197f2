//! Data Center flavour: authentication traps, the publish endpoints, permissions and errors.

mod common;

use common::*;
use confluence_emulator::Flavor;
use serde_json::{json, Value};

fn page(title: &str, value: &str) -> Value {
    json!({
        "type": "page",
        "title": title,
        "space": {"key": "DOCS"},
        "body": {"storage": {"value": value, "representation": "storage"}}
    })
}

fn update(title: &str, value: &str, number: u64) -> Value {
    json!({
        "type": "page",
        "title": title,
        "body": {"storage": {"value": value, "representation": "storage"}},
        "version": {"number": number, "message": "edited"}
    })
}

fn content_url(base: &str) -> String {
    format!("{base}/rest/api/content")
}

/// Creates a page as Ada and returns its id.
fn create(base: &str, title: &str) -> String {
    let answer = post(
        &content_url(base),
        Some(&ada_dc()),
        &page(title, "<p>one</p>"),
    );
    assert_eq!(
        answer.status, 200,
        "create should answer 200: {}",
        answer.text
    );
    answer.json()["id"]
        .as_str()
        .expect("content id should be a string")
        .to_owned()
}

#[test]
fn pat_signs_in_as_a_known_user() {
    let emulator = data_center();
    let answer = get(
        &format!("{}/rest/api/user/current", emulator.base_url()),
        Some(&ada_dc()),
    );
    assert_eq!(answer.status, 200);
    let user = answer.json();
    assert_eq!(user["type"], "known");
    assert_eq!(user["username"], "ada");
    assert_eq!(user["displayName"], "Ada Lovelace");
    assert!(user["userKey"].as_str().is_some_and(|key| key.len() == 32));
    assert_eq!(answer.header("X-AUSERNAME"), Some("ada"));
    assert_no_violations(&emulator);
}

#[test]
fn unknown_pat_is_refused() {
    let emulator = data_center();
    let url = format!("{}/rest/api/user/current", emulator.base_url());
    let answer = get(&url, Some(&bearer("pat-nobody")));
    assert_eq!(answer.status, 401);
    let body = answer.json();
    assert_eq!(body["statusCode"], 401);
    assert_eq!(body["reason"], "Unauthorized");
    assert_eq!(
        get(&url, None).status,
        401,
        "no credentials should be refused too"
    );
}

#[test]
fn unknown_pat_runs_as_anonymous_when_anonymous_access_is_on() {
    let options = Options {
        anonymous_access: true,
        ..Options::default()
    };
    let emulator = start(Flavor::DataCenter, options);
    let url = format!("{}/rest/api/user/current", emulator.base_url());
    let answer = get(&url, Some(&bearer("pat-nobody")));
    assert_eq!(
        answer.status, 200,
        "CONFSERVER-98199: a bad PAT should answer 200"
    );
    assert_eq!(answer.json()["type"], "anonymous");
    assert_eq!(answer.header("X-AUSERNAME"), Some("anonymous"));
    let space = get(
        &format!("{}/rest/api/space/DOCS", emulator.base_url()),
        Some(&bearer("x")),
    );
    assert_eq!(space.status, 200, "anonymous should view DOCS");
    let secret = get(
        &format!("{}/rest/api/space/SECRET", emulator.base_url()),
        None,
    );
    assert_eq!(secret.status, 404, "anonymous should not view SECRET");
    let create = post(
        &content_url(emulator.base_url()),
        Some(&bearer("x")),
        &page("A", ""),
    );
    assert_eq!(
        create.status, 403,
        "anonymous may view DOCS but not edit it"
    );
}

#[test]
fn pat_sent_as_basic_is_refused() {
    let emulator = start(
        Flavor::DataCenter,
        Options {
            anonymous_access: true,
            ..Options::default()
        },
    );
    let url = format!("{}/rest/api/user/current", emulator.base_url());
    assert_eq!(get(&url, Some(&basic("ada", "pat-ada-0001"))).status, 401);
    let answer = get(&url, Some(&basic("", "pat-ada-0001")));
    assert_eq!(answer.status, 401);
    assert_eq!(
        answer.header("X-Seraph-LoginReason"),
        Some("AUTHENTICATED_FAILED")
    );
    let password = get(&url, Some(&basic("ada", "ada-password")));
    assert_eq!(
        password.status, 200,
        "Basic with the password should sign in"
    );
    assert_eq!(password.json()["username"], "ada");
}

#[test]
fn create_answers_200_with_version_1_under_the_parent() {
    let emulator = data_center();
    let base = emulator.base_url();
    let parent = create(base, "Parent");
    let mut body = page("  Child page  ", "<p>Hello</p>");
    body["ancestors"] = json!([{"id": parent}]);
    let answer = post(&content_url(base), Some(&ada_dc()), &body);
    assert_eq!(answer.status, 200, "{}", answer.text);
    let content = answer.json();
    assert_eq!(content["title"], "Child page", "titles should be trimmed");
    assert_eq!(content["version"]["number"], 1);
    assert_eq!(content["version"]["by"]["username"], "ada");
    assert_eq!(content["space"]["key"], "DOCS");
    assert_eq!(content["body"]["storage"]["value"], "<p>Hello</p>");
    let ancestors: Vec<&str> = content["ancestors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(ancestors, ["Parent"]);
    let id = content["id"].as_str().unwrap();
    assert_eq!(
        content["_links"]["webui"],
        format!("/pages/viewpage.action?pageId={id}")
    );
    assert_eq!(content["_links"]["base"], base);
    assert_no_violations(&emulator);
}

#[test]
fn get_by_id_and_find_by_title() {
    let emulator = data_center();
    let base = emulator.base_url();
    let id = create(base, "Guide");
    let url = format!("{base}/rest/api/content/{id}?expand=version,ancestors,body.storage,space");
    let content = get(&url, Some(&ada_dc())).json();
    assert_eq!(content["id"], id.as_str());
    assert_eq!(content["body"]["storage"]["value"], "<p>one</p>");
    assert_eq!(
        content["ancestors"],
        json!([]),
        "a page created without ancestors is top level"
    );

    let found =
        format!("{base}/rest/api/content?spaceKey=DOCS&title=Guide&type=page&expand=version");
    let results = get(&found, Some(&ada_dc())).json();
    assert_eq!(results["size"], 1);
    assert_eq!(results["results"][0]["id"], id.as_str());
    let other_case = format!("{base}/rest/api/content?spaceKey=DOCS&title=guide&type=page");
    assert_eq!(
        get(&other_case, Some(&ada_dc())).json()["size"],
        0,
        "title search is exact"
    );
    assert_no_violations(&emulator);
}

#[test]
fn update_with_the_next_version_succeeds() {
    let emulator = data_center();
    let base = emulator.base_url();
    let id = create(base, "Guide");
    let mut body = update("Guide", "<p>two</p>", 2);
    body["id"] = json!(id);
    let answer = put(
        &format!("{base}/rest/api/content/{id}"),
        Some(&ada_dc()),
        &body,
    );
    assert_eq!(answer.status, 200, "{}", answer.text);
    let content = answer.json();
    assert_eq!(content["version"]["number"], 2);
    assert_eq!(content["version"]["message"], "edited");
    assert_eq!(content["body"]["storage"]["value"], "<p>two</p>");
    assert_no_violations(&emulator);
}

#[test]
fn stale_version_is_a_conflict() {
    let emulator = data_center();
    let base = emulator.base_url();
    let id = create(base, "Guide");
    let answer = put(
        &format!("{base}/rest/api/content/{id}"),
        Some(&ada_dc()),
        &update("Guide", "", 1),
    );
    assert_eq!(answer.status, 409);
    assert_eq!(
        answer.message(),
        "Version must be incremented on update. Current version is: 1"
    );
    assert_eq!(answer.json()["reason"], "Conflict");
}

#[test]
fn duplicate_title_in_another_case_is_refused() {
    let emulator = data_center();
    let base = emulator.base_url();
    create(base, "Release Notes");
    let answer = post(
        &content_url(base),
        Some(&ada_dc()),
        &page("release notes", "<p/>"),
    );
    assert_eq!(answer.status, 400);
    assert_eq!(
        answer.message(),
        "A page with this title already exists: A page already exists with the title release \
         notes in the space with key DOCS"
    );
    let body = answer.json();
    assert_eq!(body["statusCode"], 400);
    assert_eq!(body["reason"], "Bad Request");
    assert_eq!(body["data"]["successful"], false);
}

#[test]
fn malformed_storage_is_refused() {
    let emulator = data_center();
    let answer = post(
        &content_url(emulator.base_url()),
        Some(&ada_dc()),
        &page("A", "<p>a<br></p>"),
    );
    assert_eq!(answer.status, 400);
    assert_eq!(
        answer.message(),
        "Error parsing xhtml: Unexpected close tag </p>; expected </br>. at [row,col]: [1,9]"
    );
    assert!(
        emulator.pages().iter().all(|page| page.title != "A"),
        "nothing should be stored"
    );
    let entity = post(
        &content_url(emulator.base_url()),
        Some(&ada_dc()),
        &page("B", "<p>&nbsp;</p>"),
    );
    assert_eq!(entity.status, 400);
    assert!(entity
        .message()
        .starts_with("Error parsing xhtml: Undeclared general entity"));
}

#[test]
fn storage_with_macros_and_links_is_accepted() {
    let emulator = data_center();
    let value = concat!(
        "<p>See <ac:link><ri:page ri:content-title=\"Other page\" ri:space-key=\"DOCS\"/>",
        "<ac:plain-text-link-body><![CDATA[the other page]]></ac:plain-text-link-body>",
        "</ac:link>.</p>",
        "<ac:structured-macro ac:name=\"code\"><ac:parameter ac:name=\"language\">rust",
        "</ac:parameter><ac:plain-text-body><![CDATA[fn main() { let a = 1 < 2 && true; }]]>",
        "</ac:plain-text-body></ac:structured-macro>",
        "<ac:structured-macro ac:name=\"info\"><ac:rich-text-body><p>Note &amp; more</p>",
        "</ac:rich-text-body></ac:structured-macro>"
    );
    let answer = post(
        &content_url(emulator.base_url()),
        Some(&ada_dc()),
        &page("Macros", value),
    );
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.json()["body"]["storage"]["value"], value);
}

#[test]
fn viewer_may_not_create() {
    let emulator = data_center();
    let answer = post(
        &content_url(emulator.base_url()),
        Some(&bearer("pat-bob-0001")),
        &page("Bob", ""),
    );
    assert_eq!(answer.status, 403);
    assert_eq!(
        answer.message(),
        "User bob is not permitted to create or edit pages in space DOCS"
    );
}

#[test]
fn hidden_space_is_not_found() {
    let emulator = data_center();
    let bob = bearer("pat-bob-0001");
    let answer = get(
        &format!("{}/rest/api/space/SECRET", emulator.base_url()),
        Some(&bob),
    );
    assert_eq!(answer.status, 404);
    assert_eq!(answer.message(), "No space with key : SECRET");
    let mut body = page("Hidden", "");
    body["space"]["key"] = json!("SECRET");
    let create = post(&content_url(emulator.base_url()), Some(&bob), &body);
    assert_eq!(
        create.status, 404,
        "a hidden space is 404 on create too, not 403"
    );
    let home = emulator
        .pages()
        .into_iter()
        .find(|p| p.space_key == "SECRET")
        .unwrap();
    let page = get(
        &format!("{}/rest/api/content/{}", emulator.base_url(), home.id),
        Some(&bob),
    );
    assert_eq!(page.status, 404, "a page in a hidden space is not found");
}

#[test]
fn finding_in_an_unknown_space_is_not_found() {
    let emulator = data_center();
    let url = format!(
        "{}/rest/api/content?spaceKey=NOPE&title=X&type=page",
        emulator.base_url()
    );
    let answer = get(&url, Some(&ada_dc()));
    assert_eq!(
        answer.status, 404,
        "an unknown space is 404, not an empty list"
    );
    assert_eq!(answer.message(), "No space with key : NOPE");
}

#[test]
fn parent_must_be_in_the_same_space() {
    let emulator = data_center();
    let secret_home = emulator
        .pages()
        .into_iter()
        .find(|p| p.space_key == "SECRET")
        .unwrap();
    let mut body = page("Stray", "");
    body["ancestors"] = json!([{"id": secret_home.id}]);
    let answer = post(&content_url(emulator.base_url()), Some(&ada_dc()), &body);
    assert_eq!(answer.status, 400);
    assert_eq!(
        answer.message(),
        format!("The parent page {} is not in space DOCS", secret_home.id)
    );
}

#[test]
fn context_path_is_honoured() {
    let emulator = start(
        Flavor::DataCenter,
        Options {
            context_path: Some("/confluence"),
            ..Options::default()
        },
    );
    assert!(emulator.base_url().ends_with("/confluence"));
    let inside = get(
        &format!("{}/rest/api/user/current", emulator.base_url()),
        Some(&ada_dc()),
    );
    assert_eq!(inside.status, 200);
    let outside = get(
        &format!("{}/rest/api/user/current", emulator.origin()),
        Some(&ada_dc()),
    );
    assert_eq!(
        outside.status, 404,
        "requests outside the context path should be 404"
    );
    let id = create(emulator.base_url(), "Under context");
    let content = get(
        &format!("{}/rest/api/content/{id}", emulator.base_url()),
        Some(&ada_dc()),
    )
    .json();
    assert_eq!(content["_links"]["base"], emulator.base_url());
    assert_eq!(content["_links"]["context"], "/confluence");
    let view = get(
        &format!(
            "{}{}",
            content["_links"]["base"].as_str().unwrap(),
            content["_links"]["webui"].as_str().unwrap()
        ),
        None,
    );
    assert_eq!(view.status, 200);
}

#[test]
fn page_view_shows_the_page_to_people() {
    let emulator = data_center();
    let id = create(emulator.base_url(), "Readable <Title>");
    let answer = get(
        &format!("{}/pages/viewpage.action?pageId={id}", emulator.base_url()),
        None,
    );
    assert_eq!(answer.status, 200);
    assert!(
        answer.content_type.starts_with("text/html"),
        "{}",
        answer.content_type
    );
    assert!(
        answer.text.contains("Readable &lt;Title&gt;"),
        "{}",
        answer.text
    );
    assert!(
        answer.text.contains("<p>one</p>"),
        "the stored body should be shown as-is"
    );
    assert!(answer.text.contains("Ada Lovelace"));
    let missing = get(
        &format!("{}/pages/viewpage.action?pageId=1", emulator.base_url()),
        None,
    );
    assert_eq!(missing.status, 404);
}
