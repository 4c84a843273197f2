//! The connection test and the publish, driven with scripted responses.

use publish_core::auth::Secret;
use publish_core::error::Error;
use publish_core::flow::{ConnectionCheck, Flow, PublishAction, PublishJob, Step};
use publish_core::http::{HttpRequest, HttpResponse, Method};
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

#[test]
fn data_center_first_publish_creates_under_the_parent() {
    let settings = Settings {
        parent_page_id: "100".to_owned(),
        ..data_center()
    };
    let mut job = PublishJob::new(&settings, "Guides/Set up.md", "# Set up\n").unwrap();
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
        "<h1><ac:structured-macro ac:name=\"anchor\"><ac:parameter ac:name=\"\">set-up\
         </ac:parameter></ac:structured-macro>Set up</h1>\n"
    );
    let outcome = done(job.resume(&ok(dc_page("65537", "Set up", 1))).unwrap());
    assert_eq!(outcome.action, PublishAction::Created);
    assert_eq!(outcome.page_id, "65537");
    assert_eq!(outcome.version, 1);
    assert_eq!(
        outcome.url,
        "https://confluence.example.com/confluence/pages/viewpage.action?pageId=65537"
    );
    assert_eq!(
        outcome.summary,
        "Created \"Set up\" (version 1): \
         https://confluence.example.com/confluence/pages/viewpage.action?pageId=65537"
    );
}

#[test]
fn a_linked_note_updates_its_page_with_the_next_version() {
    let note = "---\nconfluence-page-id: 65537\n---\nNew text\n";
    let mut job = PublishJob::new(&data_center(), "Set up.md", note).unwrap();
    let get = request(job.start().unwrap());
    assert_eq!(
        get.url,
        "https://confluence.example.com/confluence/rest/api/content/65537?expand=version%2Cspace"
    );
    let update = request(job.resume(&ok(dc_page("65537", "Set up", 4))).unwrap());
    assert_eq!(update.method, Method::Put);
    assert_eq!(body(&update)["version"]["number"], 5);
    let outcome = done(job.resume(&ok(dc_page("65537", "Set up", 5))).unwrap());
    assert_eq!(
        (outcome.action, outcome.version),
        (PublishAction::Updated, 5)
    );
}

#[test]
fn an_unlinked_page_with_the_same_title_is_not_taken_over() {
    let mut job = PublishJob::new(&data_center(), "Set up.md", "text").unwrap();
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
fn a_deleted_linked_page_says_how_to_recover() {
    let mut job =
        PublishJob::new(&data_center(), "a.md", "---\nconfluence-page-id: 5\n---\n").unwrap();
    job.start().unwrap();
    let error = job.resume(&HttpResponse::new(404, "{}")).unwrap_err();
    assert_eq!(error.kind(), "not-found");
    assert!(
        error.to_string().contains("Remove confluence-page-id"),
        "{error}"
    );
}

#[test]
fn cloud_publish_finds_the_space_id_then_creates_with_v2() {
    let mut job = PublishJob::new(&cloud(), "Note.md", "Hi").unwrap();
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
    let outcome = done(job.resume(&ok(page)).unwrap());
    assert_eq!(
        outcome.url,
        "https://acme.atlassian.net/wiki/spaces/DOCS/pages/7/Note"
    );
    assert_eq!(outcome.auth_method, "email and API token");
}

#[test]
fn cloud_space_that_is_not_listed_is_reported() {
    let mut job = PublishJob::new(&cloud(), "Note.md", "Hi").unwrap();
    job.start().unwrap();
    let error = job.resume(&ok(json!({"results": []}))).unwrap_err();
    assert_eq!(
        error.to_string(),
        "No space with key DOCS exists, or you may not view it. Check the Space key setting."
    );
}

#[test]
fn connection_check_reports_user_and_space() {
    let mut check = ConnectionCheck::new(&data_center()).unwrap();
    let who = request(check.start().unwrap());
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
}

#[test]
fn connection_check_refuses_the_anonymous_user() {
    let mut check = ConnectionCheck::new(&data_center()).unwrap();
    check.start().unwrap();
    let error = check.resume(&ok(json!({"type": "anonymous"}))).unwrap_err();
    assert_eq!(error.kind(), "auth");
    assert!(error
        .to_string()
        .starts_with("The personal access token was not accepted"));
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
                    run_until_error(
                        &mut PublishJob::new(&settings, "n.md", "x").unwrap(),
                        steps_before,
                        &response,
                    ),
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
    match step {
        Step::Send(_) => flow.resume(failure).err(),
        Step::Done(_) => None,
    }
}
