//! The connection test and the publish, driven with scripted responses.

use publish_core::auth::Secret;
use publish_core::convert::Links;
use publish_core::error::Error;
use publish_core::flow::{
    ConnectionCheck, FileInfo, Flow, FolderInput, FolderJob, LinkedNote, PublishAction,
    PublishInput, PublishJob, Step,
};
use publish_core::http::{Body, HttpRequest, HttpResponse, Method};
use publish_core::settings::Settings;
use serde_json::{json, Value};

const PAT: &str = "pat-RECOGNISABLE-7781";
const API_TOKEN: &str = "api-RECOGNISABLE-5512";

fn data_center() -> Settings {
    Settings {
        base_url: "https://confluence.example.com/confluence/".to_owned(),
        space_key: "DOCS".to_owned(),
        use_personal_access_token: true,
        personal_access_token: Secret::new(PAT),
        username: "ada".to_owned(),
        api_token: Secret::new(API_TOKEN),
        ..Settings::default()
    }
}

fn cloud() -> Settings {
    Settings {
        base_url: "https://acme.atlassian.net".to_owned(),
        use_personal_access_token: false,
        username: "ada@example.com".to_owned(),
        ..data_center()
    }
}

fn ok(body: Value) -> HttpResponse {
    HttpResponse::new(200, body.to_string())
}

fn request<T>(step: Step<T>) -> HttpRequest {
    match step {
        Step::Send(request) => request,
        Step::Done(_) => panic!("should ask for another request"),
    }
}

fn done<T>(step: Step<T>) -> T {
    match step {
        Step::Send(request) => panic!("should be done, but asks for {request:?}"),
        Step::Done(outcome) => outcome,
    }
}

fn body(request: &HttpRequest) -> Value {
    serde_json::from_str(request.body_text().expect("a text body")).expect("JSON body")
}

fn dc_page(id: &str, title: &str, version: u64) -> Value {
    json!({"id": id, "type": "page", "title": title, "version": {"number": version},
           "_links": {"base": "https://confluence.example.com/confluence",
                      "webui": format!("/pages/viewpage.action?pageId={id}")}})
}

fn note_input(path: &str, markdown: &str) -> PublishInput {
    PublishInput {
        path: path.to_owned(),
        markdown: markdown.to_owned(),
        ..PublishInput::default()
    }
}

fn job(settings: &Settings, path: &str, markdown: &str) -> PublishJob {
    PublishJob::new(settings, note_input(path, markdown)).expect("valid settings and note")
}

