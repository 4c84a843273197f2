//! Labels and content properties, v1 and v2.

mod common;

use common::*;
use confluence_emulator::RunningEmulator;
use serde_json::json;

fn content(emulator: &RunningEmulator, rest: &str) -> String {
    format!("{}/rest/api/content/65537{rest}", emulator.base_url())
}

fn names(answer: &Answer) -> Vec<String> {
    assert_eq!(answer.status, 200, "{}", answer.text);
    let results = answer.json()["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    results
        .iter()
        .map(|label| label["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn labels_are_added_listed_and_removed() {
    let emulator = data_center();
    let url = content(&emulator, "/label");
    let labels = json!([{"prefix": "global", "name": "release-notes"},
                        {"prefix": "global", "name": "obsidian"}]);
    let added = post(&url, Some(&ada_dc()), &labels);
    assert_eq!(names(&added), ["release-notes", "obsidian"]);
    let one = post(
        &url,
        Some(&ada_dc()),
        &json!({"prefix": "global", "name": "extra"}),
    );
    assert_eq!(names(&one), ["release-notes", "obsidian", "extra"]);
    let again = post(
        &url,
        Some(&ada_dc()),
        &json!([{"prefix": "global", "name": "extra"}]),
    );
    assert_eq!(names(&again).len(), 3, "adding a label twice keeps one");
    let listed = get(&url, Some(&ada_dc()));
    let first = &listed.json()["results"][0];
    assert_eq!(first["prefix"], "global");
    assert_eq!(first["label"], "release-notes");
    assert!(first["id"].as_str().is_some_and(|id| !id.is_empty()));

    // Remove by path and by query; removing what is not there is 404.
    let removed = delete(&format!("{url}/obsidian"), Some(&ada_dc()));
    assert_eq!((removed.status, removed.text.as_str()), (204, ""));
    let by_query = delete(&format!("{url}?name=extra"), Some(&ada_dc()));
    assert_eq!(by_query.status, 204);
    assert_eq!(names(&get(&url, Some(&ada_dc()))), ["release-notes"]);
    let missing = delete(&format!("{url}/obsidian"), Some(&ada_dc()));
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.message(),
        "Label 'obsidian' is not on content 65537"
    );
    assert_eq!(emulator.pages()[0].labels, ["release-notes"]);
    assert_no_violations(&emulator);
}

#[test]
fn bad_label_names_are_400() {
    let emulator = data_center();
    let url = content(&emulator, "/label");
    let upper = post(
        &url,
        Some(&ada_dc()),
        &json!([{"prefix": "global", "name": "Docs"}]),
    );
    assert_eq!(upper.status, 400);
    assert_eq!(
        upper.message(),
        "Invalid label name 'Docs': label names are lower case, without spaces and without any \
         of :;,.?&[]()#^*@!'`<>\""
    );
    let spaced = post(
        &url,
        Some(&ada_dc()),
        &json!([{"prefix": "global", "name": "two words"}]),
    );
    assert_eq!(spaced.status, 400);
    let mixed = json!([{"prefix": "global", "name": "fine"}, {"prefix": "global", "name": "a b"}]);
    assert_eq!(post(&url, Some(&ada_dc()), &mixed).status, 400);
    assert!(
        emulator.pages()[0].labels.is_empty(),
        "nothing is added when one label is bad"
    );
    let bob = post(
        &url,
        Some(&bearer("pat-bob-0001")),
        &json!([{"prefix": "global", "name": "x"}]),
    );
    assert_eq!(bob.status, 403, "labels need edit permission");
}

#[test]
fn cloud_labels_through_v1_and_v2() {
    let emulator = cloud();
    let url = content(&emulator, "/label");
    post(
        &url,
        Some(&ada_cloud()),
        &json!([{"prefix": "global", "name": "published"}]),
    );
    let v1 = get(&url, Some(&ada_cloud()));
    assert_eq!(names(&v1), ["published"]);
    assert_eq!(
        emulator.requests()[1].notes,
        ["getLabelsForContent is deprecated in the Cloud v1 document; Cloud may remove it"]
    );
    let v2 = get(
        &format!("{}/api/v2/pages/65537/labels", emulator.base_url()),
        Some(&ada_cloud()),
    );
    assert_eq!(names(&v2), ["published"]);
    assert_eq!(v2.json()["results"][0]["prefix"], "global");
    assert_eq!(
        delete(&format!("{url}/published"), Some(&ada_cloud())).status,
        204
    );
    assert_no_violations(&emulator);
}

#[test]
fn data_center_properties_are_versioned() {
    let emulator = data_center();
    let url = content(&emulator, "/property");
    let hash = json!({"key": "obsidian-publish", "value": {"hash": "abc"}});
    let created = post(&url, Some(&ada_dc()), &hash);
    assert_eq!(created.status, 200, "{}", created.text);
    assert_eq!(created.json()["version"]["number"], 1);
    assert_eq!(created.json()["value"], json!({"hash": "abc"}));
    let twice = post(&url, Some(&ada_dc()), &hash);
    assert_eq!(twice.status, 409);

    // Update needs current + 1.
    let key_url = format!("{url}/obsidian-publish");
    let change = |number: u64, hash: &str| {
        let version = json!({ "number": number });
        json!({"key": "obsidian-publish", "value": {"hash": hash}, "version": version})
    };
    let updated = put(&key_url, Some(&ada_dc()), &change(2, "def"));
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.json()["version"]["number"], 2);
    let stale = put(&key_url, Some(&ada_dc()), &change(2, "ghi"));
    assert_eq!(stale.status, 409);
    assert_eq!(
        stale.message(),
        "Version must be incremented on update. Current version is: 2"
    );
    let read = get(&key_url, Some(&ada_dc())).json();
    assert_eq!(read["value"], json!({"hash": "def"}));
    let listed = get(&url, Some(&ada_dc())).json();
    assert_eq!(listed["results"][0]["key"], "obsidian-publish");
    assert_eq!(
        emulator.pages()[0].properties["obsidian-publish"],
        json!({"hash": "def"})
    );

    // Delete, then PUT with version 1 creates it again.
    assert_eq!(delete(&key_url, Some(&ada_dc())).status, 204);
    assert_eq!(get(&key_url, Some(&ada_dc())).status, 404);
    let recreated = put(&key_url, Some(&ada_dc()), &change(1, "new"));
    assert_eq!(recreated.json()["version"]["number"], 1);
    assert_no_violations(&emulator);
}

#[test]
fn cloud_properties_live_in_v2() {
    let emulator = cloud();
    let v1 = post(
        &content(&emulator, "/property"),
        Some(&ada_cloud()),
        &json!({"key": "k", "value": {"hash": "abc"}}),
    );
    assert_eq!(
        v1.status, 410,
        "Cloud's v1 property endpoints are deprecated"
    );
    let url = format!("{}/api/v2/pages/65537/properties", emulator.base_url());
    let created = post(
        &url,
        Some(&ada_cloud()),
        &json!({"key": "hash", "value": "abc"}),
    );
    assert_eq!(created.status, 200, "{}", created.text);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(created.json()["version"]["number"], 1);
    let by_key = get(&format!("{url}?key=hash"), Some(&ada_cloud())).json();
    assert_eq!(by_key["results"][0]["value"], "abc");

    let property_url = format!("{url}/{id}");
    let change =
        |number: u64| json!({"key": "hash", "value": "def", "version": {"number": number}});
    let updated = put(&property_url, Some(&ada_cloud()), &change(2));
    assert_eq!(updated.json()["version"]["number"], 2);
    let stale = put(&property_url, Some(&ada_cloud()), &change(2));
    assert_eq!(stale.status, 409);
    assert_eq!(
        stale.v2_title(),
        "Version must be incremented on update. Current version is: 2"
    );
    assert_eq!(
        get(&property_url, Some(&ada_cloud())).json()["value"],
        "def"
    );
    assert_eq!(delete(&property_url, Some(&ada_cloud())).status, 204);
    assert_eq!(get(&property_url, Some(&ada_cloud())).status, 404);
    assert_no_violations(&emulator);
}
