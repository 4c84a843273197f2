//! The wasm surface as TypeScript calls it, run under Node by wasm-bindgen-test.

#![cfg(target_arch = "wasm32")]

use publish_wasm::{convert_note, ConnectionTest, PublishJob};
use serde_json::{json, Value};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

fn to_js(value: &Value) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    serde::Serialize::serialize(value, &serializer).expect("test values serialize")
}

fn from_js(value: JsValue) -> Value {
    serde_wasm_bindgen::from_value(value).expect("the core returns plain objects")
}

fn settings(overrides: Value) -> JsValue {
    let mut settings = json!({
        "baseUrl": "https://confluence.example.com/",
        "spaceKey": "DOCS",
        "parentPageId": "",
        "deployment": "auto",
        "usePersonalAccessToken": true,
        "personalAccessToken": "pat-WASM-1",
        "username": "ada@example.com",
        "apiToken": "api-WASM-1",
    });
    for (key, value) in overrides.as_object().expect("overrides are an object") {
        settings[key] = value.clone();
    }
    to_js(&settings)
}

fn response(status: u16, body: Value) -> JsValue {
    to_js(&json!({"status": status, "headers": {}, "body": body.to_string()}))
}

#[wasm_bindgen_test]
fn convert_note_drops_frontmatter_and_escapes_text() {
    let storage = convert_note("---\ntitle: T\n---\nFish & chips\n").expect("converts");
    assert_eq!(storage.trim(), "<p>Fish &amp; chips</p>");
}

#[wasm_bindgen_test]
fn toggle_on_sends_bearer_even_with_a_username() {
    let mut test = ConnectionTest::new(settings(json!({}))).expect("valid settings");
    let step = from_js(test.start().expect("starts"));
    assert_eq!(step["type"], "request");
    assert_eq!(
        step["request"]["headers"]["authorization"],
        "Bearer pat-WASM-1"
    );
    assert_eq!(
        step["request"]["url"],
        "https://confluence.example.com/rest/applinks/1.0/manifest"
    );
}

#[wasm_bindgen_test]
fn toggle_off_sends_basic() {
    let mut test = ConnectionTest::new(settings(json!({"usePersonalAccessToken": false})))
        .expect("valid settings");
    let step = from_js(test.start().expect("starts"));
    // base64("ada@example.com:api-WASM-1")
    assert_eq!(
        step["request"]["headers"]["authorization"],
        "Basic YWRhQGV4YW1wbGUuY29tOmFwaS1XQVNNLTE="
    );
}

#[wasm_bindgen_test]
fn errors_arrive_as_kind_and_message() {
    let error = ConnectionTest::new(settings(json!({"personalAccessToken": ""})))
        .err()
        .expect("an empty token is refused");
    assert_eq!(
        from_js(error),
        json!({"kind": "settings",
               "message": "Personal access token is empty: fill it in the plugin's settings."})
    );
}

#[wasm_bindgen_test]
fn anonymous_answer_fails_the_test_without_showing_the_token() {
    let mut test = ConnectionTest::new(settings(json!({}))).expect("valid settings");
    test.start().expect("starts");
    let manifest = json!({"status": 200, "headers": {"content-type": "application/xml"},
                          "body": "<manifest><version>9.2.0</version></manifest>"});
    test.resume(to_js(&manifest)).expect("asks who the user is");
    let error = test
        .resume(response(
            200,
            json!({"type": "anonymous", "displayName": "Anonymous"}),
        ))
        .err()
        .expect("anonymous is a failure");
    let error = from_js(error);
    assert_eq!(error["kind"], "auth");
    let message = error["message"].as_str().expect("a message");
    assert!(message.contains("was not accepted"), "{message}");
    assert!(!message.contains("pat-WASM-1"), "{message}");
}

#[wasm_bindgen_test]
fn publish_creates_then_reports_the_page() {
    let note = to_js(&json!({"path": "Notes/Fish & chips.md", "markdown": "Hello"}));
    let mut job = PublishJob::new(settings(json!({})), note).expect("valid input");
    let find = from_js(job.start().expect("starts"));
    assert_eq!(
        find["request"]["url"],
        "https://confluence.example.com/rest/api/content?spaceKey=DOCS&title=Fish+%26+chips\
         &type=page&expand=version"
    );
    let create = from_js(
        job.resume(response(200, json!({"results": []})))
            .expect("creates"),
    );
    assert_eq!(create["request"]["method"], "POST");
    let created = json!({"id": "65537", "title": "Fish & chips", "version": {"number": 1},
                         "_links": {"base": "https://confluence.example.com",
                                    "webui": "/pages/viewpage.action?pageId=65537"}});
    let save = from_js(
        job.resume(response(200, created))
            .expect("saves its record"),
    );
    assert_eq!(
        save["request"]["url"],
        "https://confluence.example.com/rest/api/content/65537/property"
    );
    let done = from_js(job.resume(response(200, json!({}))).expect("done"));
    assert_eq!(done["type"], "done");
    assert_eq!(done["outcome"]["action"], "created");
    assert_eq!(done["outcome"]["pageId"], "65537");
    assert_eq!(
        done["outcome"]["url"],
        "https://confluence.example.com/pages/viewpage.action?pageId=65537"
    );
}