fn not_found() -> HttpResponse {
    HttpResponse::new(404, r#"{"statusCode":404,"message":"No content found"}"#)
}

fn record(fingerprint: &str, page_version: u64) -> Value {
    json!({"id": "p1", "key": "obsidian-confluence-publish", "version": {"number": 1},
           "value": {"fingerprint": fingerprint, "pageVersion": page_version}})
}

#[test]
fn data_center_first_publish_creates_under_the_parent() {
    let settings = Settings {
        parent_page_id: "100".to_owned(),
        ..data_center()
    };
    let mut job = job(&settings, "Guides/Set up.md", "Set up the tool.\n");
    let find = request(job.start().unwrap());
    assert_eq!(
        find.url,
        "https://confluence.example.com/confluence/rest/api/content?spaceKey=DOCS\
         &title=Set+up&type=page&expand=version"
    );
    let create = request(job.resume(&ok(json!({"results": [], "size": 0}))).unwrap());
    assert_eq!(
        (create.method, create.url.as_str()),
        (
            Method::Post,
            "https://confluence.example.com/confluence/rest/api/content"
        )
    );
    assert_eq!(body(&create)["ancestors"], json!([{"id": "100"}]));
    assert_eq!(
        body(&create)["body"]["storage"]["value"],
        "<p>Set up the tool.</p>\n"
    );
    let save = request(job.resume(&ok(dc_page("65537", "Set up", 1))).unwrap());
    assert_eq!(
        (save.method, save.url.as_str()),
        (
            Method::Post,
            "https://confluence.example.com/confluence/rest/api/content/65537/property"
        )
    );
    assert_eq!(body(&save)["key"], "obsidian-confluence-publish");
    assert_eq!(body(&save)["value"]["pageVersion"], 1);
    let outcome = done(job.resume(&ok(json!({}))).unwrap());
    assert_eq!(outcome.action, PublishAction::Created);
    assert_eq!(outcome.page_id, "65537");
    assert_eq!(outcome.version, 1);
    assert_eq!(outcome.requests, 3);
    assert_eq!(
        outcome.summary,
        "Created \"Set up\" (version 1): \
         https://confluence.example.com/confluence/pages/viewpage.action?pageId=65537"
    );
}

#[test]
fn a_folder_publish_hands_out_each_new_page_as_soon_as_it_is_made() {
    let input = FolderInput {
        folder: "Guides".to_owned(),
        notes: vec![
            note_input("Guides/A.md", "A."),
            note_input("Guides/B.md", "B."),
        ],
        ..FolderInput::default()
    };
    let mut folder = FolderJob::new(&data_center(), input).unwrap();
    let find = request(folder.start().unwrap());
    assert!(find.url.contains("title=A"), "{}", find.url);
    let empty = ok(json!({"results": [], "size": 0}));
    // The first note: found nowhere, created, then its record saved, which fails.
    let mut step = folder.resume(&empty).unwrap();
    assert_eq!(request(step.clone()).method, Method::Post);
    assert_eq!(folder.take_linked(), []);
    step = folder.resume(&ok(dc_page("65537", "A", 1))).unwrap();
    let linked = LinkedNote {
        path: "Guides/A.md".to_owned(),
        page_id: "65537".to_owned(),
    };
    assert_eq!(
        folder.take_linked(),
        [linked],
        "linked before its publish is over"
    );
    assert_eq!(request(step.clone()).method, Method::Post);
    // Whatever either note does after its page is made fails; B is handed out on its own.
    let mut taken = Vec::new();
    for _ in 0..20 {
        let Step::Send(sent) = step else { break };
        let answer = if sent.url.ends_with("/rest/api/content") {
            ok(dc_page("65538", "B", 1))
        } else if sent.url.contains("title=B") {
            empty.clone()
        } else {
            HttpResponse::new(400, r#"{"message":"no"}"#)
        };
        step = folder.resume(&answer).unwrap();
        taken.extend(folder.take_linked());
    }
    let outcome = done(step);
    let written: Vec<_> = outcome
        .failed
        .iter()
        .map(|failed| &failed.error.page_id)
        .collect();
    assert_eq!(
        written,
        [&Some("65537".to_owned()), &Some("65538".to_owned())]
    );
    let b = LinkedNote {
        path: "Guides/B.md".to_owned(),
        page_id: "65538".to_owned(),
    };
    assert_eq!(taken, [b], "A handed out once, B once");
}

#[test]
fn notes_that_share_a_page_id_are_not_published() {
    let copied = "---\nconfluence-page-id: 42\n---\nText.\n";
    let input = FolderInput {
        folder: "Docs".to_owned(),
        notes: vec![
            note_input("Docs/Orig.md", copied),
            note_input("Docs/Orig 1.md", copied),
        ],
        ..FolderInput::default()
    };
    let mut folder = FolderJob::new(&data_center(), input).unwrap();
    let outcome = done(folder.start().unwrap());
    let failed: Vec<(&str, &str)> = outcome
        .failed
        .iter()
        .map(|failed| (failed.path.as_str(), failed.error.message.as_str()))
        .collect();
    let message = |other: &str| {
        format!(
            "Not published: {other} has the same confluence-page-id, and both would write one \
             page. A copied note keeps the page id of the note it came from: remove \
             confluence-page-id from the copy to publish it as a page of its own."
        )
    };
    let (first, second) = (message("Docs/Orig 1.md"), message("Docs/Orig.md"));
    let mut expected = vec![
        ("Docs/Orig.md", first.as_str()),
        ("Docs/Orig 1.md", second.as_str()),
    ];
    expected.sort();
    let mut failed = failed;
    failed.sort();
    assert_eq!(failed, expected);
    assert_eq!(outcome.requests, 0, "nothing is sent for them");
}

/// Publish `markdown` as a new page and return the fingerprint it recorded.
fn first_fingerprint(markdown: &str) -> String {
    let mut job = job(&data_center(), "Set up.md", markdown);
    job.start().unwrap();
    job.resume(&ok(json!({"results": []}))).unwrap();
    let save = request(job.resume(&ok(dc_page("65537", "Set up", 1))).unwrap());
    body(&save)["value"]["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn a_linked_note_that_changed_updates_its_page_with_the_next_version() {
    let note = "---\nconfluence-page-id: 65537\ntags: [guide]\n---\nNew text\n";
    let mut job = job(&data_center(), "Set up.md", note);
    let get = request(job.start().unwrap());
    assert_eq!(
        get.url,
        "https://confluence.example.com/confluence/rest/api/content/65537?expand=version%2Cspace"
    );
    let read_record = request(job.resume(&ok(dc_page("65537", "Set up", 4))).unwrap());
    assert_eq!(
        read_record.url,
        "https://confluence.example.com/confluence/rest/api/content/65537/property/\
         obsidian-confluence-publish"
    );
    let update = request(job.resume(&ok(record("old", 4))).unwrap());
    assert_eq!(update.method, Method::Put);
    assert_eq!(body(&update)["version"]["number"], 5);
    let labels = request(job.resume(&ok(dc_page("65537", "Set up", 5))).unwrap());
    assert!(
        labels
            .url
            .ends_with("/rest/api/content/65537/label?limit=250"),
        "{}",
        labels.url
    );
    let listed = json!({"results": [{"prefix": "global", "name": "stale"}]});
    let add = request(job.resume(&ok(listed)).unwrap());
    assert_eq!(body(&add), json!([{"prefix": "global", "name": "guide"}]));
    let remove = request(job.resume(&ok(json!({}))).unwrap());
    assert_eq!(remove.method, Method::Delete);
    assert!(
        remove.url.ends_with("/rest/api/content/65537/label/stale"),
        "{}",
        remove.url
    );
    let save = request(
        job.resume(&HttpResponse::new(204, ""))
            .unwrap_or_else(|e| panic!("{e}")),
    );
    assert_eq!(save.method, Method::Put);
    assert_eq!(body(&save)["version"]["number"], 2);
    assert_eq!(body(&save)["value"]["pageVersion"], 5);
    let attachments = request(job.resume(&ok(json!({}))).unwrap());
    assert!(attachments
        .url
        .contains("/child/attachment?limit=250&expand=version"));
    let outcome = done(job.resume(&ok(json!({"results": []}))).unwrap());
    assert_eq!(
        (outcome.action, outcome.version),
        (PublishAction::Updated, 5)
    );
}

#[test]
fn an_unchanged_note_writes_nothing() {
    let markdown = "Same text\n";
    let fingerprint = first_fingerprint(markdown);
    let linked = format!("---\nconfluence-page-id: 65537\n---\n{markdown}");
    let mut job = job(&data_center(), "Set up.md", &linked);
    job.start().unwrap();
    job.resume(&ok(dc_page("65537", "Set up", 1))).unwrap();
    let attachments = request(job.resume(&ok(record(&fingerprint, 1))).unwrap());
    assert_eq!(attachments.method, Method::Get);
    let outcome = done(job.resume(&ok(json!({"results": []}))).unwrap());
    assert_eq!(outcome.action, PublishAction::Unchanged);
    assert_eq!(outcome.requests, 3);
    assert!(outcome
        .summary
        .starts_with("Unchanged: \"Set up\" (version 1)"));
}

#[test]
fn edits_made_in_confluence_are_not_overwritten_unasked() {
    let linked = "---\nconfluence-page-id: 65537\n---\nMine\n";
    let mut job = job(&data_center(), "Set up.md", linked);
    job.start().unwrap();
    job.resume(&ok(dc_page("65537", "Set up", 3))).unwrap();
    let error = job.resume(&ok(record("whatever", 2))).unwrap_err();
    assert_eq!(error.kind(), "edited-in-confluence");
    assert!(error.to_string().starts_with(
        "\"Set up\" was edited in Confluence since it was last published from this note (the \
         page is at version 3; this note published version 2)."
    ));
}

#[test]
fn an_unlinked_page_with_the_same_title_is_not_taken_over() {
    let mut job = job(&data_center(), "Set up.md", "text");
    job.start().unwrap();
    let error = job
        .resume(&ok(json!({"results": [dc_page("9", "Set up", 3)]})))
        .unwrap_err();
    assert_eq!(error.kind(), "title-taken");
    assert_eq!(
        error.to_string(),
        "A page titled \"Set up\" already exists in space DOCS (page 9), and this note is not \
         linked to it. To publish onto that page, add \"confluence-page-id: 9\" to the note's \
         frontmatter; or give the note another title."
    );
}

#[test]
fn the_user_may_link_the_note_to_the_existing_page() {
    let input = PublishInput {
        path: "Set up.md".to_owned(),
        markdown: "text".to_owned(),
        link_existing_page: true,
        ..PublishInput::default()
    };
    let mut job = PublishJob::new(&data_center(), input).unwrap();
    job.start().unwrap();
    let read_record = request(
        job.resume(&ok(json!({"results": [dc_page("9", "Set up", 3)]})))
            .unwrap(),
    );
    assert!(read_record
        .url
        .ends_with("/content/9/property/obsidian-confluence-publish"));
    let update = request(job.resume(&not_found()).unwrap());
    assert_eq!(update.method, Method::Put);
    assert_eq!(body(&update)["version"]["number"], 4);
}

#[test]
fn a_deleted_linked_page_says_how_to_recover() {
    let mut job = job(&data_center(), "a.md", "---\nconfluence-page-id: 5\n---\n");
    job.start().unwrap();
    let error = job.resume(&not_found()).unwrap_err();
    assert_eq!(error.kind(), "not-found");
    assert!(
        error.to_string().contains("Remove confluence-page-id"),
        "{error}"
    );
}

#[test]
fn linked_notes_are_linked_by_their_pages_current_titles() {
    let input = PublishInput {
        path: "a.md".to_owned(),
        markdown: "See [[Other note]] and [[other note|that]].".to_owned(),
        linked_page_ids: [("Other note".to_owned(), "77".to_owned())].into(),
        ..PublishInput::default()
    };
    let mut job = PublishJob::new(&data_center(), input).unwrap();
    let lookup = request(job.start().unwrap());
    assert!(lookup
        .url
        .ends_with("/rest/api/content/77?expand=version%2Cspace"));
    job.resume(&ok(dc_page("77", "Renamed in Confluence", 2)))
        .unwrap();
    let create = request(job.resume(&ok(json!({"results": []}))).unwrap());
    let storage = body(&create)["body"]["storage"]["value"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        storage.contains("ri:content-title=\"Renamed in Confluence\""),
        "{storage}"
    );
}

#[test]
fn files_are_uploaded_once_each_and_missing_ones_reported() {
    let sha = "ab".repeat(32);
    let input = PublishInput {
        path: "a.md".to_owned(),
        markdown: "![[shot.png]] ![[shot.png|200]] ![[gone.png]]".to_owned(),
        links: Links {
            files: [("shot.png".to_owned(), "img/shot.png".to_owned())].into(),
            ..Links::default()
        },
        files: [(
            "img/shot.png".to_owned(),
            FileInfo {
                sha256: sha.clone(),
                size: 3,
            },
        )]
        .into(),
        ..PublishInput::default()
    };
    let mut job = PublishJob::new(&data_center(), input).unwrap();
    job.start().unwrap();
    job.resume(&ok(json!({"results": []}))).unwrap();
    job.resume(&ok(dc_page("65537", "a", 1))).unwrap();
    let upload = request(job.resume(&ok(json!({}))).unwrap());
    assert_eq!(job.progress().step, "Uploading 1 of 1 files");
    assert!(
        upload
            .url
            .ends_with("/rest/api/content/65537/child/attachment"),
        "{}",
        upload.url
    );
    assert_eq!(upload.header("x-atlassian-token"), Some("no-check"));
    let Some(Body::Multipart {
        file_path, before, ..
    }) = &upload.body
    else {
        panic!("an upload is multipart")
    };
    assert_eq!(file_path, "img/shot.png");
    assert!(before.contains(&format!("sha256:{sha}")));
    assert!(before.contains("filename=\"shot.png\""));
    let outcome = done(
        job.resume(&ok(json!({"results": [{"id": "att1"}]})))
            .unwrap(),
    );
    assert_eq!(outcome.uploaded, ["shot.png"]);
    assert_eq!(
        outcome.missing_files.len(),
        1,
        "{:?}",
        outcome.missing_files
    );
    assert!(
        outcome.summary.contains("; uploaded 1 file"),
        "{}",
        outcome.summary
    );
}

#[test]
fn cloud_publish_finds_the_space_id_then_creates_with_v2() {
    let mut job = job(&cloud(), "Note.md", "Hi");
    let space = request(job.start().unwrap());
    assert_eq!(
        space.url,
        "https://acme.atlassian.net/wiki/api/v2/spaces?keys=DOCS"
    );
    assert!(space.header("authorization").unwrap().starts_with("Basic "));
    let spaces = json!({"results": [{"id": "98306", "key": "DOCS", "name": "Docs"}]});
    let find = request(job.resume(&ok(spaces)).unwrap());
    assert_eq!(
        find.url,
        "https://acme.atlassian.net/wiki/api/v2/pages?space-id=98306&title=Note&status=current"
    );
    let create = request(job.resume(&ok(json!({"results": []}))).unwrap());
    assert_eq!(create.url, "https://acme.atlassian.net/wiki/api/v2/pages");
    assert_eq!(body(&create)["spaceId"], "98306");
    let page = json!({"id": "7", "title": "Note", "version": {"number": 1},
                      "_links": {"webui": "/spaces/DOCS/pages/7/Note",
                                 "base": "https://acme.atlassian.net/wiki"}});
    let save = request(job.resume(&ok(page)).unwrap());
    assert_eq!(
        save.url,
        "https://acme.atlassian.net/wiki/api/v2/pages/7/properties"
    );
    let outcome = done(job.resume(&ok(json!({}))).unwrap());
    assert_eq!(
        outcome.url,
        "https://acme.atlassian.net/wiki/spaces/DOCS/pages/7/Note"
    );
    assert_eq!(outcome.auth_method, "email and API token");
}

#[test]
fn cloud_space_that_is_not_listed_is_reported() {
    let mut job = job(&cloud(), "Note.md", "Hi");
    job.start().unwrap();
    let error = job.resume(&ok(json!({"results": []}))).unwrap_err();
    assert_eq!(
        error.to_string(),
        "No space with key DOCS exists, or you may not view it. Check the Space key setting."
    );
}

fn manifest(version: &str) -> HttpResponse {
    let xml = format!("<manifest><name>Confluence</name><version>{version}</version></manifest>");
    let mut response = HttpResponse::new(200, xml);
    response
        .headers
        .insert("content-type".to_owned(), "application/xml".to_owned());
    response
}

#[test]
fn connection_check_reports_server_user_and_space() {
    let mut check = ConnectionCheck::new(&data_center()).unwrap();
    let probe = request(check.start().unwrap());
    assert_eq!(
        probe.url,
        "https://confluence.example.com/confluence/rest/applinks/1.0/manifest"
    );
    let who = request(check.resume(&manifest("9.2.0")).unwrap());
    assert_eq!(
        who.url,
        "https://confluence.example.com/confluence/rest/api/user/current"
    );
    assert_eq!(
        who.header("authorization"),
        Some(format!("Bearer {PAT}").as_str())
    );
    let user = json!({"type": "known", "username": "ada", "displayName": "Ada Lovelace"});
    let space = request(check.resume(&ok(user)).unwrap());
    assert_eq!(
        space.url,
        "https://confluence.example.com/confluence/rest/api/space/DOCS"
    );
    let report = done(
        check
            .resume(&ok(json!({"id": 1, "key": "DOCS", "name": "Docs"})))
            .unwrap(),
    );
    assert_eq!(
        report.summary,
        "Connected as Ada Lovelace to space Docs (DOCS), authenticated by personal access token."
    );
    assert_eq!(
        report.steps,
        [
            "Server: Confluence 9.2.0 at https://confluence.example.com/confluence",
            "Signed in as Ada Lovelace (ada) by personal access token",
            "Space: Docs (DOCS) can be read",
        ]
    );
}

#[test]
fn connection_check_refuses_the_anonymous_user() {
    let mut check = ConnectionCheck::new(&data_center()).unwrap();
    check.start().unwrap();
    check.resume(&manifest("8.5.4")).unwrap();
    let error = check.resume(&ok(json!({"type": "anonymous"}))).unwrap_err();
    assert_eq!(error.kind(), "auth");
    assert!(error
        .to_string()
        .starts_with("The personal access token was not accepted"));
}

/// The error a connection test ends with, given the answers to its requests.
fn check_error(settings: &Settings, answers: &[HttpResponse]) -> String {
    let mut check = ConnectionCheck::new(settings).unwrap();
    check.start().unwrap();
    for answer in answers {
        match check.resume(answer) {
            Ok(Step::Send(_)) => {}
            Ok(Step::Done(report)) => panic!("should fail, but reported {}", report.summary),
            Err(error) => return error.to_string(),
        }
    }
    panic!("should have failed after {} answers", answers.len())
}

#[test]
fn connection_check_says_which_method_each_kind_needs() {
    let unauthorized = HttpResponse::new(401, "");
    let cloud_pat = Settings {
        use_personal_access_token: true,
        ..cloud()
    };
    assert!(check_error(&cloud_pat, std::slice::from_ref(&unauthorized))
        .starts_with("Confluence Cloud does not take personal access tokens (401)."));
    let dc_basic = Settings {
        use_personal_access_token: false,
        ..data_center()
    };
    assert!(check_error(&dc_basic, &[manifest("9.2.0"), unauthorized])
        .starts_with("This Server / Data Center did not accept the username and password"));
    assert_eq!(
        check_error(&data_center(), &[manifest("7.4.17")]),
        "This Confluence is version 7.4.17; personal access tokens need 7.9 or later. Turn off \
         \"Use personal access token\" and use your username and password instead."
    );
}

#[test]
fn connection_check_finds_a_missing_context_path() {
    let mut not_found = HttpResponse::new(404, "<html><body>Not found</body></html>");
    not_found
        .headers
        .insert("content-type".to_owned(), "text/html".to_owned());
    let message = check_error(&data_center(), &[not_found]);
    assert!(
        message.starts_with(
            "There is no Confluence at https://confluence.example.com/confluence (the server \
             answered 404). Check the Confluence base URL: if Confluence opens at an address \
             with a path"
        ),
        "{message}"
    );
}

#[test]
fn a_flow_cannot_be_resumed_before_it_starts() {
    let mut check = ConnectionCheck::new(&data_center()).unwrap();
    let error = check.resume(&ok(json!({}))).unwrap_err();
    assert_eq!(error.kind(), "internal");
}

/// Every failing answer, on every step, for both kinds and both methods: no message and no
/// `Debug` output shows a token.
#[test]
fn no_error_shows_a_token() {
    let statuses = [400, 401, 403, 404, 409, 413, 429, 500, 502, 503];
    let mut seen = 0;
    for settings in [data_center(), cloud()] {
        for status in statuses {
            for steps_before in 0..3 {
                let body = json!({"message": "failed", "results": []}).to_string();
                let mut response = HttpResponse::new(status, body);
                response
                    .headers
                    .insert("retry-after".to_owned(), "5".to_owned());
                let errors = [
                    run_until_error(
                        &mut ConnectionCheck::new(&settings).unwrap(),
                        steps_before,
                        &response,
                    ),
                    run_until_error(&mut job(&settings, "n.md", "x"), steps_before, &response),
                ];
                for error in errors.into_iter().flatten() {
                    let shown = format!("{error} {error:?}");
                    assert!(
                        !shown.contains(PAT) && !shown.contains(API_TOKEN),
                        "{shown}"
                    );
                    seen += 1;
                }
            }
        }
    }
    assert!(seen >= 60, "should have produced many errors, saw {seen}");
}

/// Answer `steps_before` requests with a plausible success, then `failure`.
fn run_until_error<F: Flow>(
    flow: &mut F,
    steps_before: usize,
    failure: &HttpResponse,
) -> Option<Error> {
    let successes = [
        ok(
            json!({"type": "known", "displayName": "Ada", "results": [], "id": "1",
                  "key": "DOCS", "name": "Docs", "version": {"number": 1}}),
        ),
        ok(json!({"results": [{"id": "1", "key": "DOCS", "name": "Docs"}]})),
    ];
    let mut step = flow.start().ok()?;
    for index in 0..steps_before {
        if let Step::Done(_) = step {
            return None;
        }
        step = match flow.resume(&successes[index % successes.len()]) {
            Ok(next) => next,
            Err(error) => return Some(error),
        };
    }
    // A flow may ask one more thing before it reports (the publish asks a server that refused
    // a token for its version); that gets the same failure.
    for _ in 0..2 {
        step = match step {
            Step::Send(_) => match flow.resume(failure) {
                Ok(next) => next,
                Err(error) => return Some(error),
            },
            Step::Done(_) => return None,
        };
    }
    None
}

#[test]
fn a_file_too_large_for_the_server_is_named_with_its_size() {
    let input = PublishInput {
        path: "a.md".to_owned(),
        markdown: "![[talk.mp4]]".to_owned(),
        links: Links {
            files: [("talk.mp4".to_owned(), "talk.mp4".to_owned())].into(),
            ..Links::default()
        },
        files: [(
            "talk.mp4".to_owned(),
            FileInfo {
                sha256: "cd".repeat(32),
                size: 52_400_000,
            },
        )]
        .into(),
        ..PublishInput::default()
    };
    let mut job = PublishJob::new(&data_center(), input).unwrap();
    job.start().unwrap();
    job.resume(&ok(json!({"results": []}))).unwrap();
    job.resume(&ok(dc_page("65537", "a", 1))).unwrap();
    job.resume(&ok(json!({}))).unwrap();
    let refused = HttpResponse::new(413, r#"{"message":"Limit is 10485760 bytes."}"#);
    let error = job.resume(&refused).unwrap_err();
    assert_eq!(
        error.to_string(),
        "\"talk.mp4\" (52.4 MB) is larger than this Confluence accepts for an attachment (413): \
         Limit is 10485760 bytes. Ask an administrator to raise the attachment size limit, or \
         link to the file instead of embedding it. The page itself exists: \
         https://confluence.example.com/confluence/pages/viewpage.action?pageId=65537"
    );
    assert_eq!(
        error.written_page_id(),
        Some("65537"),
        "the note is linked all the same"
    );
}

#[test]
fn a_create_without_a_clear_answer_is_looked_up_before_any_retry() {
    let mut job = job(&data_center(), "Set up.md", "text");
    job.start().unwrap();
    job.resume(&ok(json!({"results": []}))).unwrap();
    let recheck = request(
        job.resume(&HttpResponse::new(0, "connection reset"))
            .unwrap(),
    );
    assert_eq!(recheck.method, Method::Get);
    assert!(recheck
        .url
        .contains("/rest/api/content?spaceKey=DOCS&title=Set+up"));
    let found = json!({"results": [dc_page("65537", "Set up", 1)]});
    let save = request(job.resume(&ok(found)).unwrap());
    assert!(
        save.url.ends_with("/content/65537/property"),
        "{}",
        save.url
    );
    let outcome = done(job.resume(&ok(json!({}))).unwrap());
    assert_eq!(
        (outcome.action, outcome.page_id.as_str()),
        (PublishAction::Created, "65537")
    );
}

#[test]
fn a_create_that_did_not_happen_is_sent_once_more_then_reported() {
    let mut job = job(&data_center(), "Set up.md", "text");
    job.start().unwrap();
    job.resume(&ok(json!({"results": []}))).unwrap();
    job.resume(&HttpResponse::new(502, "Bad gateway")).unwrap();
    let again = request(job.resume(&ok(json!({"results": []}))).unwrap());
    assert_eq!(again.method, Method::Post);
    let error = job
        .resume(&HttpResponse::new(502, "Bad gateway"))
        .unwrap_err();
    assert_eq!(error.kind(), "server");
}

fn linked_job_at_update() -> PublishJob {
    let linked = "---\nconfluence-page-id: 65537\n---\nChanged\n";
    let mut job = job(&data_center(), "Set up.md", linked);
    job.start().unwrap();
    job.resume(&ok(dc_page("65537", "Set up", 4))).unwrap();
    let update = request(job.resume(&ok(record("old", 4))).unwrap());
    assert_eq!(body(&update)["version"]["number"], 5);
    job
}

#[test]
fn a_conflict_without_a_new_version_is_retried_once() {
    let mut job = linked_job_at_update();
    let conflict = r#"{"message":"OptimisticLockException"}"#;
    let refetch = request(job.resume(&HttpResponse::new(409, conflict)).unwrap());
    assert_eq!(refetch.method, Method::Get);
    let again = request(job.resume(&ok(dc_page("65537", "Set up", 4))).unwrap());
    assert_eq!(
        (again.method, body(&again)["version"]["number"].as_u64()),
        (Method::Put, Some(5))
    );
    let error = job.resume(&HttpResponse::new(409, conflict)).unwrap_err();
    assert_eq!(error.kind(), "conflict");
}

#[test]
fn a_conflict_from_someone_elses_edit_is_not_overwritten() {
    let mut job = linked_job_at_update();
    job.resume(&HttpResponse::new(409, "{}")).unwrap();
    let mut theirs = dc_page("65537", "Set up", 5);
    theirs["version"]["message"] = json!("Fixed a typo");
    let error = job.resume(&ok(theirs)).unwrap_err();
    assert_eq!(error.kind(), "edited-in-confluence");
}

#[test]
fn an_update_that_landed_despite_a_lost_answer_goes_on() {
    let mut job = linked_job_at_update();
    job.resume(&HttpResponse::new(0, "timed out")).unwrap();
    let mut ours = dc_page("65537", "Set up", 5);
    ours["version"]["message"] = json!("Published from Obsidian");
    let labels = request(job.resume(&ok(ours)).unwrap());
    assert!(labels.url.ends_with("/label?limit=250"), "{}", labels.url);
}

#[test]
fn no_answer_at_all_names_the_host() {
    let mut check = ConnectionCheck::new(&data_center()).unwrap();
    check.start().unwrap();
    let error = check
        .resume(&HttpResponse::new(0, "connection refused"))
        .unwrap_err();
    assert_eq!(error.kind(), "network");
    assert_eq!(
        error.to_string(),
        "Could not reach confluence.example.com: connection refused. Check the base URL and \
         your network (a VPN or proxy may be needed)."
    );
}

#[test]
fn connection_check_tells_a_captcha_and_a_cloud_site_set_to_automatic() {
    let mut captcha = HttpResponse::new(403, "");
    captcha.headers.insert(
        "X-Authentication-Denied-Reason".to_owned(),
        "CAPTCHA_CHALLENGE; login-url=https://confluence.example.com/login.jsp".to_owned(),
    );
    assert!(check_error(&data_center(), &[captcha])
        .starts_with("Confluence asks for a CAPTCHA after failed logins (403)."));
    assert!(check_error(&data_center(), &[manifest("1000.0.0")])
        .contains("is Confluence Cloud, but the kind of Confluence is set to Automatic"));
}

#[test]
fn a_refused_token_is_blamed_on_the_server_only_when_it_predates_tokens() {
    let refused_on = |manifest_answer: HttpResponse| {
        let mut publish = job(&data_center(), "a.md", "text");
        publish.start().unwrap();
        let probe = request(publish.resume(&HttpResponse::new(401, "")).unwrap());
        assert_eq!(probe.method, Method::Get);
        assert_eq!(
            probe.url,
            "https://confluence.example.com/confluence/rest/applinks/1.0/manifest"
        );
        assert_eq!(publish.progress().step, "Checking the server");
        publish.resume(&manifest_answer).unwrap_err().to_string()
    };
    assert_eq!(
        refused_on(manifest("7.4.0")),
        "This Confluence is version 7.4.0; personal access tokens need 7.9 or later. Turn off \
         \"Use personal access token\" and use your username and password instead."
    );
    let token_refused = "Confluence did not accept the personal access token (401).";
    assert!(refused_on(manifest("7.9.3")).starts_with(token_refused));
    assert!(refused_on(not_found()).starts_with(token_refused));
    assert!(refused_on(HttpResponse::new(401, "")).starts_with(token_refused));
}

#[test]
fn a_refused_api_token_asks_nothing_more() {
    let mut publish = job(&cloud(), "a.md", "text");
    publish.start().unwrap();
    let error = publish.resume(&HttpResponse::new(401, "")).unwrap_err();
    assert!(error
        .to_string()
        .starts_with("Confluence did not accept the Atlassian username and API token (401)."));
}

#[test]
fn a_publish_to_an_address_without_confluence_says_so() {
    let mut job = job(&data_center(), "a.md", "text");
    job.start().unwrap();
    let mut not_found = HttpResponse::new(404, "<html><body>Page not found</body></html>");
    not_found
        .headers
        .insert("content-type".to_owned(), "text/html".to_owned());
    let error = job.resume(&not_found).unwrap_err();
    assert_eq!(error.kind(), "not-confluence");
    assert!(error
        .to_string()
        .starts_with("There is no Confluence at https://confluence.example.com/confluence"));
}

#[test]
fn with_protection_off_the_note_wins_and_tags_can_stay_off_the_page() {
    let settings = Settings {
        protect_remote_edits: false,
        labels_from_tags: false,
        ..data_center()
    };
    let linked = "---\nconfluence-page-id: 65537\ntags: [guide]\n---\nMine\n";
    let mut job = job(&settings, "Set up.md", linked);
    job.start().unwrap();
    job.resume(&ok(dc_page("65537", "Set up", 3))).unwrap();
    let update = request(job.resume(&ok(record("whatever", 2))).unwrap());
    assert_eq!(
        (update.method, body(&update)["version"]["number"].as_u64()),
        (Method::Put, Some(4))
    );
    let labels = request(job.resume(&ok(dc_page("65537", "Set up", 4))).unwrap());
    assert!(labels.url.ends_with("/label?limit=250"));
    let listed = json!({"results": [{"prefix": "global", "name": "guide"}]});
    let remove = request(job.resume(&ok(listed)).unwrap());
    assert_eq!(
        remove.method,
        Method::Delete,
        "the tag is not a label any more"
    );
}
