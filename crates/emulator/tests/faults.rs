//! Fault modes, switched on through `POST /__emulator/faults` or the library, and the counters.

mod common;

use common::*;
use confluence_emulator::{Fault, FaultError, Flavor, RunningEmulator};
use serde_json::{json, Value};

fn current_user(emulator: &RunningEmulator, authorization: &str) -> Answer {
    let url = format!("{}/rest/api/user/current", emulator.base_url());
    get(&url, Some(authorization))
}

fn dc_page(title: &str) -> Value {
    json!({"type": "page", "title": title, "space": {"key": "DOCS"},
           "body": {"storage": {"value": "<p>x</p>", "representation": "storage"}}})
}

#[test]
fn rate_limits_answer_429_with_retry_after_then_lift() {
    let emulator = data_center();
    let on = set_faults(
        &emulator,
        &json!({"rateLimit": {"remaining": 2, "retryAfter": "2", "status": 429}}),
    );
    assert_eq!(on.status, 200);
    assert_eq!(
        on.json(),
        json!({"rateLimit": {"remaining": 2, "retryAfter": "2", "status": 429}})
    );
    for _ in 0..2 {
        let limited = current_user(&emulator, &ada_dc());
        assert_eq!(limited.status, 429);
        assert_eq!(limited.header("Retry-After"), Some("2"));
        assert_eq!(
            limited.header("X-RateLimit-Reset"),
            None,
            "Data Center has no reset"
        );
        let body = limited.json();
        assert_eq!(body["statusCode"], 429);
        assert_eq!(body["reason"], "Too Many Requests");
    }
    assert_eq!(current_user(&emulator, &ada_dc()).status, 200);
    let log = emulator.requests();
    assert_eq!(log[0].fault.as_deref(), Some("rateLimit"));
    assert_eq!(log[0].status, 429);
    assert_eq!(log[2].fault, None);
    assert_eq!(emulator.stats().faults["rateLimit"], 2);
}

#[test]
fn cloud_rate_limits_add_the_reset_instant() {
    let emulator = cloud();
    let date = "Wed, 21 Oct 2037 07:28:00 GMT";
    set_faults(
        &emulator,
        &json!({"rateLimit": {"remaining": 2, "retryAfter": date}}),
    );
    let v2 = get(
        &format!("{}/api/v2/spaces?keys=DOCS", emulator.base_url()),
        Some(&ada_cloud()),
    );
    assert_eq!(v2.status, 429);
    assert_eq!(v2.header("Retry-After"), Some(date));
    assert_eq!(
        v2.header("X-RateLimit-Reset"),
        Some("2037-10-21T07:28:00.000Z")
    );
    assert_eq!(v2.json()["errors"][0]["code"], "TOO_MANY_REQUESTS");
    let v1 = current_user(&emulator, &ada_cloud());
    assert_eq!(v1.status, 429);
    assert_eq!(v1.json()["statusCode"], 429, "v1 keeps its own error shape");
}

#[test]
fn unavailable_answers_503() {
    let emulator = data_center();
    emulator
        .inject(Fault::Unavailable {
            remaining: 1,
            retry_after: Some("5".into()),
        })
        .unwrap();
    let answer = current_user(&emulator, &ada_dc());
    assert_eq!(answer.status, 503);
    assert_eq!(answer.header("Retry-After"), Some("5"));
    assert_eq!(answer.json()["reason"], "Service Unavailable");
    assert_eq!(current_user(&emulator, &ada_dc()).status, 200);
    set_faults(&emulator, &json!({"unavailable": {"remaining": 1}}));
    let plain = current_user(&emulator, &ada_dc());
    assert_eq!((plain.status, plain.header("Retry-After")), (503, None));
}

#[test]
fn a_dropped_create_still_creates_the_page() {
    let emulator = data_center();
    set_faults(&emulator, &json!({"dropAfterCreate": true}));
    let url = format!("{}/rest/api/content", emulator.base_url());
    let headers = [
        ("Authorization", ada_dc()),
        ("Content-Type", "application/json".to_owned()),
    ];
    let body = dc_page("Lost answer").to_string().into_bytes();
    let lost = try_send_raw("POST", &url, &headers, Some(body));
    assert!(
        lost.is_err(),
        "the connection should close without an answer: {lost:?}"
    );
    assert!(emulator
        .pages()
        .iter()
        .any(|page| page.title == "Lost answer"));
    let log = emulator.requests();
    assert_eq!(log[0].fault.as_deref(), Some("dropAfterCreate"));
    assert!(log[0].dropped);
    assert_eq!(log[0].status, 200);

    // Only the next create: the retry that checks first sees the page, the next create works.
    let found = get(
        &format!("{url}?spaceKey=DOCS&title=Lost%20answer"),
        Some(&ada_dc()),
    );
    assert_eq!(found.json()["size"], 1);
    assert_eq!(post(&url, Some(&ada_dc()), &dc_page("Next")).status, 200);
    let stats = emulator.stats();
    assert_eq!(
        (stats.pages_created, stats.faults["dropAfterCreate"]),
        (2, 1)
    );
}

