//! Telling Confluence flavours and releases apart, and what depends on the release.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::*;
use confluence_emulator::Flavor;

fn data_center_at(version: &'static str) -> confluence_emulator::RunningEmulator {
    let options = Options {
        server_version: Some(version),
        ..Options::default()
    };
    start(Flavor::DataCenter, options)
}

#[test]
fn the_manifest_names_the_version_anonymously() {
    for (version, context) in [("9.2.0", None), ("8.1.0", Some("/confluence"))] {
        let options = Options {
            server_version: Some(version),
            context_path: context,
            ..Options::default()
        };
        let emulator = start(Flavor::DataCenter, options);
        let url = format!("{}/rest/applinks/1.0/manifest", emulator.base_url());
        let answer = get(&url, None);
        assert_eq!(answer.status, 200);
        assert!(answer.content_type.starts_with("application/xml"));
        assert!(
            answer
                .text
                .contains(&format!("<version>{version}</version>")),
            "{}",
            answer.text
        );
        assert!(answer.text.contains("<type>confluence</type>"));
        assert_no_violations(&emulator);
    }
}

#[test]
fn server_information_by_version() {
    let current = data_center_at("9.2.0");
    let url = format!("{}/rest/api/server-information", current.base_url());
    let info = get(&url, Some(&ada_dc()));
    assert_eq!(info.status, 200);
    let info = info.json();
    assert_eq!(info["version"], "9.2.0");
    assert_eq!(info["baseUrl"], current.base_url());
    assert!(info["buildNumber"].is_u64());
    assert_eq!(
        get(&url, None).status,
        401,
        "server information needs a user"
    );

    let older = data_center_at("8.1.0");
    let url = format!("{}/rest/api/server-information", older.base_url());
    let missing = get(&url, Some(&ada_dc()));
    assert_eq!(missing.status, 404);
    assert_eq!(missing.message(), format!("null for uri: {url}"));
    assert_no_violations(&older);
}

#[test]
fn data_center_7_4_does_not_know_bearer_tokens() {
    let emulator = data_center_at("7.4.0");
    let url = format!("{}/rest/api/user/current", emulator.base_url());
    let bearer = get(&url, Some(&ada_dc()));
    assert_eq!(bearer.status, 401);
    assert_eq!(
        bearer.message(),
        "Client must be authenticated to access this resource."
    );
    assert_eq!(
        emulator.requests()[0].auth_scheme.as_deref(),
        Some("Bearer")
    );
    let password = get(&url, Some(&basic("ada", "ada-password")));
    assert_eq!(password.json()["username"], "ada");

    let anonymous = start(
        Flavor::DataCenter,
        Options {
            server_version: Some("7.4.0"),
            anonymous_access: true,
            ..Options::default()
        },
    );
    let url = format!("{}/rest/api/user/current", anonymous.base_url());
    let answer = get(&url, Some(&ada_dc()));
    assert_eq!(
        answer.status, 200,
        "the token is ignored: the request is anonymous"
    );
    assert_eq!(answer.json()["type"], "anonymous");
}

#[test]
fn an_admin_may_disable_basic_authentication() {
    let emulator = start(
        Flavor::DataCenter,
        Options {
            basic_auth_disabled: true,
            ..Options::default()
        },
    );
    let url = format!("{}/rest/api/user/current", emulator.base_url());
    let password = get(&url, Some(&basic("ada", "ada-password")));
    assert_eq!(password.status, 401);
    assert_eq!(
        password.message(),
        "Basic authentication with a password is disabled on this Confluence; use a personal \
         access token (Authorization: Bearer)."
    );
    assert_eq!(get(&url, Some(&ada_dc())).status, 200);
}

#[test]
fn cloud_answers_system_info_and_data_center_does_not() {
    let cloud = cloud();
    let info = get(
        &format!("{}/rest/api/settings/systemInfo", cloud.base_url()),
        Some(&ada_cloud()),
    );
    assert_eq!(info.status, 200);
    let info = info.json();
    assert_eq!(info["baseUrl"], cloud.base_url());
    assert_eq!(info["cloudId"].as_str().map(str::len), Some(36));
    let manifest = get(
        &format!("{}/rest/applinks/1.0/manifest", cloud.base_url()),
        None,
    );
    assert!(manifest.text.contains("<version>1000.0.0</version>"));
    let server_information = get(
        &format!("{}/rest/api/server-information", cloud.base_url()),
        Some(&ada_cloud()),
    );
    assert_eq!(server_information.status, 404);
    assert_no_violations(&cloud);

    let dc = data_center();
    let probe = get(
        &format!("{}/rest/api/settings/systemInfo", dc.base_url()),
        Some(&ada_dc()),
    );
    assert_eq!(probe.status, 404);
    assert_no_violations(&dc);
}

#[test]
fn command_line_takes_version_and_limits() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_confluence-emulator"))
        .args([
            "--flavor",
            "dc",
            "--version",
            "8.1.0",
            "--basic-auth-disabled",
            "--max-attachment-bytes",
            "4",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary should start");
    let stdout = child.stdout.take().expect("stdout should be piped");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the binary should print a line");
    let base = line
        .trim()
        .strip_prefix("confluence-emulator listening on ")
        .map(str::to_owned);
    let answers = base.as_deref().map(|base| {
        let manifest = get(&format!("{base}/rest/applinks/1.0/manifest"), None);
        let user = format!("{base}/rest/api/user/current");
        let password = get(&user, Some(&basic("ada", "ada-password")));
        let attachments = format!("{base}/rest/api/content/65537/child/attachment");
        let big = upload(&attachments, &ada_dc(), "five.txt", b"12345");
        (manifest.text, password.status, big.status)
    });
    child.kill().expect("the emulator should stop when killed");
    let _ = child.wait();
    let (manifest, password, big) =
        answers.unwrap_or_else(|| panic!("unexpected first line: {line:?}"));
    assert!(manifest.contains("<version>8.1.0</version>"), "{manifest}");
    assert_eq!(password, 401);
    assert_eq!(big, 413);
}