#[test]
fn a_concurrent_edit_makes_the_next_update_stale() {
    let emulator = data_center();
    set_faults(&emulator, &json!({"concurrentEdit": {"remaining": 1}}));
    let url = format!("{}/rest/api/content/65537", emulator.base_url());
    let read = get(&format!("{url}?expand=version"), Some(&ada_dc()));
    assert_eq!(read.json()["version"]["number"], 1);
    let update = |number: u64| {
        json!({"type": "page", "title": "Documentation Home", "version": {"number": number},
               "body": {"storage": {"value": "<p>mine</p>", "representation": "storage"}}})
    };
    let stale = put(&url, Some(&ada_dc()), &update(2));
    assert_eq!(stale.status, 409);
    assert_eq!(
        stale.message(),
        "Version must be incremented on update. Current version is: 2"
    );
    let again = get(&format!("{url}?expand=version"), Some(&ada_dc())).json();
    assert_eq!(again["version"]["number"], 2);
    assert_eq!(
        again["version"]["by"]["username"], "bob",
        "another user edited"
    );
    assert_eq!(put(&url, Some(&ada_dc()), &update(3)).status, 200);
    assert_eq!(
        emulator.requests()[0].fault.as_deref(),
        Some("concurrentEdit")
    );
}

#[test]
fn a_concurrent_edit_on_cloud_follows_a_find() {
    let emulator = cloud();
    emulator
        .inject(Fault::ConcurrentEdit { remaining: 1 })
        .unwrap();
    let base = emulator.base_url();
    let found = get(
        &format!("{base}/api/v2/pages?space-id=98305&title=Documentation%20Home"),
        Some(&ada_cloud()),
    );
    assert_eq!(found.json()["results"][0]["version"]["number"], 1);
    let change = json!({"id": "65537", "status": "current", "title": "Documentation Home",
                        "body": {"representation": "storage", "value": "<p>x</p>"},
                        "version": {"number": 2}});
    let stale = put(
        &format!("{base}/api/v2/pages/65537"),
        Some(&ada_cloud()),
        &change,
    );
    assert_eq!(stale.status, 409);
    assert_eq!(
        stale.v2_title(),
        "Version must be incremented on update. Current version is: 2"
    );
}

#[test]
fn captcha_on_data_center() {
    let emulator = data_center();
    set_faults(&emulator, &json!({"captcha": true}));
    let answer = current_user(&emulator, &basic("ada", "ada-password"));
    assert_eq!(answer.status, 403);
    assert_eq!(
        answer.header("X-Seraph-LoginReason"),
        Some("AUTHENTICATION_DENIED")
    );
    assert_eq!(
        answer.header("X-Authentication-Denied-Reason"),
        Some(
            format!(
                "CAPTCHA_CHALLENGE; login-url={}/login.jsp",
                emulator.base_url()
            )
            .as_str()
        )
    );
    assert_eq!(
        current_user(&emulator, &ada_dc()).status,
        403,
        "until switched off"
    );
    let cleared = send(
        "DELETE",
        &format!("{}/__emulator/faults", emulator.origin()),
        None,
        None,
    );
    assert_eq!(cleared.status, 200);
    assert_eq!(current_user(&emulator, &ada_dc()).status, 200);
    assert_eq!(emulator.stats().faults["captcha"], 2);
}

#[test]
fn captcha_is_refused_on_cloud() {
    let emulator = cloud();
    let refused = set_faults(&emulator, &json!({"captcha": true}));
    assert_eq!(refused.status, 400);
    assert_eq!(
        refused.json()["message"],
        "captcha is a Data Center fault; Confluence Cloud has no Seraph CAPTCHA"
    );
    assert_eq!(
        emulator.inject(Fault::Captcha { on: true }),
        Err(FaultError::CaptchaOnCloud)
    );
    let typo = set_faults(&emulator, &json!({"rateLimits": {}}));
    assert_eq!(typo.status, 400);
}

#[test]
fn an_sso_proxy_answers_with_a_login_page() {
    let emulator = cloud();
    set_faults(&emulator, &json!({"htmlLogin": true}));
    let answer = get(
        &format!("{}/api/v2/spaces?keys=DOCS", emulator.base_url()),
        Some(&ada_cloud()),
    );
    assert_eq!(answer.status, 200);
    assert!(
        answer.content_type.starts_with("text/html"),
        "{}",
        answer.content_type
    );
    assert!(answer.text.contains("<form"), "{}", answer.text);
    let view = get(emulator.base_url(), None);
    assert!(
        view.text.contains("Spaces"),
        "the HTML views are not faulted"
    );
    emulator.clear_faults();
    let json = get(
        &format!("{}/api/v2/spaces?keys=DOCS", emulator.base_url()),
        Some(&ada_cloud()),
    );
    assert!(json.content_type.starts_with("application/json"));
}

/// The statuses of a fixed request sequence under `randomFailures` with `seed`.
fn random_run(seed: u64) -> Vec<(u16, bool)> {
    let emulator = data_center();
    emulator
        .inject(Fault::RandomFailures { rate: 0.3, seed })
        .unwrap();
    let url = format!("{}/rest/api/content", emulator.base_url());
    let headers = [
        ("Authorization", ada_dc()),
        ("Content-Type", "application/json".to_owned()),
    ];
    (0..40)
        .map(|i| match i % 4 {
            0 => {
                let body = dc_page(&format!("Page {i}")).to_string().into_bytes();
                match try_send_raw("POST", &url, &headers, Some(body)) {
                    Ok(answer) => (answer.status, false),
                    Err(_) => (0, true),
                }
            }
            _ => (current_user(&emulator, &ada_dc()).status, false),
        })
        .collect()
}

#[test]
fn random_failures_repeat_for_a_seed() {
    let first = random_run(42);
    assert_eq!(
        first,
        random_run(42),
        "same seed, same requests, same failures"
    );
    assert_ne!(first, random_run(7), "another seed fails elsewhere");
    let failed = first
        .iter()
        .filter(|(status, dropped)| *status != 200 || *dropped);
    let failed = failed.count();
    assert!(
        (3..=25).contains(&failed),
        "about 30% should fail: {first:?}"
    );
    for (status, dropped) in &first {
        assert!(
            *dropped || [200, 429, 500, 503].contains(status),
            "unexpected {status}"
        );
    }
}

#[test]
fn stats_count_requests_writes_and_faults() {
    let emulator = data_center();
    let base = emulator.base_url().to_owned();
    post(
        &format!("{base}/rest/api/content"),
        Some(&ada_dc()),
        &dc_page("Counted"),
    );
    let url = format!("{base}/rest/api/content/65537/child/attachment");
    upload(&url, &ada_dc(), "a.txt", b"a");
    upload(&url, &ada_dc(), "a.txt", b"b");
    get(&format!("{base}/pages/viewpage.action?pageId=65537"), None);
    set_faults(&emulator, &json!({"unavailable": {"remaining": 1}}));
    current_user(&emulator, &ada_dc());
    let stats = get(&format!("{}/__emulator/stats", emulator.origin()), None).json();
    assert_eq!(
        stats,
        json!({"requests": 5, "restRequests": 4, "faults": {"unavailable": 1}, "pages": 3,
               "pagesCreated": 1, "pagesUpdated": 0, "attachments": 1,
               "attachmentsUploaded": 1})
    );
    send(
        "POST",
        &format!("{}/__emulator/reset", emulator.origin()),
        None,
        None,
    );
    assert_eq!(emulator.stats().requests, 0);
}

#[test]
fn cloud_without_wiki_is_an_html_404() {
    let emulator = start(Flavor::Cloud, Options::default());
    for path in ["/rest/api/user/current", "/api/v2/pages/65537"] {
        let answer = get(&format!("{}{path}", emulator.origin()), Some(&ada_cloud()));
        assert_eq!(answer.status, 404, "{path}");
        assert!(answer.content_type.starts_with("text/html"), "{path}");
        assert!(
            answer.text.contains("<title>Page not found"),
            "{}",
            answer.text
        );
    }
    assert_eq!(
        emulator.stats().rest_requests,
        0,
        "outside the site is not REST"
    );
}
